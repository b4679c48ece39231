"""Decision replies: the one just recorded, edited, deleted (with Undo) or restored, and `/decision list`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.minutes import decision_line
from bot.domain.records import ref_of
from bot.i18n import t
from handlers import ids
from handlers.builders.common import Block, Reply, context, section
from handlers.builders.minutes import MAX_LIST_ITEMS, more_block, tag
from storage.models import Decision, Minutes


def _line(decision: Decision, lang: str, *, team_view: bool, minutes_refs: dict[int, str]) -> str:
    line = decision_line(decision, limit=2800) + tag(decision.visibility, lang, team_view=team_view)
    ref = minutes_refs.get(decision.minutes_id or 0)
    if ref:
        line += " · " + t("decision.from_minutes", lang, ref=ref)
    return line


def build_decision_created(decision: Decision, lang: str, *, team_view: bool) -> Reply:
    title = t("decision.created", lang)
    line = _line(decision, lang, team_view=team_view, minutes_refs={})
    return Reply(text=f"{title} {ref_of(decision)}", blocks=[section(f"{title}\n{line}")])


def build_decision_updated(decision: Decision, lang: str, *, team_view: bool) -> Reply:
    title = t("decision.updated", lang)
    line = _line(decision, lang, team_view=team_view, minutes_refs={})
    return Reply(text=f"{title} {ref_of(decision)}", blocks=[section(f"{title}\n{line}")])


def build_decision_deleted(decision: Decision, lang: str, *, undo_minutes: int) -> Reply:
    text = t("decision.deleted", lang, ref=f"*{ref_of(decision)}*", minutes=undo_minutes)
    button: dict[str, Any] = {
        "type": "button",
        "action_id": ids.DECISION_UNDO_DELETE,
        "text": {"type": "plain_text", "text": t("record.button.undo", lang)},
        "value": str(decision.id),
    }
    line = decision_line(decision, limit=2800)
    return Reply(text=text, blocks=[section(f"{text}\n{line}"), {"type": "actions", "elements": [button]}])


def build_decision_restored(decision: Decision, lang: str, *, team_view: bool) -> Reply:
    text = t("record.restored", lang, ref=f"*{ref_of(decision)}*")
    line = _line(decision, lang, team_view=team_view, minutes_refs={})
    return Reply(text=text, blocks=[section(f"{text}\n{line}")])


def build_decision_list(
    decisions: Sequence[Decision],
    lang: str,
    *,
    team_view: bool,
    minutes: Minutes | None = None,
    minutes_refs: dict[int, str] | None = None,
) -> Reply:
    """`decisions` are already filtered by the policy: every count here counts only what may be shown."""
    if not decisions:
        text = t("decision.list.empty", lang)
        return Reply(text=text, blocks=[section(text)])
    if minutes is not None:
        title = t("decision.list.title_minutes", lang, ref=ref_of(minutes), count=len(decisions))
    else:
        title = t("decision.list.title", lang, count=len(decisions))
    refs = minutes_refs or {}
    blocks: list[Block] = [section(f"*{title}*")]
    for decision in decisions[:MAX_LIST_ITEMS]:
        blocks.append(section(_line(decision, lang, team_view=team_view, minutes_refs=refs)))
    if len(decisions) > MAX_LIST_ITEMS:
        blocks.append(more_block(len(decisions) - MAX_LIST_ITEMS, lang))
    if len(blocks) == 1:
        blocks.append(context(t("decision.list.empty", lang)))
    return Reply(text=title, blocks=blocks)
