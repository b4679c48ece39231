"""action reminders

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actionreminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["actionitem.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "kind", "due_on", name="uq_actionreminder"),
    )
    with op.batch_alter_table("actionreminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actionreminder_action_id"), ["action_id"], unique=False)

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("morning", sa.Integer(), server_default="540", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("morning")

    with op.batch_alter_table("actionreminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actionreminder_action_id"))

    op.drop_table("actionreminder")
