"""`/liaison help`."""

from __future__ import annotations

from bot.commands import LIAISON, REGISTRY
from handlers.builders.common import Reply
from handlers.builders.help import build_help
from handlers.commands.runner import CommandCall, subcommand


@subcommand(LIAISON, "help")
async def _help(call: CommandCall) -> Reply:
    return build_help(REGISTRY, call.lang)
