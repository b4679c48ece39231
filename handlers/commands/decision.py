"""`/decision` (being built)."""

from __future__ import annotations

from handlers.builders.common import Reply
from handlers.commands.runner import CommandCall


async def handle_decision(call: CommandCall) -> Reply | None:
    return Reply(text="/decision is not available yet.")
