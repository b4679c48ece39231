"""A Slack date token with `{date_short_pretty}` reads "today", "yesterday" or "Dec 7" in each reader's zone,
so no English template may put "on" or "at" before it: the playground walk showed a client "Approved with
remarks by @carol on today 8:02 PM". Pure: the builders that write such tokens, in English."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.domain import signoff
from handlers.builders.actions import done_state
from handlers.builders.review import build_decided, build_preview
from handlers.builders.signoff import outcome_line
from storage.models import SignOff

AT = datetime(2026, 12, 8, 1, 2, tzinfo=UTC)
PREPOSITION_BEFORE_TOKEN = re.compile(r"(?<!instead )\b(on|at|of)\s+<!date\^")  # "instead of today" reads


def _clean(text: str) -> str:
    assert "<!date^" in text, text  # the date is there, as a token
    assert not PREPOSITION_BEFORE_TOKEN.search(text), text
    return text


@pytest.mark.parametrize("status", signoff.OUTCOMES)
@pytest.mark.parametrize("subject", ["closeout", "milestone", "minutes"])
def test_a_decided_signoff_names_who_and_when_without_on_today(status: str, subject: str) -> None:
    row = SignOff(
        project_id=1,
        subject=subject,
        subject_id=1,
        version=1,
        title="Close-out report",
        content="text",
        content_hash="0" * 64,
        requested_by="U0ALICE",
        status=status,
        decided_by="U0CAROL",
        decided_at=AT,
        remarks="Send the final invoice",
    )
    line = outcome_line(row, "en", "Asia/Shanghai")
    assert line is not None
    assert "<@U0CAROL> <!date^" in _clean(line)


def test_a_client_action_item_done_says_when_without_on_today() -> None:
    assert "marked by <@U0CAROL> <!date^" in _clean(done_state("U0CAROL", AT, "en"))


@pytest.mark.parametrize("state", ["sent", "skipped", "held", "posted"])
def test_a_review_preview_names_its_time_without_at_today(state: str) -> None:
    text, _ = build_decided(
        state=state, kind="sync", ref="S-1", channel_id="C0SHARED", post_at=AT, lang="en", by="U0BOB"
    )
    _clean(text)
    head, _ = build_preview(
        preview_id=1,
        kind="digest",
        ref="S-3",
        channel_id="C0SHARED",
        post_at=AT,
        mode="on",
        lang="en",
        client_text="update for ACME",
        client_blocks=[],
        note_by=None,
    )
    assert "goes to <#C0SHARED> <!date^" in _clean(head)
