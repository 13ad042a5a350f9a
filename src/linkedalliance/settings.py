"""Server settings: one declarative table read by the CLI, the app factory and the docs.

Each :class:`Setting` has a name, a default, a type and a help line. ``serve --setting NAME
VALUE`` and ``serve --help-settings`` read :data:`SETTINGS`; :class:`Settings` is the frozen,
typed value object :func:`linkedalliance.server.app.create_app` receives.

>>> s = Settings.from_pairs([("port", "9000"), ("query_time_limit_s", "2.5")])
>>> s.port, s.query_time_limit_s, s.host
(9000, 2.5, '127.0.0.1')
>>> Settings.from_pairs([("prot", "1")])
Traceback (most recent call last):
...
linkedalliance.settings.SettingError: unknown setting 'prot'; did you mean 'port'?
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import LinkedAllianceError
from .namespaces import DEFAULT_BASE, IriScheme

#: The project's on-disk store (the graph with merged contributions), relative to the project.
DEFAULT_DATA_DIR = Path("data")


class SettingError(LinkedAllianceError):
    """An unknown setting name or a value of the wrong type."""


def flag(text: str) -> bool:
    """A boolean setting: ``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``).

    >>> flag("true"), flag("Off"), flag("1")
    (True, False, True)
    """
    value = text.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | int | float | bool | None
    type: Callable[[str], object]
    help: str


#: The table. Order is the order of ``--help-settings``.
SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", str, "Interface to bind; the default serves this machine only."),
    Setting("port", 8000, int, "TCP port to listen on."),
    Setting(
        "base_iri",
        DEFAULT_BASE,
        str,
        "Public base IRI the data is minted under; request paths are mapped onto it.",
    ),
    Setting(
        "query_time_limit_s",
        10.0,
        float,
        "Seconds a SPARQL query may run before it is stopped (answered with 503).",
    ),
    Setting(
        "max_result_rows",
        10000,
        int,
        "Most rows (or triples) a query returns; longer results are cut and flagged truncated.",
    ),
    Setting(
        "query_workers",
        3,
        int,
        "Worker processes that run SPARQL queries (forked from one process holding the data, "
        "which they share); a runaway query blocks only one of them until the time limit "
        "(3 keeps two cores busy while one waits).",
    ),
    Setting(
        "data_dir",
        None,
        str,
        "Directory of an on-disk store, kept between restarts; unset: the store is in memory.",
    ),
    Setting("project_dir", ".", str, "Project root: ontology/ and shapes/ for contributions."),
    Setting("output_dir", "output", str, "Build output to load and to offer under /downloads/."),
    Setting("queries_dir", "queries", str, "Competency questions (cqNN.rq) for the home page."),
    Setting("write_token", None, str, "Bearer token that authorises writes; unset: no writes."),
    Setting(
        "max_contribution_bytes",
        2_000_000,
        int,
        "Largest contribution body accepted by POST /contributions (larger: 413).",
    ),
    Setting("access_log", False, flag, "Log every request (uvicorn's access log): true/false."),
    Setting(
        "lookup_cache",
        4096,
        int,
        "Rendered /id/... bodies kept in memory (LRU, dropped on every write); 0: no cache.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Typed values of :data:`SETTINGS`; build with :meth:`from_pairs` or keywords."""

    host: str = "127.0.0.1"
    port: int = 8000
    base_iri: str = DEFAULT_BASE
    query_time_limit_s: float = 10.0
    max_result_rows: int = 10000
    query_workers: int = 3
    data_dir: str | None = None
    project_dir: str = "."
    output_dir: str = "output"
    queries_dir: str = "queries"
    write_token: str | None = None
    max_contribution_bytes: int = 2_000_000
    access_log: bool = False
    lookup_cache: int = 4096

    def __post_init__(self) -> None:
        IriScheme(self.base_iri)  # raises when the base does not end with '/'
        if self.query_time_limit_s <= 0:
            raise SettingError("query_time_limit_s must be positive")
        if self.max_result_rows < 1:
            raise SettingError("max_result_rows must be at least 1")
        if self.query_workers < 1:
            raise SettingError("query_workers must be at least 1")
        if self.lookup_cache < 0:
            raise SettingError("lookup_cache must be 0 or more")

    @property
    def scheme(self) -> IriScheme:
        return IriScheme(self.base_iri)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Settings:
        """Settings from ``(name, text value)`` pairs, as ``--setting`` gives them."""
        values: dict[str, object] = {}
        for name, text in pairs:
            setting = _BY_NAME.get(name)
            if setting is None:
                close = difflib.get_close_matches(name, list(_BY_NAME), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise SettingError(f"unknown setting {name!r}{hint}")
            try:
                values[name] = setting.type(text)
            except ValueError:
                raise SettingError(
                    f"setting {name!r} needs a {getattr(setting.type, '__name__', 'value')}, "
                    f"got {text!r}"
                ) from None
        try:
            return cls(**values)  # type: ignore[arg-type]
        except ValueError as exc:
            raise SettingError(str(exc)) from None

    def with_values(self, **values: object) -> Settings:
        return replace(self, **values)  # type: ignore[arg-type]


def _shown(default: object) -> str:
    if default is None:
        return "unset"
    return str(default).lower() if isinstance(default, bool) else str(default)


def help_text() -> str:
    """The ``--help-settings`` listing."""
    width = max(len(s.name) for s in SETTINGS)
    lines = [f"  {s.name:<{width}}  {s.help} (default: {_shown(s.default)})" for s in SETTINGS]
    return "Settings (serve --setting NAME VALUE):\n" + "\n".join(lines)


def _check_table() -> None:
    names = [f.name for f in fields(Settings)]
    assert names == [s.name for s in SETTINGS], "Settings fields and SETTINGS disagree"
    for s in SETTINGS:
        assert getattr(Settings(), s.name) == s.default, s.name


_check_table()
