"""Sub-commands of the CLI; every module here that defines ``command`` is registered."""
