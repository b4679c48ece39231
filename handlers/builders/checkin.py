"""Check-in messages and the answer modal, as pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.i18n import t
from bot.mrkdwn import bold, escape, mention, truncate
from handlers import ids
from handlers.builders.common import Block, context, form, header, section
from handlers.metadata import encode
from storage.models import CheckinAnswer

PROGRESS, DONE, NEXT, BLOCKERS, CONFIDENCE = "progress", "done", "next", "blockers", "confidence"


def build_prompt(
    *, project: str, question: str, deadline: str, occurrence_id: int, lang: str, answered: bool = False
) -> tuple[str, list[Block]]:
    body = t(
        "checkin.prompt", lang, project=bold(escape(project)), question=escape(question), deadline=deadline
    )
    button = {
        "type": "button",
        "action_id": ids.CHECKIN_OPEN,
        "text": {
            "type": "plain_text",
            "text": t("checkin.edit_button" if answered else "checkin.answer_button", lang),
        },
        "value": str(occurrence_id),
    }
    if not answered:
        button["style"] = "primary"
    blocks: list[Block] = [
        section(f":clipboard: {body}"),
        {"type": "actions", "block_id": "checkin_actions", "elements": [button]},
    ]
    return t("checkin.prompt_fallback", lang, project=escape(project)), blocks


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = True) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
    }


def _text(initial: str, *, multiline: bool = True) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": 3000}
    if initial:
        element["initial_value"] = initial
    return element


def question_block(n: int) -> str:
    """The block (and action) id of a check-in's own question n (0-based) in the answer form."""
    return f"q{n}"


def build_answer_modal(
    *,
    occurrence_id: int,
    project: str,
    question: str,
    lang: str,
    answer: CheckinAnswer | None,
    questions: Sequence[str] = (),
    progress: bool = True,
) -> dict[str, Any]:
    """The answer form: progress (unless the check-in is without it), then its own questions or the usual ones."""
    options = [
        {"text": {"type": "plain_text", "text": t(f"checkin.confidence.{c}", lang)}, "value": c}
        for c in ("high", "medium", "low")
    ]
    confidence: dict[str, Any] = {"type": "static_select", "options": options}
    if answer is not None and answer.confidence:
        confidence["initial_option"] = next(o for o in options if o["value"] == answer.confidence)
    percent = _text(
        "" if answer is None or answer.progress is None else str(answer.progress), multiline=False
    )
    percent["max_length"] = 4
    blocks: list[Block] = [context(f"*{escape(project)}* · {escape(question)}")]
    if progress:
        blocks.append(_input(PROGRESS, t("checkin.field.progress", lang), percent))
    if questions:
        given = {a.get("question", ""): a.get("answer", "") for a in (answer.answers if answer else [])}
        blocks += [_input(question_block(n), q, _text(given.get(q, ""))) for n, q in enumerate(questions)]
    else:
        blocks += [
            _input(DONE, t("checkin.field.done", lang), _text(answer.done if answer else "")),
            _input(NEXT, t("checkin.field.next", lang), _text(answer.next if answer else "")),
            _input(BLOCKERS, t("checkin.field.blockers", lang), _text(answer.blockers if answer else "")),
            _input(CONFIDENCE, t("checkin.field.confidence", lang), confidence),
        ]
    return form(
        {
            "type": "modal",
            "callback_id": ids.CHECKIN_MODAL,
            "private_metadata": encode(occurrence=occurrence_id),
            "title": {"type": "plain_text", "text": truncate(t("checkin.title", lang), 24)},
            "submit": {"type": "plain_text", "text": t("checkin.submit", lang)},
            "close": {"type": "plain_text", "text": t("checkin.cancel", lang)},
            "notify_on_close": True,  # handlers/views/closed.py
            "blocks": blocks,
        },
        lang,
    )


def build_summary(*, project: str, answers: Sequence[CheckinAnswer], lang: str) -> tuple[str, list[Block]]:
    """Who reported what, and who did not answer (named, so the team can follow up)."""
    done = [a for a in answers if a.answered_at is not None]
    missing = [a.user_id for a in answers if a.answered_at is None]
    blocks: list[Block] = [header(t("checkin.summary_title", lang, project=project))]
    progress = [a.progress for a in done if a.progress is not None and not a.by_client]  # the team's own
    if progress:
        blocks.append(context(t("checkin.summary_average", lang, pct=round(sum(progress) / len(progress)))))
    if not done:
        blocks.append(section(t("checkin.summary_none", lang)))
    for answer in done[:40]:
        lines = [
            f"{mention(answer.user_id)}" + (f" · *{answer.progress}%*" if answer.progress is not None else "")
        ]
        if answer.confidence:
            lines[0] += (
                f" · {t('checkin.field.confidence', lang)}: {t(f'checkin.confidence.{answer.confidence}', lang)}"
            )
        for key, value in ((DONE, answer.done), (NEXT, answer.next), (BLOCKERS, answer.blockers)):
            if value.strip():
                lines.append(f"*{t(f'checkin.field.{key}', lang)}:* {escape(value)}")
        for given in answer.answers:  # a check-in's own questions, each with this person's answer
            if given.get("answer", "").strip():
                lines.append(f"*{escape(given.get('question', ''))}* {escape(given['answer'])}")
        block = section("\n".join(lines))
        if answer.blockers.strip() and answer.id is not None:  # the issue log takes it from here
            block["accessory"] = {
                "type": "button",
                "action_id": ids.ISSUE_FROM_BLOCKER,
                "text": {"type": "plain_text", "text": t("issue.from_blocker", lang)},
                "value": str(answer.id),
            }
        blocks.append(block)
    if missing:
        blocks.append(
            context(t("checkin.summary_missing", lang, people=", ".join(mention(u) for u in missing)))
        )
    return t("checkin.summary_fallback", lang, project=escape(project)), blocks
