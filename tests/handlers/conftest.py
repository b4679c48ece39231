"""Fixtures for handler tests that travel in time: a project in Shanghai, its clock starting Tue 24 Nov 2026."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.harness.app import BOT_TOKEN, SHARED_CHANNEL, Clock, Liaison, running_liaison

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI).astimezone(UTC)  # a Tuesday, 08:00 in Shanghai


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def app(database_url: str, clock: Clock) -> AsyncIterator[Liaison]:
    """The running app with a project (Asia/Shanghai, English) and its client channel bound."""
    async with running_liaison(database_url, clock=clock) as liaison:
        await liaison.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')
        await liaison.command("/project", "client-channel", channel=SHARED_CHANNEL)
        await forget_the_panel(liaison)
        yield liaison


async def forget_the_panel(liaison: Liaison) -> None:
    """Binding the client channel posts its panel (tests/handlers/test_issue_panel.py covers that); the other
    tests start from a client channel without it, so each sees only the messages and posts it causes itself."""
    panels = [m["ts"] for m in liaison.fake.messages(SHARED_CHANNEL) if "panel_raise" in str(m.get("blocks"))]
    client = AsyncWebClient(token=BOT_TOKEN, base_url=liaison.fake.base_url)
    for ts in panels:
        await client.chat_delete(channel=SHARED_CHANNEL, ts=ts)
    fake = liaison.fake
    with fake._lock:
        fake.calls[:] = [
            c
            for c in fake.calls
            if not (
                c.method in ("chat.postMessage", "chat.delete") and c.args.get("channel") == SHARED_CHANNEL
            )
        ]
