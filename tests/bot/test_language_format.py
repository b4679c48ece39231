"""Language and format (issue 18): bold that Slack renders next to Chinese, one Chinese copywriting
convention over the catalogue, one date style, one look per level and status."""

from __future__ import annotations

import re
import string

import pytest

from bot.i18n import MESSAGES, t
from bot.mrkdwn import ZWSP, bold

# CJK ideographs, kana/CJK symbols and punctuation, full-width forms: none of them is a word boundary to Slack.
WIDE = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
ZH = {key: texts["zh"] for key, texts in MESSAGES.items()}


def _literal(template: str) -> str:
    """The template's own words: placeholders and `code` spans removed (a command example is not prose)."""
    text = "".join(lit for lit, *_ in string.Formatter().parse(template))
    return re.sub(r"`[^`]*`", "`…`", text)


def test_bold_fences_its_markers_so_slack_renders_them_next_to_chinese() -> None:
    """Slack turns `*…*` into bold only at a word boundary (space or ASCII punctuation); `致*ACME*：`
    shows its asterisks. A zero-width space on each side is a boundary and shows nothing."""
    assert bold("ACME 周例会") == f"{ZWSP}*ACME 周例会*{ZWSP}"
    text = t("project.created", "zh", name=bold("ACME ERP"), client=bold("ACME"))
    for match in re.finditer(r"\*", text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        assert before in f" {ZWSP}" or after in f" {ZWSP}", text


def test_no_chinese_template_puts_an_asterisk_against_chinese_text() -> None:
    """Every bold in a zh template comes from `bot.mrkdwn.bold` (a placeholder), never `*` typed next to a
    Chinese character or full-width punctuation."""
    bad = [key for key, text in ZH.items() if re.search(rf"[{WIDE}]\*|\*[{WIDE}]", _literal(text))]
    assert bad == []
    assert re.search(rf"[{WIDE}]\*", _literal("致*ACME*：")) and re.search(rf"\*[{WIDE}]", "*ACME*：")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_names_in_confirmations_are_bold_through_the_helper(lang: str) -> None:
    from handlers.builders.project import build_project_saved
    from storage.models import Project

    project = Project(name="ACME 周例会", client_name="ACME", workspace_id=1, tz="UTC", lang=lang)
    reply = build_project_saved(project, lang, created=True)
    assert bold("ACME 周例会") in reply.text and bold("ACME") in reply.text
