"""lessons and archive

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:40:00

Filled by configurable check-in questions (the slot keeps its reserved name): each check-in answer keeps the
answers to its check-in's own questions (`answers`, JSON) and whether a client user gave it (`by_client`), so
the digest's average progress is the team's. A check-in's questions live in its schedule's `options` JSON
(`questions`, `progress`) with the rest of its settings, so no schedule column is needed; rows from before have
neither key and keep the usual questions, with progress.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkinanswer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("by_client", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("checkinanswer", schema=None) as batch_op:
        batch_op.drop_column("by_client")
        batch_op.drop_column("answers")
