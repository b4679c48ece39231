"""Action items: who does what by when, from minutes or `/action add`. Owners may be client people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import MINUTES, MINUTES_LINE
from bot.domain import records
from bot.domain.decisions import MAX_TEXT
from bot.domain.records import (
    PREFIX,
    Actor,
    Pending,
    check_length,
    claim,
    example_for,
    flagged_visibility,
    load,
    log_change,
    number_for,
    ref_of,
    require_writable,
)
from bot.domain.when import DateOrder, due
from bot.errors import Refusal, UsageError
from bot.grammar import ParsedCommand, parse_line
from bot.i18n import t
from bot.mrkdwn import date_time
from bot.policy import Action, Viewer, Visibility, may, visible
from bot.timeexpr import HolidayCalendar, holiday_calendar, render_date
from bot.timeexpr.workdays import is_working_day
from storage.models import ActionItem, Minutes, Project
from storage.repo import actions as repo

ADD_EXAMPLE = "cmd.action.add.example"
LIST_EXAMPLE = "cmd.action.list.example"
DONE_EXAMPLE = "cmd.action.done.example"
REASSIGN_EXAMPLE = "cmd.action.reassign.example"
EDIT_EXAMPLE = "cmd.action.edit.example"
REOPEN_EXAMPLE = "cmd.action.reopen.example"
DUE_EXAMPLE = "cmd.action.due.example"
MAX_OWNER_NAME = 200
MAX_REASON = 500
EVE, DUE_DAY = "eve", "due"  # the two reminders: the working day before, and the due day

FILTERS = {
    "open": "open",
    "mine": "mine",
    "overdue": "overdue",
    "all": "all",
    "未完成": "open",
    "进行中": "open",
    "我的": "mine",
    "逾期": "overdue",
    "全部": "all",
    "所有": "all",
}


@dataclass
class Owner:
    """A Slack user (maybe from the client's organisation) or a person named in words."""

    user_id: str | None = None
    name: str | None = None
    team_id: str | None = None  # looked up with users.info before anything is written

    @property
    def empty(self) -> bool:
        return self.user_id is None and self.name is None


@dataclass
class ActionDraft:
    text: str
    visibility: Visibility | None  # None: the minutes' visibility (or internal on its own)
    owner: Owner = field(default_factory=Owner)
    due_text: str | None = None
    due_on: date | None = None
    due_at: datetime | None = None  # when the due date came with a time ("friday 5pm")
    ref: int | None = None  # A-n being edited in the minutes form


def due_label(item: ActionItem, lang: str, *, with_year: bool = True) -> str:
    """When an item is due: its date, or its date and time in each reader's own zone when a time was given."""
    return due_text(item.due_on, item.due_at, lang, with_year=with_year)


def due_text(day: date | None, at: datetime | None, lang: str, *, with_year: bool = True) -> str:
    if at is not None:
        return date_time(at)
    return render_date(day, lang, with_year=with_year) if day else ""


def overdue_days(item: ActionItem, *, now: datetime, tz: str) -> int | None:
    """How many days an open item is past due, counted in the project's zone (0: it fell due earlier today),
    or None when it is not overdue. An item with a due time is overdue once that time has passed (due today at
    17:00: overdue from 17:00); one with only a date, from the next day."""
    if item.status == "done":
        return None
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if item.due_at is not None:
        if now <= item.due_at:
            return None
        return max(0, (today - item.due_at.astimezone(zone).date()).days)
    if item.due_on is None or item.due_on >= today:
        return None
    return (today - item.due_on).days


def overdue_label(days: int, lang: str) -> str:
    """ "overdue 3 days" / "逾期 3 天"; an item that fell due earlier today is "overdue since today"."""
    if days <= 0:
        return t("action.overdue.today", lang)
    return t("action.overdue.one" if days == 1 else "action.overdue.days", lang, days=days)


def read_owner(parsed: ParsedCommand, *, example: str) -> Owner:
    """`@owner`, `owner:@owner` or `owner:Zhang San`; one person at most."""
    if parsed.usergroups:
        raise UsageError("action.group_owner", example)
    owner = Owner()
    value = parsed.options.get("owner")
    if value is not None:
        if value.users:
            owner.user_id = value.users[0]
        else:
            owner.name = check_length(
                value.text, MAX_OWNER_NAME, key="action.owner_too_long", example=example
            )
    if parsed.users:
        if not owner.empty or len(parsed.users) > 1:
            raise UsageError("action.one_owner", example)
        owner.user_id = parsed.users[0]
    return owner


def parse_action(parsed: ParsedCommand, *, example: str = ADD_EXAMPLE) -> ActionDraft:
    text = parsed.text.strip()  # as typed (issue 15): only the ends trimmed
    if not text:
        raise UsageError("action.empty", example)
    check_length(text, MAX_TEXT, key="action.too_long", example=example)
    return ActionDraft(
        text=text,
        visibility=flagged_visibility(parsed.flags, example=example),
        owner=read_owner(parsed, example=example),
        due_text=parsed.opt("due"),
    )


def parse_action_line(raw: str, *, example: str) -> ActionDraft:
    """One `action:` line of minutes (Slack-escaped): `Send the plan @alice due:next friday [client]`."""
    with example_for(example):
        parsed = parse_line(MINUTES, MINUTES_LINE, raw)
    return parse_action(parsed, example=example)


async def resolve_due(
    drafts: Sequence[ActionDraft],
    *,
    now: datetime,
    tz: str,
    example: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> None:
    """Turn every `due:` into a date, and a time when one was given (off the event loop), so a bad one is
    refused before any write."""
    for draft in drafts:
        if draft.due_text:
            with example_for(example):
                found = await due(draft.due_text, now=now, tz=tz, country=country, date_order=date_order)
            draft.due_on, draft.due_at = found.day, found.at


def _changes(item: ActionItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "visibility": item.visibility,
        "owner_user_id": item.owner_user_id,
        "owner_team_id": item.owner_team_id,
        "owner_name": item.owner_name,
        "due_on": item.due_on,
        "due_at": item.due_at,
    }


async def insert_action(
    session: AsyncSession, actor: Actor, draft: ActionDraft, *, minutes: Minutes | None = None
) -> ActionItem:
    """Write one action item (checked already) and its audit entry."""
    default = Visibility(minutes.visibility) if minutes is not None else Visibility.INTERNAL
    item = await repo.create_action(
        session,
        project_id=actor.project_id,
        number=await number_for(session, ActionItem, actor.project_id),
        visibility=(draft.visibility or default).value,
        text=draft.text,
        created_by=actor.viewer.user_id,
        owner_user_id=draft.owner.user_id,
        owner_team_id=draft.owner.team_id,
        owner_name=draft.owner.name,
        due_on=draft.due_on,
        due_at=draft.due_at,
        minutes_id=minutes.id if minutes is not None else None,
    )
    changes = _changes(item)
    if minutes is not None:
        changes["minutes"] = ref_of(minutes)
    await log_change(session, actor, "action.create", item, changes)
    return item


async def add_action(
    session: AsyncSession, actor: Actor, draft: ActionDraft, *, request_key: str | None
) -> ActionItem | None:
    """`/action add`: None when the same request was already handled."""
    visibility = draft.visibility or Visibility.INTERNAL
    require_writable(
        actor,
        Pending(visibility.value, draft.owner.user_id),
        action=Action.CREATE,
        example=ADD_EXAMPLE,
    )
    if not await claim(session, request_key):
        return None
    draft.visibility = visibility
    return await insert_action(session, actor, draft)


def parse_filter(text: str) -> str:
    word = text.strip().lower() or "open"
    found = FILTERS.get(word)
    if found is None:
        raise UsageError("action.bad_filter", LIST_EXAMPLE, word=text.strip()[:40])
    return found


async def list_actions(
    session: AsyncSession, actor: Actor, which: str, *, now: datetime, tz: str
) -> list[ActionItem]:
    """The action items the actor may see here, for one of the list filters; `overdue` as `overdue_days`
    counts (an item due today at 17:00 is overdue from 17:00, in the project's zone `tz`)."""
    status = None if which == "all" else repo.OPEN
    tomorrow = now.astimezone(ZoneInfo(tz)).date() + timedelta(days=1)
    rows = await repo.list_actions(
        session,
        project_id=actor.project_id,
        status=status,
        owner_user_id=actor.viewer.user_id if which == "mine" else None,
        due_before=tomorrow if which == "overdue" else None,
    )
    if which == "overdue":
        rows = [item for item in rows if overdue_days(item, now=now, tz=tz) is not None]
    return visible(actor.viewer, actor.place, rows)


async def load_for_done(session: AsyncSession, actor: Actor, text: str) -> ActionItem:
    item = await load(session, ActionItem, actor, text, action=Action.READ, example=DONE_EXAMPLE)
    ensure_may_complete(actor, item)
    return item


def ensure_may_complete(actor: Actor, item: ActionItem) -> None:
    """Clients may complete their own items only; the policy says whose is whose."""
    if not may(actor.viewer, actor.place, Action.COMPLETE_OWN, item):
        # What they can run instead: the list of their own items.
        raise Refusal("action.not_yours", LIST_EXAMPLE, ref=f"{PREFIX[ActionItem]}-{item.number}")


async def complete(session: AsyncSession, actor: Actor, item: ActionItem, *, now: datetime) -> bool:
    """Mark done; False when it already was (nothing is written then)."""
    if item.status == repo.DONE:
        return False
    await repo.update_action(
        session, item=item, changes={"status": repo.DONE, "done_at": now, "done_by": actor.viewer.user_id}
    )
    await log_change(session, actor, "action.done", item, {"status": [repo.OPEN, repo.DONE]})
    return True


def parse_reassign(parsed: ParsedCommand) -> tuple[str, Owner]:
    """`A-12 @bob`, `A-12 owner:Zhang San` or `A-12 Zhang San`: the reference and the new owner."""
    ref, _, rest = parsed.text.partition(" ")
    if not ref:
        raise UsageError("action.missing_ref", REASSIGN_EXAMPLE)
    owner = read_owner(parsed, example=REASSIGN_EXAMPLE)
    rest = " ".join(rest.split())
    if rest:
        if not owner.empty:
            raise UsageError("action.one_owner", REASSIGN_EXAMPLE)
        owner.name = check_length(rest, MAX_OWNER_NAME, key="action.owner_too_long", example=REASSIGN_EXAMPLE)
    if owner.empty:
        raise UsageError("action.missing_owner", REASSIGN_EXAMPLE)
    return ref, owner


async def load_for_update(
    session: AsyncSession, actor: Actor, text: str, *, example: str = REASSIGN_EXAMPLE
) -> ActionItem:
    return await load(session, ActionItem, actor, text, action=Action.UPDATE, example=example)


async def reassign(session: AsyncSession, actor: Actor, item: ActionItem, owner: Owner) -> ActionItem:
    before = (item.owner_user_id, item.owner_name)
    await repo.update_action(
        session,
        item=item,
        changes={"owner_user_id": owner.user_id, "owner_team_id": owner.team_id, "owner_name": owner.name},
    )
    await log_change(
        session,
        actor,
        "action.reassign",
        item,
        {"owner": [before[0] or before[1], owner.user_id or owner.name], "owner_team_id": owner.team_id},
    )
    if item.minutes_id is not None:
        from bot.domain.minutes import note_content_change  # minutes builds on this module

        await note_content_change(session, minutes_id=item.minutes_id)
    return item


# ---- items the client owns ------------------------------------------------------------------------------


def client_owned(item: ActionItem, *, home_team_id: str) -> bool:
    """Owned by someone from another organisation, or by a person named in words (not a Slack user here)."""
    if item.owner_team_id is not None and item.owner_team_id != home_team_id:
        return True
    return item.owner_user_id is None and bool(item.owner_name)


def for_the_client(item: ActionItem, *, home_team_id: str) -> bool:
    """Posted into the client channel with its buttons: a `[client]` item, open, that the client owns."""
    return (
        item.visibility == Visibility.CLIENT
        and item.status == repo.OPEN
        and item.deleted_at is None
        and client_owned(item, home_team_id=home_team_id)
    )


def is_owner(viewer: Viewer, item: ActionItem) -> bool:
    """The owner's own click: the Slack user who owns it, or, for a client person named in words, any user of
    the client's organisation (they are not in Slack to click themselves)."""
    if item.owner_user_id is not None:
        return viewer.user_id == item.owner_user_id
    return bool(item.owner_name) and viewer.speaks_for_client


def ensure_owner(actor: Actor, item: ActionItem, *, verb: str, owner: str) -> None:
    """`verb` is "done" or "more_time"; anyone else is told privately, and nothing changes."""
    if not is_owner(actor.viewer, item) or not may(actor.viewer, actor.place, Action.READ, item):
        raise UsageError(f"action.only_owner.{verb}", owner=owner, ref=ref_of(item))
    if item.status != repo.OPEN:
        raise UsageError("action.not_open", ref=ref_of(item))


async def load_for_owner(session: AsyncSession, actor: Actor, item_id: int) -> ActionItem:
    """The item a button names (gone or hidden: the same answer as a missing one)."""
    item = await repo.get_action(session, action_id=item_id)
    if (
        item is None
        or item.project_id != actor.project_id
        or not may(actor.viewer, actor.place, Action.READ, item)
    ):
        raise UsageError("refs.gone")
    return item


def read_more_time(
    day: date | None, reason: str, item: ActionItem, *, now: datetime, tz: str, lang: str
) -> tuple[date, str]:
    """The "Need more time" form: a date after both today and the current due date, and a reason."""
    today = now.astimezone(ZoneInfo(tz)).date()
    floor = max(today, item.due_on) if item.due_on else today
    reason = reason.strip()
    if day is None:
        raise UsageError("action.more_time.no_date")
    if day <= floor:
        raise UsageError("action.more_time.past_date", date=render_date(floor, lang))
    if not reason:
        raise UsageError("action.more_time.no_reason")
    check_length(reason, MAX_REASON, key="action.more_time.reason_too_long", example=None)
    return day, reason


def moved_instant(item: ActionItem, day: date, tz: str) -> datetime | None:
    """An item due at a time of day keeps that local time on its new date."""
    if item.due_at is None:
        return None
    zone = ZoneInfo(tz)
    local = item.due_at.astimezone(zone)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone).astimezone(UTC)


async def move_due(
    session: AsyncSession,
    actor: Actor,
    item: ActionItem,
    *,
    day: date,
    at: datetime | None,
    reason: str | None = None,
) -> tuple[date | None, datetime | None]:
    """Give the item a new due date (and time); the audit entry keeps the old one and the reason."""
    before = (item.due_on, item.due_at)
    await repo.update_action(session, item=item, changes={"due_on": day, "due_at": at})
    changes: dict[str, Any] = {"due_on": [before[0], day], "due_at": [before[1], at]}
    if reason is not None:
        changes["reason"] = reason
    await log_change(session, actor, "action.due", item, changes)
    await _note_minutes(session, item)
    return before


# ---- /action edit | reopen | due ------------------------------------------------------------------------


@dataclass
class ActionEdit:
    ref: str
    text: str | None
    owner: Owner | None
    due_text: str | None
    visibility: Visibility | None
    due_on: date | None = None
    due_at: datetime | None = None


def parse_edit(parsed: ParsedCommand) -> ActionEdit:
    """`A-12 <new text> [owner:@x] [due:<when>] [client|internal]`: at least one change."""
    ref, _, rest = parsed.text.partition(" ")
    if not ref:
        raise UsageError("action.missing_ref", EDIT_EXAMPLE)
    text = rest.strip() or None  # as typed (issue 15)
    if text is not None:
        check_length(text, MAX_TEXT, key="action.too_long", example=EDIT_EXAMPLE)
    owner = read_owner(parsed, example=EDIT_EXAMPLE)
    edit = ActionEdit(
        ref=ref,
        text=text,
        owner=None if owner.empty else owner,
        due_text=parsed.opt("due"),
        visibility=flagged_visibility(parsed.flags, example=EDIT_EXAMPLE),
    )
    if edit.due_text is not None and not edit.due_text.strip():
        raise UsageError("action.due.cleared_not_allowed", EDIT_EXAMPLE)
    if edit.text is None and edit.owner is None and edit.due_text is None and edit.visibility is None:
        raise UsageError("action.edit.nothing", EDIT_EXAMPLE)
    return edit


def parse_due(parsed: ParsedCommand) -> tuple[str, str]:
    """`A-12 next friday`: the reference and the new due date in words."""
    ref, _, rest = parsed.text.partition(" ")
    if not ref:
        raise UsageError("action.missing_ref", DUE_EXAMPLE)
    when = " ".join(rest.split())
    if not when:
        raise UsageError("action.due.missing", DUE_EXAMPLE)
    return ref, when


async def edit(session: AsyncSession, actor: Actor, item: ActionItem, change: ActionEdit) -> dict[str, Any]:
    """Apply an edit (checked already); returns what changed, as the audit log keeps it."""
    visibility = change.visibility.value if change.visibility is not None else item.visibility
    owner_user = change.owner.user_id if change.owner is not None else item.owner_user_id
    require_writable(actor, Pending(visibility, owner_user), action=Action.UPDATE, example=EDIT_EXAMPLE)
    wanted: dict[str, Any] = {}
    if change.text is not None:
        wanted["text"] = change.text
    if change.owner is not None:
        wanted |= {
            "owner_user_id": change.owner.user_id,
            "owner_team_id": change.owner.team_id,
            "owner_name": change.owner.name,
        }
    if change.due_on is not None:
        wanted |= {"due_on": change.due_on, "due_at": change.due_at}
    if change.visibility is not None:
        wanted["visibility"] = change.visibility.value
    diff = records.delta(item, wanted)
    if not diff:
        return {}
    await repo.update_action(session, item=item, changes={k: v for k, (_, v) in diff.items()})
    await log_change(session, actor, "action.edit", item, diff)
    await _note_minutes(session, item)
    return diff


async def reopen(session: AsyncSession, actor: Actor, item: ActionItem) -> bool:
    """Open a done item again; False when it was open (nothing is written then)."""
    if item.status == repo.OPEN:
        return False
    await repo.update_action(
        session, item=item, changes={"status": repo.OPEN, "done_at": None, "done_by": None}
    )
    await log_change(session, actor, "action.reopen", item, {"status": [repo.DONE, repo.OPEN]})
    await _note_minutes(session, item)
    return True


async def _note_minutes(session: AsyncSession, item: ActionItem) -> None:
    if item.minutes_id is not None:
        from bot.domain.minutes import note_content_change  # minutes builds on this module

        await note_content_change(session, minutes_id=item.minutes_id)


# ---- reminders ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    item: ActionItem
    project: Project
    home_team_id: str
    kind: str  # EVE | DUE_DAY
    at: datetime  # when it was due to go out (UTC)


def morning_of(project: Project, day: date) -> datetime:
    """`day` at the project's morning hour, in its zone, as UTC."""
    minutes = project.morning if project.morning is not None else 540
    zone = ZoneInfo(project.tz)
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def working_day_before(day: date, calendar: HolidayCalendar | None) -> date:
    """The last working day before `day` (Friday for a Monday, skipping public holidays)."""
    for _ in range(60):
        day -= timedelta(days=1)
        if is_working_day(day, calendar):
            return day
    return day


def reminders_now(
    item: ActionItem, project: Project, *, now: datetime, calendar: HolidayCalendar | None
) -> list[tuple[str, datetime]]:
    """The reminders of `item` due at `now`: each from the morning hour to the end of its own day (project
    zone); never for one that fell due before the item existed, nor after the item's due time passed."""
    if item.status != repo.OPEN or item.due_on is None or item.deleted_at is not None:
        return []
    today = now.astimezone(ZoneInfo(project.tz)).date()
    found = []
    for kind, day in ((EVE, working_day_before(item.due_on, calendar)), (DUE_DAY, item.due_on)):
        at = morning_of(project, day)
        if today != day or now < at or item.created_at > at:
            continue
        if item.due_at is not None and item.due_at <= at:
            continue
        found.append((kind, at))
    return found[-1:]  # on one day only one of them can be due (the eve falls on an earlier day)


async def due_reminders(session: AsyncSession, *, now: datetime) -> list[Reminder]:
    """Every reminder due now, across projects (not yet claimed: the caller claims each before posting)."""
    found: list[Reminder] = []
    for item, project, home in await repo.reminder_candidates(session, now=now):
        if project.archived_at is not None:
            continue  # an archived project reminds nobody (bot/domain/closing.py)
        calendar = holiday_calendar(project.holidays) if project.holidays else None
        for kind, at in reminders_now(item, project, now=now, calendar=calendar):
            found.append(Reminder(item=item, project=project, home_team_id=home, kind=kind, at=at))
    if not found:
        return found
    claimed = await repo.claimed_reminders(
        session,
        action_ids=[r.item.id for r in found if r.item.id is not None],
        on_or_after=min(r.item.due_on or date.max for r in found),
    )
    return [r for r in found if (r.item.id, r.kind, r.item.due_on) not in claimed]


async def claim_reminder(session: AsyncSession, reminder: Reminder, *, instance: str) -> bool:
    """Insert the reminder's row; False when another process (or an earlier minute) has it."""
    assert reminder.item.id is not None and reminder.item.due_on is not None
    return await repo.claim_reminder(
        session,
        action_id=reminder.item.id,
        kind=reminder.kind,
        due_on=reminder.item.due_on,
        claimed_by=instance,
    )
