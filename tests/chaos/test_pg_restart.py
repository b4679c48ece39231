"""A PostgreSQL server restart under steady `/risk add` commands (`pg_ctl restart -m fast`, then `-m
immediate`: a crash, recovered at start), on a throw-away server of the scenario's own — the shared one is
never touched. Long: deselected unless asked for (`-m chaos` or LIAISON_CHAOS=1), on either database leg."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.scenarios import postgres_bindir, restart_postgres, show


@pytest.mark.chaos
async def test_a_postgres_restart_under_steady_commands_loses_and_doubles_nothing(tmp_path: Path) -> None:
    if postgres_bindir() is None:  # asked for by name on a machine without a server: say so, never skip
        pytest.fail("initdb and pg_ctl not found (/usr/lib/postgresql/*/bin or PATH): install postgresql")
    modes = ("fast", "immediate")
    figures = await restart_postgres(tmp_path, n=400, rate=20, modes=modes)
    print(show(figures))
    assert figures["outages_seen"] == len(modes)  # each restart really took the server away
    assert figures["lost"] == [] and figures["duplicated"] == [] and figures["unanswered"] == []
    assert figures["other_answers"] == []
    assert figures["stored_behind_try_again"] == [] and figures["stored_though_refused_in_ack"] == []
    assert figures["told_try_again_then_done"] == 0  # "try again… nothing was changed" stays true
    assert figures["told_kept_never_done"] == []
    assert figures["answered"] == figures["acked"]
    assert figures["not_acked"] == []  # the ack never fails: at worst it says "try again"
    for tag in (f"{i + 1}_{mode}" for i, mode in enumerate(modes)):  # back by itself, and stays back
        assert isinstance(figures[f"{tag}_first_ack_after_up_s"], float)
        assert isinstance(figures[f"{tag}_first_success_answer_after_up_s"], float)
        assert figures[f"{tag}_refused_after_first_ack"] == 0
    assert figures["journal_left"] == 0
    assert figures["healthz_after"] == 200 and figures["scheduler_running"] and figures["same_process"]
