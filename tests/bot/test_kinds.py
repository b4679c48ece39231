"""The record-kind registry: every kind's references parse, and prefixes never shadow each other."""

from __future__ import annotations

import pytest

from bot.domain.kinds import BY_PREFIX, KINDS
from bot.domain.records import PREFIX
from bot.domain.refs import parse_ref
from bot.errors import UsageError


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
