"""Risks: probability × impact scoring, the words people use for them, and the changes a risk goes through.

Scale: p (probability) and i (impact) are 1..5; `low`=2, `medium`=3, `high`=4 (低/中/高), `very low`=1,
`very high`=5 (很低/极低, 很高/极高). Score = p × i (1..25). Levels, on the usual 5×5 matrix:
low 1–4, medium 5–9, high 10–14, critical 15–25 (so high × high = 16 is critical).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import records
from bot.domain.records import (
    NONE_WORDS,
    PREFIX,
    Actor,
    change_entry,
    check_text,
    load,
    log_change,
    read_due,
    ref_of,
    require,
    visibility_from,
)
from bot.domain.when import DateOrder
from bot.errors import UsageError
from bot.grammar import ParsedCommand, Value
from bot.policy import Action, Visibility, may, visible
from storage.models import AuditLog, Risk
from storage.repo import audit, projects
from storage.repo import risks as repo
from storage.types import utcnow

ADD_EXAMPLE = "cmd.risk.add.example"
UPDATE_EXAMPLE = "cmd.risk.update.example"
LIST_EXAMPLE = "cmd.risk.list.example"
SHOW_EXAMPLE = "cmd.risk.show.example"
CLOSE_EXAMPLE = "cmd.risk.close.example"
REOPEN_EXAMPLE = "cmd.risk.reopen.example"

MAX_TITLE = 300  # Risk.title
MAX_TEXT = 3000  # Risk.response, Risk.close_note, and any one command's text
MAX_OWNER_NAME = 200  # Risk.owner_name
MAX_SEARCH = 100
OPEN, CLOSED = "open", "closed"

T = TypeVar("T")

# ---- probability and impact ------------------------------------------------------------------------

SCALE_WORDS: dict[str, int] = {
    "very low": 1,
    "lowest": 1,
    "很低": 1,
    "极低": 1,
    "low": 2,
    "l": 2,
    "低": 2,
    "medium": 3,
    "med": 3,
    "m": 3,
    "moderate": 3,
    "中": 3,
    "中等": 3,
    "high": 4,
    "h": 4,
    "高": 4,
    "very high": 5,
    "highest": 5,
    "很高": 5,
    "极高": 5,
}


def parse_scale(text: str, *, option: str, example: str = ADD_EXAMPLE) -> int:
    """A probability or impact: 1..5, or a word for one (low/medium/high, 低/中/高)."""
    word = " ".join(text.strip().lower().split())
    if word.isdecimal() and 1 <= int(word) <= 5:
        return int(word)
    if word in SCALE_WORDS:
        return SCALE_WORDS[word]
    raise UsageError("risk.bad_scale", example, option=option, value=text.strip()[:40] or "—")


def score(probability: int, impact: int) -> int:
    return probability * impact


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# (lowest score of the level, level), highest first.
LEVEL_FLOORS: tuple[tuple[int, Level], ...] = (
    (15, Level.CRITICAL),
    (10, Level.HIGH),
    (5, Level.MEDIUM),
    (1, Level.LOW),
)


def level_of(value: int) -> Level:
    for floor, level in LEVEL_FLOORS:
        if value >= floor:
            return level
    return Level.LOW


def risk_level(risk: Risk) -> Level:
    return level_of(score(risk.probability, risk.impact))


def is_high(risk: Risk) -> bool:
    """High or critical: what `/risk list high` shows and what puts a milestone at risk."""
    return risk_level(risk) in (Level.HIGH, Level.CRITICAL)


# ---- strategy --------------------------------------------------------------------------------------


class Strategy(StrEnum):
    AVOID = "avoid"
    TRANSFER = "transfer"
    MITIGATE = "mitigate"
    ACCEPT = "accept"


STRATEGY_WORDS: dict[str, Strategy] = {
    "avoid": Strategy.AVOID,
    "avoidance": Strategy.AVOID,
    "规避": Strategy.AVOID,
    "回避": Strategy.AVOID,
    "避免": Strategy.AVOID,
    "transfer": Strategy.TRANSFER,
    "share": Strategy.TRANSFER,
    "转移": Strategy.TRANSFER,
    "转嫁": Strategy.TRANSFER,
    "mitigate": Strategy.MITIGATE,
    "mitigation": Strategy.MITIGATE,
    "reduce": Strategy.MITIGATE,
    "缓解": Strategy.MITIGATE,
    "减轻": Strategy.MITIGATE,
    "降低": Strategy.MITIGATE,
    "accept": Strategy.ACCEPT,
    "acceptance": Strategy.ACCEPT,
    "接受": Strategy.ACCEPT,
}


def parse_strategy(text: str, *, example: str = ADD_EXAMPLE) -> Strategy:
    found = STRATEGY_WORDS.get(text.strip().lower())
    if found is None:
        raise UsageError("risk.bad_strategy", example, value=text.strip()[:40] or "—")
    return found


# ---- free text -------------------------------------------------------------------------------------

ME_WORDS = frozenset({"me", "myself", "我", "我自己"})


def read_title(text: str, *, example: str = ADD_EXAMPLE, missing: str = "risk.need_title") -> str:
    return records.read_title(text, example=example, missing=missing, limit=MAX_TITLE)


@dataclass(frozen=True)
class Owner:
    """A Slack user (a real mention when shown), or a person by name, or nobody."""

    user_id: str | None = None
    name: str | None = None


def read_owner(value: Value, *, viewer_id: str, example: str = ADD_EXAMPLE) -> Owner:
    if value.users:
        return Owner(user_id=value.users[0])
    text = " ".join(value.text.split())
    if text.lower() in NONE_WORDS:
        return Owner()
    if text.lower() in ME_WORDS:
        return Owner(user_id=viewer_id)
    return Owner(name=check_text(text, what="owner", limit=MAX_OWNER_NAME, example=example))


# ---- drafts (what a command or the form asks for, validated, before anything is written) ------------


@dataclass(frozen=True)
class RiskDraft:
    title: str
    probability: int
    impact: int
    owner: Owner = Owner()
    due_on: date | None = None
    strategy: Strategy = Strategy.MITIGATE
    response: str = ""
    visibility: Visibility = Visibility.INTERNAL


def _required(parsed: ParsedCommand, name: str, example: str) -> str:
    value = parsed.opt(name)
    if value is None:
        raise UsageError("risk.need_option", example, option=name)
    return value


async def read_new_risk(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    viewer_id: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> RiskDraft:
    """Validate `/risk add …`: title, p and i are required; owner, due, strategy and response optional."""
    ex = ADD_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    title = read_title(parsed.text, example=ex)
    probability = parse_scale(_required(parsed, "p", ex), option="p", example=ex)
    impact = parse_scale(_required(parsed, "i", ex), option="i", example=ex)
    owner_value = parsed.options.get("owner")
    owner = read_owner(owner_value, viewer_id=viewer_id, example=ex) if owner_value else Owner()
    strategy = parse_strategy(s, example=ex) if (s := parsed.opt("strategy")) else Strategy.MITIGATE
    response = check_text(parsed.opt("response") or "", what="response", limit=MAX_TEXT, example=ex)
    due = parsed.opt("due")
    due_on = (
        await read_due(due, now=now, tz=tz, example=ex, country=country, date_order=date_order)
        if due
        else None
    )
    return RiskDraft(
        title=title,
        probability=probability,
        impact=impact,
        owner=owner,
        due_on=due_on,
        strategy=strategy,
        response=response,
        visibility=visibility_from(parsed.flags, example=ADD_EXAMPLE),
    )


@dataclass(frozen=True)
class RiskForm:
    """The new-risk form's raw values, as Slack sends them."""

    title: str = ""
    p: str = ""
    i: str = ""
    owner_user_id: str | None = None
    due: str | None = None  # YYYY-MM-DD from the date picker
    strategy: str | None = None
    response: str = ""
    share: bool = False


FORM_FIELDS = ("title", "p", "i", "owner", "due", "strategy", "response")


def read_form(form: RiskForm) -> tuple[RiskDraft | None, dict[str, UsageError]]:
    """Validate every field of the form; the errors are keyed by field so each shows under its input."""
    errors: dict[str, UsageError] = {}

    def field_value(name: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except UsageError as err:
            errors[name] = err
            return None

    def due() -> date | None:
        if not form.due:
            return None
        try:
            return date.fromisoformat(form.due)
        except ValueError:
            raise UsageError("risk.modal.bad_date") from None

    def chosen(read: Callable[[], T], key: str) -> Callable[[], T]:
        """A menu left empty, or answered with a value it never offered: speak of the menu, not of the
        command's `p:` syntax."""

        def read_choice() -> T:
            try:
                return read()
            except UsageError:
                raise UsageError(key) from None

        return read_choice

    title = field_value("title", lambda: read_title(form.title))
    probability = field_value("p", chosen(lambda: parse_scale(form.p, option="p"), "risk.form.choose_p"))
    impact = field_value("i", chosen(lambda: parse_scale(form.i, option="i"), "risk.form.choose_i"))
    due_on = field_value("due", due)
    strategy = field_value(
        "strategy",
        chosen(lambda: parse_strategy(form.strategy or Strategy.MITIGATE), "risk.form.choose_strategy"),
    )
    response = field_value(
        "response",
        lambda: check_text(form.response.strip(), what="response", limit=MAX_TEXT, example=ADD_EXAMPLE),
    )
    if errors or title is None or probability is None or impact is None or strategy is None:
        return None, errors
    draft = RiskDraft(
        title=title,
        probability=probability,
        impact=impact,
        owner=Owner(user_id=form.owner_user_id) if form.owner_user_id else Owner(),
        due_on=due_on,
        strategy=strategy,
        response=response or "",
        visibility=Visibility.CLIENT if form.share else Visibility.INTERNAL,
    )
    return draft, {}


@dataclass(frozen=True)
class RiskEdit:
    """`/risk update R-7 …`: the reference and the new values of the fields named (model field names)."""

    ref: str
    values: dict[str, Any] = field(default_factory=dict)


def split_ref(text: str, *, example: str, prefix: str = "R") -> tuple[str, str]:
    return records.split_ref(text, example=example, prefix=prefix)


async def read_risk_edit(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    viewer_id: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> RiskEdit:
    ex = UPDATE_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    ref, rest = split_ref(parsed.text, example=ex)
    if rest:
        raise UsageError("grammar.unexpected_text", ex, text=rest[:80])
    values: dict[str, Any] = {}
    if (title := parsed.opt("title")) is not None:
        values["title"] = read_title(title, example=ex)
    if (p := parsed.opt("p")) is not None:
        values["probability"] = parse_scale(p, option="p", example=ex)
    if (i := parsed.opt("i")) is not None:
        values["impact"] = parse_scale(i, option="i", example=ex)
    if (owner_value := parsed.options.get("owner")) is not None:
        owner = read_owner(owner_value, viewer_id=viewer_id, example=ex)
        values["owner_user_id"], values["owner_name"] = owner.user_id, owner.name
    if (s := parsed.opt("strategy")) is not None:
        values["strategy"] = str(parse_strategy(s, example=ex))
    if (response := parsed.opt("response")) is not None:
        text = "" if response.strip().lower() in NONE_WORDS else response
        values["response"] = check_text(text, what="response", limit=MAX_TEXT, example=ex)
    if (vis := parsed.opt("visibility")) is not None:
        values["visibility"] = str(parse_visibility(vis, example=ex))
    elif parsed.flags:
        values["visibility"] = str(visibility_from(parsed.flags, example=UPDATE_EXAMPLE))
    if (d := parsed.opt("due")) is not None:
        values["due_on"] = await read_due(
            d, now=now, tz=tz, example=ex, country=country, date_order=date_order
        )
    if not values:
        raise UsageError("risk.nothing_to_update", ex)
    return RiskEdit(ref=ref, values=values)


VISIBILITY_WORDS: dict[str, Visibility] = {
    "client": Visibility.CLIENT,
    "客户": Visibility.CLIENT,
    "shared": Visibility.CLIENT,
    "internal": Visibility.INTERNAL,
    "内部": Visibility.INTERNAL,
    "team": Visibility.INTERNAL,
}


def parse_visibility(text: str, *, example: str) -> Visibility:
    found = VISIBILITY_WORDS.get(text.strip().lower())
    if found is None:
        raise UsageError("risk.bad_visibility", example, value=text.strip()[:40] or "—")
    return found


def read_close(parsed: ParsedCommand) -> tuple[str, str]:
    ref, note = split_ref(parsed.text, example=CLOSE_EXAMPLE)
    return ref, check_text(note, what="note", limit=MAX_TEXT, example=CLOSE_EXAMPLE)


def read_ref_only(parsed: ParsedCommand, *, example: str, prefix: str = "R") -> str:
    return records.read_ref_only(parsed, example=example, prefix=prefix)


# ---- listing ---------------------------------------------------------------------------------------


class RiskFilter(StrEnum):
    OPEN = "open"
    ALL = "all"
    MINE = "mine"
    HIGH = "high"
    CLOSED = "closed"


FILTER_WORDS: dict[str, RiskFilter] = {
    "open": RiskFilter.OPEN,
    "未关闭": RiskFilter.OPEN,
    "打开": RiskFilter.OPEN,
    "all": RiskFilter.ALL,
    "全部": RiskFilter.ALL,
    "所有": RiskFilter.ALL,
    "mine": RiskFilter.MINE,
    "my": RiskFilter.MINE,
    "我的": RiskFilter.MINE,
    "high": RiskFilter.HIGH,
    "高": RiskFilter.HIGH,
    "高风险": RiskFilter.HIGH,
    "closed": RiskFilter.CLOSED,
    "已关闭": RiskFilter.CLOSED,
}


def parse_list_args(text: str) -> tuple[RiskFilter, str]:
    """`open|all|mine|high|closed` then optional search words; words alone search open risks."""
    head, _, rest = text.strip().partition(" ")
    flt = FILTER_WORDS.get(head.lower())
    search = rest.strip() if flt is not None else text.strip()
    search = " ".join(search.split())
    if len(search) > MAX_SEARCH:
        raise UsageError("record.too_long.search", LIST_EXAMPLE, limit=MAX_SEARCH)
    return flt or RiskFilter.OPEN, search


def matches(risk: Risk, flt: RiskFilter, *, user_id: str) -> bool:
    if flt is RiskFilter.ALL:
        return True
    if flt is RiskFilter.CLOSED:
        return risk.status == CLOSED
    if risk.status != OPEN:
        return False
    if flt is RiskFilter.MINE:
        return risk.owner_user_id == user_id
    if flt is RiskFilter.HIGH:
        return is_high(risk)
    return True


def by_score(risks: Iterable[Risk]) -> list[Risk]:
    """Highest score first; then open before closed, the earliest due date, the lowest number."""
    return sorted(
        risks,
        key=lambda r: (
            -score(r.probability, r.impact),
            r.status != OPEN,
            r.due_on or date.max,
            r.number,
        ),
    )


@dataclass(frozen=True)
class Listing:
    """Risks to show, sorted, and how many the viewer may see in all (never counting hidden ones)."""

    risks: list[Risk]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.risks)


def listing(visible_risks: Sequence[Risk], flt: RiskFilter, *, user_id: str, limit: int) -> Listing:
    """Pure: filter already-visible risks, sort them, and cut the list to `limit`."""
    chosen = by_score(r for r in visible_risks if matches(r, flt, user_id=user_id))
    return Listing(risks=chosen[:limit], total=len(chosen))


# ---- changes, each in one transaction with its audit entry -----------------------------------------


@dataclass(frozen=True)
class Saved:
    """A risk after a change; `repeated` when the request was a retry and nothing new was written."""

    risk: Risk
    repeated: bool = False
    changed: tuple[str, ...] = ()


def _create_changes(draft: RiskDraft, request_key: str) -> dict[str, Any]:
    return {
        "title": draft.title,
        "probability": draft.probability,
        "impact": draft.impact,
        "owner_user_id": draft.owner.user_id,
        "owner_name": draft.owner.name,
        "due_on": draft.due_on,
        "strategy": str(draft.strategy),
        "visibility": str(draft.visibility),
        "request": request_key,
    }


async def create_risk(
    session: AsyncSession,
    actor: Actor,
    draft: RiskDraft,
    *,
    owner_team_id: str | None,
    request_key: str,
) -> Saved:
    require(actor, Action.CREATE, ADD_EXAMPLE)
    risk = await repo.create_risk(
        session,
        project_id=actor.project_id,
        visibility=str(draft.visibility),
        title=draft.title,
        probability=draft.probability,
        impact=draft.impact,
        owner_user_id=draft.owner.user_id,
        owner_team_id=owner_team_id if draft.owner.user_id else None,
        owner_name=draft.owner.name,
        due_on=draft.due_on,
        strategy=str(draft.strategy),
        response=draft.response,
        created_by=actor.viewer.user_id,
        request_key=request_key,
        kind=PREFIX[Risk],
        audit=change_entry(actor, "risk.create", None, _create_changes(draft, request_key)),  # ref: by number
    )
    if risk is None:  # the request was carried out already: a retry answers with what it wrote
        earlier = await repo.find_created_by_request(
            session, Risk, project_id=actor.project_id, action="risk.create", request_key=request_key
        )
        if earlier is not None and may(actor.viewer, actor.place, Action.READ, earlier):
            return Saved(risk=earlier, repeated=True)
        raise UsageError("risk.already_recorded")
    return Saved(risk=risk)


async def _repeat(session: AsyncSession, actor: Actor, ref: str, example: str) -> Saved:
    risk = await load(session, Risk, actor, ref, action=Action.READ, example=example)
    return Saved(risk=risk, repeated=True)


async def update_risk(
    session: AsyncSession,
    actor: Actor,
    edit: RiskEdit,
    *,
    owner_team_id: str | None,
    request_key: str,
) -> Saved:
    require(actor, Action.UPDATE, UPDATE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, edit.ref, UPDATE_EXAMPLE)
    risk = await load(session, Risk, actor, edit.ref, action=Action.UPDATE, example=UPDATE_EXAMPLE)
    values = dict(edit.values)
    if "owner_user_id" in values:
        values["owner_team_id"] = owner_team_id if values["owner_user_id"] else None
    diff = records.delta(risk, values)
    if not diff:
        return Saved(risk=risk)
    await repo.update_risk(session, risk=risk, changes={k: new for k, (_old, new) in diff.items()})
    diff.pop("owner_team_id", None)  # bookkeeping, not something a person changed
    if diff:
        await log_change(session, actor, "risk.update", risk, diff)
    return Saved(risk=risk, changed=tuple(diff))


async def close_risk(session: AsyncSession, actor: Actor, ref: str, note: str, *, request_key: str) -> Saved:
    require(actor, Action.UPDATE, CLOSE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, CLOSE_EXAMPLE)
    risk = await load(session, Risk, actor, ref, action=Action.UPDATE, example=CLOSE_EXAMPLE)
    if risk.status == CLOSED:
        raise UsageError("risk.already_closed", REOPEN_EXAMPLE, ref=ref_of(risk))
    await repo.update_risk(
        session, risk=risk, changes={"status": CLOSED, "closed_at": utcnow(), "close_note": note}
    )
    await log_change(session, actor, "risk.close", risk, {"note": note})
    return Saved(risk=risk, changed=("status",))


async def reopen_risk(session: AsyncSession, actor: Actor, ref: str, *, request_key: str) -> Saved:
    require(actor, Action.UPDATE, REOPEN_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, REOPEN_EXAMPLE)
    risk = await load(session, Risk, actor, ref, action=Action.UPDATE, example=REOPEN_EXAMPLE)
    if risk.status != CLOSED:
        raise UsageError("risk.not_closed", CLOSE_EXAMPLE, ref=ref_of(risk))
    await repo.update_risk(session, risk=risk, changes={"status": OPEN, "closed_at": None})
    await log_change(session, actor, "risk.reopen", risk, {})
    return Saved(risk=risk, changed=("status",))


# ---- reading ---------------------------------------------------------------------------------------

LIST_LIMIT = 20
HISTORY_LIMIT = 12


async def list_risks(
    session: AsyncSession, actor: Actor, flt: RiskFilter, search: str, *, limit: int = LIST_LIMIT
) -> Listing:
    status = {RiskFilter.ALL: None, RiskFilter.CLOSED: CLOSED}.get(flt, OPEN)
    owner = actor.viewer.user_id if flt is RiskFilter.MINE else None
    found = await repo.list_risks(
        session, project_id=actor.project_id, status=status, owner_user_id=owner, search=search or None
    )
    seen = visible(actor.viewer, actor.place, found)
    return listing(seen, flt, user_id=actor.viewer.user_id, limit=limit)


@dataclass(frozen=True)
class Detail:
    risk: Risk
    history: list[AuditLog]
    earlier: int  # older history entries not shown


async def risk_detail(session: AsyncSession, actor: Actor, ref: str) -> Detail:
    risk = await load(session, Risk, actor, ref, action=Action.READ, example=SHOW_EXAMPLE)
    entries = await audit.list_audit(session, project_id=actor.project_id, record_ref=ref_of(risk), limit=500)
    shown = entries[-HISTORY_LIMIT:]
    return Detail(risk=risk, history=shown, earlier=len(entries) - len(shown))


async def open_high_risk_count(session: AsyncSession, actor: Actor) -> int:
    """Open high or critical risks the viewer may see (a client never learns of internal ones)."""
    found = await repo.list_risks(session, project_id=actor.project_id, status=OPEN)
    return sum(1 for r in visible(actor.viewer, actor.place, found) if is_high(r))
