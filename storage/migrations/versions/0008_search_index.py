"""search index

One `search_entry` row per record with its searchable text; trigram-indexed (SQLite FTS5 `trigram`,
PostgreSQL pg_trgm GIN). The app keeps it in step on every write (storage/repo/search.py); this backfills the
records that exist already, with the columns each kind was searchable by at this revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:40:00
"""

import sqlite3
from collections.abc import Sequence

from alembic import op

from storage.repo import search

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (kind, table, searchable columns) as of this revision; later kinds start empty and need no backfill.
BACKFILL = (
    ("minutes", "minutes", ("title", "client_attendees", "notes")),
    ("decision", "decision", ("text",)),
    ("action", "actionitem", ("text", "owner_name")),
    ("risk", "risk", ("title", "response", "close_note")),
    ("milestone", "milestone", ("title",)),
    ("requirement", "requirement", ("text",)),
    ("change", "changerequest", ("title", "why")),
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite" and sqlite3.sqlite_version_info < (3, 34):
        raise RuntimeError(
            f"search needs SQLite 3.34 or newer (FTS5 trigram); this Python has {sqlite3.sqlite_version}"
        )
    for statement in search.schema_ddl(dialect):
        op.execute(statement)
    for kind, table, columns in BACKFILL:
        op.execute(search.backfill_sql(dialect, kind=kind, table=table, columns=columns))


def downgrade() -> None:
    for statement in search.drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
