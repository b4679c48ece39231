"""When people mean: one-off times, recurring schedules and durations, in English and Chinese.

Pure: no Slack, no database, no I/O. Every user mistake becomes a `UsageError` whose key is in
`bot.i18n.time`. Public API:

* `parse_moment(text, *, now, tz) -> Moment`, `parse_date(text, *, now, tz) -> date`
* `parse_recurrence(text, *, tz, now, country=None) -> Recurrence`,
  `next_occurrences(rule, *, after, count, holidays=None) -> list[datetime]`
* `HolidayCalendar(country)` / `holiday_calendar(country)`: working days incl. make-up days
* `to_trigger(rule, holidays=None) -> RecurrenceTrigger` (APScheduler 3.x)
* `render_moment`, `render_recurrence`, `render_schedule`, `render_date`
* `parse_duration(text) -> timedelta`, `render_duration`
* `warm_up()`: call once at start-up so the first parse is fast.
"""

from bot.timeexpr._common import DEFAULT_TIME, EOD_TIME, localize
from bot.timeexpr.duration import MAX_DURATION, parse_duration, render_duration
from bot.timeexpr.moment import Moment, parse_date, parse_moment, warm_up
from bot.timeexpr.recurrence import (
    KINDS,
    Recurrence,
    RecurrenceKind,
    next_occurrence,
    next_occurrences,
    parse_recurrence,
)
from bot.timeexpr.render import (
    render_date,
    render_instant,
    render_local_date,
    render_moment,
    render_recurrence,
    render_schedule,
)
from bot.timeexpr.trigger import RecurrenceTrigger, to_trigger
from bot.timeexpr.workdays import HolidayCalendar, holiday_calendar

__all__ = [
    "DEFAULT_TIME",
    "EOD_TIME",
    "KINDS",
    "MAX_DURATION",
    "HolidayCalendar",
    "Moment",
    "Recurrence",
    "RecurrenceKind",
    "RecurrenceTrigger",
    "holiday_calendar",
    "localize",
    "next_occurrence",
    "next_occurrences",
    "parse_date",
    "parse_duration",
    "parse_moment",
    "parse_recurrence",
    "render_date",
    "render_duration",
    "render_instant",
    "render_local_date",
    "render_moment",
    "render_recurrence",
    "render_schedule",
    "to_trigger",
    "warm_up",
]
