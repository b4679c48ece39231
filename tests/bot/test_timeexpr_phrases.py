"""bot.timeexpr: phrases the way people really type them (issue 14), as table tests under a frozen clock.

Every expected value was worked out by hand from a printed calendar, not from the code under test.
Reference: Tuesday 2026-11-24 10:00 local unless a row says otherwise. Each table runs under
Asia/Shanghai and America/New_York (and UTC); results are compared as local wall-clock readings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UsageError
from bot.timeexpr import (
    Moment,
    next_occurrences,
    parse_moment,
    parse_recurrence,
    render_date,
    render_moment,
    render_recurrence,
)
from bot.timeexpr.named_days import EN_HOLIDAYS, ZH_HOLIDAYS

ZONE_NAMES = ("Asia/Shanghai", "America/New_York", "UTC")


def naive(*fields: int) -> datetime:
    return datetime(*fields)  # type: ignore[arg-type]  # noqa: DTZ001


def tuesday(tz: ZoneInfo) -> datetime:
    return datetime(2026, 11, 24, 10, 0, tzinfo=tz)


def _check(moment: Moment, expected: tuple[int, ...], tz: ZoneInfo) -> None:
    """(y, m, d) for a date alone, (y, m, d, H, M[, S]) with a time."""
    has_time = len(expected) > 3
    want = naive(*expected) if has_time else naive(*expected, 0, 0)
    assert (moment.local.replace(tzinfo=None), moment.has_time) == (want, has_time)
    assert moment.local.tzinfo == tz
    assert moment.at.tzinfo is UTC and moment.at == moment.local


# ------------------------------------------------------------------------------------------------------
# English one-off moments from Tuesday 2026-11-24 10:00

EN_CASES: list[tuple[str, tuple[int, ...]]] = [
    # parts of the day
    ("tonight at 8", (2026, 11, 24, 20, 0)),
    ("this morning at seven", (2026, 11, 24, 7, 0)),  # today, as given, even if passed
    ("tomorrow evening 5:30", (2026, 11, 25, 17, 30)),
    ("sunday early morning at 8:00", (2026, 11, 29, 8, 0)),
    ("late evening at 10", (2026, 11, 24, 22, 0)),
    ("tomorrow afternoon at 3", (2026, 11, 25, 15, 0)),
    ("friday night at 9", (2026, 11, 27, 21, 0)),
    ("in the evening at 7", (2026, 11, 24, 19, 0)),
    # end of a period (end of the working day: 18:00; of a week: its Friday)
    ("end of tomorrow", (2026, 11, 25, 18, 0)),
    ("end of day", (2026, 11, 24, 18, 0)),
    ("eod", (2026, 11, 24, 18, 0)),
    ("end of this week", (2026, 11, 27, 18, 0)),
    ("end of the week", (2026, 11, 27, 18, 0)),
    ("end of next week", (2026, 12, 4, 18, 0)),
    ("end of the month", (2026, 11, 30, 18, 0)),
    ("by the end of the month", (2026, 11, 30, 18, 0)),
    ("end of next month", (2026, 12, 31, 18, 0)),
    ("end of friday", (2026, 11, 27, 18, 0)),
    ("end of the year", (2026, 12, 31, 18, 0)),
    ("eom", (2026, 11, 30, 18, 0)),
    # words for numbers and times
    ("may twenty nine", (2027, 5, 29)),
    ("twenty second of june", (2027, 6, 22)),
    ("the second", (2026, 12, 2)),
    ("the thirty-first", (2026, 12, 31)),
    ("december the first", (2026, 12, 1)),
    ("a quarter to seven", (2026, 11, 25, 6, 45)),  # 06:45 has passed today
    ("twenty past five", (2026, 11, 24, 17, 20)),  # spoken times read on the working day
    ("half past 4", (2026, 11, 24, 16, 30)),
    ("at seven", (2026, 11, 25, 7, 0)),  # 7..12 alone: the morning, like 7点
    ("at seven pm", (2026, 11, 24, 19, 0)),
    ("quarter past nine tomorrow", (2026, 11, 25, 9, 15)),
    ("ten to 8 in the evening", (2026, 11, 24, 19, 50)),
    # anchored offsets
    ("2 weeks from jan 15", (2027, 1, 29)),
    ("3 days after march 12th", (2027, 3, 15)),
    ("two days from tomorrow", (2026, 11, 27)),
    ("4 months from tomorrow", (2027, 3, 25)),
    ("a fortnight later", (2026, 12, 8)),
    ("in 3 years", (2029, 11, 24)),
    ("1 day 2 hours later", (2026, 11, 25, 12, 0)),
    ("in half an hour", (2026, 11, 24, 10, 30)),
    ("in 1 hour 30 minutes", (2026, 11, 24, 11, 30)),
    ("3 days before christmas", (2026, 12, 22)),
    ("a week from friday", (2026, 12, 4)),
    ("in 2 days at 3pm", (2026, 11, 26, 15, 0)),
    # ordinals and weeks
    ("the 27th", (2026, 11, 27)),
    ("the 15th of next month", (2026, 12, 15)),
    ("the first friday of july", (2027, 7, 2)),
    ("the second monday of next month", (2026, 12, 14)),
    ("last friday of the month", (2026, 11, 27)),
    ("this week friday", (2026, 11, 27)),
    ("next week sunday", (2026, 12, 6)),
    ("monday of the following week", (2026, 11, 30)),
    ("this coming friday", (2026, 11, 27)),
    ("friday of next week", (2026, 12, 4)),
    ("mon 13th", (2027, 9, 13)),  # the next 13th that is a Monday
    ("tuesday the eleventh", (2027, 5, 11)),
    # compact and numeric forms
    ("20270301", (2027, 3, 1)),
    ("2027-03-01T12:30:00", (2027, 3, 1, 12, 30)),
    ("23.04.2027 14:55", (2027, 4, 23, 14, 55)),  # 23 can only be the day
    ("4.22", (2027, 4, 22)),  # 22 can only be the day
    ("4-22", (2027, 4, 22)),
    ("25/12", (2026, 12, 25)),
    ("12/25/26", (2026, 12, 25)),
    ("12:30:45", (2026, 11, 24, 12, 30, 45)),
    ("tomorrow 08:15:30", (2026, 11, 25, 8, 15, 30)),
    ("9a", (2026, 11, 25, 9, 0)),
    ("9p", (2026, 11, 24, 21, 0)),
    ("8:45a", (2026, 11, 25, 8, 45)),
    ("17.30", (2026, 11, 24, 17, 30)),
    ("thursday 17.30", (2026, 11, 26, 17, 30)),
    # business days (Monday to Friday without a holiday calendar)
    ("in 4 business days", (2026, 11, 30)),
    ("3 working days from now", (2026, 11, 27)),
    ("2 business days after friday", (2026, 12, 1)),
    ("first working day of next month", (2026, 12, 1)),
    ("last business day of the month", (2026, 11, 30)),
    # holidays by name
    ("New Year's Day", (2027, 1, 1)),
    ("new years eve", (2026, 12, 31)),
    ("easter", (2027, 3, 28)),
    ("easter monday", (2027, 3, 29)),
    ("thanksgiving", (2026, 11, 26)),
    ("christmas", (2026, 12, 25)),
    ("christmas eve", (2026, 12, 24)),
    ("halloween", (2027, 10, 31)),
    ("mother's day", (2027, 5, 9)),
    ("father's day", (2027, 6, 20)),
    ("labor day", (2027, 9, 6)),
    ("mlk day", (2027, 1, 18)),
    ("presidents' day", (2027, 2, 15)),
    ("memorial day", (2027, 5, 31)),
    ("independence day", (2027, 7, 4)),
    ("veterans day", (2027, 11, 11)),
    ("cyber monday", (2026, 11, 30)),
    ("christmas 2027", (2027, 12, 25)),
    ("thanksgiving 2027", (2027, 11, 25)),
    ("christmas at 10am", (2026, 12, 25, 10, 0)),
    ("by christmas eve", (2026, 12, 24)),
    # more ways people write them
    ("this weekend", (2026, 11, 28)),
    ("next weekend", (2026, 12, 5)),
    ("in a couple of days", (2026, 11, 26)),
    ("in two weeks' time", (2026, 12, 8)),
    ("last day of the month", (2026, 11, 30)),
    ("last day of next month", (2026, 12, 31)),
    ("start of next week", (2026, 11, 30)),
    ("beginning of next month", (2026, 12, 1)),
    ("midnight tonight", (2026, 11, 25, 0, 0)),
    ("friday the 13th", (2027, 8, 13)),
]

ZH_CASES: list[tuple[str, tuple[int, ...]]] = [
    # traditional characters and regional words
    ("禮拜一", (2026, 11, 30)),
    ("週三", (2026, 11, 25)),
    ("後天", (2026, 11, 26)),
    ("下禮拜五", (2026, 12, 4)),
    ("星期天", (2026, 11, 29)),
    ("礼拜天", (2026, 11, 29)),
    ("下禮拜五下午3點", (2026, 12, 4, 15, 0)),
    ("這週五", (2026, 11, 27)),
    ("明天晚上八點半", (2026, 11, 25, 20, 30)),
    # dates in Chinese numerals
    ("一月二十三", (2027, 1, 23)),
    ("三月五号", (2027, 3, 5)),
    ("十二月三十一日下午三点", (2026, 12, 31, 15, 0)),
    ("十二月一号上午十点", (2026, 12, 1, 10, 0)),
    # holidays by name (the coming one; 今年/明年/a year choose)
    ("元旦", (2027, 1, 1)),
    ("春节", (2027, 2, 6)),
    ("除夕", (2027, 2, 5)),
    ("元宵节", (2027, 2, 20)),
    ("清明节", (2027, 4, 5)),
    ("清明", (2027, 4, 5)),
    ("劳动节", (2027, 5, 1)),
    ("五一", (2027, 5, 1)),
    ("端午节", (2027, 6, 9)),
    ("七夕", (2027, 8, 8)),
    ("中秋节", (2027, 9, 15)),
    ("国庆节", (2027, 10, 1)),
    ("重阳节", (2027, 10, 8)),
    ("教师节", (2027, 9, 10)),
    ("儿童节", (2027, 6, 1)),
    ("妇女节", (2027, 3, 8)),
    ("青年节", (2027, 5, 4)),
    ("建军节", (2027, 8, 1)),
    ("植树节", (2027, 3, 12)),
    ("情人节", (2027, 2, 14)),
    ("母亲节", (2027, 5, 9)),
    ("父亲节", (2027, 6, 20)),
    ("感恩节", (2026, 11, 26)),
    ("平安夜", (2026, 12, 24)),
    ("圣诞节", (2026, 12, 25)),
    ("双十一", (2027, 11, 11)),
    ("光棍节", (2027, 11, 11)),
    ("今年中秋节", (2026, 9, 25)),  # as given, though passed
    ("明年春节", (2027, 2, 6)),
    ("明年国庆节", (2027, 10, 1)),
    ("2028年春节", (2028, 1, 26)),
    ("二〇二八年春节", (2028, 1, 26)),
    ("今年圣诞节", (2026, 12, 25)),
    ("中秋节晚上8点", (2027, 9, 15, 20, 0)),
    ("國慶節前", (2027, 10, 1)),
    # working days and periods
    ("3个工作日后", (2026, 11, 27)),
    ("五个工作日后", (2026, 12, 1)),
    ("三个工作日内", (2026, 11, 27)),
    ("下个月最后一个工作日", (2026, 12, 31)),
    ("本月最后一个工作日", (2026, 11, 30)),
    ("下个月第一个工作日", (2026, 12, 1)),
    ("月底", (2026, 11, 30, 18, 0)),
    ("月底前", (2026, 11, 30, 18, 0)),
    ("下个月底", (2026, 12, 31, 18, 0)),
    ("周末", (2026, 11, 28)),
    ("下周末", (2026, 12, 5)),
    ("本周内", (2026, 11, 27, 18, 0)),
    ("今天下班前", (2026, 11, 24, 18, 0)),
    ("下个月第二个周一", (2026, 12, 14)),
    ("2年后", (2028, 11, 24)),
    ("年底", (2026, 12, 31, 18, 0)),
    ("下个月最后一天", (2026, 12, 31)),
    ("明天中午", (2026, 11, 25, 12, 0)),
    ("这个周末", (2026, 11, 28)),
    ("下周内", (2026, 12, 4, 18, 0)),
    ("圣诞节前一天", (2026, 12, 24)),
    ("春节后3天", (2027, 2, 9)),
    ("国庆节前两个工作日", (2027, 9, 29)),
    ("中秋节前一天下午3点", (2027, 9, 14, 15, 0)),
]


@pytest.mark.parametrize("zone", ZONE_NAMES)
@pytest.mark.parametrize(("text", "expected"), EN_CASES + ZH_CASES)
def test_phrases_from_a_tuesday_morning(text: str, expected: tuple[int, ...], zone: str) -> None:
    tz = ZoneInfo(zone)
    _check(parse_moment(text, now=tuesday(tz), tz=tz), expected, tz)


# Rows that need another "now" or a project setting: (now, text, country, date order, expected).
OTHER_NOW_CASES: list[tuple[tuple[int, ...], str, str | None, str | None, tuple[int, ...]]] = [
    ((2027, 9, 1, 10, 0), "mon 13th", None, None, (2027, 9, 13)),
    ((2027, 5, 3, 10, 0), "tuesday the 11th", None, None, (2027, 5, 11)),
    # China's National Day week 2026: Oct 1-7 off, Saturday Oct 10 a make-up working day
    ((2026, 9, 29, 10, 0), "3个工作日后", "CN", None, (2026, 10, 9)),
    ((2026, 9, 29, 10, 0), "in 3 business days", "CN", None, (2026, 10, 9)),
    ((2026, 9, 29, 10, 0), "in 3 business days", None, None, (2026, 10, 2)),
    ((2026, 9, 29, 10, 0), "下个月第一个工作日", "CN", None, (2026, 10, 8)),
    ((2026, 9, 29, 10, 0), "first working day of next month", "CN", None, (2026, 10, 8)),
    # US Thanksgiving (Thursday 26 Nov 2026) is not a business day in the US calendar
    ((2026, 11, 24, 10, 0), "in 4 business days", "US", None, (2026, 12, 1)),
    # a numeric date read by the configured order
    ((2026, 11, 24, 10, 0), "4/5", None, "mdy", (2027, 4, 5)),
    ((2026, 11, 24, 10, 0), "4/5", None, "dmy", (2027, 5, 4)),
    ((2026, 11, 24, 10, 0), "05.04.2027", None, "dmy", (2027, 4, 5)),
    ((2026, 11, 24, 10, 0), "4-22", None, "dmy", (2027, 4, 22)),  # only one reading is a date
    # a Sunday: 周末 is today, "end of this week" is Friday, already past (as given)
    ((2026, 11, 29, 10, 0), "周末", None, None, (2026, 11, 29)),
    ((2026, 11, 29, 10, 0), "end of this week", None, None, (2026, 11, 27, 18, 0)),
    # a lunar festival in a year where it falls early
    ((2027, 12, 1, 10, 0), "春节", None, None, (2028, 1, 26)),
    ((2027, 12, 1, 10, 0), "除夕", None, None, (2028, 1, 25)),
]


@pytest.mark.parametrize("zone", ZONE_NAMES)
@pytest.mark.parametrize(("now", "text", "country", "order", "expected"), OTHER_NOW_CASES)
def test_phrases_with_another_now_or_setting(
    now: tuple[int, ...],
    text: str,
    country: str | None,
    order: str | None,
    expected: tuple[int, ...],
    zone: str,
) -> None:
    tz = ZoneInfo(zone)
    moment = parse_moment(
        text,
        now=naive(*now).replace(tzinfo=tz),
        tz=tz,
        country=country,
        date_order=order,  # type: ignore[arg-type]
    )
    _check(moment, expected, tz)


REFUSED: list[tuple[str, str]] = [
    ("at 3", "time.ambiguous_hour"),  # 3 a.m. or 3 p.m.? still not guessed
    ("tomorrow at 4", "time.ambiguous_hour"),
    ("4/5", "time.ambiguous_date"),  # no date order configured
    ("05.04.2027", "time.ambiguous_date"),
    ("end of the month 3pm", "time.unparsed"),
    ("tonight at 9am", "time.unparsed"),
    ("half to 5", "time.unparsed"),
    ("every morning", "time.unparsed"),
    ("in 0 days", "time.unparsed"),
    ("3天前", "time.unparsed"),
    ("月底下午3点", "time.unparsed"),
]


@pytest.mark.parametrize(("text", "key"), REFUSED)
def test_still_refused(text: str, key: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_moment(text, now=tuesday(ZoneInfo("Asia/Shanghai")), tz=ZoneInfo("Asia/Shanghai"))
    assert caught.value.key == key


def test_lunar_festivals_agree_with_the_holidays_library_tables() -> None:
    # Two independent sources: lunardate's computation and the tables inside `holidays`.
    from holidays.calendars.chinese import _ChineseLunisolar

    tables = _ChineseLunisolar()
    for year in range(2000, 2051):
        assert ZH_HOLIDAYS["春节"](year) == tables.lunar_new_year_date(year)[0]
        assert ZH_HOLIDAYS["端午节"](year) == tables.dragon_boat_date(year)[0]
        assert ZH_HOLIDAYS["中秋节"](year) == tables.mid_autumn_date(year)[0]
        assert ZH_HOLIDAYS["重阳节"](year) == tables.double_ninth_date(year)[0]


def test_every_named_holiday_has_a_date_for_years_ahead() -> None:
    for rules in (EN_HOLIDAYS, ZH_HOLIDAYS):
        for name, rule in rules.items():
            for year in (2026, 2040, 2090):
                assert isinstance(rule(year), date), (name, year)


PHRASES = [text for text, _ in EN_CASES + ZH_CASES]


@settings(max_examples=60, deadline=None)
@given(
    phrase=st.sampled_from(PHRASES),
    now=st.datetimes(min_value=naive(2025, 1, 1), max_value=naive(2034, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from(ZONE_NAMES),
    lang=st.sampled_from(("en", "zh")),
)
def test_the_confirmation_states_the_date_that_is_stored(
    phrase: str, now: datetime, zone: str, lang: str
) -> None:
    tz = ZoneInfo(zone)
    try:
        moment = parse_moment(phrase, now=now, tz=tz)
    except UsageError:
        return  # e.g. "this morning at seven" is fine, but "mon 13th" may not exist near some dates
    shown = render_moment(moment, lang)
    assert shown.startswith(render_date(moment.local.date(), lang))
    if moment.has_time:
        assert f"{moment.local:%H:%M}" in shown


# ------------------------------------------------------------------------------------------------------
# Recurrences, both languages: (phrase, expected rule fields, next three local occurrences after Tue 10:00)

RuleFields = dict[str, object]
RECURRENCES: list[tuple[str, RuleFields, list[tuple[int, ...]]]] = [
    (
        "tuesdays at 9am",
        {"kind": "weekly", "weekdays": (1,)},
        [(2026, 12, 1, 9, 0), (2026, 12, 8, 9, 0), (2026, 12, 15, 9, 0)],
    ),
    (
        "mondays and thursdays at 9",
        {"kind": "weekly", "weekdays": (0, 3)},
        [(2026, 11, 26, 9, 0), (2026, 11, 30, 9, 0), (2026, 12, 3, 9, 0)],
    ),
    (
        "weekday mornings at 8:30",
        {"kind": "weekdays"},
        [(2026, 11, 25, 8, 30), (2026, 11, 26, 8, 30), (2026, 11, 27, 8, 30)],
    ),
    (
        "9am sundays",
        {"kind": "weekly", "weekdays": (6,)},
        [(2026, 11, 29, 9, 0), (2026, 12, 6, 9, 0), (2026, 12, 13, 9, 0)],
    ),
    (
        "every morning at 9",
        {"kind": "daily"},
        [(2026, 11, 25, 9, 0), (2026, 11, 26, 9, 0), (2026, 11, 27, 9, 0)],
    ),
    (
        "every night at 9pm",
        {"kind": "daily"},
        [(2026, 11, 24, 21, 0), (2026, 11, 25, 21, 0), (2026, 11, 26, 21, 0)],
    ),
    (
        "every evening at 6",
        {"kind": "daily"},
        [(2026, 11, 24, 18, 0), (2026, 11, 25, 18, 0), (2026, 11, 26, 18, 0)],
    ),
    (
        "thursdays at 17.30",
        {"kind": "weekly", "weekdays": (3,)},
        [(2026, 11, 26, 17, 30), (2026, 12, 3, 17, 30), (2026, 12, 10, 17, 30)],
    ),
    (
        "tuesday and friday mornings at 10",
        {"kind": "weekly", "weekdays": (1, 4)},
        [(2026, 11, 27, 10, 0), (2026, 12, 1, 10, 0), (2026, 12, 4, 10, 0)],
    ),
    # every other week
    (
        "every other week on monday at 10am",
        {"kind": "weekly", "weekdays": (0,), "interval": 2, "anchor": date(2026, 11, 30)},
        [(2026, 11, 30, 10, 0), (2026, 12, 14, 10, 0), (2026, 12, 28, 10, 0)],
    ),
    (
        "mondays every other week at 10am",
        {"kind": "weekly", "weekdays": (0,), "interval": 2},
        [(2026, 11, 30, 10, 0), (2026, 12, 14, 10, 0), (2026, 12, 28, 10, 0)],
    ),
    (
        "every other week at 3pm",  # on the weekday it is set up: Tuesday
        {"kind": "weekly", "weekdays": (1,), "interval": 2, "anchor": date(2026, 11, 24)},
        [(2026, 11, 24, 15, 0), (2026, 12, 8, 15, 0), (2026, 12, 22, 15, 0)],
    ),
    (
        "biweekly on fridays 4pm",
        {"kind": "weekly", "weekdays": (4,), "interval": 2},
        [(2026, 11, 27, 16, 0), (2026, 12, 11, 16, 0), (2026, 12, 25, 16, 0)],
    ),
    (
        "隔周周五下午4点",
        {"kind": "weekly", "weekdays": (4,), "interval": 2},
        [(2026, 11, 27, 16, 0), (2026, 12, 11, 16, 0), (2026, 12, 25, 16, 0)],
    ),
    (
        "双周周五下午4点",
        {"kind": "weekly", "weekdays": (4,), "interval": 2},
        [(2026, 11, 27, 16, 0), (2026, 12, 11, 16, 0), (2026, 12, 25, 16, 0)],
    ),
    # several weekdays
    (
        "每周一、周四上午9点",
        {"kind": "weekly", "weekdays": (0, 3)},
        [(2026, 11, 26, 9, 0), (2026, 11, 30, 9, 0), (2026, 12, 3, 9, 0)],
    ),
    (
        "每週三上午10點",
        {"kind": "weekly", "weekdays": (2,)},
        [(2026, 11, 25, 10, 0), (2026, 12, 2, 10, 0), (2026, 12, 9, 10, 0)],
    ),
    (
        "每禮拜一三五下午2點",
        {"kind": "weekly", "weekdays": (0, 2, 4)},
        [(2026, 11, 25, 14, 0), (2026, 11, 27, 14, 0), (2026, 11, 30, 14, 0)],
    ),
    (
        "每周末上午10点",
        {"kind": "weekly", "weekdays": (5, 6)},
        [(2026, 11, 28, 10, 0), (2026, 11, 29, 10, 0), (2026, 12, 5, 10, 0)],
    ),
    (
        "weekends at 10am",
        {"kind": "weekly", "weekdays": (5, 6)},
        [(2026, 11, 28, 10, 0), (2026, 11, 29, 10, 0), (2026, 12, 5, 10, 0)],
    ),
    # last / first working day of the month (Monday to Friday here)
    (
        "last working day of the month at 5pm",
        {"kind": "monthly_workday", "nth": -1, "hour": 17},
        [(2026, 11, 30, 17, 0), (2026, 12, 31, 17, 0), (2027, 1, 29, 17, 0)],
    ),
    (
        "每月最后一个工作日下午5点",
        {"kind": "monthly_workday", "nth": -1, "hour": 17},
        [(2026, 11, 30, 17, 0), (2026, 12, 31, 17, 0), (2027, 1, 29, 17, 0)],
    ),
    (
        "每个月的第一个工作日",
        {"kind": "monthly_workday", "nth": 1, "time_defaulted": True},
        [(2026, 12, 1, 9, 0), (2027, 1, 1, 9, 0), (2027, 2, 1, 9, 0)],
    ),
    # every quarter (calendar quarters)
    (
        "每季度第一个周一",
        {
            "kind": "monthly_nth_weekday",
            "nth": 1,
            "weekdays": (0,),
            "interval": 3,
            "anchor": date(2026, 10, 1),
        },
        [(2027, 1, 4, 9, 0), (2027, 4, 5, 9, 0), (2027, 7, 5, 9, 0)],
    ),
    (
        "first monday of every quarter 10am",
        {"kind": "monthly_nth_weekday", "nth": 1, "interval": 3},
        [(2027, 1, 4, 10, 0), (2027, 4, 5, 10, 0), (2027, 7, 5, 10, 0)],
    ),
    (
        "every quarter on the 1st",
        {"kind": "monthly_day", "day_of_month": 1, "interval": 3},
        [(2027, 1, 1, 9, 0), (2027, 4, 1, 9, 0), (2027, 7, 1, 9, 0)],
    ),
    (
        "每季度最后一个工作日",
        {"kind": "monthly_workday", "nth": -1, "interval": 3, "anchor": date(2026, 12, 1)},
        [(2026, 12, 31, 9, 0), (2027, 3, 31, 9, 0), (2027, 6, 30, 9, 0)],
    ),
]


@pytest.mark.parametrize("zone", ZONE_NAMES)
@pytest.mark.parametrize(("text", "fields", "upcoming"), RECURRENCES)
def test_recurrences(text: str, fields: RuleFields, upcoming: list[tuple[int, ...]], zone: str) -> None:
    tz = ZoneInfo(zone)
    now = tuesday(tz)
    rule = parse_recurrence(text, tz=tz, now=now)
    for name, value in fields.items():
        assert getattr(rule, name) == value, name
    found = [o.astimezone(tz).replace(tzinfo=None) for o in next_occurrences(rule, after=now, count=3)]
    assert found == [naive(*u) for u in upcoming]
    assert rule.__class__.from_dict(rule.to_dict()) == rule
    render_recurrence(rule, "en", now=now)
    render_recurrence(rule, "zh", now=now)


def test_working_day_of_the_month_follows_the_project_calendar() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 9, 29, 10, 0, tzinfo=tz)
    rule = parse_recurrence("每月第一个工作日上午10点", tz=tz, now=now, country="CN")
    assert rule.holidays == "CN"
    found = [o.astimezone(tz).date() for o in next_occurrences(rule, after=now, count=4)]
    # October 1-7 is the National Day holiday; 1 November 2026 is a Sunday; 1 January 2027 a holiday.
    assert found == [date(2026, 10, 8), date(2026, 11, 2), date(2026, 12, 1), date(2027, 1, 4)]
    english = parse_recurrence("first business day of every month at 10am", tz=tz, now=now, country="CN")
    assert english == rule
    assert render_recurrence(rule, "zh", now=now).startswith("每月第一个工作日 10:00")
    assert render_recurrence(rule, "en", now=now).startswith("First working day of every month at 10:00")


def test_every_morning_needs_a_time() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    with pytest.raises(UsageError) as caught:
        parse_recurrence("every morning", tz=tz, now=tuesday(tz))
    assert caught.value.key == "time.unparsed_recurrence"
