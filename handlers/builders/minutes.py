"""Minutes in Block Kit: replies, the message the client confirms, and the two forms. Pure functions.

User text is escaped here (or arrives escaped from the domain's line renderers); only owners and attendees
are real mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.actions import overdue_days, overdue_label
from bot.domain.minutes import (
    CHANGES,
    CONFIRM,
    ClientContent,
    Confirmation,
    Detail,
    Recorded,
    Summary,
    action_line,
    attendees_text,
    decision_line,
    status_key,
)
from bot.domain.records import ref_of
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import channel, escape, mention, truncate
from bot.timeexpr import render_date
from handlers import ids
from handlers.builders.common import SECTION_LIMIT, Block, Reply, context, form, section
from storage.models import ActionItem, Decision, Minutes

MAX_LIST_ITEMS = 20
MAX_DETAIL_ITEMS = 15
FORM_TEXT_LIMIT = 3000  # plain_text_input max_length
MODAL_TITLE_LIMIT = 24


# ---- pieces shared with the action and decision builders --------------------------------------------


def tag(visibility: str, lang: str, *, team_view: bool) -> str:
    """The visibility tag the team sees; the client sees only client records, so no tag."""
    return f" `{t('minutes.tag.' + visibility, lang)}`" if team_view else ""


def more_block(count: int, lang: str) -> Block:
    return context(t("minutes.more", lang, count=count))


def done_button(item_id: int, lang: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": ids.ACTION_DONE,
        "text": {"type": "plain_text", "text": t("action.button.done", lang)},
        "value": str(item_id),
    }


def edit_button(minutes: Minutes, lang: str) -> dict[str, Any]:
    """Edit M-n: opens the minutes form for the team (the client asked for changes)."""
    return {
        "type": "button",
        "action_id": ids.MINUTES_EDIT,
        "text": {"type": "plain_text", "text": t("minutes.button.edit", lang, ref=ref_of(minutes))},
        "value": str(minutes.id),
        "style": "primary",
    }


def slack_time(at: datetime, tz: str) -> str:
    """A time every reader sees in their own zone; the fallback is the project's zone."""
    local = at.astimezone(ZoneInfo(tz))
    fallback = f"{local:%Y-%m-%d %H:%M} ({tz})"
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def sections(title: str, lines: Sequence[str]) -> list[Block]:
    """Lines under a bold title, split into as few sections as the 3,000-character limit allows."""
    blocks: list[Block] = []
    current = f"*{title}*" if title else ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT and current:
            blocks.append(section(current))
            candidate = line
        current = candidate
    if current:
        blocks.append(section(current))
    return blocks


def _heading(minutes: Minutes, lang: str, *, team_view: bool) -> str:
    return f"*{ref_of(minutes)}* {escape(minutes.title)}" + tag(minutes.visibility, lang, team_view=team_view)


def _meta(minutes: Minutes, lang: str) -> str:
    parts = [t("minutes.label.date", lang, date=render_date(minutes.meeting_on, lang))]
    if minutes.attendees or minutes.client_attendees:
        parts.append(t("minutes.label.attendees", lang, people=attendees_text(minutes)))
    return " · ".join(parts)


def _decision_lines(decisions: Sequence[Decision], lang: str, *, team_view: bool) -> list[str]:
    return [decision_line(d, limit=2500) + tag(d.visibility, lang, team_view=team_view) for d in decisions]


def _action_lines(
    actions: Sequence[ActionItem], lang: str, *, team_view: bool, now: datetime | None = None, tz: str = "UTC"
) -> list[str]:
    lines = []
    for a in actions:
        line = action_line(a, lang, limit=2500) + tag(a.visibility, lang, team_view=team_view)
        if a.status == "done":
            line += f" · _{t('action.state.done', lang)}_"
        elif now is not None and (late := overdue_days(a, now=now, tz=tz)) is not None:
            line += f" · _{overdue_label(late, lang)}_"
        lines.append(line)
    return lines


def _items(
    blocks: list[Block], label: str, lines: list[str], lang: str, *, limit: int = MAX_DETAIL_ITEMS
) -> None:
    if not lines:
        return
    blocks.extend(sections(label, lines[:limit]))
    if len(lines) > limit:
        blocks.append(more_block(len(lines) - limit, lang))


def notice(key: str, lang: str, **params: object) -> Reply:
    """A one-line answer; string params are user text and get escaped."""
    safe = {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
    text = t(key, lang, **safe)
    return Reply(text=text, blocks=[section(text)])


# ---- replies ----------------------------------------------------------------------------------------


def build_minutes_recorded(recorded: Recorded, lang: str, *, team_view: bool, updated: bool = False) -> Reply:
    minutes = recorded.minutes
    key = "minutes.updated" if updated else "minutes.recorded"
    head = t(key, lang, ref=f"*{ref_of(minutes)}*", title=escape(minutes.title))
    head += tag(minutes.visibility, lang, team_view=team_view)
    blocks: list[Block] = [section(head), context(_meta(minutes, lang))]
    _items(
        blocks,
        t("minutes.label.decisions", lang),
        _decision_lines(recorded.decisions, lang, team_view=team_view),
        lang,
    )
    _items(
        blocks,
        t("minutes.label.actions", lang),
        _action_lines(recorded.actions, lang, team_view=team_view),
        lang,
    )
    refs = [ref_of(r) for r in [*recorded.decisions, *recorded.actions]]
    text = t(key, lang, ref=ref_of(minutes), title=escape(minutes.title))
    if refs:
        text += " (" + ", ".join(refs[:30]) + ")"
    return Reply(text=text, blocks=blocks)


def _status(minutes: Minutes, lang: str) -> str:
    key = status_key(minutes)
    return f" · _{t(key, lang)}_" if key else ""


def build_minutes_list(summaries: Sequence[Summary], lang: str, *, team_view: bool) -> Reply:
    """`summaries` are already filtered by the policy: every count here is of what may be shown."""
    if not summaries:
        text = t("minutes.list.empty", lang)
        return Reply(text=text, blocks=[section(text)])
    title = t("minutes.list.title", lang, count=len(summaries))
    lines = [
        f"{_heading(s.minutes, lang, team_view=team_view)} · {render_date(s.minutes.meeting_on, lang)} · "
        + t("minutes.counts", lang, decisions=s.decisions, actions=s.actions)
        + _status(s.minutes, lang)
        for s in summaries[:MAX_LIST_ITEMS]
    ]
    blocks = sections(title, lines)
    if len(summaries) > MAX_LIST_ITEMS:
        blocks.append(more_block(len(summaries) - MAX_LIST_ITEMS, lang))
    return Reply(text=title, blocks=blocks)


def _history(confirmations: Sequence[Confirmation], lang: str, tz: str, *, team_view: bool) -> list[str]:
    lines = []
    for c in confirmations:
        key = "minutes.status_line.confirmed" if c.kind == CONFIRM else "minutes.status_line.changes"
        if c.kind != CONFIRM and not team_view:
            continue
        line = t(key, lang, user=mention(c.user_id), time=slack_time(c.at, tz))
        if team_view:
            org = t("minutes.history.external" if c.is_external else "minutes.history.team", lang)
            line += f" ({org})"
            if c.comment:
                line += "\n> " + escape(truncate(c.comment, 500)).replace("\n", "\n> ")
        lines.append(line)
    return lines[-10:]


def build_minutes_detail(detail: Detail, lang: str, *, team_view: bool, tz: str, now: datetime) -> Reply:
    minutes = detail.minutes
    blocks: list[Block] = [
        section(_heading(minutes, lang, team_view=team_view)),
        context(_meta(minutes, lang)),
    ]
    if minutes.notes:
        blocks.append(section(f"*{t('minutes.label.notes', lang)}*\n{escape(minutes.notes)}"))
    _items(
        blocks,
        t("minutes.label.decisions", lang),
        _decision_lines(detail.decisions, lang, team_view=team_view),
        lang,
    )
    _items(
        blocks,
        t("minutes.label.actions", lang),
        _action_lines(detail.actions, lang, team_view=team_view, now=now, tz=tz),
        lang,
    )
    status: list[str] = []
    if (key := status_key(minutes)) is not None:
        status.append(t("minutes.label.status", lang, status=t(key, lang)))
    if team_view:
        if detail.changed_since_sent:
            status.append(
                t("minutes.label.status", lang, status=t("minutes.status.changed_since_sent", lang))
            )
        if minutes.sent_channel_id:
            status.append(t("minutes.label.sent_to", lang, channel=channel(minutes.sent_channel_id)))
        status.append(t("minutes.label.recorded_by", lang, user=mention(minutes.created_by)))
    if status:
        blocks.append(context(" · ".join(status)))
    history = _history(detail.confirmations, lang, tz, team_view=team_view)
    if history:
        blocks.extend(sections("", history))
    text = f"{ref_of(minutes)} {escape(minutes.title)}"
    return Reply(text=text, blocks=blocks)


def build_minutes_deleted(minutes: Minutes, lang: str, *, undo_minutes: int) -> Reply:
    text = t(
        "minutes.deleted", lang, ref=f"*{ref_of(minutes)}*", title=escape(minutes.title), minutes=undo_minutes
    )
    button = {
        "type": "button",
        "action_id": ids.MINUTES_UNDO_DELETE,
        "text": {"type": "plain_text", "text": t("minutes.button.undo", lang)},
        "value": str(minutes.id),
    }
    return Reply(text=text, blocks=[section(text), {"type": "actions", "elements": [button]}])


def build_minutes_restored(minutes: Minutes, lang: str) -> Reply:
    text = t("minutes.restored", lang, ref=f"*{ref_of(minutes)}*", title=escape(minutes.title))
    return Reply(text=text, blocks=[section(text)])


def build_minutes_sent(minutes: Minutes, channel_id: str, lang: str) -> Reply:
    text = t("minutes.sent", lang, ref=f"*{ref_of(minutes)}*", channel=channel(channel_id))
    return Reply(text=text, blocks=[section(text)])


# ---- the message in the client channel ----------------------------------------------------------------


def build_client_message(
    content: ClientContent,
    lang: str,
    *,
    home_team_id: str,
    confirmations: Sequence[Confirmation],
    tz: str,
) -> tuple[str, list[Block]]:
    """The minutes as the client sees them: `content.text` line for line, then status and buttons.

    Returns the message's `text` (exactly `content.text`, whose hash the buttons carry) and its blocks.
    """
    blocks: list[Block] = [section(content.heading), section(content.meta)]
    if content.notes:
        blocks.append(section(content.notes))
    if content.decisions:
        blocks.append(section(content.decisions_label))
        blocks.extend(section(item.line) for item in content.decisions)
    if content.more_decisions:
        blocks.append(section(content.more_decisions))
    if content.actions:
        blocks.append(section(content.actions_label))
    for item in content.actions:
        block = section(f":white_check_mark: {item.line}" if item.done else item.line)
        block["block_id"] = f"{ids.ACTION_ITEM_BLOCK}{item.record_id}"
        client_owned = item.owner_user_id and item.owner_team_id and item.owner_team_id != home_team_id
        if client_owned and not item.done:
            block["accessory"] = done_button(item.record_id, lang)
        blocks.append(block)
    if content.more_actions:
        blocks.append(section(content.more_actions))

    current = [c for c in confirmations if c.content_hash == content.hash]
    confirmed_at = max((i for i, c in enumerate(current) if c.kind == CONFIRM), default=None)
    status: list[str] = []
    if confirmed_at is None:
        status.append(t("minutes.client_intro", lang))
    else:
        c = current[confirmed_at]
        status.append(
            t("minutes.status_line.confirmed", lang, user=mention(c.user_id), time=slack_time(c.at, tz))
        )
    changes = [
        c for i, c in enumerate(current) if c.kind == CHANGES and (confirmed_at is None or i > confirmed_at)
    ]
    if changes:
        c = changes[-1]
        status.append(
            t("minutes.status_line.changes", lang, user=mention(c.user_id), time=slack_time(c.at, tz))
        )
    blocks.append(context("\n".join(status)))
    if changes and changes[-1].comment:  # what the client asked for stays in view until a new version
        blocks.append(section(_quoted(changes[-1].comment)))

    if current:  # the client gave their word on this text: nothing more to click (but their own items)
        return content.text, blocks
    value = f"{content.minutes_id}:{content.hash}"
    buttons: list[dict[str, Any]] = []
    if confirmed_at is None:
        buttons.append(
            {
                "type": "button",
                "action_id": ids.MINUTES_CONFIRM,
                "text": {"type": "plain_text", "text": t("minutes.button.confirm", lang)},
                "style": "primary",
                "value": value,
            }
        )
    buttons.append(
        {
            "type": "button",
            "action_id": ids.MINUTES_REQUEST_CHANGES,
            "text": {"type": "plain_text", "text": t("minutes.button.request_changes", lang)},
            "value": value,
        }
    )
    blocks.append({"type": "actions", "block_id": ids.MINUTES_CLIENT_BUTTONS, "elements": buttons})
    return content.text, blocks


def build_superseded(lang: str) -> tuple[str, list[Block]]:
    text = t("minutes.superseded", lang)
    return text, [context(text)]


def _quoted(comment: str) -> str:
    return "> " + escape(truncate(comment, 2800)).replace("\n", "\n> ")


def build_changes_notice(
    minutes: Minutes,
    confirmation: Confirmation,
    lang: str,
    *,
    for_team: bool = False,
    team_channel: str | None = None,
) -> Reply:
    """Who asked for which changes: for the minutes' author (a DM), or for the team channel (`for_team`:
    the author is named and an Edit M-n button opens the form). The DM points at the team channel: a DM
    belongs to no project, so the edit is made there."""
    head = t(
        "minutes.changes_notice",
        lang,
        user=mention(confirmation.user_id),
        ref=f"*{ref_of(minutes)}*",
        title=escape(minutes.title),
    )
    quoted = _quoted(confirmation.comment)
    plain = t(
        "minutes.changes_notice",
        lang,
        user=mention(confirmation.user_id),
        ref=ref_of(minutes),
        title=escape(minutes.title),
    )
    blocks: list[Block] = [section(head), section(quoted)]
    if for_team:
        blocks.append(context(t("minutes.changes_notice.author", lang, user=mention(minutes.created_by))))
        blocks.append({"type": "actions", "elements": [edit_button(minutes, lang)]})
    elif team_channel:
        ref = ref_of(minutes)
        blocks.append(context(t("minutes.changes_notice.dm", lang, ref=ref, channel=channel(team_channel))))
    return Reply(text=f"{plain} {escape(truncate(confirmation.comment, 300))}", blocks=blocks)


# ---- forms ------------------------------------------------------------------------------------------


def _plain(text: str, limit: int = MODAL_TITLE_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def _text_input(
    block_id: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = True,
    max_length: int = FORM_TEXT_LIMIT,
    hint: str | None = None,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "optional": optional,
        "element": element,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def build_minutes_modal(
    lang: str,
    *,
    private_metadata: str,
    today: date,
    share: bool,
    minutes: Minutes | None = None,
    decisions_text: str = "",
    actions_text: str = "",
) -> dict[str, Any]:
    """The minutes form: new (empty) or edit (prefilled; lines too long for one field are left out)."""
    title = (
        t("minutes.modal.edit_title", lang, ref=ref_of(minutes))
        if minutes
        else t("minutes.modal.title", lang)
    )
    date_element: dict[str, Any] = {
        "type": "datepicker",
        "action_id": ids.MINUTES_DATE,
        "initial_date": (minutes.meeting_on if minutes else today).isoformat(),
    }
    attendees: dict[str, Any] = {"type": "multi_users_select", "action_id": ids.MINUTES_ATTENDEES}
    if minutes and minutes.attendees:
        attendees["initial_users"] = list(minutes.attendees)
    option = {"text": _plain(t("minutes.modal.share", lang), 75), "value": "client"}
    share_element: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ids.MINUTES_SHARE,
        "options": [option],
    }
    if share:
        share_element["initial_options"] = [option]
    blocks: list[Block] = [
        _text_input(
            ids.MINUTES_TITLE,
            t("minutes.modal.field.title", lang),
            initial=minutes.title if minutes else "",
            optional=False,
            max_length=300,
        ),
        {
            "type": "input",
            "block_id": ids.MINUTES_DATE,
            "label": _plain(t("minutes.modal.field.date", lang), 2000),
            "element": date_element,
        },
        {
            "type": "input",
            "block_id": ids.MINUTES_ATTENDEES,
            "label": _plain(t("minutes.modal.field.attendees", lang), 2000),
            "optional": True,
            "element": attendees,
        },
        _text_input(
            ids.MINUTES_CLIENT_ATTENDEES,
            t("minutes.modal.field.client_attendees", lang),
            initial=minutes.client_attendees if minutes else "",
            max_length=1000,
        ),
        _text_input(
            ids.MINUTES_NOTES,
            t("minutes.modal.field.notes", lang),
            initial=minutes.notes if minutes else "",
            multiline=True,
        ),
    ]
    left_out = False
    for block_id, label, hint, text in (
        (
            ids.MINUTES_DECISIONS,
            "minutes.modal.field.decisions",
            "minutes.modal.hint.decisions",
            decisions_text,
        ),
        (ids.MINUTES_ACTIONS, "minutes.modal.field.actions", "minutes.modal.hint.actions", actions_text),
    ):
        if len(text) > FORM_TEXT_LIMIT:
            left_out = True
            continue
        blocks.append(_text_input(block_id, t(label, lang), initial=text, multiline=True, hint=t(hint, lang)))
    blocks.append(
        {
            "type": "input",
            "block_id": ids.MINUTES_SHARE,
            "label": _plain(t("minutes.modal.field.share", lang), 2000),
            "optional": True,
            "element": share_element,
        }
    )
    if left_out:
        blocks.append(context(t("minutes.modal.too_many", lang)))
    return form(
        {
            "type": "modal",
            "callback_id": ids.MINUTES_MODAL,
            "private_metadata": private_metadata,
            "title": _plain(title),
            "submit": _plain(t("minutes.modal.submit", lang)),
            "close": _plain(t("minutes.modal.close", lang)),
            "blocks": blocks,
        },
        lang,
    )


def build_changes_modal(lang: str, *, private_metadata: str, minutes: Minutes) -> dict[str, Any]:
    label = t("minutes.modal.changes_label", lang, ref=ref_of(minutes))
    return form(
        {
            "type": "modal",
            "callback_id": ids.MINUTES_CHANGES_MODAL,
            "private_metadata": private_metadata,
            "title": _plain(t("minutes.modal.changes_title", lang)),
            "submit": _plain(t("minutes.modal.changes_submit", lang)),
            "close": _plain(t("minutes.modal.close", lang)),
            "blocks": [
                section(f"*{ref_of(minutes)}* {escape(minutes.title)}"),
                _text_input(ids.MINUTES_CHANGES_COMMENT, label, multiline=True, optional=False),
            ],
        },
        lang,
    )


FORM_FIELDS: Mapping[str, str] = {
    "title": ids.MINUTES_TITLE,
    "date": ids.MINUTES_DATE,
    "client_attendees": ids.MINUTES_CLIENT_ATTENDEES,
    "notes": ids.MINUTES_NOTES,
    "decisions": ids.MINUTES_DECISIONS,
    "actions": ids.MINUTES_ACTIONS,
    "share": ids.MINUTES_SHARE,
    "comment": ids.MINUTES_CHANGES_COMMENT,
}


def build_form_errors(errors: Mapping[str, UsageError], lang: str) -> dict[str, str]:
    """`response_action: errors` for a modal: one message per field block (plain text, not escaped)."""
    return {FORM_FIELDS[name]: truncate(t(err.key, lang, **err.params), 2000) for name, err in errors.items()}
