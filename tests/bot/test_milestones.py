"""Milestone status, alone: done, late, at risk, on track, in the project's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.milestones import (
    AT_RISK_WINDOW_DAYS,
    MilestoneStatus,
    listing,
    milestone_status,
    today_in,
)
from storage.models import Milestone

PLANNED = date(2026, 12, 15)


def status(
    *, forecast: date = PLANNED, done: date | None = None, today: date, high: int = 0
) -> MilestoneStatus:
    return milestone_status(
        planned_on=PLANNED, forecast_on=forecast, done_on=done, today=today, open_high_risks=high
    )


def test_done_wins_over_everything() -> None:
    assert status(done=date(2027, 2, 1), forecast=date(2027, 1, 10), today=date(2027, 3, 1), high=3) is (
        MilestoneStatus.DONE
    )


def test_on_track_until_the_date_passes() -> None:
    assert status(today=date(2026, 12, 1)) is MilestoneStatus.ON_TRACK
    assert status(today=PLANNED) is MilestoneStatus.ON_TRACK  # due today is not late yet
    assert status(today=PLANNED + timedelta(days=1)) is MilestoneStatus.LATE


def test_a_slip_is_at_risk_until_the_planned_date_passes_then_late() -> None:
    slipped = date(2027, 1, 10)
    assert status(forecast=slipped, today=date(2026, 12, 1)) is MilestoneStatus.AT_RISK
    assert status(forecast=slipped, today=PLANNED + timedelta(days=1)) is MilestoneStatus.LATE


def test_pulled_in_forecast_that_passes_is_late() -> None:
    earlier = date(2026, 12, 10)
    assert status(forecast=earlier, today=date(2026, 12, 9)) is MilestoneStatus.ON_TRACK
    assert status(forecast=earlier, today=date(2026, 12, 11)) is MilestoneStatus.LATE


def test_open_high_risks_matter_only_close_to_the_date() -> None:
    window = PLANNED - timedelta(days=AT_RISK_WINDOW_DAYS)
    assert status(today=window - timedelta(days=1), high=2) is MilestoneStatus.ON_TRACK
    assert status(today=window, high=2) is MilestoneStatus.AT_RISK
    assert status(today=window, high=0) is MilestoneStatus.ON_TRACK


@given(
    st.dates(date(2025, 1, 1), date(2028, 1, 1)),
    st.dates(date(2025, 1, 1), date(2028, 1, 1)),
    st.integers(0, 3),
)
def test_never_on_track_once_either_date_has_passed(forecast: date, today: date, high: int) -> None:
    result = status(forecast=forecast, today=today, high=high)
    if today > min(PLANNED, forecast):
        assert result is MilestoneStatus.LATE
    else:
        assert result in (MilestoneStatus.ON_TRACK, MilestoneStatus.AT_RISK)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("UTC", date(2026, 12, 14)),
        ("Asia/Shanghai", date(2026, 12, 15)),
        ("America/New_York", date(2026, 12, 14)),
        ("Europe/Berlin", date(2026, 12, 14)),
    ],
)
def test_today_is_the_project_zone_s_day(tz: str, expected: date) -> None:
    assert today_in(tz, datetime(2026, 12, 14, 17, 30, tzinfo=UTC)) == expected


def _m(number: int, forecast: date, done: date | None = None) -> Milestone:
    return Milestone(
        project_id=1,
        number=number,
        title=f"m{number}",
        planned_on=forecast,
        forecast_on=forecast,
        done_on=done,
        created_by="U1",
    )


def test_listing_puts_open_ones_by_forecast_then_done_ones_and_counts_all() -> None:
    items = [
        _m(1, date(2026, 12, 20)),
        _m(2, date(2026, 11, 1), done=date(2026, 11, 2)),
        _m(3, date(2026, 12, 5)),
        _m(4, date(2026, 10, 1), done=date(2026, 10, 3)),
    ]
    result = listing(items, today=date(2026, 12, 1), open_high_risks=0, limit=3)
    assert [r.milestone.number for r in result.rows] == [3, 1, 2]
    assert [r.status for r in result.rows] == [
        MilestoneStatus.ON_TRACK,
        MilestoneStatus.ON_TRACK,
        MilestoneStatus.DONE,
    ]
    assert (result.total, result.more) == (4, 1)
