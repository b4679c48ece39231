"""Action item replies: created, listed (own open items carry a Mark done button), done, reassigned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.actions import overdue_days, overdue_label
from bot.domain.minutes import action_line, owner_text
from bot.domain.records import ref_of
from bot.i18n import t
from handlers import ids
from handlers.builders.common import Block, Reply, section
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
