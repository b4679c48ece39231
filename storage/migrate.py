"""Alembic, driven over our async engine so no sync driver is needed; run on start and by `liaison db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every replica so concurrent starts migrate once.
_PG_LOCK_ID = 7_311_542_001


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if revision == "head" and not inspect(connection).get_table_names():
        _create_head(connection)
        command.stamp(cfg, revision)
    else:
        command.upgrade(cfg, revision)


def _create_head(connection: Connection) -> None:
    """An empty database gets the head schema in one step, not migration by migration (a fresh start-up's
    biggest cost after imports): the models' tables plus what 0008 creates outside them, the search index.
    tests/storage/test_fresh_schema.py proves it equal to the migrations' schema, so a migration that creates
    something the models do not declare must add it here too."""
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401  (registers the tables)
    from storage.repo import search

    SQLModel.metadata.create_all(connection, checkfirst=False)  # known empty: no look-up per table
    for statement in search.schema_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; on PostgreSQL under an advisory lock so replicas don't race."""
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PG_LOCK_ID})
            await conn.commit()
        try:
            await conn.run_sync(_upgrade, revision)
            await conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_LOCK_ID})
                await conn.commit()


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_read)


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Autogenerate a migration against an up-to-date database (a developer's tool: `liaison db revision`)."""

    def _revision(connection: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)

    async with engine.connect() as conn:
        await conn.run_sync(_revision)
