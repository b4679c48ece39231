"""What all project records share: per-project numbering, lookup by number, and a cheap insert."""

from __future__ import annotations

import copy
import functools
import sqlite3
from datetime import datetime
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import Insert, Select, bindparam, insert, inspect, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog, ProjectCounter
from storage.repo import audit as audit_repo
from storage.repo import projects, search
from storage.sqlite import in_one_trip, prepared_insert
from storage.types import utcnow

T = TypeVar("T", bound=SQLModel)

_BUMP = text("UPDATE projectcounter SET last = last + 1 WHERE project_id = :p AND kind = :k RETURNING last")


async def next_number(session: AsyncSession, *, project_id: int, kind: str) -> int:
    """The next number for a record kind in a project; atomic under concurrent writers on both backends."""
    for _ in range(3):
        connection = await session.connection()
        bumped = (await connection.execute(_BUMP, {"p": project_id, "k": kind})).scalar()
        if bumped is not None:
            return int(bumped)
        try:
            async with session.begin_nested():
                session.add(ProjectCounter(project_id=project_id, kind=kind, last=1))
            return 1
        except IntegrityError:  # another writer created the counter first; bump theirs
            continue
    raise RuntimeError("could not allocate a record number")


# PostgreSQL: the request's claim (projects.claim_request) and the number in one statement. The counter is
# bumped only when the claim wrote its row; a missing counter (a kind's first record) leaves number NULL.
_CLAIM_AND_BUMP = text(
    f"""WITH claim AS ({projects.CLAIM_SQL} RETURNING 1),
    bump AS (UPDATE projectcounter SET last = last + 1
             WHERE project_id = :p AND kind = :k AND EXISTS (SELECT 1 FROM claim) RETURNING last)
    SELECT EXISTS (SELECT 1 FROM claim) AS claimed, (SELECT last FROM bump) AS number"""
).bindparams(projects.CLAIMED_AT)


async def claim_and_number(session: AsyncSession, *, key: str, project_id: int, kind: str) -> int | None:
    """Claim a request and take the next number for a record kind; None if the request was claimed already
    (a retry). One round trip on PostgreSQL instead of two, and one trip to aiosqlite's thread on SQLite, on
    every record a command creates."""
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        return await _claim_and_number_sqlite(connection, key=key, project_id=project_id, kind=kind)
    values = {"key": key, "created_at": utcnow(), "p": project_id, "k": kind}
    row = (await connection.execute(_CLAIM_AND_BUMP, values)).one()
    if not row.claimed:
        return None
    return (
        int(row.number)
        if row.number is not None
        else await next_number(session, project_id=project_id, kind=kind)
    )


# SQLite: the claim, then the number, in one trip to aiosqlite's thread; a kind's first record creates its counter
# (an upsert, where next_number's first try finds no row and takes a savepoint).
_CLAIM_SQLITE = projects.CLAIM_SQL
_BUMP_SQLITE = (
    "INSERT INTO projectcounter (project_id, kind, last) VALUES (:p, :k, 1) "
    "ON CONFLICT (project_id, kind) DO UPDATE SET last = last + 1 RETURNING last"
)


async def _claim_and_number_sqlite(
    connection: AsyncConnection, *, key: str, project_id: int, kind: str
) -> int | None:
    process = projects.CLAIMED_AT.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    claimed_at = process(utcnow()) if process is not None else utcnow()

    def claim_and_bump(conn: sqlite3.Connection) -> int | None:
        if conn.execute(_CLAIM_SQLITE, {"key": key, "created_at": claimed_at}).rowcount != 1:
            return None  # claimed already: a retry
        return int(conn.execute(_BUMP_SQLITE, {"p": project_id, "k": kind}).fetchone()[0])

    return await in_one_trip(connection, claim_and_bump)


async def get_by_number(session: AsyncSession, model: type[T], *, project_id: int, number: int) -> T | None:
    """A live (not deleted) record of a project by its number."""
    table: Any = model
    query = select(model).where(table.project_id == project_id, table.number == number)
    if hasattr(table, "deleted_at"):
        query = query.where(table.deleted_at.is_(None))
    return (await session.exec(query)).first()


async def set_deleted(session: AsyncSession, record: Any, at: datetime | None) -> None:
    """Soft-delete (`at`) or restore (None) any record kind."""
    record.deleted_at = at
    record.updated_at = utcnow()
    session.add(record)
    await session.flush()


def new_record(model: type[T], **values: Any) -> T:
    """A new, unsaved record with `values` and the model's defaults, as `model(**values)` builds it (no
    validation either way: SQLModel does not validate table models), for `insert_record`. SQLModel's
    constructor sets every field through SQLAlchemy's and pydantic's `__setattr__`, about 100 µs a record
    on the command path; this fills the instance's dict directly, about a sixth of that."""
    fields_of = _fields(model)
    unknown = values.keys() - {name for name, _, _ in fields_of}
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    record: Any = model._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    fields = record.__dict__
    for name, default, factory in fields_of:
        if name in values:
            fields[name] = values[name]
        elif factory is not None:
            fields[name] = factory()
        elif default is PydanticUndefined:
            raise TypeError(f"{model.__name__} needs {name}")
        else:
            fields[name] = copy.copy(default)
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    built: T = record
    return built


@functools.cache
def _fields(model: type[SQLModel]) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of every field."""
    return tuple((name, f.default, f.default_factory) for name, f in model.model_fields.items())


async def insert_record(session: AsyncSession, record: T, *, audit: dict[str, Any] | None = None) -> T:
    """Write a new record with one prepared INSERT … RETURNING id, its search index row and `audit` (its audit
    row, `storage.repo.audit.entry`).

    The ORM's unit of work (a flush) costs several times the statement itself on the command path; the
    record comes back with its id, detached as after a commit, so it renders and can be added to a session
    like any loaded one. Python-side defaults are the model's (they were applied when it was built). On
    PostgreSQL the three rows go in one statement (data-modifying CTEs): one round trip, not three. On SQLite
    they are three statements in one trip to aiosqlite's thread (`storage.sqlite.in_one_trip`).
    """
    model = type(record)
    keys = _columns(model)
    connection = await session.connection()
    values = {key: getattr(record, key) for key in keys}
    entry = search.entry_of(record)
    record_any: Any = record
    if connection.dialect.name == "postgresql":
        params = {f"r_{key}": value for key, value in values.items()}
        params.update({f"s_{key}": value for key, value in (entry or {}).items()})
        params.update({f"a_{key}": value for key, value in (audit or {}).items()})
        statement = _insert_all(model, entry is not None, audit is not None)
        record_any.id = (await connection.execute(statement, params)).scalar_one()
    elif connection.dialect.name == "sqlite":
        record_any.id = await _insert_all_sqlite(connection, model, values, entry, audit)
    else:
        record_any.id = (await connection.execute(_insert_one(model), values)).scalar_one()
        if entry is not None:
            await connection.execute(search.ENTRY_INSERT, {**entry, "record_id": record_any.id})
        if audit is not None:
            await connection.execute(audit_repo.APPEND, audit)
    make_transient_to_detached(record)
    return record


async def _insert_all_sqlite(
    connection: AsyncConnection,
    model: type[SQLModel],
    values: dict[str, Any],
    entry: dict[str, Any] | None,
    audit: dict[str, Any] | None,
) -> int:
    """The record, its search row and its audit row in one trip to aiosqlite's thread; the record's id."""
    dialect = connection.dialect
    row = prepared_insert(model.__table__, tuple(values), dialect, returning_id=True)  # type: ignore[attr-defined]
    record_params = row.params(values)
    index = (
        prepared_insert(search.SEARCH_ENTRY, (*entry, "record_id"), dialect, returning_id=False)
        if entry
        else None
    )
    log = prepared_insert(AuditLog.__table__, tuple(audit), dialect, returning_id=False) if audit else None  # type: ignore[attr-defined]
    audit_params = log.params(audit) if log is not None and audit is not None else ()

    def write(conn: sqlite3.Connection) -> int:
        record_id = int(conn.execute(row.sql, record_params).fetchone()[0])
        if index is not None and entry is not None:
            conn.execute(index.sql, index.params({**entry, "record_id": record_id}))
        if log is not None:
            conn.execute(log.sql, audit_params)
        return record_id

    return await in_one_trip(connection, write)


@functools.cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    mapper: Any = inspect(model)
    return tuple(c.key for c in mapper.column_attrs if c.key != "id")


@functools.cache
def _insert_one(model: type[SQLModel]) -> Insert:
    table: Any = model.__table__  # type: ignore[attr-defined]
    return insert(table).returning(table.c.id)


@functools.cache
def _insert_all(model: type[SQLModel], indexed: bool, audited: bool) -> Select[Any]:
    """WITH r AS (INSERT … RETURNING id)[, s AS (INSERT INTO search_entry … FROM r)][, a AS (INSERT INTO
    auditlog …)] SELECT id FROM r: built once per shape; the values are bound (r_, s_ and a_ names)."""
    table: Any = model.__table__  # type: ignore[attr-defined]
    row = insert(table).values({k: bindparam(f"r_{k}", type_=table.c[k].type) for k in _columns(model)})
    new = row.returning(table.c.id).cte("r")
    statement = sa_select(new.c.id)
    if indexed:
        e = search.SEARCH_ENTRY.c
        found = sa_select(
            bindparam("s_kind", type_=e.kind.type),
            new.c.id,
            bindparam("s_project_id", type_=e.project_id.type),
            bindparam("s_doc", type_=e.doc.type),
        )
        statement = statement.add_cte(
            insert(search.SEARCH_ENTRY)
            .from_select(["kind", "record_id", "project_id", "doc"], found)
            .cte("s")
        )
    if audited:
        log: Any = AuditLog.__table__  # type: ignore[attr-defined]
        names = [c.key for c in log.columns if c.key != "id"]
        statement = statement.add_cte(
            insert(log).values({k: bindparam(f"a_{k}", type_=log.c[k].type) for k in names}).cte("a")
        )
    return statement


def copy_detached(record: T) -> T:
    """A new instance with the same column values (lists and dicts copied), detached as if just loaded: what a
    cache hands out, so no caller's change or session ever reaches the cached one."""
    state: Any = inspect(record)
    fresh = state.manager.new_instance()
    values = state.dict
    for attr in state.mapper.column_attrs:
        if attr.key in values:
            value = values[attr.key]
            fresh.__dict__[attr.key] = copy.deepcopy(value) if isinstance(value, list | dict) else value
    make_transient_to_detached(fresh)
    copied: T = fresh
    return copied
