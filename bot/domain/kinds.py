"""The one registry of record kinds: what each kind is called, its reference prefix, its table, its
catalogue, and what digests and App Home show of it.

References (`R-7`, `MS-2`, `RQ-1`), per-project numbering, loading by reference, audit names
(`<name>.<verb>`) and sign-off subjects all derive from this table. Adding a kind: see CONTRIBUTING.md.

What a digest and App Home show of a kind (`digest`, `home`):

* `Shown.SECTION` — a section of its own, written for it (handlers/builders/digest.py, home.py): milestones
  with their forecast, risks by score, actions by due date, decisions and minutes of the period.
* `Shown.OPEN` — its open records, generically (`OpenRecords`): the digest lists those the audience may
  see, most urgent first, under `<catalogue>.list.open`; App Home lists a person's own under
  `<catalogue>.list.mine`. A new kind with a status and an owner shows up with no builder code.
* `Shown.NOTHING` — not shown (sign-offs of any kind have their own section, whatever the kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import SQLModel

from storage.models import (
    ActionItem,
    ChangeRequest,
    Decision,
    Issue,
    Lesson,
    Milestone,
    Minutes,
    Requirement,
    Risk,
    Schedule,
)


class Shown(StrEnum):
    SECTION = "section"
    OPEN = "open"
    NOTHING = "nothing"


@dataclass(frozen=True)
class OpenRecords:
    """How a kind shown as `Shown.OPEN` is read: which records are open, who owns them, what comes first.

    Labels come from the kind's catalogue: `<catalogue>.list.open`, `<catalogue>.list.mine`, and
    `<catalogue>.<rank_field>.<value>` for each rank value (a test checks they exist in both languages).
    """

    status_field: str = "status"
    open_values: tuple[str, ...] = ("open",)
    owner_field: str = "owner_user_id"
    due_field: str | None = "due_at"
    rank_field: str | None = None
    rank: tuple[str, ...] = ()  # values of `rank_field`, most urgent first

    def is_open(self, record: object) -> bool:
        return getattr(record, self.status_field) in self.open_values

    def sort_key(self, record: object) -> tuple[int, int]:
        """Most urgent first, then oldest (lowest number) first."""
        value = getattr(record, self.rank_field) if self.rank_field else None
        rank = self.rank.index(value) if value in self.rank else len(self.rank)
        return rank, int(getattr(record, "number", 0))


@dataclass(frozen=True)
class RecordKind:
    name: str  # "milestone": audit actions are "milestone.create", sign-off subjects "milestone"
    prefix: str  # "MS": references read MS-2
    model: type[SQLModel]
    catalogue: str  # its messages are "<catalogue>.*" (bot/i18n/<module>.py)
    title_field: str = "title"  # the field a list or a search shows
    digest: Shown = Shown.NOTHING
    home: Shown = Shown.NOTHING
    open: OpenRecords | None = None  # for Shown.OPEN


SEVERITY = OpenRecords(rank_field="severity", rank=("critical", "high", "medium", "low"))

KINDS: tuple[RecordKind, ...] = (
    RecordKind("minutes", "M", Minutes, "minutes", digest=Shown.SECTION),
    RecordKind("decision", "D", Decision, "decision", title_field="text", digest=Shown.SECTION),
    RecordKind(
        "action", "A", ActionItem, "action", title_field="text", digest=Shown.SECTION, home=Shown.SECTION
    ),
    RecordKind("risk", "R", Risk, "risk", digest=Shown.SECTION, home=Shown.SECTION),
    RecordKind("milestone", "MS", Milestone, "milestone", digest=Shown.SECTION, home=Shown.SECTION),
    RecordKind("schedule", "S", Schedule, "sync"),
    RecordKind("requirement", "RQ", Requirement, "requirement", title_field="text"),
    RecordKind("change", "CR", ChangeRequest, "change"),
    RecordKind("issue", "I", Issue, "issue", digest=Shown.OPEN, home=Shown.OPEN, open=SEVERITY),
    RecordKind("lesson", "L", Lesson, "lesson", title_field="text"),
)

BY_NAME: dict[str, RecordKind] = {k.name: k for k in KINDS}
BY_PREFIX: dict[str, RecordKind] = {k.prefix: k for k in KINDS}
BY_MODEL: dict[type[SQLModel], RecordKind] = {k.model: k for k in KINDS}


def kind_of(record: object) -> RecordKind:
    return BY_MODEL[type(record)]  # type: ignore[index]


def shown_open(where: str) -> tuple[RecordKind, ...]:
    """Kinds a digest (`where="digest"`) or App Home (`"home"`) lists generically, in registry order."""
    return tuple(k for k in KINDS if getattr(k, where) is Shown.OPEN and k.open is not None)
