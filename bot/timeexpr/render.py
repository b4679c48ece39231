"""Show people what was understood: the date with its weekday, and a schedule with its next dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import t
from bot.timeexpr.moment import Moment
from bot.timeexpr.recurrence import Recurrence, next_occurrences
from bot.timeexpr.workdays import HolidayCalendar


def _date_params(day: date, lang: str) -> dict[str, object]:
    return {
        "wd": t(f"time.weekday_short.{day.weekday()}", lang),
        "day": day.day,
        "month": t(f"time.month_short.{day.month}", lang),
        "year": day.year,
    }


def render_date(day: date, lang: str, *, with_year: bool = True) -> str:
    """ "Fri 4 Dec 2026" / "2026年12月4日（周五）" (without the year: "Fri 4 Dec" / "12月4日（周五）")."""
    key = "time.render.date_full" if with_year else "time.render.date_short"
    return t(key, lang, **_date_params(day, lang))


def render_instant(at: datetime, tz: str, lang: str) -> str:
    """ "Fri 4 Dec 2026 15:00" / "2026年12月4日（周五）15:00": an instant in a zone (for history lines, where the
    project's zone is the record's), in the same date style as everything else."""
    local = at.astimezone(ZoneInfo(tz))
    return t("time.render.date_time", lang, date=render_date(local.date(), lang), time=f"{local:%H:%M}")


def render_local_date(at: datetime, tz: str, lang: str) -> str:
    """The day an instant falls on in `tz`, as `render_date` shows it."""
    return render_date(at.astimezone(ZoneInfo(tz)).date(), lang)


def render_moment(moment: Moment, lang: str) -> str:
    """ "Fri 4 Dec 2026, 15:00 (Asia/Shanghai)" / "2026年12月4日（周五）15:00（Asia/Shanghai）"; a
    date-only moment shows just the date ("Fri 4 Dec 2026")."""
    day = render_date(moment.day, lang)
    if not moment.has_time:
        return day
    return t("time.render.moment", lang, date=day, time=f"{moment.local:%H:%M}", tz=moment.tz.key)


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    head = t("time.render.list_sep", lang).join(items[:-1])
    return t("time.render.list_and", lang, items=head, last=items[-1])


def _ordinal_day(day: int, lang: str) -> str:
    if day == -1:
        return t("time.render.last_day", lang)
    suffix = "other" if 11 <= day % 100 <= 13 else {1: "1", 2: "2", 3: "3"}.get(day % 10, "other")
    return t(f"time.ordinal.{suffix}", lang, n=day)


def render_schedule(rule: Recurrence, lang: str) -> str:
    """The schedule alone: "Every Tuesday", "每月第一个周一", "Every 2 weeks on Monday"."""
    n = rule.interval
    if rule.kind == "daily":
        return t("time.sched.daily", lang) if n == 1 else t("time.sched.daily_n", lang, n=n)
    if rule.kind == "weekly":
        days = _join([t(f"time.weekday.{d}", lang) for d in rule.weekdays], lang)
        return (
            t("time.sched.weekly", lang, days=days)
            if n == 1
            else t("time.sched.weekly_n", lang, n=n, days=days)
        )
    if rule.kind == "weekdays":
        if rule.holidays:
            return t("time.sched.workdays_calendar", lang, country=rule.holidays)
        return t("time.sched.workdays", lang)
    if rule.kind == "monthly_day":
        assert rule.day_of_month is not None
        day = _ordinal_day(rule.day_of_month, lang)
        return (
            t("time.sched.monthly_day", lang, day=day)
            if n == 1
            else t("time.sched.monthly_day_n", lang, n=n, day=day)
        )
    nth = t(f"time.nth.{'last' if rule.nth == -1 else rule.nth}", lang)
    if rule.kind == "monthly_workday":
        if n == 1:
            return t("time.sched.monthly_workday", lang, nth=nth)
        return t("time.sched.monthly_workday_n", lang, n=n, nth=nth)
    weekday = t(f"time.weekday.{rule.weekdays[0]}", lang)
    if n == 1:
        return t("time.sched.monthly_nth", lang, nth=nth, weekday=weekday)
    return t("time.sched.monthly_nth_n", lang, n=n, nth=nth, weekday=weekday)


def render_recurrence(
    rule: Recurrence,
    lang: str,
    *,
    now: datetime,
    holidays: HolidayCalendar | None = None,
    count: int = 3,
) -> str:
    """ "Every Tuesday at 10:00 (Asia/Shanghai) — next: Tue 1 Dec, Tue 8 Dec, Tue 15 Dec" /
    "每周二 10:00（Asia/Shanghai）— 接下来：12月1日（周二）、12月8日（周二）、12月15日（周二）".

    A rule whose time was not given says "(default time)"; a date outside the current year shows its
    year; an occurrence moved by a daylight-saving gap shows its actual time.
    """
    zone = rule.zone
    this_year = now.astimezone(zone).year
    hhmm = f"{rule.hour:02d}:{rule.minute:02d}"
    at = t("time.render.at_default" if rule.time_defaulted else "time.render.at", lang, time=hhmm)
    upcoming: list[str] = []
    for instant in next_occurrences(rule, after=now, count=count, holidays=holidays):
        local = instant.astimezone(zone)
        text = render_date(local.date(), lang, with_year=local.year != this_year)
        if (local.hour, local.minute) != (rule.hour, rule.minute):
            text = t("time.render.date_time", lang, date=text, time=f"{local:%H:%M}")
        upcoming.append(text)
    next_text = t("time.render.list_sep", lang).join(upcoming) if upcoming else t("time.render.no_next", lang)
    return t(
        "time.render.recurrence",
        lang,
        schedule=render_schedule(rule, lang),
        at=at,
        tz=rule.tz,
        next=next_text,
    )


__all__ = [
    "render_date",
    "render_instant",
    "render_local_date",
    "render_moment",
    "render_recurrence",
    "render_schedule",
]
