"""pulses and stakeholders

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 19:40:00

Project approvers (`/project settings approvers:`) stay as they are: they are the fallback for any sign-off
subject no stakeholder signs (bot/domain/stakeholders.py `approvers_for`), so no rows need copying.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_ts = storage.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", _str(length=32), nullable=True),
        sa.Column("name", _str(length=200), nullable=False),
        sa.Column("role", _str(length=300), nullable=False),
        sa.Column("org", _str(length=16), nullable=False),
        sa.Column("influence", _str(length=8), nullable=False),
        sa.Column("signs", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("visibility", _str(length=16), nullable=False),
        sa.Column("created_by", _str(length=32), nullable=False),
        sa.Column("created_at", _ts(timezone=True), nullable=False),
        sa.Column("updated_at", _ts(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholder_project", ["project_id"], unique=False)

    op.create_table(
        "pulse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("question", _str(length=500), nullable=False),
        sa.Column("visibility", _str(length=16), nullable=False),
        sa.Column("channel_id", _str(length=32), nullable=True),
        sa.Column("message_ts", _str(length=32), nullable=True),
        sa.Column("opens_at", _ts(timezone=True), nullable=False),
        sa.Column("closes_at", _ts(timezone=True), nullable=False),
        sa.Column("closed_at", _ts(timezone=True), nullable=True),
        sa.Column("created_by", _str(length=32), nullable=False),
        sa.Column("created_at", _ts(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedule.id"]),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", name="uq_pulse_occurrence"),
    )
    with op.batch_alter_table("pulse", schema=None) as batch_op:
        batch_op.create_index("ix_pulse_project_opens", ["project_id", "opens_at"], unique=False)

    op.create_table(
        "pulseanswer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", _str(length=32), nullable=False),
        sa.Column("team_id", _str(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", _str(length=3000), nullable=False),
        sa.Column("visibility", _str(length=16), nullable=False),
        sa.Column("at", _ts(timezone=True), nullable=False),
        sa.Column("alerted_at", _ts(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pulse_id"], ["pulse.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pulse_id", "user_id", name="uq_pulse_answer"),
    )
    with op.batch_alter_table("pulseanswer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulseanswer_pulse_id"), ["pulse_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulseanswer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulseanswer_pulse_id"))
    op.drop_table("pulseanswer")
    with op.batch_alter_table("pulse", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_project_opens")
    op.drop_table("pulse")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index("ix_stakeholder_project")
    op.drop_table("stakeholder")
