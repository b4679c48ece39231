"""PostgreSQL's hottest write, straight to asyncpg: one statement built and compiled by SQLAlchemy once, its
values made ready by SQLAlchemy's own bind processors, sent without an execution context of SQLAlchemy's.

When no transaction has begun on the connection yet (SQLAlchemy's asyncpg adapter sends BEGIN only with a
unit of work's first statement), the statement runs on its own: no BEGIN and no COMMIT, one round trip, and
a single statement is atomic. So it must be its unit of work's last write (`fetch_row` says it again).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import ClauseElement

from storage.db import is_disconnect


@dataclass(frozen=True)
class Compiled:
    """A statement as asyncpg takes it: its text ($1, $2, …) and, in that order, each value's name and bind
    processor, so what it writes reads back exactly as what SQLAlchemy writes."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        return [
            values[name] if process is None else process(values[name])
            for name, process in zip(self.names, self.processors, strict=True)
        ]


@functools.lru_cache(maxsize=64)
def compiled(statement: ClauseElement, dialect: Dialect) -> Compiled:
    """Built once per statement and engine."""
    done: Any = statement.compile(dialect=dialect)
    names = tuple(done.positiontup or ())
    processors = tuple(done.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
    return Compiled(sql=done.string, names=names, processors=processors)


async def fetch_row(connection: AsyncConnection, statement: Compiled, values: Mapping[str, Any]) -> Any:
    """The statement's first row (or None), on the transaction's connection: inside its transaction when one
    has begun, else on its own (committed when it returns). Call it for a unit of work's last write. A failure
    comes back as SQLAlchemy's error for it (IntegrityError, …); a lost connection is invalidated, as
    SQLAlchemy would, so the retry gets a fresh one."""
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    try:
        return await driver.fetchrow(statement.sql, *statement.args(values))
    except Exception as error:
        adapted: Any = raw.dbapi_connection
        failure: Exception = error
        try:  # SQLAlchemy's asyncpg adapter raises its DBAPI error for this one
            adapted._handle_exception(error)
        except Exception as translated:
            failure = translated
        # As SQLAlchemy judges its own statements (the dialect: a closed connection), then as retry_once does.
        gone = connection.dialect.is_disconnect(cast(Any, failure), adapted, None) or is_disconnect(error)
        if gone:
            await connection.invalidate()
        if failure is error:  # not the database's error: as it came
            raise
        raise DBAPIError.instance(
            statement.sql,
            None,
            failure,
            adapted.dbapi.Error,
            hide_parameters=True,
            connection_invalidated=gone,
        ) from error
