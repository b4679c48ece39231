"""`/decision <text> [client]`, `/decision add …`, `/decision list [M-3]`, `edit D-2 …`, `delete D-2`."""

from __future__ import annotations

from bot.commands import DECISION
from bot.domain import decisions as domain
from bot.domain.minutes import today_in
from bot.domain.records import require
from bot.policy import Action
from handlers.builders.common import Reply
from handlers.builders.decisions import (
    build_decision_created,
    build_decision_deleted,
    build_decision_list,
    build_decision_updated,
)
from handlers.builders.minutes import notice
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand


@subcommand(DECISION, "add")
async def _add(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = domain.parse_decision(call.parsed.raw)
    async with call.svc.sessions.begin() as session:
        decision = await domain.add_decision(
            session,
            actor,
            draft,
            today=today_in(project.tz, call.svc.clock()),
            request_key=call.request_key,
        )
    if decision is None:
        return notice("minutes.duplicate", call.lang)
    reply = build_decision_created(decision, call.lang, team_view=call.team_view)
    reply.response_type = "in_channel"
    return reply


@subcommand(DECISION, "edit")
async def _edit(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.EDIT_EXAMPLE)
    edit = domain.parse_edit(call.parsed.raw)
    async with call.svc.sessions.begin() as session:
        decision, changed = await domain.edit_decision(session, actor, edit)
    if not changed:
        return notice("decision.unchanged", call.lang, ref=edit.ref.upper())
    return build_decision_updated(decision, call.lang, team_view=call.team_view)


@subcommand(DECISION, "delete")
async def _delete(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DELETE_EXAMPLE)
    ref = domain.parse_delete(call.parsed.text)
    async with call.svc.sessions.begin() as session:
        decision = await domain.delete_decision(session, actor, ref, now=call.svc.clock())
    return build_decision_deleted(
        decision, call.lang, undo_minutes=int(domain.UNDO_WINDOW.total_seconds() // 60)
    )


@subcommand(DECISION, "list")
async def _list(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_decisions(session, actor, call.parsed.text)
    return build_decision_list(
        found.decisions,
        call.lang,
        team_view=call.team_view,
        minutes=found.minutes,
        minutes_refs={} if found.minutes is not None else found.minutes_refs,
    )
