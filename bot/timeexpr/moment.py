"""One-off times: "tomorrow 9am", "next Friday 15:00", "明天上午10点", "下周五下午3点".

Chinese is parsed entirely by the grammar here (dateparser knows few Chinese forms and spends seconds
detecting the language); English by the grammar first, then by dateparser with `languages=["en"]` for
unusual *date-only* spellings, guarded so that it can never add a guess of its own.

Resolution rules (all relative to `now` seen in the project zone `tz`):

* Explicit days (today, tomorrow, 12月1日, 2026-12-01, in 3 days) are taken as given, even if in the past.
* A bare weekday ("friday", "周五") is the next such day; today only if a given time is still ahead.
* "next Friday" / 下周五 is the Friday of next week (weeks start on Monday); 下下周五 the week after.
  English "this Friday" is the coming Friday (today included); Chinese 这周五/本周五 is this week's
  Friday even if it has passed.
* A time alone ("3pm", "晚上8点") is today if still ahead, otherwise tomorrow.
* A month and day without a year is this year unless that day has passed (then next year); a day of
  the month alone ("5号", "the 5th") is this month unless it has passed (then the next month having it).
* A date without a time has `has_time=False` and local time 00:00; see `Moment.at_default_time()`.
* Hours 1..12 without am/pm (English "at 3") or 1..6 without 上午/下午 (Chinese "3点") are ambiguous and
  rejected; Chinese 7..12 without a period are morning hours (10点 = 10:00).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal, cast
from zoneinfo import ZoneInfo

from bot.errors import UsageError
from bot.timeexpr._common import (
    DEFAULT_TIME,
    EN_MONTH,
    EN_MONTH_NAMES,
    EN_NUM,
    EN_TIME,
    EN_WEEKDAY,
    EN_WEEKDAY_NAMES,
    EOD_TIME,
    ZH_NUM,
    ZH_TIME,
    ZH_WD,
    ZH_WEEK,
    ZH_WEEKDAY_CHARS,
    ClockTime,
    add_months,
    bare_hour,
    en_clock,
    en_int,
    en_month,
    en_weekday,
    is_chinese,
    localize,
    normalise,
    require_aware,
    valid_date,
    zh_clock,
    zh_int,
)
from bot.timeexpr.duration import parse_duration
from bot.timeexpr.named_days import ZH_HOLIDAY, ZH_HOLIDAYS, en_holiday, holiday_on_or_after
from bot.timeexpr.words import en_number_words, zh_simplified
from bot.timeexpr.workdays import HolidayCalendar, add_working_days, holiday_calendar, working_day_of_month


@dataclass(frozen=True, slots=True)
class Moment:
    """A point in time someone meant.

    `at` is the instant (aware, UTC); `local` the same instant in the project zone. When no clock time
    was given (`has_time` False) `local` is 00:00 that day and only its date is meaningful.
    """

    at: datetime
    local: datetime
    has_time: bool

    @property
    def day(self) -> date:
        return self.local.date()

    @property
    def tz(self) -> ZoneInfo:
        return cast(ZoneInfo, self.local.tzinfo)

    @classmethod
    def from_local(cls, day: date, clock: time | None, tz: ZoneInfo) -> Moment:
        local = localize(day, clock or time(0, 0), tz)
        return cls(at=local.astimezone(UTC), local=local, has_time=clock is not None)

    @classmethod
    def from_instant(cls, instant: datetime, tz: ZoneInfo) -> Moment:
        require_aware(instant, "instant")
        return cls(at=instant.astimezone(UTC), local=instant.astimezone(tz), has_time=True)

    def at_default_time(self, default: time = DEFAULT_TIME) -> Moment:
        """This moment if it has a time; otherwise `default` (09:00) on its day, e.g. for reminders."""
        if self.has_time:
            return self
        return Moment.from_local(self.day, default, self.tz)


def _unparsed(text: str) -> UsageError:
    return UsageError("time.unparsed", "time.example_moment", text=text)


# --------------------------------------------------------------------------------------------------
# What a phrase says about the day, before resolving against `now`

DayMode = Literal["date", "weekday", "this_weekday", "month_day", "day_of_month", "time_only"]
DateOrder = Literal["mdy", "dmy"]
"""How to read an all-numeric date like 4/5: month first (US) or day first. None refuses to choose."""


@dataclass(frozen=True, slots=True)
class _Day:
    mode: DayMode
    day: date | None = None  # "date"
    weekday: int | None = None  # "weekday", "this_weekday"
    month: int | None = None  # "month_day"
    dom: int | None = None  # "month_day", "day_of_month"
    period: str | None = None  # implied by the day word: tonight, 今晚, tomorrow morning
    clock: time | None = None  # implied by the phrase itself: "end of the month" (EOD), 本周内


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What resolving a phrase needs besides the text: the reference day, working days, date order."""

    today: date
    tz: ZoneInfo
    text: str
    country: str | None
    date_order: DateOrder | None

    @property
    def calendar(self) -> HolidayCalendar | None:
        return None if self.country is None else holiday_calendar(self.country)


def _resolve(spec: _Day, clock: ClockTime | None, now: datetime, tz: ZoneInfo, text: str) -> Moment:
    today = now.date()
    if spec.clock is not None:
        if clock is not None:
            raise _unparsed(text)  # "end of the month 3pm": which?
        clock = ClockTime(spec.clock)

    def at(day: date) -> Moment:
        if clock is None:
            return Moment.from_local(day, None, tz)
        return Moment.from_local(day + timedelta(days=clock.day_offset), clock.value, tz)

    def ahead(day: date) -> bool:
        return clock is not None and at(day).at > now

    if spec.mode == "date":
        assert spec.day is not None
        return at(spec.day)
    if spec.mode == "time_only":
        if clock is None:
            raise _unparsed(text)
        return at(today) if ahead(today) else at(today + timedelta(days=1))
    if spec.mode in ("weekday", "this_weekday"):
        assert spec.weekday is not None
        delta = (spec.weekday - today.weekday()) % 7
        if delta == 0 and spec.mode == "weekday" and not ahead(today):
            delta = 7
        return at(today + timedelta(days=delta))
    if spec.mode == "month_day":
        assert spec.month is not None and spec.dom is not None
        for year in range(today.year, today.year + 9):
            candidate = valid_date(year, spec.month, spec.dom)
            if candidate is not None and candidate >= today:
                return at(candidate)
        raise _unparsed(text)  # e.g. "2月30日"
    # day_of_month
    assert spec.dom is not None
    candidate = _next_dom(spec.dom, today)
    if candidate is None:
        raise _unparsed(text)
    return at(candidate)


def _next_dom(dom: int, today: date) -> date | None:
    """The next date (today included) that is day `dom` of its month."""
    first = today.replace(day=1)
    for months in range(14):
        month = add_months(first, months)
        candidate = valid_date(month.year, month.month, dom)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _dom_on_weekday(dom: int, weekday: int, ctx: _Ctx) -> _Day:
    """ "mon 13th", "tuesday the 11th": the next date that is both (today included), as calendars read
    it; a pair that never meets within two years ("mon 31st" of no month) is a mistake in the date."""
    if not 1 <= dom <= 31:
        raise _unparsed(ctx.text)
    first = ctx.today.replace(day=1)
    for months in range(28):
        month = add_months(first, months)
        found = valid_date(month.year, month.month, dom)
        if found is not None and found >= ctx.today and found.weekday() == weekday:
            return _Day("date", day=found)
    raise UsageError("time.weekday_mismatch", "time.example_moment", text=ctx.text, date=str(dom))


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_last(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def _nth_weekday_in(year: int, month: int, weekday: int, nth: int) -> date | None:
    if nth == -1:
        last = _month_last(date(year, month, 1))
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    found = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return found if found.month == month else None


def _explicit(text: str, year: int, month: int, day: int, weekday: int | None = None) -> _Day:
    found = valid_date(year, month, day)
    if found is None:
        raise _unparsed(text)
    if weekday is not None and found.weekday() != weekday:
        raise UsageError("time.weekday_mismatch", "time.example_moment", text=text, date=found.isoformat())
    return _Day("date", day=found)


def _month_day(text: str, month: int, day: int, year: int | None, weekday: int | None, today: date) -> _Day:
    if year is not None:
        return _explicit(text, year, month, day, weekday)
    if not (1 <= month <= 12 and 1 <= day <= 31) or valid_date(2024, month, day) is None:
        raise _unparsed(text)
    if weekday is not None:
        # "Fri Dec 4": the next such date that is that weekday would be a guess; check this/next year.
        for y in (today.year, today.year + 1):
            found = valid_date(y, month, day)
            if found is not None and found >= today:
                return _explicit(text, y, month, day, weekday)
    return _Day("month_day", month=month, dom=day)


def _numeric_date(a: int, b: int, year: int | None, weekday: int | None, ctx: _Ctx) -> _Day:
    """An all-numeric date, a/b[/year]: month first or day first as configured; when both readings are
    valid, different dates and no order is configured, refused as ambiguous rather than guessed."""
    mdy_ok = valid_date(2024, a, b) is not None
    dmy_ok = valid_date(2024, b, a) is not None
    if mdy_ok and dmy_ok and a != b:
        if ctx.date_order is None:
            raise UsageError("time.ambiguous_date", "time.example_moment", text=ctx.text)
        month, day = (a, b) if ctx.date_order == "mdy" else (b, a)
    elif mdy_ok:
        month, day = a, b
    elif dmy_ok:
        month, day = b, a
    else:
        raise _unparsed(ctx.text)
    return _month_day(ctx.text, month, day, year, weekday, ctx.today)


def _end_of_week(today: date, weeks: int) -> _Day:
    """The end of a (working) week: its Friday at the end of the working day."""
    return _Day("date", day=_week_monday(today) + timedelta(days=7 * weeks + 4), clock=EOD_TIME)


def _end_of_month(today: date, months: int) -> _Day:
    return _Day("date", day=_month_last(add_months(today.replace(day=1), months)), clock=EOD_TIME)


def _working_day_of_month(today: date, months: int, nth: int, ctx: _Ctx) -> _Day:
    month = add_months(today.replace(day=1), months)
    found = working_day_of_month(month.year, month.month, nth, ctx.calendar)
    if found is None:  # pragma: no cover - a month with no working day
        raise _unparsed(ctx.text)
    return _Day("date", day=found)


# --------------------------------------------------------------------------------------------------
# Chinese


def _zh_rel_exact() -> re.Pattern[str]:
    return re.compile(rf"(?:(?P<n>{ZH_NUM})个?)?(?P<half>半)?个?(?P<u>小时|钟头|分钟|分)(?:之后|以后|后)")


_ZH_EXACT: Final = _zh_rel_exact()
_ZH_RELDAY: Final = re.compile(rf"(?P<n>{ZH_NUM})个?(?P<u>天|日|周|星期|礼拜|月|年)(?:之后|以后|后)")
_ZH_WORKDAYS: Final = re.compile(rf"(?P<n>{ZH_NUM})个?(?:工作日|工作天)(?:之后|以后|后|之内|以内|内)")
_ZH_DAY_NUM = r"(?:\d{1,2}|[零一二两三四五六七八九十]+)"
_ZH_YMD: Final = re.compile(
    rf"(?:(?P<y>\d{{4}}|[零〇一二三四五六七八九]{{4}})年)?(?P<m>{ZH_NUM})月(?P<d>{_ZH_DAY_NUM})"
    r"(?:[日号]|(?=$|[^\d:点时分]))"
)
_ZH_ISO: Final = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_ZH_MD_SLASH: Final = re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})")
_ZH_REL_MONTH = r"(?P<rel>下下个?月|下个?月|这个?月|本月|上个?月)"
_ZH_RELMONTH: Final = re.compile(rf"{_ZH_REL_MONTH}的?(?P<d>{ZH_NUM})[日号]")
_ZH_MONTH_END: Final = re.compile(rf"(?:{_ZH_REL_MONTH}|月)(?:底|末)")
_ZH_MONTH_WORKDAY: Final = re.compile(
    rf"(?:{_ZH_REL_MONTH}|(?P<m>{ZH_NUM})月)?的?(?P<w>最后一个|第一个)工作日"
)
_ZH_MONTH_NTH: Final = re.compile(
    rf"(?:{_ZH_REL_MONTH}|(?P<m>{ZH_NUM})月)的?(?:第(?P<nth>[一二三四五1-5])个|(?P<last>最后一个))"
    rf"{ZH_WEEK}(?P<wd>{ZH_WD})"
)
_ZH_REL_WEEK = r"(?P<pre>下下个?|下个?|这个?|本|上个?)"
_ZH_WEEKEND: Final = re.compile(rf"{_ZH_REL_WEEK}?(?:周末|星期末|礼拜末)")
_ZH_WITHIN: Final = re.compile(
    rf"(?:(?:{_ZH_REL_WEEK}|周)(?:周|星期|礼拜)?|(?P<month>{_ZH_REL_MONTH}|月)|(?P<day>今天|今日|明天|当天))"
    r"(?:之内|以内|内)"
)
_ZH_DOM: Final = re.compile(rf"(?P<d>{ZH_NUM})[日号]")
_ZH_MONTH_LAST_DAY: Final = re.compile(rf"(?:{_ZH_REL_MONTH}|月)的?最后一天")
_ZH_YEAR_END: Final = re.compile(r"(?P<rel>今年|明年)?的?年(?:底|末)")
_ZH_SHIFT: Final = re.compile(rf"的?(?P<dir>前|后)(?P<n>{ZH_NUM})个?(?P<u>天|周|星期|工作日)")
_ZH_DAYWORD: Final = re.compile(r"大后天|后天|明天|明日|今天|今日|当天|昨天|前天|今晚|明晚|今早|明早")
_ZH_WEEKDAY: Final = re.compile(rf"(?P<pre>下下个?|下个?|这个?|本|上个?)?{ZH_WEEK}(?P<wd>{ZH_WD})")
_ZH_WD_NOTE: Final = re.compile(rf"\(?{ZH_WEEK}(?P<wd>{ZH_WD})\)?")
_ZH_TIME_FULL: Final = re.compile(ZH_TIME)
_ZH_EOD: Final = re.compile(r"下班|收工|今天结束|一天结束")

_ZH_DAYWORDS: Final[dict[str, tuple[int, str | None]]] = {
    "大后天": (3, None),
    "后天": (2, None),
    "明天": (1, None),
    "明日": (1, None),
    "今天": (0, None),
    "今日": (0, None),
    "当天": (0, None),
    "昨天": (-1, None),
    "前天": (-2, None),
    "今晚": (0, "晚上"),
    "明晚": (1, "晚上"),
    "今早": (0, "早上"),
    "明早": (1, "早上"),
}


def _zh_num(s: str, text: str) -> int:
    value = zh_int(s)
    if value is None:
        raise _unparsed(text)
    return value


def _zh_weeks(pre: str | None) -> int:
    return 0 if pre is None else {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1}[pre.rstrip("个")]


def _zh_months(rel: str | None) -> int:
    if rel is None:
        return 0
    return 2 if rel.startswith("下下") else 1 if rel.startswith("下") else -1 if rel.startswith("上") else 0


def _zh_holiday(m: re.Match[str], ctx: _Ctx) -> _Day:
    rule = ZH_HOLIDAYS[m["name"]]
    if m["y"] or m["rel"]:
        year = (
            _zh_num(m["y"], ctx.text)
            if m["y"]
            else ctx.today.year + {"今年": 0, "明年": 1, "后年": 2, "去年": -1}[m["rel"]]
        )
        found = rule(year)
    else:
        found = holiday_on_or_after(rule, ctx.today)
    if found is None:
        raise _unparsed(ctx.text)
    return _Day("date", day=found)


def _zh_day(s: str, ctx: _Ctx) -> tuple[_Day, str]:
    """Match a day expression at the start of `s`; return it and the rest of `s`."""
    today, text = ctx.today, ctx.text
    if m := _ZH_RELDAY.match(s):
        n, unit = _zh_num(m["n"], text), m["u"]
        if unit == "月":
            found = add_months(today, n)
        elif unit == "年":
            found = add_months(today, 12 * n)
        else:
            found = today + timedelta(days=n * (1 if unit in ("天", "日") else 7))
        return _Day("date", day=found), s[m.end() :]
    if m := _ZH_WORKDAYS.match(s):
        return _Day("date", day=add_working_days(today, _zh_num(m["n"], text), ctx.calendar)), s[m.end() :]
    if m := ZH_HOLIDAY.match(s):
        return _zh_holiday(m, ctx), s[m.end() :]
    if m := _ZH_MONTH_NTH.match(s):
        wd, nth = ZH_WEEKDAY_CHARS[m["wd"]], -1 if m["last"] else _zh_num(m["nth"], text)
        if m["m"]:
            month = _zh_num(m["m"], text)
            if not 1 <= month <= 12:
                raise _unparsed(text)
            found_in = [
                d
                for y in (today.year, today.year + 1)
                if (d := _nth_weekday_in(y, month, wd, nth)) is not None
            ]
            found_day = next((d for d in found_in if d >= today), None)
        else:
            base = add_months(today.replace(day=1), _zh_months(m["rel"]))
            found_day = _nth_weekday_in(base.year, base.month, wd, nth)
        if found_day is None:
            raise _unparsed(text)
        return _Day("date", day=found_day), s[m.end() :]
    if m := _ZH_MONTH_WORKDAY.match(s):
        nth = -1 if m["w"] == "最后一个" else 1
        if m["m"]:
            month = _zh_num(m["m"], text)
            if not 1 <= month <= 12:
                raise _unparsed(text)
            year = today.year if (today.month, nth) <= (month, 1) or today.month < month else today.year + 1
            months = (year * 12 + month - 1) - (today.year * 12 + today.month - 1)
        else:
            months = _zh_months(m["rel"])
        return _working_day_of_month(today, months, nth, ctx), s[m.end() :]
    explicit: tuple[int | None, int, int] | None = None
    m = _ZH_YMD.match(s) or _ZH_ISO.match(s) or _ZH_MD_SLASH.match(s)
    if m:
        given_year = _zh_num(m["y"], text) if m.groupdict().get("y") else None
        explicit = (given_year, _zh_num(m["m"], text), _zh_num(m["d"], text))
    if explicit is not None and m is not None:
        rest = s[m.end() :]
        weekday = None
        if note := _ZH_WD_NOTE.match(rest):
            weekday, rest = ZH_WEEKDAY_CHARS[note["wd"]], rest[note.end() :]
        return _month_day(text, explicit[1], explicit[2], explicit[0], weekday, today), rest
    if m := _ZH_MONTH_LAST_DAY.match(s):
        return _Day("date", day=_month_last(add_months(today.replace(day=1), _zh_months(m["rel"])))), s[
            m.end() :
        ]
    if m := _ZH_YEAR_END.match(s):
        year = today.year + (1 if m["rel"] == "明年" else 0)
        return _Day("date", day=date(year, 12, 31), clock=EOD_TIME), s[m.end() :]
    if m := _ZH_MONTH_END.match(s):
        return _end_of_month(today, _zh_months(m["rel"])), s[m.end() :]
    if m := _ZH_RELMONTH.match(s):
        base = add_months(today.replace(day=1), _zh_months(m["rel"]))
        return _explicit(text, base.year, base.month, _zh_num(m["d"], text)), s[m.end() :]
    if m := _ZH_WITHIN.match(s):
        if m["day"]:
            offset = _ZH_DAYWORDS[m["day"]][0]
            return _Day("date", day=today + timedelta(days=offset), clock=EOD_TIME), s[m.end() :]
        if m["month"]:
            return _end_of_month(today, _zh_months(m["rel"])), s[m.end() :]
        return _end_of_week(today, _zh_weeks(m["pre"])), s[m.end() :]
    if m := _ZH_WEEKEND.match(s):
        weeks = _zh_weeks(m["pre"])
        if m["pre"] is None and today.weekday() >= 5:
            return _Day("date", day=today), s[m.end() :]
        return _Day("date", day=_week_monday(today) + timedelta(days=7 * weeks + 5)), s[m.end() :]
    if m := _ZH_DOM.match(s):
        dom = _zh_num(m["d"], text)
        if not 1 <= dom <= 31:
            raise _unparsed(text)
        return _Day("day_of_month", dom=dom), s[m.end() :]
    if m := _ZH_DAYWORD.match(s):
        offset, period = _ZH_DAYWORDS[m[0]]
        return _Day("date", day=today + timedelta(days=offset), period=period), s[m.end() :]
    if m := _ZH_WEEKDAY.match(s):
        weekday, pre = ZH_WEEKDAY_CHARS[m["wd"]], m["pre"]
        if pre is None:
            return _Day("weekday", weekday=weekday), s[m.end() :]
        found = _week_monday(today) + timedelta(days=7 * _zh_weeks(pre) + weekday)
        return _Day("date", day=found), s[m.end() :]
    return _Day("time_only"), s


def _parse_zh(text: str, now: datetime, tz: ZoneInfo, ctx: _Ctx) -> Moment:
    s = re.sub(r"\s+", "", zh_simplified(normalise(text)))
    s = re.sub(r"^(?:在|于|截止到?|截至|到|最迟|最晚)", "", s)
    s = re.sub(r"(?:之前|以前|前|为止|截止)$", "", s)  # "周五前" = by Friday; "3天前" stays unparsed below
    if m := _ZH_EXACT.fullmatch(s):
        if m["n"] is None and m["half"] is None:
            raise _unparsed(text)
        n = _zh_num(m["n"], text) if m["n"] else 0
        if m["u"] in ("小时", "钟头"):
            delta = timedelta(hours=n + (0.5 if m["half"] else 0))
        elif m["half"]:
            raise _unparsed(text)
        else:
            delta = timedelta(minutes=n)
        if delta <= timedelta(0):
            raise _unparsed(text)
        return Moment.from_instant(now + delta, tz)
    spec, rest = _zh_day(s, ctx)
    if (shift := _ZH_SHIFT.match(rest)) and spec.mode != "time_only" and spec.clock is None:
        # "圣诞节前一天", "春节后3天", "国庆节前两个工作日": days counted from a day.
        n = _zh_num(shift["n"], text) * (-1 if shift["dir"] == "前" else 1)
        start = _resolve(replace(spec, period=None), None, now, tz, text).day
        if shift["u"] == "工作日":
            found = add_working_days(start, n, ctx.calendar)
        else:
            found = start + timedelta(days=n * (1 if shift["u"] == "天" else 7))
        spec, rest = _Day("date", day=found), rest[shift.end() :]
    rest = rest.removeprefix("的")
    clock: ClockTime | None = None
    if rest == "中午":
        clock = ClockTime(time(12, 0))  # noon, said on its own
    elif rest:
        if _ZH_EOD.fullmatch(rest):
            if spec.clock is not None:
                raise _unparsed(text)
            clock = ClockTime(EOD_TIME)
        else:
            if spec.period is not None and not re.match(
                r"凌晨|半夜|清晨|早|上午|中午|午后|下午|傍晚|晚|夜", rest
            ):
                rest = spec.period + rest
            tm = _ZH_TIME_FULL.fullmatch(rest)
            if tm is None:
                raise _unparsed(text)
            clock = zh_clock(tm, text)
    elif spec.period is not None:
        raise _unparsed(text)  # 今晚 alone: which time?
    return _resolve(spec, clock, now, tz, text)


# --------------------------------------------------------------------------------------------------
# English

_PERIOD = r"(?:morning|afternoon|evening|night)"
_TIME_TAIL = rf"(?: (?:in the |at )?(?P<tper>{_PERIOD}))?"
_EN_TIME_END: Final = re.compile(rf"(?P<rest>.*?)(?:^| |,)(?:(?:at|@) ?)?(?P<t>{EN_TIME}){_TIME_TAIL}")
_EN_TIME_START: Final = re.compile(rf"(?:(?:at|@) ?)?(?P<t>{EN_TIME}){_TIME_TAIL}(?: |,|$)(?P<rest>.*)")
_EN_BARE_END: Final = re.compile(rf"(?P<rest>.*?)(?:^| )(?:at|@) ?(?P<h>\d{{1,2}}){_TIME_TAIL}")
_EN_BARE_START: Final = re.compile(rf"(?:at|@) ?(?P<h>\d{{1,2}}){_TIME_TAIL}(?: |,|$)(?P<rest>.*)")

_EN_DAYWORD: Final = re.compile(
    r"(?P<w>today|tonight|tomorrow|tomorow|tmrw|tmr|yesterday|(?:the )?day after tomorrow|overmorrow"
    rf"|this (?P<tp>morning|afternoon|evening))(?: (?:in the )?(?P<per>{_PERIOD}))?"
)
_EN_PERIOD_ONLY: Final = re.compile(rf"(?:in the )?(?P<per>{_PERIOD})")
_EN_DOM_SUFFIX = r"(?: (?:the (?P<dom>\d{1,2})(?:st|nd|rd|th)?|(?P<dom2>\d{1,2})(?:st|nd|rd|th)))"
_EN_WEEKDAY: Final = re.compile(
    rf"(?:(?P<wk1>this|next) week )?(?:(?P<pre>this|next|coming|upcoming) )?(?P<wd>{EN_WEEKDAY})"
    rf"{_EN_DOM_SUFFIX}?"
    rf"(?: (?:of )?(?P<wk>next week|this week|after next|the week after next))?"
    rf"(?: (?:in the )?(?P<per>{_PERIOD}))?"
)
_EN_UNIT = (
    r"(?P<u>(?:business|working|work) ?days?|days?|d|weeks?|wks?|w|fortnights?|months?|mos?|years?|yrs?)"
)
_EN_AMOUNT = rf"(?P<n>{EN_NUM}|\d+)"
_EN_RELDAY: Final = re.compile(
    rf"(?P<lead>in |within )?{_EN_AMOUNT} {_EN_UNIT}(?P<tail> (?:from (?:now|today)|later|hence))?"
)
_EN_ANCHORED: Final = re.compile(rf"{_EN_AMOUNT} {_EN_UNIT} (?P<dir>from|after|before) (?P<anchor>.+)")
_EN_OFFSET: Final = re.compile(r"(?:in|within) (?P<a>.+)|(?P<b>.+?) (?:later|from now|hence)")
_WD_PREFIX = rf"(?:(?P<wd>{EN_WEEKDAY}) )?"
_ORD = r"(?:st|nd|rd|th)?"
_EN_MONTH_DAY: Final = re.compile(
    rf"{_WD_PREFIX}(?P<mon>{EN_MONTH}) (?:the )?(?P<d>\d{{1,2}}){_ORD}(?: (?P<y>\d{{4}}))?"
)
_EN_DAY_MONTH: Final = re.compile(
    rf"{_WD_PREFIX}(?:the )?(?P<d>\d{{1,2}}){_ORD} (?:of )?(?P<mon>{EN_MONTH})(?: (?P<y>\d{{4}}))?"
)
_EN_ISO: Final = re.compile(rf"{_WD_PREFIX}(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})")
_EN_COMPACT: Final = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)")
_EN_SLASH: Final = re.compile(
    rf"{_WD_PREFIX}(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?"
)
_EN_DOM: Final = re.compile(r"(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)")
_EN_DOM_OF_MONTH: Final = re.compile(
    r"(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)? (?:of )?(?P<rel>this|next|the) month"
)
_EN_NTH = r"(?P<nth>1st|2nd|3rd|4th|5th|last)"
_EN_NTH_OF_MONTH: Final = re.compile(
    rf"(?:the )?{_EN_NTH} (?:(?P<wd>{EN_WEEKDAY})|(?P<work>(?:business|working|work) ?day)) (?:of|in) "
    rf"(?:(?P<rel>this|next|the) month|(?P<mon>{EN_MONTH})(?: (?P<y>\d{{4}}))?)"
)
_EN_END_OF: Final = re.compile(r"(?:the )?end of (?:the )?(?P<x>.+)")
_EN_START_OF: Final = re.compile(r"(?:the )?(?:start|beginning) of (?P<rel>this|next|the) (?P<x>week|month)")
_EN_LAST_DAY: Final = re.compile(r"(?:the )?last day of (?P<rel>this|next|the) month")
_EN_WEEKEND: Final = re.compile(r"(?:(?P<rel>this|next|the) )?weekend")
_EN_LEAD: Final = re.compile(r"^(?:on|by|due|before|until|till|at) ")
_EN_NTH_VALUES: Final[dict[str, int]] = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}

_EN_DAYWORD_OFFSETS: Final[dict[str, int]] = {
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "tomorow": 1,
    "tmrw": 1,
    "tmr": 1,
    "yesterday": -1,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
    "overmorrow": 2,
}


def _en_amount(raw: str) -> int:
    return int(raw) if raw.isdigit() else en_int(raw)


def _shift(day: date, n: int, unit: str, ctx: _Ctx) -> date:
    """`day` moved by `n` calendar units (days, weeks, fortnights, months, years, working days)."""
    if unit.startswith(("business", "working", "work")):
        return add_working_days(day, n, ctx.calendar)
    if unit.startswith("f"):
        return day + timedelta(days=14 * n)
    if unit.startswith("mo"):
        return add_months(day, n)
    if unit.startswith("y"):
        return add_months(day, 12 * n)
    if unit.startswith("w"):
        return day + timedelta(days=7 * n)
    return day + timedelta(days=n)


def _en_offset(s: str, now: datetime, ctx: _Ctx) -> _Day | timedelta | None:
    """ "in 3 days" (a day) / "in 1 day 2 hours", "in half an hour", "1h30m later" (an exact instant)."""
    m = _EN_RELDAY.fullmatch(s)
    if m is not None and (m["lead"] is None) != (m["tail"] is None):
        n = _en_amount(m["n"])
        if n <= 0:
            raise _unparsed(ctx.text)
        return _Day("date", day=_shift(ctx.today, n, m["u"], ctx))
    m = _EN_OFFSET.fullmatch(s)
    if m is None:
        return None
    try:
        delta = parse_duration(m["a"] or m["b"])
    except UsageError:
        return None
    if delta % timedelta(days=1) == timedelta(0):
        return _Day("date", day=ctx.today + delta)
    return delta


def _en_end_of(x: str, ctx: _Ctx, now: datetime) -> _Day | None:
    today = ctx.today
    if x in ("week", "this week", "the week", "work week", "working week", "the working week"):
        return _end_of_week(today, 0)
    if x == "next week":
        return _end_of_week(today, 1)
    if x in ("month", "this month"):
        return _end_of_month(today, 0)
    if x == "next month":
        return _end_of_month(today, 1)
    if x in ("year", "this year"):
        return _Day("date", day=date(today.year, 12, 31), clock=EOD_TIME)
    if x == "next year":
        return _Day("date", day=date(today.year + 1, 12, 31), clock=EOD_TIME)
    if x in ("quarter", "this quarter", "next quarter"):
        quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        months = 3 if x == "next quarter" else 0
        return _Day("date", day=_month_last(add_months(quarter_start, months + 2)), clock=EOD_TIME)
    spec = _en_day(x, ctx, now)
    if spec is None or spec.period is not None or spec.clock is not None or spec.mode == "time_only":
        return None
    return _Day("date", day=_resolve(spec, None, now, ctx.tz, ctx.text).day, clock=EOD_TIME)


def _en_day(rest: str, ctx: _Ctx, now: datetime) -> _Day | None:
    today, text = ctx.today, ctx.text
    rest = _EN_LEAD.sub("", rest).strip(" ,")
    if not rest:
        return _Day("time_only")
    if m := _EN_DAYWORD.fullmatch(rest):
        if m["tp"]:
            return _Day("date", day=today, period=m["per"] or m["tp"])
        word = m["w"]
        period = m["per"] or ("night" if word == "tonight" else None)
        return _Day("date", day=today + timedelta(days=_EN_DAYWORD_OFFSETS[word]), period=period)
    if m := _EN_PERIOD_ONLY.fullmatch(rest):
        return _Day("time_only", period=m["per"])
    if m := _EN_WEEKDAY.fullmatch(rest):
        wd_index, pre, wk1, wk = en_weekday(m["wd"]), m["pre"], m["wk1"], m["wk"]
        dom = m["dom"] or m["dom2"]
        if sum(x is not None for x in (pre, wk1, wk)) > 1 or (dom and (pre or wk1 or wk)):
            return None
        if dom:
            found = _dom_on_weekday(int(dom), wd_index, ctx)
            return replace(found, period=m["per"])
        weeks: int | None = None
        if pre == "next" or wk1 == "next" or wk == "next week":
            weeks = 1
        elif wk in ("after next", "the week after next"):
            weeks = 2
        elif wk1 == "this" or wk == "this week":
            weeks = 0
        if weeks is not None:
            return _Day(
                "date", day=_week_monday(today) + timedelta(days=7 * weeks + wd_index), period=m["per"]
            )
        mode: DayMode = "this_weekday" if pre == "this" else "weekday"
        return _Day(mode, weekday=wd_index, period=m["per"])
    m = _EN_ANCHORED.fullmatch(rest)
    anchor = None if m is None or m["anchor"] in ("now", "today") else _en_day(m["anchor"], ctx, now)
    if m is not None and anchor is not None:
        if anchor.mode == "time_only" or anchor.period is not None:
            return None
        base = _resolve(replace(anchor, clock=None), None, now, ctx.tz, text).day
        n = _en_amount(m["n"])
        return _Day("date", day=_shift(base, -n if m["dir"] == "before" else n, m["u"], ctx))
    offset = _en_offset(rest, now, ctx)
    if isinstance(offset, _Day):
        return offset
    if isinstance(offset, timedelta):
        return None
    if m := _EN_END_OF.fullmatch(rest):
        return _en_end_of(m["x"], ctx, now)
    if m := _EN_START_OF.fullmatch(rest):
        ahead = 1 if m["rel"] == "next" else 0
        if m["x"] == "week":
            return _Day("date", day=_week_monday(today) + timedelta(days=7 * ahead))
        return _Day("date", day=add_months(today.replace(day=1), ahead))
    if m := _EN_LAST_DAY.fullmatch(rest):
        return _Day("date", day=_month_last(add_months(today.replace(day=1), 1 if m["rel"] == "next" else 0)))
    if m := _EN_WEEKEND.fullmatch(rest):
        if m["rel"] != "next" and today.weekday() >= 5:
            return _Day("date", day=today)
        return _Day("date", day=_week_monday(today) + timedelta(days=(7 if m["rel"] == "next" else 0) + 5))
    if m := (_EN_MONTH_DAY.fullmatch(rest) or _EN_DAY_MONTH.fullmatch(rest)):
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        year = int(m["y"]) if m["y"] else None
        return _month_day(text, en_month(m["mon"]), int(m["d"]), year, weekday, today)
    if m := _EN_ISO.fullmatch(rest):
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        return _explicit(text, int(m["y"]), int(m["m"]), int(m["d"]), weekday)
    if m := _EN_COMPACT.fullmatch(rest):
        return _explicit(text, int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _EN_SLASH.fullmatch(rest):
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        year = None
        if m["y"]:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        return _numeric_date(int(m["a"]), int(m["b"]), year, weekday, ctx)
    if m := _EN_DOM.fullmatch(rest):
        dom = int(m["d"])
        if not 1 <= dom <= 31:
            raise _unparsed(text)
        return _Day("day_of_month", dom=dom)
    if m := _EN_DOM_OF_MONTH.fullmatch(rest):
        base = add_months(today.replace(day=1), 1 if m["rel"] == "next" else 0)
        return _explicit(text, base.year, base.month, int(m["d"]))
    if m := _EN_NTH_OF_MONTH.fullmatch(rest):
        return _en_nth_of_month(m, ctx)
    if holiday := en_holiday(rest, today):
        return _Day("date", day=holiday)
    return None


def _en_nth_of_month(m: re.Match[str], ctx: _Ctx) -> _Day:
    today, nth = ctx.today, _EN_NTH_VALUES[m["nth"]]
    if m["mon"]:
        month = en_month(m["mon"])
        years = [int(m["y"])] if m["y"] else [today.year, today.year + 1]
        months = [(y, month) for y in years]
    else:
        base = add_months(today.replace(day=1), 1 if m["rel"] == "next" else 0)
        months = [(base.year, base.month)]
    for year, month in months:
        if m["work"]:
            if nth not in (1, -1):
                raise _unparsed(ctx.text)
            found = working_day_of_month(year, month, nth, ctx.calendar)
        else:
            found = _nth_weekday_in(year, month, en_weekday(m["wd"]), nth)
        if found is not None and (found >= today or len(months) == 1):
            return _Day("date", day=found)
    raise _unparsed(ctx.text)


def _en_prepare(text: str) -> str:
    s = normalise(text).replace(",", " ")
    s = en_number_words(s)
    s = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(\d{1,2}:\d{2})", r"\1 \2", s)
    s = re.sub(r"\b(?:early|late|mid)[ -](morning|afternoon|evening|night)\b", r"\1", s)
    s = re.sub(r"\b(?:the )?following (week|month)\b", r"next \1", s)
    s = re.sub(r"\bthis coming\b", "coming", s)
    s = re.sub(r"\beow\b", "end of the week", s)
    s = re.sub(r"\beom\b", "end of the month", s)
    s = re.sub(r"\ba couple(?: of)?\b", "2", s)
    s = re.sub(r"^(in .+?)(?:'s|'|’s|’)? time$", r"\1", s)
    s = re.sub(r"^(?:tonight at midnight|midnight tonight|tonight midnight)$", "tomorrow 00:00", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^(?:on|by|due|before|until|till|no later than) ", "", s)


def _parse_en(text: str, now: datetime, tz: ZoneInfo, ctx: _Ctx) -> Moment:
    s = _en_prepare(text)
    offset = _en_offset(s, now, ctx)
    if isinstance(offset, timedelta):
        if offset <= timedelta(0):
            raise _unparsed(text)
        return Moment.from_instant(now + offset, tz)

    # A clock time at the end or the start; the rest must be a day.
    time_found: re.Match[str] | None = None
    bare_found: re.Match[str] | None = None
    rest = s
    for pattern in (_EN_TIME_END, _EN_TIME_START):
        if time_found := pattern.fullmatch(s):
            rest = time_found["rest"]
            break
    else:
        for pattern in (_EN_BARE_END, _EN_BARE_START):
            if bare_found := pattern.fullmatch(s):
                rest = bare_found["rest"]
                break

    def clock_for(period: str | None) -> ClockTime | None:
        if time_found is not None:
            return en_clock(time_found, text, period=time_found["tper"] or period)
        if bare_found is not None:
            return bare_hour(int(bare_found["h"]), bare_found["tper"] or period, text)
        return None

    spec = _en_day(rest, ctx, now)
    if spec is None and (time_found is not None or bare_found is not None):
        # "end of the day" is a clock word, but "end of tomorrow" is a day: try the whole phrase.
        whole = _en_day(s, ctx, now)
        if whole is not None and whole.clock is not None:
            spec, time_found, bare_found = whole, None, None
    if spec is None:
        found_day = _dateparser_day(rest, now)
        if found_day is None:
            raise _unparsed(text)
        spec = _Day("date", day=found_day)
    clock = clock_for(spec.period)
    if clock is None and spec.period is not None:
        raise _unparsed(text)  # "tomorrow morning": which time?
    return _resolve(spec, clock, now, tz, text)


# --------------------------------------------------------------------------------------------------
# dateparser, for English date-only spellings the grammar does not know ("1st of December 2026")


def _dateparser_settings(now: datetime) -> dict[str, object]:
    # `now` is already local wall time in the project zone and only a calendar date is taken from the
    # result, so dateparser gets the naive local reference and no TIMEZONE: that is equivalent for
    # dates and spares it loading (pytz) zone data on the first call per zone.
    return {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month"],
        "PARSERS": ["absolute-time"],
    }


_FALLBACK_WORDS: Final = frozenset({"of", "the", "st", "nd", "rd", "th"})


def _dateparser_day(rest: str, now: datetime) -> date | None:
    """A calendar date from dateparser for odd spellings of "day month [year]" ("1-dec-2026").

    Accepted only when nothing can have been guessed or lost: exactly one month name, no words but
    month and weekday names, "of", "the" and ordinal suffixes, one day number and at most a 4-digit
    year, all of them reproduced in the result, and any weekday matching it.
    """
    words = re.findall(r"[a-z]+", rest)
    numbers = re.findall(r"\d+", rest)
    months = [w for w in words if w in EN_MONTH_NAMES]
    weekdays = [w for w in words if w in EN_WEEKDAY_NAMES]
    day_numbers = [n for n in numbers if len(n) <= 2]
    years = [n for n in numbers if len(n) == 4]
    if (
        len(months) != 1
        or len(weekdays) > 1
        or any(
            w not in EN_MONTH_NAMES and w not in EN_WEEKDAY_NAMES and w not in _FALLBACK_WORDS for w in words
        )
        or len(day_numbers) != 1
        or len(years) > 1
        or len(day_numbers) + len(years) != len(numbers)
    ):
        return None
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings=_dateparser_settings(now))
    data = parser.get_date_data(rest)
    found = data.date_obj
    if found is None or data.period != "day" or found.time() != time(0, 0):
        return None
    day = found.date()
    if day.month != en_month(months[0]) or day.day != int(day_numbers[0]):
        return None
    if day.year != (int(years[0]) if years else day.year) or (
        not years and day.year - now.year not in (0, 1)
    ):
        return None
    if weekdays and en_weekday(weekdays[0]) != day.weekday():
        return None
    return day


# --------------------------------------------------------------------------------------------------
# Public API


_PLAIN_ISO: Final = re.compile(r"\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s*")


def parse_moment(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    country: str | None = None,
    date_order: DateOrder | None = None,
) -> Moment:
    """Parse a one-off date or time in English or Chinese; raises `UsageError("time.unparsed")`.

    `country` (e.g. "CN") makes "in 4 business days" / 3个工作日后 / 下个月最后一个工作日 follow that
    country's holidays and make-up working days (Monday to Friday without it). `date_order` reads an
    all-numeric date like 4/5 month first ("mdy") or day first ("dmy"); None refuses to choose when both
    readings are valid dates (`time.ambiguous_date`).
    """
    require_aware(now, "now")
    local_now = now.astimezone(tz)
    if not text or not text.strip() or len(text) > 200:
        raise _unparsed(text)
    if country is not None:
        holiday_calendar(country)  # unknown countries fail here, as a UsageError
    if m := _PLAIN_ISO.fullmatch(text):
        # "2026-12-15", the commonest due date: the same day the grammar finds, without its ~20 passes.
        return _resolve(_explicit(text, int(m["y"]), int(m["m"]), int(m["d"])), None, local_now, tz, text)
    ctx = _Ctx(today=local_now.date(), tz=tz, text=text, country=country, date_order=date_order)
    if is_chinese(text):
        return _parse_zh(text, local_now, tz, ctx)
    return _parse_en(text, local_now, tz, ctx)


def parse_date(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    country: str | None = None,
    date_order: DateOrder | None = None,
) -> date:
    """The local calendar date of `text` (for due dates); a time, if given, is dropped."""
    return parse_moment(text, now=now, tz=tz, country=country, date_order=date_order).day


def warm_up(countries: Iterable[str] = ("CN",)) -> None:
    """Call once at start-up (~0.2 s): loads dateparser's English data (~0.1 s of it) and builds the
    holiday calendars of `countries` for this year and next (China's alone costs ~0.09 s on first use),
    so that no user-facing first call is slow."""
    tz = ZoneInfo("UTC")
    now = datetime.now(tz)
    _dateparser_day("1-dec-2026", now)
    parse_moment("tomorrow 9am", now=now, tz=tz)
    parse_moment("明天上午10点", now=now, tz=tz)
    parse_moment("christmas", now=now, tz=tz)  # the holidays library's US data
    parse_moment("中秋节", now=now, tz=tz)  # lunardate
    parse_moment("清明节", now=now, tz=tz)  # the holidays library's CN data
    for country in countries:
        calendar = holiday_calendar(country)
        for year in (now.year, now.year + 1):
            calendar.is_working_day(date(year, 1, 1))


__all__ = ["DEFAULT_TIME", "DateOrder", "Moment", "parse_date", "parse_moment", "warm_up"]
