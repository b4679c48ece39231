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


# ---- one date style, one look per level and status ----------------------------------------------------


def test_one_emoji_and_colour_per_risk_level_and_status_everywhere() -> None:
    """The same at-risk milestone is yellow in /milestone list, the digest, App Home and the chart."""
    from bot import charts
    from bot.domain.risks import Level
    from bot.styles import LEVEL_STYLE, STATUS_STYLE
    from handlers.builders import digest, milestones, risks

    for status, style in STATUS_STYLE.items():
        assert digest.MILESTONE_EMOJI[status] == style.emoji
        assert charts.STATUS_COLOURS[status] == style.chart
        if status in milestones.STATUS_EMOJI:
            assert milestones.STATUS_EMOJI[milestones.MilestoneStatus(status)] == style.emoji
        if status != "done":
            assert digest.STATUS_EMOJI[digest.OverallStatus(status)] == style.emoji
    for level in Level:
        assert risks.LEVEL_EMOJI[level] == digest.LEVEL_EMOJI[str(level)] == LEVEL_STYLE[level].emoji
        assert charts.LEVEL_COLOURS[level] == LEVEL_STYLE[level].chart
    assert STATUS_STYLE["at_risk"].emoji == ":large_yellow_circle:"
    assert len({s.emoji for s in STATUS_STYLE.values()}) == len(STATUS_STYLE)
    assert len({s.emoji for s in LEVEL_STYLE.values()}) == len(LEVEL_STYLE)


@pytest.mark.parametrize(
    ("lang", "level", "day"),
    [("en", "critical 16 (4×4)", "Fri 18 Dec"), ("zh", "严重 16（4×4）", "12月18日（周五）")],
)
def test_sync_agendas_show_risks_with_their_level_and_dates_in_the_one_style(
    lang: str, level: str, day: str
) -> None:
    from datetime import UTC, date, datetime

    from bot.domain.agenda import Agenda
    from handlers.builders.sync import build_sync_reminder
    from storage.models import Milestone, Risk

    risk = Risk(id=1, project_id=1, number=4, title="Vendor", probability=4, impact=4, visibility="internal")
    milestone = Milestone(
        id=1,
        project_id=1,
        number=2,
        title="UAT",
        planned_on=date(2026, 12, 18),
        forecast_on=date(2026, 12, 18),
    )
    _text, blocks = build_sync_reminder(
        title="Weekly",
        occurs_at=datetime(2026, 12, 15, 2, 0, tzinfo=UTC),
        tz="Asia/Shanghai",
        lang=lang,
        now=datetime(2026, 12, 15, 1, 45, tzinfo=UTC),
        agenda=Agenda(actions=(), risks=(risk,), milestones=(milestone,)),
        project_id=1,
        minutes_button=False,
    )
    shown = "\n".join(str(b) for b in blocks)
    assert f":red_circle: `R-4` Vendor — {level}" in shown and "4×4=16" not in shown
    assert f"`MS-2` UAT — {day}" in shown and "2026-12-18" not in shown


def test_builders_render_dates_through_the_one_helper() -> None:
    """No builder formats a date itself (`isoformat`, `strftime`): they call bot.timeexpr.render_date /
    render_instant, or a Slack date token where each reader's zone matters. Allowed: a date picker's value
    and the token's own fallback."""
    from pathlib import Path

    allowed = {
        "handlers/builders/minutes.py": 2,  # datepicker initial_date; slack_time's fallback
        "handlers/builders/actions.py": 1,  # the Need more time form's datepicker initial_date
    }
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "handlers" / "builders").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        found = len(re.findall(r"\.isoformat\(\)|strftime\(|:%Y-%m-%d", source))
        assert found == allowed.get(str(path.relative_to(root)), 0), path.name


# ---- one Chinese copywriting convention -----------------------------------------------------------------

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Deliberate exceptions: what people type (command examples, time phrases, the syntax hint of the minutes
# form) is shown as typed, and a number is written against a Chinese date or time unit (12月1日, 3天, 10点).
TYPED = {"minutes.modal.hint.actions", "time.ambiguous_hour"}
UNITS = "年月日号点时分秒天周个小"
# Placeholders that hold Latin text (names, ids, channels, codes): spaced from Chinese like any Latin word.
LATIN_FIELDS = ("client", "project", "name", "title", "ref", "channel", "country", "owner", "who", "user")


def _typed(key: str) -> bool:
    return key.endswith(".example") or key.startswith("time.example_") or key in TYPED


def _copy_problems(key: str, template: str) -> list[str]:
    text = re.sub(r"`[^`]*`", "`…`", template)  # code spans are typed text
    problems = []
    if not _typed(key):
        for m in re.finditer(rf"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]", text):
            digit_unit = m.group()[0].isdigit() and m.group()[1] in UNITS
            if not digit_unit:
                problems.append(f"no space between Chinese and Latin: {m.group()!r}")
        for m in re.finditer(rf"[{CJK}][,;:!?]|[,;:!?](?=[{CJK}])|[{CJK}]\.(?!\.)", text):
            problems.append(f"half-width punctuation in a Chinese sentence: {m.group()!r}")
    if re.search(rf"\([^)]*[{CJK}][^)]*\)", text):
        problems.append("half-width brackets around Chinese")
    if re.search(r"（[^）]*\)|\([^)]*）", text):
        problems.append("mixed brackets")
    if re.search(r" [，。：；！？、）」』]|[（「『] |[，。：；！？、] ", text):
        problems.append("a space next to full-width punctuation")
    for field in LATIN_FIELDS:
        if re.search(rf"[{CJK}]\{{{field}\}}|\{{{field}\}}[{CJK}]", text):
            problems.append(f"{{{field}}} (Latin text) directly against Chinese")
    return problems


def test_every_chinese_string_follows_one_copywriting_convention() -> None:
    """Spaces between Chinese and Latin letters or digits, full-width punctuation in Chinese sentences, no
    mixed brackets (the convention of 中文文案排版指北, as most Chinese product copy follows)."""
    problems = {key: found for key, text in ZH.items() if (found := _copy_problems(key, text))}
    assert problems == {}


@pytest.mark.parametrize(
    "bad",
    [
        "致{client}的简报",
        "等待ACME确认",
        "已更新,请查看",
        "计划(内部)",
        "风险（高)",
        "已保存 。",
        "共3个风险",
    ],
)
def test_the_convention_check_catches_each_kind_of_slip(bad: str) -> None:
    assert _copy_problems("some.key", bad)


# ---- forms in the project's language ----------------------------------------------------------------------


def _modals(lang: str) -> dict[str, dict[str, object]]:
    from datetime import UTC, date, datetime

    from handlers.builders.changes import build_change_modal
    from handlers.builders.checkin import build_answer_modal
    from handlers.builders.minutes import build_changes_modal, build_minutes_modal
    from handlers.builders.risks import build_risk_modal
    from handlers.builders.signoff import build_signoff_modal
    from storage.models import Minutes, SignOff

    minutes = Minutes(
        id=1, project_id=1, number=3, title="周例会", meeting_on=date(2026, 12, 1), created_by="U1"
    )
    row = SignOff(
        id=1,
        project_id=1,
        subject="milestone",
        subject_id=1,
        version=1,
        title="UAT",
        content="…",
        content_hash="0" * 64,
        requested_by="U1",
        requested_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    return {
        "change": build_change_modal(lang, metadata="{}"),
        "checkin": build_answer_modal(
            occurrence_id=1, project="ACME", question="进展？", lang=lang, answer=None
        ),
        "minutes": build_minutes_modal(lang, private_metadata="{}", today=date(2026, 12, 1), share=True),
        "minutes_changes": build_changes_modal(lang, private_metadata="{}", minutes=minutes),
        "risk": build_risk_modal(lang, metadata="{}"),
        "signoff_remarks": build_signoff_modal(row, "MS-1", "remarks", lang, channel_id="C1"),
        "signoff_reject": build_signoff_modal(row, "MS-1", "rejected", lang, channel_id="C1"),
    }


def _shown_texts(node: object) -> list[str]:
    """Every text a person reads in a view (labels, hints, placeholders, options, title and buttons)."""
    if isinstance(node, dict):
        found = [str(node["text"])] if node.get("type") in {"plain_text", "mrkdwn"} else []
        return found + [
            t for key, value in node.items() if key != "private_metadata" for t in _shown_texts(value)
        ]
    if isinstance(node, list):
        return [t for item in node for t in _shown_texts(item)]
    return []


def test_chinese_forms_say_optional_in_chinese_and_english_forms_leave_it_to_slack() -> None:
    for name, view in _modals("zh").items():
        for block in view["blocks"]:  # type: ignore[attr-defined]
            if block.get("type") == "input" and block.get("optional"):
                assert block["hint"]["text"].startswith("选填"), (name, block["block_id"])
    for view in _modals("en").values():
        for block in view["blocks"]:  # type: ignore[attr-defined]
            if block.get("type") == "input" and block.get("optional") and "hint" in block:
                assert not block["hint"]["text"].startswith("Optional")


def test_no_chinese_form_shows_english_words() -> None:
    """Allowed Latin: record ids and the syntax people type (owner:, @name, p:, a command)."""
    typed = re.compile(r"`[^`]*`|\[\w+\]|@\w+|\b[A-Z]{1,2}-\d+\b|\b\w+:\S*|/\w+|\bACME\b|\bUAT\b")
    for name, view in _modals("zh").items():
        for text in _shown_texts(view):
            words = re.findall(r"[A-Za-z]{2,}", typed.sub("", text))
            assert words == [], (name, text)
