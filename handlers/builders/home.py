"""The App Home tab: a pure function of what one person may see, at most 100 blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.actions import due_label, overdue_label
from bot.domain.digest import MilestoneRow, OverallStatus, SignOffRow
from bot.domain.kinds import RecordKind
from bot.domain.records import ref_of
from bot.i18n import t
from bot.mrkdwn import bold, escape, truncate
from bot.timeexpr import render_date
from handlers.builders.common import Block, context, divider, header, section
from handlers.builders.digest import STATUS_EMOJI, risk_score_text, status_text
from storage.models import ActionItem, Risk

MAX_VIEW_BLOCKS = 100
ACTIONS = 15
CHECKINS = 10
PROJECTS = 10
TOP_RISKS = 3
SIGNOFFS = 3


@dataclass(frozen=True)
class HomeAction:
    item: ActionItem
    project_name: str
    overdue_days: int | None = None  # past due, in the project's zone (`bot.domain.actions.overdue_days`)


@dataclass(frozen=True)
class HomeCheckin:
    project_name: str
    prompted_at: datetime | None
    tz: str


@dataclass(frozen=True)
class HomeProject:
    name: str
    client_name: str
    status: OverallStatus
    next_milestone: MilestoneRow | None
    top_risks: Sequence[Risk]
    signoffs: Sequence[SignOffRow] = ()  # waiting for the client's word, admitted by the policy
    client_view: bool = False  # the reader is the client: "waiting for your sign-off"


@dataclass(frozen=True)
class HomeRecord:
    """One of this person's open records of a kind App Home lists generically (bot/domain/kinds.py)."""

    kind: RecordKind
    record: Any
    project_name: str
    tz: str


@dataclass(frozen=True)
class HomeData:
    lang: str
    actions: Sequence[HomeAction]  # already filtered by the policy for this person
    checkins: Sequence[HomeCheckin]
    projects: Sequence[HomeProject]
    others: Sequence[HomeRecord] = ()  # already filtered by the policy, grouped by kind in registry order
    client: bool = False  # the reader is from the client's organisation: no command to run


def _lines(lines: list[str], total: int, lang: str) -> str:
    if total > len(lines):
        lines = [*lines, t("home.more", lang, n=total - len(lines))]
    return "\n".join(lines)


def _action_line(entry: HomeAction, lang: str) -> str:
    item = entry.item
    due = f" · {t('home.due', lang, date=due_label(item, lang, with_year=False))}" if item.due_on else ""
    if entry.overdue_days is not None:
        due += f" · _{overdue_label(entry.overdue_days, lang)}_"
    project = escape(truncate(entry.project_name, 60))
    return f"• `{ref_of(item)}` {escape(truncate(item.text, 200))} — _{project}_{due}"


def _record_line(entry: HomeRecord, lang: str) -> str:
    kind, rule, record = entry.kind, entry.kind.open, entry.record
    assert rule is not None
    parts = [f"• `{ref_of(record)}` {escape(truncate(str(getattr(record, kind.title_field)), 200))}"]
    if rule.rank_field:
        parts.append(t(f"{kind.catalogue}.{rule.rank_field}.{getattr(record, rule.rank_field)}", lang))
    due = getattr(record, rule.due_field, None) if rule.due_field else None
    if isinstance(due, datetime):
        local = due.astimezone(ZoneInfo(entry.tz)).date()
        parts.append(t("home.due", lang, date=render_date(local, lang, with_year=False)))
    return " · ".join(parts) + f" — _{escape(truncate(entry.project_name, 60))}_"


def _other_blocks(others: Sequence[HomeRecord], lang: str) -> list[Block]:
    blocks: list[Block] = []
    for kind in dict.fromkeys(o.kind for o in others):
        entries = [o for o in others if o.kind is kind]
        lines = [_record_line(o, lang) for o in entries[:ACTIONS]]
        blocks.append(section(f"*{t(f'{kind.catalogue}.list.mine', lang)}*"))
        blocks.append(section(_lines(lines, len(entries), lang)))
    return blocks


def _checkin_line(entry: HomeCheckin, lang: str) -> str:
    project = bold(escape(truncate(entry.project_name, 80)))
    if entry.prompted_at is None:
        return "• " + t("home.checkin_unsent", lang, project=project)
    local = entry.prompted_at.astimezone(ZoneInfo(entry.tz))
    when = f"{render_date(local.date(), lang, with_year=False)} {local:%H:%M}"
    return "• " + t("home.checkin", lang, project=project, when=when)


def _project_block(project: HomeProject, lang: str) -> Block:
    head = t(
        "home.project",
        lang,
        project=bold(escape(truncate(project.name, 100))),
        client=escape(truncate(project.client_name, 100)),
        status=f"{STATUS_EMOJI[project.status]} {status_text(project.status, lang)}",
    )
    row = project.next_milestone
    if row is None:
        next_line = t("home.no_next", lang)
    else:
        when = render_date(row.milestone.forecast_on, lang, with_year=False)
        milestone = f"`{row.ref}` {escape(truncate(row.milestone.title, 120))} ({when})"
        next_line = t("home.next", lang, milestone=milestone)
    if project.top_risks:
        risks = "; ".join(
            f"`{ref_of(r)}` {escape(truncate(r.title, 80))} — {risk_score_text(r, lang)}"
            for r in project.top_risks[:TOP_RISKS]
        )
        risk_line = t("home.risks", lang, risks=risks)
    else:
        risk_line = t("home.no_risks", lang)
    lines = [head, next_line, risk_line]
    if project.signoffs:
        lines.append(_signoff_line(project, lang))
    return section("\n".join(lines))


def _signoff_line(project: HomeProject, lang: str) -> str:
    items = []
    for row in project.signoffs[:SIGNOFFS]:
        title = escape(truncate(str(getattr(row.record, "title", "") or row.signoff.title), 80))
        if project.client_view:
            note = t("signoff.digest.version", lang, version=row.signoff.version)
        elif row.waiting_days:
            note = t("signoff.home.days", lang, days=row.waiting_days)
        else:
            note = t("signoff.digest.waiting_today", lang)
        named = (
            f"`{row.ref}`" if title == escape(row.ref) else f"`{row.ref}` {title}"
        )  # a baseline is its own name
        items.append(f"{named} ({note})")
    text = "; ".join(items)
    if len(project.signoffs) > SIGNOFFS:
        text += " " + t("home.more", lang, n=len(project.signoffs) - SIGNOFFS)
    return t("signoff.home.client" if project.client_view else "signoff.home.team", lang, items=text)


def build_home(data: HomeData) -> dict[str, object]:
    lang = data.lang
    blocks: list[Block] = [header(t("home.title", lang)), divider()]
    blocks.append(section(f"*{t('home.actions', lang)}*"))
    if data.actions:
        lines = [_action_line(a, lang) for a in data.actions[:ACTIONS]]
        blocks.append(section(_lines(lines, len(data.actions), lang)))
    else:
        blocks.append(context(t("home.actions_empty", lang)))
    blocks.extend(_other_blocks(data.others, lang))
    blocks.append(section(f"*{t('home.checkins', lang)}*"))
    if data.checkins:
        lines = [_checkin_line(c, lang) for c in data.checkins[:CHECKINS]]
        blocks.append(section(_lines(lines, len(data.checkins), lang)))
    else:
        blocks.append(context(t("home.checkins_empty", lang)))
    blocks.extend((divider(), section(f"*{t('home.projects', lang)}*")))
    if data.projects:
        blocks.extend(_project_block(p, lang) for p in data.projects[:PROJECTS])
        if len(data.projects) > PROJECTS:
            blocks.append(context(t("home.more", lang, n=len(data.projects) - PROJECTS)))
    else:
        blocks.append(context(t("home.projects_empty", lang)))
    blocks.append(context(t("home.footer.client" if data.client else "home.footer", lang)))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
