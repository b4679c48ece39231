"""The record-kind registry: every kind's references parse, and prefixes never shadow each other."""

from __future__ import annotations

import pytest

from bot.domain.kinds import BY_PREFIX, KINDS, OpenRecords, RecordKind, Shown, shown_open
from bot.domain.records import PREFIX
from bot.domain.refs import parse_ref
from bot.errors import UsageError
from bot.i18n import MESSAGES
from storage.models import Issue


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_reads_its_references_as_people_type_them(kind: object) -> None:
    prefix = kind.prefix  # type: ignore[attr-defined]
    for typed in (f"{prefix}-7", f"{prefix.lower()}7", f"#{prefix}-7", f"{prefix} 7"):
        ref = parse_ref(typed, prefix, example="x")
        assert (ref.prefix, ref.number, str(ref)) == (prefix, 7, f"{prefix}-7")


@pytest.mark.parametrize(
    ("typed", "wanted", "other"), [("MS-2", "MS", "M"), ("RQ-3", "RQ", "R"), ("CR-1", "CR", "R")]
)
def test_a_longer_prefix_is_never_read_as_a_shorter_one(typed: str, wanted: str, other: str) -> None:
    assert parse_ref(typed, wanted, example="x").number == int(typed[-1])
    with pytest.raises(UsageError):
        parse_ref(typed, other, example="x")


def test_prefixes_names_and_tables_are_unique_and_numbering_uses_them() -> None:
    assert (
        len({k.prefix for k in KINDS})
        == len({k.name for k in KINDS})
        == len({k.model for k in KINDS})
        == len(KINDS)
    )
    assert {PREFIX[k.model] for k in KINDS} == set(BY_PREFIX)


# ---- what the registry says digests and App Home show -----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_names_a_catalogue_that_holds_its_messages(kind: RecordKind) -> None:
    assert any(key.startswith(f"{kind.catalogue}.") for key in MESSAGES), kind.catalogue
    assert kind.title_field in kind.model.model_fields


@pytest.mark.parametrize("kind", [k for k in KINDS if Shown.OPEN in (k.digest, k.home)], ids=lambda k: k.name)
def test_a_kind_listed_generically_has_its_fields_and_its_labels_in_both_languages(kind: RecordKind) -> None:
    rule = kind.open
    assert rule is not None, "Shown.OPEN needs an OpenRecords rule"
    fields = kind.model.model_fields
    for name in (rule.status_field, rule.owner_field, rule.due_field, rule.rank_field):
        assert name is None or name in fields, name
    keys = [f"{kind.catalogue}.list.open", f"{kind.catalogue}.list.mine"]
    keys += [f"{kind.catalogue}.{rule.rank_field}.{value}" for value in rule.rank]
    for key in keys:
        assert set(MESSAGES[key]) >= {"en", "zh"}, key


def test_open_records_come_most_urgent_first_then_oldest() -> None:
    rule = OpenRecords(rank_field="severity", rank=("critical", "high", "medium", "low"))
    rows = [
        Issue(project_id=1, number=n, title=str(n), severity=s, raised_by="U", created_by="U")
        for n, s in ((1, "low"), (2, "critical"), (3, "high"), (4, "critical"), (5, "odd"))
    ]
    assert [r.number for r in sorted(rows, key=rule.sort_key)] == [2, 4, 3, 1, 5]
    assert rule.is_open(rows[0]) and not rule.is_open(
        Issue(project_id=1, number=6, title="x", status="resolved", raised_by="U", created_by="U")
    )
    assert [k.name for k in shown_open("digest")] == [k.name for k in KINDS if k.digest is Shown.OPEN]


def test_every_record_kind_people_write_has_its_client_safe_columns_for_exports_and_search() -> None:
    """A kind's fields as a client may see them are its `KindExport` (bot/domain/export.py): a new kind without
    one would be missing from exports and search without anyone noticing. Schedules are settings, not records."""
    from bot.domain.export import EXPORTS

    assert {e.kind for e in EXPORTS} == {k.name for k in KINDS} - {"schedule"}
    for export in EXPORTS:
        assert all(c in export.record_kind.model.model_fields for c in export.search), export.kind
        assert any(c.team_only for c in export.columns), export.kind  # at least visibility is the team's
