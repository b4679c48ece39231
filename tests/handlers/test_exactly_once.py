"""Exactly once when Slack's answer is lost, and claims with leases (issue 15), end to end with time travel.

Slack takes the post and the connection drops before its answer; a replica dies holding a claim; a post lands
just before its claimant dies; every attempt fails. Each time: posted once (found in the channel's history by
its metadata rather than posted again), or given up on, recorded and told to the team once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.delivery import EVENT_TYPE, metadata_for
from bot.domain import schedules as engine
from storage.models import CheckinAnswer, Occurrence
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import (
    ALICE,
    BOB,
    BOT_TOKEN,
    INTERNAL_CHANNEL,
    Clock,
    Liaison,
    reply_text,
    running_liaison,
)

DUE = datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI)  # the daily syncs below fall due at 18:00 Shanghai


async def no_wait(_seconds: float) -> None:
    return None


async def _occurrences(app: Liaison) -> list[Occurrence]:
    async with app.session() as s:
        return list((await s.exec(select(Occurrence).order_by(Occurrence.id))).all())  # type: ignore[arg-type]


def _tagged(app: Liaison, channel: str) -> list[dict[str, object]]:
    """Messages now in the channel that carry an occurrence tag."""
    return [
        m
        for m in app.fake.messages(channel)
        if isinstance(m.get("metadata"), dict) and m["metadata"].get("event_type") == EVENT_TYPE
    ]


async def _set_lang(app: Liaison, lang: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")


async def _dead_claim(app: Liaison, *, schedule_id: int, attempts: int, lease_left: timedelta) -> int:
    """A claim left by a replica that stopped: taken at DUE, its lease running out `lease_left` from DUE."""
    async with app.svc.sessions.begin() as s:
        row = Occurrence(
            schedule_id=schedule_id,
            occurs_at=DUE.astimezone(UTC),
            status=engine.CLAIMED,
            claimed_by="replica-that-died",
            claimed_at=DUE,
            lease_until=DUE + lease_left,
            attempts=attempts,
        )
        s.add(row)
        await s.flush()
        assert row.id is not None
        return row.id


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_answers_lost_at_35_percent_still_post_each_of_12_reminders_exactly_once(
    app: Liaison, clock: Clock, lang: str
) -> None:
    await _set_lang(app, lang)
    for n in range(12):
        await app.command("/sync", f'daily 18:00 "Sync {n:02d}"')
    app.svc.runner.sleep = no_wait
    app.fake.drop_answers("chat.postMessage", probability=0.35, seed=15)
    for minute in range(4):  # the minute it falls due, and the runner's next looks
        clock.now = DUE + timedelta(minutes=minute)
        await app.svc.runner.run_all()
    app.fake.drop_answers("chat.postMessage")  # off

    posted = [reply_text(m) for m in _tagged(app, INTERNAL_CHANNEL)]  # type: ignore[arg-type]
    for n in range(12):
        assert sum(f"Sync {n:02d}" in text for text in posted) == 1, f"Sync {n:02d}: {posted}"
    assert len(posted) == 12
    assert app.fake.answers_dropped >= 3  # the fault really happened (seeded)
    history = app.fake.calls_to("conversations.history")
    assert history and all(c.args.get("include_all_metadata") in (True, "true", "1") for c in history)
    stored = {m["ts"] for m in _tagged(app, INTERNAL_CHANNEL)}
    rows = await _occurrences(app)
    assert [r.status for r in rows] == ["posted"] * 12
    assert {r.message_ts for r in rows} == stored  # each occurrence knows its one message, found or answered


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_claim_left_by_a_dead_replica_is_taken_over_by_another_and_posted_once(
    app: Liaison, clock: Clock, database_url: str, lang: str
) -> None:
    await _set_lang(app, lang)
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    occurrence_id = await _dead_claim(app, schedule_id=1, attempts=0, lease_left=engine.LEASE)

    clock.now = DUE + timedelta(seconds=30)  # the lease still holds: nobody touches it
    await app.svc.runner.run_all()
    assert _tagged(app, INTERNAL_CHANNEL) == []
    listed = reply_text(await app.command("/sync", "list"))
    assert ("posting" in listed) if lang == "en" else ("发送中" in listed)

    clock.now = DUE + timedelta(minutes=2)  # ran out; /sync list tells the truth about it
    listed = reply_text(await app.command("/sync", "list"))
    assert ("being taken over" in listed) if lang == "en" else ("正在接管" in listed)
    async with running_liaison(database_url, clock=clock, fake=app.fake) as second:
        second.svc.runner.sleep = no_wait
        await asyncio.gather(second.svc.runner.run_all(), second.svc.runner.run_all())
        await second.svc.runner.run_all()
        [row] = await _occurrences(second)
        assert row.id == occurrence_id and row.status == "posted"
        assert row.claimed_by == second.svc.runner.instance
    [message] = _tagged(app, INTERNAL_CHANNEL)
    assert "Stand-up" in reply_text(message)  # type: ignore[arg-type]
    assert message["metadata"] == metadata_for(str(occurrence_id))
    assert row.message_ts == message["ts"]
    await app.svc.runner.run_all()  # the first instance looks again: nothing more
    assert len(_tagged(app, INTERNAL_CHANNEL)) == 1


async def test_a_post_that_landed_before_its_claimant_died_is_found_in_history_not_posted_again(
    app: Liaison, clock: Clock, database_url: str
) -> None:
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    await app.command("/sync", 'daily 18:00 "Ops check"')  # posted in the same channel meanwhile
    occurrence_id = await _dead_claim(app, schedule_id=1, attempts=1, lease_left=engine.LEASE)
    dead = AsyncWebClient(token=BOT_TOKEN, base_url=app.fake.base_url)  # what the dead replica managed
    landed = await dead.chat_postMessage(
        channel=INTERNAL_CHANNEL, text="Stand-up starting now", metadata=metadata_for(str(occurrence_id))
    )
    clock.now = DUE + timedelta(minutes=3)
    async with running_liaison(database_url, clock=clock, fake=app.fake) as second:
        await second.svc.runner.run_all()
        rows = {r.schedule_id: r for r in await _occurrences(second)}
    assert rows[1].status == "posted" and rows[1].message_ts == landed["ts"]
    assert rows[2].status == "posted"
    texts = [reply_text(m) for m in app.fake.messages(INTERNAL_CHANNEL)]  # type: ignore[arg-type]
    assert sum("Stand-up" in t for t in texts) == 1 and sum("Ops check" in t for t in texts) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_attempt_failing_is_recorded_failed_and_told_to_the_team_once(
    app: Liaison, clock: Clock, lang: str
) -> None:
    await _set_lang(app, lang)
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    app.svc.runner.sleep = no_wait
    app.fake.fail_next("chat.postMessage", "fatal_error", times=4)  # every attempt of the engine's four
    clock.now = DUE
    await asyncio.gather(app.svc.runner.run_all(), app.svc.runner.run_all())
    clock.now = DUE + timedelta(minutes=1)
    await app.svc.runner.run_all()

    [row] = await _occurrences(app)
    assert row.status == "failed" and row.error == "fatal_error" and row.reported_at is not None
    [report] = app.fake.messages(INTERNAL_CHANNEL)
    text = reply_text(report)  # type: ignore[arg-type]
    assert "S-1" in text and "Stand-up" in text and "fatal_error" in text
    assert ("was not posted" in text) if lang == "en" else ("未能发送" in text)
    listed = reply_text(await app.command("/sync", "list"))
    assert ("failed (fatal_error)" in listed) if lang == "en" else ("失败（fatal_error）" in listed)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_dead_claim_out_of_attempts_or_past_its_grace_is_given_up_reported_once(
    app: Liaison, clock: Clock, lang: str
) -> None:
    await _set_lang(app, lang)
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    await app.command("/sync", 'daily 18:00 "Ops check"')
    tired = await _dead_claim(app, schedule_id=1, attempts=engine.MAX_ATTEMPTS, lease_left=engine.LEASE)
    late = await _dead_claim(app, schedule_id=2, attempts=1, lease_left=engine.LEASE)
    clock.now = DUE + timedelta(minutes=61)  # 18:00's grace (60 minutes) has passed for the second one
    await asyncio.gather(app.svc.runner.run_all(), app.svc.runner.run_all())
    await app.svc.runner.run_all()

    rows = {r.id: r for r in await _occurrences(app)}
    assert rows[tired].status == "failed" and rows[tired].error == engine.EXHAUSTED
    assert rows[late].status == "missed" and rows[late].error == engine.TOO_LATE
    reports = [reply_text(m) for m in app.fake.messages(INTERNAL_CHANNEL)]  # type: ignore[arg-type]
    assert len(reports) == 2
    assert sum("Stand-up" in r for r in reports) == 1 and sum("Ops check" in r for r in reports) == 1
    if lang == "en":
        assert any("every attempt failed" in r for r in reports)
        assert any("grace window had passed" in r for r in reports)
    else:
        assert any("所有尝试均失败" in r for r in reports) and any("宽限时间" in r for r in reports)
    listed = reply_text(await app.command("/sync", "list"))
    assert ("not posted" in listed) if lang == "en" else ("未发送" in listed)


async def test_two_replicas_on_postgresql_with_lost_answers_post_each_occurrence_once(
    database_url: str, clock: Clock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL; on one SQLite file two writers starve each other")
    async with running_liaison(database_url, clock=clock) as one:
        await one.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai')
        for n in range(4):
            await one.command("/sync", f'daily 18:00 "Sync {n}"')
        async with running_liaison(database_url, clock=clock, fake=one.fake) as two:
            for app in (one, two):
                app.svc.runner.sleep = no_wait
            one.fake.drop_answers("chat.postMessage", probability=0.35, seed=3)
            for day in (24, 25, 26):
                for minute in range(3):
                    clock.now = datetime(2026, 11, day, 18, minute, tzinfo=SHANGHAI)
                    await asyncio.gather(*(app.svc.runner.run_all() for app in (one, two, one, two)))
            one.fake.drop_answers("chat.postMessage")
            posted = [reply_text(m) for m in _tagged(one, INTERNAL_CHANNEL)]  # type: ignore[arg-type]
            assert len(posted) == 12 and all(sum(f"Sync {n}" in t for t in posted) == 3 for n in range(4))
            rows = await _occurrences(one)
            assert len(rows) == 12 and {r.status for r in rows} == {"posted"}
            assert one.fake.answers_dropped >= 2


async def test_check_in_prompts_whose_answers_were_lost_reach_each_person_once(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/checkin", f"every friday 4pm <@{ALICE}|alice> <@{BOB}|bob>")
    app.svc.runner.sleep = no_wait
    app.fake.drop_answers("chat.postMessage", times=2)  # both DMs land, neither answer comes back
    clock.now = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    assert app.fake.answers_dropped == 2
    async with app.session() as s:
        answers = {a.user_id: a for a in (await s.exec(select(CheckinAnswer))).all()}
    for person in (ALICE, BOB):
        [prompt] = app.fake.messages(person)  # the bot's DM with that person
        assert prompt["metadata"]["event_payload"]["occurrence"].endswith(f":{person}")
        assert answers[person].prompt_ts == prompt["ts"]  # found in the DM's history and recorded


async def test_a_server_error_after_nothing_was_stored_is_looked_up_then_posted_once(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    app.svc.runner.sleep = no_wait
    app.fake.fail_next("chat.postMessage", "internal_error", status=500, times=1)  # refused before storing
    clock.now = DUE
    await app.svc.runner.run_all()
    [message] = _tagged(app, INTERNAL_CHANNEL)
    [row] = await _occurrences(app)
    assert row.status == "posted" and row.message_ts == message["ts"]
    assert len(app.fake.calls_to("conversations.history")) == 1  # looked before the second try


async def test_a_slow_post_keeps_its_claim_by_renewing_the_lease(
    app: Liaison, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "LEASE", timedelta(seconds=0.3))  # renewed every 0.1 s of real time
    await app.command("/sync", 'daily 18:00 "Stand-up"')
    clock.now = DUE
    taken: list[engine.TakenOver] = []

    async def slow_post(schedule_id: int, _occurs_at: datetime) -> engine.Delivery:
        for _ in range(4):  # the app's clock runs far past the first lease while the post is under way
            clock.now += timedelta(seconds=1)
            await asyncio.sleep(0.25)
            found = await engine.take_over(
                app.svc.sessions, schedule_id=schedule_id, now=clock.now, instance="b"
            )
            taken.extend(found)
        return engine.Delivery(channel_id=INTERNAL_CHANNEL, message_ts="1.000001")

    status = await engine.process_schedule(
        app.svc.sessions, schedule_id=1, now=DUE, instance="a", post=slow_post, sleep=no_wait, clock=clock
    )
    assert status == "posted" and taken == []
    [row] = await _occurrences(app)
    assert row.claimed_by == "a" and row.lease_until is None  # finished: no lease left to take


async def test_an_action_reminder_whose_answer_was_lost_is_not_sent_twice(app: Liaison, clock: Clock) -> None:
    await app.command("/action", f"add Send the plan <@{ALICE}|alice> due:2026-11-30")  # a Monday
    app.fake.drop_answers("chat.postMessage", times=1)
    for minute in range(3):  # the runner's looks on Friday morning (the working day before), a minute apart
        clock.now = datetime(2026, 11, 27, 9, minute, tzinfo=SHANGHAI)
        with time_machine.travel(clock.now, tick=True):  # Slack's clock agrees with the app's
            await app.svc.runner.run_all()
    assert app.fake.answers_dropped == 1
    [dm] = app.fake.messages(ALICE)
    assert "Send the plan" in reply_text(dm)
    assert len(app.fake.calls_to("conversations.history")) == 1  # looked, found it, did not post again
