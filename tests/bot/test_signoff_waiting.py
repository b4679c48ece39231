"""Working days a sign-off has waited, and when its nudge is due, in the project's holiday calendar.

China's National Day holiday 2026 runs 1–7 October with Saturday 10 October a make-up working day (调休), as
the `holidays` library records it (see bot/timeexpr/workdays.py).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.signoff import nudge_due_at, waiting_days, working_days_between
from storage.models import SignOff

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def sent(at: datetime) -> SignOff:
    return SignOff(
        project_id=1,
        subject="milestone",
        subject_id=1,
        version=1,
        title="UAT",
        content="c",
        content_hash="h",
        requested_by="U0ALICE",
        requested_at=at,
    )


def test_the_day_it_was_sent_never_counts_and_weekends_do_not_either() -> None:
    tuesday = date(2026, 11, 24)
    assert working_days_between(tuesday, tuesday, None) == 0
    assert working_days_between(tuesday, date(2026, 11, 27), None) == 3  # Wed, Thu, Fri
    assert working_days_between(tuesday, date(2026, 11, 29), None) == 3  # the weekend adds nothing
    assert working_days_between(tuesday, date(2026, 11, 30), None) == 4


def test_chinese_holidays_and_make_up_saturdays() -> None:
    row = sent(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    plain = nudge_due_at(row, days=3, tz="Asia/Shanghai", holidays=None)
    china = nudge_due_at(row, days=3, tz="Asia/Shanghai", holidays="CN")
    assert plain == datetime(2026, 10, 5, 10, 0, tzinfo=SHANGHAI)  # Thu 1, Fri 2, Mon 5
    assert china == datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI)  # Thu 8, Fri 9, make-up Sat 10
    friday = datetime(2026, 10, 9, 12, 0, tzinfo=SHANGHAI)
    assert waiting_days(row, now=friday, tz="Asia/Shanghai", holidays="CN") == 2
    assert waiting_days(row, now=friday, tz="Asia/Shanghai", holidays=None) == 7


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin"])
def test_days_are_counted_in_the_projects_zone(tz: str) -> None:
    zone = ZoneInfo(tz)
    row = sent(datetime(2026, 11, 24, 23, 30, tzinfo=zone))  # late Tuesday evening there
    due = nudge_due_at(row, days=3, tz=tz, holidays=None)
    assert due.astimezone(zone) == datetime(2026, 11, 27, 23, 30, tzinfo=zone)
    assert waiting_days(row, now=due, tz=tz, holidays=None) == 3


def test_a_nudge_after_zero_days_still_waits_one_working_day() -> None:
    row = sent(datetime(2026, 11, 27, 9, 0, tzinfo=NEW_YORK))  # a Friday
    assert nudge_due_at(row, days=0, tz="America/New_York", holidays=None) == datetime(
        2026, 11, 30, 9, 0, tzinfo=NEW_YORK
    )
