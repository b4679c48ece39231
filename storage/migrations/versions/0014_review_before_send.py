"""review before send

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 20:00:00

A project's `review` ("off" | "on" | "required") and `review_lead` (minutes before a client post its preview
reaches the team), with server defaults: every existing project keeps posting as before (off, 2 h). The
`reviewpreview` table claims one preview per (schedule, occurrence) and keeps its state and the PM's note.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "reviewpreview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        _at("occurs_at", nullable=False),
        sa.Column("state", _text(16), nullable=False),
        sa.Column("channel_id", _text(32), nullable=True),
        sa.Column("message_ts", _text(32), nullable=True),
        sa.Column("note", _text(300), nullable=True),
        sa.Column("note_by", _text(32), nullable=True),
        sa.Column("decided_by", _text(32), nullable=True),
        _at("decided_at", nullable=True),
        sa.Column("claimed_by", _text(120), nullable=False),
        _at("created_at", nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedule.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("schedule_id", "occurs_at", name="uq_reviewpreview"),
    )
    with op.batch_alter_table("reviewpreview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviewpreview_schedule_id"), ["schedule_id"], unique=False)
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", _text(8), server_default="off", nullable=False))
        batch_op.add_column(sa.Column("review_lead", sa.Integer(), server_default="120", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("review_lead")
        batch_op.drop_column("review")
    with op.batch_alter_table("reviewpreview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewpreview_schedule_id"))
    op.drop_table("reviewpreview")
