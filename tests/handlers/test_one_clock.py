"""One clock per app: rows are stamped with the clock the app reads (the playground's movable clock, a test's
clock), so a record changed "now" falls inside the period a digest reports, whatever the wall clock says."""

from __future__ import annotations

from datetime import timedelta

from storage.models import AuditLog, Risk
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Clock, Liaison


async def test_created_updated_and_audit_times_follow_the_apps_clock(app: Liaison, clock: Clock) -> None:
    clock.now = clock.now + timedelta(days=40)  # far from the wall clock, either way it runs
    await app.command("/risk", "add Vendor short of staff p:high i:4")
    clock.advance(hours=3)
    await app.command("/risk", "update R-1 i:5")
    [risk] = await rows(app, Risk)
    assert risk.created_at == clock.now - timedelta(hours=3)
    assert risk.updated_at == clock.now
    audit = [a for a in await rows(app, AuditLog) if a.record_ref == "R-1"]
    assert [a.at for a in audit] == [clock.now - timedelta(hours=3), clock.now]
