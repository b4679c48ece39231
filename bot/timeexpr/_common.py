"""Shared pieces of the time grammar: text normalisation, numerals, clock-time phrases, wall-time maths.

Nothing here is user-facing on its own; `moment`, `recurrence` and `duration` build on it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.errors import UsageError

DEFAULT_TIME: Final = time(9, 0)
"""What a date without a clock time means when something must fire (reminders, recurrences)."""

EOD_TIME: Final = time(18, 0)
""""eod" / "end of day" / "cob" — the end of the working day."""

CJK_RE: Final = re.compile(r"[\u3400-\u9fff]")

# --------------------------------------------------------------------------------------------------
# Normalisation


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII), lower-case, single spaces, no edge punctuation."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("\u3000", " ").replace("\u3001", "、")
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(" .!?。！？")


def is_chinese(text: str) -> bool:
    return CJK_RE.search(text) is not None


# --------------------------------------------------------------------------------------------------
# Numerals

ZH_DIGITS: Final[dict[str, int]] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ZH_NUM: Final = r"(?:\d+|[零〇一二两三四五六七八九十百]+)"
"""A number as people write it in Chinese: Arabic digits or Chinese numerals (十五, 二十一, 两, 二〇二六)."""


def zh_int(s: str) -> int | None:
    """Parse Arabic or Chinese numerals (up to the hundreds; digit strings like 二〇二六 positionally)."""
    if s.isascii():
        return int(s) if s.isdigit() else None
    if any(ch not in ZH_DIGITS and ch not in "十百" for ch in s):
        return None
    if "十" not in s and "百" not in s:
        # Positional: 二〇二六 -> 2026, 零五 -> 5.
        value = 0
        for ch in s:
            value = value * 10 + ZH_DIGITS[ch]
        return value
    total = 0
    current: int | None = None
    for ch in s:
        if ch in ZH_DIGITS:
            if current is not None and current != 0:
                return None  # two digits in a row inside a unit numeral: 二三十
            current = ZH_DIGITS[ch]
        elif ch == "十":
            total += (current if current else 1) * 10
            current = None
        else:  # 百
            if current is None:
                return None
            total += current * 100
            current = None
    return total + (current or 0)


EN_NUMBERS: Final[dict[str, int]] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
EN_NUM: Final = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


def en_int(s: str) -> int:
    return int(s) if s.isdigit() else EN_NUMBERS[s]


# --------------------------------------------------------------------------------------------------
# Weekdays and months

EN_WEEKDAY_NAMES: Final[dict[str, int]] = {}
for _i, _names in enumerate(
    (
        ("monday", "mon"),
        ("tuesday", "tue", "tues"),
        ("wednesday", "wed", "weds"),
        ("thursday", "thu", "thur", "thurs"),
        ("friday", "fri"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    )
):
    for _n in _names:
        EN_WEEKDAY_NAMES[_n] = _i
EN_WEEKDAY: Final = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)"
)


def en_weekday(s: str) -> int:
    s = s.rstrip(".")
    if s.endswith("s") and s[:-1] in EN_WEEKDAY_NAMES and len(s) > 4:  # "mondays"
        s = s[:-1]
    return EN_WEEKDAY_NAMES[s]


EN_MONTH_NAMES: Final[dict[str, int]] = {}
for _i, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    EN_MONTH_NAMES[_name] = _i
    EN_MONTH_NAMES[_name[:3]] = _i
EN_MONTH_NAMES["sept"] = 9
EN_MONTH: Final = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)


def en_month(s: str) -> int:
    return EN_MONTH_NAMES[s.rstrip(".")]


ZH_WEEKDAY_CHARS: Final[dict[str, int]] = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}
ZH_WD: Final = r"[一二三四五六日天1-7]"
ZH_WEEK: Final = r"(?:周|星期|礼拜)"


# --------------------------------------------------------------------------------------------------
# Clock times


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A parsed clock time; `day_offset` is 1 for "midnight at the end of the day" (晚上12点)."""

    value: time
    day_offset: int = 0


def ambiguous_hour(text: str, hour: int) -> UsageError:
    return UsageError("time.ambiguous_hour", "time.example_moment", text=text, hour=hour)


_AM = ("am", "a.m.", "a.m", "a", "morning", "in the morning")
_PM = (
    "pm",
    "p.m.",
    "p.m",
    "p",
    "afternoon",
    "in the afternoon",
    "evening",
    "in the evening",
    "night",
    "tonight",
)

_AP = r"(?:\s*(?:am|pm|a\.m\.?|p\.m\.?)|[ap])(?![a-z])"
EN_TIME: Final = (
    r"(?:(?P<hm_h>\d{1,2}):(?P<hm_m>\d{2})(?::(?P<hm_s>\d{2}))?(?P<hm_ap>" + _AP + r")?"
    r"|(?P<ap_h>\d{1,2})(?:[.:](?P<ap_m>\d{2}))?(?P<ap_ap>" + _AP + r")"
    r"|(?P<dot_h>1[3-9]|2[0-3]|0\d)\.(?P<dot_m>[0-5]\d)"
    r"|(?:(?P<half>half)|(?P<qtr>(?:a )?quarter)|(?P<im>\d{1,2})(?: ?minutes?| ?mins?)?)"
    r" (?P<rel>past|after|to|till|before|of) (?P<ih>\d{1,2})(?: ?o'?clock)?(?P<iap>" + _AP + r")?"
    r"|(?P<oc_h>\d{1,2})\s*o'?\s?clock"
    r"|(?P<word>noon|midday|eod|eob|end of (?:the )?(?:business |working |work )?day|cob|close of business))"
)
"""An English clock time. Bare numbers ("at 9") are recognised separately because they need a context.

Spoken forms: "half past 4", "a quarter to 7", "20 past 5" (number words are digits by now)."""


def _ap(raw: str | None) -> str | None:
    return None if raw is None else raw.strip()


def en_clock(m: re.Match[str], text: str, *, period: str | None = None) -> ClockTime:
    """Turn an `EN_TIME` match (plus an optional morning/afternoon period) into a time; never guesses."""
    word = m.group("word")
    if word is not None:
        if period is not None:  # "noon tonight", "eod morning": contradictory or meaningless
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        if word in ("noon", "midday"):
            return ClockTime(time(12, 0))
        return ClockTime(EOD_TIME)
    second = 0
    if m.group("hm_h") is not None:
        hour, minute, ap = int(m.group("hm_h")), int(m.group("hm_m")), _ap(m.group("hm_ap"))
        second = int(m.group("hm_s") or 0)
        if second > 59:
            raise UsageError("time.unparsed", "time.example_moment", text=text)
    elif m.group("ap_h") is not None:
        hour, minute, ap = int(m.group("ap_h")), int(m.group("ap_m") or 0), _ap(m.group("ap_ap"))
    elif m.group("dot_h") is not None:
        hour, minute, ap = int(m.group("dot_h")), int(m.group("dot_m")), None
    elif m.group("ih") is not None:
        return _spoken_clock(m, text, period)
    else:
        hour, minute, ap = int(m.group("oc_h")), 0, None
        if period is None:
            return bare_hour(hour, None, text)
    if ap is not None and period is not None and (ap in _AM) != (period in _AM):
        raise UsageError("time.unparsed", "time.example_moment", text=text)  # "tonight 9am"
    strict = m.group("hm_h") is None and m.group("dot_h") is None
    found = clock_from_parts(hour, minute, ap or period, text, strict=strict)
    return ClockTime(found.value.replace(second=second), found.day_offset) if second else found


def _spoken_clock(m: re.Match[str], text: str, period: str | None) -> ClockTime:
    """ "half past 4", "a quarter to 7", "20 past 5": the hour said is 1..12. Without am/pm it is read on
    the working day: 7..11 in the morning, 12 at noon, 1..6 in the afternoon (nobody says "half past four"
    for 04:30 at work; digits alone, "at 4", stay ambiguous)."""
    said = int(m.group("ih"))
    if not 1 <= said <= 12:
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    if m.group("half"):
        minutes = 30
    elif m.group("qtr"):
        minutes = 15
    else:
        minutes = int(m.group("im"))
    if not 1 <= minutes <= 59 or (m.group("half") and m.group("rel") not in ("past", "after")):
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    ap = _ap(m.group("iap"))
    if ap is not None and period is not None and (ap in _AM) != (period in _AM):
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    ap = ap or period or ("am" if 7 <= said <= 11 else "pm")
    base = clock_from_parts(said, 0, ap, text, strict=True)
    at = datetime.combine(date(2000, 1, 2), base.value)
    at += timedelta(minutes=minutes if m.group("rel") in ("past", "after") else -minutes)
    return ClockTime(at.time(), base.day_offset)


def bare_hour(hour: int, period: str | None, text: str) -> ClockTime:
    """ "at 9": with a period, or on the 24-hour clock (0, 13..23), or 7..12 read like 10点 in Chinese (a
    working-day hour: 7..11 in the morning, 12 noon). 1..6 alone could be night or afternoon: refused."""
    if period is None and 1 <= hour <= 6:
        raise ambiguous_hour(text, hour)
    return clock_from_parts(hour, 0, period, text, strict=False)


def clock_from_parts(hour: int, minute: int, ap: str | None, text: str, *, strict: bool) -> ClockTime:
    if minute > 59:
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    if ap is None:
        if hour > 23:
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        return ClockTime(time(hour, minute))
    if ap in _AM:
        if not 1 <= hour <= 12 and (strict or hour > 12):
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        return ClockTime(time(0 if hour == 12 else hour, minute))
    # pm / afternoon / evening
    if hour == 12 and ap in ("evening", "in the evening", "night", "tonight"):
        raise UsageError("time.unparsed", "time.example_moment", text=text)  # noon or midnight?
    if hour == 12:
        return ClockTime(time(12, minute))
    if 1 <= hour <= 11:
        return ClockTime(time(hour + 12, minute))
    if 13 <= hour <= 23 and not strict:
        return ClockTime(time(hour, minute))
    raise UsageError("time.unparsed", "time.example_moment", text=text)


ZH_PERIOD: Final = r"(?:凌晨|半夜|清晨|早上|早晨|一早|上午|中午|午后|下午|傍晚|晚上|晚间|夜里|夜晚)"
ZH_TIME: Final = (
    rf"(?P<zp>{ZH_PERIOD})?"
    r"(?:(?P<zhm_h>\d{1,2}):(?P<zhm_m>\d{2})"
    rf"|(?P<zh>{ZH_NUM})(?:点钟?|时)"
    rf"(?:(?P<zhalf>半)|(?P<zq>[一二两三123])刻|(?P<zm>{ZH_NUM})分?|整)?"
    r"|(?P<zap_h>\d{1,2})(?P<zap>am|pm))"
)
"""A Chinese clock time: 上午10点, 下午2点半, 10点15分, 3点一刻, 晚上8点, 14:30, 十点."""

_ZH_AM = ("凌晨", "半夜", "清晨", "早上", "早晨", "一早", "上午")
_ZH_PM = ("午后", "下午")
_ZH_EVENING = ("傍晚", "晚上", "晚间", "夜里", "夜晚")


def zh_clock(m: re.Match[str], text: str) -> ClockTime:
    """Turn a `ZH_TIME` match into a time. Without 上午/下午, 7..12 and 0, 13..23 read as on a 24-hour
    clock (10点 = 10:00); 1..6 is ambiguous (3 a.m. or 3 p.m.?) and rejected."""
    period = m.group("zp")
    if m.group("zhm_h") is not None:
        hour, minute = int(m.group("zhm_h")), int(m.group("zhm_m"))
    elif m.group("zap_h") is not None:
        return clock_from_parts(int(m.group("zap_h")), 0, m.group("zap"), text, strict=True)
    else:
        h = zh_int(m.group("zh"))
        if h is None:
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        hour = h
        if m.group("zhalf"):
            minute = 30
        elif m.group("zq"):
            minute = 15 * (zh_int(m.group("zq")) or 0)
        elif m.group("zm"):
            mm = zh_int(m.group("zm"))
            if mm is None:
                raise UsageError("time.unparsed", "time.example_moment", text=text)
            minute = mm
        else:
            minute = 0
    if minute > 59 or hour > 24:
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    if period is None:
        if hour == 24 and minute == 0:
            return ClockTime(time(0, 0), day_offset=1)
        if 1 <= hour <= 6 and m.group("zhm_h") is None:
            raise ambiguous_hour(text, hour)
        if hour > 23:
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        return ClockTime(time(hour, minute))
    if period in _ZH_AM:
        if period in ("凌晨", "半夜") and hour == 12:
            hour = 0
        if hour > 12:
            raise UsageError("time.unparsed", "time.example_moment", text=text)
        return ClockTime(time(hour, minute))
    if period == "中午":
        if hour in (11, 12):
            return ClockTime(time(hour, minute))
        if hour in (1, 2, 13, 14):
            return ClockTime(time(hour % 12 + 12, minute))
        raise UsageError("time.unparsed", "time.example_moment", text=text)
    if period in _ZH_EVENING and hour == 12 and minute == 0:
        return ClockTime(time(0, 0), day_offset=1)  # 晚上12点: midnight at the end of that day
    if period in _ZH_PM or period in _ZH_EVENING:
        if 1 <= hour <= 11:
            return ClockTime(time(hour + 12, minute))
        if hour == 12 and period in _ZH_PM:
            return ClockTime(time(12, minute))
        if 13 <= hour <= 23:
            return ClockTime(time(hour, minute))
    raise UsageError("time.unparsed", "time.example_moment", text=text)


# --------------------------------------------------------------------------------------------------
# Wall-clock maths


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def localize(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The instant a wall-clock time happens on `day` in `tz`.

    * Ambiguous wall times (the repeated hour when clocks go back) resolve to the first one (fold=0).
    * Wall times that do not exist (the hour skipped when clocks go forward) resolve to the first valid
      instant after the gap: 02:30 on the spring-forward day in New York or Berlin fires at 03:00.
    """
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=tz)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
        return first
    a = first.astimezone(UTC)
    b = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(a, b), max(a, b)

    def wall(u: datetime) -> datetime:
        return u.astimezone(tz).replace(tzinfo=None)

    if not (wall(lo) < naive < wall(hi)):  # pragma: no cover - zoneinfo always brackets a gap
        return hi.astimezone(tz)
    # Binary search over whole seconds (transitions happen on whole seconds) for the first instant
    # whose wall time is past `naive`: that is the end of the gap.
    lo_s, hi_s = math.floor(lo.timestamp()), math.ceil(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if wall(datetime.fromtimestamp(mid, UTC)) < naive:
            lo_s = mid
        else:
            hi_s = mid
    return datetime.fromtimestamp(hi_s, tz)


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the month's length (Jan 31 + 1 month = Feb 28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(day.day, days_in_month(year, month0 + 1)))


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def valid_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1 <= year <= 9999):
        return None
    if day > days_in_month(year, month):
        return None
    return date(year, month, day)
