"""Minutes, decisions and action items, pure: the quick form's lines, the form, and the confirmed text's hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.commands import ACTION
from bot.domain import actions, minutes
from bot.domain.decisions import parse_decision
from bot.errors import UsageError
from bot.grammar import parse_command
from bot.policy import Visibility
from bot.timeexpr import parse_date
from storage.models import ActionItem, Decision, Minutes

NOW = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # Tue 24 Nov 2026, 08:00 in Shanghai


# ---- the quick form -----------------------------------------------------------------------------------


def test_quick_form_sorts_lines_into_decisions_actions_and_notes() -> None:
    draft = minutes.parse_quick(
        "Weekly sync with ACME [client]\n"
        "decision: Go live on 1 March\n"
        "Decision: Keep the old VPN [internal]\n"
        "action: Send cutover plan <@U0ALICE|alice> due:next friday\n"
        "- action: Book the room owner:Zhang San\n"
        "We walked through the plan.\n"
        "Budget is fine."
    )
    assert draft.title == "Weekly sync with ACME"
    assert draft.visibility is Visibility.CLIENT
    assert [(d.text, d.visibility) for d in draft.decisions or []] == [
        ("Go live on 1 March", None),
        ("Keep the old VPN", Visibility.INTERNAL),
    ]
    first, second = draft.actions or []
    assert (first.text, first.owner.user_id, first.due_text) == (
        "Send cutover plan",
        "U0ALICE",
        "next friday",
    )
    assert (second.text, second.owner.name, second.owner.user_id) == ("Book the room", "Zhang San", None)
    assert draft.notes == "We walked through the plan.\nBudget is fine."


def test_quick_form_in_chinese_with_full_width_colons() -> None:
    draft = minutes.parse_quick(
        "ACME 周例会 [客户]\n决定：3月1日上线\n行动: 发送切换计划 <@U0ALICE> 截止:下周五\n会议顺利 🎉"
    )
    assert (draft.title, draft.visibility) == ("ACME 周例会", Visibility.CLIENT)
    assert [d.text for d in draft.decisions or []] == ["3月1日上线"]
    [item] = draft.actions or []
    assert (item.text, item.owner.user_id, item.due_text) == ("发送切换计划", "U0ALICE", "下周五")
    assert draft.notes == "会议顺利 🎉"


def test_title_keeps_mentions_as_inert_words_and_drops_the_date_option() -> None:
    draft = minutes.parse_quick(
        "<!channel> sync with <@U0BOB|bob> &amp; <https://evil.example|ACME> date:2026-11-20"
    )
    assert (
        draft.title == "@channel sync with @bob & <https://evil.example|ACME>"
    )  # a labelled link stays a link
    assert draft.date_text == "2026-11-20"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[client]", "minutes.empty_title"),
        ("x" * 301, "minutes.title_too_long"),
        ("Sync\n" + "n" * 3001, "minutes.notes_too_long"),
        ("Sync\ndecision: " + "d" * 3001, "decision.too_long"),
        ("Sync\naction: " + "a" * 3001, "action.too_long"),
        ("Sync\ndecision:", "decision.empty"),
        ("Sync\naction: due:tomorrow", "action.empty"),
        ("Sync [secret] [internal] [client]", "refs.both_flags"),
        ("Sync\ndecision: Both [client] [internal]", "refs.both_flags"),
        ("Sync\naction: Plan <@U0A> <@U0B>", "action.one_owner"),
        ("Sync\naction: Plan <!subteam^S1|@devs>", "action.group_owner"),
        ("Sync\naction: Plan owner:Zhang San <@U0B>", "action.one_owner"),
        ("Sync\naction: Plan due:", "grammar.option_empty"),
    ],
)
def test_quick_form_mistakes_name_the_problem_with_the_quick_example(text: str, key: str) -> None:
    with pytest.raises(UsageError) as caught:
        minutes.parse_quick(text)
    assert caught.value.key == key
    assert caught.value.example == minutes.QUICK_EXAMPLE


def test_line_visibility_overrides_the_minutes_and_otherwise_inherits() -> None:
    draft = minutes.parse_quick("Sync\ndecision: A\ndecision: B [client]\naction: C [客户]")
    assert draft.visibility is Visibility.INTERNAL
    assert [d.visibility for d in draft.decisions or []] == [None, Visibility.CLIENT]
    assert [a.visibility for a in draft.actions or []] == [Visibility.CLIENT]


async def test_dates_resolve_in_the_project_zone_and_bad_ones_carry_the_quick_example() -> None:
    draft = minutes.parse_quick("Sync\naction: Plan due:next friday")
    await minutes.resolve_dates(draft, now=NOW, tz="Asia/Shanghai", example=minutes.QUICK_EXAMPLE)
    assert draft.meeting_on == date(2026, 11, 24)
    [item] = draft.actions or []
    assert item.due_on == parse_date("next friday", now=NOW, tz=ZoneInfo("Asia/Shanghai"))
    late = minutes.parse_quick("Sync date:昨天")
    await minutes.resolve_dates(late, now=NOW, tz="Asia/Shanghai", example=minutes.QUICK_EXAMPLE)
    assert late.meeting_on == date(2026, 11, 23)
    bad = minutes.parse_quick("Sync\naction: Plan due:when pigs fly")
    with pytest.raises(UsageError) as caught:
        await minutes.resolve_dates(bad, now=NOW, tz="Asia/Shanghai", example=minutes.QUICK_EXAMPLE)
    assert caught.value.key == "time.unparsed"
    assert caught.value.example == minutes.QUICK_EXAMPLE


# ---- the form -------------------------------------------------------------------------------------------


def _form(**kw: object) -> minutes.FormInput:
    values: dict[str, object] = {
        "title": "Sync",
        "meeting_on": date(2026, 11, 24),
        "attendees": [],
        "client_attendees": "",
        "notes": "",
        "decisions": "",
        "actions": "",
        "share": False,
    }
    values.update(kw)
    return minutes.FormInput(**values)  # type: ignore[arg-type]


def test_form_lines_use_the_quick_grammar_and_typed_at_names_of_known_people() -> None:
    draft = minutes.parse_form(
        _form(
            decisions="Go live <soon> & fast\n\nKeep VPN [internal]",
            actions="Send plan @Alice due:2026-12-01\nEmail bob@example.com owner:Zhang San\nPing @U0CAROL",
            share=True,
        ),
        people={"alice": "U0ALICE"},
        editing=False,
    )
    assert draft.visibility is Visibility.CLIENT
    assert [d.text for d in draft.decisions or []] == ["Go live <soon> & fast", "Keep VPN"]
    owners = [(a.text, a.owner.user_id, a.owner.name, a.due_text) for a in draft.actions or []]
    assert owners == [
        ("Send plan", "U0ALICE", None, "2026-12-01"),
        ("Email bob@example.com", None, "Zhang San", None),
        ("Ping", "U0CAROL", None, None),
    ]


def test_typed_names_ignore_sentence_punctuation_and_leave_at_here_alone() -> None:
    people = {"alice": "U0ALICE", "a.b": "U0AB"}
    assert (
        minutes.resolve_people("ask @alice. then @a.b", people, example="x") == "ask <@U0ALICE>. then <@U0AB>"
    )
    assert minutes.resolve_people("tell @here and mail x@alice", people, example="x") == (
        "tell @here and mail x@alice"
    )


def test_form_reports_every_bad_field_at_once() -> None:
    with pytest.raises(minutes.FormErrors) as caught:
        minutes.parse_form(
            _form(title="  ", meeting_on=None, actions="Plan @nobody", decisions="D-3: old"),
            people={},
            editing=False,
        )
    errors = caught.value.errors
    assert errors["title"].key == "minutes.empty_title"
    assert errors["date"].key == "minutes.missing_date"
    assert errors["actions"].key == "minutes.unknown_person"
    assert errors["actions"].params == {"name": "@nobody"}
    assert errors["decisions"].key == "minutes.ref_not_here"


def test_edit_lines_round_trip_through_the_form() -> None:
    record = Minutes(
        id=1,
        project_id=1,
        number=3,
        visibility="client",
        title="T",
        meeting_on=date(2026, 11, 24),
        created_by="U0ALICE",
    )
    decisions = [
        Decision(
            id=1,
            project_id=1,
            number=4,
            visibility="client",
            text="Go live",
            decided_on=date(2026, 11, 24),
            created_by="U",
        ),
        Decision(
            id=2,
            project_id=1,
            number=5,
            visibility="internal",
            text="Keep VPN",
            decided_on=date(2026, 11, 24),
            created_by="U",
        ),
    ]
    items = [
        ActionItem(
            id=1,
            project_id=1,
            number=12,
            visibility="client",
            text="Send plan",
            owner_user_id="U0ALICE",
            due_on=date(2026, 12, 4),
            created_by="U",
        ),
        ActionItem(
            id=2,
            project_id=1,
            number=13,
            visibility="client",
            text="Book room",
            owner_name="Zhang San",
            created_by="U",
        ),
    ]
    decision_text, action_text = minutes.form_lines(record, decisions, items, names={"U0ALICE": "alice"})
    assert decision_text == "D-4: Go live\nD-5: Keep VPN [internal]"
    assert action_text == "A-12: Send plan @alice due:2026-12-04\nA-13: Book room owner:Zhang San"
    draft = minutes.parse_form(
        _form(decisions=decision_text, actions=action_text, share=True),
        people={"alice": "U0ALICE"},
        editing=True,
    )
    assert [(d.ref, d.text, d.visibility) for d in draft.decisions or []] == [
        (4, "Go live", None),
        (5, "Keep VPN", Visibility.INTERNAL),
    ]
    assert [(a.ref, a.owner.user_id, a.owner.name, a.due_text) for a in draft.actions or []] == [
        (12, "U0ALICE", None, "2026-12-04"),
        (13, None, "Zhang San", None),
    ]


def test_a_field_left_out_of_the_form_leaves_its_items_alone() -> None:
    draft = minutes.parse_form(_form(decisions=None, actions=None), people={}, editing=True)
    assert draft.decisions is None and draft.actions is None


# ---- action and decision commands -------------------------------------------------------------------------


def test_action_add_reads_owner_due_and_flag() -> None:
    parsed = parse_command(ACTION, "add Send plan <@U0CAROL|carol> due:2026-12-15 [client]")
    draft = actions.parse_action(parsed)
    assert (draft.text, draft.owner.user_id, draft.due_text, draft.visibility) == (
        "Send plan",
        "U0CAROL",
        "2026-12-15",
        Visibility.CLIENT,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "open"), ("mine", "mine"), ("OVERDUE", "overdue"), ("全部", "all"), ("我的", "mine")],
)
def test_action_list_filters(text: str, expected: str) -> None:
    assert actions.parse_filter(text) == expected


def test_unknown_action_filter_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        actions.parse_filter("closed")
    assert (caught.value.key, caught.value.params) == ("action.bad_filter", {"word": "closed"})


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("reassign A-12 <@U0BOB|bob>", ("U0BOB", None)),
        ("reassign A-12 owner:Zhang San", (None, "Zhang San")),
        ("reassign A-12 李雷", (None, "李雷")),
    ],
)
def test_reassign_takes_a_mention_or_a_name(text: str, owner: tuple[str | None, str | None]) -> None:
    ref, found = actions.parse_reassign(parse_command(ACTION, text))
    assert ref == "A-12"
    assert (found.user_id, found.name) == owner


def test_reassign_without_an_owner_says_so() -> None:
    with pytest.raises(UsageError) as caught:
        actions.parse_reassign(parse_command(ACTION, "reassign A-12"))
    assert caught.value.key == "action.missing_owner"


def test_decision_text_keeps_mentions_as_words_and_unicode() -> None:
    draft = parse_decision("<@U0BOB|bob> owns the 切换 🚀 [client]")
    assert (draft.text, draft.visibility) == ("@bob owns the 切换 🚀", Visibility.CLIENT)


# ---- what the client confirms -------------------------------------------------------------------------


def _record() -> tuple[Minutes, list[Decision], list[ActionItem]]:
    record = Minutes(
        id=7,
        project_id=1,
        number=3,
        visibility="client",
        title="Sync <!here>",
        meeting_on=date(2026, 11, 24),
        attendees=["U0ALICE", "U0CAROL"],
        client_attendees="Zhang San",
        notes="Notes & more",
        created_by="U0ALICE",
    )
    decisions = [
        Decision(
            id=1,
            project_id=1,
            number=4,
            visibility="client",
            text="Go live",
            decided_on=record.meeting_on,
            created_by="U",
        ),
        Decision(
            id=2,
            project_id=1,
            number=5,
            visibility="internal",
            text="Margin is thin",
            decided_on=record.meeting_on,
            created_by="U",
        ),
    ]
    items = [
        ActionItem(
            id=11,
            project_id=1,
            number=12,
            visibility="client",
            text="Send plan",
            owner_user_id="U0CAROL",
            owner_team_id="T0ACME",
            due_on=date(2026, 12, 4),
            created_by="U",
        ),
        ActionItem(
            id=12, project_id=1, number=13, visibility="internal", text="Chase invoice", created_by="U"
        ),
    ]
    return record, decisions, items


def test_client_content_holds_only_client_items_and_hashes_exactly_its_text() -> None:
    record, decisions, items = _record()
    content = minutes.compose_client(record, decisions, items, "en")
    assert content.text.splitlines() == [
        "*M-3 · Sync &lt;!here&gt;*",
        "Date: Tue 24 Nov 2026",
        "Attendees: <@U0ALICE>, <@U0CAROL>, Zhang San",
        "Notes &amp; more",
        "*Decisions*",
        "• *D-4* Go live",
        "*Action items*",
        "• *A-12* Send plan — <@U0CAROL> — due Fri 4 Dec 2026",
    ]
    assert content.hash == hashlib.sha256(content.text.encode("utf-8")).hexdigest()
    assert "Margin" not in content.text and "invoice" not in content.text


def test_the_hash_follows_the_content_but_not_the_status() -> None:
    record, decisions, items = _record()
    before = minutes.compose_client(record, decisions, items, "en").hash
    items[0].status = "done"
    assert minutes.compose_client(record, decisions, items, "en").hash == before
    items[1].text = "internal edits are invisible to the client"
    assert minutes.compose_client(record, decisions, items, "en").hash == before
    decisions[0].text = "Go live later"
    assert minutes.compose_client(record, decisions, items, "en").hash != before
    assert minutes.compose_client(record, decisions, items, "zh").text.startswith("*M-3 · Sync")


def test_long_minutes_are_bounded_and_say_how_many_more() -> None:
    record, _, _ = _record()
    many = [
        Decision(
            id=100 + n,
            project_id=1,
            number=n,
            visibility="client",
            text="d" * 3000,
            decided_on=record.meeting_on,
            created_by="U",
        )
        for n in range(1, 41)
    ]
    content = minutes.compose_client(record, many, [], "en")
    assert len(content.decisions) == minutes.MAX_CLIENT_DECISIONS
    assert content.more_decisions == "…and 25 more"
    assert len(content.text) < 40_000


def test_status_of_minutes() -> None:
    record, _, _ = _record()
    assert minutes.status_key(record) is None
    record.sent_hash = "h"
    assert minutes.status_key(record) == "minutes.status.sent"
    record.confirmed_hash = "h"
    assert minutes.status_key(record) == "minutes.status.confirmed"
    record.changed_since_confirmed = True
    assert minutes.status_key(record) == "minutes.status.changed"
