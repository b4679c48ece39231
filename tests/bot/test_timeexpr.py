"""bot.timeexpr: one-off times, recurrences, working days, DST, triggers, rendering, durations.

Every expected value below was worked out by hand from a calendar, not from the code under test.
Reference: Tuesday 2026-11-24 10:00 local (a Friday-afternoon reference is Friday 2026-11-27 15:00).
All result dates are in winter (no DST in the northern zones), so the UTC offsets per zone are fixed.
"""

from __future__ import annotations

import itertools
import json
import pickle
import string
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.schedulers.background import BackgroundScheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UsageError
from bot.i18n import LANGS, t
from bot.i18n.time import MESSAGES as TIME_MESSAGES
from bot.timeexpr import (
    DEFAULT_TIME,
    HolidayCalendar,
    Moment,
    Recurrence,
    holiday_calendar,
    localize,
    next_occurrences,
    parse_date,
    parse_duration,
    parse_moment,
    parse_recurrence,
    render_duration,
    render_moment,
    render_recurrence,
    to_trigger,
    warm_up,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
ZONES = {"UTC": 0, "Asia/Shanghai": 8, "America/New_York": -5, "Europe/Berlin": 1}  # winter offsets


def naive(*fields: int) -> datetime:
    """A wall-clock reading without a zone, to compare local times with."""
    return datetime(*fields)  # type: ignore[arg-type]  # noqa: DTZ001


EARLIEST, LATEST = naive(2020, 1, 1), naive(2035, 1, 1)


def local(tz: ZoneInfo, *args: int) -> datetime:
    return naive(*args).replace(tzinfo=tz)


def tuesday(tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(2026, 11, 24, 10, 0, tzinfo=tz)


def friday_afternoon(tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(2026, 11, 27, 15, 0, tzinfo=tz)


# ------------------------------------------------------------------------------------------------------
# One-off moments. Expected: (y, m, d) for a date without time, (y, m, d, H, M) with a time.

TUESDAY_CASES: list[tuple[str, tuple[int, ...]]] = [
    # English
    ("tomorrow 9am", (2026, 11, 25, 9, 0)),
    ("next Friday 15:00", (2026, 12, 4, 15, 0)),  # Friday of next week
    ("in 3 days", (2026, 11, 27)),
    ("Dec 1 10:00", (2026, 12, 1, 10, 0)),
    ("2026-12-01", (2026, 12, 1)),
    ("today", (2026, 11, 24)),
    ("friday", (2026, 11, 27)),
    ("eod", (2026, 11, 24, 18, 0)),
    ("9am tomorrow", (2026, 11, 25, 9, 0)),
    ("at 3pm on friday", (2026, 11, 27, 15, 0)),
    ("friday eod", (2026, 11, 27, 18, 0)),
    ("by Friday", (2026, 11, 27)),
    ("friday next week", (2026, 12, 4)),
    ("tuesday", (2026, 12, 1)),  # bare weekday said on that weekday: next week
    ("this tuesday", (2026, 11, 24)),
    ("tuesday 11am", (2026, 11, 24, 11, 0)),  # still ahead today
    ("tuesday 9am", (2026, 12, 1, 9, 0)),  # already passed today
    ("10:00", (2026, 11, 25, 10, 0)),  # exactly now is not ahead
    ("noon", (2026, 11, 24, 12, 0)),
    ("tonight at 8", (2026, 11, 24, 20, 0)),
    ("tomorrow at 18", (2026, 11, 25, 18, 0)),
    ("in 2 hours", (2026, 11, 24, 12, 0)),
    ("in half an hour", (2026, 11, 24, 10, 30)),
    ("in 2 weeks", (2026, 12, 8)),
    ("in 1 month", (2026, 12, 24)),
    ("yesterday", (2026, 11, 23)),
    ("the 5th", (2026, 12, 5)),
    ("24th", (2026, 11, 24)),
    ("1 December", (2026, 12, 1)),
    ("December the 1st 2026", (2026, 12, 1)),
    ("1st of December 2026", (2026, 12, 1)),
    ("fri 4 dec", (2026, 12, 4)),
    ("Tuesday 1 December 2026 at 3pm", (2026, 12, 1, 15, 0)),
    ("Nov 20", (2027, 11, 20)),  # passed this year: next year
    ("12/25", (2026, 12, 25)),
    ("12/25/2026 5pm", (2026, 12, 25, 17, 0)),
    ("2020-01-01", (2020, 1, 1)),  # explicit past date: as given
    ("1-dec-2026", (2026, 12, 1)),  # via the dateparser fallback
    ("2026 dec 1", (2026, 12, 1)),  # via the dateparser fallback
    # Chinese
    ("明天上午10点", (2026, 11, 25, 10, 0)),
    ("下周五下午3点", (2026, 12, 4, 15, 0)),
    ("后天下午2点半", (2026, 11, 26, 14, 30)),
    ("12月1日 10:00", (2026, 12, 1, 10, 0)),
    ("3天后", (2026, 11, 27)),
    ("周五下午三点", (2026, 11, 27, 15, 0)),
    ("今天", (2026, 11, 24)),
    ("下周一", (2026, 11, 30)),
    ("星期五", (2026, 11, 27)),
    ("礼拜五", (2026, 11, 27)),
    ("12月1号", (2026, 12, 1)),
    ("晚上8点", (2026, 11, 24, 20, 0)),
    ("中午12点", (2026, 11, 24, 12, 0)),
    ("10点15分", (2026, 11, 24, 10, 15)),
    ("十二月一日", (2026, 12, 1)),
    ("下午两点半", (2026, 11, 24, 14, 30)),
    ("十点", (2026, 11, 25, 10, 0)),
    ("9点", (2026, 11, 25, 9, 0)),
    ("下午3点一刻", (2026, 11, 24, 15, 15)),
    ("上午十一点四十五分", (2026, 11, 24, 11, 45)),
    ("10点零五分", (2026, 11, 24, 10, 5)),
    ("中午1点", (2026, 11, 24, 13, 0)),
    ("凌晨1点", (2026, 11, 25, 1, 0)),
    ("今晚8点", (2026, 11, 24, 20, 0)),
    ("明早8点", (2026, 11, 25, 8, 0)),
    ("晚上12点", (2026, 11, 25, 0, 0)),  # midnight at the end of today
    ("明天 上午 10:30", (2026, 11, 25, 10, 30)),
    ("下个月1号", (2026, 12, 1)),
    ("下下周一", (2026, 12, 7)),
    ("这周五", (2026, 11, 27)),
    ("本周一", (2026, 11, 23)),  # this week's Monday, already past: as given
    ("周日", (2026, 11, 29)),
    ("星期天", (2026, 11, 29)),
    ("2小时后", (2026, 11, 24, 12, 0)),
    ("半小时后", (2026, 11, 24, 10, 30)),
    ("一个半小时后", (2026, 11, 24, 11, 30)),
    ("30分钟后", (2026, 11, 24, 10, 30)),
    ("两周后", (2026, 12, 8)),
    ("1个月后", (2026, 12, 24)),
    ("2027年1月5日", (2027, 1, 5)),
    ("二〇二七年一月五日", (2027, 1, 5)),
    ("1月5日", (2027, 1, 5)),  # passed this year: next year
    ("5号", (2026, 12, 5)),
    ("24号", (2026, 11, 24)),
    ("31号", (2026, 12, 31)),  # November has no 31st
    ("周五前", (2026, 11, 27)),
    ("12月4日（周五）", (2026, 12, 4)),
    ("2026-12-01 下午3点", (2026, 12, 1, 15, 0)),
    ("３天后", (2026, 11, 27)),  # full-width digit
]

FRIDAY_CASES: list[tuple[str, tuple[int, ...]]] = [
    ("friday", (2026, 12, 4)),
    ("friday 5pm", (2026, 11, 27, 17, 0)),
    ("friday 2pm", (2026, 12, 4, 14, 0)),
    ("this friday", (2026, 11, 27)),
    ("next friday", (2026, 12, 4)),
    ("3pm", (2026, 11, 28, 15, 0)),
    ("monday", (2026, 11, 30)),
    ("周五", (2026, 12, 4)),
    ("周五下午5点", (2026, 11, 27, 17, 0)),
    ("周五下午2点", (2026, 12, 4, 14, 0)),
    ("这周五", (2026, 11, 27)),
    ("下周五", (2026, 12, 4)),
    ("晚上8点", (2026, 11, 27, 20, 0)),
]


def _check(moment: Moment, expected: tuple[int, ...], tz: ZoneInfo, offset_hours: int) -> None:
    has_time = len(expected) == 5
    want = naive(*expected) if has_time else naive(*expected, 0, 0)
    assert moment.local.replace(tzinfo=None) == want
    assert moment.has_time is has_time
    assert moment.local.tzinfo == tz
    assert moment.local.utcoffset() == timedelta(hours=offset_hours)
    assert moment.at.tzinfo is UTC
    assert moment.at == moment.local
    assert moment.at.replace(tzinfo=None) == want - timedelta(hours=offset_hours)


@pytest.mark.parametrize("zone", sorted(ZONES))
@pytest.mark.parametrize(("text", "expected"), TUESDAY_CASES)
def test_moments_from_a_tuesday_morning(text: str, expected: tuple[int, ...], zone: str) -> None:
    tz = ZoneInfo(zone)
    _check(parse_moment(text, now=tuesday(tz), tz=tz), expected, tz, ZONES[zone])


@pytest.mark.parametrize("zone", sorted(ZONES))
@pytest.mark.parametrize(("text", "expected"), FRIDAY_CASES)
def test_moments_from_a_friday_afternoon(text: str, expected: tuple[int, ...], zone: str) -> None:
    tz = ZoneInfo(zone)
    _check(parse_moment(text, now=friday_afternoon(tz), tz=tz), expected, tz, ZONES[zone])


def test_now_in_another_zone_is_seen_in_the_project_zone() -> None:
    # 2026-11-24 20:00 UTC is already Wednesday 04:00 in Shanghai: "tomorrow" is Thursday there.
    now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    assert parse_date("tomorrow", now=now, tz=SHANGHAI) == date(2026, 11, 26)
    assert parse_date("明天", now=now, tz=SHANGHAI) == date(2026, 11, 26)


def test_next_weekday_on_a_sunday() -> None:
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
    assert parse_date("下周一", now=sunday, tz=SHANGHAI) == date(2026, 11, 30)
    assert parse_date("next monday", now=sunday, tz=SHANGHAI) == date(2026, 11, 30)
    assert parse_date("monday", now=sunday, tz=SHANGHAI) == date(2026, 11, 30)


def test_date_only_moments_and_the_default_time() -> None:
    moment = parse_moment("friday", now=tuesday(), tz=SHANGHAI)
    assert not moment.has_time and moment.local.time() == time(0, 0)
    reminder = moment.at_default_time()
    assert reminder.has_time and reminder.local == datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
    assert time(9, 0) == DEFAULT_TIME
    timed = parse_moment("friday 3pm", now=tuesday(), tz=SHANGHAI)
    assert timed.at_default_time() is timed
    assert parse_date("下周五下午3点", now=tuesday(), tz=SHANGHAI) == date(2026, 12, 4)


def test_a_moment_in_a_dst_gap_moves_to_the_end_of_the_gap() -> None:
    now = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    moment = parse_moment("2026-03-08 2:30am", now=now, tz=NEW_YORK)
    assert moment.local == datetime(2026, 3, 8, 3, 0, tzinfo=NEW_YORK)
    assert moment.at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


ERROR_CASES: list[tuple[str, str]] = [
    ("", "time.unparsed"),
    ("garbage", "time.unparsed"),
    ("blah blah blah", "time.unparsed"),
    ("每周八", "time.unparsed"),
    ("32号", "time.unparsed"),
    ("2月30日", "time.unparsed"),
    ("13月1日", "time.unparsed"),
    ("25点", "time.unparsed"),
    ("10:61", "time.unparsed"),
    ("13pm", "time.unparsed"),
    ("sep 31", "time.unparsed"),
    ("next month", "time.unparsed"),
    ("midnight", "time.unparsed"),
    ("tomorrow morning", "time.unparsed"),  # which time?
    ("明天下午", "time.unparsed"),
    ("3天前", "time.unparsed"),
    ("in 0 minutes", "time.unparsed"),
    ("december 2026", "time.unparsed"),
    ("dec 1 9", "time.unparsed"),
    ("tonight 9am", "time.unparsed"),  # contradictory
    ("noon tomorrow morning", "time.unparsed"),
    # dateparser would guess these (2113-03-13, 2027-01-12, ...); the guarded fallback refuses.
    ("13 13 m 3", "time.unparsed"),
    ("1/12 tue", "time.unparsed"),
    ("2nd 2nd", "time.unparsed"),
    ("m 25 9", "time.unparsed"),
    ("at 5", "time.ambiguous_hour"),  # "at 9" is 09:00 like 9点; 1..6 alone stay ambiguous
    ("tomorrow at 3", "time.ambiguous_hour"),
    ("两点半", "time.ambiguous_hour"),
    ("明天3点", "time.ambiguous_hour"),
    ("1/12", "time.ambiguous_date"),
    ("thu dec 4", "time.weekday_mismatch"),
    ("12月4日周四", "time.weekday_mismatch"),
]


@pytest.mark.parametrize(("text", "key"), ERROR_CASES)
def test_what_is_not_understood_is_refused_never_guessed(text: str, key: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_moment(text, now=tuesday(), tz=SHANGHAI)
    assert caught.value.key == key
    assert caught.value.example == "time.example_moment"
    assert caught.value.params["text"] == text


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_moment("tomorrow", now=datetime(2026, 11, 24, 10, 0), tz=SHANGHAI)  # noqa: DTZ001


def test_render_moment() -> None:
    moment = parse_moment("下周五下午3点", now=tuesday(), tz=SHANGHAI)
    assert render_moment(moment, "en") == "Fri 4 Dec 2026, 15:00 (Asia/Shanghai)"
    assert render_moment(moment, "zh") == "2026年12月4日（周五）15:00（Asia/Shanghai）"
    day = parse_moment("friday", now=tuesday(), tz=SHANGHAI)
    assert render_moment(day, "en") == "Fri 27 Nov 2026"
    assert render_moment(day, "zh") == "2026年11月27日（周五）"


def test_warm_up_runs() -> None:
    warm_up()


# ------------------------------------------------------------------------------------------------------
# Recurrences: (phrase, expected rule fields, expected next three local occurrences after Tue 10:00)

RuleFields = dict[str, object]
TUE_10: RuleFields = {"kind": "weekly", "weekdays": (1,), "hour": 10, "minute": 0}
TUE_10_NEXT: list[tuple[int, ...]] = [(2026, 12, 1, 10, 0), (2026, 12, 8, 10, 0), (2026, 12, 15, 10, 0)]
BIWEEKLY_MON: RuleFields = {
    "kind": "weekly",
    "weekdays": (0,),
    "interval": 2,
    "anchor": date(2026, 11, 30),
    "hour": 14,
}
BIWEEKLY_MON_NEXT: list[tuple[int, ...]] = [
    (2026, 11, 30, 14, 0),
    (2026, 12, 14, 14, 0),
    (2026, 12, 28, 14, 0),
]
FIRST_MON: RuleFields = {"kind": "monthly_nth_weekday", "nth": 1, "weekdays": (0,), "hour": 10, "minute": 0}
FIRST_MON_NEXT: list[tuple[int, ...]] = [(2026, 12, 7, 10, 0), (2027, 1, 4, 10, 0), (2027, 2, 1, 10, 0)]
DAILY_18: RuleFields = {"kind": "daily", "interval": 1, "hour": 18, "minute": 0}
DAILY_18_NEXT: list[tuple[int, ...]] = [(2026, 11, 24, 18, 0), (2026, 11, 25, 18, 0), (2026, 11, 26, 18, 0)]
WORKDAY_930: RuleFields = {"kind": "weekdays", "hour": 9, "minute": 30}
WORKDAY_930_NEXT: list[tuple[int, ...]] = [
    (2026, 11, 25, 9, 30),
    (2026, 11, 26, 9, 30),
    (2026, 11, 27, 9, 30),
]

RECURRENCE_CASES: list[tuple[str, RuleFields, list[tuple[int, ...]]]] = [
    ("every Tuesday 10am", TUE_10, TUE_10_NEXT),
    ("every weekday at 9:30", WORKDAY_930, WORKDAY_930_NEXT),
    ("every 2 weeks on Monday 14:00", BIWEEKLY_MON, BIWEEKLY_MON_NEXT),
    (
        "every month on the 1st",
        {"kind": "monthly_day", "day_of_month": 1, "hour": 9, "minute": 0, "time_defaulted": True},
        [(2026, 12, 1, 9, 0), (2027, 1, 1, 9, 0), (2027, 2, 1, 9, 0)],
    ),
    ("first Monday of the month 10:00", FIRST_MON, FIRST_MON_NEXT),
    ("daily 18:00", DAILY_18, DAILY_18_NEXT),
    ("every day at 6pm", DAILY_18, DAILY_18_NEXT),
    (
        "every mon and thu 9am",
        {"kind": "weekly", "weekdays": (0, 3), "hour": 9},
        [(2026, 11, 26, 9, 0), (2026, 11, 30, 9, 0), (2026, 12, 3, 9, 0)],
    ),
    ("每周二上午10点", TUE_10, TUE_10_NEXT),
    ("每个工作日9点半", WORKDAY_930, WORKDAY_930_NEXT),
    ("每两周周一下午2点", BIWEEKLY_MON, BIWEEKLY_MON_NEXT),
    (
        "每月1号上午10点",
        {"kind": "monthly_day", "day_of_month": 1, "hour": 10, "time_defaulted": False},
        [(2026, 12, 1, 10, 0), (2027, 1, 1, 10, 0), (2027, 2, 1, 10, 0)],
    ),
    ("每天18点", DAILY_18, DAILY_18_NEXT),
    (
        "每周一三五上午9点",
        {"kind": "weekly", "weekdays": (0, 2, 4), "hour": 9},
        [(2026, 11, 25, 9, 0), (2026, 11, 27, 9, 0), (2026, 11, 30, 9, 0)],
    ),
    ("每月第一个周一上午10点", FIRST_MON, FIRST_MON_NEXT),
    # more
    ("每周二十点", TUE_10, TUE_10_NEXT),  # 周二 十点, not 周 二十点
    (
        "last friday of every month 5pm",
        {"kind": "monthly_nth_weekday", "nth": -1, "weekdays": (4,), "hour": 17},
        [(2026, 11, 27, 17, 0), (2026, 12, 25, 17, 0), (2027, 1, 29, 17, 0)],
    ),
    (
        "每月最后一天",
        {"kind": "monthly_day", "day_of_month": -1, "hour": 9, "time_defaulted": True},
        [(2026, 11, 30, 9, 0), (2026, 12, 31, 9, 0), (2027, 1, 31, 9, 0)],
    ),
    (
        "every month on the 31st 8am",  # clamped to the month's last day
        {"kind": "monthly_day", "day_of_month": 31, "hour": 8},
        [(2026, 11, 30, 8, 0), (2026, 12, 31, 8, 0), (2027, 1, 31, 8, 0)],
    ),
    (
        "every other day 8am",
        {"kind": "daily", "interval": 2, "anchor": date(2026, 11, 25)},
        [(2026, 11, 25, 8, 0), (2026, 11, 27, 8, 0), (2026, 11, 29, 8, 0)],
    ),
    (
        "mon-fri 9am",
        {"kind": "weekly", "weekdays": (0, 1, 2, 3, 4)},
        [(2026, 11, 25, 9, 0), (2026, 11, 26, 9, 0), (2026, 11, 27, 9, 0)],
    ),
    (
        "每周一到周五上午9点",
        {"kind": "weekly", "weekdays": (0, 1, 2, 3, 4)},
        [(2026, 11, 25, 9, 0), (2026, 11, 26, 9, 0), (2026, 11, 27, 9, 0)],
    ),
    (
        "every 3 months on the 15th 9am",
        {"kind": "monthly_day", "interval": 3, "day_of_month": 15, "anchor": date(2026, 12, 15)},
        [(2026, 12, 15, 9, 0), (2027, 3, 15, 9, 0), (2027, 6, 15, 9, 0)],
    ),
    (
        "every fortnight on friday 4pm",
        {"kind": "weekly", "interval": 2, "weekdays": (4,), "anchor": date(2026, 11, 27)},
        [(2026, 11, 27, 16, 0), (2026, 12, 11, 16, 0), (2026, 12, 25, 16, 0)],
    ),
    (
        "每月第三个星期三下午4点",
        {"kind": "monthly_nth_weekday", "nth": 3, "weekdays": (2,), "hour": 16},
        [(2026, 12, 16, 16, 0), (2027, 1, 20, 16, 0), (2027, 2, 17, 16, 0)],
    ),
]


@pytest.mark.parametrize("zone", sorted(ZONES))
@pytest.mark.parametrize(("text", "fields", "upcoming"), RECURRENCE_CASES)
def test_recurrences(text: str, fields: RuleFields, upcoming: list[tuple[int, ...]], zone: str) -> None:
    tz = ZoneInfo(zone)
    rule = parse_recurrence(text, tz=tz, now=tuesday(tz))
    for name, value in fields.items():
        assert getattr(rule, name) == value, name
    assert rule.tz == zone
    found = next_occurrences(rule, after=tuesday(tz), count=3)
    assert all(instant.tzinfo is UTC for instant in found)
    assert [instant.astimezone(tz).replace(tzinfo=None) for instant in found] == [
        naive(*fields_) for fields_ in upcoming
    ]
    # No zone here changes its clocks between 2026-11-24 and 2027-03-01 (New York: 2027-03-14).
    winter = [instant for instant in found if instant < datetime(2027, 3, 1, tzinfo=UTC)]
    assert all(instant.astimezone(tz).utcoffset() == timedelta(hours=ZONES[zone]) for instant in winter)


RECURRENCE_ERRORS = [
    "garbage",
    "每周八",
    "every 0 weeks on monday",
    "every 0 days",
    "32号",
    "每月32号",
    "every month on the 32nd",
    "fifth monday of the month",
    "每月第五个周一",
    "friday to monday",
    "every",
    "",
]


@pytest.mark.parametrize("text", RECURRENCE_ERRORS)
def test_recurrence_errors(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_recurrence(text, tz=SHANGHAI, now=tuesday())
    assert caught.value.key == "time.unparsed_recurrence"
    assert caught.value.example == "time.example_recurrence"


@pytest.mark.parametrize("text", ["every day at 3", "每天3点"])
def test_recurrence_with_an_ambiguous_hour(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_recurrence(text, tz=SHANGHAI, now=tuesday())
    assert caught.value.key == "time.ambiguous_hour"
    assert caught.value.example == "time.example_recurrence"


def test_unknown_holiday_country() -> None:
    with pytest.raises(UsageError) as caught:
        parse_recurrence("every weekday 9am", tz=SHANGHAI, now=tuesday(), country="XX")
    assert caught.value.key == "time.unknown_country"


def test_recurrence_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError):
        Recurrence(kind="weekly", weekdays=())
    with pytest.raises(ValueError):
        Recurrence(kind="daily", interval=2)  # no anchor
    with pytest.raises(ValueError):
        Recurrence(kind="daily", tz="Mars/Olympus")
    with pytest.raises(ValueError):
        Recurrence.from_dict({"kind": "daily", "hour": "9", "minute": 0, "tz": "UTC"})
    with pytest.raises(ValueError):
        Recurrence.from_dict({"kind": "hourly", "hour": 9, "minute": 0})


def test_recurrence_json_round_trip_is_plain_json() -> None:
    rule = parse_recurrence("每两周周一下午2点", tz=SHANGHAI, now=tuesday())
    stored = json.dumps(rule.to_dict())
    assert json.loads(stored) == {
        "version": 1,
        "kind": "weekly",
        "interval": 2,
        "weekdays": [0],
        "day_of_month": None,
        "nth": None,
        "hour": 14,
        "minute": 0,
        "tz": "Asia/Shanghai",
        "anchor": "2026-11-30",
        "holidays": None,
        "time_defaulted": False,
    }
    assert Recurrence.from_dict(json.loads(stored)) == rule


# ------------------------------------------------------------------------------------------------------
# Working days from the holidays library (CN make-up days, US and DE holidays)


def test_china_calendar_knows_holidays_and_make_up_days() -> None:
    cn = holiday_calendar("CN")
    assert isinstance(cn, HolidayCalendar)
    assert cn is holiday_calendar("cn")
    # Spring Festival 2026: Feb 16 (eve) .. Feb 20 and Feb 23 off; Sat Feb 14 and Sat Feb 28 worked.
    assert cn.is_holiday(date(2026, 2, 17)) and not cn.is_working_day(date(2026, 2, 17))
    assert cn.is_holiday(date(2026, 2, 23)) and not cn.is_working_day(date(2026, 2, 23))
    assert cn.is_makeup_workday(date(2026, 2, 14)) and cn.is_working_day(date(2026, 2, 14))
    assert cn.is_makeup_workday(date(2026, 2, 28)) and cn.is_working_day(date(2026, 2, 28))
    assert not cn.is_working_day(date(2026, 2, 21))  # an ordinary Saturday
    # National Day 2026: Oct 1..7 off; Sun Sep 20 and Sat Oct 10 worked.
    assert cn.is_working_day(date(2026, 9, 20)) and cn.is_working_day(date(2026, 10, 10))
    assert not cn.is_working_day(date(2026, 10, 7))
    # 2025: Sun Jan 26 and Sat Feb 8 were make-up days for the Spring Festival.
    assert cn.is_working_day(date(2025, 1, 26)) and cn.is_working_day(date(2025, 2, 8))
    # A make-up day named in the next year's notice (2002's list has Sat 2001-12-29).
    assert cn.is_working_day(date(2001, 12, 29))
    assert cn.holiday_name(date(2026, 10, 1)) is not None
    assert cn.holiday_name(date(2026, 10, 9)) is None


CN_WORKDAY_CASES = [
    # after (local), expected working days at 09:00
    (
        (2026, 2, 13, 12, 0),  # Friday before the Spring Festival
        [
            (2026, 2, 14),
            (2026, 2, 24),
            (2026, 2, 25),
            (2026, 2, 26),
            (2026, 2, 27),
            (2026, 2, 28),
            (2026, 3, 2),
        ],
    ),
    (
        (2026, 9, 18, 12, 0),  # Sun Sep 20 is worked; Fri Sep 25 (Mid-Autumn) is off
        [(2026, 9, 20), (2026, 9, 21), (2026, 9, 22), (2026, 9, 23), (2026, 9, 24), (2026, 9, 28)],
    ),
    (
        (2026, 9, 30, 12, 0),  # Golden Week, then Sat Oct 10 is worked
        [(2026, 10, 8), (2026, 10, 9), (2026, 10, 10), (2026, 10, 12)],
    ),
]


@pytest.mark.parametrize(("after", "expected"), CN_WORKDAY_CASES)
def test_working_day_rule_follows_china_holidays_and_make_up_days(
    after: tuple[int, ...], expected: list[tuple[int, int, int]]
) -> None:
    rule = parse_recurrence("每个工作日9点", tz=SHANGHAI, now=tuesday(), country="CN")
    assert rule.kind == "weekdays" and rule.holidays == "CN"
    found = next_occurrences(rule, after=local(SHANGHAI, *after), count=len(expected))
    assert [instant.astimezone(SHANGHAI) for instant in found] == [
        datetime(*day, 9, 0, tzinfo=SHANGHAI) for day in expected
    ]
    # The same with the calendar passed explicitly to a rule without one.
    plain = parse_recurrence("每个工作日9点", tz=SHANGHAI, now=tuesday())
    assert plain.holidays is None
    again = next_occurrences(
        plain, after=local(SHANGHAI, *after), count=len(expected), holidays=holiday_calendar("CN")
    )
    assert again == found


def test_working_days_without_a_calendar_are_monday_to_friday() -> None:
    rule = parse_recurrence("每个工作日9点", tz=SHANGHAI, now=tuesday())
    found = next_occurrences(rule, after=local(SHANGHAI, 2026, 2, 13, 12, 0), count=3)
    assert [i.astimezone(SHANGHAI).date() for i in found] == [
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
    ]


def test_us_and_german_holidays() -> None:
    us = parse_recurrence("every weekday 9am", tz=NEW_YORK, now=tuesday(NEW_YORK), country="US")
    found = next_occurrences(us, after=tuesday(NEW_YORK), count=3)
    # Thanksgiving, Thursday 2026-11-26, is skipped.
    assert [i.astimezone(NEW_YORK).date() for i in found] == [
        date(2026, 11, 25),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]
    de = parse_recurrence("every weekday 9am", tz=BERLIN, now=tuesday(BERLIN), country="DE")
    found = next_occurrences(de, after=local(BERLIN, 2026, 12, 23, 10, 0), count=6)
    # Christmas Day (Fri 25th) and New Year's Day (Fri 1st) are skipped.
    assert [i.astimezone(BERLIN).date() for i in found] == [
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
    ]


# ------------------------------------------------------------------------------------------------------
# Daylight saving time: one occurrence per local day; gaps move to the end of the gap, overlaps fire once

DST_CASES = [
    # zone, rule time, after (local noon the day before), [(local wall time, UTC offset hours), ...]
    ("America/New_York", "02:30", (2026, 3, 7), [((2026, 3, 8, 3, 0), -4), ((2026, 3, 9, 2, 30), -4)]),
    ("America/New_York", "09:00", (2026, 3, 7), [((2026, 3, 8, 9, 0), -4), ((2026, 3, 9, 9, 0), -4)]),
    ("America/New_York", "02:30", (2026, 10, 31), [((2026, 11, 1, 2, 30), -5), ((2026, 11, 2, 2, 30), -5)]),
    ("America/New_York", "01:30", (2026, 10, 31), [((2026, 11, 1, 1, 30), -4), ((2026, 11, 2, 1, 30), -5)]),
    ("America/New_York", "09:00", (2026, 10, 31), [((2026, 11, 1, 9, 0), -5), ((2026, 11, 2, 9, 0), -5)]),
    ("Europe/Berlin", "02:30", (2026, 3, 28), [((2026, 3, 29, 3, 0), 2), ((2026, 3, 30, 2, 30), 2)]),
    ("Europe/Berlin", "09:00", (2026, 3, 28), [((2026, 3, 29, 9, 0), 2), ((2026, 3, 30, 9, 0), 2)]),
    ("Europe/Berlin", "02:30", (2026, 10, 24), [((2026, 10, 25, 2, 30), 2), ((2026, 10, 26, 2, 30), 1)]),
    ("Europe/Berlin", "09:00", (2026, 10, 24), [((2026, 10, 25, 9, 0), 1), ((2026, 10, 26, 9, 0), 1)]),
]


@pytest.mark.parametrize(("zone", "hhmm", "day_before", "expected"), DST_CASES)
def test_daily_rules_across_dst(
    zone: str, hhmm: str, day_before: tuple[int, int, int], expected: list[tuple[tuple[int, ...], int]]
) -> None:
    tz = ZoneInfo(zone)
    after = datetime(*day_before, 12, 0, tzinfo=tz)
    rule = parse_recurrence(f"daily {hhmm}", tz=tz, now=after)
    found = next_occurrences(rule, after=after, count=len(expected))
    for instant, (wall, offset) in zip(found, expected, strict=True):
        shown = instant.astimezone(tz)
        assert shown.replace(tzinfo=None) == naive(*wall)
        assert shown.utcoffset() == timedelta(hours=offset)
        naive_utc = naive(*wall) - timedelta(hours=offset)
        assert instant == naive_utc.replace(tzinfo=UTC)
    # Over a week around the change: exactly one occurrence per local day.
    week = next_occurrences(rule, after=after - timedelta(days=3), count=7)
    days = [instant.astimezone(tz).date() for instant in week]
    assert days == [days[0] + timedelta(days=n) for n in range(7)]


def test_the_repeated_hour_fires_once_even_when_asked_from_inside_it() -> None:
    rule = parse_recurrence("daily 01:30", tz=NEW_YORK, now=datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK))
    # 01:45 EDT on Nov 1 (05:45 UTC): 01:30 EST (06:30 UTC) comes next on the wall clock, but the day's
    # occurrence (01:30 EDT) has already fired, so the next one is on Nov 2.
    after = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)
    assert next_occurrences(rule, after=after, count=1) == [datetime(2026, 11, 2, 6, 30, tzinfo=UTC)]


def test_localize_gap_and_fold() -> None:
    # Compared in UTC: an ambiguous local time never compares equal across zones (PEP 495).
    def utc(day: date, clock: time, tz: ZoneInfo) -> datetime:
        return localize(day, clock, tz).astimezone(UTC)

    assert utc(date(2026, 3, 8), time(2, 30), NEW_YORK) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert utc(date(2026, 3, 29), time(2, 0), BERLIN) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert utc(date(2026, 11, 1), time(1, 30), NEW_YORK) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # fold=0
    assert utc(date(2026, 10, 25), time(2, 30), BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # fold=0
    lord_howe = ZoneInfo("Australia/Lord_Howe")  # half-hour DST: 02:00 -> 02:30 on 2026-10-04
    assert localize(date(2026, 10, 4), time(2, 15), lord_howe).astimezone(lord_howe).time() == time(2, 30)


# ------------------------------------------------------------------------------------------------------
# APScheduler


@pytest.mark.parametrize(
    ("text", "tz", "country"),
    [
        ("每个工作日9点", SHANGHAI, "CN"),
        ("every 2 weeks on Monday 14:00", SHANGHAI, None),
        ("daily 02:30", NEW_YORK, None),
        ("每月第一个周一上午10点", BERLIN, None),
    ],
)
def test_trigger_fires_exactly_on_the_occurrences(text: str, tz: ZoneInfo, country: str | None) -> None:
    start = datetime(2026, 2, 10, 12, 0, tzinfo=tz)
    rule = parse_recurrence(text, tz=tz, now=start, country=country)
    trigger = to_trigger(rule)
    expected = next_occurrences(rule, after=start - timedelta(microseconds=1), count=25)
    fired: list[datetime] = []
    previous = None
    for _ in range(25):
        fire = trigger.get_next_fire_time(previous, previous or start)
        assert fire is not None
        fired.append(fire)
        previous = fire
    assert fired == expected
    restored = pickle.loads(pickle.dumps(trigger))
    assert restored.rule == rule
    assert restored.get_next_fire_time(None, start) == expected[0]


def test_trigger_with_an_explicit_calendar_and_a_real_scheduler() -> None:
    now = datetime(2026, 2, 13, 12, 0, tzinfo=SHANGHAI)  # the Friday before the Spring Festival
    rule = parse_recurrence("每个工作日9点", tz=SHANGHAI, now=now)
    trigger = to_trigger(rule, holidays=holiday_calendar("CN"))
    assert pickle.loads(pickle.dumps(trigger)).holidays == holiday_calendar("CN")
    with time_machine.travel(now, tick=False):
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.start(paused=True)
        try:
            job = scheduler.add_job(print, trigger=trigger)
            assert job.next_run_time == datetime(2026, 2, 14, 9, 0, tzinfo=SHANGHAI)  # make-up Saturday
        finally:
            scheduler.shutdown(wait=False)


# ------------------------------------------------------------------------------------------------------
# Rendering


def test_render_recurrence() -> None:
    rule = parse_recurrence("every Tuesday 10am", tz=SHANGHAI, now=tuesday())
    assert (
        render_recurrence(rule, "en", now=tuesday())
        == "Every Tuesday at 10:00 (Asia/Shanghai) — next: Tue 1 Dec, Tue 8 Dec, Tue 15 Dec"
    )
    assert (
        render_recurrence(rule, "zh", now=tuesday())
        == "每周二 10:00（Asia/Shanghai）— 接下来：12月1日（周二）、12月8日（周二）、12月15日（周二）"
    )


def test_render_says_when_the_time_is_the_default_and_shows_other_years() -> None:
    rule = parse_recurrence("每月1号", tz=SHANGHAI, now=tuesday())
    assert rule.time_defaulted and (rule.hour, rule.minute) == (9, 0)
    assert render_recurrence(rule, "en", now=tuesday()) == (
        "Every month on the 1st at 09:00 (default time) (Asia/Shanghai)"
        " — next: Tue 1 Dec, Fri 1 Jan 2027, Mon 1 Feb 2027"
    )
    assert render_recurrence(rule, "zh", now=tuesday()) == (
        "每月1日 09:00（默认时间）（Asia/Shanghai）— 接下来：12月1日（周二）、2027年1月1日（周五）、2027年2月1日（周一）"
    )


@pytest.mark.parametrize(
    ("text", "country", "en", "zh"),
    [
        ("every mon and thu 9am", None, "Every Monday and Thursday at 09:00", "每周一、周四 09:00"),
        (
            "每周一三五上午9点",
            None,
            "Every Monday, Wednesday and Friday at 09:00",
            "每周一、周三、周五 09:00",
        ),
        ("every 2 weeks on Monday 14:00", None, "Every 2 weeks on Monday at 14:00", "每2周的周一 14:00"),
        ("每月第一个周一上午10点", None, "First Monday of every month at 10:00", "每月第一个周一 10:00"),
        (
            "last friday of every month 5pm",
            None,
            "Last Friday of every month at 17:00",
            "每月最后一个周五 17:00",
        ),
        ("every 3 days 8am", None, "Every 3 days at 08:00", "每3天 08:00"),
        ("every month on the 22nd 8am", None, "Every month on the 22nd at 08:00", "每月22日 08:00"),
        ("every month on the 13th 8am", None, "Every month on the 13th at 08:00", "每月13日 08:00"),
        (
            "每个工作日9点半",
            "CN",
            "Every working day (CN public holidays and make-up working days) at 09:30",
            "每个工作日（按 CN 法定节假日及调休安排） 09:30",
        ),
    ],
)
def test_render_schedules(text: str, country: str | None, en: str, zh: str) -> None:
    rule = parse_recurrence(text, tz=SHANGHAI, now=tuesday(), country=country)
    assert render_recurrence(rule, "en", now=tuesday()).startswith(en + " (Asia/Shanghai) — next: ")
    assert render_recurrence(rule, "zh", now=tuesday()).startswith(zh + "（Asia/Shanghai）— 接下来：")


def test_render_shows_the_actual_time_of_an_occurrence_moved_by_dst() -> None:
    now = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    rule = parse_recurrence("daily 02:30", tz=NEW_YORK, now=now)
    assert render_recurrence(rule, "en", now=now, count=2) == (
        "Every day at 02:30 (America/New_York) — next: Sun 8 Mar 03:00, Mon 9 Mar"
    )


# ------------------------------------------------------------------------------------------------------
# Durations

DURATIONS = [
    ("15m", timedelta(minutes=15)),
    ("1h", timedelta(hours=1)),
    ("2h30m", timedelta(hours=2, minutes=30)),
    ("90 minutes", timedelta(minutes=90)),
    ("1 hour 30 minutes", timedelta(minutes=90)),
    ("1h30", timedelta(minutes=90)),
    ("1.5 hours", timedelta(minutes=90)),
    ("an hour", timedelta(hours=1)),
    ("half an hour", timedelta(minutes=30)),
    ("2 days", timedelta(days=2)),
    ("1w", timedelta(weeks=1)),
    ("15分钟", timedelta(minutes=15)),
    ("1小时", timedelta(hours=1)),
    ("半小时", timedelta(minutes=30)),
    ("一个半小时", timedelta(minutes=90)),
    ("1小时30分钟", timedelta(minutes=90)),
    ("两个小时", timedelta(hours=2)),
    ("三天", timedelta(days=3)),
    ("１５分钟", timedelta(minutes=15)),
]


@pytest.mark.parametrize(("text", "expected"), DURATIONS)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "0m", "soon", "分钟", "2 years", "400 days", "-5m", "5 parsecs"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_duration(text)
    assert caught.value.key == "time.bad_duration"
    assert caught.value.example == "time.example_duration"


def test_render_duration() -> None:
    assert render_duration(timedelta(minutes=90), "en") == "1 h 30 min"
    assert render_duration(timedelta(minutes=90), "zh") == "1小时30分钟"
    assert render_duration(timedelta(days=1, minutes=5), "zh") == "1天5分钟"


# ------------------------------------------------------------------------------------------------------
# Catalogue


def test_catalogue_keys_and_examples() -> None:
    for key, texts in TIME_MESSAGES.items():
        assert key.startswith("time."), key
        assert set(texts) == set(LANGS) and all(texts[lang].strip() for lang in LANGS), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in LANGS]
        assert fields[0] == fields[1], key
    for lang in LANGS:  # the examples shown with errors actually work
        parse_moment(t("time.example_moment", lang), now=tuesday(), tz=SHANGHAI)
        parse_recurrence(t("time.example_recurrence", lang), tz=SHANGHAI, now=tuesday())
        parse_duration(t("time.example_duration", lang))


# ------------------------------------------------------------------------------------------------------
# Properties

EN_DAYS = ["monday", "tue", "wednesday", "thu", "friday", "sat", "sunday"]
ZH_DAYS = "一二三四五六日"
STRESS_ZONES = [
    "UTC",
    "Asia/Shanghai",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Apia",
]


@st.composite
def recurrence_phrases(draw: st.DrawFn) -> str:
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    clock = f"{hour}:{minute:02d}"
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    n = draw(st.integers(1, 12))
    dom = draw(st.integers(1, 31))
    return draw(
        st.sampled_from(
            [
                f"every {' and '.join(EN_DAYS[d] for d in days)} at {clock}",
                f"every {n} weeks on {', '.join(EN_DAYS[d] for d in days)} {clock}",
                f"every {n} days at {clock}",
                f"every {n} months on the {dom}th {clock}",
                f"every weekday {clock}",
                f"daily {clock}",
                f"每周{''.join(ZH_DAYS[d] for d in days)} {clock}",
                f"每{n}周{'、'.join('周' + ZH_DAYS[d] for d in days)}{clock}",
                f"每{n}个月{dom}号{clock}",
                f"每月第{min(n, 4)}个星期{ZH_DAYS[days[0]]}{clock}",
                f"每个工作日{clock}",
                "每月1号",
            ]
        )
    )


@settings(max_examples=150, deadline=None)
@given(
    phrase=recurrence_phrases(),
    zone=st.sampled_from(STRESS_ZONES),
    now=st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
    country=st.sampled_from([None, "CN", "US"]),
)
def test_recurrences_round_trip_through_json(
    phrase: str, zone: str, now: datetime, country: str | None
) -> None:
    rule = parse_recurrence(phrase, tz=ZoneInfo(zone), now=now, country=country)
    assert Recurrence.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    found = next_occurrences(rule, after=now, count=5)
    assert len(found) == 5
    assert all(a < b for a, b in itertools.pairwise(found))
    assert found[0] > now


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(STRESS_ZONES),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    after=st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
)
def test_daily_occurrences_increase_and_never_double_a_local_day(
    zone: str, hour: int, minute: int, after: datetime
) -> None:
    tz = ZoneInfo(zone)
    rule = Recurrence(kind="daily", hour=hour, minute=minute, tz=zone)
    found = next_occurrences(rule, after=after, count=40)
    assert len(found) == 40 and found[0] > after
    assert all(a < b for a, b in itertools.pairwise(found))
    days = [instant.astimezone(tz).date() for instant in found]
    # One per local day, no day skipped (Pacific/Apia skipped 2011-12-30 entirely, outside this range).
    assert days == [days[0] + timedelta(days=n) for n in range(40)]
    for instant in found:
        wall = instant.astimezone(tz)
        if wall.time() != time(hour, minute):
            # Only when the wall time does not exist that day (a DST gap): moved forward to the gap's end.
            asked = datetime.combine(wall.date(), time(hour, minute))
            assert asked.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != asked
            assert timedelta(0) < wall.replace(tzinfo=None) - asked <= timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1990, 2100),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    pad=st.booleans(),
    zone=st.sampled_from(STRESS_ZONES),
    now=st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
)
def test_a_plain_iso_date_reads_as_the_grammar_reads_it(
    year: int, month: int, day: int, pad: bool, zone: str, now: datetime
) -> None:
    """parse_moment reads "2026-12-15" without the English grammar's passes: the same day, or the same refusal."""
    from bot.timeexpr import moment as grammar

    text = f"{year}-{month:02d}-{day:02d}" if pad else f" {year}-{month}-{day} "
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    ctx = grammar._Ctx(today=local_now.date(), tz=tz, text=text, country=None, date_order="mdy")

    def outcome(read: object) -> object:
        try:
            return read()  # type: ignore[operator]
        except UsageError as refused:
            return refused.key

    fast = outcome(lambda: parse_moment(text, now=now, tz=tz, date_order="mdy"))
    assert fast == outcome(lambda: grammar._parse_en(text, local_now, tz, ctx))
    if isinstance(fast, Moment):
        assert fast.day == date(year, month, day) and not fast.has_time
