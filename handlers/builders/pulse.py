"""Satisfaction pulses: the question in the client channel (scores only, never anyone's answer), the comment
form, and the results and alerts the team reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.digest import Digest
from bot.i18n import t
from bot.mrkdwn import bold, date_time, escape, mention, truncate
from bot.timeexpr import render_instant
from handlers import ids
from handlers.builders.common import Block, context, form, header, section
from handlers.metadata import encode
from storage.models import PulseAnswer

SCORES = (1, 2, 3, 4, 5)
MAX_COMMENTS = 20


def question_text(question: str, lang: str) -> str:
    return question or t("pulse.default_question", lang)


def build_pulse_message(
    *, pulse_id: int, question: str, lang: str, closes_at: datetime, closed_at: datetime | None = None
) -> tuple[str, list[Block]]:
    """The question with five score buttons and a comment button; once closed, the question and a note."""
    asked = question_text(question, lang)
    blocks: list[Block] = [section(f":bar_chart: {bold(escape(t('pulse.title', lang)))}\n{escape(asked)}")]
    if closed_at is not None:
        blocks.append(context(t("pulse.closed_note", lang, closed=date_time(closed_at))))
        return f"{t('pulse.title', lang)}: {asked}", blocks
    buttons: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": f"{ids.PULSE_SCORE}{score}",
            "text": {"type": "plain_text", "text": str(score)},
            "value": f"{pulse_id}:{score}",
        }
        for score in SCORES
    ]
    buttons.append(
        {
            "type": "button",
            "action_id": ids.PULSE_COMMENT,
            "text": {"type": "plain_text", "text": t("pulse.comment_button", lang)},
            "value": str(pulse_id),
        }
    )
    blocks.append({"type": "actions", "block_id": ids.PULSE_BUTTONS, "elements": buttons})
    blocks.append(context(t("pulse.scale", lang, closes=date_time(closes_at))))
    return f"{t('pulse.title', lang)}: {asked}", blocks


def build_comment_modal(
    *, pulse_id: int, lang: str, channel_id: str, score: int | None, comment: str
) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": str(s)}, "value": str(s)} for s in SCORES]
    select: dict[str, Any] = {"type": "static_select", "action_id": ids.PULSE_MODAL_SCORE, "options": options}
    if score is not None:
        select["initial_option"] = options[score - 1]
    text_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.PULSE_MODAL_COMMENT,
        "multiline": True,
        "max_length": 3000,
    }
    if comment:
        text_input["initial_value"] = comment
    view = {
        "type": "modal",
        "callback_id": ids.PULSE_MODAL,
        "private_metadata": encode(pulse=pulse_id, c=channel_id, lang=lang),
        "title": {"type": "plain_text", "text": t("pulse.modal_title", lang)[:24]},
        "submit": {"type": "plain_text", "text": t("pulse.modal_submit", lang)[:24]},
        "blocks": [
            {
                "type": "input",
                "block_id": ids.PULSE_MODAL_SCORE,
                "optional": score is not None,
                "label": {"type": "plain_text", "text": t("pulse.modal_score", lang)},
                "element": select,
            },
            {
                "type": "input",
                "block_id": ids.PULSE_MODAL_COMMENT,
                "label": {"type": "plain_text", "text": t("pulse.modal_comment", lang)},
                "element": text_input,
            },
        ],
    }
    return form(view, lang)


def trend_text(trend: list[float]) -> str:
    """ "4.2 ← 3.8 ← 4.0": newest first."""
    return " ← ".join(f"{v:.1f}" for v in trend)


def summary_text(answers: list[PulseAnswer], average: float | None, lang: str) -> str:
    if average is None:
        return t("pulse.no_answers", lang)
    return t("pulse.summary", lang, average=bold(f"{average:.1f}"), count=len(answers))


def build_results(
    *,
    answers: list[PulseAnswer],
    average: float | None,
    trend: list[float],
    question: str,
    lang: str,
    tz: str,
    closes_at: datetime,
    closed: bool,
) -> tuple[str, list[Block]]:
    """For the team only: average, answers, trend and comments (with who said them)."""
    title = (
        t("pulse.results_title", lang)
        if closed
        else t("pulse.results_open_title", lang, closes=render_instant(closes_at, tz, lang))
    )
    summary = summary_text(answers, average, lang)
    blocks: list[Block] = [header(title), section(f"{escape(question_text(question, lang))}\n{summary}")]
    if trend:
        blocks.append(context(t("pulse.trend", lang, trend=trend_text(trend))))
    commented = [a for a in answers if a.comment.strip()][:MAX_COMMENTS]
    if commented:
        lines = [
            f"> {escape(truncate(' '.join(a.comment.split()), 300))} — {mention(a.user_id)} ({a.score}/5)"
            for a in commented
        ]
        blocks.append(section(bold(escape(t("pulse.comments", lang))) + "\n" + "\n".join(lines)))
    text = f"{title}: {summary}"
    return text, blocks


def build_alert(*, lead: str, who: str, score: int, comment: str, lang: str) -> str:
    # the comment quoted on a line of its own (Slack quotes only from a line's start), folded to one line
    said = f"\n> {escape(truncate(' '.join(comment.split()), 300))}" if comment.strip() else ""
    return t("pulse.alert", lang, lead=mention(lead), who=mention(who), score=score, comment=said)


def build_pulse_trend_section(digest: Digest) -> list[Block]:
    """The internal digest's satisfaction line; a client view never has a trend to show."""
    if digest.client_view or not digest.pulse_trend:
        return []
    return [context(t("pulse.digest_trend", digest.lang, trend=trend_text(list(digest.pulse_trend))))]
