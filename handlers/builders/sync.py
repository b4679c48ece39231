"""The sync reminder and `/sync` replies: pure functions of already-filtered records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.actions import due_label, overdue_label
from bot.domain.agenda import Agenda
from bot.domain.refs import format_ref
from bot.domain.risks import risk_level
from bot.i18n import t
from bot.mrkdwn import date_time, escape, mention
from bot.styles import level_emoji
from bot.timeexpr import render_date, render_moment
from handlers import ids
from handlers.builders.common import Block, Reply, context, divider, header, section
from handlers.builders.digest import risk_score_text
from storage.models import ActionItem, Risk

AGENDA_ITEMS = 5
# Up to this far ahead a reminder counts the minutes; further out (sent early from the review preview) a
# count would be long and go stale, so it says when, as a date token each reader sees in their own zone.
COUNT_MINUTES_UP_TO = timedelta(minutes=60)


def starts_label(occurs_at: datetime, now: datetime, lang: str, *, client_facing: bool) -> str | None:
    """How far off the meeting is at `now` (when the reminder is posted), never the schedule's nominal lead.

    None when the line's time already is that date token (the client's) and saying it again adds nothing."""
    minutes = round((occurs_at - now).total_seconds() / 60)
    if minutes > COUNT_MINUTES_UP_TO.total_seconds() / 60:
        return None if client_facing else t("sync.starts_at", lang, when=date_time(occurs_at))
    if minutes >= 1:
        return t("sync.starts_in", lang, minutes=minutes)
    if minutes >= 0:
        return t("sync.starts_now", lang)
    return t("sync.started", lang, when=date_time(occurs_at, with_date=False))


def _owner(item: ActionItem | Risk) -> str:
    if item.owner_user_id:
        return mention(item.owner_user_id)
    return escape(item.owner_name or "—")


def _overdue(item: ActionItem, agenda: Agenda, lang: str) -> str:
    days = agenda.overdue.get(item.id) if item.id is not None else None
    return "" if days is None else f" · _{overdue_label(days, lang)}_"


def _more(lines: list[str], total: int, lang: str) -> list[str]:
    if total > len(lines):
        lines.append(t("sync.and_more", lang, n=total - len(lines)))
    return lines


def build_sync_reminder(
    *,
    title: str,
    occurs_at: datetime,
    tz: str,
    lang: str,
    now: datetime,
    agenda: Agenda,
    project_id: int,
    minutes_button: bool,
    client_facing: bool = False,
) -> tuple[str, list[Block]]:
    """A reminder posted before a sync: when, a short agenda, and (for the team) a button to start minutes.

    Where the client reads it, the time is a Slack date token, so each reader sees it in their own zone (a
    client in New York is not told "10:00 (Asia/Shanghai)"); the team reads it in the project's zone."""
    from zoneinfo import ZoneInfo

    from bot.timeexpr import Moment

    local = occurs_at.astimezone(ZoneInfo(tz))
    if client_facing:
        when = date_time(occurs_at)
    else:
        when = render_moment(Moment(at=occurs_at, local=local, has_time=True), lang)
    name = escape(title)
    lead = starts_label(occurs_at, now, lang, client_facing=client_facing)
    blocks: list[Block] = [header(f"📅 {title}"), section(f"*{when}*" + (f" · {lead}" if lead else ""))]
    sections: list[str] = []
    if agenda.actions:
        lines = [
            f"• `{format_ref('A', a.number)}` {escape(a.text)} — {_owner(a)}"
            + (f" · {due_label(a, lang)}" if a.due_on else "")
            + _overdue(a, agenda, lang)
            for a in agenda.actions[:AGENDA_ITEMS]
        ]
        sections.append(
            f"*{t('sync.agenda.actions', lang)}*\n" + "\n".join(_more(lines, len(agenda.actions), lang))
        )
    if agenda.risks:
        lines = [
            f"• {level_emoji(risk_level(r))} `{format_ref('R', r.number)}` {escape(r.title)} — {risk_score_text(r, lang)}"
            for r in agenda.risks[:3]
        ]
        sections.append(
            f"*{t('sync.agenda.risks', lang)}*\n" + "\n".join(_more(lines, len(agenda.risks), lang))
        )
    if agenda.milestones:
        lines = [
            f"• `{format_ref('MS', m.number)}` {escape(m.title)} — {render_date(m.forecast_on, lang, with_year=False)}"
            for m in agenda.milestones[:AGENDA_ITEMS]
        ]
        sections.append(
            f"*{t('sync.agenda.milestones', lang)}*\n" + "\n".join(_more(lines, len(agenda.milestones), lang))
        )
    if sections:
        blocks.append(divider())
        blocks.extend(section(s) for s in sections)
    else:
        blocks.append(context(t("sync.agenda.empty", lang)))
    if minutes_button:
        blocks.append(
            {
                "type": "actions",
                "block_id": "sync_actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ids.MINUTES_OPEN_MODAL,
                        "text": {"type": "plain_text", "text": t("sync.start_minutes", lang)},
                        "value": str(project_id),
                        "style": "primary",
                    }
                ],
            }
        )
    return t("sync.fallback", lang, title=name, when=when), blocks


@dataclass(frozen=True)
class ScheduleLine:
    ref: str
    title: str
    kind: str
    rendered: str  # the rule and the next occurrences, already in the user's language
    status: str
    where: str  # "internal" | "client"
    last: str | None  # last outcome, rendered
    missed: int


def build_schedule_list(lines: Sequence[ScheduleLine], lang: str, *, empty_key: str) -> Reply:
    if not lines:
        text = t(empty_key, lang)
        return Reply(text=text, blocks=[section(text)])
    blocks: list[Block] = []
    for line in lines[:45]:
        status = t(f"sync.status.{line.status}", lang)
        parts = [
            f"*`{line.ref}`* {escape(line.title)} · {status} · {t(f'sync.where.{line.where}', lang)}",
            line.rendered,
        ]
        if line.last:
            parts.append(line.last)
        if line.missed:
            parts.append(t("sync.missed", lang, n=line.missed))
        blocks.append(section("\n".join(parts)))
    if len(lines) > 45:
        blocks.append(context(t("sync.and_more", lang, n=len(lines) - 45)))
    return Reply(text=t("sync.list_title", lang, n=len(lines)), blocks=blocks)
