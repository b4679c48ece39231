"""Events API listeners, one module per feature, each exposing `register(app)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.events import home, threads


def register(app: AsyncApp) -> None:
    home.register(app)
    threads.register(app)
