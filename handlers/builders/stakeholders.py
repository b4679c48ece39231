"""The stakeholder register as the team reads it (never built for a client)."""

from __future__ import annotations

from bot.i18n import t
from bot.mrkdwn import bold, escape, mention
from handlers.builders.common import Block, Reply, context, header, section
from storage.models import Stakeholder

LINES_PER_SECTION = 20


def who_of(row: Stakeholder) -> str:
    return mention(row.user_id) if row.user_id else bold(escape(row.name))


def _line(row: Stakeholder, lang: str) -> str:
    parts = [who_of(row)]
    if row.role:
        parts.append(escape(row.role))
    parts.append(t(f"stakeholder.org.{row.org}", lang))
    parts.append(t(f"stakeholder.influence.{row.influence}", lang))
    if row.signs:
        sep = ", " if lang == "en" else "、"
        what = sep.join(t(f"stakeholder.subject.{s}", lang) for s in row.signs)
        parts.append(t("stakeholder.signs", lang, what=what))
    return "• " + " · ".join(parts)


def build_stakeholder_list(rows: list[Stakeholder], lang: str) -> Reply:
    title = t("stakeholder.list_title", lang)
    if not rows:
        text = t("stakeholder.list_empty", lang)
        return Reply(text=text, blocks=[section(text)])
    lines = [_line(r, lang) for r in rows]
    blocks: list[Block] = [header(title)]
    for i in range(0, len(lines), LINES_PER_SECTION):
        blocks.append(section("\n".join(lines[i : i + LINES_PER_SECTION])))
    blocks.append(context(t("stakeholder.list_note", lang) + " " + t("stakeholder.approvers_rule", lang)))
    return Reply(text=f"{title}: {len(rows)}", blocks=blocks)


def build_stakeholder_saved(row: Stakeholder, lang: str, *, created: bool) -> Reply:
    text = t("stakeholder.added" if created else "stakeholder.updated", lang, who=who_of(row))
    detail = _line(row, lang)
    return Reply(text=text, blocks=[section(f":busts_in_silhouette: {text}\n{detail}")])
