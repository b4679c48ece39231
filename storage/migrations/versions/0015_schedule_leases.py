"""schedule leases

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:00:00

A claim on an occurrence is held under a lease (`lease_until`, renewed while its claimant works): a claim whose
lease ran out is taken over by another replica, or by the restarted one, and reconciled before any re-post.
`reported_at`: when the team was told that an occurrence was given up on (failed or missed after a claim).
Both nullable: an existing claim has no lease, so it counts as expired and is taken over (and reconciled).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(_at("lease_until"))
        batch_op.add_column(_at("reported_at"))


def downgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_column("reported_at")
        batch_op.drop_column("lease_until")
