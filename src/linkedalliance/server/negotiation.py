"""HTTP content negotiation: one tested function, modelled on Oxigraph's.

>>> negotiate("text/turtle;q=0.9, application/ld+json", ["text/turtle", "application/ld+json"])
'application/ld+json'
>>> negotiate("text/*", ["application/ld+json", "text/turtle"])
'text/turtle'
>>> negotiate("*/*", ["text/html", "text/turtle"])
'text/html'
>>> negotiate(None, ["text/html", "text/turtle"])
'text/html'
>>> negotiate("image/png", ["text/html"]) is None
True
>>> negotiate("text/turtle;q=0, */*", ["text/turtle", "application/n-triples"])
'application/n-triples'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return self.type in ("*", t) and self.subtype in ("*", s)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped.

    >>> parse_accept("text/html;level=1;q=0.5, */*")
    [MediaRange(type='text', subtype='html', q=0.5), MediaRange(type='*', subtype='*', q=1.0)]
    """
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if media == "*":
            media = "*/*"
        t, sep, s = media.partition("/")
        if not sep or not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(t, s, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers (server order breaks ties); ``None`` when none is acceptable.

    A missing or empty ``Accept`` accepts anything. Each offer takes the q-value of the most
    specific range that matches it (RFC 9110 section 12.5.1).
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        q = max(matching, key=lambda r: r.specificity).q
        if q <= 0:
            continue
        key = (q, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def prefers_html(accept: str | None) -> bool:
    """True for browsers: ``text/html`` is asked for explicitly and wins over JSON."""
    if not accept or "text/html" not in accept.lower():
        return False
    return negotiate(accept, ["text/html", "application/json"]) == "text/html"
