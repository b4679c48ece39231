"""`/risk` (being built)."""

from __future__ import annotations

from handlers.builders.common import Reply
from handlers.commands.runner import CommandCall


async def handle_risk(call: CommandCall) -> Reply | None:
    return Reply(text="/risk is not available yet.")
