"""`/liaison help`: the overview, one command's details (`/liaison help risk`), or, where the client reads and
for the client, what the client can do there. `/liaison export` uploads the project's records as files into
the conversation; `/liaison search` finds records by words. Both show what the policy lets this viewer see
here: in a client-facing place, or for a client, only client records and client fields."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError

from bot.commands import LIAISON, REGISTRY
from bot.domain import export as exports
from bot.domain import search as searching
from bot.domain.records import require
from bot.errors import UsageError
from bot.policy import Action, Audience, audience
from handlers.builders.common import Reply
from handlers.builders.export import (
    build_export_empty,
    build_export_uploaded,
    build_upload_failed,
    upload_comment,
)
from handlers.builders.help import build_client_help, build_command_help, build_help
from handlers.builders.search import build_search_results
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand

log = logging.getLogger(__name__)


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


@subcommand(LIAISON, "export")
async def _export(call: CommandCall) -> Reply:
    request = exports.read_request(call.parsed.text)
    project = require_project(call)
    require(actor_of(call), Action.READ, exports.EXAMPLE)
    where = call.where
    async with call.svc.sessions() as session:
        export = await exports.compose(
            session, project=project, kinds=request.kinds, viewer=where.viewer, place=where.place
        )
    if export.empty:
        return build_export_empty(export, call.lang)
    stem = exports.file_stem(project, call.svc.clock())
    files = await asyncio.to_thread(exports.render, export, request.fmt, stem=stem, title=project.name)
    try:
        await call.client.files_upload_v2(
            channel=where.place.channel_id,
            file_uploads=[{"content": f.content, "filename": f.filename, "title": f.filename} for f in files],
            initial_comment=upload_comment(export, call.lang, team=call.team_view),
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "unknown_error")
        log.info("export upload into %s failed: %s", where.place.channel_id, error)
        return build_upload_failed(error, call.lang)
    return build_export_uploaded(export, len(files), call.lang)


@subcommand(LIAISON, "search")
async def _search(call: CommandCall) -> Reply:
    words = searching.read_words(call.parsed.text)
    project = require_project(call)
    require(actor_of(call), Action.READ, searching.EXAMPLE)
    async with call.svc.sessions() as session:
        found = await searching.search(
            session, project=project, viewer=call.where.viewer, place=call.where.place, words=words
        )
    return build_search_results(found, project.name, call.lang)
