"""/liaison export and /liaison search end to end, through the signed endpoint and the fake Slack, in English and
Chinese: the files uploaded into the conversation are opened (CSV with its BOM, the XLSX with openpyxl, the
Markdown), and what a client or a shared channel gets holds only client records and client fields.

The `app` fixture (tests/handlers/conftest.py) is a project "ACME ERP" in Asia/Shanghai with its client channel
bound (SHARED_CHANNEL, shared with the client's organisation); CAROL is the client, ALICE the team.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from bot.domain.export import EXPORTS
from storage.models import Decision, Risk
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Clock, Liaison, reply_text

SSO_RISK = 'add "实现单点登录功能 | SSO" p:3 i:4 [client]'


async def _records(app: Liaison, clock: Clock | None = None) -> None:
    """A client risk with a Chinese title, an internal risk, a client action, an internal decision, a client
    milestone: a minute apart when a clock is given."""
    for command, text in (
        ("/risk", SSO_RISK),
        ("/risk", 'add "Vendor may slip the login gateway" p:2 i:2'),
        ("/action", "add Send the cutover plan for login due:2026-12-08 [client]"),
        ("/decision", "add Keep the internal login audit trail"),
        ("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]'),
    ):
        reply = await app.command(command, text)
        assert "-1" in reply_text(reply) or "-2" in reply_text(reply), reply_text(reply)
        if clock is not None:
            clock.advance(minutes=1)


def _uploads(app: Liaison) -> list[dict[str, Any]]:
    return list(app.fake.uploaded_files.values())


def _csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# ---- export ----------------------------------------------------------------------------------------------


async def test_csv_export_uploads_one_file_per_kind_into_the_channel_with_the_teams_view(
    app: Liaison,
) -> None:
    await _records(app)
    reply = await app.command("/liaison", "export csv risks actions")
    assert "Uploaded 2 file(s) here: risks 2, action items 1." in reply_text(reply), reply_text(reply)
    assert reply["response_type"] == "ephemeral"
    risks, actions = _uploads(app)
    assert (risks["filename"], risks["channel_id"]) == (
        "liaison-acme-erp-2026-11-24-risks.csv",
        INTERNAL_CHANNEL,
    )
    assert actions["filename"] == "liaison-acme-erp-2026-11-24-actions.csv"
    assert "Export of" in risks["initial_comment"] and "Asia/Shanghai" in risks["initial_comment"]
    table = _csv(risks["content"])
    assert list(table[0]) == [
        "id", "title", "probability", "impact", "score", "strategy", "owner_name", "owner_user_id", "due_on",
        "status", "response", "closed_at", "close_note", "visibility", "created_by", "created_at",
        "updated_at", "zone",
    ]  # fmt: skip
    assert [(r["id"], r["title"], r["visibility"], r["score"]) for r in table] == [
        ("R-1", "实现单点登录功能 | SSO", "client", "12"),
        ("R-2", "Vendor may slip the login gateway", "internal", "4"),
    ]
    assert table[0]["created_at"] == "2026-11-24T08:00:00+08:00" and table[0]["zone"] == "Asia/Shanghai"
    [action] = _csv(actions["content"])
    assert (action["id"], action["due_on"], action["status"]) == ("A-1", "2026-12-08", "open")
    assert app.fake.messages(INTERNAL_CHANNEL)[-1]["files"][0]["name"].endswith("-risks.csv")


async def test_xlsx_export_is_one_workbook_with_a_sheet_per_kind(app: Liaison) -> None:
    await _records(app)
    reply = await app.command("/liaison", "export")  # xlsx of every kind by default
    assert "Uploaded 1 file(s) here" in reply_text(reply)
    [upload] = _uploads(app)
    assert upload["filename"] == "liaison-acme-erp-2026-11-24.xlsx"
    book = load_workbook(io.BytesIO(upload["content"]))
    assert book.sheetnames[:8] == [
        "minutes", "actions", "decisions", "risks", "milestones", "changes", "requirements", "issues"
    ]  # fmt: skip
    assert book.sheetnames == [kind.plural for kind in EXPORTS]  # a kind added later gets its sheet too
    risks = [[c.value for c in row] for row in book["risks"].iter_rows()]
    assert risks[0][:2] == ["id", "title"]
    assert risks[1][:2] == ["R-1", "实现单点登录功能 | SSO"]
    milestones = [[c.value for c in row] for row in book["milestones"].iter_rows()]
    assert milestones[1][:5] == ["MS-1", "UAT sign-off", "2026-12-15", "2026-12-15", None]
    assert [[c.value for c in row] for row in book["minutes"].iter_rows()][1:] == []


async def test_markdown_export_is_one_file_of_tables_with_pipes_escaped(app: Liaison) -> None:
    await _records(app)
    await app.command("/liaison", "export md risks decisions")
    [upload] = _uploads(app)
    assert upload["filename"] == "liaison-acme-erp-2026-11-24.md"
    text = upload["content"].decode("utf-8")
    assert text.startswith("# ACME ERP\n\nzone: Asia/Shanghai\n")
    assert "## risks" in text and "## decisions" in text and "## actions" not in text
    assert "| R-1 | 实现单点登录功能 \\| SSO | 3 | 4 | 12 |" in text
    assert "| D-1 | Keep the internal login audit trail |" in text


async def test_a_client_or_a_shared_channel_gets_only_client_records_and_client_columns(app: Liaison) -> None:
    await _records(app)
    await app.command("/liaison", "export csv risks decisions", user=CAROL, channel=SHARED_CHANNEL)
    await app.command("/liaison", "export csv risks decisions", channel=SHARED_CHANNEL)  # the team, shared
    for risks, decisions in (_uploads(app)[:2], _uploads(app)[2:]):
        assert risks["channel_id"] == SHARED_CHANNEL
        table = _csv(risks["content"])
        assert [r["id"] for r in table] == ["R-1"]
        assert "visibility" not in table[0] and "created_by" not in table[0]
        assert _csv(decisions["content"]) == []  # D-1 is internal
        assert "shared records only" in risks["initial_comment"]
        for upload in (risks, decisions):
            assert b"Vendor may slip" not in upload["content"] and b"U0ALICE" not in upload["content"]


async def test_an_empty_export_says_so_and_uploads_nothing(app: Liaison) -> None:
    await app.command("/risk", 'add "Internal only" p:1 i:1')
    reply = await app.command("/liaison", "export risks", channel=SHARED_CHANNEL)
    assert "Nothing to export from" in reply_text(reply) and "no risks" in reply_text(reply), reply_text(
        reply
    )
    assert _uploads(app) == []


async def test_export_words_it_does_not_know_are_answered_with_an_example(app: Liaison) -> None:
    reply = await app.command("/liaison", "export pdf")
    text = reply_text(reply)
    assert "I don't know what to export for “pdf”" in text and "/liaison export xlsx risks actions" in text
    reply = await app.command("/liaison", "export csv md")
    assert "Choose one format" in reply_text(reply)
    assert _uploads(app) == []


async def test_export_in_chinese(app: Liaison) -> None:
    await _records(app)
    reply = await app.command("/liaison", "导出 csv 风险")
    assert "已在这里上传 1 个文件：风险 2 条。" in reply_text(reply), reply_text(reply)
    [upload] = _uploads(app)
    assert "的导出" in upload["initial_comment"]
    assert _csv(upload["content"])[0]["title"] == "实现单点登录功能 | SSO"
    reply = await app.command("/liaison", "导出 周报")
    assert "不清楚“周报”要导出什么" in reply_text(reply)


async def test_a_formula_typed_as_text_stays_text(app: Liaison) -> None:
    await app.command("/risk", 'add "=1+2 budget" p:1 i:1')
    await app.command("/liaison", "export csv risks")
    await app.command("/liaison", "export xlsx risks")
    csv_file, xlsx_file = _uploads(app)
    assert _csv(csv_file["content"])[0]["title"].startswith("'=")
    cell = load_workbook(io.BytesIO(xlsx_file["content"]))["risks"]["B2"]
    assert cell.data_type == "s" and str(cell.value).startswith("=")


# ---- search ----------------------------------------------------------------------------------------------


def _refs(text: str) -> list[str]:
    found = [line.split(" · ")[0].strip("\u200b*") for line in text.split("\n") if " · " in line]
    return list(dict.fromkeys(found))


async def test_search_finds_every_kind_best_and_newest_first(app: Liaison, clock: Clock) -> None:
    await _records(app, clock)
    await app.command("/change", 'add "Page redesign" why:"The client asked for a new login flow"')
    reply = await app.command("/liaison", "search LOGIN")
    text = reply_text(reply)
    assert reply["response_type"] == "ephemeral"
    assert "4 record(s) in" in text and "match “LOGIN”" in text, text
    # The word in the title first, newest first among those; a match in the text only comes after.
    assert _refs(text) == ["D-1", "A-1", "R-2", "CR-1"], text
    assert "risk · open — Vendor may slip the login gateway" in text
    snippet = (
        "change request · draft — Page redesign\n> Page redesign The client asked for a new *login* flow"
    )
    assert snippet in text.replace("\u200b", "")


async def test_search_shows_a_client_only_client_records(app: Liaison) -> None:
    await _records(app)
    for kw in ({"user": CAROL, "channel": SHARED_CHANNEL}, {"channel": SHARED_CHANNEL}):
        text = reply_text(await app.command("/liaison", "search login", **kw))
        assert "1 record(s)" in text and "A-1" in text, text
        assert "R-2" not in text and "D-1" not in text and "Vendor" not in text


async def test_two_chinese_characters_are_found_inside_chinese_text(app: Liaison) -> None:
    await _records(app)
    text = reply_text(await app.command("/liaison", "search 登录"))
    assert "R-1" in text and "风险" in text, text
    assert "登录" in text
    text = reply_text(await app.command("/liaison", "搜索 单点登录"))
    assert "1 条记录与 “单点登录” 匹配" in text and "R-1" in text, text


async def test_search_follows_edits_and_deletes(app: Liaison) -> None:
    await app.command("/decision", "add Use blue-green deployment")
    assert "D-1" in reply_text(await app.command("/liaison", "search blue-green"))
    await app.command("/decision", "edit D-1 Use rolling deployment")
    assert "Nothing in" in reply_text(await app.command("/liaison", "search blue-green"))
    assert "D-1" in reply_text(await app.command("/liaison", "search rolling"))
    await app.command("/decision", "delete D-1")
    assert "Nothing in" in reply_text(await app.command("/liaison", "search rolling"))


async def test_a_search_with_no_match_says_so_with_an_example(app: Liaison) -> None:
    await _records(app)
    reply = await app.command("/liaison", "search kubernetes")
    text = reply_text(reply)
    assert "Nothing in" in text and "matches “kubernetes”" in text and "/liaison search login" in text
    text = reply_text(await app.command("/liaison", "搜索 数据迁移"))
    assert "没有与 “数据迁移” 匹配的记录" in text and "/liaison 搜索 登录" in text, text
    text = reply_text(await app.command("/liaison", "search"))
    assert "Say what to look for" in text


async def test_the_index_holds_one_entry_per_record(app: Liaison) -> None:
    """Every searchable kind is indexed as it is written (the flush hook), with its text."""
    from sqlalchemy import select

    from storage.repo.search import SEARCH_ENTRY

    await _records(app)
    async with app.session() as session:
        entries = (await session.exec(select(SEARCH_ENTRY.c.kind, SEARCH_ENTRY.c.doc))).all()
    assert sorted(kind for kind, _ in entries) == ["action", "decision", "milestone", "risk", "risk"]
    risk_docs = [doc for kind, doc in entries if kind == "risk"]
    assert [risk.title for risk in await rows(app, Risk)] == sorted(risk_docs, key=lambda d: "Vendor" in d)


# ---- the command line ------------------------------------------------------------------------------------


async def test_cli_export_writes_the_teams_view_into_a_folder(
    app: Liaison, database_url: str, tmp_path: Path
) -> None:
    """`liaison export` as an operator runs it: a real process on the same database, offline (no Slack)."""
    await _records(app)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["DATABASE_URL"] = database_url

    def liaison(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot.cli", "export", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    out = tmp_path / "out"
    done = await asyncio.to_thread(liaison, "--project", "acme erp", "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == len(EXPORTS) and all(
        n.startswith("liaison-acme-erp-") and n.endswith(".csv") for n in names
    )
    risks = _csv(next(out.glob("*-risks.csv")).read_bytes())
    assert [(r["id"], r["visibility"]) for r in risks] == [("R-1", "client"), ("R-2", "internal")]
    assert f"ACME ERP: 5 record(s) in {len(EXPORTS)} file(s), dates in Asia/Shanghai" in done.stderr

    done = await asyncio.to_thread(
        liaison, "--project", "1", "--format", "xlsx", "--out", str(out / "x"), "--kinds", "risks,decisions"
    )
    assert done.returncode == 0, done.stderr
    [book_path] = list((out / "x").iterdir())
    assert load_workbook(book_path).sheetnames == ["risks", "decisions"]

    done = await asyncio.to_thread(liaison, "--project", "Nope", "--out", str(out))
    assert done.returncode == 1 and "'Nope': no such project" in done.stderr
    done = await asyncio.to_thread(liaison, "--project", "1", "--out", str(out), "--kinds", "risks,pdfs")
    assert done.returncode == 2 and "unknown kind(s) pdfs" in done.stderr


async def test_issues_are_exported_and_found_like_every_kind(app: Liaison) -> None:
    reply = await app.command("/issue", "add 客户无法单点登录 severity:high [client]")
    assert "I-1" in reply_text(reply), reply_text(reply)
    text = reply_text(await app.command("/liaison", "搜索 登录", user=CAROL, channel=SHARED_CHANNEL))
    assert "I-1" in text and "问题" in text, text
    await app.command("/liaison", "export csv issues", user=CAROL, channel=SHARED_CHANNEL)
    [upload] = _uploads(app)
    [issue] = _csv(upload["content"])
    assert (issue["id"], issue["title"], issue["severity"], issue["status"]) == (
        "I-1",
        "客户无法单点登录",
        "high",
        "open",
    )
    assert "raised_by" not in issue and "visibility" not in issue


async def test_db_reindex_finds_records_written_around_the_app(
    app: Liaison, database_url: str, tmp_path: Path
) -> None:
    """A bulk insert that bypasses the ORM is not indexed; `liaison db reindex` rebuilds the index from the tables."""
    from sqlalchemy import insert

    await app.command("/decision", "add Use blue-green deployment")
    async with app.session() as session:
        decision = (await rows(app, Decision))[0]
        values = {
            c: getattr(decision, c)
            for c in ("project_id", "visibility", "decided_on", "created_by", "created_at", "updated_at")
        }
        await session.exec(insert(Decision).values(number=2, text="Freeze changes before cutover", **values))  # type: ignore[call-overload]
        await session.commit()
    assert "Nothing in" in reply_text(await app.command("/liaison", "search cutover"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {"DATABASE_URL": database_url}
    command = [sys.executable, "-m", "bot.cli", "db", "reindex"]
    done = await asyncio.to_thread(
        subprocess.run, command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "indexed" in done.stdout and "2 decision" in done.stdout, done.stderr
    assert "D-2" in reply_text(await app.command("/liaison", "search cutover"))
    assert "D-1" in reply_text(await app.command("/liaison", "search blue-green"))
