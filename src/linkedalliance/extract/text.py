"""Reading documents and splitting them into tokens and sentences.

Offsets everywhere are Python ``str`` indexes of the NFC-normalised text with LF line
ends, the same the build uses for curated evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from linkedalliance.errors import InputFileError


def normalise(text: str) -> str:
    """NFC, LF line ends.

    >>> normalise("a\\r\\nb")
    'a\\nb'
    """
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_document(path: Path | str) -> str:
    """The normalised text of a document; refuses empty, binary and non-UTF-8 files."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputFileError(p, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(p, "is a directory, not a text file") from None
    except OSError as exc:
        raise InputFileError(p, f"cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise InputFileError(p, "is empty; give a plain-text article")
    if b"\x00" in raw:
        raise InputFileError(p, "looks binary (contains NUL bytes); give a plain-text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            p, f"is not UTF-8 text (bad byte at offset {exc.start}); give a plain-text article"
        ) from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise InputFileError(p, "looks binary (control characters); give a plain-text article")
    return normalise(text)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


_TOKEN = re.compile(r"[^\W\d_]+(?:\.(?=[^\W\d_]\.))?|\d+(?:[.,]\d+)*|\S", re.UNICODE)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words, numbers and single punctuation marks (hyphens and apostrophes are tokens).

    >>> [t.text for t in tokenize("Armenian-Belarusan U.S. pacts")]
    ['Armenian', '-', 'Belarusan', 'U.', 'S', '.', 'pacts']
    """
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text)]


_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "st",
    "no",
    "vol",
    "u.s",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "co",
    "corp",
    "ltd",
    "jr",
    "sr",
}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split on line ends and on ., ! or ? followed by space and a capital or a quote,
    unless the word before is a known abbreviation or a single capital (initials)."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        chunk = para.group()
        start = 0
        for m in re.finditer(r"[.!?][”\"’)]?\s+(?=[“\"‘(A-Z0-9])", chunk):
            word = re.search(r"([\w.]+)[.!?][”\"’)]?\s+$", chunk[start : m.end()])
            w = word.group(1).lower() if word else ""
            if w in _ABBREV or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"[a-z]\.[a-z]", w):
                continue
            end = m.start() + 1 + (1 if chunk[m.start() + 1 : m.start() + 2] in '”"’)' else 0)
            _add(out, base, chunk, start, end)
            start = m.end()
        _add(out, base, chunk, start, len(chunk))
    return out


def _add(out: list[Sentence], base: int, chunk: str, start: int, end: int) -> None:
    seg = chunk[start:end]
    stripped = seg.strip()
    if not stripped:
        return
    lead = len(seg) - len(seg.lstrip())
    s = base + start + lead
    out.append(Sentence(s, s + len(stripped), stripped))
