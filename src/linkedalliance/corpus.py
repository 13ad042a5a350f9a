"""The corpus: source documents in ``seeds/`` and the curated facts beside them.

A document is ``seeds/<id>.txt``; its curation is ``seeds/<id>.ttl``; things the facts talk
about are described once in ``seeds/entities.ttl``. Texts are normalised (NFC, LF line
ends) before anything counts offsets in them, and the SHA-256 of the normalised text is
published so that a reader can check the offsets refer to the same characters.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError, InputFileError

ENTITIES_FILE = "entities.ttl"


def normalise_text(raw: str) -> str:
    """The text offsets refer to: NFC, with CRLF and CR turned into LF.

    >>> normalise_text("Cafe\\u0301\\r\\nx")
    'Café\\nx'
    """
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Document:
    """One source document: its id (the file stem), normalised text and curation file."""

    doc_id: str
    text: str
    text_path: Path
    curation_path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    entities_path: Path

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise CorpusError(f"no document {doc_id!r} in the corpus")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from None
    try:
        return normalise_text(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path, f"not UTF-8 text (byte {exc.start}); save the document as UTF-8"
        ) from None


def load_corpus(seeds_dir: Path) -> Corpus:
    """Pair every ``<id>.txt`` with its ``<id>.ttl``; refuse a corpus with loose ends."""
    if not seeds_dir.is_dir():
        raise InputFileError(seeds_dir, "seeds directory not found")
    texts = {p.stem: p for p in sorted(seeds_dir.glob("*.txt"))}
    curations = {p.stem: p for p in sorted(seeds_dir.glob("*.ttl")) if p.name != ENTITIES_FILE}
    if not texts:
        raise CorpusError(f"{seeds_dir}: no documents (*.txt) to build from")
    uncurated = sorted(set(texts) - set(curations))
    if uncurated:
        raise CorpusError(
            f"{seeds_dir}: document(s) without curated facts: "
            + ", ".join(f"{d}.txt" for d in uncurated)
            + f" (add {uncurated[0]}.ttl; see seeds/README.md)"
        )
    orphans = sorted(set(curations) - set(texts))
    if orphans:
        raise CorpusError(
            f"{seeds_dir}: curation without its document: " + ", ".join(f"{d}.ttl" for d in orphans)
        )
    entities = seeds_dir / ENTITIES_FILE
    if not entities.is_file():
        raise CorpusError(f"{entities}: missing (entities the facts refer to are described there)")
    docs = tuple(
        Document(doc_id=stem, text=read_text(path), text_path=path, curation_path=curations[stem])
        for stem, path in texts.items()
    )
    return Corpus(documents=docs, entities_path=entities)
