"""The playground seeds its demo relative to "now", so which scheduled event comes next depends on the day and
hour. Its tests run from one chosen moment (time keeps running from there), whatever day the suite runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A Wednesday morning in the demo project's zone: the next events are Friday's check-in (prompt, nudge,
# summary), then Monday's client digest, then Tuesday's sync reminder.
PLAYGROUND_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def playground_clock() -> Iterator[datetime]:
    with time_machine.travel(PLAYGROUND_NOW, tick=True):
        yield PLAYGROUND_NOW
