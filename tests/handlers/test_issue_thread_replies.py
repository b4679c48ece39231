"""A team member's reply in the thread of an issue's message is the team's first response (Events API
`message.channels` / `message.groups`, signed JSON requests): the issue is not escalated as unanswered. A
client's reply, a bot's post, another thread or a top-level message count for nothing; a retried event is
acted on once. Runs on SQLite and PostgreSQL.

Event shapes: https://docs.slack.dev/reference/events/message.channels (a reply carries `thread_ts`, the
parent's `ts`; in a Slack Connect channel `user_team` is the sender's organisation)."""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from storage.models import Issue, ProcessedRequest
from tests.handlers.test_issue_panel import escalations, issues, raise_issue
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
)

_ids = itertools.count(1)
_ts = itertools.count(1)


@pytest.fixture
async def app(app: Liaison) -> Liaison:
    await app.command("/project", "panel", channel=SHARED_CHANNEL)
    return app


def message_event(
    user: str,
    channel: str,
    thread_ts: str | None,
    *,
    team: str = HOME_TEAM,
    event_id: str | None = None,
    bot: bool = False,
    subtype: str | None = None,
) -> bytes:
    """The event_callback Slack posts for a message in a channel the app is in."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": "On it: we are looking into this now.",
        "ts": f"1790000{next(_ts):03d}.000200",
        "channel": channel,
        "channel_type": "channel",
        "team": team,
        "user_team": team,
        "source_team": team,
        "event_ts": "1790000000.000200",
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if bot:
        event["bot_id"] = "B0OTHER"
    if subtype:
        event["subtype"] = subtype
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": HOME_TEAM,
            "api_app_id": "A0LIAISON",
            "type": "event_callback",
            "event_id": event_id or f"EvT{next(_ids):08d}",
            "event_time": 1790000000,
            "authorizations": [{"team_id": HOME_TEAM, "user_id": "U0BOT", "is_bot": True}],
            "event": event,
        }
    ).encode()


async def send(app: Liaison, body: bytes, **headers: str) -> None:
    response = await app.post(body, content_type="application/json", headers=headers)
    assert response.status_code == 200
    for _ in range(20):  # the listener runs after the ack: let it start, then wait for it
        await asyncio.sleep(0)
    assert await app.svc.tasks.drain(10) == 0


async def _first_response(app: Liaison) -> Issue:
    [issue] = await issues(app)
    return issue


async def _escalated_after_4h(app: Liaison, clock: Clock, start: Any) -> list[str]:
    clock.now = start + timedelta(hours=4, minutes=1)
    await app.svc.runner.run_all()
    return escalations(app)


async def test_a_team_reply_in_the_team_announcements_thread_is_the_first_response(
    app: Liaison, clock: Clock
) -> None:
    start = clock.now
    issue = await raise_issue(app, title="Production is down", severity="critical")
    assert issue.first_response_at is None and issue.team_ts
    clock.now = start + timedelta(minutes=30)
    await send(app, message_event(BOB, INTERNAL_CHANNEL, issue.team_ts))
    assert (await _first_response(app)).first_response_at == clock.now
    answered_at = clock.now
    clock.now = start + timedelta(hours=1)
    await send(app, message_event(ALICE, INTERNAL_CHANNEL, issue.team_ts))  # a later reply: kept as it was
    assert (await _first_response(app)).first_response_at == answered_at
    assert await _escalated_after_4h(app, clock, start) == []


async def test_a_team_reply_in_the_clients_thread_counts_too(app: Liaison, clock: Clock) -> None:
    start = clock.now
    issue = await raise_issue(app, title="Report totals off", severity="critical")
    assert issue.client_channel_id == SHARED_CHANNEL and issue.client_ts
    await send(app, message_event(ALICE, SHARED_CHANNEL, issue.client_ts, subtype="thread_broadcast"))
    assert (await _first_response(app)).first_response_at == clock.now
    assert await _escalated_after_4h(app, clock, start) == []


async def test_replies_that_are_not_the_teams_leave_it_unanswered_and_it_is_escalated(
    app: Liaison, clock: Clock
) -> None:
    start = clock.now
    issue = await raise_issue(app, title="Production is down", severity="critical")
    assert issue.client_ts and issue.team_ts
    await send(app, message_event(CAROL, SHARED_CHANNEL, issue.client_ts, team=CLIENT_TEAM))  # the client
    await send(app, message_event(CAROL, SHARED_CHANNEL, issue.client_ts, team=""))  # team unsaid: users.info
    await send(app, message_event(BOB, INTERNAL_CHANNEL, issue.team_ts, bot=True))  # another app's post
    await send(app, message_event(BOB, INTERNAL_CHANNEL, issue.team_ts, subtype="message_changed"))
    await send(app, message_event(BOB, INTERNAL_CHANNEL, "1234.5678"))  # another thread
    await send(app, message_event(BOB, INTERNAL_CHANNEL, None))  # a top-level message
    await send(app, message_event(BOB, SHARED_CHANNEL, issue.team_ts))  # the right ts, the wrong channel
    assert (await _first_response(app)).first_response_at is None
    [message] = await _escalated_after_4h(app, clock, start)
    assert "I-1" in message and "has had no response" in message


async def test_a_retried_reply_is_acted_on_once_and_chatter_claims_nothing(
    app: Liaison, clock: Clock
) -> None:
    issue = await raise_issue(app, title="Production is down", severity="critical")
    assert issue.team_ts
    body = message_event(BOB, INTERNAL_CHANNEL, issue.team_ts, event_id="EvRETRY")
    await send(app, body)
    await send(app, body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    await send(app, message_event(BOB, INTERNAL_CHANNEL, None, event_id="EvCHATTER"))
    async with app.session() as s:
        keys = [r.key for r in (await s.exec(select(ProcessedRequest))).all()]
    assert keys.count("event:EvRETRY") == 1 and "event:EvCHATTER" not in keys
    assert (await _first_response(app)).first_response_at == clock.now
