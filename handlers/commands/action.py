"""`/action add|list|done|reassign`, and the users.info look-ups the minutes handlers share."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import ACTION
from bot.domain import actions as domain
from bot.domain.minutes import sent_message_state
from bot.domain.records import ref_of, require
from bot.domain.when import date_order_of
from bot.policy import Action
from bot.services import Services
from bot.users import UserDirectory
from handlers.builders.actions import (
    build_action_created,
    build_action_done,
    build_action_list,
    build_action_reassigned,
)
from handlers.builders.common import Reply
from handlers.builders.minutes import build_client_message, notice
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand

log = logging.getLogger(__name__)


# ---- Slack look-ups (never block a write: a failed look-up is just unknown) ---------------------------


async def fill_owner_teams(
    directory: UserDirectory, client: AsyncWebClient, owners: Iterable[domain.Owner]
) -> None:
    """Set each Slack owner's organisation (their team id), so client-owned items are known as such."""
    people = [o for o in owners if o.user_id]
    users = await directory.many(client, (o.user_id or "" for o in people))
    for owner in people:
        team = users.get(owner.user_id or "", {}).get("team_id")
        owner.team_id = str(team) if team else None


def name_keys(user: dict[str, Any]) -> list[str]:
    """The ways people type someone's name after `@` in a form (handle, display name, real name)."""
    profile = user.get("profile") or {}
    names = [user.get("name"), profile.get("display_name"), user.get("real_name"), profile.get("real_name")]
    return [str(n).replace(" ", "").lower() for n in names if n]


def handle_of(user: dict[str, Any]) -> str:
    return str(user.get("name") or user.get("id") or "")


# ---- /action ----------------------------------------------------------------------------------------


@subcommand(ACTION, "add")
async def _add(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = domain.parse_action(call.parsed)
    await domain.resolve_due(
        [draft],
        now=call.svc.clock(),
        tz=project.tz,
        example=domain.ADD_EXAMPLE,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    await fill_owner_teams(call.svc.users, call.client, [draft.owner])
    async with call.svc.sessions.begin() as session:
        item = await domain.add_action(session, actor, draft, request_key=call.request_key)
    if item is None:
        return notice("minutes.duplicate", call.lang)
    reply = build_action_created(item, call.lang, team_view=call.team_view)
    reply.response_type = "in_channel"
    return reply


@subcommand(ACTION, "list")
async def _list(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    which = domain.parse_filter(call.parsed.text)
    now = call.svc.clock()
    async with call.svc.sessions.begin() as session:
        items = await domain.list_actions(session, actor, which, now=now, tz=project.tz)
    return build_action_list(
        items,
        call.lang,
        which=which,
        team_view=call.team_view,
        viewer_id=call.where.viewer.user_id,
        now=now,
        tz=project.tz,
    )


@subcommand(ACTION, "done")
async def _done(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        item = await domain.load_for_done(session, actor, call.parsed.text)
        changed = await domain.complete(session, actor, item, now=call.svc.clock())
        ref = ref_of(item)
        minutes_id = item.minutes_id
    if changed and minutes_id is not None:
        await refresh_sent_minutes(
            call.svc, call.client, minutes_id, home_team_id=call.where.viewer.home_team_id
        )
    return build_action_done(ref, call.lang, already=not changed)


@subcommand(ACTION, "reassign")
async def _reassign(call: CommandCall) -> Reply:
    actor = actor_of(call)
    ref, owner = domain.parse_reassign(call.parsed)
    await fill_owner_teams(call.svc.users, call.client, [owner])
    async with call.svc.sessions.begin() as session:
        item = await domain.load_for_update(session, actor, ref)
        item = await domain.reassign(session, actor, item, owner)
    return build_action_reassigned(item, call.lang)


async def refresh_sent_minutes(
    svc: Services, client: AsyncWebClient, minutes_id: int, *, home_team_id: str
) -> None:
    """Re-render the minutes' message in the client channel (done marks, status), if it is still current."""
    async with svc.sessions.begin() as session:
        sent = await sent_message_state(session, minutes_id)
    if sent is None:
        return
    text, blocks = build_client_message(
        sent.content, sent.lang, home_team_id=home_team_id, confirmations=sent.confirmations, tz=sent.tz
    )
    try:
        await client.chat_update(channel=sent.channel_id, ts=sent.ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("could not refresh the sent minutes %s (%s)", minutes_id, exc)
