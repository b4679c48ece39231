"""/milestone end to end, on a clock the test controls (today is computed in the project's zone)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import pytest
from sqlmodel import func, select

from storage.models import AuditLog, Milestone, MilestoneSlip, ProcessedRequest
from tests.harness.app import (
    ALICE,
    CAROL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
    running_liaison,
)

SETUP_EN = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'
SETUP_ZH = 'setup name:"ACME ERP 上线" client:"ACME" tz:Asia/Shanghai lang:zh'


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    app: Liaison
    clock: Clock

    async def command(self, text: str, **kw: object) -> dict[str, object]:
        return await self.app.command("/milestone", text, **kw)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    # 2026-12-01 23:30 UTC is already 2 December in Shanghai, the project's zone.
    clock = Clock(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    async with running_liaison(database_url, clock=clock) as app:
        yield World(app=app, clock=clock)


async def setup(world: World, *, text: str = SETUP_EN, shared: bool = False) -> None:
    await world.app.command("/project", text)
    if shared:
        await world.app.command("/project", "client-channel", channel=SHARED_CHANNEL)


async def milestones(world: World) -> list[Milestone]:
    async with world.app.session() as s:
        return list((await s.exec(select(Milestone).order_by(Milestone.number))).all())  # type: ignore[arg-type]


async def slips(world: World) -> list[MilestoneSlip]:
    async with world.app.session() as s:
        return list((await s.exec(select(MilestoneSlip).order_by(MilestoneSlip.id))).all())  # type: ignore[arg-type]


async def store(world: World) -> tuple[object, ...]:
    async with world.app.session() as s:
        counts = [
            (await s.exec(select(func.count()).select_from(model))).one()
            for model in (AuditLog, MilestoneSlip, ProcessedRequest)
        ]
    rows = [
        (m.number, m.title, m.planned_on, m.forecast_on, m.done_on, m.visibility)
        for m in await milestones(world)
    ]
    return (rows, *counts)


async def test_add_list_done_in_english(world: World) -> None:
    await setup(world)
    reply = await world.command('add "UAT sign-off ✅" due:2026-12-15 [client]')
    assert "Added MS-1" in reply_text(reply) and "On track" in reply_text(reply)
    assert reply["response_type"] == "ephemeral"
    [m] = await milestones(world)
    assert (m.title, m.planned_on, m.forecast_on, m.done_on, m.visibility) == (
        "UAT sign-off ✅",
        date(2026, 12, 15),
        date(2026, 12, 15),
        None,
        "client",
    )
    done = await world.command("done MS-1")
    assert "MS-1 is done" in reply_text(done)
    [m] = await milestones(world)
    assert m.done_on == date(2026, 12, 2)  # the project's today, not UTC's
    async with world.app.session() as s:
        actions = [
            e.action for e in (await s.exec(select(AuditLog).where(AuditLog.record_ref == "MS-1"))).all()
        ]
    assert actions == ["milestone.create", "milestone.done"]


async def test_list_shows_planned_forecast_actual_and_status(world: World) -> None:
    await setup(world)
    await world.command('add "Kick-off" due:2026-11-20')  # passed → late
    await world.command('add "Design sign-off" due:2026-12-20')  # then slipped → at risk
    await world.command('add "UAT sign-off" due:2027-01-15')  # on track
    await world.command('add "Infra ready" due:2026-12-05')  # done
    await world.command("slip MS-2 to:2027-01-10 reason:Client test data late")
    await world.command("done MS-4")
    text = reply_text(await world.command("list"))
    assert text.index("MS-1") < text.index("MS-2") < text.index("MS-3") < text.index("MS-4")
    lines = {
        ref: line
        for line in text.splitlines()
        for ref in ("MS-1", "MS-2", "MS-3", "MS-4")
        if line.startswith(ref)
    }
    assert "Late" in lines["MS-1"] and "At risk" in lines["MS-2"] and "On track" in lines["MS-3"]
    assert "Done" in lines["MS-4"]
    assert "Planned Sun 20 Dec 2026 · Forecast Sun 10 Jan 2027 · Actual —" in text
    assert "Planned Sat 5 Dec 2026 · Forecast Sat 5 Dec 2026 · Actual Wed 2 Dec 2026" in text
    open_only = reply_text(await world.command("list open"))
    assert "MS-4" not in open_only and "MS-1" in open_only


async def test_time_passing_turns_on_track_into_late(world: World) -> None:
    await setup(world)
    await world.command('add "Go-live" due:2026-12-15')
    assert "On track" in reply_text(await world.command("show MS-1"))
    world.clock.now = datetime(2026, 12, 15, 15, 59, tzinfo=UTC)  # 23:59 on the 15th in Shanghai
    assert "On track" in reply_text(await world.command("show MS-1"))
    world.clock.now = datetime(2026, 12, 15, 16, 0, tzinfo=UTC)  # the 16th in Shanghai
    assert "Late" in reply_text(await world.command("show MS-1"))


async def test_open_high_risks_put_a_close_milestone_at_risk(world: World) -> None:
    await setup(world, shared=True)
    await world.command('add "Go-live" due:2026-12-07 [client]')
    await world.app.command("/risk", "add Cutover data incomplete p:high i:high")  # internal
    assert "At risk" in reply_text(await world.command("list"))
    # In the shared channel only client risks count, so the internal one reveals nothing there.
    assert "On track" in reply_text(await world.command("list", user=CAROL, channel=SHARED_CHANNEL))
    await world.app.command("/risk", "close R-1 resolved")
    assert "On track" in reply_text(await world.command("list"))


async def test_slip_is_kept_in_history(world: World) -> None:
    await setup(world)
    await world.command('add "UAT sign-off" due:2026-12-15')
    reply = await world.command("slip MS-1 to:2027-01-10 reason:Client test data late")
    assert "now forecast for Sun 10 Jan 2027 (was Tue 15 Dec 2026)" in reply_text(reply)
    await world.command("slip MS-1 to:2027-01-20 reason:Second test cycle")
    [first, second] = await slips(world)
    assert (first.from_on, first.to_on, first.reason, first.by_user_id) == (
        date(2026, 12, 15),
        date(2027, 1, 10),
        "Client test data late",
        ALICE,
    )
    assert (second.from_on, second.to_on) == (date(2027, 1, 10), date(2027, 1, 20))
    [m] = await milestones(world)
    assert (m.planned_on, m.forecast_on) == (date(2026, 12, 15), date(2027, 1, 20))
    text = reply_text(await world.command("show MS-1"))
    assert "Tue 15 Dec 2026 → Sun 10 Jan 2027" in text and "Sun 10 Jan 2027 → Wed 20 Jan 2027" in text
    assert "Client test data late" in text and "Second test cycle" in text
    assert "At risk" in text


async def test_a_forecast_in_the_past_is_refused_and_changes_nothing(world: World) -> None:
    # Today is 2 December in Shanghai (still 1 December in UTC): 1 December is the past, 2 December is not.
    await setup(world)
    await world.command('add "UAT sign-off" due:2026-12-15')
    before = await store(world)
    reply = await world.command("slip MS-1 to:2026-12-01 reason:it happened already")
    shown = reply_text(reply)
    assert "2026-12-01 is before today (2026-12-02)" in shown and "nothing changed" in shown, shown
    assert "`/milestone done MS-1`" in shown and reply["response_type"] == "ephemeral"
    assert await store(world) == before
    [m] = await milestones(world)
    assert m.forecast_on == date(2026, 12, 15)
    early = await world.command("slip MS-1 to:today reason:early")
    assert "now forecast for Wed 2 Dec 2026" in reply_text(early)


async def test_a_forecast_in_the_past_is_refused_in_chinese(world: World) -> None:
    await setup(world, text=SETUP_ZH)
    await world.command('添加 "UAT 签字" 截止:2026-12-15')
    before = await store(world)
    shown = reply_text(await world.command("延期 MS-1 至:2026-11-30 原因:已经发生"))
    assert "2026-11-30 早于今天（2026-12-02）" in shown and "未做任何更改" in shown, shown
    assert "`/milestone 完成 MS-1`" in shown
    assert await store(world) == before


async def test_chinese_add_slip_list_show_done(world: World) -> None:
    await setup(world, text=SETUP_ZH)
    assert "已添加 MS-1" in reply_text(await world.command('添加 "UAT 签字" 截止:2026-12-15 [客户]'))
    slipped = await world.command("延期 MS-1 至:2027-01-10 原因:客户测试数据延迟")
    assert "预测日期改为 2027年1月10日（周日）" in reply_text(slipped)
    listed = reply_text(await world.command("列表"))
    assert "里程碑" in listed and "有风险" in listed
    assert "计划 2026年12月15日（周二） · 预测 2027年1月10日（周日）" in listed
    assert "MS-1 UAT 签字（有风险，2027年1月10日（周日））" in listed  # full-width brackets in Chinese
    shown = reply_text(await world.command("查看 MS-1"))
    assert "延期记录" in shown and "客户测试数据延迟" in shown
    assert "MS-1 已完成" in reply_text(await world.command("完成 MS-1"))
    [m] = await milestones(world)
    assert (m.title, m.visibility, m.done_on) == ("UAT 签字", "client", date(2026, 12, 2))


async def test_mistakes_get_an_example_and_change_nothing(world: World) -> None:
    await setup(world)
    await world.command('add "UAT sign-off" due:2026-12-15')
    await world.command('add "Kick-off" due:2026-11-20')
    await world.command("done MS-2")
    before = await store(world)
    for text, expected in {
        'add "No date"': "When is it due",
        'add "Vague" due:one fine day': "couldn't understand “one fine day”",
        "add due:2026-12-15": "Give the milestone a title",
        "slip MS-1 to:2027-01-10": "Say why it moves",
        "slip MS-1 reason:late": "Say the new date",
        "slip MS-1 to:2026-12-15 reason:none": "already forecast for 2026-12-15",
        "slip MS-2 to:2027-01-01 reason:late": "was already done",
        "slip MS-9 to:2027-01-01 reason:late": "There is no MS-9",
        "done MS-2": "was already done on 2026-12-02",
        "done R-1": "is not a reference like `MS-3`",
        "done MS-1 please": "didn't expect",
        "show MS-7": "There is no MS-7",
        "list sideways": "`sideways` is not a list",
        'add "' + "x" * 301 + '" due:2026-12-15': "title is too long",
        "slip MS-1 to:2027-01-10 reason:" + "y" * 1001: "reason is too long",
    }.items():
        reply = await world.command(text)
        shown = reply_text(reply)
        assert expected in shown, (text, shown)
        assert "Example: `/milestone" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral"
        assert await store(world) == before, text


async def test_mistakes_in_chinese(world: World) -> None:
    await setup(world, text=SETUP_ZH)
    before = await store(world)
    shown = reply_text(await world.command('添加 "UAT 签字"'))
    assert "截止日期是哪天" in shown and "示例" in shown
    shown = reply_text(await world.command("完成 MS-3"))
    assert "本项目中没有 MS-3" in shown
    assert await store(world) == before


async def test_slack_connect_client_sees_only_client_milestones_and_changes_nothing(world: World) -> None:
    await setup(world, shared=True)
    await world.command('add "Internal code freeze" due:2026-12-10')
    await world.command('add "UAT sign-off" due:2026-12-15 [client]')
    await world.command("slip MS-2 to:2027-01-10 reason:Our vendor quit")
    before = await store(world)
    listed = reply_text(await world.command("list", user=CAROL, channel=SHARED_CHANNEL))
    assert "UAT sign-off" in listed and "Internal code freeze" not in listed and "MS-1" not in listed
    shown = reply_text(await world.command("show MS-2", user=CAROL, channel=SHARED_CHANNEL))
    assert "Tue 15 Dec 2026 → Sun 10 Jan 2027" in shown
    assert "Our vendor quit" not in shown and ALICE not in shown
    hidden = await world.command("show MS-1", user=CAROL, channel=SHARED_CHANNEL)
    missing = await world.command("show MS-5", user=CAROL, channel=SHARED_CHANNEL)
    assert reply_text(hidden).replace("MS-1", "MS-n") == reply_text(missing).replace("MS-5", "MS-n")
    for text in (
        'add "Client thing" due:2026-12-20 [client]',
        "done MS-2",
        "slip MS-2 to:2027-02-01 reason:x",
    ):
        reply = await world.command(text, user=CAROL, channel=SHARED_CHANNEL)
        assert "project team" in reply_text(reply), text
    team_in_shared = reply_text(await world.command("list", channel=SHARED_CHANNEL))
    assert "UAT sign-off" in team_in_shared and "Internal code freeze" not in team_in_shared
    assert await store(world) == before


async def test_injection_in_a_title(world: World) -> None:
    await setup(world)
    reply = await world.command("add <!channel> <@U0BOB> <https://evil.example|x> due:2026-12-15")
    [m] = await milestones(world)
    assert m.title == "@channel @U0BOB <https://evil.example|x>"
    for message in (reply, await world.command("list"), await world.command("show MS-1")):
        text = reply_text(message)
        assert "MS-1" in text
        assert (
            "<!channel>" not in text and "<@U0BOB>" not in text
        )  # `<https://…|x>`: a link Slack made stays one


async def test_a_retried_add_or_slip_is_recorded_once(world: World) -> None:
    await setup(world)
    for text in ('add "UAT sign-off" due:2026-12-15', "slip MS-1 to:2027-01-10 reason:late data"):
        form = world.app.command_form("/milestone", text)
        body = urlencode(form).encode()
        for _ in range(2):
            await world.app.post(body, content_type="application/x-www-form-urlencoded")
        key = form["response_url"].rsplit("/", 1)[-1]
        answers = await world.app.wait_for(
            "response_url", count=2, where=lambda c, k=key: c.args.get("_key") == k
        )
        assert any("Already recorded: MS-1" in reply_text(a.args) for a in answers)
    assert len(await milestones(world)) == 1
    assert len(await slips(world)) == 1
