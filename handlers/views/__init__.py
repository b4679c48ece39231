"""Interactive views, one module per feature, each exposing `register(app)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.views import (
    actions,
    change,
    checkin,
    closed,
    issues,
    lessons,
    minutes,
    pulse,
    review,
    risks,
    signoff,
)


def register(app: AsyncApp) -> None:
    actions.register(app)
    change.register(app)
    checkin.register(app)
    closed.register(app)
    issues.register(app)
    lessons.register(app)
    minutes.register(app)
    pulse.register(app)
    review.register(app)
    risks.register(app)
    signoff.register(app)
