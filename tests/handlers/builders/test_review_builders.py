"""The team's review preview in Chinese, pure: it names the digest as every other message does (简报, the word
of /digest and of the digest itself), and its two sentences run on as Chinese does, with no space after 。."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import MESSAGES
from handlers.builders.review import build_preview
from tests.harness.app import reply_text


def test_the_chinese_preview_calls_the_digest_a_digest_and_joins_its_sentences() -> None:
    text, blocks = build_preview(
        preview_id=1,
        kind="digest",
        ref="S-3",
        channel_id="C0SHARED",
        post_at=datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
        mode="on",
        lang="zh",
        client_text="ACME ERP 上线 — 致 ACME 的进展简报",
        client_blocks=[],
        note_by=None,
    )
    shown = reply_text({"blocks": blocks})
    assert "客户简报 S-3" in text and "摘要" not in shown
    assert "发送时会重新生成：客户看到的是发送那一刻的记录。无人操作时，到点照常发送。" in shown, shown
    assert "简报" in MESSAGES["cmd.digest"]["zh"]  # the word the preview borrows
