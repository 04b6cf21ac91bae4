"""A test-only server app for the lost-answer test (issue 5 §5; R11): the whole Almanac server
(``server_app.make_app``), except that the first POST to the path named by the
``LOSE_ANSWER_TO`` environment variable is carried out to the end — the record committed —
and then the process dies before a byte of the answer is sent: the browser sees the
connection drop, as when an answer is lost on the way back."""

from __future__ import annotations

import os
from typing import Any

from server_app import make_app as make_server_app

Scope = dict[str, Any]


class LoseFirstAnswer:
    def __init__(self, app: Any, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        hit = scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == self.path
        if not hit:
            await self.app(scope, receive, send)
            return

        async def swallow(message: dict[str, Any]) -> None:
            """The answer goes nowhere."""

        await self.app(scope, receive, swallow)  # the record is committed here
        os._exit(0)  # gone before answering: the connection drops


def make_app() -> Any:
    return LoseFirstAnswer(make_server_app(), os.environ["LOSE_ANSWER_TO"])
