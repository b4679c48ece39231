"""The team's preview of a client post, what it says once decided, the note on top and its form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import review
from bot.i18n import t
from bot.mrkdwn import channel as channel_link
from bot.mrkdwn import date_time, escape, mention
from handlers import ids
from handlers.builders.common import Block, context, divider, form, section
from handlers.metadata import encode

MAX_BLOCKS = 50  # Slack's cap on a message's blocks
FRAME = 7  # the preview's own blocks around the client's: head, context, two dividers, note by, actions, "…"


def note_block(note: str, lang: str) -> Block:
    return section(t("review.note_block", lang, note=escape(note)))


def with_note(note: str | None, lang: str, text: str, blocks: list[Block]) -> tuple[str, list[Block]]:
    """The client's message with the PM's line on top (escaped, otherwise verbatim)."""
    if not note:
        return text, blocks
    return f"{escape(note)}\n{text}", [note_block(note, lang), *blocks]


def kind_word(kind: str, lang: str) -> str:
    return t(f"review.kind.{kind}", lang)


def build_preview(
    *,
    preview_id: int,
    kind: str,
    ref: str,
    channel_id: str,
    post_at: datetime,
    mode: str,
    lang: str,
    client_text: str,
    client_blocks: list[Block],
    note_by: str | None,
) -> tuple[str, list[Block]]:
    """The client's blocks exactly as composed for them (the note already on top), framed for the team."""
    head = t(
        "review.preview.head",
        lang,
        kind=kind_word(kind, lang),
        ref=ref,
        channel=channel_link(channel_id),
        when=date_time(post_at),
    )
    rule = t("review.preview.required" if mode == review.REQUIRED else "review.preview.on", lang)
    shown = list(client_blocks)
    if len(shown) > MAX_BLOCKS - FRAME:
        shown = [*shown[: MAX_BLOCKS - FRAME], context(t("review.preview.shortened", lang))]
    blocks: list[Block] = [
        section(head),
        context(f"{t('review.preview.again', lang)}{'' if lang == 'zh' else ' '}{rule}"),  # no space after 。
        divider(),
        *shown,
        divider(),
    ]
    if note_by:
        blocks.append(context(t("review.preview.note_by", lang, user=mention(note_by))))
    blocks.append(
        {
            "type": "actions",
            "block_id": ids.REVIEW_BUTTONS,
            "elements": [
                _button(ids.REVIEW_SEND, "review.button.send", preview_id, lang, style="primary"),
                _button(ids.REVIEW_NOTE, "review.button.note", preview_id, lang),
                _button(ids.REVIEW_SKIP, "review.button.skip", preview_id, lang, style="danger"),
            ],
        }
    )
    text = f"{head}\n{client_text}"
    return text[:3000], blocks


def _button(action_id: str, key: str, preview_id: int, lang: str, *, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": t(key, lang)},
        "value": str(preview_id),
    }
    if style:
        button["style"] = style
    return button


def build_decided(
    *,
    state: str,
    kind: str,
    ref: str,
    channel_id: str,
    post_at: datetime,
    lang: str,
    by: str | None = None,
    reason: str = "",
) -> tuple[str, list[Block]]:
    """What the preview (or the team channel) says once it is sent, skipped, held or posted: no buttons."""
    text = t(
        f"review.state.{state}",
        lang,
        kind=kind_word(kind, lang),
        ref=ref,
        channel=channel_link(channel_id),
        when=date_time(post_at),
        user=mention(by) if by else "",
        reason=escape(reason),
    )
    return text, [section(text)]


def build_note_modal(*, preview_id: int, note: str | None, lang: str, channel_id: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.REVIEW_NOTE_INPUT,
        "max_length": review.MAX_NOTE,
    }
    if note:
        element["initial_value"] = note
    view = {
        "type": "modal",
        "callback_id": ids.REVIEW_NOTE_MODAL,
        "private_metadata": encode(preview=preview_id, c=channel_id, lang=lang),
        "title": {"type": "plain_text", "text": t("review.modal.title", lang)[:24]},
        "submit": {"type": "plain_text", "text": t("review.modal.submit", lang)[:24]},
        "blocks": [
            {
                "type": "input",
                "block_id": ids.REVIEW_NOTE_INPUT,
                "optional": True,
                "label": {"type": "plain_text", "text": t("review.modal.label", lang)},
                "hint": {"type": "plain_text", "text": t("review.modal.hint", lang)},
                "element": element,
            }
        ],
    }
    return form(view, lang)
