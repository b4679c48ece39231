"""Due dates as people type them, through the commands: a time is kept and shown in each reader's zone, numeric
dates follow the project's date order, and business days its holiday calendar (the clock: Tue 24 Nov 2026,
08:00 in Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from storage.models import ActionItem, Project
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Clock, Liaison, reply_text

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_due_time_is_kept_shown_in_each_readers_zone_and_ordered_by(app: Liaison) -> None:
    reply = reply_text(await app.command("/action", "add Send the cutover plan due:friday 5pm"))
    friday_5pm = datetime(2026, 11, 27, 17, 0, tzinfo=SHANGHAI)
    assert f"<!date^{int(friday_5pm.timestamp())}^" in reply and "2026-11-27 09:00 UTC" in reply
    await app.command("/action", "add Book the room due:friday")
    await app.command("/action", "add Call the vendor due:friday 9am")
    items = await rows(app, ActionItem)
    assert [(i.due_on, i.due_at) for i in items] == [
        (date(2026, 11, 27), friday_5pm.astimezone(UTC)),
        (date(2026, 11, 27), None),
        (date(2026, 11, 27), datetime(2026, 11, 27, 1, 0, tzinfo=UTC)),
    ]
    listed = reply_text(await app.command("/action", "list"))
    assert (
        listed.index("Call the vendor")
        < listed.index("Send the cutover plan")
        < listed.index("Book the room")
    )


async def test_a_due_time_in_chinese(app: Liaison) -> None:
    await app.command("/action", "添加 发送切换计划 截止:周五下午3点")
    [item] = await rows(app, ActionItem)
    assert item.due_at == datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI).astimezone(UTC)


async def test_numeric_dates_follow_the_projects_date_order(app: Liaison) -> None:
    await app.command("/action", "add Month first due:4/5")
    answer = reply_text(await app.command("/project", "settings dates:dmy"))
    assert "ACME" in answer
    assert "day first" in reply_text(await app.command("/project", "info"))
    await app.command("/action", "add Day first due:4/5")
    first, second = await rows(app, ActionItem)
    assert (first.due_on, second.due_on) == (date(2027, 4, 5), date(2027, 5, 4))


async def test_a_wrong_date_order_is_refused_and_changes_nothing(app: Liaison) -> None:
    for typed, lang_word in (("dates:ymd", "not a date order"), ("日期格式:年月日", "不是日期顺序")):
        if lang_word.isascii():
            reply = reply_text(await app.command("/project", f"settings {typed}"))
        else:
            await app.command("/project", "settings lang:zh")
            reply = reply_text(await app.command("/project", f"设置 {typed}"))
        assert lang_word in reply and "/project settings dates:dmy" in reply
    [project] = await rows(app, Project)
    assert project.date_order is None


async def test_business_days_follow_the_projects_holidays(app: Liaison, clock: Clock) -> None:
    clock.now = datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)  # a Tuesday before China's National Day week
    await app.command("/action", "add Without holidays due:in 3 business days")
    await app.command("/project", "settings holidays:CN")
    await app.command("/action", "add With China's holidays due:in 3 business days")
    await app.command("/action", "add 中国日历 due:3个工作日后")
    plain, china, chinese = await rows(app, ActionItem)
    assert plain.due_on == date(2026, 10, 2)
    assert china.due_on == chinese.due_on == date(2026, 10, 9)  # 1–7 October off, 10 October a make-up day
