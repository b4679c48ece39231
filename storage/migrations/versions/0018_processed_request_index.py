"""processed request pruning index

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 20:00:00

`processedrequest.created_at` gets an index: the periodic prune (storage/repo/requests.py, run by
bot/domain/housekeeping.py) deletes keys older than Slack's retry window, and without it every prune scanned the
whole table. Both dialects; the downgrade drops it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_processedrequest_created_at"


def upgrade() -> None:
    with op.batch_alter_table("processedrequest", schema=None) as batch_op:
        batch_op.create_index(INDEX, ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("processedrequest", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
