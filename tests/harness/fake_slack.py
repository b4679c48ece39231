"""The fake Slack Web API now lives in the package (`bot.playground.standin`) so `liaison playground` can use it."""

from bot.playground.standin import *  # noqa: F403
from bot.playground.standin import (
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_TEXT,
    MAX_RESPONSE_URL_USES,
    MAX_VIEW_BLOCKS,
    Call,
    FakeSlack,
    Surface,
    validate_blocks,
    validate_view,
)

__all__ = [
    "MAX_MESSAGE_BLOCKS",
    "MAX_MESSAGE_TEXT",
    "MAX_RESPONSE_URL_USES",
    "MAX_VIEW_BLOCKS",
    "Call",
    "FakeSlack",
    "Surface",
    "validate_blocks",
    "validate_view",
]
