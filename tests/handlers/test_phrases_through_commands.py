"""Issue 14's phrases through the commands people type them in: every one-off example as `/action add … due:`
and every recurrence as `/sync …`, with the project in Shanghai and the clock on Tuesday 24 Nov 2026 10:00.

The expected values are the hand-computed tables of tests/bot/test_timeexpr_phrases.py; here they must come out
of the store as they went into the command.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.schedules import rule_of
from bot.timeexpr import next_occurrences
from storage.models import ActionItem, Schedule
from tests.bot.test_timeexpr_phrases import EN_CASES, RECURRENCES, ZH_CASES, naive
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Clock, Liaison, reply_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


async def test_every_one_off_example_as_an_action_due_date(app: Liaison, clock: Clock) -> None:
    clock.now = TUESDAY_10AM
    misread: list[str] = []
    for number, (phrase, _expected) in enumerate(EN_CASES + ZH_CASES, 1):
        line = f"add Item {number} due:{phrase}" if phrase.isascii() else f"添加 事项{number} 截止:{phrase}"
        reply = reply_text(await app.command("/action", line))
        if f"A-{number}" not in reply:
            misread.append(f"{phrase!r}: {reply[:120]}")
    assert not misread, misread
    items = await rows(app, ActionItem)
    wrong = []
    for item, (phrase, expected) in zip(items, EN_CASES + ZH_CASES, strict=True):
        if len(expected) > 3:
            got = item.due_at.astimezone(SHANGHAI).replace(tzinfo=None) if item.due_at else None
            want = naive(*expected)
        else:
            got, want = (item.due_on, item.due_at), (naive(*expected, 0, 0).date(), None)
        if got != want:
            wrong.append(f"{phrase!r}: stored {got}, wanted {want}")
    assert not wrong, wrong


async def test_every_recurrence_example_as_a_sync(app: Liaison, clock: Clock) -> None:
    clock.now = TUESDAY_10AM
    refused = []
    for phrase, _fields, _upcoming in RECURRENCES:
        reply = reply_text(await app.command("/sync", f'{phrase} "Sync"'))
        if "S-" not in reply:
            refused.append(f"{phrase!r}: {reply[:120]}")
    assert not refused, refused
    schedules = await rows(app, Schedule)
    wrong = []
    for schedule, (phrase, _fields, upcoming) in zip(schedules, RECURRENCES, strict=True):
        found = next_occurrences(rule_of(schedule), after=TUESDAY_10AM, count=3)
        local = [o.astimezone(SHANGHAI).replace(tzinfo=None) for o in found]
        if local != [naive(*u) for u in upcoming]:
            wrong.append(f"{phrase!r}: {local}")
    assert not wrong, wrong
