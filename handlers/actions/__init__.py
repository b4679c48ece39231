"""Interactive actions, one module per feature, each exposing `register(app)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.actions import (
    actions,
    checkin,
    decisions,
    issues,
    lessons,
    minutes,
    pulse,
    requirements,
    review,
    risks,
    signoff,
)


def register(app: AsyncApp) -> None:
    actions.register(app)
    checkin.register(app)
    decisions.register(app)
    issues.register(app)
    lessons.register(app)
    minutes.register(app)
    requirements.register(app)
    pulse.register(app)
    review.register(app)
    risks.register(app)
    signoff.register(app)
