"""Follow-up claims with leases (issue 15): sign-off nudges, issue escalations, action reminders, low-score pulse
alerts, check-in nudges and summaries, review previews, end to end with time travel, on SQLite and PostgreSQL.

For each kind: Slack stores the post and the answer is lost → posted once (found by its metadata); the claimant
dies after claiming → another look takes the claim over once its lease has run out and posts it once; the
claimant dies after the post landed → found in the channel's history (or the thread's replies), not posted
again; every attempt refused → given up on, told to the team once, nothing left claimed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.delivery import EVENT_TYPE
from bot.domain import followups
from storage.models import Followup, Issue, SignOff
from tests.handlers.conftest import SHANGHAI
from tests.handlers.test_checkin import FRIDAY_4PM
from tests.handlers.test_checkin import _setup as checkin_setup
from tests.handlers.test_minutes_commands import press
from tests.handlers.test_pulse import SCORE, _pulse_message
from tests.handlers.test_review_before_send import PREVIEW_AT
from tests.handlers.test_review_before_send import _digest_with_review as digest_with_review
from tests.handlers.test_signoff_followthrough import FRIDAY_10AM
from tests.handlers.test_signoff_followthrough import _send as send_for_signoff
from tests.harness.app import ALICE, BOB, INTERNAL_CHANNEL, Clock, Liaison, reply_text

Step = Callable[[Liaison, Clock], Awaitable[None]]


async def _run(app: Liaison, clock: Clock) -> None:
    await app.svc.runner.run_all()


async def _signoff_setup(app: Liaison, clock: Clock) -> None:
    await send_for_signoff(app)
    clock.now = FRIDAY_10AM


async def _issue_setup(app: Liaison, clock: Clock) -> None:
    await app.command("/issue", "add Licence renewal severity:low due:2026-11-25 5pm")
    clock.now = datetime(2026, 11, 25, 17, 0, tzinfo=SHANGHAI)


async def _reminder_setup(app: Liaison, clock: Clock) -> None:
    await app.command("/action", f"add Send the plan <@{ALICE}|alice> due:2026-11-30")  # a Monday
    clock.now = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)  # the working day before, at 09:00


async def _pulse_setup(app: Liaison, clock: Clock) -> None:
    await app.command("/pulse", "now")


async def _low_score(app: Liaison, clock: Clock) -> None:
    await press(app, _pulse_message(app), f"{SCORE}2")
    await app.svc.tasks.drain(10)  # the click's work after its answer


async def _prompted(app: Liaison, clock: Clock) -> None:
    await checkin_setup(app)
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    clock.now = datetime(2026, 11, 27, 17, 0, tzinfo=SHANGHAI)  # halfway to the 18:00 deadline


async def _review_setup(app: Liaison, clock: Clock) -> None:
    await digest_with_review(app, clock)
    clock.now = PREVIEW_AT  # the client digest's preview falls due in the team channel


async def _nudged(app: Liaison, clock: Clock) -> None:
    await _prompted(app, clock)
    await app.svc.runner.run_all()
    clock.now = datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI)  # the deadline


@dataclass(frozen=True)
class Kind:
    name: str
    setup: Step  # leaves the clock where the follow-up falls due
    trigger: Step  # what claims and posts it
    channels: tuple[str, ...]  # where its posts go (a user id: the bot's DM with them)
    count: int = 1  # posts it makes (a check-in nudges each person who has not answered)
    stores_its_ts: bool = False  # records the post's ts before the claim is done: a taker needs no look


KINDS = [
    Kind(followups.SIGNOFF_NUDGE, _signoff_setup, _run, (INTERNAL_CHANNEL,)),
    Kind(followups.ISSUE_ESCALATION, _issue_setup, _run, (INTERNAL_CHANNEL,)),
    Kind(followups.ACTION_REMINDER, _reminder_setup, _run, (ALICE,)),
    Kind(followups.PULSE_ALERT, _pulse_setup, _low_score, (INTERNAL_CHANNEL,)),
    Kind(followups.CHECKIN_NUDGE, _prompted, _run, (ALICE, BOB), count=2),
    Kind(followups.CHECKIN_SUMMARY, _nudged, _run, (INTERNAL_CHANNEL,)),
    Kind(followups.REVIEW_PREVIEW, _review_setup, _run, (INTERNAL_CHANNEL,), stores_its_ts=True),
]
BY_NAME = pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])


def _key(message: dict[str, Any]) -> str:
    meta = message.get("metadata") or {}
    return (
        str((meta.get("event_payload") or {}).get("occurrence", ""))
        if meta.get("event_type") == EVENT_TYPE
        else ""
    )


def posts(app: Liaison, kind: Kind) -> list[str]:
    """The follow-up's posts now in Slack, by the key they carry (one per record and part)."""
    keys = [_key(m) for channel in kind.channels for m in app.fake.messages(channel)]
    return [k for k in keys if k.startswith(f"{kind.name}:") and not k.endswith(":report")]


def reports(app: Liaison, kind: Kind) -> list[dict[str, Any]]:
    return [
        m
        for m in app.fake.messages(INTERNAL_CHANNEL)
        if _key(m).startswith(f"{kind.name}:") and _key(m).endswith(":report")
    ]


async def claims(app: Liaison, kind: Kind) -> list[Followup]:
    async with app.session() as s:
        query = select(Followup).where(Followup.kind == kind.name).order_by(Followup.id)  # type: ignore[arg-type]
        return list((await s.exec(query)).all())


def lookups(app: Liaison) -> int:
    return len(app.fake.calls_to("conversations.history")) + len(app.fake.calls_to("conversations.replies"))


async def _later(app: Liaison, clock: Clock, *, minutes: int) -> None:
    for _ in range(minutes):
        clock.advance(minutes=1)
        await app.svc.runner.run_all()


@BY_NAME
async def test_a_post_whose_answer_was_lost_is_found_not_posted_again(
    app: Liaison, clock: Clock, kind: Kind
) -> None:
    await kind.setup(app, clock)
    app.fake.drop_answers("chat.postMessage", times=1)  # Slack stores it; the answer never comes back
    await kind.trigger(app, clock)
    await _later(app, clock, minutes=3)
    assert app.fake.answers_dropped == 1 and lookups(app) >= 1
    found = posts(app, kind)
    assert len(found) == kind.count and len(set(found)) == kind.count, found
    rows = await claims(app, kind)
    assert len(rows) == kind.count and all(r.done_at is not None and r.error == "" for r in rows)
    assert reports(app, kind) == []


@BY_NAME
async def test_a_claim_whose_claimant_died_before_posting_is_taken_over_and_posted_once(
    app: Liaison, clock: Clock, kind: Kind, monkeypatch: pytest.MonkeyPatch
) -> None:
    await kind.setup(app, clock)

    async def died(*_args: object, **_kw: object) -> int | None:
        raise RuntimeError("the replica stopped here")

    with monkeypatch.context() as patched:
        patched.setattr(followups, "begin_attempt", died)
        await kind.trigger(app, clock)
    assert posts(app, kind) == []
    held = await claims(app, kind)
    assert len(held) == kind.count and all(r.done_at is None for r in held)

    clock.advance(seconds=30)  # the lease still holds: nobody takes it over
    await app.svc.runner.run_all()
    assert posts(app, kind) == []
    clock.advance(seconds=followups.LEASE.total_seconds())  # it ran out
    await asyncio.gather(app.svc.runner.run_all(), app.svc.runner.run_all())  # two looks at once
    await _later(app, clock, minutes=2)
    found = posts(app, kind)
    assert len(found) == kind.count and len(set(found)) == kind.count, found
    assert all(r.done_at is not None for r in await claims(app, kind))
    assert reports(app, kind) == []


@BY_NAME
async def test_a_post_that_landed_before_its_claimant_died_is_found_in_history_not_posted_again(
    app: Liaison, clock: Clock, kind: Kind, monkeypatch: pytest.MonkeyPatch
) -> None:
    await kind.setup(app, clock)

    async def died(*_args: object, **_kw: object) -> bool:
        raise RuntimeError("the replica stopped here")

    with monkeypatch.context() as patched:
        patched.setattr(followups, "done", died)  # posted, then stopped before recording it
        await kind.trigger(app, clock)
    assert posts(app, kind)  # at least the first landed
    before = lookups(app)
    clock.advance(minutes=2)
    await app.svc.runner.run_all()
    await _later(app, clock, minutes=2)
    found = posts(app, kind)
    assert len(found) == kind.count and len(set(found)) == kind.count, found
    assert lookups(app) > before or kind.stores_its_ts  # looked before deciding (or knew its ts)
    assert all(r.done_at is not None and r.error == "" for r in await claims(app, kind))


@BY_NAME
async def test_every_attempt_refused_is_given_up_and_told_to_the_team_once(
    app: Liaison, clock: Clock, kind: Kind
) -> None:
    await kind.setup(app, clock)
    app.fake.fail_next(
        "chat.postMessage", "fatal_error", times=kind.count * followups.MAX_ATTEMPTS, channels=kind.channels
    )
    await kind.trigger(app, clock)
    await _later(app, clock, minutes=followups.MAX_ATTEMPTS + 3)
    assert posts(app, kind) == []
    told = reports(app, kind)
    assert len(told) == kind.count, [reply_text(m) for m in told]
    assert all("was not posted" in reply_text(m) and "fatal_error" in reply_text(m) for m in told)
    rows = await claims(app, kind)
    assert all(r.done_at is not None and r.error == "fatal_error" for r in rows)
    assert all(r.attempts == followups.MAX_ATTEMPTS and r.reported_at is not None for r in rows)


async def test_the_report_in_chinese_names_what_was_given_up(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    kind = KINDS[1]  # the issue escalation
    await kind.setup(app, clock)
    app.fake.fail_next("chat.postMessage", "fatal_error", times=followups.MAX_ATTEMPTS)
    await kind.trigger(app, clock)
    await _later(app, clock, minutes=followups.MAX_ATTEMPTS + 1)
    [report] = reports(app, kind)
    assert reply_text(report).startswith(":warning: 一条问题升级通知未能发送") and "不会再重试" in reply_text(
        report
    )


async def test_a_claim_left_at_its_last_attempt_is_only_looked_for_then_given_up(
    app: Liaison, clock: Clock
) -> None:
    kind = KINDS[1]
    await kind.setup(app, clock)

    async def died(*_args: object, **_kw: object) -> int | None:
        raise RuntimeError("the replica stopped here")

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(followups, "begin_attempt", died)
        await kind.trigger(app, clock)  # claimed, and the replica stops at once
    async with app.svc.sessions.begin() as s:  # ...as if that had been its last attempt
        [row] = (await s.exec(select(Followup))).all()
        row.attempts = followups.MAX_ATTEMPTS
        s.add(row)
    posted_before = len(app.fake.calls_to("chat.postMessage", include_errors=True))
    await _later(app, clock, minutes=3)
    [report] = reports(app, kind)
    assert "every attempt failed" in reply_text(report)
    assert lookups(app) >= 1
    calls = app.fake.calls_to("chat.postMessage", include_errors=True)[posted_before:]
    assert [c.args["channel"] for c in calls] == [INTERNAL_CHANNEL]  # the report only: never posted again


async def test_what_was_nudged_or_escalated_before_the_claims_table_is_not_posted_again(
    app: Liaison, clock: Clock
) -> None:
    """Rows marked before migration 0019 have no follow-up claim: their mark alone keeps them from the scans."""
    await send_for_signoff(app)
    await app.command("/issue", "add Licence renewal severity:low due:2026-11-25 5pm")
    earlier = clock.now
    async with app.svc.sessions.begin() as s:
        for row in (await s.exec(select(SignOff))).all():
            row.nudged_at = earlier
            s.add(row)
        for issue in (await s.exec(select(Issue))).all():
            issue.escalated_at = earlier
            s.add(issue)
    clock.now = FRIDAY_10AM + timedelta(days=3)
    await _later(app, clock, minutes=3)
    assert all(posts(app, k) == [] for k in KINDS[:2])
    assert await claims(app, KINDS[0]) == [] and await claims(app, KINDS[1]) == []
