"""An APScheduler 3.x trigger that fires on a `Recurrence` (holidays and every-N-weeks included)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from bot.timeexpr.recurrence import Recurrence, next_occurrence
from bot.timeexpr.workdays import HolidayCalendar, holiday_calendar


class RecurrenceTrigger(BaseTrigger):  # type: ignore[misc]  # apscheduler is untyped
    """Delegates to `next_occurrences`, so it fires exactly when the rule says.

    Pickles as the rule's JSON form plus the calendar's country, so it survives persistent job stores.
    """

    __slots__ = ("holidays", "rule")

    def __init__(self, rule: Recurrence, holidays: HolidayCalendar | None = None) -> None:
        self.rule = rule
        self.holidays = holidays

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        # Like CronTrigger: the first time after the previous firing, or (first run) at or after `now`.
        after = previous_fire_time if previous_fire_time is not None else now - timedelta(microseconds=1)
        # UTC on purpose: a local time in a repeated (fall-back) hour never compares equal to another
        # zone's datetime (PEP 495), which would confuse equality checks on fire times.
        return next_occurrence(self.rule, after=after, holidays=self.holidays)

    def __getstate__(self) -> dict[str, Any]:
        calendar = None if self.holidays is None else [self.holidays.country, self.holidays.subdiv]
        return {"version": 1, "rule": self.rule.to_dict(), "holidays": calendar}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version") != 1:
            raise ValueError(f"cannot restore RecurrenceTrigger state {state!r}")
        self.rule = Recurrence.from_dict(state["rule"])
        calendar = state.get("holidays")
        self.holidays = None if calendar is None else holiday_calendar(calendar[0], calendar[1])

    def __str__(self) -> str:
        return f"recurrence[{self.rule.to_dict()}]"

    def __repr__(self) -> str:
        return f"<RecurrenceTrigger rule={self.rule!r} holidays={self.holidays!r}>"


def to_trigger(rule: Recurrence, holidays: HolidayCalendar | None = None) -> RecurrenceTrigger:
    return RecurrenceTrigger(rule, holidays)


__all__ = ["RecurrenceTrigger", "to_trigger"]
