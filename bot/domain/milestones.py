"""Milestones: a planned date, a forecast that may slip (with a reason, kept), and an actual date.

Status, from the dates as seen in the project's zone (pure: `milestone_status`):

* done     — it has an actual date (`done_on`).
* late     — today is past the planned date or the forecast date, whichever is earlier: a forecast that
             came and went, or a planned date missed while the forecast was moved out.
* at risk  — the forecast is later than planned (it slipped), or it is due within
             `AT_RISK_WINDOW_DAYS` days while the project has open high or critical risks.
* on track — otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import signoff
from bot.domain.records import (
    Actor,
    check_text,
    load,
    log_change,
    number_for,
    read_due,
    read_ref_only,
    read_title,
    ref_of,
    require,
    split_ref,
    visibility_from,
)
from bot.domain.when import DateOrder
from bot.errors import UsageError
from bot.grammar import ParsedCommand, plain_text
from bot.i18n import LANGS, t
from bot.mrkdwn import escape
from bot.policy import Action, Visibility, may, visible
from storage.models import ActionItem, AuditLog, Milestone, MilestoneSlip, Project, SignOff
from storage.repo import actions as actions_repo
from storage.repo import audit, projects
from storage.repo import milestones as repo
from storage.repo.risks import find_created_by_request

ADD_EXAMPLE = "cmd.milestone.add.example"
LIST_EXAMPLE = "cmd.milestone.list.example"
SHOW_EXAMPLE = "cmd.milestone.show.example"
DONE_EXAMPLE = "cmd.milestone.done.example"
SLIP_EXAMPLE = "cmd.milestone.slip.example"

AT_RISK_WINDOW_DAYS = 7
MAX_REASON = 1000  # MilestoneSlip.reason
MAX_TEXT = 3000
LIST_LIMIT = 20
HISTORY_LIMIT = 12


class MilestoneStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"


def milestone_status(
    *, planned_on: date, forecast_on: date, done_on: date | None, today: date, open_high_risks: int
) -> MilestoneStatus:
    """The rule in the module docstring; `open_high_risks` counts only risks the viewer may see."""
    if done_on is not None:
        return MilestoneStatus.DONE
    if today > min(planned_on, forecast_on):
        return MilestoneStatus.LATE
    if forecast_on > planned_on:
        return MilestoneStatus.AT_RISK
    if open_high_risks > 0 and (forecast_on - today) <= timedelta(days=AT_RISK_WINDOW_DAYS):
        return MilestoneStatus.AT_RISK
    return MilestoneStatus.ON_TRACK


def status_of(milestone: Milestone, *, today: date, open_high_risks: int) -> MilestoneStatus:
    return milestone_status(
        planned_on=milestone.planned_on,
        forecast_on=milestone.forecast_on,
        done_on=milestone.done_on,
        today=today,
        open_high_risks=open_high_risks,
    )


def today_in(tz: str, now: datetime) -> date:
    """The calendar day it is now in the project's zone (UTC in, local out)."""
    return now.astimezone(ZoneInfo(tz)).date()


# ---- reading commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneDraft:
    title: str
    planned_on: date
    visibility: Visibility = Visibility.INTERNAL


async def read_new_milestone(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> MilestoneDraft:
    ex = ADD_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    title = read_title(parsed.text, example=ex, missing="milestone.need_title")
    due = parsed.opt("due")
    if due is None:
        raise UsageError("milestone.need_due", ex)
    planned_on = await read_due(due, now=now, tz=tz, example=ex, country=country, date_order=date_order)
    if planned_on is None:
        raise UsageError("milestone.need_due", ex)
    return MilestoneDraft(
        title=title,
        planned_on=planned_on,
        visibility=visibility_from(parsed.flags, example="cmd.milestone.add.example"),
    )


@dataclass(frozen=True)
class SlipRequest:
    ref: str
    to_on: date
    reason: str


async def read_slip(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> SlipRequest:
    ex = SLIP_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    ref, rest = split_ref(parsed.text, example=ex, prefix="MS")
    reason = (parsed.opt("reason") or rest).strip()
    if parsed.opt("reason") is not None and rest:
        raise UsageError("grammar.unexpected_text", ex, text=rest[:80])
    to = parsed.opt("to")
    if to is None:
        raise UsageError("milestone.need_to", ex)
    to_on = await read_due(to, now=now, tz=tz, example=ex, country=country, date_order=date_order)
    if to_on is None:
        raise UsageError("milestone.need_to", ex)
    today = today_in(tz, now)
    if to_on < today:
        # A forecast is a date still to come; a milestone already delivered is `done`, not slipped.
        raise UsageError("milestone.slip_past", ex, ref=ref, date=to_on, today=today)
    if not reason:
        raise UsageError("milestone.need_reason", ex)
    return SlipRequest(
        ref=ref, to_on=to_on, reason=check_text(reason, what="reason", limit=MAX_REASON, example=ex)
    )


def read_done(parsed: ParsedCommand) -> str:
    return read_ref_only(parsed, example=DONE_EXAMPLE, prefix="MS")


def read_show(parsed: ParsedCommand) -> str:
    return read_ref_only(parsed, example=SHOW_EXAMPLE, prefix="MS")


LIST_WORDS = {"open": True, "未完成": True, "all": False, "全部": False, "所有": False}


def read_list(parsed: ParsedCommand) -> bool:
    """`/milestone list [open|all]`: whether to leave out milestones already done."""
    word = parsed.text.strip().lower()
    if not word:
        return False
    if word not in LIST_WORDS:
        raise UsageError("milestone.bad_filter", LIST_EXAMPLE, value=word[:40])
    return LIST_WORDS[word]


# ---- changes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    milestone: Milestone
    repeated: bool = False
    before: date | None = None  # the forecast a slip moved away from


async def create_milestone(
    session: AsyncSession, actor: Actor, draft: MilestoneDraft, *, request_key: str
) -> Saved:
    require(actor, Action.CREATE, ADD_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        earlier = await find_created_by_request(
            session,
            Milestone,
            project_id=actor.project_id,
            action="milestone.create",
            request_key=request_key,
        )
        if earlier is not None and may(actor.viewer, actor.place, Action.READ, earlier):
            return Saved(milestone=earlier, repeated=True)
        raise UsageError("risk.already_recorded")
    milestone = await repo.create_milestone(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Milestone, actor.project_id),
        visibility=str(draft.visibility),
        title=draft.title,
        planned_on=draft.planned_on,
        created_by=actor.viewer.user_id,
    )
    changes = {
        "title": draft.title,
        "planned_on": draft.planned_on,
        "visibility": str(draft.visibility),
        "request": request_key,
    }
    await log_change(session, actor, "milestone.create", milestone, changes)
    return Saved(milestone=milestone)


async def _repeat(session: AsyncSession, actor: Actor, ref: str, example: str) -> Saved:
    milestone = await load(session, Milestone, actor, ref, action=Action.READ, example=example)
    return Saved(milestone=milestone, repeated=True)


async def mark_done(session: AsyncSession, actor: Actor, ref: str, *, today: date, request_key: str) -> Saved:
    require(actor, Action.UPDATE, DONE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, DONE_EXAMPLE)
    milestone = await load(session, Milestone, actor, ref, action=Action.UPDATE, example=DONE_EXAMPLE)
    if milestone.done_on is not None:
        raise UsageError(
            "milestone.already_done", DONE_EXAMPLE, ref=ref_of(milestone), date=milestone.done_on
        )
    await repo.update_milestone(session, milestone=milestone, changes={"done_on": today})
    await log_change(session, actor, "milestone.done", milestone, {"done_on": today})
    return Saved(milestone=milestone)


async def slip_milestone(
    session: AsyncSession, actor: Actor, slip: SlipRequest, *, request_key: str
) -> Saved:
    require(actor, Action.UPDATE, SLIP_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, slip.ref, SLIP_EXAMPLE)
    milestone = await load(session, Milestone, actor, slip.ref, action=Action.UPDATE, example=SLIP_EXAMPLE)
    if milestone.done_on is not None:
        raise UsageError(
            "milestone.already_done", SLIP_EXAMPLE, ref=ref_of(milestone), date=milestone.done_on
        )
    if slip.to_on == milestone.forecast_on:
        raise UsageError("milestone.same_date", SLIP_EXAMPLE, ref=ref_of(milestone), date=slip.to_on)
    assert milestone.id is not None
    before = milestone.forecast_on
    await repo.add_slip(
        session,
        milestone_id=milestone.id,
        from_on=before,
        to_on=slip.to_on,
        reason=slip.reason,
        by_user_id=actor.viewer.user_id,
    )
    await repo.update_milestone(session, milestone=milestone, changes={"forecast_on": slip.to_on})
    await log_change(
        session,
        actor,
        "milestone.slip",
        milestone,
        {"forecast_on": [before, slip.to_on], "reason": slip.reason},
    )
    return Saved(milestone=milestone, before=before)


# ---- reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    milestone: Milestone
    status: MilestoneStatus


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    total: int  # every milestone the viewer may see, never hidden ones

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def listing(
    visible_milestones: Sequence[Milestone], *, today: date, open_high_risks: int, limit: int = LIST_LIMIT
) -> Listing:
    """Pure: open milestones by forecast date first, then the done ones (most recent first)."""
    pending = sorted(
        (m for m in visible_milestones if m.done_on is None), key=lambda m: (m.forecast_on, m.number)
    )
    done = sorted(
        (m for m in visible_milestones if m.done_on is not None),
        key=lambda m: (m.done_on, m.number),
        reverse=True,
    )
    ordered = pending + done
    rows = [Row(m, status_of(m, today=today, open_high_risks=open_high_risks)) for m in ordered[:limit]]
    return Listing(rows=rows, total=len(ordered))


async def list_milestones(
    session: AsyncSession, actor: Actor, *, open_only: bool, today: date, open_high_risks: int
) -> Listing:
    found = await repo.list_milestones(session, project_id=actor.project_id, open_only=open_only)
    return listing(visible(actor.viewer, actor.place, found), today=today, open_high_risks=open_high_risks)


@dataclass(frozen=True)
class Acceptance:
    """Where the client's acceptance stands: the versions sent (oldest first) and whether the text the client
    accepted is still the milestone's text."""

    versions: list[SignOff]
    changed: bool = False

    @property
    def latest(self) -> SignOff | None:
        return self.versions[-1] if self.versions else None

    @property
    def accepted(self) -> SignOff | None:
        """The last version the client accepted, if any (a later rejection does not undo the record of it)."""
        done = [v for v in self.versions if v.status in (signoff.APPROVED, signoff.REMARKS)]
        return done[-1] if done else None


@dataclass(frozen=True)
class Detail:
    milestone: Milestone
    status: MilestoneStatus
    slips: list[MilestoneSlip]
    history: list[AuditLog]
    earlier: int
    acceptance: Acceptance = field(default_factory=lambda: Acceptance(versions=[]))


async def milestone_detail(
    session: AsyncSession, actor: Actor, ref: str, *, today: date, open_high_risks: int
) -> Detail:
    milestone = await load(session, Milestone, actor, ref, action=Action.READ, example=SHOW_EXAMPLE)
    assert milestone.id is not None
    slips = await repo.list_slips(session, milestone_id=milestone.id)
    entries = await audit.list_audit(
        session, project_id=actor.project_id, record_ref=ref_of(milestone), limit=500
    )
    shown = entries[-HISTORY_LIMIT:]
    versions = await signoff.history(session, subject="milestone", record=milestone)
    project = await session.get(Project, milestone.project_id)
    tz = project.tz if project is not None else "UTC"
    return Detail(
        milestone=milestone,
        status=status_of(milestone, today=today, open_high_risks=open_high_risks),
        slips=slips,
        history=shown,
        earlier=len(entries) - len(shown),
        acceptance=Acceptance(versions=versions, changed=changed_since_accepted(milestone, versions, tz=tz)),
    )


def changed_since_accepted(milestone: Milestone, versions: list[SignOff], *, tz: str) -> bool:
    """The milestone's acceptance text is no longer the one the client accepted.

    The text is compared as it would be sent in either language (a project switching language is no change),
    and with no delivery date when the acceptance itself supplied it (accepting an undelivered milestone
    marks it delivered that day, which must not read as a change to what was accepted).
    """
    if not any(v.status in (signoff.APPROVED, signoff.REMARKS) for v in versions):
        return False
    candidates = [milestone]
    accepted = next(v for v in reversed(versions) if v.status in (signoff.APPROVED, signoff.REMARKS))
    if accepted.decided_at is not None and milestone.done_on == today_in(tz, accepted.decided_at):
        candidates.append(milestone.model_copy(update={"done_on": None}))
    return all(
        signoff.changed_since_signed(versions, acceptance_content(m, lang))
        for m in candidates
        for lang in LANGS
    )


# ---- acceptance: the client's word on a delivered milestone ---------------------------------------------

CRITERIA_EXAMPLE = "cmd.milestone.criteria.example"
ACCEPT_EXAMPLE = "cmd.milestone.accept.example"
MAX_CRITERIA = 20
MAX_CRITERION = 300
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、])\s*")


def read_criteria(raw: str) -> tuple[str, list[str]]:
    """`MS-2 <one criterion per line>` (bullets and numbers are dropped); text is kept as typed."""
    ex = CRITERIA_EXAMPLE
    check_text(raw, what="text", limit=MAX_TEXT * 3, example=ex)
    head, _, rest = raw.strip().partition("\n")
    ref, first = split_ref(head, example=ex, prefix="MS")
    lines = [first, *rest.splitlines()]
    criteria = [" ".join(plain_text(_BULLET.sub("", line)).split()) for line in lines]
    criteria = [c for c in criteria if c]
    if not criteria:
        raise UsageError("milestone.need_criteria", ex)
    if len(criteria) > MAX_CRITERIA:
        raise UsageError("milestone.too_many_criteria", ex, count=len(criteria), limit=MAX_CRITERIA)
    for criterion in criteria:
        if len(criterion) > MAX_CRITERION:
            raise UsageError("milestone.criterion_too_long", ex, limit=MAX_CRITERION)
    return ref, criteria


def read_accept(parsed: ParsedCommand) -> str:
    return read_ref_only(parsed, example=ACCEPT_EXAMPLE, prefix="MS")


async def set_criteria(
    session: AsyncSession, actor: Actor, ref: str, criteria: list[str], *, request_key: str
) -> Saved:
    require(actor, Action.UPDATE, CRITERIA_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, CRITERIA_EXAMPLE)
    milestone = await load(session, Milestone, actor, ref, action=Action.UPDATE, example=CRITERIA_EXAMPLE)
    before = list(milestone.criteria or [])
    await repo.update_milestone(session, milestone=milestone, changes={"criteria": criteria})
    await log_change(session, actor, "milestone.criteria", milestone, {"criteria": [before, criteria]})
    return Saved(milestone=milestone)


def acceptance_content(milestone: Milestone, lang: str) -> str:
    """The client-safe text the client accepts, exactly as posted (user text escaped, nothing internal)."""
    lines = [
        f"*{ref_of(milestone)} · {escape(milestone.title)}*",
        t(
            "milestone.accept.dates",
            lang,
            planned=milestone.planned_on.isoformat(),
            forecast=milestone.forecast_on.isoformat(),
            done=milestone.done_on.isoformat() if milestone.done_on else "—",
        ),
    ]
    criteria = list(milestone.criteria or [])
    if criteria:
        lines.append(t("milestone.accept.criteria", lang))
        lines.extend(f"{n}. {escape(c)}" for n, c in enumerate(criteria, 1))
    else:
        lines.append(t("milestone.accept.no_criteria", lang))
    return "\n".join(lines)


async def acceptance_subject(session: AsyncSession, actor: Actor, ref: str, *, lang: str) -> signoff.Subject:
    require(actor, Action.UPDATE, ACCEPT_EXAMPLE)
    milestone = await load(session, Milestone, actor, ref, action=Action.UPDATE, example=ACCEPT_EXAMPLE)
    return signoff.Subject(kind="milestone", record=milestone, content=acceptance_content(milestone, lang))


async def _on_acceptance(
    session: AsyncSession, actor: Actor, milestone: Milestone, row: SignOff, now: datetime
) -> None:
    """Accepted: the milestone is accepted (and delivered, if the team had not said so). Rejected: it is
    open again, and the client's reasons become an action item for whoever added the milestone."""
    project = await session.get(Project, milestone.project_id)
    today = today_in(project.tz if project else "UTC", now)
    if row.status in (signoff.APPROVED, signoff.REMARKS):
        changes: dict[str, object] = {"accepted_at": now}
        if milestone.done_on is None:
            changes["done_on"] = today
        await repo.update_milestone(session, milestone=milestone, changes=changes)
        return
    await repo.update_milestone(session, milestone=milestone, changes={"done_on": None, "accepted_at": None})
    lang = project.lang if project else "en"
    text = t("milestone.rejected_action", lang, ref=ref_of(milestone), reason=row.remarks)[:3000]
    item = await actions_repo.create_action(
        session,
        project_id=milestone.project_id,
        number=await number_for(session, ActionItem, milestone.project_id),
        visibility=milestone.visibility,
        text=text,
        created_by=actor.viewer.user_id,
        owner_user_id=milestone.created_by,
        owner_team_id=None,
    )
    await log_change(session, actor, "action.create", item, {"text": text, "from": ref_of(milestone)})


signoff.register(signoff.SubjectKind("milestone", _on_acceptance))
