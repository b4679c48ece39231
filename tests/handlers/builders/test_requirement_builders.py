"""Requirement builders and the baseline as posted, pure: a long baseline still fits one message Slack accepts,
and every character of the text the client signs is shown.

Block Kit limits (50 blocks per message, 3,000 characters per section) are from
https://docs.slack.dev/reference/block-kit/blocks and checked by the fake's validators.
"""

from __future__ import annotations

from bot.domain.requirements import MAX_BASELINE, MAX_TEXT, Listing, Row, baseline_content, baseline_state
from handlers.builders.requirements import build_requirement_list
from handlers.builders.signoff import build_signoff_message
from storage.models import Project, Requirement, SignOff


def _requirement(n: int, text: str, *, visibility: str = "client", priority: str = "should") -> Requirement:
    return Requirement(
        project_id=1, number=n, visibility=visibility, priority=priority, text=text, created_by="U1"
    )


def test_a_long_baseline_is_shown_whole_in_sections_slack_accepts() -> None:
    project = Project(id=1, workspace_id=1, name="ACME ERP", client_name="ACME", created_by="U1")
    found = [_requirement(n, f"{n} " + "x" * (MAX_TEXT - 10)) for n in range(1, 11)]
    content = baseline_content(project, found, "en")
    assert len(content) <= MAX_BASELINE
    row = SignOff(
        project_id=1,
        subject="baseline",
        subject_id=1,
        version=1,
        title="Requirements baseline",
        content=content,
        content_hash="h",
        requested_by="U1",
    )
    text, blocks = build_signoff_message(row, "Requirements baseline", "en", "Asia/Shanghai")
    assert text == content and len(blocks) <= 50
    shown = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(s) <= 3000 for s in shown)
    assert "\n".join(shown) == content  # nothing the client signs is cut off


def test_the_list_escapes_user_text_and_marks_baselined_and_changed() -> None:
    kept = _requirement(1, "Sign in <!channel> & SSO", priority="must")
    kept.baseline_version, kept.baseline_hash = 1, None
    listing = Listing(rows=[Row(kept, changed=True)], baseline=baseline_state([]))
    reply = build_requirement_list(listing, "en", tz="UTC", team_view=True)
    text = str(reply.blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; SSO" in text
    assert "changed since baseline v1" in text and "`Must`" in text
