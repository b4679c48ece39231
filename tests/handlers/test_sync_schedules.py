"""Sync reminders end to end, with time travel: exactly once, downtime, failures, replicas, DST."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import select

from bot.domain.schedules import Delivery, DeliveryError, deliver
from storage.models import Milestone, Occurrence, Project, Risk, Schedule
from tests.handlers.conftest import SHANGHAI, START
from tests.harness.app import (
    BOT_TOKEN,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    populate_world,
    reply_text,
    running_liaison,
)
from tests.harness.fake_slack import FakeSlack


async def _occurrences(app: Liaison) -> list[Occurrence]:
    async with app.session() as s:
        return list((await s.exec(select(Occurrence).order_by(Occurrence.occurs_at))).all())  # type: ignore[arg-type]


def _posts(app: Liaison, channel: str) -> list[dict[str, object]]:
    return [c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def test_weekly_sync_is_confirmed_with_next_dates_and_scheduled(app: Liaison, clock: Clock) -> None:
    traveller = time_machine.travel(START, tick=True)  # APScheduler reads the real clock
    traveller.start()
    try:
        reply = reply_text(
            await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')
        )
        next_run = app.svc.scheduler.next_run("schedule:1")
    finally:
        traveller.stop()
    assert "S-1" in reply and "Weekly sync with ACME" in reply
    assert "Every Tuesday at 10:00 (Asia/Shanghai)" in reply
    assert "Tue 24 Nov" in reply and "Tue 1 Dec" in reply and "Tue 8 Dec" in reply
    assert "15 min" in reply
    assert next_run == datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI)


async def test_reminder_posts_once_at_the_lead_time_with_agenda(app: Liaison, clock: Clock) -> None:
    await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')
    clock.now = datetime(2026, 11, 24, 9, 44, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert _posts(app, INTERNAL_CHANNEL) == []
    clock.now = datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI)
    await asyncio.gather(app.svc.runner.run_all(), app.svc.runner.run_all())
    clock.advance(minutes=3)
    await app.svc.runner.run_all()
    [post] = _posts(app, INTERNAL_CHANNEL)
    text = reply_text(post)  # type: ignore[arg-type]
    assert "Weekly sync with ACME" in text and "starts in 15 min" in text
    assert "Start the minutes" in text
    [occurrence] = await _occurrences(app)
    assert occurrence.status == "posted"
    assert occurrence.occurs_at == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert occurrence.message_ts


async def _seed_records(app: Liaison) -> None:
    async with app.svc.sessions.begin() as s:
        project = (await s.exec(select(Project))).one()
        for number, vis, title in (
            (1, "internal", "SECRET vendor insolvency"),
            (2, "client", "Test data late"),
        ):
            s.add(
                Risk(
                    project_id=project.id,
                    number=number,
                    visibility=vis,
                    title=title,
                    probability=4,
                    impact=4,
                    created_by="U",
                )
            )
        s.add(
            Milestone(
                project_id=project.id,
                number=1,
                visibility="internal",
                title="SECRET internal cutover drill",
                planned_on=date(2026, 12, 3),
                forecast_on=date(2026, 12, 3),
                created_by="U",
            )
        )


async def test_client_reminder_is_client_safe_and_checked_at_posting(app: Liaison, clock: Clock) -> None:
    await _seed_records(app)
    await app.command("/sync", 'every tuesday 10am "ACME sync" [client]')
    clock.now = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    [post] = _posts(app, SHARED_CHANNEL)
    text = reply_text(post)  # type: ignore[arg-type]
    assert "Test data late" in text
    assert "SECRET" not in text
    assert "Start the minutes" not in text
    # the client reads the time in their own zone: a Slack date token (UTC fallback), not Shanghai's clock
    start = int(datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI).timestamp())
    assert f"<!date^{start}^" in text and "|2026-11-24 02:00 UTC>" in text
    assert "Asia/Shanghai" not in text
    assert _posts(app, INTERNAL_CHANNEL) == []
    checks = [c for c in app.fake.calls_to("conversations.info") if c.args.get("channel") == SHARED_CHANNEL]
    assert checks[-1].at <= app.fake.calls_to("chat.postMessage")[-1].at


async def test_internal_reminder_whose_channel_became_shared_is_filtered(app: Liaison, clock: Clock) -> None:
    await _seed_records(app)
    await app.command("/sync", 'every tuesday 10am "Team sync"')
    app.fake.add_channel(INTERNAL_CHANNEL, name="acme-internal", is_shared=True, is_ext_shared=True)
    clock.now = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    [post] = _posts(app, INTERNAL_CHANNEL)
    assert "SECRET" not in reply_text(post)  # type: ignore[arg-type]


async def test_downtime_posts_the_latest_within_grace_once_and_records_the_rest(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/sync", '每天18点 "Daily stand-up"')
    # Down from Tuesday until Friday 18:30: Tue, Wed, Thu 18:00 are missed; Fri 18:00 is within the hour.
    clock.now = datetime(2026, 11, 27, 18, 30, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    posts = _posts(app, INTERNAL_CHANNEL)
    assert len(posts) == 1
    statuses = [(o.occurs_at.astimezone(SHANGHAI).day, o.status) for o in await _occurrences(app)]
    assert statuses == [(24, "missed"), (25, "missed"), (26, "missed"), (27, "posted")]
    listing = reply_text(await app.command("/sync", "list"))
    assert "3 missed" in listing and "posted" in listing


async def test_downtime_beyond_grace_posts_nothing(app: Liaison, clock: Clock) -> None:
    await app.command("/sync", 'daily 18:00 "Stand-up" grace:30m')
    clock.now = datetime(2026, 11, 24, 18, 45, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert _posts(app, INTERNAL_CHANNEL) == []
    assert [o.status for o in await _occurrences(app)] == ["missed"]


async def test_pause_resume_skip_cancel(app: Liaison, clock: Clock) -> None:
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    assert "will skip" in reply_text(await app.command("/sync", "skip S-1"))
    clock.now = datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert _posts(app, INTERNAL_CHANNEL) == []
    assert "paused" in reply_text(await app.command("/sync", "pause S-1"))
    assert not app.svc.scheduler.has_job("schedule:1")
    clock.now = datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert _posts(app, INTERNAL_CHANNEL) == []
    clock.now = datetime(2026, 11, 25, 20, 0, tzinfo=SHANGHAI)
    assert "running again" in reply_text(await app.command("/sync", "resume S-1"))
    clock.now = datetime(2026, 11, 26, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert len(_posts(app, INTERNAL_CHANNEL)) == 1
    statuses = [o.status for o in await _occurrences(app)]
    assert statuses == ["skipped", "posted"], "paused days are neither posted nor counted as missed"
    assert "cancelled" in reply_text(await app.command("/sync", "cancel S-1"))
    assert "already" in reply_text(await app.command("/sync", "resume S-1"))


async def test_failures_retry_with_backoff_then_record_the_reason(app: Liaison, clock: Clock) -> None:
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    app.svc.runner.sleep = no_wait
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    app.fake.fail_next("chat.postMessage", "fatal_error", times=2)
    clock.now = datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert slept == [1.0, 2.0]
    assert len(_posts(app, INTERNAL_CHANNEL)) == 1
    [occurrence] = await _occurrences(app)
    assert (occurrence.status, occurrence.attempts) == ("posted", 3)

    app.fake.fail_next("chat.postMessage", "not_in_channel", times=1)
    clock.now = datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    last = (await _occurrences(app))[-1]
    assert (last.status, last.error, last.attempts) == ("failed", "not_in_channel", 1)
    assert "failed (not_in_channel)" in reply_text(await app.command("/sync", "list"))


async def test_retry_after_is_honoured() -> None:
    slept: list[float] = []
    tries = 0

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def post(_sid: int, _at: datetime) -> Delivery:
        nonlocal tries
        tries += 1
        if tries < 3:
            raise DeliveryError("ratelimited", retry_after=7)
        return Delivery("C1", "1.0")

    delivery, attempts, error = await deliver(post, 1, START, sleep=sleep)
    assert (delivery, attempts, error, slept) == (Delivery("C1", "1.0"), 3, "", [7, 7])


async def test_bad_schedule_input_gets_examples_and_writes_nothing(app: Liaison) -> None:
    for text, expected in (
        ('every blursday "x"', "every Tuesday 10am"),
        ('every tuesday 10am remind:forever "x"', "as a length of time"),
        ('every tuesday 10am "x" [client] remind:25h', "24 hours"),
        ("pause S-9", "no S-9"),
    ):
        reply = reply_text(await app.command("/sync", text))
        assert expected.lower() in reply.lower(), (text, reply)
    async with app.session() as s:
        assert (await s.exec(select(Schedule))).all() == []


async def test_client_user_cannot_schedule_or_steer(app: Liaison) -> None:
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    denied = reply_text(await app.command("/sync", 'daily 9:00 "x"', user="U0CAROL", channel=SHARED_CHANNEL))
    assert "project team" in denied
    hidden = reply_text(await app.command("/sync", "pause S-1", user="U0CAROL", channel=SHARED_CHANNEL))
    assert "no S-1" in hidden  # an internal schedule looks exactly like a missing one
    async with app.session() as s:
        assert [r.status for r in (await s.exec(select(Schedule))).all()] == ["active"]


async def test_two_instances_on_one_database_post_each_occurrence_once(
    database_url: str, clock: Clock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL; on one SQLite file two writers starve each other")
    with FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM) as fake:
        populate_world(fake)
        async with running_liaison(database_url, clock=clock, fake=fake) as one:
            await one.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai')
            await one.command("/sync", 'daily 18:00 "Stand-up"')
            async with running_liaison(database_url, clock=clock, fake=fake) as two:
                assert two.svc.runner.instance != one.svc.runner.instance
                for day in (24, 25, 26):
                    clock.now = datetime(2026, 11, day, 18, 0, tzinfo=SHANGHAI)
                    await asyncio.gather(*(app.svc.runner.run_all() for app in (one, two, one, two)))
                posts = [
                    c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL
                ]
                assert len(posts) == 3
                owners = {o.claimed_by for o in await _occurrences(one)}
                assert owners <= {one.svc.runner.instance, two.svc.runner.instance}


async def test_restart_catches_up_and_gives_up_on_a_claim_too_late_to_post_telling_the_team_once(
    database_url: str, clock: Clock
) -> None:
    with FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM) as fake:
        populate_world(fake)
        async with running_liaison(database_url, clock=clock, fake=fake) as first:
            await first.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai')
            await first.command("/sync", 'daily 18:00 "Stand-up"')
            await first.command("/sync", 'daily 17:00 "Ops check"')
            async with first.svc.sessions.begin() as s:  # a process died while posting the 17:00 one
                s.add(
                    Occurrence(
                        schedule_id=2,
                        occurs_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                        status="claimed",
                        claimed_by="dead",
                        claimed_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                    )
                )
        clock.now = datetime(2026, 11, 24, 18, 20, tzinfo=SHANGHAI)
        async with running_liaison(database_url, clock=clock, fake=fake) as second:
            posts = [
                c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL
            ]
            # The dead claim's lease has long run out: taken over, looked for in the channel (not there),
            # too late to post (80 minutes after 17:00, grace 60): missed, and the team told once.
            assert len(posts) == 2 and "Stand-up" in reply_text(posts[0].args)
            assert "Ops check" in reply_text(posts[1].args) and "was not posted" in reply_text(posts[1].args)
            statuses = sorted((o.schedule_id, o.status) for o in await _occurrences(second))
            assert statuses == [(1, "posted"), (2, "missed")]
            await second.svc.runner.run_all()
            assert len(fake.calls_to("chat.postMessage")) == len(posts)
            assert second.svc.scheduler.has_job("schedule:1") and second.svc.scheduler.has_job(
                "schedules:resync"
            )


@pytest.mark.parametrize(
    ("tz", "days"),
    [
        (
            "America/New_York",
            [(2026, 3, 7), (2026, 3, 8), (2026, 3, 9), (2026, 10, 31), (2026, 11, 1), (2026, 11, 2)],
        ),
        (
            "Europe/Berlin",
            [(2026, 3, 28), (2026, 3, 29), (2026, 3, 30), (2026, 10, 24), (2026, 10, 25), (2026, 10, 26)],
        ),
    ],
)
async def test_dst_never_skips_or_doubles_a_reminder(
    database_url: str, tz: str, days: list[tuple[int, int, int]]
) -> None:
    zone = ZoneInfo(tz)
    clock = Clock(datetime(*days[0], 0, 5, tzinfo=zone).astimezone(UTC))
    async with running_liaison(database_url, clock=clock) as app:
        await app.command("/project", f'setup name:"P" client:"C" tz:{tz}')
        await app.command("/sync", 'daily 2:30 "Night batch check"')
        for y, m, d in days:
            for hour in range(24):  # walk every hour of the day, as a live scheduler would
                clock.now = datetime(y, m, d, hour, 59, tzinfo=zone).astimezone(UTC)
                await app.svc.runner.run_all()
        posted = [o for o in await _occurrences(app) if o.status == "posted"]
        assert [o.occurs_at.astimezone(zone).date() for o in posted] == [date(*d) for d in days]
        posts = [
            c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL
        ]
        assert len(posts) == len(
            days
        )  # one a day: the spring gap does not skip, the autumn repeat does not double
        spring = [o.occurs_at.astimezone(zone) for o in posted][1]
        assert (spring.hour, spring.minute) == (
            3,
            0,
        )  # 02:30 does not exist that night: fires when the gap ends


async def test_the_reminders_start_the_minutes_button_opens_the_minutes_form(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME"')
    clock.now = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    [post] = [c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL]
    button = post.args["blocks"][-1]["elements"][0]
    payload = {
        "type": "block_actions",
        "team": {"id": "T0HOME"},
        "user": {"id": "U0BOB", "team_id": "T0HOME"},
        "api_app_id": "A0LIAISON",
        "trigger_id": "5.sync",
        "channel": {"id": INTERNAL_CHANNEL},
        "container": {"type": "message", "message_ts": post.response["ts"], "channel_id": INTERNAL_CHANNEL},
        "response_url": app.fake.response_url("sync-click"),
        "actions": [{**button, "block_id": "sync_actions", "type": "button", "action_ts": "1"}],
    }
    assert (await app.interaction(payload)).status_code == 200
    [opened] = await app.wait_for("views.open")
    assert opened.args["trigger_id"] == "5.sync"
    assert opened.args["view"]["type"] == "modal"


async def test_the_agenda_marks_overdue_items_with_their_age(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Send the plan due:2026-11-20")
    await app.command("/action", "add Call the vendor due:today 9:30am")
    await app.command("/action", "add Review the deck due:today 9:50am")  # after the reminder: not yet
    await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')

    def lines(post: dict[str, object]) -> dict[str, str]:
        text = reply_text(post)  # type: ignore[arg-type]
        return {what: next(r for r in text.splitlines() if what in r) for what in ("Send", "Call", "Review")}

    clock.now = datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    [post] = _posts(app, INTERNAL_CHANNEL)
    found = lines(post)
    assert "_overdue 4 days_" in found["Send"], found
    assert "_overdue since today_" in found["Call"], found
    assert "overdue" not in found["Review"], found

    await app.command("/project", "settings lang:zh")
    clock.now = datetime(2026, 12, 1, 9, 45, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    found = lines(_posts(app, INTERNAL_CHANNEL)[-1])
    assert "_逾期 11 天_" in found["Send"], found
    assert "_逾期 7 天_" in found["Call"] and "_逾期 7 天_" in found["Review"], found
