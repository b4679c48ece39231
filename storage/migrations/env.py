"""Alembic environment: uses the connection handed over by storage.migrate (never opens its own)."""

from alembic import context
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `liaison db upgrade` (storage.migrate.upgrade)")


def _compared(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate leaves alone what 0008 owns outside the models: the search index and its FTS5 tables."""
    return not (type_ == "table" and name is not None and name.startswith(("search_entry", "search_fts")))


context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=_compared,
)
with context.begin_transaction():
    context.run_migrations()
