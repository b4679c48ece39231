"""`/project setup|info|client-channel|settings|panel|reopen|close`."""

from __future__ import annotations

from bot.commands import PROJECT
from bot.domain import channels, closeout, closing, signoff
from bot.domain import projects as domain
from bot.domain.digest import DigestAudience, Lens, lens_for
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import normalise_lang, t
from bot.mrkdwn import bold, escape
from bot.policy import Audience, Place, audience
from handlers.actions.signoff import post_version
from handlers.builders.closeout import build_preview
from handlers.builders.common import Reply, section
from handlers.builders.project import build_notice, build_project_info, build_project_saved
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.jobs.closeout import after_reply, attach_to_signoff, start_closing
from handlers.panel import post_panel
from storage.models import Project


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


# ---- /project close: the close-out report (结项报告) ------------------------------------------------------


def _said(text: str) -> Reply:
    return Reply(text=text, blocks=[section(text)])


@subcommand(PROJECT, "close")
async def _close(call: CommandCall) -> Reply | None:
    """Preview the report and start closing; `send` it for the client's final acceptance; `confirm` (the lead)."""
    project = require_project(call)
    actor = actor_of(call)
    closeout.require_team(actor)
    word = closeout.read_close(call.parsed)
    if word == closeout.CONFIRM:
        return await _close_confirm(call, actor)
    if word == closeout.SEND:
        return await _close_send(call, project, actor)
    return await _close_preview(call, project, actor)


async def _close_preview(call: CommandCall, project: Project, actor: Actor) -> Reply:
    assert project.id is not None
    now = call.svc.clock()
    async with call.svc.sessions.begin() as session:
        team_channel = await signoff.internal_channel_of(session, project.id)
        here = Lens(target=call.where.place, viewer=call.where.viewer, here=call.where.place)
        preview = await closeout.compose_for(session, project, here, now=now)
        internal = None
        if team_channel is not None:
            lens = Lens(target=Place(channel_id=team_channel, shared=False))
            internal = await closeout.compose_for(session, project, lens, now=now)
        started = await closeout.start_closing(session, actor, project, now=now)
    notes: list[str] = []
    if started:
        notes.append(t("closeout.preview.forms", call.lang))
    if team_channel is not None:
        notes.append(t("closeout.preview.files", call.lang, channel=team_channel))
    asker = (call.where.viewer.user_id, call.where.place.channel_id, call.lang)
    after_reply(
        call.svc,
        start_closing(
            call.svc,
            call.client,
            project,
            forms=started,
            report=internal,
            team_channel=team_channel,
            asker=asker,
        ),
    )
    return build_preview(preview, call.lang, notes=notes)


async def _close_send(call: CommandCall, project: Project, actor: Actor) -> Reply | None:
    """The client version, as version N+1 of the report, into the client channel with the sign-off buttons."""
    assert project.id is not None
    lang = normalise_lang(project.lang)  # the client reads it in the project's language
    now = call.svc.clock()
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return None  # a retried request: the first one answered
        client_channel = await signoff.client_channel_of(session, project.id)
        if client_channel is None:
            raise UsageError("signoff.no_client_channel", "cmd.project.client_channel.example")
        lens = lens_for(
            DigestAudience.CLIENT, Place(channel_id=client_channel, shared=True, client_channel=True)
        )
        report = await closeout.compose_for(session, project, lens, now=now)
        subject = await closeout.report_subject(session, actor, report)
        requested = await signoff.request(session, actor, subject, example=closeout.SEND_EXAMPLE, now=now)
        name = subject.record.title
        ts = await post_version(call.client, requested, name, lang=lang, tz=project.tz)
        await signoff.posted(session, signoff_id=int(requested.row.id or 0), message_ts=ts)
    version = requested.row.version
    asker = (call.where.viewer.user_id, call.where.place.channel_id, call.lang)
    after_reply(
        call.svc,
        attach_to_signoff(
            call.client, report, channel_id=requested.channel_id, ts=ts, version=version, asker=asker
        ),
    )
    message = t("signoff.sent", call.lang, ref=name, version=version, channel=requested.channel_id)
    return _said(message + "\n" + t("closeout.sent_files", call.lang))


async def _close_confirm(call: CommandCall, actor: Actor) -> Reply:
    """The lead archives without the client's word."""
    async with call.svc.sessions.begin() as session:
        project = await closeout.confirm(session, actor, now=call.svc.clock())
        assert project.id is not None
        paused = await closing.archived_schedule_ids(session, project_id=project.id)
    return _said(t("closeout.confirmed", call.lang, project=bold(escape(project.name)), count=len(paused)))
