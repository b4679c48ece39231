"""The search index (migration 0008): backfilled from records that exist, found through a trigram index (the
query plan says so on SQLite and PostgreSQL), short words read only the project's entries, and a downgrade
removes it. SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.repo import search

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _seed_before_the_index(engine: AsyncEngine) -> None:
    """Records written at revision 0007, before the index existed."""
    await migrate.upgrade(engine, "0007")
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO workspace (id, team_id, created_at) VALUES (1, 'T1', :now)"), {"now": NOW}
        )
        for pid in (1, 2):
            await conn.execute(
                text(
                    "INSERT INTO project (id, workspace_id, name, client_name, tz, lang, approvers, signoff_nudge,"
                    " created_by, created_at, updated_at) VALUES (:id, 1, :name, 'ACME', 'Asia/Shanghai', 'zh',"
                    " '[]', 3, 'U1', :now, :now)"
                ),
                {"id": pid, "name": f"P{pid}", "now": NOW},
            )
        for number, (pid, title) in enumerate(
            [(1, "实现单点登录功能"), (1, "Data migration rehearsal"), (2, "登录页面改版")], start=1
        ):
            await conn.execute(
                text(
                    "INSERT INTO risk (project_id, number, visibility, title, probability, impact, strategy,"
                    " response, status, close_note, created_by, created_at, updated_at)"
                    " VALUES (:p, :n, 'client', :title, 3, 3, 'mitigate', 'rehearse twice', 'open', '', 'U1',"
                    " :now, :now)"
                ),
                {"p": pid, "n": number, "title": title, "now": NOW},
            )


async def _find(engine: AsyncEngine, project_id: int, *words: str) -> list[str]:
    async with create_session_factory(engine)() as session:
        return sorted(
            h.doc.split("\n")[0]
            for h in await search.find(session, project_id=project_id, words=words, limit=50)
        )


async def test_the_migration_backfills_existing_records_and_finds_chinese_inside_chinese(
    engine: AsyncEngine,
) -> None:
    await _seed_before_the_index(engine)
    await migrate.upgrade(engine)
    assert await _find(engine, 1, "单点登录") == ["实现单点登录功能"]
    assert await _find(engine, 1, "登录") == ["实现单点登录功能"]  # two characters: no trigram, still found
    assert await _find(engine, 1, "MIGRATION", "rehearse") == ["Data migration rehearsal"]
    assert await _find(engine, 1, "migration", "功能") == []  # every word must occur
    assert await _find(engine, 2, "登录") == ["登录页面改版"]  # each project sees its own
    assert await _find(engine, 1, "100%_") == []  # LIKE wildcards are plain characters


async def test_the_query_plan_uses_the_trigram_index(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    dialect = engine.dialect.name
    long_query = search.search_statement(dialect, project_id=1, words=["登录功能"], limit=20)
    short_query = search.search_statement(dialect, project_id=1, words=["登录"], limit=20)
    async with engine.connect() as conn:

        async def plan(query: object) -> str:
            compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
            prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
            rows = (await conn.execute(text(prefix + str(compiled)))).all()
            return "\n".join(" ".join(str(c) for c in row) for row in rows)

        if dialect == "postgresql":
            # A project of many records, where the project's own rows are many and the word's are few.
            await conn.execute(
                text(
                    "INSERT INTO search_entry (kind, record_id, project_id, doc) SELECT 'risk', n, 1,"
                    " 'risk number ' || n || ' of the rollout' FROM generate_series(1, 5000) AS n"
                )
            )
            await conn.execute(text("ANALYZE search_entry"))
            found = await plan(long_query)
            assert "ix_search_entry_doc_trgm" in found and "Seq Scan" not in found, found
            await conn.rollback()
        else:
            found = await plan(long_query)
            assert "VIRTUAL TABLE INDEX" in found and "search_fts" in found, found
            assert "ix_search_entry_project" in await plan(short_query)


async def test_downgrade_removes_the_index_and_upgrade_brings_it_back(engine: AsyncEngine) -> None:
    await _seed_before_the_index(engine)
    await migrate.upgrade(engine, "0008")
    await _downgrade(engine, "0007")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert "search_entry" not in tables and "search_fts" not in tables
    await migrate.upgrade(engine)
    assert await _find(engine, 1, "单点登录") == ["实现单点登录功能"]


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    def go(connection: object) -> None:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(go)
        await conn.commit()
