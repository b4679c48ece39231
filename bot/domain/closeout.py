"""The close-out report (结项报告): one composition, read through a policy lens, in two views.

`compose` is pure: records already loaded in, a `Closeout` out. Every record goes through the lens first
(`bot.domain.digest.Lens`, as digests do), so the client view holds only client records, and every count,
total and average in it is computed from those records alone: an internal risk, change or lesson is
neither listed nor counted. Check-in participation is the one figure not made of records (check-ins carry
no visibility): the client view shows only its two counts, never who answered or what.

Fields that stay with the team even on a client record: a risk's close note, an issue's resolution, an
action item's owner. A risk *occurred* when its close note starts with an "occurred" word (`/risk close R-7
occurred: the vendor delivered late`, `已发生：…`); any other closed risk closed without occurring.

The report is signed like everything else the client signs (`bot/domain/signoff.py`, subject "closeout",
one per project): approving archives the project (`closing.archive`); a rejection changes nothing (the
team is told, with the client's reasons, by the sign-off workflow). The project lead (who set it up,
`Project.created_by`, as for escalations) may archive without the client: `confirm`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import closing, signoff
from bot.domain.actions import overdue_days
from bot.domain.changes import APPROVED as CHANGE_APPROVED
from bot.domain.changes import Impact, impact_of
from bot.domain.digest import ChartData, HeatCell, Lens, TimelineRow
from bot.domain.issues import RANK, Severity, severity_of
from bot.domain.lessons import ORDER as LESSON_ORDER
from bot.domain.milestones import MilestoneStatus, status_of
from bot.domain.records import Actor, log_change, ref_of, refusal
from bot.domain.risks import Level, by_score, is_high, risk_level
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.i18n import normalise_lang, t
from bot.mrkdwn import bold, escape
from bot.policy import Action, Visibility, may
from bot.timeexpr.render import render_date
from storage.models import (
    ActionItem,
    ChangeRequest,
    CheckinAnswer,
    Issue,
    Lesson,
    Milestone,
    Project,
    Pulse,
    PulseAnswer,
    Risk,
    SignOff,
)
from storage.repo import closeout as repo

SUBJECT = "closeout"  # the sign-off subject kind: one report per project (subject id: the project's id)
CLOSE_EXAMPLE = "cmd.project.close.example"
SEND_EXAMPLE = "cmd.project.close_send.example"
CONFIRM_EXAMPLE = "cmd.project.close_confirm.example"
STARTED = "project.closing"  # audit action: closing started (the lessons forms went out)
REOPENED = "project.reopen"  # audit action of `closing.reopen`: a later close starts closing again
TIMELINE_ROWS = 20
SIGNOFF_MILESTONES = 30  # listed one per line in the text the client signs; the files hold every one
OCCURRED_WORDS = (
    "occurred",
    "happened",
    "materialised",
    "materialized",
    "已发生",
    "发生了",
    "已经发生",
    "发生",
)


SEND, CONFIRM, PREVIEW = "send", "confirm", ""
CLOSE_WORDS = {"send": SEND, "发送": SEND, "confirm": CONFIRM, "确认": CONFIRM}


def read_close(parsed: ParsedCommand) -> str:
    """`/project close` (the preview), `close send` / `结项 发送`, `close confirm` / `结项 确认`."""
    word = parsed.text.strip()
    if not word:
        return PREVIEW
    found = CLOSE_WORDS.get(word.lower())
    if found is None:
        raise UsageError("closeout.bad_word", CLOSE_EXAMPLE, word=escape(word[:40]))
    return found


def occurred(risk: Risk) -> bool:
    """A closed risk whose close note says it happened (the note's first word: see the module docstring)."""
    note = risk.close_note.strip().lower()
    return risk.status == "closed" and any(note.startswith(word) for word in OCCURRED_WORDS)


# ---- what it is made from, and what it says ----------------------------------------------------------


@dataclass(frozen=True)
class CloseoutData:
    """Every live record of the project (unfiltered: the lens decides what is shown)."""

    project_name: str
    client_name: str
    lang: str
    tz: str
    now: datetime
    milestones: Sequence[Milestone] = ()
    changes: Sequence[ChangeRequest] = ()
    risks: Sequence[Risk] = ()
    issues: Sequence[Issue] = ()
    actions: Sequence[ActionItem] = ()
    lessons: Sequence[Lesson] = ()
    checkins: Sequence[CheckinAnswer] = ()
    pulses: Sequence[tuple[Pulse, Sequence[PulseAnswer]]] = ()  # oldest first


@dataclass(frozen=True)
class MilestoneLine:
    ref: str
    title: str
    planned: date
    forecast: date
    done: date | None
    accepted: date | None  # the client's acceptance, as a day in the project's zone
    status: MilestoneStatus

    @property
    def days_late(self) -> int:
        """Delivered (or, still open, forecast) this many days after the plan; negative: early."""
        return ((self.done or self.forecast) - self.planned).days


@dataclass(frozen=True)
class ChangeLine:
    ref: str
    title: str
    impact: Impact


@dataclass(frozen=True)
class RiskLine:
    ref: str
    title: str
    level: Level


@dataclass(frozen=True)
class Risks:
    occurred: tuple[RiskLine, ...] = ()
    avoided: tuple[RiskLine, ...] = ()  # closed without occurring
    still_open: tuple[RiskLine, ...] = ()


@dataclass(frozen=True)
class IssueGroup:
    severity: Severity
    raised: int
    resolved: int
    average_hours: float | None  # from raised to resolved, over the resolved ones
    longest_hours: float | None

    @property
    def still_open(self) -> int:
        return self.raised - self.resolved


@dataclass(frozen=True)
class ActionLine:
    ref: str
    text: str
    due: date | None


@dataclass(frozen=True)
class Actions:
    done: int = 0
    overdue: tuple[ActionLine, ...] = ()
    still_open: tuple[ActionLine, ...] = ()  # open and not overdue


@dataclass(frozen=True)
class Participation:
    prompts: int = 0
    answers: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.answers / self.prompts) if self.prompts else None


@dataclass(frozen=True)
class PulseLine:
    opened: date
    average: float | None
    answers: int


@dataclass(frozen=True)
class LessonLine:
    ref: str
    kind: str
    text: str


@dataclass(frozen=True)
class Closeout:
    project_name: str
    client_name: str
    lang: str
    tz: str
    today: date
    client_view: bool
    milestones: tuple[MilestoneLine, ...]
    changes: tuple[ChangeLine, ...]  # approved ones
    approved_total: Impact
    risks: Risks
    issues: tuple[IssueGroup, ...]  # by severity, worst first; only severities that had issues
    actions: Actions
    participation: Participation
    pulses: tuple[PulseLine, ...]  # oldest first: the satisfaction trend
    lessons: tuple[LessonLine, ...]
    charts: ChartData

    @property
    def accepted_count(self) -> int:
        return sum(1 for m in self.milestones if m.accepted is not None)

    @property
    def done_count(self) -> int:
        return sum(1 for m in self.milestones if m.done is not None)

    def figures(self) -> dict[str, Any]:
        """The numbers every rendering shows (tests compare the Markdown and the PDF against these)."""
        return {
            "milestones": len(self.milestones),
            "done": self.done_count,
            "accepted": self.accepted_count,
            "changes": len(self.changes),
            "impact_days": self.approved_total.days,
            "impact_hours": self.approved_total.hours,
            "impact_cost": self.approved_total.cost,
            "risks_occurred": len(self.risks.occurred),
            "risks_avoided": len(self.risks.avoided),
            "risks_open": len(self.risks.still_open),
            "issues": sum(g.raised for g in self.issues),
            "actions_done": self.actions.done,
            "actions_overdue": len(self.actions.overdue),
            "actions_open": len(self.actions.still_open),
            "checkin_prompts": self.participation.prompts,
            "checkin_answers": self.participation.answers,
            "lessons": len(self.lessons),
        }


def _day(at: datetime | None, zone: ZoneInfo) -> date | None:
    return at.astimezone(zone).date() if at is not None else None


def _risk_lines(risks: Iterable[Risk]) -> tuple[RiskLine, ...]:
    return tuple(RiskLine(ref_of(r), r.title, risk_level(r)) for r in by_score(risks))


def _hours(issue: Issue) -> float | None:
    if issue.resolved_at is None:
        return None
    return max(0.0, (issue.resolved_at - issue.created_at).total_seconds() / 3600)


def _issue_groups(issues: Sequence[Issue]) -> tuple[IssueGroup, ...]:
    groups: list[IssueGroup] = []
    for severity in sorted(Severity, key=lambda s: RANK[s]):
        group = [i for i in issues if severity_of(i) is severity]
        if not group:
            continue
        hours = [h for h in (_hours(i) for i in group if i.status == "resolved") if h is not None]
        groups.append(
            IssueGroup(
                severity=severity,
                raised=len(group),
                resolved=sum(1 for i in group if i.status == "resolved"),
                average_hours=round(mean(hours), 1) if hours else None,
                longest_hours=round(max(hours), 1) if hours else None,
            )
        )
    return tuple(groups)


def _actions(items: Sequence[ActionItem], *, now: datetime, tz: str) -> Actions:
    open_items = [a for a in items if a.status != "done"]
    late = [a for a in open_items if overdue_days(a, now=now, tz=tz) is not None]
    late_ids = {id(a) for a in late}

    def line(a: ActionItem) -> ActionLine:
        return ActionLine(ref_of(a), a.text, a.due_on)

    return Actions(
        done=sum(1 for a in items if a.status == "done"),
        overdue=tuple(line(a) for a in sorted(late, key=lambda a: (a.due_on or date.max, a.number))),
        still_open=tuple(
            line(a)
            for a in sorted(open_items, key=lambda a: (a.due_on or date.max, a.number))
            if id(a) not in late_ids
        ),
    )


def _participation(answers: Sequence[CheckinAnswer]) -> Participation:
    """Prompts: the people a check-in asked (a prompt went out); answers: those who answered."""
    asked = [a for a in answers if a.prompted_at is not None or a.answered_at is not None]
    return Participation(prompts=len(asked), answers=sum(1 for a in asked if a.answered_at is not None))


def _charts(milestones: tuple[MilestoneLine, ...], risks: Sequence[Risk], today: date) -> ChartData:
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in by_score(risks):
        cells.setdefault((risk.probability, risk.impact), []).append(ref_of(risk))
    heat = tuple(HeatCell(p, i, tuple(refs)) for (p, i), refs in sorted(cells.items()))
    timeline = tuple(
        TimelineRow(
            ref=m.ref,
            planned=m.planned,
            forecast=m.forecast,
            done=m.done,
            status=str(m.status),
            accepted=m.accepted is not None,
        )
        for m in milestones[:TIMELINE_ROWS]
    )
    return ChartData(heat=heat, timeline=timeline, today=today)


def compose(data: CloseoutData, lens: Lens) -> Closeout:
    """The report `lens` may read: every record filtered by the policy before anything is counted."""
    zone = ZoneInfo(data.tz)
    today = data.now.astimezone(zone).date()
    client_view = lens.client_audience
    risks = lens.admit(data.risks)
    open_risks = [r for r in risks if r.status == "open"]
    open_high = sum(1 for r in open_risks if is_high(r))
    milestones = tuple(
        MilestoneLine(
            ref=ref_of(m),
            title=m.title,
            planned=m.planned_on,
            forecast=m.forecast_on,
            done=m.done_on,
            accepted=_day(m.accepted_at, zone),
            status=status_of(m, today=today, open_high_risks=open_high),
        )
        for m in sorted(lens.admit(data.milestones), key=lambda m: (m.planned_on, m.number))
    )
    approved = [c for c in lens.admit(data.changes) if c.status == CHANGE_APPROVED]
    closed = [r for r in risks if r.status == "closed"]
    lessons = sorted(
        lens.admit(data.lessons),
        key=lambda lesson: (
            LESSON_ORDER.index(lesson.kind) if lesson.kind in LESSON_ORDER else len(LESSON_ORDER),
            lesson.number,
        ),
    )
    pulses = tuple(
        PulseLine(
            opened=pulse.opens_at.astimezone(zone).date(),
            average=round(mean(a.score for a in answers), 1) if answers else None,
            answers=len(answers),
        )
        for pulse, answers in data.pulses
        if pulse in lens.admit([pulse])
    )
    return Closeout(
        project_name=data.project_name,
        client_name=data.client_name,
        lang=data.lang,
        tz=data.tz,
        today=today,
        client_view=client_view,
        milestones=milestones,
        changes=tuple(ChangeLine(ref_of(c), c.title, impact_of(c)) for c in approved),
        approved_total=sum((impact_of(c) for c in approved), Impact()),
        risks=Risks(
            occurred=_risk_lines(r for r in closed if occurred(r)),
            avoided=_risk_lines(r for r in closed if not occurred(r)),
            still_open=_risk_lines(open_risks),
        ),
        issues=_issue_groups(lens.admit(data.issues)),
        actions=_actions(lens.admit(data.actions), now=data.now, tz=data.tz),
        participation=_participation(data.checkins),
        pulses=pulses,
        lessons=tuple(LessonLine(ref_of(x), x.kind, x.text) for x in lessons),
        charts=_charts(milestones, risks, today),
    )


# ---- loading -------------------------------------------------------------------------------------------


async def load_data(session: AsyncSession, project: Project, *, now: datetime) -> CloseoutData:
    assert project.id is not None
    pid = project.id
    return CloseoutData(
        project_name=project.name,
        client_name=project.client_name,
        lang=normalise_lang(project.lang),
        tz=project.tz,
        now=now,
        milestones=await repo.live(session, Milestone, project_id=pid),
        changes=await repo.live(session, ChangeRequest, project_id=pid),
        risks=await repo.live(session, Risk, project_id=pid),
        issues=await repo.live(session, Issue, project_id=pid),
        actions=await repo.live(session, ActionItem, project_id=pid),
        lessons=await repo.live(session, Lesson, project_id=pid),
        checkins=await repo.checkin_answers(session, project_id=pid),
        pulses=await repo.pulses_with_answers(session, project_id=pid),
    )


async def compose_for(session: AsyncSession, project: Project, lens: Lens, *, now: datetime) -> Closeout:
    return compose(await load_data(session, project, now=now), lens)


# ---- who may close, and closing ------------------------------------------------------------------------


def require_team(actor: Actor) -> None:
    """Closing is the team's: never a client user, and only from the project's own places."""
    if actor.viewer.is_external or not may(actor.viewer, actor.place, Action.ADMIN):
        raise refusal(actor.viewer)


async def start_closing(session: AsyncSession, actor: Actor, project: Project, *, now: datetime) -> bool:
    """Mark that closing started: True the first time (and the first time after a reopen), when the lessons
    forms should go out; a second preview asks nobody again."""
    require_team(actor)
    assert project.id is not None
    started = await repo.last_logged(session, project_id=project.id, action=STARTED)
    reopened = await repo.last_logged(session, project_id=project.id, action=REOPENED)
    if started is not None and (reopened is None or reopened < started):
        return False
    await closing_log(session, actor, {"started_at": now.isoformat()})
    return True


async def closing_log(session: AsyncSession, actor: Actor, changes: dict[str, Any]) -> None:
    report = await find_report(session, actor.project_id)
    assert report is not None
    await log_change(session, actor, STARTED, report, changes, ref=report.title)


async def confirm(session: AsyncSession, actor: Actor, *, now: datetime) -> Project:
    """The lead archives without the client's word (see the module docstring for who the lead is)."""
    require_team(actor)
    project = await session.get(Project, actor.project_id)
    if project is None:
        raise UsageError("grammar.no_project", "cmd.project.setup.example")
    if actor.viewer.user_id != project.created_by:
        raise UsageError("closeout.lead_only", SEND_EXAMPLE)
    return await closing.archive(session, actor, now=now)


# ---- the report as a sign-off subject ------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A project's close-out report as one sign-off subject (what the policy and the workflow need of it)."""

    id: int  # the project's id: the sign-off's subject id
    project_id: int
    title: str
    visibility: str = Visibility.CLIENT  # only the client view is ever sent
    deleted_at: datetime | None = None


async def find_report(session: AsyncSession, project_id: int) -> Report | None:
    project = await session.get(Project, project_id)
    if project is None or project.id is None:
        return None
    return Report(
        id=project.id, project_id=project.id, title=t("closeout.name", normalise_lang(project.lang))
    )


def _name_of(report: Any) -> str:
    return str(report.title)


def _amount(value: float) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _signoff_milestone(m: MilestoneLine, lang: str) -> str:
    """A date not reached yet is said in words (a client reads 'not delivered yet', not 'delivered —')."""
    if m.done is None:
        key = (
            "closeout.signoff.milestone.accepted_only"
            if m.accepted
            else "closeout.signoff.milestone.undelivered"
        )
    else:
        key = "closeout.signoff.milestone" if m.accepted else "closeout.signoff.milestone.unaccepted"
    return t(
        key,
        lang,
        ref=m.ref,
        title=escape(m.title),
        planned=render_date(m.planned, lang),
        actual=render_date(m.done, lang) if m.done else "",
        accepted=render_date(m.accepted, lang) if m.accepted else "",
    )


def signoff_content(report: Closeout) -> str:
    """The client-safe text the client signs (from the client view only), exactly as posted: the figures of
    each section; the full report's PDF and Markdown go in the message's thread (see `attach_to_signoff`)."""
    assert report.client_view, "only the client view is ever sent for sign-off"
    lang = report.lang
    f = report.figures()
    total = report.approved_total
    lines = [
        t(
            "closeout.signoff.intro",
            lang,
            report=bold(t("closeout.signoff.report", lang, project=escape(report.project_name))),
            client=escape(report.client_name),
        ),
        t("closeout.signoff.milestones", lang, count=f["milestones"], done=f["done"], accepted=f["accepted"]),
        t(
            "closeout.signoff.changes",
            lang,
            count=f["changes"],
            days=total.days,
            hours=_amount(total.hours),
            cost=_amount(total.cost),
        ),
        t(
            "closeout.signoff.risks",
            lang,
            occurred=f["risks_occurred"],
            avoided=f["risks_avoided"],
            open=f["risks_open"],
        ),
        t("closeout.signoff.issues", lang, count=f["issues"], open=sum(g.still_open for g in report.issues)),
        t(
            "closeout.signoff.actions",
            lang,
            done=f["actions_done"],
            overdue=f["actions_overdue"],
            open=f["actions_open"],
        ),
    ]
    for m in report.milestones[:SIGNOFF_MILESTONES]:
        lines.append(_signoff_milestone(m, lang))
    if len(report.milestones) > SIGNOFF_MILESTONES:
        lines.append(t("closeout.more", lang, count=len(report.milestones) - SIGNOFF_MILESTONES))
    lines.append(t("closeout.signoff.attached", lang))
    return "\n".join(lines)


async def report_subject(session: AsyncSession, actor: Actor, report: Closeout) -> signoff.Subject:
    """Version N+1 of the project's close-out report, for the client's final acceptance."""
    require_team(actor)
    found = await find_report(session, actor.project_id)
    assert found is not None
    return signoff.Subject(
        kind=SUBJECT, record=found, content=signoff_content(report), details=report.figures()
    )


async def _on_decided(
    session: AsyncSession, actor: Actor, report: Report, row: SignOff, now: datetime
) -> None:
    """Accepted (with or without remarks): the project is archived. Rejected: nothing changes (the team is
    told, with the client's reasons, by the workflow)."""
    del report
    if row.status in (signoff.APPROVED, signoff.REMARKS):
        await closing.archive(session, actor, now=now)


signoff.register(signoff.SubjectKind(SUBJECT, _on_decided, find=find_report, name_of=_name_of))
