"""Data migrations, run on a database as an earlier release left it (SQLite and, when set, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from storage import migrate
from storage.db import create_engine

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def test_minutes_confirmations_become_signoff_versions_with_their_hashes(database_url: str) -> None:
    """0005: every confirmation and request for changes made before sign-offs existed is kept, in order."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0002")
        async with engine.begin() as conn:
            run = conn.execute
            await run(
                text("INSERT INTO workspace (id, team_id, created_at) VALUES (1, 'T0HOME', :t)"), {"t": T0}
            )
            await run(
                text(
                    "INSERT INTO project (id, workspace_id, name, client_name, tz, lang, created_by, created_at,"
                    " updated_at) VALUES (1, 1, 'ERP', 'ACME', 'UTC', 'en', 'U0ALICE', :t, :t)"
                ),
                {"t": T0},
            )
            minutes = (
                "INSERT INTO minutes (id, project_id, number, visibility, title, meeting_on, attendees,"
                " client_attendees, notes, created_by, created_at, updated_at, sent_channel_id, sent_ts,"
                " sent_hash, confirmed_hash, changed_since_confirmed) VALUES (:id, 1, :id, 'client', :title,"
                " '2026-11-20', '[]', '', '', 'U0ALICE', :t, :t, 'C0SHARED', :ts, :sent, :confirmed, FALSE)"
            )
            # M-1: changes requested on text a, then text b confirmed by the client. M-2: sent, unanswered.
            await run(
                text(minutes),
                {"id": 1, "title": "Weekly", "t": T0, "ts": "1.1", "sent": "b" * 64, "confirmed": "b" * 64},
            )
            await run(
                text(minutes),
                {"id": 2, "title": "Kick-off", "t": T0, "ts": "2.2", "sent": "c" * 64, "confirmed": None},
            )
            confirmation = (
                "INSERT INTO minutesconfirmation (minutes_id, kind, user_id, team_id, is_external, content_hash,"
                " comment, at) VALUES (1, :kind, 'U0CAROL', 'T0ACME', TRUE, :hash, :comment, :at)"
            )
            await run(
                text(confirmation), {"kind": "changes", "hash": "a" * 64, "comment": "Fix D-2", "at": T0}
            )
            await run(
                text(confirmation),
                {"kind": "confirm", "hash": "b" * 64, "comment": "", "at": T0.replace(hour=11)},
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT subject, subject_id, version, content_hash, status, decided_by, decided_team_id,"
                        " decided_external, remarks, message_ts FROM signoff ORDER BY subject_id, version"
                    )
                )
            ).all()
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("minutes", 1, 1, "a" * 64, "rejected", "U0CAROL", "T0ACME", True, "Fix D-2", None),
        ("minutes", 1, 2, "b" * 64, "approved", "U0CAROL", "T0ACME", True, "", "1.1"),
        ("minutes", 2, 1, "c" * 64, "waiting", None, None, None, "", "2.2"),
    ]
    assert "minutesconfirmation" not in tables
