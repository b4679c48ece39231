"""Digests: what a digest says, composed purely from records already loaded and a policy lens.

Everything shown goes through the access policy first (`Lens.admit`: `visible_in` for the place the
digest goes to, then `visible` for the person previewing it), so every list, count, "and N more", chart
input and the stored summary are computed from the filtered records only.

Overall status (`overall_status`), from what the audience may see:

* late     — an open milestone is late (the milestone rule in `bot.domain.milestones`).
* at risk  — otherwise, an open milestone is at risk, or an open risk is critical.
* on track — otherwise.

Fields that stay with the team even when the record is shared: slip reasons (as in `/milestone show`),
and check-in answers, which carry no visibility: a client digest shows only the average progress, never
who reported or their blockers.

Sign-offs carry no visibility of their own: each version is admitted only if the record it is about is
(`Lens.admit` on the record), so a version of a record that is internal now never shows, whatever it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.domain import signoff
from bot.domain.actions import overdue_days
from bot.domain.kinds import RecordKind
from bot.domain.milestones import MilestoneStatus, status_of
from bot.domain.records import ref_of
from bot.domain.risks import Level, by_score, is_high, risk_level
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.policy import Place, Record, Viewer, shows_internal_fields, visible, visible_in
from storage.models import (
    ActionItem,
    CheckinAnswer,
    Decision,
    Milestone,
    MilestoneSlip,
    Minutes,
    Risk,
    SignOff,
)

PREVIEW_EXAMPLE = "cmd.digest.preview.example"
NOW_EXAMPLE = "cmd.digest.now.example"
EVERY_EXAMPLE = "cmd.digest.every.example"

DEFAULT_PERIOD = timedelta(days=7)
SOON_DAYS = 7  # open action items due within this many days are "due soon"
SUMMARY_VERSION = 1

R = TypeVar("R", bound=Record)


class DigestAudience(StrEnum):
    CLIENT = "client"
    INTERNAL = "internal"


AUDIENCE_WORDS: dict[str, DigestAudience] = {
    "client": DigestAudience.CLIENT,
    "客户": DigestAudience.CLIENT,
    "internal": DigestAudience.INTERNAL,
    "team": DigestAudience.INTERNAL,
    "内部": DigestAudience.INTERNAL,
    "团队": DigestAudience.INTERNAL,
}
CHART_WORDS: dict[str, bool] = {
    "on": True,
    "yes": True,
    "true": True,
    "开": True,
    "是": True,
    "off": False,
    "no": False,
    "false": False,
    "none": False,
    "关": False,
    "否": False,
}
TO_WORDS = frozenset({"to", "到", "发到", "发送到"})


class OverallStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


# ---- the command's words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestRequest:
    """`/digest preview|now|every …` read: audience (None: decided by the place), target, charts, rule."""

    audience: DigestAudience | None = None
    channel_id: str | None = None
    charts: bool = True
    rule_text: str = ""


def read_request(parsed: ParsedCommand, *, example: str, wants_rule: bool) -> DigestRequest:
    """Audience words (`client`, `[internal]`, 客户…), `to:#channel`, `charts:off`, and the rest.

    The rest is the recurrence for `every` and must be empty otherwise.
    """
    audiences = {AUDIENCE_WORDS[f] for f in parsed.flags if f in AUDIENCE_WORDS}
    rest: list[str] = []
    for word in parsed.unquoted.split():
        low = word.lower()
        if low in AUDIENCE_WORDS:
            audiences.add(AUDIENCE_WORDS[low])
        elif word.startswith("#"):
            if rest and rest[-1].lower() in TO_WORDS:
                rest.pop()
        else:
            rest.append(word)
    if rest and rest[-1].lower() in TO_WORDS:
        rest.pop()
    if len(audiences) > 1:
        raise UsageError("digest.two_audiences", example)
    if parsed.quoted:
        raise UsageError("grammar.unexpected_text", example, text=parsed.quoted[0][:80])
    if len(parsed.channels) > 1:
        raise UsageError("digest.one_channel", example)
    charts = True
    if (value := parsed.opt("charts")) is not None:
        word = value.strip().lower()
        if word not in CHART_WORDS:
            raise UsageError("digest.bad_charts", example, value=value.strip()[:20])
        charts = CHART_WORDS[word]
    text = " ".join(rest)
    if wants_rule and not text:
        raise UsageError("digest.need_rule", example)
    if not wants_rule and text:
        raise UsageError("grammar.unexpected_text", example, text=text[:80])
    return DigestRequest(
        audience=next(iter(audiences), None),
        channel_id=parsed.channels[0] if parsed.channels else None,
        charts=charts,
        rule_text=text,
    )


# ---- who reads it, and so what it may contain -------------------------------------------------------


@dataclass(frozen=True)
class Lens:
    """Where the digest goes (`target`) and, for a preview, who asked and where it is shown."""

    target: Place
    viewer: Viewer | None = None
    here: Place | None = None

    def admit(self, records: Iterable[R]) -> list[R]:
        found = visible_in(self.target, records)
        if self.viewer is not None:
            found = visible(self.viewer, self.here or self.target, found)
        return found

    @property
    def client_audience(self) -> bool:
        """Only client records and client-safe fields: the policy's answer for this target and reader."""
        if self.target.client_facing:
            return True
        return self.viewer is not None and not shows_internal_fields(self.viewer, self.here or self.target)


def lens_for(
    audience: DigestAudience, target: Place, *, viewer: Viewer | None = None, here: Place | None = None
) -> Lens:
    """A client digest is composed as for a client channel wherever it goes; a shared target always is."""
    place = Place(
        channel_id=target.channel_id,
        shared=target.shared,
        client_channel=target.client_channel or audience is DigestAudience.CLIENT,
    )
    return Lens(target=place, viewer=viewer, here=here)


# ---- the period ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def period_since(last_end: datetime | None, now: datetime) -> Period:
    """Since the last delivered digest of the same audience, else the last seven days."""
    if last_end is not None and last_end < now:
        return Period(start=last_end, end=now)
    return Period(start=now - DEFAULT_PERIOD, end=now)


# ---- inputs and outputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestData:
    """Records loaded for one project and period (unfiltered: the lens decides what is shown)."""

    project_name: str
    client_name: str
    lang: str
    tz: str
    home_team_id: str
    period: Period
    open_milestones: Sequence[Milestone] = ()
    done_milestones: Sequence[Milestone] = ()  # done within the period
    slips: Sequence[tuple[MilestoneSlip, Milestone]] = ()  # forecast moves within the period
    actions_done: Sequence[ActionItem] = ()  # done within the period
    actions_open_due: Sequence[ActionItem] = ()  # open, due by today + SOON_DAYS (overdue included)
    open_risks: Sequence[Risk] = ()
    closed_risks: Sequence[Risk] = ()  # closed within the period
    decisions: Sequence[Decision] = ()  # recorded within the period
    minutes: Sequence[Minutes] = ()  # recorded within the period
    awaiting: Sequence[Minutes] = ()  # sent to the client, not confirmed or changed since
    checkins: Sequence[CheckinAnswer] = ()  # answered within the period
    # Versions waiting for the client's word, and those decided within the period, each with its record.
    signoffs: Sequence[tuple[SignOff, Any]] = ()
    holidays: str | None = None  # the project's holiday calendar (working days waited)
    pulse_trend: Sequence[float] = ()  # client satisfaction averages, newest first (the team's only)
    # Kinds listed generically (bot/domain/kinds.py, Shown.OPEN), each with its open records, unfiltered.
    open_records: Sequence[tuple[RecordKind, Sequence[Any]]] = ()
    previous: Mapping[str, Any] | None = None  # the summary stored with the last digest of this audience


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    status: MilestoneStatus

    @property
    def ref(self) -> str:
        return ref_of(self.milestone)


@dataclass(frozen=True)
class SlipRow:
    slip: MilestoneSlip
    milestone: Milestone


@dataclass(frozen=True)
class SignOffRow:
    """A version sent for the client's word, with the (admitted) record it is about."""

    signoff: SignOff
    record: Any
    waiting_days: int = 0  # working days since it was sent, to the end of the period (waiting ones)

    @property
    def ref(self) -> str:
        return signoff.subject_name(self.signoff, self.record)


@dataclass(frozen=True)
class OpenList:
    """One generically listed kind's open records the audience may see, most urgent first."""

    kind: RecordKind
    records: tuple[Any, ...]


@dataclass(frozen=True)
class Progress:
    average: int | None  # mean reported progress, percent
    reports: int
    reporters: tuple[str, ...] = ()  # Slack user ids; team view only
    blockers: tuple[tuple[str, str], ...] = ()  # (user id, text); team view only


@dataclass(frozen=True)
class Change:
    """What moved since the last digest of the same audience (`first` when there was none)."""

    first: bool
    status_before: OverallStatus | None = None
    open_risks_before: int | None = None
    open_milestones_before: int | None = None
    overdue_before: int | None = None
    moved: tuple[str, ...] = ()  # milestone refs whose forecast changed since then


@dataclass(frozen=True)
class Digest:
    project_name: str
    client_name: str
    lang: str
    tz: str
    audience: DigestAudience  # what was asked for
    client_view: bool  # what the policy allows: only client records and client-safe fields
    period: Period
    today: date
    status: OverallStatus
    change: Change
    upcoming: tuple[MilestoneRow, ...] = ()
    done: tuple[MilestoneRow, ...] = ()
    slips: tuple[SlipRow, ...] = ()
    progress: Progress | None = None
    actions_done: tuple[ActionItem, ...] = ()
    due_soon: tuple[ActionItem, ...] = ()
    overdue: tuple[ActionItem, ...] = ()
    waiting_on_client: tuple[ActionItem, ...] = ()
    top_risks: tuple[Risk, ...] = ()
    new_risks: tuple[Risk, ...] = ()
    closed_risks: tuple[Risk, ...] = ()
    decisions: tuple[Decision, ...] = ()
    minutes: tuple[Minutes, ...] = ()
    awaiting: tuple[Minutes, ...] = ()
    signoffs_waiting: tuple[SignOffRow, ...] = ()  # oldest first
    signoffs_decided: tuple[SignOffRow, ...] = ()  # decided within the period, in the order decided
    pulse_trend: tuple[float, ...] = ()  # team view only: averages of the latest closed pulses
    open_lists: tuple[OpenList, ...] = ()  # kinds listed generically, in registry order
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Nothing happened and nothing is open that this audience may see."""
        return not (
            self.upcoming
            or self.done
            or self.slips
            or (self.progress is not None and self.progress.reports)
            or self.actions_done
            or self.due_soon
            or self.overdue
            or self.waiting_on_client
            or self.top_risks
            or self.closed_risks
            or self.decisions
            or self.minutes
            or self.awaiting
            or self.signoffs_waiting
            or self.signoffs_decided
            or any(open_list.records for open_list in self.open_lists)
        )


# ---- rules --------------------------------------------------------------------------------------------


def overall_status(milestones: Iterable[MilestoneRow], open_risks: Iterable[Risk]) -> OverallStatus:
    """The rule in the module docstring, over records the audience may see."""
    statuses = {row.status for row in milestones}
    if MilestoneStatus.LATE in statuses:
        return OverallStatus.LATE
    if MilestoneStatus.AT_RISK in statuses:
        return OverallStatus.AT_RISK
    if any(risk_level(r) is Level.CRITICAL for r in open_risks):
        return OverallStatus.AT_RISK
    return OverallStatus.ON_TRACK


def client_owned(item: ActionItem, *, home_team_id: str) -> bool:
    """Waits on the client: owned by someone from another organisation, or by a person named, not tagged."""
    if item.owner_team_id is not None and item.owner_team_id != home_team_id:
        return True
    return item.owner_user_id is None and bool(item.owner_name)


def today_of(period: Period, tz: str) -> date:
    return period.end.astimezone(ZoneInfo(tz)).date()


def _within(at: datetime | None, period: Period) -> bool:
    return at is not None and period.start <= at < period.end


def _progress(answers: Sequence[CheckinAnswer], *, team_view: bool) -> Progress | None:
    if not answers:
        return None
    # The team's progress: a client user's answer never counts (check-ins without progress store none).
    values = [a.progress for a in answers if a.progress is not None and not a.by_client]
    average = round(sum(values) / len(values)) if values else None
    if not team_view:
        return Progress(average=average, reports=len(answers)) if average is not None else None
    reporters = tuple(dict.fromkeys(a.user_id for a in answers))
    blockers = tuple((a.user_id, a.blockers.strip()) for a in answers if a.blockers.strip())
    return Progress(average=average, reports=len(answers), reporters=reporters, blockers=blockers)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _change(previous: Mapping[str, Any] | None, summary: Mapping[str, Any]) -> Change:
    """Compare with the last summary only if it was made for the same view: a team summary's counts must
    never be shown beside a client view's."""
    if not previous or previous.get("v") != SUMMARY_VERSION or previous.get("view") != summary["view"]:
        return Change(first=True)
    try:
        before = OverallStatus(str(previous.get("status")))
    except ValueError:
        before = None
    then = previous.get("forecasts")
    now = summary["forecasts"]
    moved = (
        tuple(ref for ref, day in now.items() if ref in then and then[ref] != day)
        if isinstance(then, dict)
        else ()
    )
    return Change(
        first=False,
        status_before=before,
        open_risks_before=_int(previous.get("open_risks")),
        open_milestones_before=_int(previous.get("open_milestones")),
        overdue_before=_int(previous.get("overdue")),
        moved=moved,
    )


MINUTES = "minutes"  # minutes waiting for confirmation have their own list, with buttons (`awaiting`)


def signoff_rows(data: DigestData, lens: Lens) -> tuple[tuple[SignOffRow, ...], tuple[SignOffRow, ...]]:
    """(waiting, decided within the period): only versions whose record the lens admits."""
    admitted = {id(record) for record in lens.admit(record for _row, record in data.signoffs)}
    shown = [(row, record) for row, record in data.signoffs if id(record) in admitted]
    waiting = tuple(
        SignOffRow(
            row,
            record,
            signoff.waiting_days(row, now=data.period.end, tz=data.tz, holidays=data.holidays),
        )
        for row, record in sorted(shown, key=lambda pair: (pair[0].requested_at, pair[0].id or 0))
        if row.status == signoff.WAITING and row.subject != MINUTES
    )
    decided = tuple(
        SignOffRow(row, record)
        for row, record in sorted(
            shown, key=lambda pair: (pair[0].decided_at or data.period.end, pair[0].id or 0)
        )
        if row.status in signoff.OUTCOMES and _within(row.decided_at, data.period)
    )
    return waiting, decided


def compose(data: DigestData, lens: Lens, audience: DigestAudience) -> Digest:
    """The digest `lens` may read: every record filtered by the policy before anything is counted."""
    period, today = data.period, today_of(data.period, data.tz)
    client_view = lens.client_audience
    open_risks = by_score(r for r in lens.admit(data.open_risks) if r.status == "open")
    open_high = sum(1 for r in open_risks if is_high(r))
    upcoming = tuple(
        MilestoneRow(m, status_of(m, today=today, open_high_risks=open_high))
        for m in sorted(
            (m for m in lens.admit(data.open_milestones) if m.done_on is None),
            key=lambda m: (m.forecast_on, m.number),
        )
    )
    done = tuple(
        MilestoneRow(m, MilestoneStatus.DONE)
        for m in sorted(
            (m for m in lens.admit(data.done_milestones) if m.done_on is not None),
            key=lambda m: (m.done_on or date.min, m.number),
            reverse=True,
        )
    )
    seen_milestones = {m.id for m in lens.admit(m for _s, m in data.slips)}
    slips = tuple(
        SlipRow(s, m)
        for s, m in sorted(data.slips, key=lambda pair: pair[0].at)
        if m.id in seen_milestones and _within(s.at, period)
    )
    open_actions = [a for a in lens.admit(data.actions_open_due) if a.status == "open" and a.due_on]
    by_due = sorted(open_actions, key=lambda a: (a.due_on or date.max, a.number))
    soon = today + timedelta(days=SOON_DAYS)
    waiting = tuple(a for a in by_due if client_owned(a, home_team_id=data.home_team_id))
    ours = [a for a in by_due if not client_owned(a, home_team_id=data.home_team_id)]
    # past due at the period's end, in the project's zone (an item due today at 17:00 is overdue from 17:00)
    late = {id(a) for a in by_due if overdue_days(a, now=period.end, tz=data.tz) is not None}
    overdue = tuple(a for a in ours if id(a) in late)
    due_soon = tuple(a for a in ours if id(a) not in late and a.due_on is not None and a.due_on <= soon)
    waiting = tuple(a for a in waiting if a.due_on is not None and a.due_on <= soon)
    actions_done = tuple(
        sorted(
            (a for a in lens.admit(data.actions_done) if a.status == "done" and _within(a.done_at, period)),
            key=lambda a: a.number,
        )
    )
    closed = tuple(
        by_score(
            r for r in lens.admit(data.closed_risks) if r.status == "closed" and _within(r.closed_at, period)
        )
    )
    new_risks = tuple(r for r in open_risks if _within(r.created_at, period))
    status = overall_status(upcoming, open_risks)
    signoffs_waiting, signoffs_decided = signoff_rows(data, lens)
    open_lists = tuple(
        OpenList(kind, tuple(sorted(lens.admit(r for r in records if rule.is_open(r)), key=rule.sort_key)))
        for kind, records in data.open_records
        if (rule := kind.open) is not None
    )
    overdue_total = len(overdue) + sum(1 for a in waiting if id(a) in late)
    summary: dict[str, Any] = {
        "v": SUMMARY_VERSION,
        "view": "client" if client_view else "team",
        "status": str(status),
        "open_risks": len(open_risks),
        "open_milestones": len(upcoming),
        "overdue": overdue_total,
        "waiting_on_client": len(waiting),
        "signoffs_waiting": len(signoffs_waiting),
        **{f"open_{o.kind.name}": len(o.records) for o in open_lists},
        "risks": [ref_of(r) for r in open_risks],
        "forecasts": {row.ref: row.milestone.forecast_on.isoformat() for row in upcoming},
    }
    return Digest(
        project_name=data.project_name,
        client_name=data.client_name,
        lang=data.lang,
        tz=data.tz,
        audience=audience,
        client_view=client_view,
        period=period,
        today=today,
        status=status,
        change=_change(data.previous, summary),
        upcoming=upcoming,
        done=done,
        slips=slips,
        progress=_progress(
            [a for a in data.checkins if _within(a.answered_at, period)], team_view=not client_view
        ),
        actions_done=actions_done,
        due_soon=due_soon,
        overdue=overdue,
        waiting_on_client=waiting,
        top_risks=tuple(open_risks),
        new_risks=new_risks,
        closed_risks=closed,
        decisions=tuple(
            sorted(
                (d for d in lens.admit(data.decisions) if _within(d.created_at, period)),
                key=lambda d: d.number,
            )
        ),
        minutes=tuple(
            sorted(
                (m for m in lens.admit(data.minutes) if _within(m.created_at, period)),
                key=lambda m: m.number,
            )
        ),
        awaiting=tuple(sorted(lens.admit(data.awaiting), key=lambda m: m.number)),
        signoffs_waiting=signoffs_waiting,
        signoffs_decided=signoffs_decided,
        pulse_trend=() if client_view else tuple(data.pulse_trend),
        open_lists=open_lists,
        summary=summary,
    )


# ---- chart inputs -------------------------------------------------------------------------------------

TIMELINE_ROWS = 12


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class TimelineRow:
    ref: str
    planned: date
    forecast: date
    done: date | None
    status: str
    accepted: bool = False  # the client accepted it (apart from the team's "done")


@dataclass(frozen=True)
class ChartData:
    """What the pictures show: ids and numbers from the filtered digest only, never titles."""

    heat: tuple[HeatCell, ...]
    timeline: tuple[TimelineRow, ...]
    today: date

    @property
    def empty(self) -> bool:
        return not self.heat and not self.timeline


def chart_data(digest: Digest) -> ChartData:
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in digest.top_risks:
        cells.setdefault((risk.probability, risk.impact), []).append(ref_of(risk))
    heat = tuple(HeatCell(p, i, tuple(refs)) for (p, i), refs in sorted(cells.items()))
    rows = [*digest.done[:4], *digest.upcoming][:TIMELINE_ROWS]
    timeline = tuple(
        TimelineRow(
            ref=row.ref,
            planned=row.milestone.planned_on,
            forecast=row.milestone.forecast_on,
            done=row.milestone.done_on,
            status=str(row.status),
            accepted=row.milestone.accepted_at is not None,
        )
        for row in rows
    )
    return ChartData(heat=heat, timeline=timeline, today=digest.today)
