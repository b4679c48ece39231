"""`/action add|list|done|reassign|edit|reopen|due`, posting a client's item into the client channel (with
its buttons), and the users.info look-ups the minutes handlers share."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import ACTION
from bot.domain import actions as domain
from bot.domain.minutes import owner_text, sent_message_state
from bot.domain.records import example_for, ref_of, require
from bot.domain.signoff import client_channel_of, internal_channel_of
from bot.domain.when import Due, date_order_of, due
from bot.i18n import normalise_lang
from bot.policy import Action, Viewer
from bot.services import Services
from bot.users import UserDirectory
from handlers.builders.actions import (
    build_action_created,
    build_action_done,
    build_action_edited,
    build_action_list,
    build_action_reassigned,
    build_action_reopened,
    build_client_action,
    build_due_moved,
    build_posted_note,
    build_team_client_done,
)
from handlers.builders.common import Reply
from handlers.builders.minutes import build_client_message, notice
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from storage.models import ActionItem, Project

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


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
    posted_for = await post_for_client(call.svc, call.client, item, project, call.where.viewer.home_team_id)
    if posted_for is not None and call.team_view:
        build_posted_note(reply, call.lang, posted_for)
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
    if changed and call.where.project is not None:
        await tell_team_of_client_done(call.svc, call.client, actor.viewer, item, call.where.project)
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


@subcommand(ACTION, "edit")
async def _edit(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.EDIT_EXAMPLE)
    change = domain.parse_edit(call.parsed)
    if change.due_text is not None:
        found = await _resolve(call, change.due_text, example=domain.EDIT_EXAMPLE)
        change.due_on, change.due_at = found.day, found.at
    if change.owner is not None:
        await fill_owner_teams(call.svc.users, call.client, [change.owner])
    home = call.where.viewer.home_team_id
    async with call.svc.sessions.begin() as session:
        item = await domain.load_for_update(session, actor, change.ref, example=domain.EDIT_EXAMPLE)
        was_for_client = domain.for_the_client(item, home_team_id=home)
        diff = await domain.edit(session, actor, item, change)
    posted_for = None
    if diff and ("due_on" in diff or "due_at" in diff or not was_for_client):
        posted_for = await post_for_client(
            call.svc,
            call.client,
            item,
            project,
            home,
            intro_key="action.client.moved_intro" if was_for_client else None,
        )
    return build_action_edited(item, call.lang, team_view=call.team_view, posted_for=posted_for)


@subcommand(ACTION, "reopen")
async def _reopen(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.REOPEN_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        item = await domain.load_for_update(session, actor, call.parsed.text, example=domain.REOPEN_EXAMPLE)
        changed = await domain.reopen(session, actor, item)
    if changed and item.minutes_id is not None:
        await refresh_sent_minutes(
            call.svc, call.client, item.minutes_id, home_team_id=call.where.viewer.home_team_id
        )
    reply = build_action_reopened(ref_of(item), call.lang, already=not changed)
    if changed:
        posted_for = await post_for_client(
            call.svc, call.client, item, project, call.where.viewer.home_team_id
        )
        if posted_for is not None:
            build_posted_note(reply, call.lang, posted_for)
    return reply


@subcommand(ACTION, "due")
async def _due(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DUE_EXAMPLE)
    ref, when = domain.parse_due(call.parsed)
    found = await _resolve(call, when, example=domain.DUE_EXAMPLE)
    home = call.where.viewer.home_team_id
    async with call.svc.sessions.begin() as session:
        item = await domain.load_for_update(session, actor, ref, example=domain.DUE_EXAMPLE)
        await domain.move_due(session, actor, item, day=found.day, at=found.at)
    posted_for = await post_for_client(
        call.svc, call.client, item, project, home, intro_key="action.client.moved_intro"
    )
    return build_due_moved(item, call.lang, posted_for=posted_for)


async def _resolve(call: CommandCall, text: str, *, example: str) -> Due:
    project = require_project(call)
    with example_for(example):
        return await due(
            text,
            now=call.svc.clock(),
            tz=project.tz,
            country=project.holidays,
            date_order=date_order_of(project),
        )


async def post_for_client(
    svc: Services,
    client: AsyncWebClient,
    item: ActionItem,
    project: Project,
    home_team_id: str,
    *,
    intro_key: str | None = None,
) -> str | None:
    """Post a `[client]` item the client owns into the client channel with Mark done / Need more time; the
    owner as shown (for the team's confirmation), or None when it is not for the client or could not go."""
    if not domain.for_the_client(item, home_team_id=home_team_id) or project.id is None:
        return None
    async with svc.sessions() as session:
        channel_id = await client_channel_of(session, project.id)
    if channel_id is None:
        return None
    lang = normalise_lang(project.lang)
    text, blocks = build_client_action(
        item, lang, project=project.name, intro_key=intro_key or "action.client.intro"
    )
    try:
        await client.chat_postMessage(
            channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
        )
    except SLACK_ERRORS as exc:
        log.warning("could not post %s in the client channel (%s)", ref_of(item), exc)
        return None
    return owner_text(item, lang)


async def tell_team(svc: Services, client: AsyncWebClient, project_id: int, reply: Reply) -> None:
    """A line in the project's team channel (a client's act on their item)."""
    async with svc.sessions() as session:
        channel_id = await internal_channel_of(session, project_id)
    if channel_id is None:
        return
    try:
        await client.chat_postMessage(
            channel=channel_id, text=reply.text, blocks=reply.blocks, unfurl_links=False, unfurl_media=False
        )
    except SLACK_ERRORS as exc:
        log.warning("could not tell the team channel of project %s (%s)", project_id, exc)


async def tell_team_of_client_done(
    svc: Services, client: AsyncWebClient, viewer: Viewer, item: ActionItem, project: Project
) -> None:
    """A client who completes an item (button or command): the team hears of it in its channel."""
    if viewer.speaks_for_client and project.id is not None:
        lang = normalise_lang(project.lang)
        reply = build_team_client_done(item, lang, who=viewer.user_id, client=project.client_name)
        await tell_team(svc, client, project.id, reply)


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
