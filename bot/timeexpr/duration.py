"""Lead times and durations: "15m", "1h", "2h30m", "90 minutes", "15分钟", "1小时", "半小时"."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Final

from bot.errors import UsageError
from bot.i18n import t
from bot.timeexpr._common import EN_NUM, ZH_NUM, en_int, is_chinese, normalise, zh_int

MAX_DURATION: Final = timedelta(days=366)

_EN_UNITS: Final[dict[str, timedelta]] = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
_EN_TOKEN: Final = re.compile(
    rf"(?P<n>\d+(?:\.\d+)?|half an?|{EN_NUM}) ?"
    r"(?P<u>weeks?|wks?|w|days?|d|hours?|hrs?|hr|h|minutes?|mins?|min|m)(?![a-z])"
)
_EN_SEP: Final = re.compile(r"(?: |,|and\b)*")
_ZH_TOKEN: Final = re.compile(
    rf"(?:(?P<n>{ZH_NUM}|\d+\.\d+)个?)?(?P<half>半)?个?(?P<u>小时|钟头|分钟|分|天|日|周|星期|礼拜)"
)
_ZH_UNITS: Final[dict[str, timedelta]] = {
    "小时": timedelta(hours=1),
    "钟头": timedelta(hours=1),
    "分钟": timedelta(minutes=1),
    "分": timedelta(minutes=1),
    "天": timedelta(days=1),
    "日": timedelta(days=1),
    "周": timedelta(weeks=1),
    "星期": timedelta(weeks=1),
    "礼拜": timedelta(weeks=1),
}


def _bad(text: str) -> UsageError:
    return UsageError("time.bad_duration", "time.example_duration", text=text)


def _en_amount(raw: str) -> float:
    if raw.startswith("half"):
        return 0.5
    if "." in raw:
        return float(raw)
    return float(en_int(raw))


def _parse_en(s: str, text: str) -> timedelta:
    total, pos, last_unit = timedelta(0), 0, ""
    while pos < len(s):
        pos = _EN_SEP.match(s, pos).end()  # type: ignore[union-attr]  # always matches
        if pos >= len(s):
            break
        m = _EN_TOKEN.match(s, pos)
        if m is None:
            # "1h30": minutes after hours without a unit.
            tail = re.fullmatch(r"(\d{1,2})", s[pos:])
            if tail is None or last_unit != "h":
                raise _bad(text)
            total += timedelta(minutes=int(tail[1]))
            break
        last_unit = m["u"][0]
        total += _EN_UNITS[last_unit] * _en_amount(m["n"])
        pos = m.end()
    return total


def _parse_zh(s: str, text: str) -> timedelta:
    total, pos, last_unit = timedelta(0), 0, ""
    while pos < len(s):
        m = _ZH_TOKEN.match(s, pos)
        if m is None:
            tail = re.fullmatch(ZH_NUM, s[pos:])
            value = zh_int(s[pos:]) if tail else None
            if value is None or last_unit not in ("小时", "钟头"):
                raise _bad(text)
            total += timedelta(minutes=value)
            break
        if m["n"] is None and m["half"] is None:
            raise _bad(text)
        amount: float = 0.0
        if m["n"] is not None:
            number = float(m["n"]) if "." in m["n"] else zh_int(m["n"])
            if number is None:
                raise _bad(text)
            amount = float(number)
        if m["half"]:
            amount += 0.5
        last_unit = m["u"]
        total += _ZH_UNITS[last_unit] * amount
        pos = m.end()
    return total


def parse_duration(text: str) -> timedelta:
    """A positive duration of at most a year; raises `UsageError("time.bad_duration")`."""
    s = normalise(text or "")
    if not s or len(s) > 100:
        raise _bad(text)
    result = _parse_zh(re.sub(r"\s+", "", s), text) if is_chinese(s) else _parse_en(s, text)
    if result <= timedelta(0) or result > MAX_DURATION:
        raise _bad(text)
    return result


def render_duration(value: timedelta, lang: str) -> str:
    """ "1 h 30 min" / "1小时30分钟" (whole minutes; seconds are dropped)."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        t(key, lang, n=n)
        for key, n in (
            ("time.duration.days", days),
            ("time.duration.hours", hours),
            ("time.duration.minutes", mins),
        )
        if n
    ]
    if not parts:
        return t("time.duration.minutes", lang, n=0)
    text = parts[0]
    for part in parts[1:]:
        text = t("time.duration.join", lang, a=text, b=part)
    return text


__all__ = ["MAX_DURATION", "parse_duration", "render_duration"]
