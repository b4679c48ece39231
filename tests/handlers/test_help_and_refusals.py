"""Help and errors a new user meets in the first hour (issue 18), end to end through the signed endpoint and
the fake Slack, in English and Chinese:

- `/liaison help` is an overview that fits one screen, `/liaison help <command>` the details of one;
- in the channel shared with the client, or for a client user, help shows what a client can do there;
- a refusal never ends with an example of the command it refused;
- form errors speak about the form's fields, without command syntax;
- examples that span lines are code blocks, never broken inline code.

The `app` fixture (tests/handlers/conftest.py) is a project in Asia/Shanghai with its client channel bound.
CAROL is the client (another organisation); ALICE and BOB the team.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.commands import REGISTRY
from bot.i18n import t
from handlers import ids
from handlers.builders.help import CLIENT_LOOKUPS
from storage.models import AuditLog, ChangeRequest, Risk
from tests.handlers.test_minutes_commands import opened_view, rows
from tests.harness.app import ALICE, CAROL, HOME_TEAM, SHARED_CHANNEL, Liaison, reply_text

SCREEN_LINES = 45  # what a laptop's Slack window shows of one message without scrolling, roughly


def shown_lines(message: dict[str, Any]) -> list[str]:
    """The lines a reader sees in the blocks (the fallback text is for notifications)."""
    lines: list[str] = []
    for block in message.get("blocks", []):
        texts = [block.get("text", {}).get("text", "")] + [
            e.get("text", "") for e in block.get("elements", [])
        ]
        for text in texts:
            lines.extend(line for line in text.split("\n") if line)
    return lines


def broken_inline_code(message: dict[str, Any]) -> list[str]:
    """Lines of block text whose inline code is not closed on the same line (outside ``` blocks)."""
    broken = []
    for block in message.get("blocks", []):
        texts = [block.get("text", {}).get("text", "")] + [
            e.get("text", "") for e in block.get("elements", [])
        ]
        for text in texts:
            outside = re.sub(r"```.*?```", "", text, flags=re.S)
            broken += [line for line in outside.split("\n") if line.count("`") % 2]
    return broken


# ---- 1. an overview that fits one screen, and the details of one command ---------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_is_an_overview_of_every_command_that_fits_one_screen(app: Liaison, lang: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    reply = await app.command("/liaison", "帮助" if lang == "zh" else "help")
    text = reply_text(reply)
    assert t("help.title", lang) in text
    for spec in REGISTRY.values():
        assert f"*{spec.command}* — {t(spec.summary, lang)}" in text
        assert t(spec.example, lang).split("\n")[0] in text  # one example each
    assert "/risk reopen" not in text and "/sync skip" not in text  # the details are one command away
    assert t("help.details.example", lang) in text
    assert len(shown_lines(reply)) <= SCREEN_LINES
    assert broken_inline_code(reply) == []


async def test_help_for_one_command_lists_its_subcommands_with_examples(app: Liaison) -> None:
    for text in ("help risk", "help /risk", "HELP Risk"):
        reply = await app.command("/liaison", text)
        shown = reply_text(reply)
        for sub in REGISTRY["/risk"].subcommands:
            assert f"`/risk {sub.name}` — {t(sub.summary, 'en')}" in shown, text
            assert t(sub.example, "en") in shown
        assert "/milestone" not in shown and "Every command: `/liaison help`" in shown
        assert broken_inline_code(reply) == []


async def test_help_for_one_command_in_chinese_names_the_chinese_subcommands(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    shown = reply_text(await app.command("/liaison", "帮助 risk"))
    assert "`/risk add`（`添加`） — 添加风险" in shown
    assert "`/risk close R-7 迁移演练通过`" in shown and "全部命令：`/liaison help`" in shown


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "`riks` is not a Liaison command. The commands are `liaison`, `project`"),
        ("zh", "`riks` 不是 Liaison 的命令。可用的命令有 `liaison`、`project`"),
    ],
)
async def test_help_for_an_unknown_command_says_so_with_an_example(
    app: Liaison, lang: str, expected: str
) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    reply = await app.command("/liaison", "help riks")
    shown = reply_text(reply)
    assert expected in shown
    assert t("error.example", lang, example=f"`{t('help.details.example', lang)}`") in shown
    assert reply["response_type"] == "ephemeral"


# ---- 1. what a client can do, where the client reads ----------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_client_gets_what_a_client_can_do_not_the_teams_commands(app: Liaison, lang: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    for text in ("help", "help risk"):  # a command's details are the team's, too
        reply = await app.command("/liaison", text, user=CAROL, channel=SHARED_CHANNEL)
        shown = reply_text(reply)
        assert t("help.client.title", lang) in shown
        for button in (
            "minutes.button.confirm",
            "minutes.button.request_changes",
            "signoff.button.accept",
            "signoff.button.approve",
            "signoff.button.reject",
            "action.button.done",
        ):
            assert t(button, lang) in shown, button
        for command in ("/risk add", "/project setup", "/minutes send", "/change add", "/sync every"):
            assert command not in shown
        assert t("help.client.team_member", lang) not in shown
        assert reply["response_type"] == "ephemeral"
        assert broken_inline_code(reply) == []


async def test_the_team_in_the_shared_channel_gets_the_clients_help_and_where_to_find_theirs(
    app: Liaison,
) -> None:
    shown = reply_text(await app.command("/liaison", "help", channel=SHARED_CHANNEL))
    assert "What you can do here" in shown and "/risk add" not in shown
    assert "You're on the project team: `/liaison help` in the team's own channel" in shown


async def test_a_client_user_anywhere_gets_the_clients_help(app: Liaison) -> None:
    shown = reply_text(await app.command("/liaison", "help", user=CAROL))
    assert "What you can do here" in shown and "/project setup" not in shown


async def test_what_the_clients_help_offers_to_look_up_a_client_can_run(app: Liaison) -> None:
    await app.command("/risk", "add Data migration slips p:high i:4 [client]")
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]')
    for lang in ("en", "zh"):
        for key in CLIENT_LOOKUPS:
            command, _, text = t(key, lang).partition(" ")
            reply = await app.command(command, text, user=CAROL, channel=SHARED_CHANNEL)
            shown = reply_text(reply)
            assert "can't do that" not in shown and ":warning:" not in shown, (key, lang, shown)


# ---- 2. a refusal suggests something the user can run, never what was refused ---------------------------

REFUSED = [
    ("/risk", "add Data migration slips p:high i:4 [client]", "/risk add"),
    ("/risk", "close R-1 done", "/risk close"),
    ("/action", "add Send plan @carol due:friday [client]", "/action add"),
    ("/decision", "Go live on 1 March [client]", "/decision"),
    ("/milestone", 'add "Go-live" due:2026-12-20 [client]', "/milestone add"),
    ("/requirement", "add SSO priority:must [client]", "/requirement add"),
    ("/change", 'add "SSO" impact:+5d [client]', "/change add"),
    ("/project", "settings tz:UTC", "/project settings"),
    ("/sync", 'every tuesday 10am "Weekly sync" [client]', "/sync every"),
]


@pytest.mark.parametrize(("user", "lang"), [(CAROL, "en"), (CAROL, "zh"), (ALICE, "en"), (ALICE, "zh")])
async def test_a_refusal_ends_with_an_example_the_user_can_run(app: Liaison, user: str, lang: str) -> None:
    await app.command("/risk", "add Data migration slips p:high i:4 [client]")  # R-1, client-visible
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    before = len(await rows(app, AuditLog))
    for command, text, refused in REFUSED:
        if command == "/project" and user == ALICE:
            continue  # the team administers its project anywhere
        reply = await app.command(command, text, user=user, channel=SHARED_CHANNEL)
        shown = reply_text(reply)
        key = "policy.denied" if user == CAROL else "policy.denied_shared"
        assert t(key, lang) in shown, (command, text, shown)
        assert t("error.example", lang, example="`/liaison help`") in shown, (command, shown)
        assert refused not in shown.replace("/liaison help", ""), (command, shown)
        assert reply["response_type"] == "ephemeral"
    assert len(await rows(app, AuditLog)) == before  # nothing was written


async def test_the_help_a_refusal_offers_shows_the_client_what_they_can_do(app: Liaison) -> None:
    refused = reply_text(await app.command("/risk", "add X p:1 i:1", user=CAROL, channel=SHARED_CHANNEL))
    example = re.search(r"Example: `([^`]+)`", refused)
    assert example is not None
    command, _, text = example.group(1).partition(" ")
    shown = reply_text(await app.command(command, text, user=CAROL, channel=SHARED_CHANNEL))
    assert "What you can do here" in shown


# ---- 3. form errors speak about the form's fields -----------------------------------------------------


def risk_form(view: dict[str, Any], **chosen: str | None) -> dict[str, Any]:
    """A risk form submission as Slack sends it: a menu left alone has no selected_option."""

    def select(value: str | None) -> dict[str, Any]:
        option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
        return {"type": "static_select", "selected_option": option}

    values = {
        ids.RISK_TITLE: {ids.RISK_TITLE: {"type": "plain_text_input", "value": chosen.get("title")}},
        ids.RISK_P: {ids.RISK_P: select(chosen.get("p"))},
        ids.RISK_I: {ids.RISK_I: select(chosen.get("i"))},
        ids.RISK_OWNER: {ids.RISK_OWNER: {"type": "users_select", "selected_user": None}},
        ids.RISK_DUE: {ids.RISK_DUE: {"type": "datepicker", "selected_date": None}},
        ids.RISK_STRATEGY: {ids.RISK_STRATEGY: select(chosen.get("strategy"))},
        ids.RISK_RESPONSE: {ids.RISK_RESPONSE: {"type": "plain_text_input", "value": None}},
        ids.RISK_SHARE: {ids.RISK_SHARE: {"type": "checkboxes", "selected_options": []}},
    }
    return {
        "type": "view_submission",
        "team": {"id": HOME_TEAM},
        "user": {"id": ALICE, "team_id": HOME_TEAM},
        "api_app_id": "A0LIAISON",
        "trigger_id": "1.view-submit",
        "view": {
            "id": view["id"],
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": values},
        },
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                ids.RISK_TITLE: "Give the risk a title.",
                ids.RISK_P: "Choose a probability, from 1 (very low) to 5 (very high).",
                ids.RISK_I: "Choose an impact, from 1 (very low) to 5 (very high).",
            },
        ),
        (
            "zh",
            {
                ids.RISK_TITLE: "请填写风险标题。",
                ids.RISK_P: "请选择发生概率，从 1（很低）到 5（很高）。",
                ids.RISK_I: "请选择影响程度，从 1（很低）到 5（很高）。",
            },
        ),
    ],
)
async def test_an_empty_risk_form_speaks_about_its_fields(
    app: Liaison, lang: str, expected: dict[str, str]
) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    await app.send_command("/risk", "add")
    view = await opened_view(app)
    empty = (await app.interaction(risk_form(view))).json()
    assert empty["response_action"] == "errors"
    assert empty["errors"] == expected
    wrong = (await app.interaction(risk_form(view, title="VPN", p="lots", i="9", strategy="pray"))).json()
    assert set(wrong["errors"]) == {ids.RISK_P, ids.RISK_I, ids.RISK_STRATEGY}
    assert wrong["errors"][ids.RISK_STRATEGY] == t("risk.form.choose_strategy", lang)
    for message in [*empty["errors"].values(), *wrong["errors"].values()]:
        assert "`" not in message and "p:" not in message and "i:" not in message, message
    assert await rows(app, Risk) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "“R-2” is not a milestone or requirement: write references like MS-2 or RQ-3, separated by commas.",
        ),
        ("zh", "“R-2”不是里程碑或需求：请填写编号，例如 MS-2 或 RQ-3，用逗号分隔。"),
    ],
)
async def test_the_change_form_speaks_about_its_fields(app: Liaison, lang: str, expected: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    await app.send_command("/change", "add")
    view = await opened_view(app)
    from tests.handlers.test_change_commands import _form
    from tests.handlers.test_minutes_commands import submission

    for affects in ("MS-1, R-2", "R-2"):
        bad = (await app.interaction(submission(view, _form(title=" ", days="x", affects=affects)))).json()
        assert bad["errors"][ids.CHANGE_AFFECTS] == expected
        assert set(bad["errors"]) == {ids.CHANGE_TITLE, ids.CHANGE_DAYS, ids.CHANGE_AFFECTS}
        for message in bad["errors"].values():
            assert "`" not in message and "affects:" not in message and "涉及:" not in message, message
    assert await rows(app, ChangeRequest) == []


# ---- 4. examples that span lines are code blocks ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_examples_that_span_lines_are_code_blocks_in_help_and_errors(app: Liaison, lang: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    quick = t("cmd.minutes.quick.example", lang)
    criteria = t("cmd.milestone.criteria.example", lang)
    for text, example in (("help", quick), ("help minutes", quick), ("help milestone", criteria)):
        reply = await app.command("/liaison", text)
        assert f"```\n{example}\n```" in reply_text(reply), text
        assert f"`{example.split(chr(10))[0]}" not in reply_text(reply).replace("```\n", ""), text
        assert broken_inline_code(reply) == [], text
    refused = await app.command("/minutes", "Weekly sync [client] [internal]\ndecision: Go live")
    assert f"```\n{quick}\n```" in reply_text(refused)
    assert broken_inline_code(refused) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_someone_elses_action_item_points_to_ones_own(app: Liaison, lang: str) -> None:
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
    await app.command("/action", "add Bobs <@U0BOB> [client]")
    shown = reply_text(await app.command("/action", "done A-1", user=CAROL, channel=SHARED_CHANNEL))
    assert t("action.not_yours", lang, ref="A-1") in shown
    assert t("error.example", lang, example="`/action list mine`") in shown
    assert "/action done" not in shown


def test_no_catalogue_string_breaks_inline_code_across_lines() -> None:
    """Inline code can't span lines in Slack mrkdwn: a string with a multi-line command uses ``` instead."""
    from bot.i18n import MESSAGES

    broken = []
    for key, texts in MESSAGES.items():
        for lang, text in texts.items():
            outside = re.sub(r"```.*?```", "", text, flags=re.S)
            if any(line.count("`") % 2 for line in outside.split("\n")):
                broken.append((key, lang))
    assert broken == []


def test_code_is_inline_for_one_line_and_a_block_for_several() -> None:
    from handlers.builders.common import code

    assert code("/risk list") == "`/risk list`"
    assert code("/minutes Weekly\ndecision: Go") == "```\n/minutes Weekly\ndecision: Go\n```"
