"""Working days from the `holidays` library: public holidays *and* make-up working days.

China moves working days onto weekends around long holidays (调休): e.g. Saturday 2026-02-14 and
Saturday 2026-02-28 are working days around the Spring Festival. `holidays` (0.109) stores these as
"substituted" special holidays, `(to_month, to_day, from_month, from_day[, from_year])` in
`ChinaStaticHolidays.special_public_holidays`: the weekday `to` becomes a day off ("Day off
(substituted from …)") and the weekend day `from` is collected in the instance's `weekend_workdays`
set when that year is populated (`HolidayBase._add_special_holidays`). Cross-year make-up days
(2002's notice names Saturday 2001-12-29, a 5-tuple with `from_year`) are collected up front by
`StaticHolidays.__init__`. `HolidayBase.is_working_day(d)` is `d in weekend_workdays` for weekend
days (the country's own weekend, `is_weekend`) and `d not in holidays` otherwise; we use exactly that,
so no holiday list is kept here. Years are populated lazily (`expand=True`); we do it under a lock so
schedulers on several threads can share one calendar.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from bot.errors import UsageError


class HolidayCalendar:
    """Public holidays and working days of one country (optionally a subdivision: state/province)."""

    def __init__(self, country: str, subdiv: str | None = None) -> None:
        import holidays

        self.country = country.upper()
        self.subdiv = subdiv
        try:
            self._holidays: Any = holidays.country_holidays(self.country, subdiv=subdiv)
        except NotImplementedError as exc:
            raise UsageError("time.unknown_country", country=country) from exc
        self._lock = threading.Lock()
        self._years: set[int] = set()

    def __repr__(self) -> str:
        return f"HolidayCalendar({self.country!r}, subdiv={self.subdiv!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HolidayCalendar) and (self.country, self.subdiv) == (
            other.country,
            other.subdiv,
        )

    def __hash__(self) -> int:
        return hash((self.country, self.subdiv))

    def __reduce__(self) -> tuple[Any, ...]:
        return (holiday_calendar, (self.country, self.subdiv))

    def _ensure(self, year: int) -> None:
        if year in self._years:
            return
        with self._lock:
            # A membership test populates the year (expand=True) and its weekend_workdays.
            _ = date(year, 1, 1) in self._holidays
            self._years.add(year)

    def is_holiday(self, day: date) -> bool:
        self._ensure(day.year)
        return day in self._holidays

    def holiday_name(self, day: date) -> str | None:
        self._ensure(day.year)
        name = self._holidays.get(day)
        return None if name is None else str(name)

    def is_weekend(self, day: date) -> bool:
        return bool(self._holidays.is_weekend(day))

    def is_makeup_workday(self, day: date) -> bool:
        """A weekend day that is a working day (China's 调休 Saturdays/Sundays)."""
        self._ensure(day.year)
        return day in self._holidays.weekend_workdays

    def is_working_day(self, day: date) -> bool:
        self._ensure(day.year)
        return bool(self._holidays.is_working_day(day))


def is_working_day(day: date, calendar: HolidayCalendar | None) -> bool:
    """A working day by the calendar, or Monday to Friday when there is none."""
    return calendar.is_working_day(day) if calendar is not None else day.weekday() < 5


def add_working_days(day: date, count: int, calendar: HolidayCalendar | None) -> date:
    """The `count`-th working day after `day` (`day` itself never counts): "in 4 business days"."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    for _ in range(366 * 5):
        if remaining == 0:
            return day
        day += timedelta(days=step)
        if is_working_day(day, calendar):
            remaining -= 1
    raise ValueError(f"no {count} working days after {day}")  # pragma: no cover - a calendar of holidays only


def working_day_of_month(year: int, month: int, nth: int, calendar: HolidayCalendar | None) -> date | None:
    """The first (`nth` = 1) or last (`nth` = -1) working day of a month; None if the month has none."""
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    day, step = (first, timedelta(days=1)) if nth == 1 else (last, timedelta(days=-1))
    while first <= day <= last:
        if is_working_day(day, calendar):
            return day
        day += step
    return None


def holiday_calendar(country: str, subdiv: str | None = None) -> HolidayCalendar:
    """A shared calendar per country (built once; the library data is loaded lazily per year)."""
    return _cached_calendar(country.upper(), subdiv)


@lru_cache(maxsize=64)
def _cached_calendar(country: str, subdiv: str | None) -> HolidayCalendar:
    return HolidayCalendar(country, subdiv)


__all__ = [
    "HolidayCalendar",
    "add_working_days",
    "holiday_calendar",
    "is_working_day",
    "working_day_of_month",
]
