"""`/liaison help`: the overview, one command's details (`/liaison help risk`), or, where the client reads and
for the client, what the client can do there."""

from __future__ import annotations

from bot.commands import LIAISON, REGISTRY
from bot.errors import UsageError
from bot.policy import Audience, audience
from handlers.builders.common import Reply
from handlers.builders.help import build_client_help, build_command_help, build_help
from handlers.commands.runner import CommandCall, subcommand


@subcommand(LIAISON, "help")
async def _help(call: CommandCall) -> Reply:
    where = call.where
    if audience(where.viewer, where.place) is Audience.CLIENT:
        return build_client_help(call.lang, team_member=not where.viewer.is_external)
    word = call.parsed.text.split()[0] if call.parsed.text.split() else ""
    if not word:
        return build_help(REGISTRY, call.lang)
    spec = REGISTRY.get("/" + word.lstrip("/").lower())
    if spec is None:
        commands = ("、" if call.lang == "zh" else ", ").join(f"`{name.lstrip('/')}`" for name in REGISTRY)
        raise UsageError("help.unknown_command", "help.details.example", word=word[:40], commands=commands)
    return build_command_help(spec, call.lang)
