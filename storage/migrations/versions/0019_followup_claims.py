"""follow-up claims

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:30:00

`followup`: a follow-up post (sign-off nudge, issue escalation, action reminder, pulse alert, check-in nudge and
summary) claimed with a lease until it is posted, one row per (kind, record, part); a claim whose lease ran out
is taken over and reconciled with the channel's history before any post (bot/domain/followups.py).
A new table: nothing to backfill. What was nudged, escalated or reminded before keeps its mark on its own row
(`nudged_at`, `escalated_at`, `alerted_at`, `actionreminder`, ...), which is what the scans skip, so none of it
is posted again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("part", _text(120), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("claimed_by", _text(64), nullable=False),
        _at("claimed_at", nullable=False),
        _at("lease_until", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", _text(1000), nullable=False),
        _at("done_at", nullable=True),
        _at("reported_at", nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "record_id", "part", name="uq_followup"),
    )
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.create_index("ix_followup_open", ["done_at", "kind", "lease_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_followup_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_project_id"))
        batch_op.drop_index("ix_followup_open")
    op.drop_table("followup")
