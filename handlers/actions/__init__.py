"""Interactive actions, one module per feature, each exposing `register(app)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.actions import minutes, risks


def register(app: AsyncApp) -> None:
    minutes.register(app)
    risks.register(app)
