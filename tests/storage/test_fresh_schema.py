"""An empty database gets the head schema at once (storage/migrate.py): the same as the migrations build one
by one, on SQLite and, when set, PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine
from tests.harness.app import reset_postgres


def _schema(connection: Connection) -> dict[str, Any]:
    """Everything a schema is made of, by name (column order aside: the app names every column it uses)."""
    found = inspect(connection)
    tables: dict[str, Any] = {}
    for table in sorted(found.get_table_names()):
        columns = {
            column["name"]: (
                str(column["type"]),
                column["nullable"],
                column["default"],
                column.get("comment"),
            )
            for column in found.get_columns(table)
        }
        tables[table] = {
            "columns": columns,
            "primary key": found.get_pk_constraint(table),
            "foreign keys": sorted(found.get_foreign_keys(table), key=repr),
            "indexes": sorted(found.get_indexes(table), key=lambda index: str(index["name"])),
            "unique": sorted(found.get_unique_constraints(table), key=repr),
            "checks": sorted(found.get_check_constraints(table), key=repr),
            "rows": connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar(),
        }
    run = connection.exec_driver_sql
    if connection.dialect.name == "sqlite":
        # 0008's FTS5 table, its shadow tables and triggers; indexes with the exact statement that made them.
        extra = {"objects": run("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").all()}
        extra["statements"] = run(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index', 'view') "
            "OR sql LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).all()
    else:
        extra = {
            "indexes": run(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
            ).all(),
            "constraints": run(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2"
            ).all(),
            "sequences": run(
                "SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences "
                "WHERE sequence_schema = 'public' ORDER BY 1"
            ).all(),
            "triggers": run("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1").all(),
            "extensions": run("SELECT extname FROM pg_extension ORDER BY 1").all(),
            "types": run(
                "SELECT t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') ORDER BY 1"
            ).all(),
        }
    version = run("SELECT version_num FROM alembic_version").all()
    return {"tables": tables, "extra": extra, "version": version}


async def _built(engine: AsyncEngine, *steps: str) -> dict[str, Any]:
    for revision in steps:
        await migrate.upgrade(engine, revision)
    async with engine.connect() as conn:
        return await conn.run_sync(_schema)


async def test_an_empty_database_gets_the_schema_the_migrations_build(database_url: str) -> None:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    if database_url.startswith("postgresql"):
        urls = (database_url, database_url)
    else:
        urls = (database_url, database_url.replace(".sqlite3", "-migrated.sqlite3"))
    created_engine = create_engine(urls[0])
    try:
        created = await _built(created_engine, "head")  # empty: the head schema at once
    finally:
        await created_engine.dispose()
    if database_url.startswith("postgresql"):
        await reset_postgres(database_url)
    migrated_engine = create_engine(urls[1])
    try:
        migrated = await _built(migrated_engine, "0001", "head")  # not empty after 0001: one by one
    finally:
        await migrated_engine.dispose()

    assert created["version"] == migrated["version"] == [(head,)]
    assert len(created["tables"]) > 30 and "search_entry" in created["tables"]
    assert created["tables"].keys() == migrated["tables"].keys()
    for table, described in created["tables"].items():
        assert described == migrated["tables"][table], table
    assert created["extra"] == migrated["extra"]
