"""`/milestone add|list|show|done|slip|criteria|accept`."""

from __future__ import annotations

from datetime import date

from bot.commands import MILESTONE
from bot.domain import channels, signoff
from bot.domain import milestones as domain
from bot.domain.records import ref_of, require
from bot.domain.risks import open_high_risk_count
from bot.domain.when import date_order_of
from bot.i18n import normalise_lang, t
from bot.policy import Action
from bot.timeexpr import render_date
from handlers.actions.signoff import post_version
from handlers.builders.common import Reply, section
from handlers.builders.milestones import build_milestone_detail, build_milestone_list, build_milestone_saved
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from storage.models import Milestone


def _today(call: CommandCall) -> date:
    return domain.today_in(require_project(call).tz, call.svc.clock())


async def _saved_reply(call: CommandCall, milestone: Milestone, message: str) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
    status = domain.status_of(milestone, today=_today(call), open_high_risks=high)
    return build_milestone_saved(milestone, status, call.lang, message=message, team_view=call.team_view)


@subcommand(MILESTONE, "add")
async def _add(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = await domain.read_new_milestone(
        parsed,
        now=call.svc.clock(),
        tz=project.tz,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_milestone(session, actor, draft, request_key=call.request_key)
    key = "milestone.repeated" if saved.repeated else "milestone.created"
    return await _saved_reply(call, saved.milestone, t(key, call.lang, ref=ref_of(saved.milestone)))


@subcommand(MILESTONE, "list")
async def _list(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    open_only = domain.read_list(parsed)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
        found = await domain.list_milestones(
            session, actor, open_only=open_only, today=_today(call), open_high_risks=high
        )
    return build_milestone_list(found, call.lang, open_only=open_only)


@subcommand(MILESTONE, "show")
async def _show(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_show(parsed)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
        detail = await domain.milestone_detail(session, actor, ref, today=_today(call), open_high_risks=high)
    return build_milestone_detail(detail, call.lang, tz=project.tz, team_view=call.team_view)


@subcommand(MILESTONE, "done")
async def _done(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DONE_EXAMPLE)
    ref = domain.read_done(parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.mark_done(session, actor, ref, today=_today(call), request_key=call.request_key)
    key = "milestone.repeated" if saved.repeated else "milestone.done"
    return await _saved_reply(call, saved.milestone, t(key, call.lang, ref=ref_of(saved.milestone)))


@subcommand(MILESTONE, "slip")
async def _slip(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.SLIP_EXAMPLE)
    slip = await domain.read_slip(
        parsed,
        now=call.svc.clock(),
        tz=project.tz,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    async with call.svc.sessions.begin() as session:
        saved = await domain.slip_milestone(session, actor, slip, request_key=call.request_key)
    ref, before = ref_of(saved.milestone), saved.before
    if saved.repeated or before is None:
        message = t("milestone.repeated", call.lang, ref=ref)
    else:
        message = t(
            "milestone.slipped",
            call.lang,
            ref=ref,
            to=render_date(saved.milestone.forecast_on, call.lang),
            before=render_date(before, call.lang),
        )
    return await _saved_reply(call, saved.milestone, message)


@subcommand(MILESTONE, "criteria")
async def _criteria(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.CRITERIA_EXAMPLE)
    ref, criteria = domain.read_criteria(parsed.raw)
    async with call.svc.sessions.begin() as session:
        saved = await domain.set_criteria(session, actor, ref, criteria, request_key=call.request_key)
    message = t("milestone.criteria_set", call.lang, ref=ref_of(saved.milestone), count=len(criteria))
    return await _saved_reply(call, saved.milestone, message)


@subcommand(MILESTONE, "accept")
async def _accept(call: CommandCall) -> Reply | None:
    parsed = call.parsed
    """Send the milestone and its criteria to the client channel for acceptance (the client's word)."""
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.ACCEPT_EXAMPLE)
    ref = domain.read_accept(parsed)
    lang = normalise_lang(project.lang)  # the client reads it in the project's language
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return None  # a retried request: the first one answered
        subject = await domain.acceptance_subject(session, actor, ref, lang=lang)
        requested = await signoff.request(
            session, actor, subject, example=domain.ACCEPT_EXAMPLE, now=call.svc.clock()
        )
        shown_ref = ref_of(subject.record)
        ts = await post_version(call.client, requested, shown_ref, lang=lang, tz=project.tz)
        await signoff.posted(session, signoff_id=int(requested.row.id or 0), message_ts=ts)
    message = t(
        "signoff.sent", call.lang, ref=shown_ref, version=requested.row.version, channel=requested.channel_id
    )
    return Reply(text=message, blocks=[section(message)])
