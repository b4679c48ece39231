"""Loading and changing records the same way for every kind: by reference, through the access policy.

A record the viewer may not see is reported exactly like a missing one, so errors leak nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import when
from bot.domain.kinds import BY_MODEL, BY_PREFIX
from bot.domain.refs import format_ref, parse_ref
from bot.domain.when import DateOrder
from bot.errors import Refusal, UsageError
from bot.grammar import ParsedCommand
from bot.i18n import MESSAGES
from bot.policy import Action, Place, Viewer, Visibility, may
from storage.repo import audit, projects, records

T = TypeVar("T", bound=SQLModel)

PREFIX: dict[type[SQLModel], str] = {model: kind.prefix for model, kind in BY_MODEL.items()}


@dataclass(frozen=True)
class Actor:
    """Who is acting and where: everything the policy needs."""

    viewer: Viewer
    place: Place
    project_id: int
    workspace_id: int


def ref_of(record: Any) -> str:
    return format_ref(PREFIX[type(record)], int(record.number))


def flagged_visibility(flags: set[str], *, example: str) -> Visibility | None:
    """`[client]` / `[internal]` as written, or None when not said; both at once is a mistake."""
    if {"client", "internal"} <= flags:
        raise UsageError("refs.both_flags", example)
    if "client" in flags:
        return Visibility.CLIENT
    if "internal" in flags:
        return Visibility.INTERNAL
    return None


def visibility_from(
    flags: set[str], *, example: str, default: Visibility = Visibility.INTERNAL
) -> Visibility:
    return flagged_visibility(flags, example=example) or default


def refusal(viewer: Viewer) -> Refusal:
    """The policy's no, said to whom it concerns. The team is refused only where the client reads (there it
    keeps to what a client may do), so it is told where to go instead of "this is for the team"."""
    return Refusal("policy.denied" if viewer.is_external else "policy.denied_shared")


def require(actor: Actor, action: Action, example: str) -> None:
    """Refuse an action the policy forbids, before anything is read or written (`example` serves the other
    mistakes of the same command; a refusal never repeats the refused command)."""
    if not may(actor.viewer, actor.place, action):
        raise refusal(actor.viewer)


async def load(
    session: AsyncSession, model: type[T], actor: Actor, text: str, *, action: Action, example: str
) -> T:
    """The record `text` refers to, if it exists in this project and the actor may do `action` on it."""
    ref = parse_ref(text, PREFIX[model], example=example)
    record = await records.get_by_number(session, model, project_id=actor.project_id, number=ref.number)
    if record is None or not may(actor.viewer, actor.place, Action.READ, record):  # type: ignore[arg-type]
        raise UsageError("refs.not_found", example, ref=str(ref))
    if not may(actor.viewer, actor.place, action, record):  # type: ignore[arg-type]
        raise refusal(actor.viewer)
    return record


async def number_for(session: AsyncSession, model: type[SQLModel], project_id: int) -> int:
    return await records.next_number(session, project_id=project_id, kind=PREFIX[model])


async def log_change(
    session: AsyncSession,
    actor: Actor,
    action: str,
    record: Any,
    changes: dict[str, Any] | None = None,
    *,
    ref: str | None = None,
) -> None:
    """Append to the audit log, in the same transaction as the change (`ref` names a subject that is not
    one record, such as a requirements baseline)."""
    await audit.append(session, change_entry(actor, action, ref or ref_of(record), changes))


def change_entry(
    actor: Actor, action: str, ref: str | None, changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The audit row of a change, for `log_change` or for a new record's insert to carry
    (`records.insert_numbered`, which gives it the new record's ref)."""
    return audit.entry(
        workspace_id=actor.workspace_id,
        project_id=actor.project_id,
        actor_user_id=actor.viewer.user_id,
        actor_team_id=actor.viewer.team_id,
        action=action,
        record_ref=ref,
        changes=_jsonable(changes or {}),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # dates, enums


# ---- reading what people typed: the same checks and answers for every kind --------------------------------

MAX_TITLE = 300
NONE_WORDS = frozenset({"none", "-", "—", "无", "没有", "清除"})


def check_text(text: str, *, what: str, limit: int, example: str | None) -> str:
    """Refuse text longer than its column holds, naming the field (`record.too_long.<what>`)."""
    if len(text) > limit:
        raise UsageError(f"record.too_long.{what}", example, limit=limit)
    return text


def read_title(text: str, *, example: str | None, missing: str, limit: int = MAX_TITLE) -> str:
    """A title as typed, its ends trimmed (issue 15: verbatim); `missing` is the kind's own "give it a title"
    message."""
    title = text.strip()
    if not title:
        raise UsageError(missing, example)
    return check_text(title, what="title", limit=limit, example=example)


def split_ref(text: str, *, example: str, prefix: str) -> tuple[str, str]:
    """`R-7 the rest` → ("R-7", "the rest"); a missing or malformed reference is a UsageError."""
    head, _, rest = text.strip().partition(" ")
    if not head:
        # A kind may name itself ("say which change request").
        worded = f"record.need_ref.{BY_PREFIX[prefix].name}"
        raise UsageError(worded if worded in MESSAGES else "record.need_ref", example, prefix=prefix)
    parse_ref(head, prefix, example=example)
    return head, rest.strip()


def read_ref_only(parsed: ParsedCommand, *, example: str, prefix: str) -> str:
    """A command that takes a reference and nothing else (`/risk reopen R-7`)."""
    ref, rest = split_ref(parsed.text, example=example, prefix=prefix)
    if rest:
        raise UsageError("grammar.unexpected_text", example, text=rest[:80])
    return ref


async def read_due(
    text: str,
    *,
    now: datetime,
    tz: str,
    example: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> date | None:
    """A due date in words, in the project's zone; `none` clears it. Errors carry the command's example."""
    if text.strip().lower() in NONE_WORDS:
        return None
    try:
        return await when.due_date(text, now=now, tz=tz, country=country, date_order=date_order)
    except UsageError as err:
        raise err.with_example(example) from None


# ---- writing: what every kind checks before it writes ----------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A record not written yet, as the policy sees it."""

    visibility: str
    owner_user_id: str | None = None


@contextmanager
def example_for(example: str) -> Iterator[None]:
    """Errors raised inside carry `example` (the command the user is actually typing)."""
    try:
        yield
    except UsageError as err:
        raise err.with_example(example) from None


def check_length(text: str, limit: int, *, key: str, example: str | None) -> str:
    if len(text) > limit:
        raise UsageError(key, example, length=len(text), limit=limit)
    return text


def require_writable(actor: Actor, record: Any, *, action: Action, example: str) -> None:
    """Ask the policy whether this record (as it would be after the change) may be written here."""
    if not may(actor.viewer, actor.place, action):
        raise refusal(actor.viewer)
    if not may(actor.viewer, actor.place, action, record):
        raise UsageError("minutes.internal_here", example)


async def load_by_id(
    session: AsyncSession, model: type[T], actor: Actor, record_id: int, *, action: Action, example: str
) -> T:
    """A record named by a button's value: same answers as `records.load` for missing or hidden ones."""
    record: Any = await session.get(model, record_id)
    if (
        record is None
        or record.project_id != actor.project_id
        or record.deleted_at is not None
        or not may(actor.viewer, actor.place, Action.READ, record)
    ):
        raise UsageError("refs.gone", example)
    if not may(actor.viewer, actor.place, action, record):
        raise refusal(actor.viewer)
    found: T = record
    return found


async def claim(session: AsyncSession, request_key: str | None) -> bool:
    """False when this request was already acted on (a retry): the caller then writes nothing."""
    if request_key is None:
        return True
    return await projects.claim_request(session, key=request_key)


UNDO_WINDOW = timedelta(minutes=10)  # how long a deleted record's Undo button works, for every kind


async def undo_delete(
    session: AsyncSession, model: type[T], actor: Actor, record_id: int, *, now: datetime, example: str
) -> T:
    """The Undo button under a deleted record: the same checks as deleting it, within `UNDO_WINDOW`.

    Logged as `<kind>.restore`; a kind with more to put back (minutes' decisions) does that itself after.
    """
    record: Any = await session.get(model, record_id)
    if record is None or record.project_id != actor.project_id:
        raise UsageError("refs.gone", example)
    ref = ref_of(record)
    if record.deleted_at is None:
        raise UsageError("record.not_deleted", None, ref=ref)
    require_writable(actor, record, action=Action.UPDATE, example=example)
    if now - record.deleted_at > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        raise UsageError("record.undo_too_late", example, ref=ref, minutes=minutes)
    await records.set_deleted(session, record, None)
    await log_change(session, actor, f"{BY_MODEL[model].name}.restore", record)
    restored: T = record
    return restored


def delta(record: Any, wanted: Mapping[str, Any]) -> dict[str, list[Any]]:
    """What an edit changes: `{field: [before, after]}` for each wanted value that differs (audit-log shape)."""
    return {k: [getattr(record, k), v] for k, v in wanted.items() if getattr(record, k) != v}
