"""What every handler reads: the per-app state object (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from starlette.requests import Request

from ..errors import LinkedAllianceError
from ..querypool import QueryRunner
from ..settings import Settings
from ..store import Store
from .urls import Urls


class NotFound(LinkedAllianceError):
    """No resource with this IRI or path."""

    status = 404


class MethodRefused(LinkedAllianceError):
    """A request this server does not accept (unsupported media type and the like)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class AppState:
    store: Store
    settings: Settings
    urls: Urls
    runner: QueryRunner
    templates: Environment
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def output_dir(self) -> Path:
        return Path(self.settings.output_dir)


def state(request: Request) -> AppState:
    app_state: AppState = request.app.state.la
    return app_state
