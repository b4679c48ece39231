"""Holidays and festivals by name, in English and Chinese: "thanksgiving", "christmas 2027", "明年中秋节".

Dates come from libraries, never from a table of years: US federal holidays and China's Qingming (a
solar term) from `holidays`, lunar festivals (春节, 元宵, 端午, 七夕, 中秋, 重阳, 除夕) from `lunardate`
(pure Python, 1900-2099), Easter from `dateutil` (what `holidays` itself uses). What remains are fixed
dates (Christmas is always 25 December) and "nth weekday of a month" rules (Mother's Day).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

DateRule = Callable[[int], date | None]
"""The holiday's date in a Gregorian year, or None where the library has no date for that year."""


@lru_cache(maxsize=64)
def _library_holidays(country: str, year: int) -> Any:
    import holidays

    return holidays.country_holidays(country, years=year, observed=False, language="en_US")


def _library(country: str, name: str) -> DateRule:
    def rule(year: int) -> date | None:
        found = _library_holidays(country, year).get_named(name, lookup="exact")
        return min(found) if found else None

    return rule


def _fixed(month: int, day: int) -> DateRule:
    return lambda year: date(year, month, day)


def _nth_weekday(month: int, weekday: int, nth: int) -> DateRule:
    def rule(year: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))

    return rule


def _lunar(month: int, day: int, *, shift: int = 0, year_shift: int = 0) -> DateRule:
    def rule(year: int) -> date | None:
        from lunardate import LunarDate  # type: ignore[import-untyped]  # no stubs; typed inline

        try:
            found: date = LunarDate(year + year_shift, month, day).to_solar_date()
        except ValueError:  # outside 1900..2099
            return None
        return found + timedelta(days=shift)

    return rule


def _easter(shift: int = 0) -> DateRule:
    def rule(year: int) -> date:
        from dateutil.easter import easter  # type: ignore[import-untyped]  # holidays' own dependency

        found: date = easter(year)
        return found + timedelta(days=shift)

    return rule


def _after(base: DateRule, days: int) -> DateRule:
    def rule(year: int) -> date | None:
        found = base(year)
        return None if found is None else found + timedelta(days=days)

    return rule


_THANKSGIVING: Final = _library("US", "Thanksgiving Day")

EN_HOLIDAYS: Final[dict[str, DateRule]] = {
    "new years day": _library("US", "New Year's Day"),
    "new year": _fixed(1, 1),
    "new years": _fixed(1, 1),
    "new years eve": _fixed(12, 31),
    "nye": _fixed(12, 31),
    "easter": _easter(),
    "easter sunday": _easter(),
    "easter day": _easter(),
    "easter monday": _easter(1),
    "good friday": _easter(-2),
    "thanksgiving": _THANKSGIVING,
    "thanksgiving day": _THANKSGIVING,
    "black friday": _after(_THANKSGIVING, 1),
    "cyber monday": _after(_THANKSGIVING, 4),
    "christmas": _library("US", "Christmas Day"),
    "christmas day": _library("US", "Christmas Day"),
    "xmas": _fixed(12, 25),
    "christmas eve": _fixed(12, 24),
    "xmas eve": _fixed(12, 24),
    "boxing day": _fixed(12, 26),
    "halloween": _fixed(10, 31),
    "valentines day": _fixed(2, 14),
    "valentines": _fixed(2, 14),
    "st patricks day": _fixed(3, 17),
    "mothers day": _nth_weekday(5, 6, 2),
    "fathers day": _nth_weekday(6, 6, 3),
    "labor day": _library("US", "Labor Day"),
    "labour day": _library("US", "Labor Day"),
    "mlk day": _library("US", "Martin Luther King Jr. Day"),
    "martin luther king day": _library("US", "Martin Luther King Jr. Day"),
    "martin luther king jr day": _library("US", "Martin Luther King Jr. Day"),
    "presidents day": _library("US", "Washington's Birthday"),
    "washingtons birthday": _library("US", "Washington's Birthday"),
    "memorial day": _library("US", "Memorial Day"),
    "independence day": _library("US", "Independence Day"),
    "fourth of july": _library("US", "Independence Day"),
    "juneteenth": _library("US", "Juneteenth National Independence Day"),
    "columbus day": _library("US", "Columbus Day"),
    "veterans day": _library("US", "Veterans Day"),
}

ZH_HOLIDAYS: Final[dict[str, DateRule]] = {
    "元旦": _fixed(1, 1),
    "春节": _lunar(1, 1),
    "大年初一": _lunar(1, 1),
    "除夕": _lunar(1, 1, shift=-1),
    "大年三十": _lunar(1, 1, shift=-1),
    "元宵节": _lunar(1, 15),
    "元宵": _lunar(1, 15),
    "清明节": _library("CN", "Tomb-Sweeping Day"),
    "清明": _library("CN", "Tomb-Sweeping Day"),
    "劳动节": _fixed(5, 1),
    "五一劳动节": _fixed(5, 1),
    "五一": _fixed(5, 1),
    "端午节": _lunar(5, 5),
    "端午": _lunar(5, 5),
    "七夕节": _lunar(7, 7),
    "七夕": _lunar(7, 7),
    "中秋节": _lunar(8, 15),
    "中秋": _lunar(8, 15),
    "国庆节": _fixed(10, 1),
    "国庆": _fixed(10, 1),
    "重阳节": _lunar(9, 9),
    "重阳": _lunar(9, 9),
    "腊八节": _lunar(12, 8, year_shift=-1),
    "腊八": _lunar(12, 8, year_shift=-1),
    "教师节": _fixed(9, 10),
    "儿童节": _fixed(6, 1),
    "六一儿童节": _fixed(6, 1),
    "六一": _fixed(6, 1),
    "妇女节": _fixed(3, 8),
    "三八妇女节": _fixed(3, 8),
    "三八节": _fixed(3, 8),
    "女神节": _fixed(3, 8),
    "青年节": _fixed(5, 4),
    "五四青年节": _fixed(5, 4),
    "建军节": _fixed(8, 1),
    "八一建军节": _fixed(8, 1),
    "植树节": _fixed(3, 12),
    "情人节": _fixed(2, 14),
    "母亲节": _nth_weekday(5, 6, 2),
    "父亲节": _nth_weekday(6, 6, 3),
    "感恩节": _THANKSGIVING,
    "平安夜": _fixed(12, 24),
    "圣诞节": _fixed(12, 25),
    "圣诞": _fixed(12, 25),
    "万圣节": _fixed(10, 31),
    "复活节": _easter(),
    "双十一": _fixed(11, 11),
    "双11": _fixed(11, 11),
    "光棍节": _fixed(11, 11),
    "双十二": _fixed(12, 12),
    "双12": _fixed(12, 12),
}

_EN_NAMES: Final = "|".join(sorted((re.escape(k) for k in EN_HOLIDAYS), key=len, reverse=True))
_EN_HOLIDAY: Final = re.compile(
    rf"(?:(?P<this>this|this years) )?(?:the )?(?P<name>{_EN_NAMES})(?: day)?(?: (?P<y>\d{{4}}))?"
)
_ZH_NAMES: Final = "|".join(sorted(ZH_HOLIDAYS, key=len, reverse=True))
ZH_HOLIDAY: Final = re.compile(
    rf"(?:(?P<rel>今年|明年|后年|去年)|(?P<y>\d{{4}}|[零〇一二三四五六七八九]{{4}})年)?的?(?P<name>{_ZH_NAMES})"
)


def holiday_on_or_after(rule: DateRule, today: date) -> date | None:
    """The next date of a holiday from `today` (today included)."""
    for year in (today.year, today.year + 1):
        found = rule(year)
        if found is not None and found >= today:
            return found
    return None


def en_holiday(rest: str, today: date) -> date | None:
    """ "christmas", "thanksgiving 2027", "this easter": the named day (the coming one if no year)."""
    m = _EN_HOLIDAY.fullmatch(re.sub(r"['’]", "", rest))
    if m is None:
        return None
    rule = EN_HOLIDAYS[m["name"]]
    if m["y"]:
        return rule(int(m["y"]))
    if m["this"]:
        return rule(today.year)
    return holiday_on_or_after(rule, today)


__all__ = ["EN_HOLIDAYS", "ZH_HOLIDAY", "ZH_HOLIDAYS", "en_holiday", "holiday_on_or_after"]
