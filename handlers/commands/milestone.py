"""`/milestone add|list|show|done|slip`."""

from __future__ import annotations

from datetime import date

from bot.domain import milestones as domain
from bot.domain.records import ref_of, require
from bot.domain.risks import open_high_risk_count
from bot.grammar import ParsedCommand
from bot.i18n import t
from bot.mrkdwn import escape
from bot.policy import Action, shows_internal_fields
from handlers.builders.common import Reply
from handlers.builders.milestones import build_milestone_detail, build_milestone_list, build_milestone_saved
from handlers.commands.runner import CommandCall, actor_of, require_project
from storage.models import Milestone


async def handle_milestone(call: CommandCall) -> Reply | None:
    parsed = call.parsed
    sub = parsed.sub.name
    if sub == "add":
        return await _add(call, parsed)
    if sub == "show":
        return await _show(call, parsed)
    if sub == "done":
        return await _done(call, parsed)
    if sub == "slip":
        return await _slip(call, parsed)
    return await _list(call, parsed)


def _today(call: CommandCall) -> date:
    return domain.today_in(require_project(call).tz, call.svc.clock())


def _team_view(call: CommandCall) -> bool:
    return shows_internal_fields(call.where.viewer, call.where.place)


async def _saved_reply(call: CommandCall, milestone: Milestone, message: str) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
    status = domain.status_of(milestone, today=_today(call), open_high_risks=high)
    return build_milestone_saved(milestone, status, call.lang, message=message, team_view=_team_view(call))


async def _add(call: CommandCall, parsed: ParsedCommand) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = await domain.read_new_milestone(parsed, now=call.svc.clock(), tz=project.tz)
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_milestone(session, actor, draft, request_key=call.request_key)
    key = "milestone.repeated" if saved.repeated else "milestone.created"
    return await _saved_reply(call, saved.milestone, t(key, call.lang, ref=ref_of(saved.milestone)))


async def _list(call: CommandCall, parsed: ParsedCommand) -> Reply:
    actor = actor_of(call)
    open_only = domain.read_list(parsed)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
        found = await domain.list_milestones(
            session, actor, open_only=open_only, today=_today(call), open_high_risks=high
        )
    return build_milestone_list(found, call.lang, open_only=open_only)


async def _show(call: CommandCall, parsed: ParsedCommand) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_show(parsed)
    async with call.svc.sessions.begin() as session:
        high = await open_high_risk_count(session, actor)
        detail = await domain.milestone_detail(session, actor, ref, today=_today(call), open_high_risks=high)
    return build_milestone_detail(detail, call.lang, tz=project.tz, team_view=_team_view(call))


async def _done(call: CommandCall, parsed: ParsedCommand) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DONE_EXAMPLE)
    ref = domain.read_done(parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.mark_done(session, actor, ref, today=_today(call), request_key=call.request_key)
    key = "milestone.repeated" if saved.repeated else "milestone.done"
    return await _saved_reply(call, saved.milestone, t(key, call.lang, ref=ref_of(saved.milestone)))


async def _slip(call: CommandCall, parsed: ParsedCommand) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.SLIP_EXAMPLE)
    slip = await domain.read_slip(parsed, now=call.svc.clock(), tz=project.tz)
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
            to=escape(saved.milestone.forecast_on.isoformat()),
            before=escape(before.isoformat()),
        )
    return await _saved_reply(call, saved.milestone, message)
