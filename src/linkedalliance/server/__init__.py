"""The HTTP server: SPARQL 1.1 Protocol, linked-data IRIs and pages (see :mod:`.app`)."""
