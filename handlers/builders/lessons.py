"""Lesson replies (recorded, edited, deleted with Undo, restored, the list) and the closing DM and form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.records import ref_of
from bot.i18n import t
from bot.mrkdwn import bold, escape, mention, truncate
from handlers import ids
from handlers.builders.common import Block, Reply, context, form, section
from handlers.builders.minutes import MAX_LIST_ITEMS, more_block, tag
from handlers.metadata import encode
from storage.models import Lesson

FORM_TEXT_LIMIT = 3000  # plain_text_input max_length


def lesson_line(lesson: Lesson, lang: str, *, team_view: bool) -> str:
    line = f"{bold(ref_of(lesson))} {escape(truncate(lesson.text, 2800))}"
    line += tag(lesson.visibility, lang, team_view=team_view)
    if team_view:  # who gave it is the team's own business
        line += " · " + t("lesson.by", lang, user=mention(lesson.created_by))
    return line


def _one(key: str, lesson: Lesson, lang: str, *, team_view: bool) -> Reply:
    title = t(key, lang)
    kind = t(f"lesson.kind.{lesson.kind}", lang)
    body = f"{title} _{kind}_\n{lesson_line(lesson, lang, team_view=team_view)}"
    return Reply(text=f"{title} {ref_of(lesson)}", blocks=[section(body)])


def build_lesson_created(lesson: Lesson, lang: str, *, team_view: bool) -> Reply:
    return _one("lesson.created", lesson, lang, team_view=team_view)


def build_lesson_updated(lesson: Lesson, lang: str, *, team_view: bool) -> Reply:
    return _one("lesson.updated", lesson, lang, team_view=team_view)


def build_lesson_deleted(lesson: Lesson, lang: str, *, undo_minutes: int) -> Reply:
    text = t("lesson.deleted", lang, ref=bold(ref_of(lesson)), minutes=undo_minutes)
    button: dict[str, Any] = {
        "type": "button",
        "action_id": ids.LESSON_UNDO_DELETE,
        "text": {"type": "plain_text", "text": t("record.button.undo", lang)},
        "value": str(lesson.id),
    }
    line = escape(truncate(lesson.text, 2800))
    return Reply(text=text, blocks=[section(f"{text}\n{line}"), {"type": "actions", "elements": [button]}])


def build_lesson_restored(lesson: Lesson, lang: str, *, team_view: bool) -> Reply:
    text = t("record.restored", lang, ref=bold(ref_of(lesson)))
    return Reply(text=text, blocks=[section(f"{text}\n{lesson_line(lesson, lang, team_view=team_view)}")])


def build_lesson_list(lessons: Sequence[Lesson], lang: str, *, team_view: bool) -> Reply:
    """`lessons` are already filtered by the policy (and ordered: went well, to improve, the rest)."""
    if not lessons:
        text = t("lesson.list.empty", lang)
        return Reply(text=text, blocks=[section(text)])
    title = t("lesson.list.title", lang, count=len(lessons))
    blocks: list[Block] = [section(bold(title))]
    heading: str | None = None
    for lesson in lessons[:MAX_LIST_ITEMS]:
        if lesson.kind != heading:
            heading = lesson.kind
            blocks.append(context(bold(t(f"lesson.kind.{lesson.kind}", lang))))
        blocks.append(section(lesson_line(lesson, lang, team_view=team_view)))
    if len(lessons) > MAX_LIST_ITEMS:
        blocks.append(more_block(len(lessons) - MAX_LIST_ITEMS, lang))
    return Reply(text=title, blocks=blocks)


# ---- the closing form ------------------------------------------------------------------------------------


def build_form_dm(*, project: str, project_id: int, lang: str) -> tuple[str, list[Block]]:
    """The DM each team member gets when closing starts: why, and the button that opens the form."""
    text = t("lesson.form.dm", lang, project=bold(escape(project)))
    button: dict[str, Any] = {
        "type": "button",
        "action_id": ids.LESSON_FORM_OPEN,
        "style": "primary",
        "text": {"type": "plain_text", "text": t("lesson.form.button", lang)},
        "value": str(project_id),
    }
    return text, [section(text), {"type": "actions", "elements": [button]}]


def _input(block_id: str, label: str) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": block_id,
            "multiline": True,
            "max_length": FORM_TEXT_LIMIT,
        },
    }


def build_form_modal(*, project: str, project_id: int, channel_id: str, lang: str) -> dict[str, Any]:
    """What went well, what to improve: two multiline boxes, one lesson per line."""
    return form(
        {
            "type": "modal",
            "callback_id": ids.LESSON_MODAL,
            "private_metadata": encode(project=project_id, c=channel_id, lang=lang),
            "title": {"type": "plain_text", "text": truncate(t("lesson.form.title", lang), 24)},
            "submit": {"type": "plain_text", "text": t("lesson.form.submit", lang)},
            "close": {"type": "plain_text", "text": t("lesson.form.close", lang)},
            "blocks": [
                context(t("lesson.form.intro", lang, project=bold(escape(project)))),
                _input(ids.LESSON_WENT_WELL, t("lesson.form.went_well", lang)),
                _input(ids.LESSON_TO_IMPROVE, t("lesson.form.to_improve", lang)),
            ],
        },
        lang,
    )
