"""Digests end to end against the fake Slack: preview, now, every (time travel), charts, refusals, failures.

Limits asserted here are Slack's: 50 blocks a message, 3,000 characters a section
(https://api.slack.com/reference/block-kit/blocks), files attached with the two-step upload
(files.getUploadURLExternal → upload → files.completeUploadExternal).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from sqlmodel import select

from bot.charts import PNG_MAGIC
from storage.models import (
    ActionItem,
    CheckinAnswer,
    Decision,
    DigestDelivery,
    Milestone,
    MilestoneSlip,
    Minutes,
    Occurrence,
    Project,
    ProjectChannel,
    Risk,
    Schedule,
)
from tests.handlers.conftest import SHANGHAI, START
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

IN_PERIOD = START - timedelta(days=2)
LONG_AGO = START - timedelta(days=40)
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
SECRET = re.compile(r"SECRET|\bR-1\b|\bMS-2\b|\bA-2\b|\bD-2\b|\bM-2\b")


def _stamps(at: datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at}


async def seed(app: Liaison) -> int:
    """A project with client and internal records of every kind; internal ones all say SECRET."""
    async with app.svc.sessions.begin() as s:
        project = (await s.exec(select(Project))).one()
        pid = project.id
        assert pid is not None
        s.add_all(
            [
                Risk(
                    project_id=pid,
                    number=1,
                    visibility="internal",
                    title="SECRET vendor insolvency",
                    probability=5,
                    impact=5,
                    response="SECRET escrow plan",
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Risk(
                    project_id=pid,
                    number=2,
                    visibility="client",
                    title="Test data late",
                    probability=4,
                    impact=3,
                    owner_name="Carol",
                    response="Weekly data review",
                    created_by=ALICE,
                    **_stamps(LONG_AGO),
                ),
                Risk(
                    project_id=pid,
                    number=3,
                    visibility="client",
                    title="Firewall change",
                    probability=3,
                    impact=3,
                    status="closed",
                    closed_at=IN_PERIOD,
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Risk(
                    project_id=pid,
                    number=4,
                    visibility="client",
                    title="Trainer availability",
                    probability=2,
                    impact=2,
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Milestone(
                    project_id=pid,
                    number=1,
                    visibility="client",
                    title="UAT sign-off",
                    planned_on=date(2026, 12, 10),
                    forecast_on=date(2026, 12, 15),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Milestone(
                    project_id=pid,
                    number=2,
                    visibility="internal",
                    title="SECRET cutover drill",
                    planned_on=date(2026, 12, 3),
                    forecast_on=date(2026, 12, 3),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Milestone(
                    project_id=pid,
                    number=3,
                    visibility="client",
                    title="Design approved",
                    planned_on=date(2026, 11, 21),
                    forecast_on=date(2026, 11, 21),
                    done_on=date(2026, 11, 22),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                ActionItem(
                    project_id=pid,
                    number=1,
                    visibility="client",
                    text="Provide test data",
                    owner_user_id=CAROL,
                    owner_team_id=CLIENT_TEAM,
                    due_on=date(2026, 11, 23),
                    created_by=ALICE,
                    **_stamps(LONG_AGO),
                ),
                ActionItem(
                    project_id=pid,
                    number=2,
                    visibility="internal",
                    text="SECRET negotiate discount",
                    owner_user_id=ALICE,
                    owner_team_id=HOME_TEAM,
                    due_on=date(2026, 11, 25),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                ActionItem(
                    project_id=pid,
                    number=3,
                    visibility="client",
                    text="Install VPN client",
                    owner_user_id=BOB,
                    owner_team_id=HOME_TEAM,
                    status="done",
                    done_at=IN_PERIOD,
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                ActionItem(
                    project_id=pid,
                    number=4,
                    visibility="client",
                    text="Book the training room",
                    owner_name="Dave at ACME",
                    due_on=date(2026, 11, 27),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Decision(
                    project_id=pid,
                    number=1,
                    visibility="client",
                    text="Phased rollout by region",
                    decided_on=date(2026, 11, 22),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Decision(
                    project_id=pid,
                    number=2,
                    visibility="internal",
                    text="SECRET drop vendor X",
                    decided_on=date(2026, 11, 22),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
                Minutes(
                    project_id=pid,
                    number=1,
                    visibility="client",
                    title="Kick-off",
                    meeting_on=date(2026, 11, 21),
                    created_by=ALICE,
                    sent_channel_id=SHARED_CHANNEL,
                    sent_ts="1.1",
                    sent_hash="a" * 64,
                    **_stamps(IN_PERIOD),
                ),
                Minutes(
                    project_id=pid,
                    number=2,
                    visibility="internal",
                    title="SECRET pricing talk",
                    meeting_on=date(2026, 11, 21),
                    created_by=ALICE,
                    **_stamps(IN_PERIOD),
                ),
            ]
        )
        await s.flush()
        uat = (await s.exec(select(Milestone).where(Milestone.number == 1))).one()
        s.add(
            MilestoneSlip(
                milestone_id=uat.id,
                from_on=date(2026, 12, 10),
                to_on=date(2026, 12, 15),
                reason="SECRET vendor is late",
                by_user_id=ALICE,
                at=IN_PERIOD,
            )
        )
        schedule = Schedule(project_id=pid, number=90, kind="checkin", status="cancelled", created_by=ALICE)
        s.add(schedule)
        await s.flush()
        assert schedule.id is not None
        occurrence = Occurrence(schedule_id=schedule.id, occurs_at=IN_PERIOD, status="posted")
        s.add(occurrence)
        await s.flush()
        assert occurrence.id is not None
        s.add_all(
            [
                CheckinAnswer(
                    occurrence_id=occurrence.id,
                    project_id=pid,
                    user_id=ALICE,
                    progress=60,
                    blockers="SECRET blocked by legal",
                    answered_at=IN_PERIOD,
                ),
                CheckinAnswer(
                    occurrence_id=occurrence.id,
                    project_id=pid,
                    user_id=BOB,
                    progress=80,
                    answered_at=IN_PERIOD,
                ),
            ]
        )
    return int(pid)


def _posts(app: Liaison, channel: str) -> list[dict[str, Any]]:
    return [c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def _deliveries(app: Liaison) -> list[DigestDelivery]:
    async with app.session() as s:
        return list((await s.exec(select(DigestDelivery).order_by(DigestDelivery.id))).all())  # type: ignore[arg-type]


def _digest_posts(app: Liaison, channel: str) -> list[dict[str, Any]]:
    return [p for p in _posts(app, channel) if any(b.get("type") == "header" for b in p.get("blocks", []))]


def _within_slack_limits(message: dict[str, Any]) -> None:
    blocks = message["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000


# ---- preview --------------------------------------------------------------------------------------------


async def test_client_preview_shows_only_client_records_and_posts_nothing(app: Liaison) -> None:
    await seed(app)
    reply = await app.command("/digest", "preview client")
    text = reply_text(reply)
    for expected in (
        "ACME ERP",
        "update for ACME",
        "Preview",
        "UAT sign-off",
        "Test data late",
        "Provide test data",
        "Waiting on ACME",
        "Book the training room",
        "Phased rollout",
        "Kick-off",
        "/minutes show M-1",
        "Install VPN client",
        "Average progress",
        "70%",
        "At risk",
        "Firewall change",
    ):
        assert expected in text, expected
    assert not SECRET.search(text), SECRET.search(text)
    assert "<@U0ALICE>" not in text  # who reported a check-in is the team's
    _within_slack_limits(reply)
    assert _posts(app, SHARED_CHANNEL) == [] and _posts(app, INTERNAL_CHANNEL) == []
    assert await _deliveries(app) == []


async def test_internal_preview_has_everything_for_the_team(app: Liaison) -> None:
    await seed(app)
    text = reply_text(await app.command("/digest", "preview"))
    for expected in (
        "team digest",
        "SECRET vendor insolvency",
        "SECRET cutover drill",
        "SECRET negotiate",
        "SECRET drop vendor X",
        "SECRET pricing talk",
        "SECRET blocked by legal",
        "SECRET vendor is late",
        "<@U0ALICE>",
        "Test data late",
        "At risk",
    ):
        assert expected in text, expected


async def test_internal_preview_asked_in_the_shared_channel_keeps_to_client_records(app: Liaison) -> None:
    await seed(app)
    text = reply_text(await app.command("/digest", "preview internal", channel=SHARED_CHANNEL))
    assert "client records only" in text
    assert not SECRET.search(text)


async def test_client_user_preview_is_the_client_digest(app: Liaison) -> None:
    await seed(app)
    text = reply_text(await app.command("/digest", "preview internal", user=CAROL, channel=SHARED_CHANNEL))
    assert "Test data late" in text and not SECRET.search(text)
    denied = reply_text(await app.command("/digest", "now client", user=CAROL, channel=SHARED_CHANNEL))
    assert "project team" in denied
    assert _posts(app, SHARED_CHANNEL) == []


# ---- now -----------------------------------------------------------------------------------------------


async def test_client_digest_now_posts_to_the_shared_channel_with_charts_and_records_it(app: Liaison) -> None:
    await seed(app)
    reply = reply_text(await app.command("/digest", "now client"))
    assert "Posted the client digest" in reply
    [post] = _posts(app, SHARED_CHANNEL)
    text = reply_text(post)
    assert "UAT sign-off" in text and not SECRET.search(text)
    assert "Risk map" not in text  # the charts are pictures, not text
    _within_slack_limits(post)
    files = list(app.fake.uploaded_files.values())
    assert sorted(f["filename"] for f in files) == ["milestone-timeline.png", "risk-heatmap.png"]
    for f in files:
        assert f["content"].startswith(PNG_MAGIC) and len(f["content"]) > 5000
        assert f["channel_id"] == SHARED_CHANNEL
        metadata = json.dumps({k: v for k, v in f.items() if k != "content"})
        assert not SECRET.search(metadata)
    [complete] = app.fake.calls_to("files.completeUploadExternal")
    [message] = [m for m in app.fake.messages(SHARED_CHANNEL) if m.get("blocks")]
    assert complete.args["thread_ts"] == message["ts"]
    [row] = await _deliveries(app)
    assert (row.status, row.audience, row.channel_id, row.message_ts) == (
        "posted",
        "client",
        SHARED_CHANNEL,
        message["ts"],
    )
    sent = json.dumps({"text": post["text"], "blocks": post["blocks"]}, sort_keys=True, ensure_ascii=False)
    assert row.content_hash == hashlib.sha256(sent.encode()).hexdigest()
    assert row.period_end == START and row.period_start == START - timedelta(days=7)
    assert row.summary["status"] == "at_risk" and row.summary["risks"] == ["R-2", "R-4"]
    checks = [c for c in app.fake.calls_to("conversations.info") if c.args.get("channel") == SHARED_CHANNEL]
    assert checks[-1].at <= app.fake.calls_to("chat.postMessage")[-1].at


async def test_chart_upload_failure_leaves_the_charts_as_text_in_the_message(app: Liaison) -> None:
    await seed(app)
    app.fake.fail_next("files.getUploadURLExternal", "internal_error")
    reply = reply_text(await app.command("/digest", "now client"))
    assert "could not be attached" in reply
    [message] = [m for m in app.fake.messages(SHARED_CHANNEL) if m.get("blocks")]
    text = reply_text(message)
    assert "Risk map (probability × impact)" in text and "4×3: R-2" in text
    assert "MS-1: planned" in text and not SECRET.search(text)
    assert app.fake.uploaded_files == {}
    [row] = await _deliveries(app)
    assert row.status == "posted" and row.error == "charts: internal_error"
    sent = json.dumps(
        {"text": message["text"], "blocks": message["blocks"]}, sort_keys=True, ensure_ascii=False
    )
    assert row.content_hash == hashlib.sha256(sent.encode()).hexdigest()


async def test_a_broken_chart_pool_leaves_the_charts_as_text_and_the_next_digest_has_them(
    app: Liaison,
) -> None:
    await seed(app)
    await app.command("/digest", "now client")  # drawn in the runtime's chart pool, not on the event loop
    [worker] = app.runtime.charts.pids
    assert worker != os.getpid() and len(app.fake.uploaded_files) == 2
    os.kill(worker, signal.SIGKILL)
    reply = reply_text(await app.command("/digest", "now client"))
    assert "could not be attached" in reply
    second = [m for m in app.fake.messages(SHARED_CHANNEL) if m.get("blocks")][-1]
    assert "Risk map (probability × impact)" in reply_text(second) and not SECRET.search(reply_text(second))
    assert len(app.fake.uploaded_files) == 2
    await app.command("/digest", "now client")
    assert len(app.fake.uploaded_files) == 4  # a new pool drew the third
    assert [(r.status, r.error) for r in await _deliveries(app)] == [
        ("posted", ""),
        ("posted", "charts: ChartsUnavailable"),
        ("posted", ""),
    ]


async def test_charts_off_puts_them_in_the_message_as_text(app: Liaison) -> None:
    await seed(app)
    await app.command("/digest", "now internal charts:off")
    [post] = _posts(app, INTERNAL_CHANNEL)
    text = reply_text(post)
    assert "Risk map" in text and "5×5: R-1" in text
    assert app.fake.calls_to("files.getUploadURLExternal") == []


async def test_second_digest_says_what_changed_since_the_first(app: Liaison, clock: Clock) -> None:
    await seed(app)
    await app.command("/digest", "now client charts:off")
    clock.advance(days=1)
    async with app.svc.sessions.begin() as s:
        risk = (await s.exec(select(Risk).where(Risk.number == 2))).one()
        risk.status, risk.closed_at, risk.updated_at = "closed", clock.now - timedelta(hours=1), clock.now
        s.add(risk)
    text = reply_text(_posts(app, SHARED_CHANNEL)[0])
    assert "first digest" in text
    await app.command("/digest", "now client charts:off")
    second = reply_text(_posts(app, SHARED_CHANNEL)[1])
    assert "Since the last digest" in second and "open risks 2 → 1" in second
    assert "Closed: `R-2`" in second
    rows = await _deliveries(app)
    assert rows[1].period_start == rows[0].period_end == START


async def test_an_empty_period_says_so_plainly(app: Liaison) -> None:
    await app.command("/digest", "now internal")
    [post] = _posts(app, INTERNAL_CHANNEL)
    assert "Nothing to report" in reply_text(post)
    assert len(post["blocks"]) <= 5
    assert app.fake.calls_to("files.getUploadURLExternal") == []


async def test_internal_digest_is_refused_for_a_shared_channel(app: Liaison) -> None:
    await seed(app)
    for text in (
        f"now internal to:<#{SHARED_CHANNEL}|acme-shared>",
        f"every monday 9am internal to:<#{SHARED_CHANNEL}|acme-shared>",
    ):
        reply = reply_text(await app.command("/digest", text))
        assert "can't go to" in reply and "shared with another organisation" in reply, reply
    app.fake.add_channel(INTERNAL_CHANNEL, name="acme-internal", is_ext_shared=True, members=(ALICE, BOB))
    reply = reply_text(await app.command("/digest", "now internal"))
    assert "can't go to" in reply
    assert app.fake.calls_to("chat.postMessage") == []
    async with app.session() as s:
        assert (await s.exec(select(Schedule).where(Schedule.kind == "digest"))).all() == []
    assert await _deliveries(app) == []


async def test_a_channel_whose_status_cannot_be_learnt_counts_as_shared(app: Liaison) -> None:
    await seed(app)
    app.fake.fail_next("conversations.info", "internal_error", times=5)
    reply = reply_text(await app.command("/digest", f"now internal to:<#{PLAIN_CHANNEL}|random>"))
    assert "can't go to" in reply
    assert _posts(app, PLAIN_CHANNEL) == []


async def test_input_mistakes_get_examples(app: Liaison) -> None:
    for text, expected in (
        ("preview client internal", "choose one"),
        ("now client charts:maybe", "charts:on"),
        ("now client tomorrow", "didn't expect"),
        ("every client", "plain words"),
        ("every blursday client", "/digest every monday 9am client"),
    ):
        reply = reply_text(await app.command("/digest", text))
        assert expected.lower() in reply.lower(), (text, reply)


# ---- every ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_scheduled_client_digest_posts_once_on_monday_morning(
    app: Liaison, clock: Clock, lang: str
) -> None:
    await seed(app)
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
        reply = reply_text(await app.command("/digest", "每周一上午9点 客户"))
        assert "S-1" in reply and "每周一" in reply
    else:
        reply = reply_text(await app.command("/digest", "every monday 9am client"))
        assert "S-1" in reply and "Every Monday at 09:00" in reply
    clock.now = MONDAY_9AM - timedelta(minutes=1)
    await app.svc.runner.run_all()
    assert _posts(app, SHARED_CHANNEL) == []
    clock.now = MONDAY_9AM.astimezone(UTC)
    await asyncio.gather(app.svc.runner.run_all(), app.svc.runner.run_all())
    clock.advance(minutes=5)
    await app.svc.runner.run_all()
    [post] = _digest_posts(app, SHARED_CHANNEL)
    text = reply_text(post)
    assert ("致 ACME 的进展简报" if lang == "zh" else "update for ACME") in text
    assert "UAT sign-off" in text and not SECRET.search(text)
    [row] = await _deliveries(app)
    assert (row.status, row.channel_id, row.period_end) == ("posted", SHARED_CHANNEL, MONDAY_9AM)
    async with app.session() as s:
        schedule = (await s.exec(select(Schedule).where(Schedule.kind == "digest"))).one()
        occurrence = (await s.exec(select(Occurrence).where(Occurrence.schedule_id == schedule.id))).one()
    assert row.schedule_id == schedule.id
    assert schedule.options == {"audience": "client", "charts": True}
    assert (occurrence.status, occurrence.channel_id, occurrence.message_ts) == (
        "posted",
        SHARED_CHANNEL,
        row.message_ts,
    )
    assert len(app.fake.uploaded_files) == 2


async def test_list_pause_resume_cancel(app: Liaison, clock: Clock) -> None:
    await app.command("/digest", "every monday 9am client")
    listing = reply_text(await app.command("/digest", "list"))
    assert "S-1" in listing and "Client digest" in listing and "client channel" in listing
    assert "paused" in reply_text(await app.command("/digest", "pause S-1"))
    clock.now = MONDAY_9AM
    await app.svc.runner.run_all()
    assert _posts(app, SHARED_CHANNEL) == []
    assert "running again" in reply_text(await app.command("/digest", "resume S-1"))
    assert "cancelled" in reply_text(await app.command("/digest", "cancel S-1"))
    assert "No scheduled digests" in reply_text(await app.command("/digest", "list"))


async def test_scheduled_internal_digest_into_a_channel_that_became_shared_is_recorded_and_reported(
    app: Liaison, clock: Clock
) -> None:
    await seed(app)
    reply = reply_text(
        await app.command("/digest", f"every monday 9am internal to:<#{PLAIN_CHANNEL}|random>")
    )
    assert "S-1" in reply
    app.fake.add_channel(PLAIN_CHANNEL, name="random", is_ext_shared=True, members=(ALICE, CAROL))
    clock.now = MONDAY_9AM
    await app.svc.runner.run_all()
    assert _posts(app, PLAIN_CHANNEL) == []
    [report] = _posts(app, INTERNAL_CHANNEL)
    assert "could not be posted" in reply_text(report) and "shared with another organisation" in reply_text(
        report
    )
    [row] = await _deliveries(app)
    assert (row.status, row.channel_id, row.message_ts) == ("failed", PLAIN_CHANNEL, None)
    assert "refused" in row.error
    async with app.session() as s:
        occurrence = (await s.exec(select(Occurrence).where(Occurrence.status != "posted"))).one()
    assert (occurrence.status, occurrence.attempts) == ("failed", 1)
    assert "failed (internal digest refused" in reply_text(await app.command("/digest", "list"))


async def test_rate_limits_are_retried_through_the_engine_then_recorded_and_reported(
    app: Liaison, clock: Clock
) -> None:
    """A 429 (Retry-After) reaches the engine as a retryable DeliveryError: it waits and tries again."""
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    app.svc.runner.sleep = no_wait
    client = app.runtime.app.client  # the engine's own backoff is under test, not slack_sdk's handler
    client.retry_handlers = [
        h for h in client.retry_handlers if not isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    await seed(app)
    await app.command("/digest", "every monday 9am client charts:off")
    app.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=7, times=2)
    clock.now = MONDAY_9AM
    await app.svc.runner.run_all()
    assert slept == [7.0, 7.0]
    assert len(_digest_posts(app, SHARED_CHANNEL)) == 1
    [row] = await _deliveries(app)
    assert row.status == "posted"

    app.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=3, times=4)
    clock.now = MONDAY_9AM + timedelta(days=7)
    await app.svc.runner.run_all()
    assert len(_digest_posts(app, SHARED_CHANNEL)) == 1
    rows = await _deliveries(app)
    assert [(r.status, r.error) for r in rows] == [("posted", ""), ("failed", "ratelimited")]
    assert rows[1].period_start == rows[0].period_end  # a failed digest does not move the period on
    [report] = _posts(app, INTERNAL_CHANNEL)
    assert "could not be posted" in reply_text(report) and "ratelimited" in reply_text(report)
    async with app.session() as s:
        last = (await s.exec(select(Occurrence).order_by(Occurrence.occurs_at.desc()))).first()  # type: ignore[attr-defined]
    assert last is not None and (last.status, last.attempts, last.error) == ("failed", 4, "ratelimited")


async def test_a_digest_slack_refuses_now_is_recorded_and_the_asker_told(app: Liaison) -> None:
    await seed(app)
    app.fake.fail_next("chat.postMessage", "not_in_channel")
    reply = reply_text(await app.command("/digest", "now client"))
    assert "could not be posted" in reply and "not_in_channel" in reply
    [row] = await _deliveries(app)
    assert (row.status, row.error, row.channel_id, row.message_ts) == (
        "failed",
        "not_in_channel",
        SHARED_CHANNEL,
        None,
    )


async def test_a_scheduled_client_digest_without_a_client_channel_is_recorded_and_reported(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/digest", "every monday 9am client")
    async with app.svc.sessions.begin() as s:
        bound = (await s.exec(select(ProjectChannel).where(ProjectChannel.role == "client"))).one()
        await s.delete(bound)
    clock.now = MONDAY_9AM
    await app.svc.runner.run_all()
    [report] = _posts(app, INTERNAL_CHANNEL)
    assert "no client channel" in reply_text(report)
    [row] = await _deliveries(app)
    assert (row.status, row.channel_id) == ("failed", "")


async def test_a_failure_report_whose_answer_is_lost_reaches_the_team_once(
    app: Liaison, clock: Clock
) -> None:
    """The report goes through post_once (issue 15): a lost answer is looked up, never re-posted blindly."""
    await app.command("/digest", "every monday 9am client")
    async with app.svc.sessions.begin() as s:
        bound = (await s.exec(select(ProjectChannel).where(ProjectChannel.role == "client"))).one()
        await s.delete(bound)
    app.fake.drop_answers("chat.postMessage", times=1)  # the report lands; its answer never comes back
    clock.now = MONDAY_9AM
    await app.svc.runner.run_all()
    app.fake.drop_answers("chat.postMessage")  # off
    [report] = [m for m in app.fake.messages(INTERNAL_CHANNEL) if "no client channel" in reply_text(m)]
    assert report["metadata"]["event_type"] == "liaison_occurrence"
    async with app.session() as s:
        occurrence = (await s.exec(select(Occurrence))).one()
    assert report["metadata"]["event_payload"]["occurrence"] == f"{occurrence.id}:failure-report"


async def test_the_client_confirms_minutes_from_the_digest(app: Liaison) -> None:
    from bot.domain.minutes import confirmations_of
    from storage.models import SignOff

    await app.command("/minutes", "Weekly sync with ACME [client]\ndecision: Go live on 1 March")
    await app.command("/minutes", "send M-1")
    [sent] = [c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == SHARED_CHANNEL]
    await app.command("/digest", "now client charts:off")
    digest_post = [
        c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == SHARED_CHANNEL
    ][-1]
    buttons = [
        element
        for block in digest_post.args["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "minutes_confirm"
    ]
    assert len(buttons) == 1 and "M-1" in buttons[0]["text"]["text"]
    payload = {
        "type": "block_actions",
        "team": {"id": HOME_TEAM},
        "user": {"id": CAROL, "team_id": CLIENT_TEAM, "username": "carol"},
        "api_app_id": "A0LIAISON",
        "trigger_id": "3.digest",
        "channel": {"id": SHARED_CHANNEL},
        "container": {
            "type": "message",
            "message_ts": digest_post.response["ts"],
            "channel_id": SHARED_CHANNEL,
        },
        "message": {"ts": digest_post.response["ts"], "blocks": digest_post.args["blocks"]},
        "response_url": app.fake.response_url("digest-confirm"),
        "actions": [{**buttons[0], "block_id": "digest_minutes_1", "type": "button", "action_ts": "1"}],
    }
    assert (await app.interaction(payload)).status_code == 200
    [update] = await app.wait_for("chat.update")
    assert update.args["ts"] == sent.response["ts"], "the minutes' own message shows the confirmation"
    async with app.session() as s:
        [confirmation] = confirmations_of((await s.exec(select(SignOff))).all())
    assert (confirmation.user_id, confirmation.team_id, confirmation.is_external) == (
        CAROL,
        CLIENT_TEAM,
        True,
    )
    assert confirmation.content_hash == buttons[0]["value"].split(":", 1)[1]
    assert not [c for c in app.fake.calls_to("chat.update") if c.args["ts"] == digest_post.response["ts"]]
