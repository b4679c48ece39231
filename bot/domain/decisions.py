"""Decisions: recorded on their own (`/decision …`) or as `decision:` lines of minutes.

This is the leaf of the minutes feature, so it also holds the checks that minutes and action items share:
reading a line's flags, length limits, and asking the policy whether a record may be written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import DECISION
from bot.domain import records
from bot.domain.records import (
    Actor,
    Pending,
    check_length,
    claim,
    example_for,
    flagged_visibility,
    load,
    log_change,
    number_for,
    ref_of,
    require_writable,
)
from bot.errors import UsageError
from bot.grammar import parse_line, plain_text
from bot.policy import Action, Visibility, visible
from storage.models import Decision, Minutes
from storage.repo import decisions as repo
from storage.repo import minutes as minutes_repo

T = TypeVar("T", bound=SQLModel)

MAX_TEXT = 3000
ADD_EXAMPLE = "cmd.decision.add.example"
LIST_EXAMPLE = "cmd.decision.list.example"
EDIT_EXAMPLE = "cmd.decision.edit.example"
DELETE_EXAMPLE = "cmd.decision.delete.example"
UNDO_WINDOW = records.UNDO_WINDOW

_FLAG = re.compile(r"[\[［【]\s*(?:client|internal|客户|内部)\s*[\]］】]", re.IGNORECASE)
# A flag with the spaces around it: one space where it was taken out, as the grammar does for options.
_FLAG_SPACED = re.compile(r"[ \t\u3000]*" + _FLAG.pattern + r"[ \t\u3000]*", re.IGNORECASE)


# ---- lines of minutes ----------------------------------------------------------------------------


def readable(raw: str) -> str:
    """A line's plain text without its flags: mentions and links become inert words, the spacing typed is
    kept (issue 15: verbatim) and only the ends are trimmed."""
    return plain_text(_FLAG_SPACED.sub(" ", raw)).strip()


# ---- decisions -------------------------------------------------------------------------------------


@dataclass
class DecisionDraft:
    text: str
    visibility: Visibility | None  # None: the minutes' visibility (or internal on its own)
    ref: int | None = None  # D-n being edited in the minutes form


def parse_decision(raw: str, *, example: str = ADD_EXAMPLE) -> DecisionDraft:
    """One decision from Slack-escaped text: `Go live on 1 March [client]`."""
    with example_for(example):
        parsed = parse_line(DECISION, DECISION.sub("add"), raw)
    text = readable(raw)
    if not text:
        raise UsageError("decision.empty", example)
    check_length(text, MAX_TEXT, key="decision.too_long", example=example)
    return DecisionDraft(text=text, visibility=flagged_visibility(parsed.flags, example=example))


async def insert_decision(
    session: AsyncSession,
    actor: Actor,
    draft: DecisionDraft,
    *,
    decided_on: date,
    minutes: Minutes | None = None,
) -> Decision:
    """Write one decision (checked already) and its audit entry."""
    default = Visibility(minutes.visibility) if minutes is not None else Visibility.INTERNAL
    decision = await repo.create_decision(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Decision, actor.project_id),
        visibility=(draft.visibility or default).value,
        text=draft.text,
        decided_on=decided_on,
        created_by=actor.viewer.user_id,
        minutes_id=minutes.id if minutes is not None else None,
    )
    changes: dict[str, Any] = {"text": decision.text, "visibility": decision.visibility}
    if minutes is not None:
        changes["minutes"] = ref_of(minutes)
    await log_change(session, actor, "decision.create", decision, changes)
    return decision


async def add_decision(
    session: AsyncSession, actor: Actor, draft: DecisionDraft, *, today: date, request_key: str | None
) -> Decision | None:
    """`/decision add`: None when the same request was already handled."""
    visibility = draft.visibility or Visibility.INTERNAL
    require_writable(actor, Pending(visibility.value), action=Action.CREATE, example=ADD_EXAMPLE)
    if not await claim(session, request_key):
        return None
    return await insert_decision(session, actor, DecisionDraft(draft.text, visibility), decided_on=today)


@dataclass
class DecisionList:
    decisions: list[Decision]  # only those the actor may see here
    minutes: Minutes | None  # when listing one set of minutes
    minutes_refs: dict[int, str]  # M-n of the minutes each came from, when the actor may see those too


async def list_decisions(session: AsyncSession, actor: Actor, text: str) -> DecisionList:
    """The decisions the actor may see here: all of the project's, or those of one set of minutes."""
    minutes: Minutes | None = None
    if text.strip():
        minutes = await load(session, Minutes, actor, text, action=Action.READ, example=LIST_EXAMPLE)
    rows = await repo.list_decisions(
        session, project_id=actor.project_id, minutes_id=minutes.id if minutes is not None else None
    )
    shown = visible(
        actor.viewer, actor.place, await minutes_repo.list_minutes(session, project_id=actor.project_id)
    )
    refs = {m.id: ref_of(m) for m in shown if m.id is not None}
    return DecisionList(
        decisions=visible(actor.viewer, actor.place, rows), minutes=minutes, minutes_refs=refs
    )


# ---- edit, delete, undo -------------------------------------------------------------------------------


@dataclass
class DecisionEdit:
    ref: str  # as typed: `D-2`
    text: str | None  # None: keep the text
    visibility: Visibility | None  # None: keep who may see it


def parse_edit(raw: str) -> DecisionEdit:
    """`D-2 Go live on 8 March [client]`: the reference, then new text and/or a flag."""
    with example_for(EDIT_EXAMPLE):
        parsed = parse_line(DECISION, DECISION.sub("edit"), raw)
    ref, rest = [*raw.split(maxsplit=1), "", ""][:2]
    if not ref or _FLAG.fullmatch(ref):
        raise UsageError("decision.missing_ref", EDIT_EXAMPLE)
    text = readable(rest)
    visibility = flagged_visibility(parsed.flags, example=EDIT_EXAMPLE)
    if not text and visibility is None:
        raise UsageError("decision.edit_empty", EDIT_EXAMPLE, ref=readable(ref))
    check_length(text, MAX_TEXT, key="decision.too_long", example=EDIT_EXAMPLE)
    return DecisionEdit(ref=ref, text=text or None, visibility=visibility)


async def _minutes_changed(session: AsyncSession, decision: Decision) -> None:
    """A decision of minutes is part of their content: confirmed minutes may now differ from what was agreed."""
    if decision.minutes_id is not None:
        from bot.domain.minutes import note_content_change  # minutes builds on this module

        await note_content_change(session, minutes_id=decision.minutes_id)


async def edit_decision(session: AsyncSession, actor: Actor, edit: DecisionEdit) -> tuple[Decision, bool]:
    """Change a decision's text and/or visibility; False when it already read exactly so (nothing written)."""
    decision = await load(session, Decision, actor, edit.ref, action=Action.UPDATE, example=EDIT_EXAMPLE)
    wanted = {
        "text": edit.text if edit.text is not None else decision.text,
        "visibility": (edit.visibility or Visibility(decision.visibility)).value,
    }
    require_writable(actor, Pending(wanted["visibility"]), action=Action.UPDATE, example=EDIT_EXAMPLE)
    delta = records.delta(decision, wanted)
    if not delta:
        return decision, False
    await repo.update_decision(session, decision=decision, changes=wanted)
    await log_change(session, actor, "decision.edit", decision, delta)
    await _minutes_changed(session, decision)
    return decision, True


def parse_delete(text: str) -> str:
    """`D-2` and nothing else: a stray word is more likely a mistake than part of the reference."""
    ref, rest = [*text.split(maxsplit=1), "", ""][:2]
    if not ref:
        raise UsageError("decision.missing_ref", DELETE_EXAMPLE)
    if rest.strip():
        raise UsageError("decision.delete_extra", DELETE_EXAMPLE, text=rest.strip()[:80])
    return ref


async def delete_decision(session: AsyncSession, actor: Actor, ref: str, *, now: datetime) -> Decision:
    """Soft-delete one decision; undoable for ten minutes."""
    decision = await load(session, Decision, actor, ref, action=Action.UPDATE, example=DELETE_EXAMPLE)
    changes: dict[str, Any] = {"text": decision.text}
    if decision.minutes_id is not None:
        minutes = await session.get(Minutes, decision.minutes_id)
        if minutes is not None:
            changes["minutes"] = ref_of(minutes)
    await repo.delete_decision(session, decision=decision, at=now)
    await log_change(session, actor, "decision.delete", decision, changes)
    await _minutes_changed(session, decision)
    return decision


async def undo_delete(session: AsyncSession, actor: Actor, decision_id: int, *, now: datetime) -> Decision:
    """The Undo button under a deleted decision; its minutes are marked changed again."""
    decision = await records.undo_delete(
        session, Decision, actor, decision_id, now=now, example=DELETE_EXAMPLE
    )
    await _minutes_changed(session, decision)
    return decision
