"""`/minutes` (form), `/minutes <title>` + lines (quick form), `list`, `show`, `edit`, `delete`, `send`."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import MINUTES
from bot.domain import minutes as domain
from bot.domain.records import Actor, require
from bot.domain.when import date_order_of
from bot.errors import UsageError
from bot.i18n import normalise_lang
from bot.policy import Action
from bot.services import Services
from handlers.builders.common import Reply
from handlers.builders.minutes import (
    build_client_message,
    build_minutes_deleted,
    build_minutes_detail,
    build_minutes_list,
    build_minutes_modal,
    build_minutes_recorded,
    build_minutes_sent,
    build_superseded,
    notice,
)
from handlers.commands.action import fill_owner_teams, handle_of
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.metadata import encode
from storage.models import Project

log = logging.getLogger(__name__)

MAX_PEOPLE_IN_METADATA = 40


async def open_view(client: AsyncWebClient, trigger_id: str, view: dict[str, Any], lang: str) -> Reply | None:
    """views.open right away (the trigger expires in 3 s); if Slack refuses, say so and how else to do it."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc)
        error = str(exc.response.get("error") or "error")
        raise UsageError("minutes.modal_failed", domain.QUICK_EXAMPLE, error=error) from None
    return None


def new_minutes_view(
    lang: str, *, channel_id: str, project_id: int, tz: str, now: datetime, share: bool
) -> dict[str, Any]:
    return build_minutes_modal(
        lang,
        private_metadata=encode(c=channel_id, p=project_id, m=0, people={}),
        today=domain.today_in(tz, now),
        share=share,
    )


@subcommand(MINUTES, "new")
async def _new(call: CommandCall) -> Reply | None:
    project = require_project(call)
    require(actor_of(call), Action.CREATE, domain.QUICK_EXAMPLE)
    assert project.id is not None
    view = new_minutes_view(
        call.lang,
        channel_id=call.where.place.channel_id,
        project_id=project.id,
        tz=project.tz,
        now=call.svc.clock(),
        share=call.where.place.client_facing,
    )
    return await open_view(call.client, str(call.payload.get("trigger_id") or ""), view, call.lang)


@subcommand(MINUTES, "quick")
async def _quick(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.QUICK_EXAMPLE)
    # Everything is parsed and resolved before the write transaction opens: a bad line writes nothing.
    draft = domain.parse_quick(call.parsed.raw)
    await domain.resolve_dates(
        draft,
        now=call.svc.clock(),
        tz=project.tz,
        example=domain.QUICK_EXAMPLE,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    await fill_owner_teams(call.svc.users, call.client, (a.owner for a in draft.all_actions()))
    async with call.svc.sessions.begin() as session:
        recorded = await domain.record_minutes(
            session, actor, draft, request_key=call.request_key, example=domain.QUICK_EXAMPLE
        )
    if recorded is None:
        return notice("minutes.duplicate", call.lang)
    reply = build_minutes_recorded(recorded, call.lang, team_view=call.team_view)
    reply.response_type = "in_channel"
    return reply


@subcommand(MINUTES, "list")
async def _list(call: CommandCall) -> Reply:
    actor = actor_of(call)
    if call.parsed.text:
        raise UsageError("grammar.unexpected_text", domain.LIST_EXAMPLE, text=call.parsed.text[:80])
    async with call.svc.sessions.begin() as session:
        summaries = await domain.list_minutes(session, actor)
    return build_minutes_list(summaries, call.lang, team_view=call.team_view)


@subcommand(MINUTES, "show")
async def _show(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        detail = await domain.show_minutes(session, actor, call.parsed.text)
    return build_minutes_detail(
        detail,
        call.lang,
        team_view=call.team_view,
        tz=project.tz,
        now=call.svc.clock(),
    )


@subcommand(MINUTES, "edit")
async def _edit(call: CommandCall) -> Reply | None:
    project = require_project(call)
    view = await edit_minutes_view(
        call.svc,
        call.client,
        actor_of(call),
        project,
        ref=call.parsed.text,
        channel_id=call.where.place.channel_id,
        lang=call.lang,
    )
    return await open_view(call.client, str(call.payload.get("trigger_id") or ""), view, call.lang)


async def edit_minutes_view(
    svc: Services,
    client: AsyncWebClient,
    actor: Actor,
    project: Project,
    *,
    ref: str,
    channel_id: str,
    lang: str,
) -> dict[str, Any]:
    """The minutes form prefilled for editing `ref` (`/minutes edit M-1`, or the Edit M-1 button)."""
    async with svc.sessions.begin() as session:
        found = await domain.load_with_items(
            session, actor, ref, action=Action.UPDATE, example=domain.EDIT_EXAMPLE
        )
    minutes = found.minutes
    owners = [a.owner_user_id for a in found.actions if a.owner_user_id]
    users = await svc.users.many(client, [*owners, *minutes.attendees])
    names = {user_id: handle_of(user) for user_id, user in users.items()}
    people: dict[str, str] = {}
    for user_id in owners[:MAX_PEOPLE_IN_METADATA]:
        if user_id in users:
            people.setdefault(handle_of(users[user_id]).lower(), user_id)
    decisions_text, actions_text = domain.form_lines(minutes, found.decisions, found.actions, names=names)
    assert project.id is not None
    return build_minutes_modal(
        lang,
        private_metadata=encode(c=channel_id, p=project.id, m=minutes.number, people=people),
        today=domain.today_in(project.tz, svc.clock()),
        share=minutes.visibility == "client",
        minutes=minutes,
        decisions_text=decisions_text,
        actions_text=actions_text,
    )


@subcommand(MINUTES, "delete")
async def _delete(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        minutes = await domain.delete_minutes(session, actor, call.parsed.text, now=call.svc.clock())
    return build_minutes_deleted(
        minutes, call.lang, undo_minutes=int(domain.UNDO_WINDOW.total_seconds() // 60)
    )


@subcommand(MINUTES, "send")
async def _send(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        plan = await domain.plan_send(session, actor, call.parsed.text, request_key=call.request_key)
    if plan is None:
        return notice("minutes.duplicate", call.lang)
    lang = normalise_lang(project.lang)
    text, blocks = build_client_message(
        plan.content,
        lang,
        home_team_id=call.where.viewer.home_team_id,
        confirmations=plan.confirmations,
        tz=project.tz,
    )
    try:
        posted = await call.client.chat_postMessage(channel=plan.channel_id, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("posting minutes to %s failed: %s", plan.channel_id, exc)
        raise UsageError(
            "minutes.send_failed", domain.SEND_EXAMPLE, error=str(exc.response.get("error") or "error")
        ) from None
    assert plan.minutes.id is not None
    async with call.svc.sessions.begin() as session:
        await domain.mark_sent(
            session,
            actor,
            plan.minutes.id,
            channel_id=str(posted.get("channel") or plan.channel_id),
            ts=str(posted["ts"]),
            content=plan.content,
            now=call.svc.clock(),
        )
    if plan.previous is not None:
        old_text, old_blocks = build_superseded(lang)
        try:
            await call.client.chat_update(
                channel=plan.previous[0], ts=plan.previous[1], text=old_text, blocks=old_blocks
            )
        except SlackApiError as exc:  # the old message may be gone; the new one stands on its own
            log.info("could not retire the earlier minutes message: %s", exc)
    return build_minutes_sent(plan.minutes, plan.channel_id, call.lang)
