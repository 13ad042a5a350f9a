"""A response cache in front of the app for linked-data look-ups (``GET /id/...``).

The look-up answer of a resource depends only on the request's path, method, ``Accept``
and ``Origin`` headers (CORS) and on the data, so a whole answer (status line, headers,
body) recorded from the app is replayed as is to the next identical request, without
routing, middleware or negotiation. Only ``200`` answers that are not HTML pages are kept
(pages render absolute URLs from the request). Entries are valid for one
:attr:`~linkedalliance.store.Store.generation`: every write (build load, contribution merge
or revert) drops the whole cache, and an answer rendered while a write happened is never
kept for the new data.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store import Store

Key = tuple[str, str, bytes, bytes]


class ReplayCache:
    """ASGI middleware: least-recently-used replay of look-up answers (see module doc)."""

    def __init__(
        self, app: ASGIApp, store: Store, size: int, prefixes: tuple[str, ...] = ("/id/",)
    ) -> None:
        self.app = app
        self.store = store
        self.size = size
        self.prefixes = prefixes
        self.generation = -1
        self._entries: OrderedDict[Key, tuple[int, list[Any], bytes]] = OrderedDict()
        self.hits = self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.size <= 0
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["query_string"]
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        accept = origin = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"origin":
                origin = value
        key: Key = (scope["method"], scope["path"], accept, origin)
        generation = self.store.generation
        if generation != self.generation:
            self._entries.clear()
            self.generation = generation
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        messages: list[Message] = []

        async def record(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, record)
        self._keep(key, generation, messages)

    def _keep(self, key: Key, generation: int, messages: list[Message]) -> None:
        if generation != self.generation or generation != self.store.generation:
            return  # the data changed while this answer was rendered
        if len(messages) != 2:
            return
        start, body = messages
        if (
            start.get("type") != "http.response.start"
            or start.get("status") != 200
            or body.get("type") != "http.response.body"
            or body.get("more_body", False)
        ):
            return
        headers = list(start.get("headers", []))
        for name, value in headers:
            if bytes(name).lower() == b"content-type" and bytes(value).startswith(b"text/html"):
                return
        self._entries[key] = (200, headers, bytes(body.get("body", b"")))
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
