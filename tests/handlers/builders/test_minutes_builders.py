"""Minutes builders, pure: what Slack would accept, what the client reads, and that user text stays inert.

Block Kit limits (50 blocks per message, 3,000 characters per section, modal title ≤ 24) are from
https://docs.slack.dev/reference/block-kit/blocks and checked by the fake's validators.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from bot.domain.minutes import Confirmation, Detail, Recorded, Summary, compose_client
from bot.errors import UsageError
from handlers import ids
from handlers.builders.actions import build_action_list
from handlers.builders.decisions import build_decision_list
from handlers.builders.minutes import (
    build_changes_modal,
    build_client_message,
    build_form_errors,
    build_minutes_deleted,
    build_minutes_detail,
    build_minutes_list,
    build_minutes_modal,
    build_minutes_recorded,
)
from handlers.metadata import encode
from storage.models import ActionItem, Decision, Minutes
from tests.harness.app import reply_text
from tests.harness.fake_slack import validate_blocks, validate_view

DAY = date(2026, 11, 24)
HOME = "T0HOME"


def _minutes(**kw: Any) -> Minutes:
    values: dict[str, Any] = {
        "id": 7,
        "project_id": 1,
        "number": 3,
        "visibility": "client",
        "title": "Weekly sync",
        "meeting_on": DAY,
        "attendees": ["U0ALICE"],
        "client_attendees": "",
        "notes": "",
        "created_by": "U0ALICE",
    }
    values.update(kw)
    return Minutes(**values)


def _decision(n: int, visibility: str = "client", text: str = "Go live") -> Decision:
    return Decision(
        id=n, project_id=1, number=n, visibility=visibility, text=text, decided_on=DAY, created_by="U0ALICE"
    )


def _action(n: int, **kw: Any) -> ActionItem:
    values: dict[str, Any] = {
        "id": n,
        "project_id": 1,
        "number": n,
        "visibility": "client",
        "text": f"Task {n}",
        "created_by": "U0ALICE",
    }
    values.update(kw)
    return ActionItem(**values)


def _buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory")]
        found += [(e["action_id"], e["value"]) for e in elements if e and e.get("type") == "button"]
    return found


def test_client_message_text_is_the_hashed_text_and_every_line_is_in_the_blocks() -> None:
    minutes = _minutes(notes="Agenda & notes")
    items = [
        _action(1, owner_user_id="U0CAROL", owner_team_id="T0ACME"),
        _action(2, owner_user_id="U0ALICE", owner_team_id=HOME),
        _action(3, owner_user_id="U0CAROL", owner_team_id="T0ACME", status="done"),
        _action(4, visibility="internal", owner_user_id="U0CAROL", owner_team_id="T0ACME"),
    ]
    content = compose_client(minutes, [_decision(1), _decision(2, "internal", "Secret")], items, "en")
    text, blocks = build_client_message(
        content, "en", home_team_id=HOME, confirmations=[], tz="Asia/Shanghai"
    )
    assert text == content.text
    assert validate_blocks(blocks, surface="message") == []
    shown = reply_text({"blocks": blocks})
    for line in content.text.splitlines():
        assert line in shown
    assert "Secret" not in shown and "Task 4" not in shown
    # Only the open item owned by someone from the client's organisation gets a Mark done button.
    assert _buttons(blocks) == [
        (ids.ACTION_DONE, "1"),
        (ids.MINUTES_CONFIRM, f"7:{content.hash}"),
        (ids.MINUTES_REQUEST_CHANGES, f"7:{content.hash}"),
    ]


def test_after_confirmation_the_message_says_who_and_when_and_drops_confirm() -> None:
    content = compose_client(_minutes(), [_decision(1)], [], "en")
    at = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    confirmed = Confirmation(
        kind="confirm",
        user_id="U0CAROL",
        team_id="T0ACME",
        is_external=True,
        content_hash=content.hash,
        comment="",
        at=at,
    )
    _, blocks = build_client_message(
        content, "en", home_team_id=HOME, confirmations=[confirmed], tz="Asia/Shanghai"
    )
    shown = reply_text({"blocks": blocks})
    assert "Confirmed by <@U0CAROL> <!date^" in shown
    assert "2026-11-24 10:30 (Asia/Shanghai)" in shown
    assert (
        _buttons(blocks) == []
    )  # the client's word on this text is given: a new version is needed to change it
    # A confirmation of other (older) text does not count for this text.
    stale = dataclasses.replace(confirmed, content_hash="0" * 64)
    _, blocks = build_client_message(content, "en", home_team_id=HOME, confirmations=[stale], tz="UTC")
    assert ids.MINUTES_CONFIRM in [a for a, _ in _buttons(blocks)]


def test_a_full_client_message_stays_within_block_kit_limits() -> None:
    long = "x" * 3000
    content = compose_client(
        _minutes(notes="n" * 3000, client_attendees="c" * 1000),
        [_decision(n, text=long) for n in range(1, 60)],
        [_action(n, text=long, owner_user_id="U0CAROL", owner_team_id="T0ACME") for n in range(1, 60)],
        "zh",
    )
    text, blocks = build_client_message(content, "zh", home_team_id=HOME, confirmations=[], tz="UTC")
    assert len(blocks) <= 50
    assert validate_blocks(blocks, surface="message") == []
    assert "还有 44 项" in text and len(text) < 40_000


def test_user_text_is_escaped_and_only_owners_and_attendees_are_mentions() -> None:
    minutes = _minutes(
        title="<!channel> <@U0BOB> <https://evil.example|click>",
        notes="<!here> & <!everyone>",
        attendees=["U0ALICE"],
        client_attendees="<@U0EVE>",
    )
    items = [_action(1, text="<!channel> now", owner_user_id="U0CAROL", owner_team_id="T0ACME")]
    decisions = [_decision(1, text="<@U0BOB> decides")]
    content = compose_client(minutes, decisions, items, "en")
    text, blocks = build_client_message(content, "en", home_team_id=HOME, confirmations=[], tz="UTC")
    detail = build_minutes_detail(
        Detail(
            minutes=minutes, decisions=decisions, actions=items, confirmations=[], changed_since_sent=False
        ),
        "en",
        team_view=True,
        tz="UTC",
        now=datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC),
    )
    recorded = build_minutes_recorded(Recorded(minutes, decisions, items), "en", team_view=True)
    listed = build_minutes_list([Summary(minutes, 1, 1)], "en", team_view=False)
    for shown in (
        reply_text({"text": text, "blocks": blocks}),
        *(reply_text(r.as_kwargs()) for r in (detail, recorded, listed)),
    ):
        for raw in (
            "<!channel>",
            "<!here>",
            "<!everyone>",
            "<@U0BOB>",
            "<@U0EVE>",
        ):  # a labelled link stays one
            assert raw not in shown
    assert "<@U0CAROL>" in text and "<@U0ALICE>" in text


def test_lists_count_only_what_they_are_given_and_end_with_and_n_more() -> None:
    summaries = [Summary(_minutes(id=n, number=n), 0, 0) for n in range(1, 26)]
    reply = build_minutes_list(summaries, "en", team_view=True)
    assert "Minutes (25)" in reply.text and "…and 5 more" in reply_text(reply.as_kwargs())
    assert validate_blocks(reply.blocks, surface="message") == []
    items = [_action(n, owner_user_id="U0CAROL") for n in range(1, 31)]
    actions_reply = build_action_list(
        items,
        "zh",
        which="open",
        team_view=False,
        viewer_id="U0CAROL",
        now=datetime(2026, 11, 24, tzinfo=UTC),
        tz="UTC",
    )
    assert "……还有 10 项" in reply_text(actions_reply.as_kwargs())
    assert len(actions_reply.blocks) <= 50 and validate_blocks(actions_reply.blocks, surface="message") == []
    assert all(a == ids.ACTION_DONE for a, _ in _buttons(actions_reply.blocks))
    decisions = build_decision_list([_decision(n) for n in range(1, 23)], "en", team_view=False)
    assert "Decisions (22)" in decisions.text and "…and 2 more" in reply_text(decisions.as_kwargs())
    assert "`client`" not in reply_text(decisions.as_kwargs())  # the client sees no visibility tags


def test_modals_are_views_slack_accepts() -> None:
    new = build_minutes_modal(
        "zh", private_metadata=encode(c="C1", p=1, m=0, people={}), today=DAY, share=True
    )
    assert validate_view(new) == []
    assert new["callback_id"] == ids.MINUTES_MODAL
    share = next(b for b in new["blocks"] if b["block_id"] == ids.MINUTES_SHARE)
    assert share["element"]["initial_options"][0]["value"] == "client"
    edit = build_minutes_modal(
        "en",
        private_metadata="{}",
        today=DAY,
        share=False,
        minutes=_minutes(title="t" * 300),
        decisions_text="D-1: x",
        actions_text="a" * 3001,
    )
    assert validate_view(edit) == []
    blocks = {b.get("block_id") for b in edit["blocks"]}
    assert ids.MINUTES_DECISIONS in blocks and ids.MINUTES_ACTIONS not in blocks  # too long to edit there
    assert edit["title"]["text"] == "Edit M-3"
    changes = build_changes_modal("en", private_metadata="{}", minutes=_minutes())
    assert validate_view(changes) == []


def test_deleted_reply_offers_undo_and_form_errors_map_to_fields() -> None:
    reply = build_minutes_deleted(_minutes(), "en", undo_minutes=10)
    assert _buttons(reply.blocks) == [(ids.MINUTES_UNDO_DELETE, "7")]
    assert "10 minutes" in reply.text
    errors = build_form_errors(
        {
            "title": UsageError("minutes.empty_title"),
            "actions": UsageError("minutes.unknown_person", name="@x"),
        },
        "zh",
    )
    assert errors == {
        ids.MINUTES_TITLE: "会议纪要的第一行需要写标题。",
        ids.MINUTES_ACTIONS: "不知道 @x 是谁。请把此人选为参会人，或写成 `owner:姓名`。",
    }
