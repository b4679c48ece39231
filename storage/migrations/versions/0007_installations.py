"""installations

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 19:40:00

Installations across workspaces (OAuth v2): tokens stored as Fernet ciphertext, browser states for the
install flow, and which schedules an uninstall paused (so a reinstall resumes exactly those).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauthstate",
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_table(
        "slackinstallation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("app_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("enterprise_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("enterprise_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("enterprise_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("bot_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("bot_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("bot_scopes", sa.Text(), server_default="", nullable=False),
        sa.Column("bot_token", sa.Text(), nullable=True),
        sa.Column("bot_refresh_token", sa.Text(), nullable=True),
        sa.Column("bot_token_expires_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_scopes", sa.Text(), server_default="", nullable=False),
        sa.Column("user_token", sa.Text(), nullable=True),
        sa.Column("user_refresh_token", sa.Text(), nullable=True),
        sa.Column("user_token_expires_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("incoming_webhook_url", sa.Text(), nullable=True),
        sa.Column("incoming_webhook_channel", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "incoming_webhook_configuration_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
        ),
        sa.Column("installed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id", "enterprise_id", "team_id", name="uq_slackinstallation_team"),
    )
    with op.batch_alter_table("slackinstallation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slackinstallation_team_id"), ["team_id"], unique=False)

    op.create_table(
        "uninstallpause",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("paused_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedule.id"]),
        sa.PrimaryKeyConstraint("schedule_id"),
    )
    with op.batch_alter_table("uninstallpause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_uninstallpause_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uninstallpause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_uninstallpause_team_id"))
    op.drop_table("uninstallpause")
    with op.batch_alter_table("slackinstallation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slackinstallation_team_id"))
    op.drop_table("slackinstallation")
    op.drop_table("oauthstate")
