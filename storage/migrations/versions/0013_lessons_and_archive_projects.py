"""lessons and archive projects

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 20:00:00

Lessons learned (`L-n`, table `lesson`); a project's `archived_at` (closed: records read-only, schedules
paused); a schedule's `paused_reason` ("archived": paused by archiving, so reopening resumes exactly those).
New columns of existing tables are nullable: every existing project is running, every schedule as it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "lesson",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("visibility", _text(16), nullable=False),
        sa.Column("text", _text(3000), nullable=False),
        sa.Column("kind", _text(16), nullable=False),
        sa.Column("source", _text(16), nullable=False),
        sa.Column("created_by", _text(32), nullable=False),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        _at("deleted_at", nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number", name="uq_lesson_number"),
    )
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_project_updated", ["project_id", "updated_at"], unique=False)
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(_at("archived_at", nullable=True))
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_reason", _text(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_column("paused_reason")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_project_updated")
    op.drop_table("lesson")
