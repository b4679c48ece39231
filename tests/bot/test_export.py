"""Exports without Slack or a database: the README documents exactly the columns the code writes, every kind
has its names in both languages, what people type is read, and Markdown cells can't break a table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.domain import export as exports
from bot.errors import UsageError
from bot.i18n import LANGS, MESSAGES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_documents_every_kinds_columns_as_the_code_writes_them() -> None:
    documented = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"^\| `(\w+)` \| (`.*`(?: \(team\))?) \|$", README.read_text(encoding="utf-8"), re.M
        )
    }
    for kind in exports.EXPORTS:
        written = ", ".join(f"`{c.name}`" + (" (team)" if c.team_only else "") for c in kind.columns)
        assert documented.get(kind.plural) == written, kind.plural


def test_every_kind_has_its_names_and_statuses_in_both_languages() -> None:
    for kind in exports.EXPORTS:
        for key in (f"export.kind.{kind.plural}", f"search.kind.{kind.kind}"):
            assert set(MESSAGES[key]) == set(LANGS), key
        assert kind.plural in exports.KIND_WORDS.values()


@pytest.mark.parametrize(
    ("text", "fmt", "kinds"),
    [
        ("", "xlsx", [e.plural for e in exports.EXPORTS]),
        ("csv risks actions", "csv", ["risks", "actions"]),
        ("CSV 风险，行动项、risk", "csv", ["risks", "actions"]),
        ("markdown 全部", "md", [e.plural for e in exports.EXPORTS]),
        (
            "表格 里程碑 变更 需求 纪要 决策",
            "xlsx",
            ["milestones", "changes", "requirements", "minutes", "decisions"],
        ),
    ],
)
def test_what_people_type_is_read(text: str, fmt: str, kinds: list[str]) -> None:
    request = exports.read_request(text)
    assert (request.fmt, [k.plural for k in request.kinds]) == (fmt, kinds)


@pytest.mark.parametrize("text", ["pdf", "csv xlsx", "risks everything"])
def test_anything_else_is_a_usage_error_with_an_example(text: str) -> None:
    with pytest.raises(UsageError) as err:
        exports.read_request(text)
    assert err.value.example == exports.EXAMPLE


def test_markdown_cells_keep_a_table_whole() -> None:
    assert exports.md_cell("a | b\nc\\d") == "a \\| b<br>c\\\\d"
    assert exports.md_cell(None) == "" and exports.md_cell(3) == "3"


def test_file_names_keep_chinese_and_drop_what_a_file_system_refuses() -> None:
    assert exports.slug("ACME ERP / 二期") == "acme-erp-二期"
    assert exports.slug("///") == "project"
