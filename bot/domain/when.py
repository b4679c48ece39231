"""Time expressions from handlers, in the project's zone, with its public holidays (for working days) and its
order for all-numeric dates (4/5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from bot import timeexpr

DateOrder = Literal["mdy", "dmy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("mdy", "dmy")


def date_order_of(project: Any) -> DateOrder:
    """The project's setting (`/project settings dates:dmy`), else month first: the order of US English and of
    Chinese (4/5 is 4月5日); the confirmation always shows the date that was understood."""
    order = getattr(project, "date_order", None)
    return cast(DateOrder, order) if order in DATE_ORDERS else "mdy"


@dataclass(frozen=True)
class Due:
    day: date  # the local date in the project's zone
    at: datetime | None  # the instant (UTC), when a time was given ("friday 5pm")


async def due(
    text: str, *, now: datetime, tz: str, country: str | None = None, date_order: DateOrder | None = "mdy"
) -> Due:
    """A due date in words ("next friday 5pm", "下周五", "2026-12-15"), resolved in the project's zone."""
    found = await moment(text, now=now, tz=tz, country=country, date_order=date_order)
    return Due(day=found.day, at=found.at if found.has_time else None)


async def due_date(
    text: str, *, now: datetime, tz: str, country: str | None = None, date_order: DateOrder | None = "mdy"
) -> date:
    """A date in words, resolved in the project's zone; a time, if given, is dropped."""
    return (await due(text, now=now, tz=tz, country=country, date_order=date_order)).day


async def moment(
    text: str, *, now: datetime, tz: str, country: str | None = None, date_order: DateOrder | None = "mdy"
) -> timeexpr.Moment:
    """Parsed on the event loop: the grammar takes about 0.05 ms and dateparser's fallback ("1-dec-2026") about
    1 ms (text is capped at 200 characters), less than a hop to a worker thread cost (0.2 ms of CPU, and the GIL
    handed over and back while the loop is busy). Only the fallback's first use is slow (~0.2 s loading its
    data), which the start-up warm-up does in a thread just after the app starts serving."""
    return timeexpr.parse_moment(text, now=now, tz=ZoneInfo(tz), country=country, date_order=date_order)
