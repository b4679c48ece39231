"""`/minutes` (being built)."""

from __future__ import annotations

from handlers.builders.common import Reply
from handlers.commands.runner import CommandCall


async def handle_minutes(call: CommandCall) -> Reply | None:
    return Reply(text="/minutes is not available yet.")
