"""Fixtures for handler tests that travel in time: a project in Shanghai, its clock starting Tue 24 Nov 2026."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.harness.app import SHARED_CHANNEL, Clock, Liaison, running_liaison

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
        yield liaison
