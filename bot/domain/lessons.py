"""Lessons learned (L-n): `/lesson add|list|edit|delete`, and the answers of the closing form.

A lesson is `went-well`, `to-improve` or, when nobody said, `general`; internal unless marked `[client]`.
The closing form's answers are lessons too (`source="form"`), attributed to whoever answered, internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import closing, records
from bot.domain.records import (
    Actor,
    Pending,
    check_length,
    claim,
    flagged_visibility,
    load,
    log_change,
    number_for,
    ref_of,
    require_writable,
)
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.policy import Action, Visibility, visible
from storage.models import Lesson, Project
from storage.repo import lessons as repo
from storage.repo import projects

PREFIX = "L"
MAX_TEXT = 3000
MAX_FORM_LESSONS = 20  # lines kept from one box of the closing form
ADD_EXAMPLE = "cmd.lesson.add.example"
LIST_EXAMPLE = "cmd.lesson.list.example"
EDIT_EXAMPLE = "cmd.lesson.edit.example"
DELETE_EXAMPLE = "cmd.lesson.delete.example"
UNDO_WINDOW = records.UNDO_WINDOW


class LessonKind(StrEnum):
    WENT_WELL = "went-well"
    TO_IMPROVE = "to-improve"
    GENERAL = "general"


KIND_FLAGS = {
    "went-well": LessonKind.WENT_WELL,
    "做得好": LessonKind.WENT_WELL,
    "经验": LessonKind.WENT_WELL,
    "to-improve": LessonKind.TO_IMPROVE,
    "待改进": LessonKind.TO_IMPROVE,
    "教训": LessonKind.TO_IMPROVE,
}
ORDER = (LessonKind.WENT_WELL, LessonKind.TO_IMPROVE, LessonKind.GENERAL)  # how lists group them


@dataclass(frozen=True)
class LessonDraft:
    text: str
    kind: LessonKind
    visibility: Visibility


@dataclass(frozen=True)
class LessonEdit:
    ref: str
    text: str | None  # None: keep
    kind: LessonKind | None
    visibility: Visibility | None


def _kind(flags: set[str], *, example: str) -> LessonKind | None:
    kinds = {KIND_FLAGS[f] for f in flags if f in KIND_FLAGS}
    if len(kinds) > 1:
        raise UsageError("lesson.both_kinds", example)
    return kinds.pop() if kinds else None


def _text(text: str, *, example: str) -> str:
    clean = text.strip()  # as typed (issue 15)
    return check_length(clean, MAX_TEXT, key="lesson.too_long", example=example)


def read_new(parsed: ParsedCommand) -> LessonDraft:
    """`/lesson add <text> [went-well|to-improve] [client]`."""
    text = _text(parsed.text, example=ADD_EXAMPLE)
    if not text:
        raise UsageError("lesson.empty", ADD_EXAMPLE)
    return LessonDraft(
        text=text,
        kind=_kind(parsed.flags, example=ADD_EXAMPLE) or LessonKind.GENERAL,
        visibility=flagged_visibility(parsed.flags, example=ADD_EXAMPLE) or Visibility.INTERNAL,
    )


def read_edit(parsed: ParsedCommand) -> LessonEdit:
    """`/lesson edit L-2 <new text> [went-well|to-improve] [client|internal]`: at least one of them."""
    if not parsed.text.strip():
        raise UsageError("lesson.missing_ref", EDIT_EXAMPLE)
    ref, rest = records.split_ref(parsed.text, example=EDIT_EXAMPLE, prefix=PREFIX)
    text = _text(rest, example=EDIT_EXAMPLE)
    kind = _kind(parsed.flags, example=EDIT_EXAMPLE)
    visibility = flagged_visibility(parsed.flags, example=EDIT_EXAMPLE)
    if not text and kind is None and visibility is None:
        raise UsageError("lesson.edit_empty", EDIT_EXAMPLE, ref=ref.upper())
    return LessonEdit(ref=ref, text=text or None, kind=kind, visibility=visibility)


def read_delete(parsed: ParsedCommand) -> str:
    """`L-2` and nothing else."""
    ref, rest = [*parsed.text.split(maxsplit=1), "", ""][:2]
    if not ref:
        raise UsageError("lesson.missing_ref", DELETE_EXAMPLE)
    if rest.strip():
        raise UsageError("lesson.delete_extra", DELETE_EXAMPLE, text=rest.strip()[:80])
    return ref


async def _insert(session: AsyncSession, actor: Actor, draft: LessonDraft, *, source: str) -> Lesson:
    lesson = await repo.create_lesson(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Lesson, actor.project_id),
        visibility=draft.visibility.value,
        text=draft.text,
        kind=draft.kind.value,
        source=source,
        created_by=actor.viewer.user_id,
    )
    changes = {"text": lesson.text, "kind": lesson.kind, "visibility": lesson.visibility, "source": source}
    await log_change(session, actor, "lesson.create", lesson, changes)
    return lesson


async def add_lesson(
    session: AsyncSession, actor: Actor, draft: LessonDraft, *, request_key: str | None
) -> Lesson | None:
    """`/lesson add`: None when the same request was already handled."""
    require_writable(actor, Pending(draft.visibility.value), action=Action.CREATE, example=ADD_EXAMPLE)
    if not await claim(session, request_key):
        return None
    return await _insert(session, actor, draft, source="command")


async def list_lessons(session: AsyncSession, actor: Actor) -> list[Lesson]:
    """The lessons the actor may see here: went well, then to improve, then the rest; oldest first in each."""
    shown = visible(actor.viewer, actor.place, await repo.list_lessons(session, project_id=actor.project_id))
    rank = {kind.value: i for i, kind in enumerate(ORDER)}
    return sorted(shown, key=lambda lesson: (rank.get(lesson.kind, len(ORDER)), lesson.number))


async def edit_lesson(session: AsyncSession, actor: Actor, edit: LessonEdit) -> tuple[Lesson, bool]:
    """Change a lesson's text, kind and/or visibility; False when it already read exactly so."""
    lesson = await load(session, Lesson, actor, edit.ref, action=Action.UPDATE, example=EDIT_EXAMPLE)
    wanted = {
        "text": edit.text if edit.text is not None else lesson.text,
        "kind": (edit.kind or LessonKind(lesson.kind)).value,
        "visibility": (edit.visibility or Visibility(lesson.visibility)).value,
    }
    require_writable(actor, Pending(wanted["visibility"]), action=Action.UPDATE, example=EDIT_EXAMPLE)
    delta = records.delta(lesson, wanted)
    if not delta:
        return lesson, False
    await repo.update_lesson(session, lesson=lesson, changes=wanted)
    await log_change(session, actor, "lesson.edit", lesson, delta)
    return lesson, True


async def delete_lesson(session: AsyncSession, actor: Actor, ref: str, *, now: datetime) -> Lesson:
    """Soft-delete one lesson; undoable for `UNDO_WINDOW`."""
    lesson = await load(session, Lesson, actor, ref, action=Action.UPDATE, example=DELETE_EXAMPLE)
    await repo.delete_lesson(session, lesson=lesson, at=now)
    await log_change(session, actor, "lesson.delete", lesson, {"text": lesson.text})
    return lesson


async def undo_delete(session: AsyncSession, actor: Actor, lesson_id: int, *, now: datetime) -> Lesson:
    project = await projects.get_project(session, project_id=actor.project_id)
    closing.refuse_if_archived(project, actor.viewer)
    return await records.undo_delete(session, Lesson, actor, lesson_id, now=now, example=DELETE_EXAMPLE)


# ---- the closing form ----------------------------------------------------------------------------------


def form_lines(text: str) -> list[str]:
    """One lesson per non-empty line of a form box (bullets and numbering people type are kept as typed)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line[:MAX_TEXT] for line in lines if line][:MAX_FORM_LESSONS]


async def form_project(session: AsyncSession, *, project_id: int, workspace_id: int) -> Project:
    """The project a closing form names, if it is of the workspace the answer comes from."""
    project = await projects.get_project(session, project_id=project_id)
    if project is None or project.workspace_id != workspace_id:
        raise UsageError("refs.gone")
    return project


async def add_form_answers(
    session: AsyncSession,
    actor: Actor,
    *,
    went_well: str,
    to_improve: str,
    request_key: str | None,
) -> list[Lesson]:
    """The closing form's answers as lessons (internal), attributed to the actor: each line one lesson.

    Answering again adds more. Only the project's own people answer it; an archived project takes none.
    """
    if actor.viewer.is_external:
        raise UsageError("lesson.form.not_team")
    project = await projects.get_project(session, project_id=actor.project_id)
    closing.refuse_if_archived(project, actor.viewer)
    drafts = [LessonDraft(t, LessonKind.WENT_WELL, Visibility.INTERNAL) for t in form_lines(went_well)]
    drafts += [LessonDraft(t, LessonKind.TO_IMPROVE, Visibility.INTERNAL) for t in form_lines(to_improve)]
    if not drafts:
        raise UsageError("lesson.form.need_one")
    if not await claim(session, request_key):
        return []
    return [await _insert(session, actor, draft, source="form") for draft in drafts]


def refs_of(lessons: list[Lesson]) -> str:
    return ", ".join(ref_of(lesson) for lesson in lessons)
