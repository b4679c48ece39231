"""`/liaison help`."""

from __future__ import annotations

from bot.commands import REGISTRY
from handlers.builders.common import Reply
from handlers.builders.help import build_help
from handlers.commands.runner import CommandCall


async def handle_liaison(call: CommandCall) -> Reply:
    return build_help(REGISTRY, call.lang)
