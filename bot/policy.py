"""The access policy: the one place that decides what a viewer may do and see, in a given channel.

A viewer is "external" when their Slack team differs from the workspace that installed Liaison
(Slack Connect). A place is client-facing when it is shared with another organisation, when it is a
project's client channel, or when we could not find out (fail closed). External viewers and client-facing
places get the client audience: only `client` records, only client-safe fields, no internal counts.

Client acts (confirming minutes, signing off) are the client's word: they count only when a user of another
organisation does them, whoever else may click the button.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar


class Visibility(StrEnum):
    INTERNAL = "internal"
    CLIENT = "client"


class Audience(StrEnum):
    TEAM = "team"
    CLIENT = "client"


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    ADMIN = "admin"  # project setup and settings
    CONFIRM = "confirm"  # the client's word: confirm, request changes, approve, accept, reject
    COMPLETE_OWN = "complete_own"  # mark one's own action item done
    RAISE = "raise"  # raise an issue or ask a question from the client channel's panel (client-visible)


@dataclass(frozen=True)
class Viewer:
    user_id: str
    team_id: str | None
    home_team_id: str

    @property
    def is_external(self) -> bool:
        # A payload without the user's team (old Slack shapes) is treated as external: fail closed.
        return self.team_id is None or self.team_id != self.home_team_id

    @property
    def speaks_for_client(self) -> bool:
        """A known user of another organisation: the only one whose click is the client's word."""
        return self.team_id is not None and self.team_id != self.home_team_id


@dataclass(frozen=True)
class Place:
    channel_id: str
    shared: bool  # shared with another organisation, or unknown
    client_channel: bool = False

    @property
    def client_facing(self) -> bool:
        return self.shared or self.client_channel


class Record(Protocol):
    @property
    def visibility(self) -> str: ...


R = TypeVar("R", bound=Record)

CLIENT_ACTIONS = frozenset({Action.READ, Action.CONFIRM, Action.COMPLETE_OWN, Action.RAISE})
CLIENT_ONLY = frozenset({Action.CONFIRM})  # acts that count only when the client does them


def audience(viewer: Viewer, place: Place) -> Audience:
    return Audience.CLIENT if viewer.is_external or place.client_facing else Audience.TEAM


def may(viewer: Viewer, place: Place, action: Action, record: Record | None = None) -> bool:
    """Whether `viewer`, in `place`, may do `action` (on `record`, when one is involved)."""
    if record is not None and not can_see(viewer, place, record):
        return False  # nobody acts, in a place, on what that place may not show
    if action in CLIENT_ONLY:
        return viewer.speaks_for_client
    if not viewer.is_external and (not place.client_facing or action is Action.ADMIN):
        # The team does anything in its own channels. In a client-facing place it keeps to what a client
        # may do, except administering the project (`/project client-channel` must run there).
        return True
    if action not in CLIENT_ACTIONS:
        return False
    if action is Action.COMPLETE_OWN and record is not None:
        return getattr(record, "owner_user_id", None) == viewer.user_id
    return True


def can_see(viewer: Viewer, place: Place, record: Record) -> bool:
    return audience(viewer, place) is Audience.TEAM or record.visibility == Visibility.CLIENT


def visible(viewer: Viewer, place: Place, records: Iterable[R]) -> list[R]:
    """Filter records for display; callers count what this returns, never the unfiltered list."""
    return [r for r in records if can_see(viewer, place, r)]


def shows_internal_fields(viewer: Viewer, place: Place) -> bool:
    """Internal fields (internal channel, notes marked internal, audit actors) are for the team only."""
    return audience(viewer, place) is Audience.TEAM


def visible_in(place: Place, records: Iterable[R]) -> list[R]:
    """What a post into `place` may contain, when no particular person is asking (scheduled posts)."""
    return [r for r in records if not place.client_facing or r.visibility == Visibility.CLIENT]


def client_safe(records: Sequence[R]) -> list[R]:
    """What may be posted into a shared channel, whoever asked."""
    return [r for r in records if r.visibility == Visibility.CLIENT]
