"""The one private_metadata codec: compact, bounded by Slack's limit, tolerant when reading."""

from __future__ import annotations

import pytest

from handlers.metadata import LIMIT, MetadataTooLong, decode, encode


def test_round_trip_is_compact_and_keeps_unicode() -> None:
    text = encode(c="C1", p=1, m=0, people={"张伟": "U1"})
    assert text == '{"c":"C1","p":1,"m":0,"people":{"张伟":"U1"}}'
    assert decode({"private_metadata": text}) == {"c": "C1", "p": 1, "m": 0, "people": {"张伟": "U1"}}


def test_over_slacks_limit_is_refused_with_a_clear_error() -> None:
    assert len(encode(x="a" * (LIMIT - 8))) == LIMIT
    with pytest.raises(MetadataTooLong, match="3000"):
        encode(x="a" * LIMIT)


@pytest.mark.parametrize(
    "view",
    [
        None,
        {},
        {"private_metadata": ""},
        {"private_metadata": "{"},
        {"private_metadata": "[1]"},
        {"private_metadata": "7"},
        {"private_metadata": None},
    ],
)
def test_missing_or_malformed_reads_as_empty(view: dict[str, object] | None) -> None:
    assert decode(view) == {}
