"""`/project setup|info|client-channel|settings`."""

from __future__ import annotations

from bot.commands import PROJECT
from bot.domain import channels, closing
from bot.domain import projects as domain
from bot.errors import UsageError
from bot.i18n import normalise_lang
from bot.mrkdwn import bold
from bot.policy import Audience, audience
from handlers.builders.common import Reply
from handlers.builders.project import build_notice, build_project_info, build_project_saved
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.panel import post_panel


@subcommand(PROJECT, "setup")
async def _setup(call: CommandCall) -> Reply:
    setup = domain.read_setup(call.parsed, default_lang=call.where.lang)
    async with call.svc.sessions.begin() as session:
        outcome = await domain.setup_project(
            session,
            viewer=call.where.viewer,
            place=call.where.place,
            workspace_id=call.where.workspace_id,
            setup=setup,
        )
    return build_project_saved(outcome.project, normalise_lang(outcome.project.lang), created=outcome.created)


@subcommand(PROJECT, "settings")
async def _settings(call: CommandCall) -> Reply:
    project = require_project(call)
    assert project.id is not None
    changes = domain.read_settings(call.parsed)
    async with call.svc.sessions.begin() as session:
        fresh = await channels.fresh_project(session, project_id=project.id)
        assert fresh is not None
        updated = await domain.change_settings(
            session, viewer=call.where.viewer, place=call.where.place, project=fresh, changes=changes
        )
    return build_project_saved(updated, normalise_lang(updated.lang), created=False)


@subcommand(PROJECT, "info")
async def _info(call: CommandCall) -> Reply:
    project = require_project(call)
    assert project.id is not None
    async with call.svc.sessions.begin() as session:
        bound = await channels.list_channels(session, project_id=project.id)
    team_view = audience(call.where.viewer, call.where.place) is Audience.TEAM
    return build_project_info(project, bound, call.lang, team_view=team_view)


@subcommand(PROJECT, "client-channel")
async def _client_channel(call: CommandCall) -> Reply:
    where = call.where
    if where.binding is not None:
        if where.binding.channel.role == channels.CLIENT:
            return build_notice("project.client_already", call.lang, name=bold(where.binding.project.name))
        raise UsageError("project.is_internal_here", "cmd.project.client_channel.example")
    async with call.svc.sessions.begin() as session:
        project = await channels.target_project(
            session,
            workspace_id=where.workspace_id,
            channel_ids=call.parsed.channels,
            wanted=call.parsed.opt("project"),
        )
    facts = await call.svc.channels.facts(call.client, where.place.channel_id, fresh=True)
    async with call.svc.sessions.begin() as session:
        await domain.bind_client_channel(
            session,
            viewer=where.viewer,
            place=where.place,
            workspace_id=where.workspace_id,
            project=project,
            is_ext_shared=facts.shared and facts.known,
        )
    lang = normalise_lang(project.lang)
    reply = build_notice("project.client_bound", lang, name=bold(project.name))
    if not (facts.shared and facts.known):
        reply.blocks.append(build_notice("project.client_bound_not_shared", lang).blocks[0])
    await post_panel(call.client, project, where.place.channel_id)
    return reply


@subcommand(PROJECT, "panel")
async def _panel(call: CommandCall) -> Reply:
    """The client channel's panel again (its buttons are how a client in Slack Connect acts)."""
    binding = call.where.binding
    if binding is None or binding.channel.role != channels.CLIENT:
        raise UsageError("panel.not_client_channel", "cmd.project.client_channel.example")
    if not await post_panel(call.client, binding.project, call.where.place.channel_id):
        raise UsageError("panel.failed")
    return build_notice("panel.posted", call.lang)


@subcommand(PROJECT, "reopen")
async def _reopen(call: CommandCall) -> Reply:
    """Undo archiving (team only): records writable again, the schedules archiving paused running again."""
    project = require_project(call)
    assert project.id is not None
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        resumed = await closing.archived_schedule_ids(session, project_id=project.id)
        await closing.reopen(session, actor, now=call.svc.clock())
    for schedule_id in resumed:
        await call.svc.runner.schedule(schedule_id)
    return build_notice("project.reopened", call.lang, project=project.name, count=str(len(resumed)))
