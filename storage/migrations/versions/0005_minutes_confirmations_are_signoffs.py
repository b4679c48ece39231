"""minutes confirmations become sign-off versions

Every existing confirmation or request for changes becomes a decided sign-off version of its minutes (who,
their organisation, when, the comment and the hash of the text they were shown, in order); minutes sent and
not yet answered get a waiting version with the sent hash. The texts of versions sent before this revision
were never stored, so their `content` is empty; their hashes are kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "project_id, subject, subject_id, version, title, content, content_hash, requested_by, requested_at,"
    " channel_id, message_ts, status, decided_by, decided_team_id, decided_external, decided_at, remarks"
)


def upgrade() -> None:
    op.execute(
        sa.text(
            f"INSERT INTO signoff ({_COLUMNS}) "
            "SELECT m.project_id, 'minutes', m.id,"
            " ROW_NUMBER() OVER (PARTITION BY c.minutes_id ORDER BY c.at, c.id),"
            " m.title, '', c.content_hash, m.created_by, c.at, m.sent_channel_id,"
            " CASE WHEN c.content_hash = m.sent_hash THEN m.sent_ts ELSE NULL END,"
            " CASE WHEN c.kind = 'confirm' THEN 'approved' ELSE 'rejected' END,"
            " c.user_id, c.team_id, c.is_external, c.at, c.comment "
            "FROM minutesconfirmation c JOIN minutes m ON m.id = c.minutes_id"
        )
    )
    op.execute(
        sa.text(
            f"INSERT INTO signoff ({_COLUMNS}) "
            "SELECT m.project_id, 'minutes', m.id,"
            " (SELECT COUNT(*) FROM minutesconfirmation c WHERE c.minutes_id = m.id) + 1,"
            " m.title, '', m.sent_hash, m.created_by, m.updated_at, m.sent_channel_id, m.sent_ts, 'waiting',"
            " NULL, NULL, NULL, NULL, '' "
            "FROM minutes m WHERE m.sent_hash IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM minutesconfirmation c WHERE c.minutes_id = m.id AND c.content_hash = m.sent_hash)"
        )
    )
    with op.batch_alter_table("minutesconfirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutesconfirmation_minutes_id"))
    op.drop_table("minutesconfirmation")


def downgrade() -> None:
    op.create_table(
        "minutesconfirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("is_external", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("minutesconfirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutesconfirmation_minutes_id"), ["minutes_id"], unique=False)
    op.execute(
        sa.text(
            "INSERT INTO minutesconfirmation (minutes_id, kind, user_id, team_id, is_external, content_hash,"
            " comment, at) "
            "SELECT subject_id, CASE WHEN status = 'rejected' THEN 'changes' ELSE 'confirm' END, decided_by,"
            " decided_team_id, COALESCE(decided_external, FALSE), content_hash, remarks, decided_at "
            "FROM signoff WHERE subject = 'minutes' AND decided_by IS NOT NULL ORDER BY decided_at, id"
        )
    )
    op.execute(sa.text("DELETE FROM signoff WHERE subject = 'minutes'"))
