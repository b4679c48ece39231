"""Recurring schedules: "every Tuesday 10am", "每个工作日9点半", "每月第一个周一上午10点".

A `Recurrence` is plain data (stored as JSON via `to_dict`/`from_dict`); `next_occurrences` turns it
into instants. Occurrences are wall-clock times in the rule's zone, one per matching local day:

* a wall time that does not exist (the hour skipped when clocks go forward) fires at the first valid
  instant after the gap (02:30 -> 03:00 on 2026-03-08 in New York and 2026-03-29 in Berlin);
* a wall time that happens twice (clocks go back) fires once, at the first of the two (fold=0).

Kinds:

* ``daily``: every `interval` days (counted from `anchor`).
* ``weekly``: on `weekdays` (0 = Monday) every `interval` weeks (weeks start on Monday; the week of
  `anchor` is a firing week).
* ``weekdays``: Monday to Friday; with a holiday calendar, every working day instead: public holidays
  are skipped and make-up working days on weekends (China's 调休) are included.
* ``monthly_day``: on `day_of_month` (1..31, clamped to the month's last day; -1 = last day) every
  `interval` months.
* ``monthly_nth_weekday``: on the `nth` (1..4, -1 = last) `weekdays[0]` of every `interval` months.
* ``monthly_workday``: on the first (`nth` 1) or last (`nth` -1) working day of every `interval`
  months; with a holiday calendar, public holidays and make-up working days count as for ``weekdays``.

Every quarter is every 3 months anchored on a quarter's month ("每季度第一个周一": Jan, Apr, Jul, Oct).

A schedule given without a clock time fires at `DEFAULT_TIME` (09:00) and says so when rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UsageError
from bot.timeexpr._common import (
    DEFAULT_TIME,
    EN_NUM,
    EN_WEEKDAY,
    ZH_NUM,
    ZH_TIME,
    ZH_WD,
    ZH_WEEK,
    ZH_WEEKDAY_CHARS,
    ClockTime,
    bare_hour,
    days_in_month,
    en_clock,
    en_int,
    en_weekday,
    is_chinese,
    localize,
    normalise,
    require_aware,
    zh_clock,
    zh_int,
)
from bot.timeexpr.moment import _EN_BARE_END, _EN_BARE_START, _EN_TIME_END, _EN_TIME_START
from bot.timeexpr.words import en_number_words, zh_simplified
from bot.timeexpr.workdays import HolidayCalendar, holiday_calendar, working_day_of_month

RecurrenceKind = Literal[
    "daily", "weekly", "weekdays", "monthly_day", "monthly_nth_weekday", "monthly_workday"
]
KINDS: Final[tuple[str, ...]] = get_args(RecurrenceKind)
MAX_INTERVAL: Final[dict[str, int]] = {
    "daily": 366,
    "weekly": 52,
    "weekdays": 1,
    "monthly_day": 24,
    "monthly_nth_weekday": 24,
    "monthly_workday": 24,
}
FORMAT_VERSION: Final = 1
WORKDAY_KINDS: Final = ("weekdays", "monthly_workday")


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A recurring wall-clock schedule in a named zone. Invalid combinations raise ValueError."""

    kind: RecurrenceKind
    hour: int = DEFAULT_TIME.hour
    minute: int = DEFAULT_TIME.minute
    tz: str = "UTC"
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    day_of_month: int | None = None
    nth: int | None = None
    anchor: date | None = None
    holidays: str | None = None
    time_defaulted: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown recurrence kind {self.kind!r}")
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"bad time {self.hour}:{self.minute}")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        if not 1 <= self.interval <= MAX_INTERVAL[self.kind]:
            raise ValueError(f"bad interval {self.interval} for {self.kind}")
        if self.interval > 1 and self.anchor is None:
            raise ValueError("an interval above 1 needs an anchor date")
        if any(not 0 <= d <= 6 for d in self.weekdays) or list(self.weekdays) != sorted(set(self.weekdays)):
            raise ValueError(f"weekdays must be sorted, unique, 0..6: {self.weekdays}")
        if self.kind == "weekly" and not self.weekdays:
            raise ValueError("a weekly rule needs weekdays")
        if self.kind == "monthly_nth_weekday":
            if len(self.weekdays) != 1 or self.nth not in (1, 2, 3, 4, -1):
                raise ValueError("monthly_nth_weekday needs one weekday and nth in 1..4 or -1")
        elif self.kind == "monthly_workday":
            if self.nth not in (1, -1):
                raise ValueError("monthly_workday needs nth 1 (first) or -1 (last)")
        elif self.nth is not None:
            raise ValueError("nth is only for monthly_nth_weekday and monthly_workday")
        if self.kind not in ("weekly", "monthly_nth_weekday") and self.weekdays:
            raise ValueError(f"weekdays are not used by {self.kind}")
        if self.kind == "monthly_day":
            if self.day_of_month is None or not (1 <= self.day_of_month <= 31 or self.day_of_month == -1):
                raise ValueError("monthly_day needs day_of_month in 1..31 or -1")
        elif self.day_of_month is not None:
            raise ValueError("day_of_month is only for monthly_day")
        if self.holidays is not None and self.kind not in WORKDAY_KINDS:
            raise ValueError("a holiday calendar only applies to working-day rules")

    @property
    def clock(self) -> time:
        return time(self.hour, self.minute)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: only str, int, bool, None and lists."""
        return {
            "version": FORMAT_VERSION,
            "kind": self.kind,
            "interval": self.interval,
            "weekdays": list(self.weekdays),
            "day_of_month": self.day_of_month,
            "nth": self.nth,
            "hour": self.hour,
            "minute": self.minute,
            "tz": self.tz,
            "anchor": self.anchor.isoformat() if self.anchor else None,
            "holidays": self.holidays,
            "time_defaulted": self.time_defaulted,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recurrence:
        """Inverse of `to_dict`; raises ValueError on anything it did not produce."""
        if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            raise ValueError(f"unsupported recurrence format {data.get('version')!r}")

        def integer(name: str, default: int | None = None) -> int | None:
            value = data.get(name, default)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{name} must be an integer, got {value!r}")
            return value

        weekdays = data.get("weekdays") or []
        if not isinstance(weekdays, list | tuple) or any(
            not isinstance(d, int) or isinstance(d, bool) for d in weekdays
        ):
            raise ValueError(f"weekdays must be a list of integers, got {weekdays!r}")
        anchor = data.get("anchor")
        kind, tz, hol = data.get("kind"), data.get("tz", "UTC"), data.get("holidays")
        if not isinstance(kind, str) or kind not in KINDS or not isinstance(tz, str):
            raise ValueError(f"bad recurrence {dict(data)!r}")
        if hol is not None and not isinstance(hol, str):
            raise ValueError(f"holidays must be a country code, got {hol!r}")
        hour, minute, interval = integer("hour"), integer("minute"), integer("interval", 1)
        if hour is None or minute is None or interval is None:
            raise ValueError("hour, minute and interval are required")
        return cls(
            kind=kind,  # type: ignore[arg-type]  # checked against KINDS above
            hour=hour,
            minute=minute,
            tz=tz,
            interval=interval,
            weekdays=tuple(weekdays),
            day_of_month=integer("day_of_month"),
            nth=integer("nth"),
            anchor=date.fromisoformat(anchor) if isinstance(anchor, str) else None,
            holidays=hol,
            time_defaulted=bool(data.get("time_defaulted", False)),
        )


# --------------------------------------------------------------------------------------------------
# Occurrences

_GIVE_UP_AFTER: Final = timedelta(days=366 * 5)  # no occurrence for this long: stop looking


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _candidate_days(rule: Recurrence, start: date, calendar: HolidayCalendar | None) -> Iterator[date]:
    """Matching local dates from `start` on, in order."""
    anchor = rule.anchor or start
    if rule.kind == "daily":
        day = start + timedelta(days=-(start - anchor).days % rule.interval)
        while True:
            yield day
            day += timedelta(days=rule.interval)
    elif rule.kind in ("weekly", "weekdays"):
        day, wanted, anchor_monday = start, set(rule.weekdays), _monday(anchor)
        while True:
            if rule.kind == "weekdays":
                ok = calendar.is_working_day(day) if calendar is not None else day.weekday() < 5
            else:
                ok = (
                    day.weekday() in wanted
                    and ((_monday(day) - anchor_monday).days // 7) % rule.interval == 0
                )
            if ok:
                yield day
            day += timedelta(days=1)
    else:
        index = _month_index(start)
        index += -(index - _month_index(anchor)) % rule.interval
        while True:
            year, month0 = divmod(index, 12)
            found = _day_in_month(rule, year, month0 + 1, calendar)
            if found is not None and found >= start:
                yield found
            index += rule.interval


def _day_in_month(rule: Recurrence, year: int, month: int, calendar: HolidayCalendar | None) -> date | None:
    length = days_in_month(year, month)
    if rule.kind == "monthly_workday":
        assert rule.nth is not None
        return working_day_of_month(year, month, rule.nth, calendar)
    if rule.kind == "monthly_day":
        assert rule.day_of_month is not None
        dom = rule.day_of_month
        return date(year, month, length if dom == -1 else min(dom, length))
    weekday = rule.weekdays[0]
    if rule.nth == -1:
        last = date(year, month, length)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    assert rule.nth is not None
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (rule.nth - 1))


def next_occurrences(
    rule: Recurrence, *, after: datetime, count: int, holidays: HolidayCalendar | None = None
) -> list[datetime]:
    """The next `count` firing instants strictly after `after` (aware, UTC), in order.

    `holidays` overrides the rule's own calendar (`rule.holidays`) for working-day rules. Fewer than
    `count` come back only if nothing matches for five years (e.g. a calendar with no working days).
    """
    require_aware(after, "after")
    if count <= 0:
        return []
    tz = rule.zone
    calendar = holidays
    if calendar is None and rule.holidays:
        calendar = holiday_calendar(rule.holidays)
    if rule.kind not in WORKDAY_KINDS:
        calendar = None
    start = after.astimezone(tz).date()
    found: list[datetime] = []
    last_hit = start
    for day in _candidate_days(rule, start, calendar):
        if day - last_hit > _GIVE_UP_AFTER or day.year >= 9999:
            break
        instant = localize(day, rule.clock, tz)
        if instant > after:
            found.append(instant.astimezone(UTC))
            last_hit = day
            if len(found) == count:
                break
    return found


def next_occurrence(
    rule: Recurrence, *, after: datetime, holidays: HolidayCalendar | None = None
) -> datetime | None:
    found = next_occurrences(rule, after=after, count=1, holidays=holidays)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------------
# Parsing


def _unparsed(text: str) -> UsageError:
    return UsageError("time.unparsed_recurrence", "time.example_recurrence", text=text)


@dataclass(frozen=True, slots=True)
class _Schedule:
    kind: RecurrenceKind
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    day_of_month: int | None = None
    nth: int | None = None
    quarter_month: int | None = None  # every quarter: which month of it (0 = Jan/Apr/Jul/Oct)
    on_today: bool = False  # "every other week", "每周": on the weekday the schedule is made


def _interval(n: int | None, kind: RecurrenceKind, text: str) -> int:
    if n is None or not 1 <= n <= MAX_INTERVAL[kind]:
        raise _unparsed(text)
    return n


def _weekday_set(days: list[int], text: str) -> tuple[int, ...]:
    if not days:
        raise _unparsed(text)
    return tuple(sorted(set(days)))


# English -------------------------------------------------------------------------------------------

_WD = rf"{EN_WEEKDAY}s?"
_EN_DAYS = rf"(?P<days>{_WD}(?: {_WD})*|(?P<r1>{_WD}) ?(?:-|to|through|thru|till|until) ?(?P<r2>{_WD}))"
_EN_N = rf"(?P<n>{EN_NUM}|other|2nd|3rd|4th)"
_EN_NTH = r"(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last)"
_WDS = r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
_EN_WORKDAY = r"(?:business|working|work) ?day"
_EN_EVERY_OTHER_WEEK = rf"(?:every {_EN_N} weeks?|bi-?weekly|fortnightly|every fortnight)"
_EN_DOM = r"(?:(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?: day)?|(?:the )?(?P<last>last day))"
_EN_SCHEDULES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("daily", r"every ?day|daily|each day"),
        ("daily_n", rf"every {_EN_N} days?"),
        (
            "weekdays",
            r"(?:(?:every|each|on) )?(?:working ?day|work ?day|week ?day|business day)s?",
        ),
        ("weekly", rf"(?:(?:every|each|on|weekly on|every week on|weekly) ){_EN_DAYS}"),
        ("weekly", rf"(?P<r1>{_WD}) ?(?:-|to|through|thru) ?(?P<r2>{_WD})"),
        ("weekly", rf"(?P<days>{_WDS}(?: {_WDS})*)"),
        ("weekly_today", r"every week|weekly|once a week"),
        ("weekend", r"(?:(?:every|each|on) )?(?:the )?weekends?"),
        ("weekly_n_today", _EN_EVERY_OTHER_WEEK),
        ("weekly_n", rf"(?:(?:every|each|on) )?{_EN_DAYS} {_EN_EVERY_OTHER_WEEK}"),
        ("weekly_n", rf"every {_EN_N} weeks? (?:on )?{_EN_DAYS}"),
        ("weekly_2", rf"(?:bi-?weekly|fortnightly|every fortnight|every other) (?:on )?{_EN_DAYS}"),
        ("monthly_day", rf"(?:every|each) (?:{_EN_N} )?months? on {_EN_DOM}"),
        ("monthly_day", rf"monthly on {_EN_DOM}"),
        ("monthly_day", rf"(?:on )?(?:{_EN_DOM}) of (?:every|each|the) (?:{_EN_N} )?months?"),
        (
            "monthly_nth",
            rf"(?:(?:every|each|on) )?(?:the )?{_EN_NTH} (?P<wd>{_WD}) (?:of|in) "
            rf"(?:the|every|each) (?:{_EN_N} )?months?",
        ),
        ("monthly_nth", rf"(?:(?:every|each) (?:{_EN_N} )?months?|monthly) on the {_EN_NTH} (?P<wd>{_WD})"),
        (
            "monthly_workday",
            rf"(?:(?:every|each|on) )?(?:the )?(?P<wnth>last|1st|first) {_EN_WORKDAY} (?:of|in) "
            rf"(?:the|every|each) (?:{_EN_N} )?months?",
        ),
        (
            "monthly_workday",
            rf"(?:(?:every|each) (?:{_EN_N} )?months?|monthly) on the (?P<wnth>last|1st|first) {_EN_WORKDAY}",
        ),
        (
            "quarterly_nth",
            rf"(?:(?:every|each|on) )?(?:the )?{_EN_NTH} (?P<wd>{_WD}) (?:of|in) (?:the|every|each) quarter",
        ),
        ("quarterly_nth", rf"(?:(?:every|each) quarter|quarterly) on the {_EN_NTH} (?P<wd>{_WD})"),
        ("quarterly_day", rf"(?:(?:every|each) quarter|quarterly) on {_EN_DOM}"),
        ("quarterly_day", rf"(?:on )?(?:{_EN_DOM}) of (?:every|each|the) quarter"),
        (
            "quarterly_workday",
            rf"(?:(?:every|each|on) )?(?:the )?(?P<wnth>last|1st|first) {_EN_WORKDAY} (?:of|in) "
            r"(?:the|every|each) quarter",
        ),
    )
)
_EN_NTH_VALUES: Final[dict[str, int]] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}


def _en_n(m: re.Match[str]) -> int | None:
    raw = m.groupdict().get("n")
    if raw is None:
        return None
    if raw in ("other", "2nd", "3rd", "4th"):
        return {"other": 2, "2nd": 2, "3rd": 3, "4th": 4}[raw]
    return en_int(raw)


def _en_days(m: re.Match[str], text: str) -> tuple[int, ...]:
    groups = m.groupdict()
    if groups.get("r1"):
        first, last = en_weekday(groups["r1"]), en_weekday(groups["r2"])
        if last <= first:
            raise _unparsed(text)
        return tuple(range(first, last + 1))
    return _weekday_set([en_weekday(d) for d in groups["days"].split()], text)


def _en_schedule(s: str, text: str) -> _Schedule | None:
    for kind, pattern in _EN_SCHEDULES:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        if kind == "daily":
            return _Schedule("daily")
        if kind == "daily_n":
            return _Schedule("daily", interval=_interval(_en_n(m), "daily", text))
        if kind == "weekdays":
            return _Schedule("weekdays")
        if kind == "weekly_today":
            return _Schedule("weekly", on_today=True)
        if kind == "weekend":
            return _Schedule("weekly", weekdays=(5, 6))
        if kind == "weekly_n_today":
            every = _en_n(m) or 2
            return _Schedule("weekly", interval=_interval(every, "weekly", text), on_today=True)
        if kind in ("monthly_workday", "quarterly_workday"):
            months = 1 if m.groupdict().get("n") is None else _en_n(m)
            which = -1 if m["wnth"] == "last" else 1
            quarterly = kind == "quarterly_workday"
            return _Schedule(
                "monthly_workday",
                interval=3 if quarterly else _interval(months, "monthly_workday", text),
                nth=which,
                quarter_month=(2 if which == -1 else 0) if quarterly else None,
            )
        if kind == "quarterly_nth":
            return _Schedule(
                "monthly_nth_weekday",
                interval=3,
                weekdays=(en_weekday(m["wd"]),),
                nth=_EN_NTH_VALUES[m["nth"]],
                quarter_month=2 if m["nth"] == "last" else 0,
            )
        if kind == "quarterly_day":
            qday = -1 if m["last"] else int(m["d"])
            if not 1 <= qday <= 31 and qday != -1:
                raise _unparsed(text)
            return _Schedule(
                "monthly_day", interval=3, day_of_month=qday, quarter_month=2 if qday == -1 else 0
            )
        if kind in ("weekly", "weekly_n", "weekly_2"):
            n = 1 if kind == "weekly" else 2 if kind == "weekly_2" else _en_n(m)
            return _Schedule("weekly", interval=_interval(n, "weekly", text), weekdays=_en_days(m, text))
        if kind == "monthly_day":
            n = 1 if m.groupdict().get("n") is None else _en_n(m)
            dom = -1 if m["last"] else int(m["d"])
            if not 1 <= dom <= 31 and dom != -1:
                raise _unparsed(text)
            return _Schedule("monthly_day", interval=_interval(n, "monthly_day", text), day_of_month=dom)
        n = 1 if m.groupdict().get("n") is None else _en_n(m)
        return _Schedule(
            "monthly_nth_weekday",
            interval=_interval(n, "monthly_nth_weekday", text),
            weekdays=(en_weekday(m["wd"]),),
            nth=_EN_NTH_VALUES[m["nth"]],
        )
    return None


_EN_PERIOD_WORD: Final = re.compile(r"(?:^| )(?:in the )?(?P<per>morning|afternoon|evening|night)(?= |$)")


def _parse_en(text: str) -> tuple[_Schedule, ClockTime | None]:
    s = en_number_words(normalise(text))
    s = re.sub(r"[,&/+]", " ", s)
    s = re.sub(r"\band\b", " ", s)
    s = re.sub(r"\b(?:early|late|mid)[ -](morning|afternoon|evening|night)", r"\1", s)
    plural = re.search(r"\b(?:morning|afternoon|evening|night)s\b", s) is not None  # "friday mornings"
    s = re.sub(r"\b(morning|afternoon|evening|night)s\b", r"\1", s)
    s = re.sub(r"\bweekday (morning|afternoon|evening|night)\b", r"\1 weekday", s)
    s = re.sub(r"\s+", " ", s).strip()
    rest, clock_match, bare = s, None, None
    for pattern in (_EN_TIME_END, _EN_TIME_START):
        if clock_match := pattern.fullmatch(s):
            rest = clock_match["rest"]
            break
    else:
        for pattern in (_EN_BARE_END, _EN_BARE_START):
            if bare := pattern.fullmatch(s):
                rest = bare["rest"]
                break
    rest = rest.strip()
    period = None
    if found := _EN_PERIOD_WORD.search(rest):
        period = found["per"]
        rest = (rest[: found.start()] + " " + rest[found.end() :]).strip()
        if rest in ("every", "each", "every day", "each day", "daily", ""):
            rest = "daily"
    schedule = _en_schedule(rest, text)
    if schedule is None and plural and period is not None:
        schedule = _en_schedule(f"every {rest}", text)
    if schedule is None:
        raise _unparsed(text)
    if clock_match is not None:
        tper = clock_match["tper"]
        if tper is not None and period is not None and tper != period:
            raise _unparsed(text)
        return schedule, en_clock(clock_match, text, period=tper or period)
    if bare is not None:
        return schedule, bare_hour(int(bare["h"]), bare["tper"] or period, text)
    if period is not None:
        raise _unparsed(text)  # "every morning": at what time?
    return schedule, None


# Chinese -------------------------------------------------------------------------------------------

# In a list, Arabic weekday digits need their 周 ("周1、周3"), except right after the opening 每周: a
# bare digit after a weekday would swallow the hour ("每周一12:30" is Monday 12:30, not Mon+Mon 2:30).
_ZH_DAY = rf"(?:{ZH_WEEK}[1-7]|{ZH_WEEK}?[一二三四五六日天])"
_ZH_DAYS = (
    rf"(?:(?P<r1>{ZH_WEEK}?{ZH_WD})(?:到|至|-|~)(?P<r2>{ZH_WEEK}?{ZH_WD})"
    rf"|(?P<days>(?:[1-7]|{_ZH_DAY})(?:[、,和及与跟]?{_ZH_DAY})*))"
)
_ZH_EVERY = r"每(?:个|一个)?"
_ZH_SCHEDULES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("daily", r"每天|每日|天天|每一天"),
        ("daily_n", rf"每(?P<n>{ZH_NUM})天"),
        ("daily_2", r"隔天|每隔一天"),
        ("weekdays", rf"(?:{_ZH_EVERY}|每周的?|每星期的?)?工作日(?:每天)?"),
        ("weekly", rf"{_ZH_EVERY}(?:(?P<n>{ZH_NUM})个?)?{ZH_WEEK}的?{_ZH_DAYS}"),
        ("weekly_2", rf"(?:每隔一个?|隔|每?双){ZH_WEEK}的?{_ZH_DAYS}"),
        ("weekly_today", rf"{_ZH_EVERY}(?:(?P<n>{ZH_NUM})个?)?{ZH_WEEK}(?:一次)?"),
        ("weekend", rf"(?:{_ZH_EVERY}|每周的?)?周末(?:两天)?"),
        ("weekly_2_today", rf"(?:每隔一个?|隔|每?双){ZH_WEEK}(?:一次)?"),
        (
            "monthly_workday",
            rf"{_ZH_EVERY}(?:(?P<n>{ZH_NUM})个)?月的?(?P<w>最后一个|第一个)工作日",
        ),
        (
            "quarterly_nth",
            rf"{_ZH_EVERY}季度?的?(?:第(?P<nth>[一二三四1-4])个?|(?P<lastwd>最后一个))"
            rf"{ZH_WEEK}(?P<wd>{ZH_WD})",
        ),
        ("quarterly_workday", rf"{_ZH_EVERY}季度?的?(?P<w>最后一个|第一个)工作日"),
        (
            "quarterly_day",
            rf"{_ZH_EVERY}季度?的?(?:第(?P<d>{ZH_NUM})天|(?P<d2>{ZH_NUM})[日号]|(?P<last>最后一天|季末|末))",
        ),
        ("weekly", rf"(?P<r1>{ZH_WEEK}{ZH_WD})(?:到|至|-|~)(?P<r2>{ZH_WEEK}?{ZH_WD})(?:每天)?"),
        (
            "monthly_day",
            rf"{_ZH_EVERY}(?:(?P<n>{ZH_NUM})个)?月的?(?:(?P<d>{ZH_NUM})[日号]|(?P<last>最后一天|月底))",
        ),
        (
            "monthly_nth",
            rf"{_ZH_EVERY}(?:(?P<n>{ZH_NUM})个)?月的?(?:第(?P<nth>[一二三四1-4])个?|(?P<lastwd>最后一个))"
            rf"{ZH_WEEK}(?P<wd>{ZH_WD})",
        ),
    )
)


def _zh_weekday(s: str) -> int:
    return ZH_WEEKDAY_CHARS[s[-1]]


def _zh_schedule(s: str, text: str) -> _Schedule | None:
    for kind, pattern in _ZH_SCHEDULES:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        groups = m.groupdict()
        n = 1 if groups.get("n") is None else zh_int(groups["n"])
        if kind == "daily":
            return _Schedule("daily")
        if kind == "daily_n":
            return _Schedule("daily", interval=_interval(n, "daily", text))
        if kind == "daily_2":
            return _Schedule("daily", interval=2)
        if kind == "weekdays":
            return _Schedule("weekdays")
        if kind == "weekly_today":
            return _Schedule("weekly", interval=_interval(n, "weekly", text), on_today=True)
        if kind == "weekend":
            return _Schedule("weekly", weekdays=(5, 6))
        if kind == "weekly_2_today":
            return _Schedule("weekly", interval=2, on_today=True)
        if kind in ("monthly_workday", "quarterly_workday"):
            which = -1 if m["w"] == "最后一个" else 1
            quarterly = kind == "quarterly_workday"
            return _Schedule(
                "monthly_workday",
                interval=3 if quarterly else _interval(n, "monthly_workday", text),
                nth=which,
                quarter_month=(2 if which == -1 else 0) if quarterly else None,
            )
        if kind == "quarterly_nth":
            nth_q = -1 if m["lastwd"] else zh_int(m["nth"])
            return _Schedule(
                "monthly_nth_weekday",
                interval=3,
                weekdays=(ZH_WEEKDAY_CHARS[m["wd"]],),
                nth=nth_q,
                quarter_month=2 if nth_q == -1 else 0,
            )
        if kind == "quarterly_day":
            dom_q = -1 if m["last"] else zh_int(m["d"] or m["d2"])
            if dom_q is None or not (1 <= dom_q <= 31 or dom_q == -1):
                raise _unparsed(text)
            return _Schedule(
                "monthly_day", interval=3, day_of_month=dom_q, quarter_month=2 if dom_q == -1 else 0
            )
        if kind in ("weekly", "weekly_2"):
            if groups.get("r1"):
                first, last = _zh_weekday(groups["r1"]), _zh_weekday(groups["r2"])
                if last <= first:
                    raise _unparsed(text)
                days: tuple[int, ...] = tuple(range(first, last + 1))
            else:
                days = _weekday_set([ZH_WEEKDAY_CHARS[c] for c in re.findall(ZH_WD, m["days"])], text)
            interval = 2 if kind == "weekly_2" else _interval(n, "weekly", text)
            return _Schedule("weekly", interval=interval, weekdays=days)
        if kind == "monthly_day":
            dom = -1 if m["last"] else zh_int(m["d"])
            if dom is None or not (1 <= dom <= 31 or dom == -1):
                raise _unparsed(text)
            return _Schedule("monthly_day", interval=_interval(n, "monthly_day", text), day_of_month=dom)
        nth = -1 if m["lastwd"] else zh_int(m["nth"])
        return _Schedule(
            "monthly_nth_weekday",
            interval=_interval(n, "monthly_nth_weekday", text),
            weekdays=(ZH_WEEKDAY_CHARS[m["wd"]],),
            nth=nth,
        )
    return None


_ZH_TIME_RE: Final = re.compile(ZH_TIME)


def _parse_zh(text: str) -> tuple[_Schedule, ClockTime | None]:
    s = re.sub(r"\s+", "", zh_simplified(normalise(text)))
    # The schedule is the longest prefix that parses; the rest must be a clock time
    # ("每周二十点" is Tuesday 10:00, not "every week, 20:00").
    for split in range(len(s), 0, -1):
        head, tail = s[:split], s[split:]
        tail_match = _ZH_TIME_RE.fullmatch(tail.removeprefix("的")) if tail else None
        if tail and tail_match is None:
            continue
        schedule = _zh_schedule(head.removesuffix("的"), text)
        if schedule is None:
            continue
        return schedule, zh_clock(tail_match, text) if tail_match is not None else None
    raise _unparsed(text)


def parse_recurrence(text: str, *, tz: ZoneInfo, now: datetime, country: str | None = None) -> Recurrence:
    """Parse a recurring schedule in English or Chinese.

    `country` (e.g. "CN") makes working-day rules follow that country's holidays and make-up days.
    Raises `UsageError("time.unparsed_recurrence")` for anything it does not understand.
    """
    require_aware(now, "now")
    if not text or not text.strip() or len(text) > 200:
        raise _unparsed(text)
    try:
        schedule, clock = _parse_zh(text) if is_chinese(text) else _parse_en(text)
    except UsageError as exc:
        if exc.key == "time.unparsed":
            raise _unparsed(text) from exc
        raise UsageError(exc.key, "time.example_recurrence", **exc.params) from exc
    if clock is not None and clock.day_offset:
        raise _unparsed(text)  # 晚上12点 every day: say 0点
    at = clock.value if clock is not None else DEFAULT_TIME
    workday_rule = schedule.kind in WORKDAY_KINDS
    if country is not None and workday_rule:
        holiday_calendar(country)  # unknown countries fail here, as a UsageError
    local_today = now.astimezone(tz).date()
    weekdays = (local_today.weekday(),) if schedule.on_today else schedule.weekdays
    rule = Recurrence(
        kind=schedule.kind,
        hour=at.hour,
        minute=at.minute,
        tz=tz.key,
        interval=1,
        weekdays=weekdays,
        day_of_month=schedule.day_of_month,
        nth=schedule.nth,
        holidays=country.upper() if country is not None and workday_rule else None,
        time_defaulted=clock is None,
    )
    if schedule.quarter_month is not None:
        # Quarters are calendar quarters: anchor on this quarter's first (or last) month.
        quarter_start = (local_today.month - 1) // 3 * 3 + 1
        anchor = date(local_today.year, quarter_start + schedule.quarter_month, 1)
        return replace(rule, interval=3, anchor=anchor)
    if schedule.interval > 1:
        # Every N days/weeks/months counts from the first occurrence, which is the soonest match.
        first = next_occurrences(rule, after=now, count=1)
        if not first:  # pragma: no cover - a plain rule always has a next occurrence
            raise _unparsed(text)
        rule = replace(rule, interval=schedule.interval, anchor=first[0].astimezone(tz).date())
    return rule


__all__ = [
    "KINDS",
    "Recurrence",
    "RecurrenceKind",
    "next_occurrence",
    "next_occurrences",
    "parse_recurrence",
]
