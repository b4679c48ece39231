"""Migration 0007 creates the installation, OAuth state and uninstall-pause tables and its downgrade drops them
(SQLite and, when set, PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import create_engine

TABLES = {"slackinstallation", "oauthstate", "uninstallpause"}


def _downgrade(connection: Connection, revision: str) -> None:
    cfg = migrate.alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


async def test_0007_up_and_down(database_url: str) -> None:
    engine = create_engine(database_url)

    def tables(conn: Connection) -> set[str]:
        return set(inspect(conn).get_table_names())

    try:
        await migrate.upgrade(engine, "0006")
        async with engine.connect() as conn:
            assert not TABLES & await conn.run_sync(tables)
        await migrate.upgrade(engine, "0007")
        async with engine.connect() as conn:
            assert await conn.run_sync(tables) >= TABLES
            await conn.run_sync(_downgrade, "0006")
            await conn.commit()
        async with engine.connect() as conn:
            assert not TABLES & await conn.run_sync(tables)
        assert await migrate.current_revision(engine) == "0006"
    finally:
        await engine.dispose()
