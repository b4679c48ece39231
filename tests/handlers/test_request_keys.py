"""Processed-request keys are pruned once Slack can no longer send that request again (issue 15): old keys
go, recent ones stay, and a recent retry is still refused. Time travels; nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.domain.housekeeping import PRUNE_EVERY, REQUEST_KEY_RETENTION, Throttle
from storage.models import ActionItem, ProcessedRequest
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Clock, Liaison


async def keys(app: Liaison) -> list[ProcessedRequest]:
    async with app.session() as session:
        return list((await session.exec(select(ProcessedRequest))).all())


async def _add(app: Liaison, title: str) -> str:
    response, form = await app.send_command("/action", f"add {title}")
    assert response.status_code == 200
    await app.wait_for(
        "response_url", where=lambda c: c.args.get("_key") == form["response_url"].rsplit("/", 1)[-1]
    )
    return f"cmd:{form['trigger_id']}"


async def test_old_request_keys_go_and_recent_ones_stay(app: Liaison, clock: Clock) -> None:
    old = await _add(app, "Old item")
    clock.advance(hours=23)
    recent = await _add(app, "Recent item")
    written = {k.key for k in await keys(app)}
    assert {old, recent} <= written
    clock.advance(hours=2)  # the first key is now 25 hours old
    await app.svc.runner.run_followups()
    kept = await keys(app)
    assert recent in {k.key for k in kept} and old not in {k.key for k in kept}
    assert all(clock.now - k.created_at < REQUEST_KEY_RETENTION for k in kept)
    assert [i.text for i in await rows(app, ActionItem)] == ["Old item", "Recent item"]  # records untouched


def test_pruning_runs_every_ten_minutes_at_most() -> None:
    throttle = Throttle()
    start = datetime(2026, 11, 24, tzinfo=UTC)
    assert throttle.due(start)
    assert not throttle.due(start + timedelta(minutes=9, seconds=59))
    assert throttle.due(start + PRUNE_EVERY)
    assert throttle.due(start - timedelta(hours=1))  # a clock set back (a test, a corrected host) runs again
