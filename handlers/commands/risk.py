"""`/risk add|list|show|update|close|reopen`; `/risk add` with no text opens the full form."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.commands import RISK
from bot.domain import risks as domain
from bot.domain.records import Actor, require
from bot.domain.when import date_order_of
from bot.policy import Action
from handlers.builders.common import Reply
from handlers.builders.risks import (
    build_notice,
    build_risk_detail,
    build_risk_list,
    build_risk_modal,
    build_risk_saved,
)
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.metadata import encode

log = logging.getLogger(__name__)


def form_metadata(actor: Actor, lang: str) -> str:
    """Where a new-record form was opened: its submission confirms there, for this project."""
    return encode(channel=actor.place.channel_id, project=actor.project_id, lang=lang)


@subcommand(RISK, "add")
async def _add(call: CommandCall) -> Reply | None:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    if not parsed.raw:
        return await _open_form(call, actor)
    draft = await domain.read_new_risk(
        parsed,
        now=call.svc.clock(),
        tz=project.tz,
        viewer_id=actor.viewer.user_id,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    owner_team = await call.svc.users.team_of(call.client, draft.owner.user_id)
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_risk(
            session, actor, draft, owner_team_id=owner_team, request_key=call.request_key
        )
    return build_risk_saved(saved, call.lang, verb="created", team_view=call.team_view)


async def _open_form(call: CommandCall, actor: Actor) -> Reply | None:
    view = build_risk_modal(call.lang, metadata=form_metadata(actor, call.lang))
    try:
        await call.client.views_open(trigger_id=str(call.payload.get("trigger_id") or ""), view=view)
    except SlackApiError as exc:  # e.g. expired_trigger_id: say so and offer the one-line form
        log.warning("views.open failed for /risk add (%s)", exc.response.get("error"))
        return build_notice("risk.form_failed", call.lang, example=domain.ADD_EXAMPLE)
    return None


@subcommand(RISK, "list")
async def _list(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    flt, search = domain.parse_list_args(parsed.text)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_risks(session, actor, flt, search)
    return build_risk_list(found, call.lang, flt=flt, search=search)


@subcommand(RISK, "show")
async def _show(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_ref_only(parsed, example=domain.SHOW_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        detail = await domain.risk_detail(session, actor, ref)
    return build_risk_detail(detail, call.lang, tz=project.tz, team_view=call.team_view)


@subcommand(RISK, "update")
async def _update(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.UPDATE_EXAMPLE)
    edit = await domain.read_risk_edit(
        parsed,
        now=call.svc.clock(),
        tz=project.tz,
        viewer_id=actor.viewer.user_id,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    owner_team = await call.svc.users.team_of(call.client, edit.values.get("owner_user_id"))
    async with call.svc.sessions.begin() as session:
        saved = await domain.update_risk(
            session, actor, edit, owner_team_id=owner_team, request_key=call.request_key
        )
    return build_risk_saved(saved, call.lang, verb="updated", team_view=call.team_view)


@subcommand(RISK, "close")
async def _close(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.CLOSE_EXAMPLE)
    ref, note = domain.read_close(parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.close_risk(session, actor, ref, note, request_key=call.request_key)
    return build_risk_saved(saved, call.lang, verb="closed", team_view=call.team_view)


@subcommand(RISK, "reopen")
async def _reopen(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.REOPEN_EXAMPLE)
    ref = domain.read_ref_only(parsed, example=domain.REOPEN_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        saved = await domain.reopen_risk(session, actor, ref, request_key=call.request_key)
    return build_risk_saved(saved, call.lang, verb="reopened", team_view=call.team_view)
