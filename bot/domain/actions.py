"""Action items: who does what by when, from minutes or `/action add`. Owners may be client people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import MINUTES, MINUTES_LINE
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
from bot.policy import Action, Visibility, may, visible
from bot.timeexpr import render_date
from storage.models import ActionItem, Minutes
from storage.repo import actions as repo

ADD_EXAMPLE = "cmd.action.add.example"
LIST_EXAMPLE = "cmd.action.list.example"
DONE_EXAMPLE = "cmd.action.done.example"
REASSIGN_EXAMPLE = "cmd.action.reassign.example"
MAX_OWNER_NAME = 200

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
    if item.due_at is not None:
        return date_time(item.due_at)
    return render_date(item.due_on, lang, with_year=with_year) if item.due_on else ""


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
    text = " ".join(parsed.text.split())
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


async def load_for_update(session: AsyncSession, actor: Actor, text: str) -> ActionItem:
    return await load(session, ActionItem, actor, text, action=Action.UPDATE, example=REASSIGN_EXAMPLE)


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
