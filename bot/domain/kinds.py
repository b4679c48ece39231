"""The one registry of record kinds: what each kind is called, its reference prefix and its table.

References (`R-7`, `MS-2`, `RQ-1`), per-project numbering, loading by reference, audit names
(`<name>.<verb>`) and sign-off subjects all derive from this table. Adding a kind: see CONTRIBUTING.md.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class RecordKind:
    name: str  # "milestone": audit actions are "milestone.create", sign-off subjects "milestone"
    prefix: str  # "MS": references read MS-2
    model: type[SQLModel]
    title_field: str = "title"  # the field a list or a search shows


KINDS: tuple[RecordKind, ...] = (
    RecordKind("minutes", "M", Minutes),
    RecordKind("decision", "D", Decision, title_field="text"),
    RecordKind("action", "A", ActionItem, title_field="text"),
    RecordKind("risk", "R", Risk),
    RecordKind("milestone", "MS", Milestone),
    RecordKind("schedule", "S", Schedule),
    RecordKind("requirement", "RQ", Requirement, title_field="text"),
    RecordKind("change", "CR", ChangeRequest),
    RecordKind("issue", "I", Issue),
    RecordKind("lesson", "L", Lesson, title_field="text"),
)

BY_NAME: dict[str, RecordKind] = {k.name: k for k in KINDS}
BY_PREFIX: dict[str, RecordKind] = {k.prefix: k for k in KINDS}
BY_MODEL: dict[type[SQLModel], RecordKind] = {k.model: k for k in KINDS}


def kind_of(record: object) -> RecordKind:
    return BY_MODEL[type(record)]  # type: ignore[index]
