"""What all project records share: per-project numbering, lookup by number, and a cheap insert."""

from __future__ import annotations

import copy
import functools
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import Integer, String, bindparam, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog, ProjectCounter
from storage.pg import Compiled, compiled, fetch_row
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
    validation either way: SQLModel does not validate table models), for `insert_numbered`. SQLModel's
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


async def insert_numbered(
    session: AsyncSession, record: T, *, key: str, kind: str, audit: dict[str, Any] | None = None
) -> T | None:
    """Claim the request `key`, give `record` the next number of `kind` in its project and write it, with its
    search index row and `audit` (its audit row, `storage.repo.audit.entry`, whose `record_ref` becomes the
    record's ref, `<kind>-<number>`); None, with nothing written, when the request was claimed already (a
    retry). A kind's first record creates its counter.

    The ORM's unit of work (a flush) costs several times the statements themselves on the command path; the
    record comes back with its id and number, detached as after a commit, so it renders and can be added to a
    session like any loaded one. Python-side defaults are the model's (they were applied when it was built).
    SQLite: five statements in one trip to aiosqlite's thread, with their BEGIN and COMMIT when they are their
    unit of work's first (`storage.sqlite.in_one_trip`). PostgreSQL: one statement (data-modifying CTEs)
    straight to asyncpg, on its own when it is its unit of work's first (`storage.pg.fetch_row`: no BEGIN, no
    COMMIT). Either way it must be its unit of work's last write.
    """
    model = type(record)
    values = {key: getattr(record, key) for key in _columns(model) if key != "number"}
    entry = search.entry_of(record)
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        written = await _numbered_sqlite(connection, model, key, kind, values, entry, audit)
    else:
        params = {"key": key, "created_at": utcnow(), "p": values["project_id"], "k": kind}
        params.update({f"r_{name}": value for name, value in values.items()})
        params.update({f"s_{name}": value for name, value in (entry or {}).items()})
        params.update({f"a_{name}": value for name, value in (audit or {}).items() if name != "record_ref"})
        statement = _numbered_statement(model, entry is not None, tuple(audit or ()), connection.dialect)
        row = await fetch_row(connection, statement, params)
        written = None if row is None else (int(row["id"]), int(row["number"]))
    if written is None:
        return None
    record_any: Any = record
    record_any.id, record_any.number = written
    make_transient_to_detached(record)
    return record


# SQLite: a kind's first record creates its counter (an upsert; next_number's first try would find no row).
_BUMP_SQLITE = (
    "INSERT INTO projectcounter (project_id, kind, last) VALUES (:p, :k, 1) "
    "ON CONFLICT (project_id, kind) DO UPDATE SET last = last + 1 RETURNING last"
)


async def _numbered_sqlite(
    connection: AsyncConnection,
    model: type[SQLModel],
    key: str,
    kind: str,
    values: dict[str, Any],
    entry: dict[str, Any] | None,
    audit: dict[str, Any] | None,
) -> tuple[int, int] | None:
    """Claim, number, record, search row, audit row: one trip to aiosqlite's thread; (id, number)."""
    dialect = connection.dialect
    claimed_at = _processor(projects.CLAIMED_AT.type, dialect)(utcnow())
    row = prepared_insert(model.__table__, (*values, "number"), dialect, returning_id=True)  # type: ignore[attr-defined]
    index = (
        prepared_insert(search.SEARCH_ENTRY, (*entry, "record_id"), dialect, returning_id=False)
        if entry
        else None
    )
    audit_keys = (*(k for k in audit or () if k != "record_ref"), "record_ref")
    log = prepared_insert(AuditLog.__table__, audit_keys, dialect, returning_id=False) if audit else None  # type: ignore[attr-defined]

    def write(conn: sqlite3.Connection) -> tuple[int, int] | None:
        if conn.execute(projects.CLAIM_SQL, {"key": key, "created_at": claimed_at}).rowcount != 1:
            return None  # claimed already: a retry
        number = int(conn.execute(_BUMP_SQLITE, {"p": values["project_id"], "k": kind}).fetchone()[0])
        record_id = int(conn.execute(row.sql, row.params({**values, "number": number})).fetchone()[0])
        if index is not None and entry is not None:
            conn.execute(index.sql, index.params({**entry, "record_id": record_id}))
        if log is not None and audit is not None:
            conn.execute(log.sql, log.params({**audit, "record_ref": f"{kind}-{number}"}))
        return record_id, number

    return await in_one_trip(connection, write, last=True)


def _processor(type_: Any, dialect: Any) -> Callable[[Any], Any]:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else (lambda value: value)


@functools.cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    mapper: Any = inspect(model)
    return tuple(c.key for c in mapper.column_attrs if c.key != "id")


@functools.lru_cache(maxsize=64)
def _numbered_statement(
    model: type[SQLModel], indexed: bool, audit_keys: tuple[str, ...], dialect: Any
) -> Compiled:
    """PostgreSQL, one statement, built and compiled once per shape: WITH claim (the request), bump (the kind's
    counter, created by its first record, only when the claim wrote its row), r (the record, numbered by bump)
    [, s (its search row)][, a (its audit row, record_ref `<kind>-<number>`)] SELECT id, number FROM r. A
    claimed request writes nothing and selects no row."""
    table: Any = model.__table__  # type: ignore[attr-defined]
    names = [c for c in _columns(model) if c != "number"]
    binds = [bindparam("key", type_=String()), projects.CLAIMED_AT, bindparam("p", type_=Integer()),
             bindparam("k", type_=String())]  # fmt: skip
    binds += [bindparam(f"r_{name}", type_=table.c[name].type) for name in names]
    sql = [
        f"WITH claim AS ({projects.CLAIM_SQL} RETURNING 1), "
        "bump AS (INSERT INTO projectcounter (project_id, kind, last) SELECT :p, :k, 1 "
        "WHERE EXISTS (SELECT 1 FROM claim) "
        "ON CONFLICT (project_id, kind) DO UPDATE SET last = projectcounter.last + 1 RETURNING last), "
        f"r AS (INSERT INTO {table.name} ({', '.join(names)}, number) "
        f"SELECT {', '.join(f':r_{name}' for name in names)}, bump.last FROM bump RETURNING id, number)"
    ]
    if indexed:
        e = search.SEARCH_ENTRY.c
        binds += [bindparam("s_kind", type_=e.kind.type), bindparam("s_project_id", type_=e.project_id.type),
                  bindparam("s_doc", type_=e.doc.type)]  # fmt: skip
        sql.append(
            ", s AS (INSERT INTO search_entry (kind, record_id, project_id, doc) "
            "SELECT :s_kind, r.id, :s_project_id, :s_doc FROM r)"
        )
    if audit_keys:
        log: Any = AuditLog.__table__  # type: ignore[attr-defined]
        keys = [k for k in audit_keys if k != "record_ref"]
        binds += [bindparam(f"a_{k}", type_=log.c[k].type) for k in keys]
        sql.append(
            f", a AS (INSERT INTO auditlog ({', '.join(keys)}, record_ref) "
            f"SELECT {', '.join(f':a_{k}' for k in keys)}, :k || '-' || r.number FROM r)"
        )
    sql.append(" SELECT r.id, r.number FROM r")
    return compiled(text("".join(sql)).bindparams(*binds), dialect)


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
