"""Change requests (CR-n): a change to agreed scope, schedule or cost, its impact, and the client's word on it.

A CR is a draft until `/change send` asks the client (the one sign-off workflow, bot/domain/signoff.py); the
client approves or rejects it. Approval moves the forecast of every affected milestone by the schedule
impact, counted in the project's working days (its holiday calendar, `/project settings holidays:CN`, or
Monday to Friday): "+5d" in a change request is effort-days of the team, and the team does not work on
weekends or public holidays. Each move is kept as a slip whose reason names the CR.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import records, signoff
from bot.domain.kinds import BY_PREFIX
from bot.domain.records import (
    Actor,
    check_text,
    flagged_visibility,
    load,
    log_change,
    number_for,
    ref_of,
    require,
    visibility_from,
)
from bot.domain.refs import parse_ref
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.i18n import LANGS, t
from bot.mrkdwn import escape
from bot.policy import Action, Visibility, client_safe, may, visible
from bot.timeexpr.workdays import add_working_days
from storage.models import AuditLog, ChangeRequest, Milestone, Project, SignOff
from storage.repo import audit, projects
from storage.repo import changes as repo
from storage.repo import milestones as milestones_repo
from storage.repo import signoffs as signoffs_repo
from storage.repo.records import get_by_number
from storage.repo.risks import find_created_by_request

ADD_EXAMPLE = "cmd.change.add.example"
LIST_EXAMPLE = "cmd.change.list.example"
SHOW_EXAMPLE = "cmd.change.show.example"
EDIT_EXAMPLE = "cmd.change.edit.example"
WITHDRAW_EXAMPLE = "cmd.change.withdraw.example"
SEND_EXAMPLE = "cmd.change.send.example"

MAX_TITLE = 300  # ChangeRequest.title
MAX_WHY = 3000  # ChangeRequest.why
MAX_TEXT = 6000  # one command's text
MAX_AFFECTS = 20
MAX_DAYS = 3650
MAX_HOURS = 100_000
MAX_COST = 1_000_000_000_000
LIST_LIMIT = 20
HISTORY_LIMIT = 12

DRAFT, SENT, APPROVED, REJECTED, WITHDRAWN = "draft", "sent", "approved", "rejected", "withdrawn"
EDITABLE = (DRAFT, SENT)
AFFECTABLE = ("MS", "RQ")  # the kinds a change request may name in `affects:`
NONE_WORDS = frozenset({"none", "-", "—", "无", "没有", "清除"})

T = TypeVar("T")


# ---- impact: `+5d,+16h,cost:8000` / `5天,16小时,费用:8000` ---------------------------------------------


@dataclass(frozen=True)
class Impact:
    days: int = 0  # schedule, working days
    hours: float = 0.0  # effort
    cost: float = 0.0  # in the project's currency, as typed

    def __add__(self, other: Impact) -> Impact:
        return Impact(self.days + other.days, self.hours + other.hours, self.cost + other.cost)

    @property
    def empty(self) -> bool:
        return not (self.days or self.hours or self.cost)


_DAYS = re.compile(r"^([+-]?\d{1,5})(?:d|day|days|wd|天|日|工作日|个工作日)$", re.IGNORECASE)
_HOURS = re.compile(r"^([+-]?\d{1,7}(?:\.\d{1,2})?)(?:h|hr|hrs|hour|hours|小时|个小时|工时)$", re.IGNORECASE)
_COST = re.compile(
    r"^(?:cost|费用|成本|金额)[:=]?([+-]?)[¥$€£￥]?(\d{1,13}(?:\.\d{1,2})?)(k|万)?$", re.IGNORECASE
)
_COST_WORD = re.compile(r"(cost|费用|成本|金额)\s*[:：=]?\s*(?=[+\-¥$€£￥\d])", re.IGNORECASE)
_UNIT_GAP = re.compile(r"(\d)\s+(?=[A-Za-z\u4e00-\u9fff])")
_PARTS = re.compile(r"[,，、;；\s]+")


def parse_impact(text: str, *, example: str | None = ADD_EXAMPLE) -> Impact:
    """Days (`+5d`, `5天`), hours (`+16h`, `16小时`) and cost (`cost:8000`, `费用:8000`), any subset, in any
    order, separated by commas; `none` is no impact at all."""
    raw = " ".join(text.split())
    if raw.lower() in NONE_WORDS:
        return Impact()
    normal = _UNIT_GAP.sub(r"\1", _COST_WORD.sub(lambda m: m.group(1) + ":", raw))
    parts = [p for p in _PARTS.split(normal) if p]
    if not parts:
        raise UsageError("change.need_impact", example)
    found: dict[str, float] = {}

    def put(name: str, value: float, part: str) -> None:
        if name in found:
            raise UsageError("change.impact_twice", example, value=part[:40])
        found[name] = value

    for part in parts:
        if m := _DAYS.match(part):
            put("days", int(m.group(1)), part)
        elif m := _HOURS.match(part):
            put("hours", float(m.group(1)), part)
        elif m := _COST.match(part):
            scale = {"k": 1000, "万": 10000}.get((m.group(3) or "").lower(), 1)
            value = float(m.group(2)) * scale
            put("cost", -value if m.group(1) == "-" else value, part)
        else:
            raise UsageError("change.bad_impact", example, value=part[:40])
    impact = Impact(int(found.get("days", 0)), found.get("hours", 0.0), found.get("cost", 0.0))
    if abs(impact.days) > MAX_DAYS or abs(impact.hours) > MAX_HOURS or abs(impact.cost) > MAX_COST:
        raise UsageError("change.impact_too_big", example)
    return impact


def impact_of(change: ChangeRequest) -> Impact:
    return Impact(change.impact_days, change.impact_hours, change.impact_cost)


# ---- affected records: `affects:MS-2,RQ-3` ----------------------------------------------------------------

_AFFECTED = re.compile(r"^#?([A-Za-z]{1,2})[-\s]?(\d{1,9})$")


def parse_affects(text: str, *, example: str | None = ADD_EXAMPLE) -> list[str]:
    """References to milestones and requirements, in the order typed, each once; `none` names none."""
    raw = " ".join(text.split())
    if raw.lower() in NONE_WORDS:
        return []
    refs: list[str] = []
    for part in (p for p in _PARTS.split(raw) if p):
        m = _AFFECTED.match(part)
        prefix = m.group(1).upper() if m else ""
        if prefix not in AFFECTABLE:
            raise UsageError("change.bad_affects", example, value=part[:40])
        ref = str(parse_ref(part, prefix, example=example or ""))
        if ref not in refs:
            refs.append(ref)
    if not refs:
        raise UsageError("change.bad_affects", example, value=raw[:40] or "—")
    if len(refs) > MAX_AFFECTS:
        raise UsageError("change.too_many_affects", example, count=len(refs), limit=MAX_AFFECTS)
    return refs


async def check_affects(
    session: AsyncSession, actor: Actor, refs: Sequence[str], *, example: str
) -> list[Any]:
    """Each affected record exists in this project and is visible where the command runs (else the same
    answer as a missing one)."""
    found: list[Any] = []
    for ref in refs:
        kind = BY_PREFIX[ref.split("-", 1)[0]]
        found.append(await load(session, kind.model, actor, ref, action=Action.READ, example=example))
    return found


# ---- reading commands and the form ----------------------------------------------------------------------


def read_title(text: str, *, example: str | None = ADD_EXAMPLE) -> str:
    return records.read_title(text, example=example, missing="change.need_title", limit=MAX_TITLE)


def read_why(text: str, *, example: str | None = ADD_EXAMPLE) -> str:
    return check_text(text.strip(), what="why", limit=MAX_WHY, example=example)


@dataclass(frozen=True)
class ChangeDraft:
    title: str
    why: str = ""
    impact: Impact = Impact()
    affects: tuple[str, ...] = ()
    visibility: Visibility = Visibility.INTERNAL


def read_new_change(parsed: ParsedCommand) -> ChangeDraft:
    """`/change add "Title" why:"…" impact:+5d,+16h,cost:8000 affects:MS-2 [client]`."""
    ex = ADD_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    return ChangeDraft(
        title=read_title(parsed.text, example=ex),
        why=read_why(parsed.opt("why") or "", example=ex),
        impact=parse_impact(i, example=ex) if (i := parsed.opt("impact")) is not None else Impact(),
        affects=tuple(parse_affects(a, example=ex)) if (a := parsed.opt("affects")) is not None else (),
        visibility=visibility_from(parsed.flags, example=ex),
    )


@dataclass(frozen=True)
class ChangeForm:
    """The new-change form's raw values, as Slack sends them."""

    title: str = ""
    why: str = ""
    days: str = ""
    hours: str = ""
    cost: str = ""
    affects: str = ""
    share: bool = False


FORM_FIELDS = ("title", "why", "days", "hours", "cost", "affects")
_BARE_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def read_form(form: ChangeForm) -> tuple[ChangeDraft | None, dict[str, UsageError]]:
    """Validate every field; errors are keyed by field so each shows under its own input."""
    errors: dict[str, UsageError] = {}

    def field_value(name: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except UsageError as err:
            errors[name] = err
            return None

    def part(text: str, unit: str, key: str) -> Callable[[], Impact]:
        def read() -> Impact:
            value = " ".join(text.split())
            if not value:
                return Impact()
            if _BARE_NUMBER.match(value):
                value = f"cost:{value}" if unit == "cost" else value + unit
            elif unit == "cost" and not _COST_WORD.match(value):
                value = f"cost:{value}"
            try:
                impact = parse_impact(value, example=None)
            except UsageError:
                raise UsageError(key, None, value=text.strip()[:40]) from None
            others = {
                "d": (impact.hours, impact.cost),
                "h": (impact.days, impact.cost),
                "cost": (impact.days, impact.hours),
            }
            if any(others[unit]):
                raise UsageError(key, None, value=text.strip()[:40])
            return impact

        return read

    title = field_value("title", lambda: read_title(form.title, example=None))
    why = field_value("why", lambda: read_why(form.why, example=None))
    days = field_value("days", part(form.days, "d", "change.modal.bad_days"))
    hours = field_value("hours", part(form.hours, "h", "change.modal.bad_hours"))
    cost = field_value("cost", part(form.cost, "cost", "change.modal.bad_cost"))

    def affected() -> list[str]:
        if not form.affects.strip():
            return []
        try:
            return parse_affects(form.affects, example=None)
        except UsageError as err:
            if err.key == "change.too_many_affects":
                raise
            # Speak of the field, not of the command's `affects:` syntax.
            value = err.params.get("value") or err.params.get("text") or form.affects.strip()
            raise UsageError("change.modal.bad_affects", None, value=str(value)[:40]) from None

    affects = field_value("affects", affected)
    if errors or title is None or days is None or hours is None or cost is None or affects is None:
        return None, errors
    draft = ChangeDraft(
        title=title,
        why=why or "",
        impact=days + hours + cost,
        affects=tuple(affects),
        visibility=Visibility.CLIENT if form.share else Visibility.INTERNAL,
    )
    return draft, {}


def split_ref(text: str, *, example: str) -> tuple[str, str]:
    return records.split_ref(text, example=example, prefix="CR")


def read_ref_only(parsed: ParsedCommand, *, example: str) -> str:
    return records.read_ref_only(parsed, example=example, prefix="CR")


@dataclass(frozen=True)
class ChangeEdit:
    """`/change edit CR-3 …`: the reference and the new values of the fields named (model field names)."""

    ref: str
    values: dict[str, Any] = field(default_factory=dict)


def read_change_edit(parsed: ParsedCommand) -> ChangeEdit:
    ex = EDIT_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    ref, rest = split_ref(parsed.text, example=ex)
    if rest:
        raise UsageError("grammar.unexpected_text", ex, text=rest[:80])
    values: dict[str, Any] = {}
    if (title := parsed.opt("title")) is not None:
        values["title"] = read_title(title, example=ex)
    if (why := parsed.opt("why")) is not None:
        values["why"] = "" if why.strip().lower() in NONE_WORDS else read_why(why, example=ex)
    if (text := parsed.opt("impact")) is not None:  # the whole impact: parts not named become zero
        impact = parse_impact(text, example=ex)
        values.update(impact_days=impact.days, impact_hours=impact.hours, impact_cost=impact.cost)
    if (affects := parsed.opt("affects")) is not None:
        values["affects"] = parse_affects(affects, example=ex)
    if (vis := flagged_visibility(parsed.flags, example=ex)) is not None:
        values["visibility"] = str(vis)
    if not values:
        raise UsageError("change.nothing_to_edit", ex)
    return ChangeEdit(ref=ref, values=values)


class ChangeFilter(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    ALL = "all"


FILTER_WORDS: dict[str, ChangeFilter] = {
    "open": ChangeFilter.OPEN,
    "未决": ChangeFilter.OPEN,
    "未完成": ChangeFilter.OPEN,
    "进行中": ChangeFilter.OPEN,
    "approved": ChangeFilter.APPROVED,
    "已批准": ChangeFilter.APPROVED,
    "批准": ChangeFilter.APPROVED,
    "rejected": ChangeFilter.REJECTED,
    "已驳回": ChangeFilter.REJECTED,
    "驳回": ChangeFilter.REJECTED,
    "all": ChangeFilter.ALL,
    "全部": ChangeFilter.ALL,
    "所有": ChangeFilter.ALL,
}
FILTER_STATUSES: dict[ChangeFilter, tuple[str, ...] | None] = {
    ChangeFilter.OPEN: (DRAFT, SENT),
    ChangeFilter.APPROVED: (APPROVED,),
    ChangeFilter.REJECTED: (REJECTED,),
    ChangeFilter.ALL: None,
}


def read_list(parsed: ParsedCommand) -> ChangeFilter:
    word = parsed.text.strip().lower()
    if not word:
        return ChangeFilter.OPEN
    found = FILTER_WORDS.get(word)
    if found is None:
        raise UsageError("change.bad_filter", LIST_EXAMPLE, value=word[:40])
    return found


# ---- changes, each in one transaction with its audit entry ---------------------------------------------


@dataclass(frozen=True)
class Saved:
    """A change request after a change; `repeated` when the request was a retry and nothing was written."""

    change: ChangeRequest
    repeated: bool = False
    changed: tuple[str, ...] = ()
    superseded: SignOff | None = None  # a waiting version that a withdrawal took off the table


async def create_change(
    session: AsyncSession, actor: Actor, draft: ChangeDraft, *, request_key: str
) -> Saved:
    require(actor, Action.CREATE, ADD_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        earlier = await find_created_by_request(
            session,
            ChangeRequest,
            project_id=actor.project_id,
            action="change.create",
            request_key=request_key,
        )
        if earlier is not None and may(actor.viewer, actor.place, Action.READ, earlier):
            return Saved(change=earlier, repeated=True)
        raise UsageError("risk.already_recorded")
    await check_affects(session, actor, draft.affects, example=ADD_EXAMPLE)
    change = await repo.create_change(
        session,
        project_id=actor.project_id,
        number=await number_for(session, ChangeRequest, actor.project_id),
        visibility=str(draft.visibility),
        title=draft.title,
        why=draft.why,
        impact_days=draft.impact.days,
        impact_hours=draft.impact.hours,
        impact_cost=draft.impact.cost,
        affects=list(draft.affects),
        created_by=actor.viewer.user_id,
    )
    await log_change(
        session,
        actor,
        "change.create",
        change,
        {
            "title": draft.title,
            "impact_days": draft.impact.days,
            "impact_hours": draft.impact.hours,
            "impact_cost": draft.impact.cost,
            "affects": list(draft.affects),
            "visibility": str(draft.visibility),
            "request": request_key,
        },
    )
    return Saved(change=change)


async def _repeat(session: AsyncSession, actor: Actor, ref: str, example: str) -> Saved:
    change = await load(session, ChangeRequest, actor, ref, action=Action.READ, example=example)
    return Saved(change=change, repeated=True)


def _require_status(change: ChangeRequest, allowed: tuple[str, ...], key: str, example: str) -> None:
    if change.status not in allowed:
        raise UsageError(key, example, ref=ref_of(change))


async def update_change(session: AsyncSession, actor: Actor, edit: ChangeEdit, *, request_key: str) -> Saved:
    """Only a draft or a sent CR changes; a sent one keeps waiting until it is sent again (a new version)."""
    require(actor, Action.UPDATE, EDIT_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, edit.ref, EDIT_EXAMPLE)
    change = await load(session, ChangeRequest, actor, edit.ref, action=Action.UPDATE, example=EDIT_EXAMPLE)
    _require_status(change, EDITABLE, "change.not_editable", EDIT_EXAMPLE)
    if "affects" in edit.values:
        await check_affects(session, actor, edit.values["affects"], example=EDIT_EXAMPLE)
    diff = records.delta(change, edit.values)
    if not diff:
        return Saved(change=change)
    await repo.update_change(session, change=change, changes={k: new for k, (_old, new) in diff.items()})
    await log_change(session, actor, "change.update", change, diff)
    return Saved(change=change, changed=tuple(diff))


async def withdraw_change(session: AsyncSession, actor: Actor, ref: str, *, request_key: str) -> Saved:
    """A draft or sent CR is withdrawn; a version still waiting for the client is superseded, so a late click
    on it changes nothing."""
    require(actor, Action.UPDATE, WITHDRAW_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, WITHDRAW_EXAMPLE)
    change = await load(session, ChangeRequest, actor, ref, action=Action.UPDATE, example=WITHDRAW_EXAMPLE)
    _require_status(change, EDITABLE, "change.not_withdrawable", WITHDRAW_EXAMPLE)
    superseded = None
    versions = await signoff.history(session, subject="change", record=change)
    if versions and versions[-1].status == signoff.WAITING:
        superseded = await signoffs_repo.update_signoff(
            session, row=versions[-1], changes={"status": signoff.SUPERSEDED}
        )
    await repo.update_change(session, change=change, changes={"status": WITHDRAWN})
    await log_change(session, actor, "change.withdraw", change, {"status": [change.status, WITHDRAWN]})
    return Saved(change=change, changed=("status",), superseded=superseded)


# ---- the client's word ------------------------------------------------------------------------------------


def _amount(value: float) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _amount(value)


def impact_text(impact: Impact, lang: str) -> str:
    """`+5 working days · +16 h · cost +8,000`, the parts there are, or `none`."""
    parts = []
    if impact.days:
        parts.append(t("change.impact.days", lang, days=_signed(impact.days)))
    if impact.hours:
        parts.append(t("change.impact.hours", lang, hours=_signed(impact.hours)))
    if impact.cost:
        parts.append(t("change.impact.cost", lang, cost=_signed(impact.cost)))
    return " · ".join(parts) if parts else t("change.impact.none", lang)


def title_of(record: Any) -> str:
    return str(getattr(record, "title", None) or getattr(record, "text", ""))


def signoff_content(change: ChangeRequest, affected: Sequence[Any], lang: str) -> str:
    """The client-safe text the client decides on, exactly as posted: the title, why, impact and the affected
    records the client may see (an internal one is never named). User text is escaped."""
    lines = [f"*{ref_of(change)} · {escape(change.title)}*"]
    if change.why:
        lines.append(t("change.content.why", lang, why=escape(change.why)))
    lines.append(t("change.content.impact", lang, impact=impact_text(impact_of(change), lang)))
    shown = client_safe(list(affected))
    if shown:
        lines.append(t("change.content.affects", lang))
        lines.extend(f"• {ref_of(r)} {escape(title_of(r))}" for r in shown)
    return "\n".join(lines)


async def _affected(
    session: AsyncSession, change: ChangeRequest, *, refs: Sequence[str] | None = None
) -> list[Any]:
    """The live records a CR names (whatever their visibility: the caller filters)."""
    found: list[Any] = []
    for ref in (change.affects or []) if refs is None else refs:
        prefix, _, number = ref.partition("-")
        kind = BY_PREFIX.get(prefix)
        if kind is None or not number.isdecimal():
            continue
        record = await get_by_number(session, kind.model, project_id=change.project_id, number=int(number))
        if record is not None:
            found.append(record)
    return found


SENT_FIELDS = ("impact_days", "impact_hours", "impact_cost", "affects")


async def _as_sent(session: AsyncSession, change: ChangeRequest, version: int) -> dict[str, Any]:
    """The impact and affected records of version `version` as it was sent (kept in its audit entry), or
    the CR's own values when that entry is not found."""
    entries = await audit.list_audit(
        session, project_id=change.project_id, record_ref=ref_of(change), limit=500
    )
    values: dict[str, Any] = {name: getattr(change, name) for name in SENT_FIELDS}
    for entry in reversed(entries):
        sent = entry.changes
        if entry.action == "change.signoff_sent" and sent.get("version") == version:
            values.update({name: sent[name] for name in SENT_FIELDS if name in sent})
            break
    values["affects"] = [str(a) for a in values["affects"] or []]
    return values


@dataclass(frozen=True)
class Sent:
    change: ChangeRequest
    requested: signoff.Requested


async def send_change(
    session: AsyncSession, actor: Actor, ref: str, *, lang: str, request_key: str, now: datetime
) -> Sent | None:
    """Store the next version for the client's word; the caller posts it (in this transaction). None when the
    request is a retry of one already handled."""
    require(actor, Action.UPDATE, SEND_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return None
    change = await load(session, ChangeRequest, actor, ref, action=Action.UPDATE, example=SEND_EXAMPLE)
    _require_status(change, EDITABLE, "change.not_sendable", SEND_EXAMPLE)
    content = signoff_content(change, await _affected(session, change), lang)
    # What the client sees is what they decide on: the schedule impact and affected records of this version are
    # kept with it, so an edit made after sending cannot change what an approval of this version moves.
    details = {name: getattr(change, name) for name in SENT_FIELDS}
    details["affects"] = list(change.affects or [])
    subject = signoff.Subject(kind="change", record=change, content=content, details=details)
    requested = await signoff.request(session, actor, subject, example=SEND_EXAMPLE, now=now)
    if change.status != SENT:
        await repo.update_change(session, change=change, changes={"status": SENT})
    return Sent(change=change, requested=requested)


async def _on_decided(
    session: AsyncSession, actor: Actor, change: ChangeRequest, row: SignOff, now: datetime
) -> None:
    """Approved: the CR is approved and each affected milestone's forecast moves by the schedule impact (a
    slip naming the CR). Rejected: the CR is rejected; the client's reason stays on the sign-off row."""
    if change.status != SENT:
        return  # withdrawn meanwhile: its waiting version was superseded, so this cannot happen
    if row.status == signoff.REJECTED:
        await repo.update_change(session, change=change, changes={"status": REJECTED})
        return
    # The CR becomes what the client approved: an impact edited after this version was sent is undone.
    approved = await _as_sent(session, change, row.version)
    undone = records.delta(change, approved)
    await repo.update_change(session, change=change, changes={**approved, "status": APPROVED})
    if undone:
        await log_change(session, actor, "change.update", change, {**undone, "version": row.version})
    days, affects = int(approved["impact_days"]), approved["affects"]
    if not days:
        return
    project = await session.get(Project, change.project_id)
    assert project is not None
    calendar = signoff.calendar_of(project.holidays)
    reason = t("change.slip_reason", project.lang, ref=ref_of(change), title=change.title)[:1000]
    for record in await _affected(session, change, refs=affects):
        if not isinstance(record, Milestone) or record.done_on is not None or record.id is None:
            continue
        before = record.forecast_on
        after = add_working_days(before, days, calendar)
        await milestones_repo.add_slip(
            session,
            milestone_id=record.id,
            from_on=before,
            to_on=after,
            reason=reason,
            by_user_id=actor.viewer.user_id,
        )
        await milestones_repo.update_milestone(session, milestone=record, changes={"forecast_on": after})
        await log_change(
            session,
            actor,
            "milestone.slip",
            record,
            {"forecast_on": [before, after], "reason": reason, "change": ref_of(change)},
        )


signoff.register(signoff.SubjectKind("change", _on_decided))


# ---- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    changes: list[ChangeRequest]
    total: int  # every CR of the filter the viewer may see, never hidden ones
    approved: Impact  # the total impact of the approved CRs the viewer may see
    approved_count: int

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


def listing(seen: Sequence[ChangeRequest], flt: ChangeFilter, *, limit: int = LIST_LIMIT) -> Listing:
    """Pure: filter already-visible CRs, newest first, and add up what was approved."""
    statuses = FILTER_STATUSES[flt]
    chosen = sorted((c for c in seen if statuses is None or c.status in statuses), key=lambda c: -c.number)
    approved = [c for c in seen if c.status == APPROVED]
    total = sum((impact_of(c) for c in approved), Impact())
    return Listing(changes=chosen[:limit], total=len(chosen), approved=total, approved_count=len(approved))


async def list_changes(session: AsyncSession, actor: Actor, flt: ChangeFilter) -> Listing:
    found = await repo.list_changes(session, project_id=actor.project_id)
    return listing(visible(actor.viewer, actor.place, found), flt)


@dataclass(frozen=True)
class Detail:
    change: ChangeRequest
    affected: list[tuple[str, str | None]]  # (ref, title) the viewer may see; title None when it is gone
    history: list[AuditLog]
    earlier: int
    versions: list[SignOff]
    changed_since_sent: bool = False

    @property
    def latest(self) -> SignOff | None:
        return self.versions[-1] if self.versions else None


async def change_detail(session: AsyncSession, actor: Actor, ref: str) -> Detail:
    change = await load(session, ChangeRequest, actor, ref, action=Action.READ, example=SHOW_EXAMPLE)
    records = {ref_of(r): r for r in await _affected(session, change)}
    affected: list[tuple[str, str | None]] = []
    for name in change.affects or []:
        record = records.get(name)
        if record is None:
            if may(actor.viewer, actor.place, Action.UPDATE):  # the team learns it is gone, a client nothing
                affected.append((name, None))
        elif may(actor.viewer, actor.place, Action.READ, record):
            affected.append((name, title_of(record)))
    entries = await audit.list_audit(
        session, project_id=actor.project_id, record_ref=ref_of(change), limit=500
    )
    shown = entries[-HISTORY_LIMIT:]
    versions = await signoff.history(session, subject="change", record=change)
    waiting = versions[-1] if versions and versions[-1].status == signoff.WAITING else None
    changed = waiting is not None and all(
        signoff.content_hash(signoff_content(change, list(records.values()), lang)) != waiting.content_hash
        for lang in LANGS
    )
    return Detail(
        change=change,
        affected=affected,
        history=shown,
        earlier=len(entries) - len(shown),
        versions=versions,
        changed_since_sent=changed,
    )
