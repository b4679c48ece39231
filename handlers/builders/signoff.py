"""Block Kit for sign-offs: the message in the client channel (pending or decided), the remarks / reason modal,
and the note to the team. Pure functions."""

from __future__ import annotations

from typing import Any

from bot.domain import signoff as domain
from bot.i18n import MESSAGES, t
from bot.mrkdwn import escape, mention, truncate
from handlers import ids
from handlers.builders.common import Block, Reply, context, form, header, section
from handlers.builders.minutes import edit_button, sections, slack_time
from handlers.metadata import encode
from storage.models import Minutes, SignOff


def _what(row: SignOff, lang: str) -> str:
    return t(f"signoff.what.{row.subject}", lang)


def _say(key: str, row: SignOff, lang: str, **params: object) -> str:
    """A kind may word a sign-off its own way (a milestone is *accepted*, not approved): `<key>.<kind>`."""
    specific = f"{key}.{row.subject}"
    return t(specific if specific in MESSAGES else key, lang, **params)


def _button(action_id: str, label: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": truncate(label, 75)},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def outcome_line(row: SignOff, lang: str, tz: str) -> str | None:
    if row.status == domain.SUPERSEDED:
        return t("signoff.outcome.superseded", lang)
    if row.status not in domain.OUTCOMES or row.decided_at is None or row.decided_by is None:
        return None
    return _say(
        f"signoff.outcome.{row.status}",
        row,
        lang,
        who=mention(row.decided_by),
        when=slack_time(row.decided_at, tz),
        remarks=escape(row.remarks),
    )


def build_signoff_message(row: SignOff, ref: str, lang: str, tz: str) -> tuple[str, list[Block]]:
    """The message in the client channel; `text` is exactly the content whose hash is stored."""
    blocks: list[Block] = [
        header(t("signoff.header", lang, what=_what(row, lang), ref=ref, version=row.version)),
        *sections("", row.content.split("\n")),  # a long text (a baseline) in as many sections as it needs
    ]
    outcome = outcome_line(row, lang, tz)
    if outcome is not None:
        blocks.append(context(outcome))
    elif row.status == domain.WAITING:
        value = f"{row.id}:{row.content_hash}"
        accept = row.subject == "milestone"
        blocks.append(context(_say("signoff.ask", row, lang)))
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.SIGNOFF_BUTTONS,
                "elements": [
                    _button(
                        ids.SIGNOFF_APPROVE,
                        t("signoff.button.accept" if accept else "signoff.button.approve", lang),
                        value,
                        "primary",
                    ),
                    _button(
                        ids.SIGNOFF_REMARKS,
                        t("signoff.button.accept_remarks" if accept else "signoff.button.remarks", lang),
                        value,
                    ),
                    _button(ids.SIGNOFF_REJECT, t("signoff.button.reject", lang), value, "danger"),
                ],
            }
        )
    return row.content, blocks


def build_signoff_modal(
    row: SignOff, ref: str, outcome: str, lang: str, *, channel_id: str
) -> dict[str, Any]:
    reject = outcome == domain.REJECTED
    label = t("signoff.modal.reason" if reject else "signoff.modal.remarks", lang)
    return form(
        {
            "type": "modal",
            "callback_id": ids.SIGNOFF_MODAL,
            "private_metadata": encode(s=row.id, h=row.content_hash, o=outcome, c=channel_id),
            "title": {
                "type": "plain_text",
                "text": truncate(_say(f"signoff.modal.title.{outcome}", row, lang), 24),
            },
            "submit": {"type": "plain_text", "text": truncate(t("signoff.modal.submit", lang), 24)},
            "close": {"type": "plain_text", "text": truncate(t("signoff.modal.cancel", lang), 24)},
            "notify_on_close": True,  # handlers/views/closed.py
            "blocks": [
                section(t("signoff.modal.about", lang, ref=ref, version=row.version)),
                {
                    "type": "input",
                    "block_id": ids.SIGNOFF_TEXT,
                    "label": {"type": "plain_text", "text": truncate(label, 2000)},
                    "element": {
                        "type": "plain_text_input",
                        "action_id": ids.SIGNOFF_TEXT,
                        "multiline": True,
                        "max_length": domain.MAX_REMARKS,
                    },
                },
            ],
        },
        lang,
    )


def build_thanks(row: SignOff, ref: str, lang: str, *, created: bool, viewer_id: str = "") -> Reply:
    if created:
        message = _say(f"signoff.thanks.{row.status}", row, lang, ref=ref)
    elif row.status == domain.REJECTED and row.decided_by:  # the unchanged text can't be approved any more
        mine = row.decided_by == viewer_id
        message = t(
            "signoff.changes_asked.you" if mine else "signoff.changes_asked",
            lang,
            who=mention(row.decided_by),
            ref=ref,
            version=row.version,
        )
    else:
        message = t("signoff.already_decided", lang, ref=ref, version=row.version)
    return Reply(text=message, blocks=[section(message)])


def build_team_note(row: SignOff, ref: str, lang: str, *, link: str, record: object = None) -> Reply:
    """Told in the team channel for every outcome, with a link to the client's message; minutes the client
    asked to change come with an Edit M-n button."""
    assert row.decided_by is not None
    message = _say(
        f"signoff.team.{row.status}",
        row,
        lang,
        who=mention(row.decided_by),
        org=t("signoff.team.client_org", lang),
        ref=ref,
        version=row.version,
        remarks=escape(row.remarks),
        link=link,
    )
    blocks: list[Block] = [section(message)]
    if isinstance(record, Minutes) and row.status == domain.REJECTED:
        blocks.append(context(t("minutes.changes_notice.author", lang, user=mention(record.created_by))))
        blocks.append({"type": "actions", "elements": [edit_button(record, lang)]})
    return Reply(text=message, blocks=blocks)
