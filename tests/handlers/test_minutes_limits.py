"""Quick minutes have limits on lines and size (issue 15): past them, a short ephemeral answer in the user's
language with a working example, and nothing written. 10,000 pasted lines were 10,000 decisions and 18 s."""

from __future__ import annotations

import time

import pytest

from bot.domain.minutes import MAX_QUICK_CHARS, MAX_QUICK_LINES
from tests.handlers.test_minutes_commands import record_counts
from tests.harness.app import Liaison, reply_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sync\n" + "\n".join(f"decision: D{n}" for n in range(MAX_QUICK_LINES)),
            f"at most {MAX_QUICK_LINES}",
        ),
        ("Sync\n" + "\n".join("decision: " + "x" * 90 for _ in range(250)), f"at most {MAX_QUICK_CHARS}"),
        ("Sync\n" + "\n".join(f"decision: D{n}" for n in range(10_000)), "quick minutes take at most"),
    ],
)
async def test_too_long_quick_minutes_are_refused_and_write_nothing(
    app: Liaison, text: str, expected: str
) -> None:
    started = time.perf_counter()
    reply = await app.command("/minutes", text)
    elapsed = time.perf_counter() - started
    shown = reply_text(reply)
    assert expected in shown and "Example" in shown and "/minutes new" in shown
    assert reply["response_type"] == "ephemeral"
    assert await record_counts(app) == (0, 0, 0)
    assert elapsed < 5  # refused before any line is parsed (was 18 s for 10,000 lines)


async def test_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    text = "周会\n" + "\n".join(f"决定: 第 {n} 项" for n in range(MAX_QUICK_LINES))
    shown = reply_text(await app.command("/minutes", text))
    assert f"最多 {MAX_QUICK_LINES} 行" in shown and "示例" in shown
    assert await record_counts(app) == (0, 0, 0)


async def test_at_the_limit_is_accepted(app: Liaison) -> None:
    text = "Sync\n" + "\n".join(f"decision: D{n}" for n in range(MAX_QUICK_LINES - 1))
    reply = await app.command("/minutes", text)
    assert reply["response_type"] == "in_channel", reply_text(reply)
    assert await record_counts(app) == (1, MAX_QUICK_LINES - 1, 0)
