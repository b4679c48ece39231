"""Risk rules, alone: the p/i scale and its words, score and level, strategies, filters, the form."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import RISK
from bot.domain.risks import (
    Level,
    RiskFilter,
    RiskForm,
    Strategy,
    by_score,
    level_of,
    listing,
    parse_list_args,
    parse_scale,
    parse_strategy,
    read_form,
    score,
)
from bot.errors import UsageError
from bot.grammar import parse_command
from bot.policy import Visibility
from storage.models import Risk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("5", 5),
        (" 3 ", 3),
        ("low", 2),
        ("Medium", 3),
        ("HIGH", 4),
        ("med", 3),
        ("very high", 5),
        ("very  low", 1),
        ("低", 2),
        ("中", 3),
        ("高", 4),
        ("很高", 5),
        ("极低", 1),
        ("３", 3),  # full-width digit, as Chinese input methods type it
    ],
)
def test_scale_words(text: str, expected: int) -> None:
    assert parse_scale(text, option="p") == expected


@pytest.mark.parametrize("text", ["0", "6", "9", "-1", "2.5", "", "huge", "²", "很"])
def test_scale_refuses_anything_else_with_an_example(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_scale(text, option="i")
    assert caught.value.key == "risk.bad_scale"
    assert caught.value.example == "cmd.risk.add.example"
    assert caught.value.params["option"] == "i"


def test_levels_on_the_five_by_five_matrix() -> None:
    assert [level_of(s) for s in (1, 4)] == [Level.LOW, Level.LOW]
    assert [level_of(s) for s in (5, 9)] == [Level.MEDIUM, Level.MEDIUM]
    assert [level_of(s) for s in (10, 12)] == [Level.HIGH, Level.HIGH]
    assert [level_of(s) for s in (15, 16, 25)] == [Level.CRITICAL] * 3
    assert level_of(score(4, 4)) is Level.CRITICAL  # high × high
    assert level_of(score(3, 3)) is Level.MEDIUM


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_level_never_falls_when_p_or_i_rises(p: int, i: int, dp: int, di: int) -> None:
    order = list(Level)
    low = order.index(level_of(score(p, i)))
    high = order.index(level_of(score(max(p, dp), max(i, di))))
    assert high >= low


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("avoid", Strategy.AVOID),
        ("Transfer", Strategy.TRANSFER),
        ("mitigation", Strategy.MITIGATE),
        ("accept", Strategy.ACCEPT),
        ("规避", Strategy.AVOID),
        ("转移", Strategy.TRANSFER),
        ("缓解", Strategy.MITIGATE),
        ("接受", Strategy.ACCEPT),
    ],
)
def test_strategy_aliases(text: str, expected: Strategy) -> None:
    assert parse_strategy(text) is expected


def test_unknown_strategy() -> None:
    with pytest.raises(UsageError) as caught:
        parse_strategy("pray")
    assert (caught.value.key, caught.value.params["value"]) == ("risk.bad_strategy", "pray")


def test_list_arguments() -> None:
    assert parse_list_args("") == (RiskFilter.OPEN, "")
    assert parse_list_args("all") == (RiskFilter.ALL, "")
    assert parse_list_args("Mine") == (RiskFilter.MINE, "")
    assert parse_list_args("高") == (RiskFilter.HIGH, "")
    assert parse_list_args("全部 数据  迁移") == (RiskFilter.ALL, "数据 迁移")
    assert parse_list_args("vendor staffing") == (RiskFilter.OPEN, "vendor staffing")
    with pytest.raises(UsageError):
        parse_list_args("x" * 101)


def _risk(
    number: int, p: int, i: int, *, status: str = "open", owner: str | None = None, due: date | None = None
) -> Risk:
    return Risk(
        project_id=1,
        number=number,
        title=f"risk {number}",
        probability=p,
        impact=i,
        status=status,
        owner_user_id=owner,
        due_on=due,
        created_by="U1",
    )


def test_sorted_by_score_then_due_then_number() -> None:
    risks = [
        _risk(1, 2, 2),
        _risk(2, 4, 4),
        _risk(3, 3, 3, due=date(2026, 12, 1)),
        _risk(4, 3, 3, due=date(2026, 11, 1)),
        _risk(5, 4, 4),
    ]
    assert [r.number for r in by_score(risks)] == [2, 5, 4, 3, 1]


def test_listing_filters_and_counts_what_it_was_given() -> None:
    risks = [
        _risk(1, 5, 5, owner="U1"),
        _risk(2, 1, 1, owner="U2"),
        _risk(3, 4, 3, status="closed", owner="U1"),
        _risk(4, 2, 5, owner="U1"),
    ]
    assert [r.number for r in listing(risks, RiskFilter.OPEN, user_id="U1", limit=10).risks] == [1, 4, 2]
    assert [r.number for r in listing(risks, RiskFilter.ALL, user_id="U1", limit=10).risks] == [1, 3, 4, 2]
    assert [r.number for r in listing(risks, RiskFilter.MINE, user_id="U1", limit=10).risks] == [1, 4]
    assert [r.number for r in listing(risks, RiskFilter.HIGH, user_id="U1", limit=10).risks] == [1, 4]
    assert [r.number for r in listing(risks, RiskFilter.CLOSED, user_id="U1", limit=10).risks] == [3]
    cut = listing(risks, RiskFilter.ALL, user_id="U1", limit=2)
    assert (len(cut.risks), cut.total, cut.more) == (2, 4, 2)


def test_only_the_owner_mention_stays_a_mention() -> None:
    parsed = parse_command(RISK, "add Ask <@U0BOB|bob> owner:<@U0AL|alice> p:3")
    assert (parsed.text, parsed.options["owner"].users) == ("Ask @bob", ("U0AL",))
    parsed = parse_command(RISK, "add 负责人： <@U1> and <@U2>")
    assert (parsed.text, parsed.options["owner"].users) == ("and @U2", ("U1",))
    assert parse_command(RISK, "add <!subteam^S1|@ops> x").text == "@ops x"


def test_titles_keep_mentions_as_inert_words() -> None:
    parsed = parse_command(RISK, "add <!channel> <@U0BOB> <https://evil.example|x> p:2 i:2 owner:<@U0AL|al>")
    assert parsed.text == "@channel @U0BOB <https://evil.example|x>"  # a labelled link stays a link
    assert parsed.options["owner"].users == ("U0AL",)
    assert parsed.users == []


def test_form_validation_collects_every_field_error() -> None:
    draft, errors = read_form(RiskForm(title="  ", p="9", i="3", due="not-a-date", strategy="pray"))
    assert draft is None
    assert {k: e.key for k, e in errors.items()} == {
        "title": "risk.need_title",
        "p": "risk.form.choose_p",
        "due": "risk.modal.bad_date",
        "strategy": "risk.form.choose_strategy",
    }


def test_form_makes_a_draft() -> None:
    draft, errors = read_form(
        RiskForm(title=" 数据 迁移 🚀 ", p="4", i="2", owner_user_id="U0BOB", due="2026-12-15", share=True)
    )
    assert errors == {} and draft is not None
    assert (draft.title, draft.probability, draft.impact) == ("数据 迁移 🚀", 4, 2)
    assert (draft.owner.user_id, draft.due_on, draft.strategy) == (
        "U0BOB",
        date(2026, 12, 15),
        Strategy.MITIGATE,
    )
    assert draft.visibility is Visibility.CLIENT
