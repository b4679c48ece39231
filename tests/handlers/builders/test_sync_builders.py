"""The sync reminder says how far off the meeting is when it is read, never the schedule's nominal lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.agenda import Agenda
from handlers.builders.sync import build_sync_reminder

MEETING = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TOKEN = f"<!date^{int(MEETING.timestamp())}^"


def _line(lang: str, *, early: timedelta, client_facing: bool = False) -> str:
    _text, blocks = build_sync_reminder(
        title="Weekly",
        occurs_at=MEETING,
        tz="Asia/Shanghai",
        lang=lang,
        now=MEETING - early,
        agenda=Agenda(actions=(), risks=(), milestones=()),
        project_id=1,
        minutes_button=False,
        client_facing=client_facing,
    )
    return str(blocks[1]["text"]["text"])


@pytest.mark.parametrize(
    ("lang", "early", "says"),
    [
        ("en", timedelta(minutes=15), "starts in 15 min"),
        ("en", timedelta(minutes=14, seconds=50), "starts in 15 min"),  # posted a few seconds late
        ("en", timedelta(minutes=60), "starts in 60 min"),
        ("en", timedelta(seconds=20), "starting now"),
        ("zh", timedelta(minutes=40), "40 分钟后开始"),
        ("zh", timedelta(seconds=0), "即将开始"),
    ],
)
def test_minutes_left_are_counted_from_now(lang: str, early: timedelta, says: str) -> None:
    assert _line(lang, early=early).endswith(f" · {says}")


@pytest.mark.parametrize(("lang", "says"), [("en", "starts <!date^"), ("zh", "开始")])
def test_more_than_an_hour_ahead_says_when_as_a_date_token(lang: str, says: str) -> None:
    line = _line(lang, early=timedelta(hours=3))
    assert TOKEN in line.split(" · ")[1] and says in line and "min" not in line and "分钟" not in line
    client = _line(lang, early=timedelta(hours=3), client_facing=True)
    assert client == f"*{TOKEN}{{date_short_pretty}} {{time}}|2026-12-15 02:00 UTC>*"  # its time, said once


@pytest.mark.parametrize(("lang", "says"), [("en", "started at <!date^"), ("zh", "已于 <!date^")])
def test_posted_after_the_start_says_it_started(lang: str, says: str) -> None:
    line = _line(lang, early=-timedelta(minutes=10))
    assert says in line and "starting now" not in line and "即将开始" not in line
