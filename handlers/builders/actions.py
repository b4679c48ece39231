"""Action item replies: created, listed (own open items carry a Mark done button), done, reassigned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.domain.actions import MAX_REASON, due_label, overdue_days, overdue_label
from bot.domain.minutes import action_line, owner_text
from bot.domain.records import ref_of
from bot.i18n import t
from bot.mrkdwn import date_time, escape, mention, truncate
from handlers import ids
from handlers.builders.common import Block, Reply, context, form, section
from handlers.builders.minutes import MAX_LIST_ITEMS, done_button, more_block, tag
from storage.models import ActionItem


def _line(item_line: str, item: ActionItem, now: datetime, tz: str, lang: str) -> str:
    if item.status == "done":
        return f"{item_line} · _{t('action.state.done', lang)}_"
    late = overdue_days(item, now=now, tz=tz)
    if late is not None:
        return f"{item_line} · _{overdue_label(late, lang)}_"
    return item_line


def build_action_created(item: ActionItem, lang: str, *, team_view: bool) -> Reply:
    title = t("action.created", lang)
    line = action_line(item, lang, limit=2800) + tag(item.visibility, lang, team_view=team_view)
    return Reply(text=f"{title} {ref_of(item)}", blocks=[section(f"{title}\n{line}")])


def build_action_list(
    items: Sequence[ActionItem],
    lang: str,
    *,
    which: str,
    team_view: bool,
    viewer_id: str,
    now: datetime,
    tz: str,
) -> Reply:
    """`items` are already filtered by the policy: the count and "and N more" are of visible items only."""
    rows = list(items)
    if not rows:
        text = t("action.list.empty", lang)
        return Reply(text=text, blocks=[section(text)])
    title = t(f"action.list.{which}", lang, count=len(rows))
    blocks: list[Block] = [section(f"*{title}*")]
    for item in rows[:MAX_LIST_ITEMS]:
        line = action_line(item, lang, limit=2500) + tag(item.visibility, lang, team_view=team_view)
        block = section(_line(line, item, now, tz, lang))
        block["block_id"] = f"{ids.ACTION_ITEM_BLOCK}{item.id}"
        if item.status != "done" and item.owner_user_id == viewer_id and item.id is not None:
            block["accessory"] = done_button(item.id, lang)
        blocks.append(block)
    if len(rows) > MAX_LIST_ITEMS:
        blocks.append(more_block(len(rows) - MAX_LIST_ITEMS, lang))
    return Reply(text=title, blocks=blocks)


def build_action_done(ref: str, lang: str, *, already: bool) -> Reply:
    text = t("action.already_done" if already else "action.done", lang, ref=f"*{ref}*")
    return Reply(text=text, blocks=[section(text)])


def build_action_reassigned(item: ActionItem, lang: str) -> Reply:
    text = t("action.reassigned", lang, ref=f"*{ref_of(item)}*", owner=owner_text(item, lang))
    return Reply(text=text, blocks=[section(text)])


# ---- edit / reopen / due --------------------------------------------------------------------------------


def build_action_edited(item: ActionItem, lang: str, *, team_view: bool, posted_for: str | None) -> Reply:
    """`posted_for`: the client owner it was (re)posted for in the client channel, if it was."""
    title = t("action.edited", lang, ref=ref_of(item))
    line = action_line(item, lang, limit=2800) + tag(item.visibility, lang, team_view=team_view)
    blocks: list[Block] = [section(f"{title}\n{line}")]
    if posted_for is not None:
        blocks.append(context(t("action.client.posted", lang, owner=posted_for)))
    return Reply(text=f"{title}", blocks=blocks)


def build_action_reopened(ref: str, lang: str, *, already: bool) -> Reply:
    text = t("action.already_open" if already else "action.reopened", lang, ref=f"*{ref}*")
    return Reply(text=text, blocks=[section(text)])


def build_due_moved(item: ActionItem, lang: str, *, posted_for: str | None) -> Reply:
    text = t("action.due_moved", lang, ref=f"*{ref_of(item)}*", date=due_label(item, lang))
    blocks: list[Block] = [section(text)]
    if posted_for is not None:
        blocks.append(context(t("action.client.posted", lang, owner=posted_for)))
    return Reply(text=text, blocks=blocks)


def build_posted_note(reply: Reply, lang: str, owner: str) -> Reply:
    """Tell the team that the item went to the client channel, with its buttons."""
    reply.blocks.append(context(t("action.client.posted", lang, owner=owner)))
    return reply


# ---- the client channel: the item with Mark done / Need more time ------------------------------------


def client_buttons(item_id: int, lang: str) -> Block:
    return {
        "type": "actions",
        "block_id": ids.ACTION_CLIENT_BUTTONS,
        "elements": [
            {
                "type": "button",
                "action_id": ids.ACTION_OWNER_DONE,
                "style": "primary",
                "text": {"type": "plain_text", "text": t("action.button.done", lang)},
                "value": str(item_id),
            },
            {
                "type": "button",
                "action_id": ids.ACTION_MORE_TIME,
                "text": {"type": "plain_text", "text": t("action.button.more_time", lang)},
                "value": str(item_id),
            },
        ],
    }


def build_client_action(
    item: ActionItem, lang: str, *, project: str, intro_key: str = "action.client.intro"
) -> tuple[str, list[Block]]:
    """The item as the client sees it in the client channel (times as Slack date tokens: the reader's zone)."""
    assert item.id is not None
    intro = t(intro_key, lang, owner=owner_text(item, lang), project=escape(project))
    line = action_line(item, lang, limit=2500)
    blocks: list[Block] = [
        section(f"{intro}\n{line}"),
        context(t("action.client.hint", lang)),
        client_buttons(item.id, lang),
    ]
    return f"{intro} {ref_of(item)}", blocks


def build_client_reminder(item: ActionItem, lang: str, *, kind: str) -> tuple[str, list[Block]]:
    """A reminder for a client owner, in the client channel with a mention and the same two buttons."""
    assert item.id is not None
    key = "action.reminder.client_eve" if kind == "eve" else "action.reminder.client_due"
    intro = t(key, lang, owner=owner_text(item, lang), date=due_label(item, lang))
    blocks: list[Block] = [
        section(f"{intro}\n{action_line(item, lang, limit=2500)}"),
        client_buttons(item.id, lang),
    ]
    return f"{intro} {ref_of(item)}", blocks


def build_client_action_state(item: ActionItem, lang: str, state: str) -> tuple[str, list[Block]]:
    """The client channel's message once acted on: the item and what happened, no buttons."""
    line = action_line(item, lang, limit=2500)
    return f"{ref_of(item)} {state}", [section(line), context(state)]


def done_state(who: str, at: datetime, lang: str) -> str:
    return t("action.client.done_state", lang, who=mention(who), when=date_time(at))


def moved_state(item: ActionItem, who: str, lang: str) -> str:
    return t("action.client.moved_state", lang, who=mention(who), date=due_label(item, lang))


def build_more_time_modal(
    item: ActionItem, lang: str, *, private_metadata: str, initial: date | None
) -> dict[str, Any]:
    picker: dict[str, Any] = {"type": "datepicker", "action_id": ids.ACTION_NEW_DATE}
    if initial is not None:
        picker["initial_date"] = initial.isoformat()
    due = t("action.due", lang, date=due_label(item, lang)) if item.due_on else t("action.no_due", lang)
    return form(
        {
            "type": "modal",
            "callback_id": ids.ACTION_MORE_TIME_MODAL,
            "private_metadata": private_metadata,
            "title": {"type": "plain_text", "text": truncate(t("action.more_time.title", lang), 24)},
            "submit": {"type": "plain_text", "text": truncate(t("action.more_time.submit", lang), 24)},
            "close": {"type": "plain_text", "text": truncate(t("action.more_time.cancel", lang), 24)},
            "blocks": [
                section(f"*{ref_of(item)}* {escape(truncate(item.text, 2500))} — {due}"),
                {
                    "type": "input",
                    "block_id": ids.ACTION_NEW_DATE,
                    "label": {"type": "plain_text", "text": t("action.more_time.date", lang)},
                    "element": picker,
                },
                {
                    "type": "input",
                    "block_id": ids.ACTION_REASON,
                    "label": {"type": "plain_text", "text": t("action.more_time.reason", lang)},
                    "hint": {"type": "plain_text", "text": t("action.more_time.reason_hint", lang)},
                    "element": {
                        "type": "plain_text_input",
                        "action_id": ids.ACTION_REASON,
                        "multiline": True,
                        "max_length": MAX_REASON,
                    },
                },
            ],
        },
        lang,
    )


# ---- told in the team channel, reminders by DM ------------------------------------------------------


def build_team_client_done(item: ActionItem, lang: str, *, who: str, client: str) -> Reply:
    text = t(
        "action.team.client_done",
        lang,
        who=mention(who),
        client=escape(client),
        ref=f"*{ref_of(item)}*",
        text=escape(truncate(item.text, 2500)),
    )
    return Reply(text=text, blocks=[section(text)])


def build_team_more_time(
    item: ActionItem, lang: str, *, who: str, client: str, old: str, reason: str
) -> Reply:
    text = t(
        "action.team.client_more_time",
        lang,
        who=mention(who),
        client=escape(client),
        ref=f"*{ref_of(item)}*",
        text=escape(truncate(item.text, 1500)),
        old=old,
        new=due_label(item, lang),
        reason=escape(reason),
    )
    return Reply(text=text, blocks=[section(text)])


def build_reminder_dm(item: ActionItem, lang: str, *, project: str, kind: str) -> Reply:
    key = "action.reminder.eve" if kind == "eve" else "action.reminder.due"
    text = t(
        key,
        lang,
        ref=f"*{ref_of(item)}*",
        text=escape(truncate(item.text, 2500)),
        project=escape(project),
        date=due_label(item, lang),
    )
    return Reply(text=text, blocks=[section(text)])
