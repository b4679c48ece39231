"""Replies in threads (Events API `message.channels` / `message.groups`): a team member answering in the thread
of an issue's message is the team's first response, so the issue is not escalated as unanswered.

Only thread replies by people are looked at; every other message is dropped before any work (bot.app does
not even claim its event_id). Stamping is a conditional UPDATE, so a repeat is harmless as well as dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import issues
from bot.services import Services
from handlers.actions.issues import placed_actor
from handlers.context import resolve_where

log = logging.getLogger(__name__)

# A person's message (no subtype) or their reply also sent to the channel; edits, joins, bots' posts are not.
PERSON_SUBTYPES = (None, "thread_broadcast")


def is_thread_reply(event: dict[str, Any]) -> bool:
    """A person's reply inside a thread (not the thread's parent, not a bot's post)."""
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    return (
        event.get("type") == "message"
        and event.get("subtype") in PERSON_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(thread_ts)
        and thread_ts != ts
    )


async def handle_message(event: dict[str, Any], context: Any, client: AsyncWebClient, svc: Services) -> None:
    if not is_thread_reply(event):
        return
    svc.tasks.track_current()
    channel_id = str(event.get("channel") or "")
    where = await resolve_where(
        svc,
        client,
        context=context,
        user_id=str(event["user"]),
        user_team_id=event.get("user_team") or event.get("team"),
        channel_id=channel_id,
    )
    if where.project is None:
        return  # not a project channel
    actor = await placed_actor(svc, client, where)  # not the home team in the event: users.info says whose
    if actor.viewer.is_external:
        return  # the client's own reply is not the team's response
    async with svc.sessions.begin() as session:
        answered = await issues.thread_reply(
            session, actor, channel_id=channel_id, thread_ts=str(event["thread_ts"]), now=svc.clock()
        )
    if answered is not None:
        log.info("I-%s answered in its thread by %s", answered.number, actor.viewer.user_id)


def register(app: AsyncApp) -> None:
    app.event("message")(handle_message)
