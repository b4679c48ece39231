"""`/decision <text> [client]`, `/decision add …`, `/decision list [M-3]`."""

from __future__ import annotations

from bot.domain import decisions as domain
from bot.domain.minutes import today_in
from bot.domain.records import require
from bot.policy import Action, shows_internal_fields
from handlers.builders.common import Reply
from handlers.builders.decisions import build_decision_created, build_decision_list
from handlers.builders.minutes import notice
from handlers.commands.runner import CommandCall, actor_of, require_project


async def handle_decision(call: CommandCall) -> Reply:
    if call.parsed.sub.name == "list":
        return await _list(call)
    return await _add(call)


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
    team_view = shows_internal_fields(call.where.viewer, call.where.place)
    reply = build_decision_created(decision, call.lang, team_view=team_view)
    reply.response_type = "in_channel"
    return reply


async def _list(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_decisions(session, actor, call.parsed.text)
    team_view = shows_internal_fields(call.where.viewer, call.where.place)
    return build_decision_list(
        found.decisions,
        call.lang,
        team_view=team_view,
        minutes=found.minutes,
        minutes_refs={} if found.minutes is not None else found.minutes_refs,
    )
