"""Find date expressions in a text and resolve them against the publication date.

Every expression keeps the precision the text gives it: a day becomes ``xsd:date``, a
month ``xsd:gYearMonth``, a year ``xsd:gYear``. A span ("February 8-10", "between 2018 and
2022", "December 8 and 9") has a start and an end. Expressions without a year ("June 12",
"last month", "Thursday, June 13") take it from the publication date and say so
(``year_resolved``); a weekday, when given, picks the year in which that day of the month
falls on it (the publication year or the one before).

>>> from datetime import date
>>> pub = Publication.parse("2024-06-14")
>>> [(d.text, d.value, d.datatype) for d in find_dates("On Wednesday, June 12, he spoke.", pub)]
[('Wednesday, June 12', '2024-06-12', 'date')]
>>> [(d.text, d.value, d.end_value) for d in find_dates("between 2018 and 2022", pub)]
[('between 2018 and 2022', '2018', '2022')]
>>> [(d.text, d.value) for d in find_dates("an offensive last September", pub)]
[('last September', '2023-09')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from linkedalliance.errors import LinkedAllianceError


class DateFormatError(LinkedAllianceError):
    """A publication date the extractor cannot read."""


MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DASH = r"\s*[-–—]\s*"
_QUAL = r"(?:(?P<qual>[Ee]arly|[Ll]ate|[Mm]id|[Ii]n early|[Ii]n late|[Aa]t the end of|"
_QUAL += r"[Aa]t the beginning of|[Ss]ince|[Uu]ntil|[Bb]y the end of)[\s-]+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Wednesday, June 12[, 2024]
    (
        "md",
        re.compile(
            rf"\b(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?{_QUAL}(?P<m>{_MONTH_RE})\s+(?P<d1>{_DAY})"
            rf"(?:(?:{_DASH}|\s+(?P<and>and|to)\s+)(?P<d2>{_DAY}))?"
            rf"(?:,?\s+(?P<y>{_YEAR}))?(?![\d])"
        ),
    ),
    # 12 June 2024
    (
        "dm",
        re.compile(
            rf"\b{_QUAL}(?P<d1>{_DAY})(?:{_DASH}(?P<d2>{_DAY}))?\s+(?P<m>{_MONTH_RE})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?\b"
        ),
    ),
    # early September 2016, May 1999
    ("my", re.compile(rf"\b{_QUAL}(?P<m>{_MONTH_RE})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    # between 2018 and 2022, from 2018 to 2022, 2018-2022
    (
        "yy",
        re.compile(
            rf"\b(?:(?:[Bb]etween|[Ff]rom)\s+)(?P<y1>{_YEAR})\s+(?:and|to|until)\s+"
            rf"(?P<y2>{_YEAR})\b|\b(?P<y3>{_YEAR}){_DASH}(?P<y4>{_YEAR}|\d\d)\b"
        ),
    ),
    # last year, last month, last week, last September, this year, early this year
    (
        "rel",
        re.compile(
            rf"\b{_QUAL}(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+"
            rf"(?P<unit>year|month|week|{_MONTH_RE}|{_WEEKDAY_RE})\b"
        ),
    ),
    # the previous day / yesterday
    ("prev", re.compile(r"\b(?P<prev>[Yy]esterday|the previous day|the day before)\b")),
    # at the time (of the date just mentioned)
    ("same", re.compile(r"\b(?P<same>at the time)\b(?! of\b)")),
    # only now, just now: the time of writing
    ("now", re.compile(r"\b(?P<now>(?:[Oo]nly|[Jj]ust|[Rr]ight|[Ee]ven) now)\b")),
    # later (than the date just mentioned, before publication); not "two years later"
    (
        "later",
        re.compile(
            r"(?<!\d )(?<!years )(?<!months )(?<!weeks )(?<!days )\b(?P<later>later)\b"
            r"(?!\s+(?:than|that|this|in|on)\b)"
        ),
    ),
    # end of June (no year)
    (
        "m",
        re.compile(
            r"\b(?P<qual>[Ee]arly|[Ll]ate|[Mm]id|[Aa]t the end of|[Aa]t the beginning of|"
            r"[Ee]nd of|[Ii]n|[Ss]ince|[Bb]y)[\s-]+(?P<m>January|February|March|April|May|"
            r"June|July|August|September|October|November|December)\b(?![\s,]+(?:\d))"
        ),
    ),
    # in 1999, since 1991, a 2020 war
    ("y", re.compile(rf"\b{_QUAL}(?P<y>{_YEAR})\b(?![-–]\d)")),
]


@dataclass(frozen=True)
class Publication:
    """The publication date of a document, at the precision known."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> Publication:
        """Read ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

        >>> Publication.parse("2024-06")
        Publication(year=2024, month=6, day=None)
        """
        m = re.fullmatch(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*", text or "")
        if not m:
            raise DateFormatError(
                f"unknown date format {text!r} for the publication date; "
                "use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-06-14)"
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        try:
            date(year, month or 1, day or 1)
        except ValueError as exc:
            raise DateFormatError(f"invalid publication date {text!r}: {exc}") from None
        return cls(year, month, day)

    @property
    def approx(self) -> date:
        """A day to compute relative dates from (the middle of what is known)."""
        return date(self.year, self.month or 7, self.day or 15)

    def lexical(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression; ``value``/``end_value`` are XSD lexical forms."""

    start: int
    end: int
    text: str
    value: str
    datatype: str  # "date", "gYearMonth" or "gYear"
    end_value: str | None = None
    qualifier: str | None = None
    year_resolved: bool = False
    relative: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_span(self) -> bool:
        return self.end_value is not None


def _lex(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    if month is None:
        return f"{year:04d}", "gYear"
    if day is None:
        return f"{year:04d}-{month:02d}", "gYearMonth"
    return f"{year:04d}-{month:02d}-{day:02d}", "date"


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _day(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _qual(m: re.Match[str]) -> str | None:
    q = m.groupdict().get("qual")
    if not q:
        return None
    q = q.lower()
    if q.startswith("in "):
        q = q[3:]
    return q.strip()


def _pick_year(pub: Publication, month: int, day: int | None, weekday: str | None) -> int:
    """Year of a month(-day) written without one: the publication year, unless a weekday
    says otherwise or the date would lie well after publication (then the year before)."""
    year = pub.year
    if weekday and day:
        want = WEEKDAYS[weekday.lower()]
        for cand in (pub.year, pub.year - 1, pub.year + 1):
            try:
                if date(cand, month, day).weekday() == want:
                    return cand
            except ValueError:
                continue
    if pub.month is not None and month > pub.month + 2:
        year -= 1
    return year


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _resolve_md(m: re.Match[str], pub: Publication) -> DateMention | None:
    month = _month(m.group("m"))
    d1 = _day(m.group("d1"))
    d2 = _day(m.group("d2")) if m.group("d2") else None
    wd = m.groupdict().get("wd")
    if m.group("y"):
        year, resolved = int(m.group("y")), False
    else:
        year, resolved = _pick_year(pub, month, d1, wd), True
    if not _valid(year, month, d1) or (d2 is not None and not _valid(year, month, d2)):
        return None
    value, dt = _lex(year, month, d1)
    end_value = _lex(year, month, d2)[0] if d2 is not None and d2 > d1 else None
    return DateMention(m.start(), m.end(), m.group(0), value, dt, end_value, _qual(m), resolved)


def _resolve_relative(m: re.Match[str], pub: Publication) -> DateMention | None:
    rel = m.group("rel").lower()
    unit = m.group("unit").lower().rstrip(".")
    base = pub.approx
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        value, dt = _lex(pub.year + shift)
    elif unit == "month":
        if pub.month is None:
            return None
        y, mo = divmod(pub.year * 12 + pub.month - 1 + shift, 12)
        value, dt = _lex(y, mo + 1)
    elif unit == "week":
        if pub.day is None:
            return None
        d = base + timedelta(weeks=shift)
        monday = d - timedelta(days=d.weekday())
        sunday = monday + timedelta(days=6)
        return DateMention(
            m.start(),
            m.end(),
            m.group(0),
            monday.isoformat(),
            "date",
            sunday.isoformat(),
            _qual(m),
            True,
            True,
        )
    elif unit in WEEKDAYS:
        if pub.day is None:
            return None
        delta = (base.weekday() - WEEKDAYS[unit]) % 7 or 7
        d = base - timedelta(days=delta) if shift <= 0 else base + timedelta(days=(7 - delta))
        value, dt = d.isoformat(), "date"
    else:
        month = _month(unit)
        year = pub.year
        pub_month = pub.month or 12
        if shift < 0 and month >= pub_month:
            year -= 1
        elif shift > 0 and month <= pub_month:
            year += 1
        value, dt = _lex(year, month)
    return DateMention(m.start(), m.end(), m.group(0), value, dt, None, _qual(m), True, True)


def _resolve(kind: str, m: re.Match[str], pub: Publication) -> DateMention | None:
    if kind in ("md", "dm"):
        return _resolve_md(m, pub)
    if kind == "my":
        value, dt = _lex(int(m.group("y")), _month(m.group("m")))
        return DateMention(m.start(), m.end(), m.group(0), value, dt, None, _qual(m))
    if kind == "yy":
        y1 = m.group("y1") or m.group("y3")
        y2 = m.group("y2") or m.group("y4")
        if len(y2) == 2:
            y2 = y1[:2] + y2
        if int(y2) <= int(y1):
            return None
        return DateMention(m.start(), m.end(), m.group(0), y1, "gYear", y2)
    if kind == "rel":
        return _resolve_relative(m, pub)
    if kind == "prev":
        return None  # resolved against a neighbouring date by resolve_anaphora()
    if kind == "m":
        q = m.group("qual").lower()
        month = _month(m.group("m"))
        year = _pick_year(pub, month, None, None)
        value, dt = _lex(year, month)
        qual = None if q in ("in", "by") else q.replace("at the ", "")
        return DateMention(m.start(), m.end(), m.group(0), value, dt, None, qual, True)
    if kind == "y":
        value, dt = _lex(int(m.group("y")))
        return DateMention(m.start(), m.end(), m.group(0), value, dt, None, _qual(m))
    return None


def find_dates(text: str, pub: Publication) -> list[DateMention]:
    """All date expressions of ``text``, left to right, without overlaps (longest wins)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    prev_spans: list[re.Match[str]] = []
    deictic: list[tuple[str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind in ("now", "later"):
                deictic.append((kind, m))
                taken.append((m.start(), m.end()))
                continue
            if kind in ("prev", "same"):
                prev_spans.append(m)
                taken.append((m.start(), m.end()))
                continue
            if kind == "y" and _looks_like_number(text, m):
                continue
            dm = _resolve(kind, m, pub)
            if dm is None:
                continue
            found.append(dm)
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: (d.start, d.end))
    for m in prev_spans:
        want_day = m.lastgroup != "same"
        earlier = [
            d for d in found if d.end <= m.start() and (d.datatype == "date" or not want_day)
        ]
        later = [d for d in found if d.start >= m.end() and d.datatype == "date" and want_day]
        anchor = later[0] if later and later[0].start - m.end() < 40 else None
        if anchor is None and earlier:
            anchor = earlier[-1]
        if anchor is None:
            continue
        if m.lastgroup == "same":
            found.append(
                DateMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    anchor.value,
                    anchor.datatype,
                    anchor.end_value,
                    None,
                    anchor.year_resolved,
                    True,
                )
            )
            continue
        day = date.fromisoformat(anchor.value) - timedelta(days=1)
        found.append(
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                day.isoformat(),
                "date",
                None,
                None,
                anchor.year_resolved,
                True,
            )
        )
    found.sort(key=lambda d: (d.start, d.end))
    for kind, m in deictic:
        dm = _resolve_now(m, found, pub) if kind == "now" else _resolve_later(m, found, pub)
        if dm is not None:
            found.append(dm)
    found.sort(key=lambda d: (d.start, d.end))
    return found


def _resolve_now(
    m: re.Match[str], found: list[DateMention], pub: Publication
) -> DateMention | None:
    """ "only now": the time of writing, the publication date at its precision. When
    the publication date gives only a year, the month of the latest date of that year
    the text reports stands in (a report is written just after what it reports)."""
    if pub.month is not None:
        value, dt = _lex(pub.year, pub.month, pub.day)
        return DateMention(m.start(), m.end(), m.group(0), value, dt, None, None, False, True)
    months = [
        (d.end_value or d.value)[:7]
        for d in found
        if (d.end_value or d.value).startswith(f"{pub.year:04d}-")
    ]
    if not months:
        value, dt = _lex(pub.year)
        return DateMention(m.start(), m.end(), m.group(0), value, dt, None, None, False, True)
    y, mo = max(months).split("-")
    value, dt = _lex(int(y), int(mo))
    return DateMention(m.start(), m.end(), m.group(0), value, dt, None, None, True, True)


def _resolve_later(
    m: re.Match[str], found: list[DateMention], pub: Publication
) -> DateMention | None:
    """ "later": after the date last mentioned and before publication, at the finest
    precision the two share (the same month: that month; the same year: that year);
    nothing when they share no year."""
    earlier = [d for d in found if d.end <= m.start() and not d.is_span]
    if not earlier:
        return None
    anchor = earlier[-1].value
    pub_lex = pub.lexical()
    if anchor[:7] == pub_lex[:7] and len(anchor) >= 7 and len(pub_lex) >= 7:
        value, dt = anchor[:7], "gYearMonth"
    elif anchor[:4] == pub_lex[:4]:
        value, dt = anchor[:4], "gYear"
    else:
        return None
    return DateMention(
        m.start(), m.end(), m.group(0), value, dt, None, None, earlier[-1].year_resolved, True
    )


def _looks_like_number(text: str, m: re.Match[str]) -> bool:
    """A four-digit number that is not a year: an amount, a street number, a phone."""
    before = text[max(0, m.start() - 2) : m.start()]
    after = text[m.end() : m.end() + 2]
    if re.search(r"[$€£\d,.:/-]$", before) and not before.endswith("-"):
        return True
    if before.endswith("-") and re.search(r"\d-$", before):
        return True
    if re.match(r"\s*(?:km|mi|people|troops|[A-Z]{2}\b|\d)", after):
        return True
    # a name with a year ("ADEX-2016") is not a date of the text
    return bool(re.search(r"[A-Z]-$", before))
