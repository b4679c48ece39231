"""A mistyped or misplaced subcommand gets "did you mean" with the example of that subcommand, in the user's
language, and writes nothing; free text that merely looks like a sentence still works (issues 11 and 18)."""

from __future__ import annotations

from storage.models import AuditLog, Decision, Minutes, Risk, Schedule
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Liaison, reply_text

RISK = "add Data migration slips p:high i:4 [client]"


async def _nothing_new(app: Liaison, before: dict[str, int]) -> None:
    for model in (Risk, Schedule, Minutes, Decision, AuditLog):
        assert len(await rows(app, model)) == before[model.__name__], model.__name__


async def _counts(app: Liaison) -> dict[str, int]:
    return {m.__name__: len(await rows(app, m)) for m in (Risk, Schedule, Minutes, Decision, AuditLog)}


async def test_a_mistyped_risk_subcommand_names_the_one_meant_in_english(app: Liaison) -> None:
    await app.command("/risk", RISK)
    before = await _counts(app)
    reply = await app.command("/risk", "updte R-1 p:low")
    shown = reply_text(reply)
    assert "`/risk` has no subcommand `updte`. Did you mean `update`?" in shown
    assert "Example: `/risk update R-7" in shown and "/risk add" not in shown
    assert reply["response_type"] == "ephemeral"
    await _nothing_new(app, before)  # the audit log included: R-1 was not updated


async def test_a_mistyped_risk_subcommand_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/risk", RISK)
    before = await _counts(app)
    shown = reply_text(await app.command("/risk", "clsoe R-1 已缓解"))
    assert "`/risk` 没有子命令 `clsoe`。你是想用 `close` 吗？" in shown
    assert "示例：`/risk close R-" in shown
    await _nothing_new(app, before)


async def test_other_commands_subcommands_are_not_free_text_anywhere(app: Liaison) -> None:
    before = await _counts(app)
    for command, text, expected, example in [
        ("/minutes", "close M-1", "`/minutes` has no subcommand `close`", "Example: ```\n/minutes "),
        ("/sync", "delete S-1", "`/sync` has no subcommand `delete`", "Example: `/sync every"),
        ("/checkin", "show S-1", "`/checkin` has no subcommand `show`", "Example: `/checkin every"),
        ("/digest", "done S-1", "`/digest` has no subcommand `done`", "Example: `/digest every"),
        ("/sync", "pasue S-1", "Did you mean `pause`?", "Example: `/sync pause S-"),
    ]:
        reply = await app.command(command, text)
        shown = reply_text(reply)
        assert expected in shown and example in shown, (command, text, shown)
        assert reply["response_type"] == "ephemeral"
    await _nothing_new(app, before)


async def test_free_text_defaults_still_record(app: Liaison) -> None:
    sync = await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')
    assert "S-1" in reply_text(sync)
    digest = await app.command("/digest", "每周一上午9点 客户")
    assert "S-2" in reply_text(digest)
    await app.command("/minutes", "News from ACME [client]\ndecision: Go live on 1 March")
    [minutes] = await rows(app, Minutes)
    assert minutes.title == "News from ACME"
    assert len(await rows(app, Schedule)) == 2
