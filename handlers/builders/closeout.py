"""Block Kit for the close-out report's private preview. Pure; user text escaped."""

from __future__ import annotations

from datetime import date

from bot.domain.changes import impact_text
from bot.domain.closeout import Closeout
from bot.i18n import t
from bot.mrkdwn import bold, escape
from bot.timeexpr.render import render_date
from handlers.builders.common import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    Block,
    Reply,
    context,
    divider,
    header,
    section,
)

ROOM = SECTION_LIMIT - 200  # what one section's lines may take before "…and N more"


def _lines(first: str, lines: list[str], lang: str) -> str:
    """`first`, then as many of `lines` as fit one section, then how many more the files hold."""
    text = first
    for n, line in enumerate(lines):
        if len(text) + len(line) + 1 > ROOM:
            return text + "\n" + t("closeout.more", lang, count=len(lines) - n)
        text += "\n" + line
    return text


def _day(value: date | None, lang: str) -> str:
    return render_date(value, lang) if value is not None else "—"


def _duration(hours: float | None, lang: str) -> str:
    if hours is None:
        return "—"
    if hours < 48:
        return t("closeout.hours", lang, n=f"{hours:g}")
    return t("closeout.days", lang, n=f"{hours / 24:.1f}")


def report_blocks(report: Closeout, lang: str) -> list[Block]:
    """The report's sections, one section block each (the figures; the files hold every row)."""
    f = report.figures()
    view = t("closeout.view.client" if report.client_view else "closeout.view.internal", lang)
    title = t("closeout.title", lang, project=bold(escape(report.project_name)))
    subtitle = t(
        "closeout.subtitle",
        lang,
        client=escape(report.client_name),
        today=render_date(report.today, lang),
        tz=report.tz,
        view=view,
    )
    blocks: list[Block] = [section(f"{title}\n{subtitle}"), divider()]

    def head(key: str) -> str:
        return bold(t(f"closeout.section.{key}", lang))

    milestones = [
        t(
            "closeout.milestone.line",
            lang,
            ref=m.ref,
            title=escape(m.title),
            planned=render_date(m.planned, lang),
            forecast=render_date(m.forecast, lang),
            actual=_day(m.done, lang),
            accepted=_day(m.accepted, lang),
        )
        for m in report.milestones
    ]
    summary = t(
        "closeout.milestones.summary", lang, count=f["milestones"], done=f["done"], accepted=f["accepted"]
    )
    blocks.append(section(_lines(f"{head('milestones')}\n{summary}", milestones, lang)))
    total = t(
        "closeout.changes.total",
        lang,
        count=len(report.changes),
        impact=impact_text(report.approved_total, lang),
    )
    changes = [f"• *{c.ref}* {escape(c.title)} — {impact_text(c.impact, lang)}" for c in report.changes]
    blocks.append(section(_lines(f"{head('changes')}\n{total}", changes, lang)))
    risks = t(
        "closeout.risks.summary",
        lang,
        occurred=f["risks_occurred"],
        avoided=f["risks_avoided"],
        open=f["risks_open"],
    )
    risk_lines = [
        f"• {t(f'closeout.risks.{key}', lang)}: " + ", ".join(f"*{r.ref}* {escape(r.title)}" for r in lines)
        for key, lines in (
            ("occurred", report.risks.occurred),
            ("avoided", report.risks.avoided),
            ("open", report.risks.still_open),
        )
        if lines
    ]
    blocks.append(section(_lines(f"{head('risks')}\n{risks}", risk_lines, lang)))
    if not report.client_view:  # how to mark one: the team's command
        blocks.append(context(t("closeout.risks.how", lang)))
    issues = [
        t(
            "closeout.issue.line",
            lang,
            severity=bold(t(f"issue.severity.{g.severity}", lang)),
            raised=g.raised,
            resolved=g.resolved,
            open=g.still_open,
            average=_duration(g.average_hours, lang),
            longest=_duration(g.longest_hours, lang),
        )
        for g in report.issues
    ] or [t("closeout.none", lang)]
    blocks.append(section(_lines(head("issues"), issues, lang)))
    actions = t(
        "closeout.actions.summary",
        lang,
        done=f["actions_done"],
        overdue=f["actions_overdue"],
        open=f["actions_open"],
    )
    overdue = [f"• *{a.ref}* {escape(a.text)} ({_day(a.due, lang)})" for a in report.actions.overdue]
    blocks.append(section(_lines(f"{head('actions')}\n{actions}", overdue, lang)))
    percent = report.participation.percent
    checkins = t(
        "closeout.checkins.line",
        lang,
        answers=report.participation.answers,
        prompts=report.participation.prompts,
        percent="—" if percent is None else f"{percent}%",
    )
    blocks.append(section(f"{head('checkins')}\n{checkins}"))
    pulses = [
        t(
            "closeout.pulse.line",
            lang,
            opened=render_date(p.opened, lang),
            average="—" if p.average is None else f"{p.average:g}",
            answers=p.answers,
        )
        for p in report.pulses
    ] or [t("closeout.none", lang)]
    blocks.append(section(_lines(head("pulses"), pulses, lang)))
    lessons = [
        f"• *{x.ref}* ({t(f'lesson.kind.{x.kind}', lang)}) {escape(x.text)}" for x in report.lessons
    ] or [t("closeout.none", lang)]
    blocks.append(section(_lines(head("lessons"), lessons, lang)))
    return blocks


def build_preview(report: Closeout, lang: str, *, notes: list[str]) -> Reply:
    """The private preview `/project close` answers: the draft, then what happened and what comes next."""
    blocks = [header(t("closeout.preview.head", lang)), *report_blocks(report, lang), divider()]
    blocks += [context(note) for note in notes]
    blocks.append(section(t("closeout.preview.next", lang)))
    return Reply(text=t("closeout.preview.head", lang), blocks=blocks[:MAX_BLOCKS])
