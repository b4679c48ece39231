"""issue log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("visibility", _text(16), nullable=False),
        sa.Column("kind", _text(16), nullable=False),
        sa.Column("title", _text(300), nullable=False),
        sa.Column("description", _text(3000), nullable=False),
        sa.Column("severity", _text(16), nullable=False),
        sa.Column("owner_user_id", _text(32), nullable=True),
        sa.Column("owner_team_id", _text(32), nullable=True),
        sa.Column("owner_name", _text(200), nullable=True),
        _at("due_at", nullable=True),
        sa.Column("status", _text(16), nullable=False),
        _at("resolved_at", nullable=True),
        sa.Column("resolution", _text(3000), nullable=False),
        sa.Column("raised_by", _text(32), nullable=False),
        sa.Column("raised_team_id", _text(32), nullable=True),
        sa.Column("raised_external", sa.Boolean(), nullable=False),
        sa.Column("client_channel_id", _text(32), nullable=True),
        sa.Column("client_ts", _text(32), nullable=True),
        sa.Column("team_channel_id", _text(32), nullable=True),
        sa.Column("team_ts", _text(32), nullable=True),
        _at("first_response_at", nullable=True),
        _at("escalated_at", nullable=True),
        sa.Column("created_by", _text(32), nullable=False),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        _at("deleted_at", nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number", name="uq_issue_number"),
    )
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index("ix_issue_project_updated", ["project_id", "updated_at"], unique=False)
        batch_op.create_index("ix_issue_project_status", ["project_id", "status"], unique=False)
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issue_targets", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("issue_targets")
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_project_status")
        batch_op.drop_index("ix_issue_project_updated")
    op.drop_table("issue")
