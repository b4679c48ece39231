"""The wall clock the test session runs at: the real one, or a chosen moment (`LIAISON_TEST_NOW`).

`LIAISON_TEST_NOW="2026-12-13T23:30 Asia/Shanghai"` starts the whole session at that moment in that zone
(the process's local zone becomes it too) and lets time run on from there, so a test that quietly depends on
the day, the hour or the year fails the same way on every machine. `bench/calendar_sweep` runs the suite
at a handful of awkward moments; `.ci/run` keeps one of them as a leg.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from time_machine import escape_hatch

ENV = "LIAISON_TEST_NOW"


def parse_moment(text: str) -> datetime:
    """`2026-12-13T23:30 Asia/Shanghai`, `2026-12-31T23:59Z` or `2027-03-14T01:59-05:00`: always aware."""
    stamp, _, zone = text.strip().partition(" ")
    moment = datetime.fromisoformat(stamp)
    if zone:
        tz = ZoneInfo(zone.strip())
        if moment.tzinfo is not None:
            return moment.astimezone(tz)
        return moment.replace(tzinfo=tz)
    if moment.tzinfo is None:
        raise ValueError(
            f"{ENV}={text!r}: give a zone name or an offset, e.g. '2026-12-13T23:30 Asia/Shanghai'"
        )
    return moment


def chosen_moment() -> datetime | None:
    value = os.environ.get(ENV, "").strip()
    return parse_moment(value) if value else None


def process_time() -> int:
    """Unix seconds as a separate process sees them: the real clock, even while this session time-travels
    (a `liaison run` subprocess checks request signatures against its own clock, as a server would)."""
    return int(escape_hatch.time.time() if escape_hatch.is_travelling() else time.time())
