"""One exception hierarchy. Every error a user can cause is a LinkedAllianceError whose
message says what is wrong and what to do; the CLI prints it and exits 2, the server maps
``status`` to an HTTP answer. Anything else reaching the top level is a bug."""

from __future__ import annotations

from pathlib import Path


class LinkedAllianceError(Exception):
    """Base class of every error the library raises on purpose."""

    status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputFileError(LinkedAllianceError):
    """A file that is missing, unreadable or of an unknown type."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class RdfSyntaxError(LinkedAllianceError):
    """RDF that does not parse; keeps file, line and column where the parser gives them."""

    def __init__(
        self, source: str, reason: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.column = column
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


class QuoteNotFound(LinkedAllianceError):
    """A curated quote that is not verbatim in its document."""

    def __init__(self, source: str, document_id: str, quote: str, reason: str) -> None:
        self.source = source
        self.document_id = document_id
        self.quote = quote
        short = quote if len(quote) <= 80 else quote[:77] + "..."
        super().__init__(f"{source}: quote {short!r} {reason} in document {document_id}")


class CorpusError(LinkedAllianceError):
    """The corpus directory is malformed (missing curation, unknown document...)."""


class ShapesError(LinkedAllianceError):
    """A shapes file that does not parse or is not usable SHACL."""


class QueryError(LinkedAllianceError):
    """A SPARQL query that does not parse or cannot be evaluated."""


class QueryTimeout(LinkedAllianceError):
    """A query stopped because it ran past the time limit."""

    status = 503

    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        super().__init__(
            f"query stopped after the time limit of {limit_seconds:g} s; "
            "narrow it (add LIMIT, bind variables, avoid cross products)"
        )


class UnsupportedFormat(LinkedAllianceError):
    """A requested serialisation the tool does not produce or read."""

    status = 406


class BuildError(LinkedAllianceError):
    """The build failed; nothing in the output directory was changed."""


class ValidationFailed(LinkedAllianceError):
    """Data that does not conform to the shapes (carries the typed report)."""

    status = 422
