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
from dataclasses import dataclass
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
from bot.timeexpr.workdays import holiday_calendar


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


@dataclass(frozen=True, slots=True)
class _Day:
    mode: DayMode
    day: date | None = None  # "date"
    weekday: int | None = None  # "weekday", "this_weekday"
    month: int | None = None  # "month_day"
    dom: int | None = None  # "month_day", "day_of_month"
    period: str | None = None  # implied by the day word: tonight, 今晚, tomorrow morning


def _resolve(spec: _Day, clock: ClockTime | None, now: datetime, tz: ZoneInfo, text: str) -> Moment:
    today = now.date()

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
    first = today.replace(day=1)
    for months in range(13):
        month = add_months(first, months)
        candidate = valid_date(month.year, month.month, spec.dom)
        if candidate is not None and candidate >= today:
            return at(candidate)
    raise _unparsed(text)


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


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


# --------------------------------------------------------------------------------------------------
# Chinese


def _zh_rel_exact() -> re.Pattern[str]:
    return re.compile(rf"(?:(?P<n>{ZH_NUM})个?)?(?P<half>半)?个?(?P<u>小时|钟头|分钟|分)(?:之后|以后|后)")


_ZH_EXACT: Final = _zh_rel_exact()
_ZH_RELDAY: Final = re.compile(rf"(?P<n>{ZH_NUM})个?(?P<u>天|日|周|星期|礼拜|月)(?:之后|以后|后)")
_ZH_YMD: Final = re.compile(
    rf"(?:(?P<y>\d{{4}}|[零〇一二三四五六七八九]{{4}})年)?(?P<m>{ZH_NUM})月(?P<d>{ZH_NUM})[日号]"
)
_ZH_ISO: Final = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_ZH_MD_SLASH: Final = re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})")
_ZH_RELMONTH: Final = re.compile(rf"(?P<rel>下下个?月|下个?月|这个?月|本月)(?P<d>{ZH_NUM})[日号]")
_ZH_DOM: Final = re.compile(rf"(?P<d>{ZH_NUM})[日号]")
_ZH_DAYWORD: Final = re.compile(r"大后天|后天|明天|明日|今天|今日|昨天|前天|今晚|明晚|今早|明早")
_ZH_WEEKDAY: Final = re.compile(rf"(?P<pre>下下个?|下个?|这个?|本|上个?)?{ZH_WEEK}(?P<wd>{ZH_WD})")
_ZH_WD_NOTE: Final = re.compile(rf"\(?{ZH_WEEK}(?P<wd>{ZH_WD})\)?")
_ZH_TIME_FULL: Final = re.compile(ZH_TIME)

_ZH_DAYWORDS: Final[dict[str, tuple[int, str | None]]] = {
    "大后天": (3, None),
    "后天": (2, None),
    "明天": (1, None),
    "明日": (1, None),
    "今天": (0, None),
    "今日": (0, None),
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


def _zh_day(s: str, today: date, text: str) -> tuple[_Day, str]:
    """Match a day expression at the start of `s`; return it and the rest of `s`."""
    if m := _ZH_RELDAY.match(s):
        n, unit = _zh_num(m["n"], text), m["u"]
        if unit == "月":
            found = add_months(today, n)
        else:
            found = today + timedelta(days=n * (1 if unit in ("天", "日") else 7))
        return _Day("date", day=found), s[m.end() :]
    explicit: tuple[int | None, int, int] | None = None
    m = _ZH_YMD.match(s) or _ZH_ISO.match(s) or _ZH_MD_SLASH.match(s)
    if m:
        year = _zh_num(m["y"], text) if m.groupdict().get("y") else None
        explicit = (year, _zh_num(m["m"], text), _zh_num(m["d"], text))
    if explicit is not None and m is not None:
        rest = s[m.end() :]
        weekday = None
        if note := _ZH_WD_NOTE.match(rest):
            weekday, rest = ZH_WEEKDAY_CHARS[note["wd"]], rest[note.end() :]
        year, month, day = explicit
        return _month_day(text, month, day, year, weekday, today), rest
    if m := _ZH_RELMONTH.match(s):
        rel = m["rel"]
        months = 2 if rel.startswith("下下") else 1 if rel.startswith("下") else 0
        base = add_months(today.replace(day=1), months)
        return _explicit(text, base.year, base.month, _zh_num(m["d"], text)), s[m.end() :]
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
        weeks = {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1}[pre.rstrip("个")]
        found = _week_monday(today) + timedelta(days=7 * weeks + weekday)
        return _Day("date", day=found), s[m.end() :]
    return _Day("time_only"), s


def _parse_zh(text: str, now: datetime, tz: ZoneInfo) -> Moment:
    s = re.sub(r"\s+", "", normalise(text))
    s = re.sub(r"^(?:在|于)", "", s)
    s = re.sub(r"(?:之前|以前|前)$", "", s)  # "周五前" = by Friday; "3天前" stays unparsed below
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
    spec, rest = _zh_day(s, now.date(), text)
    rest = rest.removeprefix("的")
    clock: ClockTime | None = None
    if rest:
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
_EN_EXACT: Final = re.compile(
    rf"(?:in (?P<n>{EN_NUM}|\d+\.\d+|half an|half a) ?(?P<u>minutes?|mins?|m|hours?|hrs?|h)"
    rf"|(?P<n2>{EN_NUM}|\d+\.\d+) ?(?P<u2>minutes?|mins?|m|hours?|hrs?|h) (?:from now|later))"
)
_TIME_TAIL = rf"(?: (?:in the |at )?(?P<tper>{_PERIOD}))?"
_EN_TIME_END: Final = re.compile(rf"(?P<rest>.*?)(?:^| |,)(?:(?:at|@) ?)?(?P<t>{EN_TIME}){_TIME_TAIL}")
_EN_TIME_START: Final = re.compile(rf"(?:(?:at|@) ?)?(?P<t>{EN_TIME}){_TIME_TAIL}(?: |,|$)(?P<rest>.*)")
_EN_BARE_END: Final = re.compile(rf"(?P<rest>.*?)(?:^| )(?:at|@) ?(?P<h>\d{{1,2}}){_TIME_TAIL}")
_EN_BARE_START: Final = re.compile(rf"(?:at|@) ?(?P<h>\d{{1,2}}){_TIME_TAIL}(?: |,|$)(?P<rest>.*)")

_EN_DAYWORD: Final = re.compile(
    r"(?P<w>today|tonight|tomorrow|tomorow|tmrw|tmr|yesterday|(?:the )?day after tomorrow|overmorrow"
    rf"|this (?P<tp>morning|afternoon|evening))(?: (?P<per>{_PERIOD}))?"
)
_EN_WEEKDAY: Final = re.compile(
    rf"(?:(?P<pre>this|next|coming|upcoming) )?(?P<wd>{EN_WEEKDAY})"
    rf"(?: (?P<wk>next week|this week|after next))?(?: (?P<per>{_PERIOD}))?"
)
_EN_RELDAY: Final = re.compile(
    rf"(?:in (?P<n>{EN_NUM}) (?P<u>days?|d|weeks?|wks?|w|months?|mos?)"
    rf"|(?P<n2>{EN_NUM}) (?P<u2>days?|weeks?|months?) (?:from (?:now|today)|later))"
)
_WD_PREFIX = rf"(?:(?P<wd>{EN_WEEKDAY}) )?"
_ORD = r"(?:st|nd|rd|th)?"
_EN_MONTH_DAY: Final = re.compile(
    rf"{_WD_PREFIX}(?P<mon>{EN_MONTH}) (?:the )?(?P<d>\d{{1,2}}){_ORD}(?: (?P<y>\d{{4}}))?"
)
_EN_DAY_MONTH: Final = re.compile(
    rf"{_WD_PREFIX}(?:the )?(?P<d>\d{{1,2}}){_ORD} (?:of )?(?P<mon>{EN_MONTH})(?: (?P<y>\d{{4}}))?"
)
_EN_ISO: Final = re.compile(rf"{_WD_PREFIX}(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})")
_EN_SLASH: Final = re.compile(rf"{_WD_PREFIX}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?")
_EN_DOM: Final = re.compile(r"(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)")
_EN_LEAD: Final = re.compile(r"^(?:on|by|due|before|until|till|at) ")

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


def _en_day(rest: str, today: date, text: str) -> _Day | None:
    rest = _EN_LEAD.sub("", rest).strip(" ,")
    if not rest:
        return _Day("time_only")
    if m := _EN_DAYWORD.fullmatch(rest):
        if m["tp"]:
            return _Day("date", day=today, period=m["per"] or m["tp"])
        word = m["w"]
        period = m["per"] or ("night" if word == "tonight" else None)
        return _Day("date", day=today + timedelta(days=_EN_DAYWORD_OFFSETS[word]), period=period)
    if m := _EN_WEEKDAY.fullmatch(rest):
        wd_index, pre, wk = en_weekday(m["wd"]), m["pre"], m["wk"]
        if pre is not None and wk is not None:
            return None
        if pre == "next" or wk == "next week":
            return _Day("date", day=_week_monday(today) + timedelta(days=7 + wd_index), period=m["per"])
        if wk == "after next":
            return _Day("date", day=_week_monday(today) + timedelta(days=14 + wd_index), period=m["per"])
        if wk == "this week":
            return _Day("date", day=_week_monday(today) + timedelta(days=wd_index), period=m["per"])
        mode: DayMode = "this_weekday" if pre == "this" else "weekday"
        return _Day(mode, weekday=wd_index, period=m["per"])
    if m := _EN_RELDAY.fullmatch(rest):
        n, unit = en_int(m["n"] or m["n2"]), (m["u"] or m["u2"])
        if unit.startswith("mo"):
            return _Day("date", day=add_months(today, n))
        return _Day("date", day=today + timedelta(days=n * (7 if unit.startswith("w") else 1)))
    if m := (_EN_MONTH_DAY.fullmatch(rest) or _EN_DAY_MONTH.fullmatch(rest)):
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        year = int(m["y"]) if m["y"] else None
        return _month_day(text, en_month(m["mon"]), int(m["d"]), year, weekday, today)
    if m := _EN_ISO.fullmatch(rest):
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        return _explicit(text, int(m["y"]), int(m["m"]), int(m["d"]), weekday)
    if m := _EN_SLASH.fullmatch(rest):
        a, b = int(m["a"]), int(m["b"])
        if a <= 12 and b <= 12 and a != b:
            raise UsageError("time.ambiguous_date", "time.example_moment", text=text)
        month, day = (b, a) if a > 12 else (a, b)
        weekday = en_weekday(m["wd"]) if m["wd"] else None
        year = None
        if m["y"]:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        return _month_day(text, month, day, year, weekday, today)
    if m := _EN_DOM.fullmatch(rest):
        dom = int(m["d"])
        if not 1 <= dom <= 31:
            raise _unparsed(text)
        return _Day("day_of_month", dom=dom)
    return None


def _parse_en(text: str, now: datetime, tz: ZoneInfo) -> Moment:
    s = normalise(text).replace(",", " ").replace("  ", " ")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(?:on|by|due|before|until|till) ", "", s)
    if m := _EN_EXACT.fullmatch(s):
        raw, unit = (m["n"] or m["n2"]), (m["u"] or m["u2"])
        amount = 0.5 if raw.startswith("half") else float(raw) if "." in raw else float(en_int(raw))
        delta = timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)
        if delta <= timedelta(0):
            raise _unparsed(text)
        return Moment.from_instant(now + delta, tz)

    today = now.date()
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

    spec = _en_day(rest, today, text)
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


def parse_moment(text: str, *, now: datetime, tz: ZoneInfo) -> Moment:
    """Parse a one-off date or time in English or Chinese; raises `UsageError("time.unparsed")`."""
    require_aware(now, "now")
    local_now = now.astimezone(tz)
    if not text or not text.strip() or len(text) > 200:
        raise _unparsed(text)
    if is_chinese(text):
        return _parse_zh(text, local_now, tz)
    return _parse_en(text, local_now, tz)


def parse_date(text: str, *, now: datetime, tz: ZoneInfo) -> date:
    """The local calendar date of `text` (for due dates); a time, if given, is dropped."""
    return parse_moment(text, now=now, tz=tz).day


def warm_up(countries: Iterable[str] = ("CN",)) -> None:
    """Call once at start-up (~0.2 s): loads dateparser's English data (~0.1 s of it) and builds the
    holiday calendars of `countries` for this year and next (China's alone costs ~0.09 s on first use),
    so that no user-facing first call is slow."""
    tz = ZoneInfo("UTC")
    now = datetime.now(tz)
    _dateparser_day("1-dec-2026", now)
    parse_moment("tomorrow 9am", now=now, tz=tz)
    parse_moment("明天上午10点", now=now, tz=tz)
    for country in countries:
        calendar = holiday_calendar(country)
        for year in (now.year, now.year + 1):
            calendar.is_working_day(date(year, 1, 1))


__all__ = ["DEFAULT_TIME", "Moment", "parse_date", "parse_moment", "warm_up"]
