"""command journal

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 20:00:00

`commandjournal`: a slash command acked but not yet carried out (bot/journal.py). Written before the ack,
deleted once answered; a row whose lease ran out (its process died) is carried out again at start-up.
A new table: nothing to backfill.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "commandjournal",
        sa.Column("key", _text(128), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("response_url", sa.Text(), server_default="", nullable=False),
        _at("received_at", nullable=False),
        sa.Column("state", _text(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("lease_until", nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("commandjournal", schema=None) as batch_op:
        batch_op.create_index("ix_commandjournal_state_received", ["state", "received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("commandjournal", schema=None) as batch_op:
        batch_op.drop_index("ix_commandjournal_state_received")
    op.drop_table("commandjournal")
