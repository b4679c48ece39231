"""Action item reminders with time travel: the working day before and the due day, at the project's morning
hour, exactly once (also across two app instances on one database), in each owner's language; team owners by
DM, client owners in the client channel with a mention and the item's buttons."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
import time_machine
from sqlmodel import select

from handlers import ids
from storage.models import ActionReminder, Project
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import (
    BOT_TOKEN,
    HOME_TEAM,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    populate_world,
    reply_text,
    running_liaison,
)
from tests.harness.fake_slack import FakeSlack

WORDS = ("Reminder", "提醒", "a reminder")


def reminders(app: Liaison) -> list[tuple[str, str]]:
    """(channel, text) of every reminder posted so far."""
    found = []
    for call in app.fake.calls_to("chat.postMessage"):
        text = reply_text(call.args)
        if any(word in text for word in WORDS):
            found.append((str(call.args["channel"]), text))
    return found


async def at(app: Liaison, clock: Clock, when: datetime) -> list[tuple[str, str]]:
    """Move the clock, run what the scheduler runs every minute, and return the reminders it posted."""
    before = len(reminders(app))
    clock.now = when
    with time_machine.travel(when, tick=True):  # the wall clock agrees with the app's
        await app.svc.runner.run_all()
    return reminders(app)[before:]


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def test_the_working_day_before_and_the_due_day_at_nine_once_each(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Send the plan <@U0ALICE|alice> due:2026-11-30")  # a Monday
    await app.command("/action", "add Check the data <@U0BOB|bob> due:2026-11-30")
    await app.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-30 [client]")
    await app.command("/action", "add Already done <@U0BOB|bob> due:2026-11-30")
    await app.command("/action", "done A-4")
    await app.command("/action", "add Internal, carol's <@U0CAROL|carol> due:2026-11-30")
    assert await at(app, clock, local(26, 9)) == []  # Thursday: not yet
    assert await at(app, clock, local(27, 8, 59)) == []
    friday = await at(app, clock, local(27, 9))  # the working day before a Monday is the Friday
    texts = "\n".join(text for _, text in friday)
    assert len(friday) == 3, texts
    assert (
        "提醒：*A-1* Send the plan（ACME ERP）将于 2026年11月30日（周一） 截止" in texts
    )  # Alice reads Chinese
    assert "Reminder: *A-2* Check the data (ACME ERP) is due Mon 30 Nov 2026." in texts  # Bob English
    [client_text] = [t for c, t in friday if c == SHARED_CHANNEL]
    assert "<@U0CAROL>, a reminder: this action item is due Mon 30 Nov 2026" in client_text
    assert "Mark done" in client_text and "Need more time" in client_text
    assert "A-4" not in texts and "A-5" not in texts
    assert await at(app, clock, local(27, 9, 1)) == []  # exactly once
    assert await at(app, clock, local(27, 15)) == []
    assert await at(app, clock, local(28, 9)) == []  # the weekend
    monday = await at(app, clock, local(30, 9))
    texts = "\n".join(text for _, text in monday)
    assert len(monday) == 3 and "今天截止" in texts and "is due today" in texts
    assert await at(app, clock, local(30, 10)) == []
    async with app.session() as s:
        claimed = (await s.exec(select(ActionReminder))).all()
    assert sorted((r.action_id, r.kind) for r in claimed) == [
        (1, "due"),
        (1, "eve"),
        (2, "due"),
        (2, "eve"),
        (3, "due"),
        (3, "eve"),
    ]


async def test_the_client_reminder_carries_working_buttons(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-25 [client]")
    await at(app, clock, local(24, 9))
    [message] = [
        {**c.args}
        for c in app.fake.calls_to("chat.postMessage")
        if c.args["channel"] == SHARED_CHANNEL and "a reminder" in reply_text(c.args)
    ]
    assert ids.ACTION_OWNER_DONE in str(message["blocks"]) and ids.ACTION_MORE_TIME in str(message["blocks"])


async def test_done_items_and_items_created_after_the_hour_get_none(app: Liaison, clock: Clock) -> None:
    clock.now = local(27, 10)  # Friday, after the morning hour
    await app.command("/action", "add Late one <@U0BOB|bob> due:2026-11-30")
    await app.command("/action", "add Done one <@U0BOB|bob> due:2026-11-30")
    await app.command("/action", "done A-2")
    assert await at(app, clock, local(27, 10, 1)) == []  # its eve came before it existed
    monday = await at(app, clock, local(30, 9))
    [(_, text)] = monday
    assert "Reminder: *A-1* Late one (ACME ERP) is due today, Mon 30 Nov 2026." in text


async def test_holidays_and_the_morning_setting(app: Liaison, clock: Clock) -> None:
    reply = reply_text(await app.command("/project", "settings holidays:US morning:8:30"))
    assert "Updated" in reply or "updated" in reply
    async with app.session() as s:
        [project] = (await s.exec(select(Project))).all()
    assert project.morning == 8 * 60 + 30
    await app.command("/action", "add After thanksgiving <@U0BOB|bob> due:2026-11-27")  # a Friday
    assert await at(app, clock, local(25, 8, 29)) == []
    wednesday = await at(
        app, clock, local(25, 8, 30)
    )  # Thursday 26 Nov is Thanksgiving: the eve is Wednesday
    assert len(wednesday) == 1 and "is due Fri 27 Nov 2026" in wednesday[0][1]
    assert await at(app, clock, local(26, 8, 30)) == []


async def test_a_bad_morning_is_refused_in_both_languages(app: Liaison) -> None:
    for text, expected in (
        ("settings morning:25:00", "is not a time of day"),
        ("settings morning:9am", "is not a time of day"),
        ("设置 提醒时间:早上", "不是 9:00 或 8:30 这样的时间"),
    ):
        shown = reply_text(await app.command("/project", text))
        assert expected in shown and ("Example" in shown or "示例" in shown), shown
    async with app.session() as s:
        [project] = (await s.exec(select(Project))).all()
    assert project.morning == 9 * 60


async def test_a_moved_due_date_is_reminded_of_again(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Send the plan <@U0BOB|bob> due:2026-11-25")
    assert len(await at(app, clock, local(24, 9))) == 1
    await app.command("/action", "due A-1 2026-11-26")
    assert len(await at(app, clock, local(25, 9))) == 1  # the eve of the new date
    assert len(await at(app, clock, local(26, 9))) == 1


async def test_two_instances_on_one_database_remind_once(database_url: str, clock: Clock) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL; on one SQLite file two writers starve each other")
    with FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM) as fake:
        populate_world(fake)
        async with running_liaison(database_url, clock=clock, fake=fake) as one:
            await one.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai')
            await one.command("/project", "client-channel", channel=SHARED_CHANNEL)
            await one.command("/action", "add Send the plan <@U0BOB|bob> due:2026-11-30")
            await one.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-30 [client]")
            async with running_liaison(database_url, clock=clock, fake=fake) as two:
                assert two.svc.runner.instance != one.svc.runner.instance
                for when in (local(27, 9), local(27, 9, 1), local(30, 9)):
                    clock.now = when
                    await asyncio.gather(*(app.svc.runner.run_all() for app in (one, two, one, two)))
                assert len(reminders(one)) == 4  # two items, eve and due day, each once
                async with one.session() as s:
                    owners: Any = {r.claimed_by for r in (await s.exec(select(ActionReminder))).all()}
                assert owners <= {one.svc.runner.instance, two.svc.runner.instance}
