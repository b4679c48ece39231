"""`/lesson <text> [went-well|to-improve] [client]`, `/lesson add …`, `list`, `edit L-2 …`, `delete L-2`."""

from __future__ import annotations

from bot.commands import LESSON
from bot.domain import lessons as domain
from bot.domain.records import require
from bot.policy import Action
from handlers.builders.common import Reply
from handlers.builders.lessons import (
    build_lesson_created,
    build_lesson_deleted,
    build_lesson_list,
    build_lesson_updated,
)
from handlers.builders.minutes import notice
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand


@subcommand(LESSON, "add")
async def _add(call: CommandCall) -> Reply:
    require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = domain.read_new(call.parsed)
    async with call.svc.sessions.begin() as session:
        lesson = await domain.add_lesson(session, actor, draft, request_key=call.request_key)
    if lesson is None:
        return notice("minutes.duplicate", call.lang)
    return build_lesson_created(lesson, call.lang, team_view=call.team_view)


@subcommand(LESSON, "edit")
async def _edit(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.EDIT_EXAMPLE)
    edit = domain.read_edit(call.parsed)
    async with call.svc.sessions.begin() as session:
        lesson, changed = await domain.edit_lesson(session, actor, edit)
    if not changed:
        return notice("lesson.unchanged", call.lang, ref=edit.ref.upper())
    return build_lesson_updated(lesson, call.lang, team_view=call.team_view)


@subcommand(LESSON, "delete")
async def _delete(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DELETE_EXAMPLE)
    ref = domain.read_delete(call.parsed)
    async with call.svc.sessions.begin() as session:
        lesson = await domain.delete_lesson(session, actor, ref, now=call.svc.clock())
    return build_lesson_deleted(lesson, call.lang, undo_minutes=int(domain.UNDO_WINDOW.total_seconds() // 60))


@subcommand(LESSON, "list")
async def _list(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_lessons(session, actor)
    return build_lesson_list(found, call.lang, team_view=call.team_view)
