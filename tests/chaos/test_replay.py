"""A replayed command writes nothing twice: its work committed but its process died before the journal row
was marked done, so a replay (another replica, or the restart) finds the request key claimed and answers as a
repeat through the same response_url. And a command whose process died before its work is carried out."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.domain import journal
from storage.models import CommandJournal, Risk
from tests.chaos.test_database_down import journal_empty
from tests.harness.app import Clock, Liaison, reply_text, running_liaison

SETUP = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'
LEASE = timedelta(seconds=60)


async def _journal_as_if_crashed(liaison: Liaison, form: dict[str, str]) -> None:
    """The row a process left behind when it died: received 2 minutes ago, its lease long run out."""
    now = liaison.svc.clock() - timedelta(minutes=2)
    assert await journal.record(liaison.svc.sessions, dict(form), now=now, lease=LEASE)


async def _answers(liaison: Liaison, form: dict[str, str], count: int) -> list[str]:
    key = form["response_url"].rsplit("/", 1)[-1]
    calls = await liaison.wait_for("response_url", count=count, where=lambda c: c.args.get("_key") == key)
    return [reply_text(c.args) for c in calls]


async def test_a_replay_after_the_work_committed_writes_nothing_and_answers_already_recorded(
    liaison: Liaison,
) -> None:
    await liaison.command("/project", SETUP)
    for text, repeat in (
        ("add Network freeze p:3 i:4", "Already recorded: R-1"),
        ("添加 数据迁移延期 p:2 i:3", "R-2"),
    ):
        first = await liaison.command("/risk", text)
        assert "R-" in reply_text(first)
        form = liaison.sent[-1]
        await journal_empty(liaison)  # its row went once it was answered
        await _journal_as_if_crashed(liaison, form)  # done never marked: the process died just then
        assert await liaison.runtime.replayer.run_once() == 1
        answers = await _answers(liaison, form, 2)
        assert repeat in answers[-1]
    async with liaison.session() as s:
        titles = [r.title for r in (await s.exec(select(Risk))).all()]
        assert sorted(titles) == ["Network freeze", "数据迁移延期"]  # once each, the Chinese kept verbatim
    await journal_empty(liaison)  # answered: the rows (and the text they held) gone


async def test_a_command_whose_process_died_before_its_work_is_carried_out_once(liaison: Liaison) -> None:
    await liaison.command("/project", SETUP)
    form = liaison.command_form("/risk", "add Vendor delay p:2 i:2")  # acked, then the process died
    await _journal_as_if_crashed(liaison, form)
    assert await liaison.runtime.replayer.run_once() == 1
    assert await liaison.runtime.replayer.run_once() == 0  # leased now: not taken twice
    [answer] = await _answers(liaison, form, 1)
    assert "Added R-1" in answer
    async with liaison.session() as s:
        assert [r.title for r in (await s.exec(select(Risk))).all()] == ["Vendor delay"]


async def test_a_process_dying_between_the_answer_and_its_batched_delete_is_replayed_as_a_repeat(
    database_url: str,
) -> None:
    """Answered commands' DELETEs wait for the next batch of INSERTs (bot/domain/journal.GroupCommit). Until
    then the row stays leased by the process that answered, so another replica leaves it alone; if that
    process dies first, the row is replayed once its lease runs out and answers as a repeat: nothing written
    twice."""
    async with running_liaison(database_url) as first:
        await first.command("/project", SETUP)
        await journal_empty(first)
        first.svc.journal.delete_delay = 3600  # an answered row waits for company: none comes
        reply = await first.command("/risk", "add Network freeze p:3 i:4")
        assert "Added R-1" in reply_text(reply)
        form = first.sent[-1]
        async with first.session() as s:
            row = await s.get(CommandJournal, journal.command_key(form))
        assert row is not None and row.lease_until is not None  # answered, its DELETE not written yet

        # `first` now stands for a process that died here. Another replica on the same database:
        other = Clock(row.lease_until - timedelta(seconds=30))
        async with running_liaison(database_url, fake=first.fake, clock=other) as second:
            assert await second.runtime.replayer.run_once() == 0  # still leased: nobody replays it
            other.advance(seconds=31)  # the lease has run out
            assert await second.runtime.replayer.run_once() == 1
            answers = await _answers(second, form, 2)
            assert "Already recorded: R-1" in answers[-1]
            await journal_empty(second)
        async with first.session() as s:
            assert [r.title for r in (await s.exec(select(Risk))).all()] == ["Network freeze"]
