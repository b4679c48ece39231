"""The one command grammar: Slack's escaped text in, typed options out, or a UsageError."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import PROJECT, REGISTRY
from bot.errors import UsageError
from bot.grammar import CommandSpec, Option, Subcommand, parse_command, plain_text, tokenize

RISKY = CommandSpec(
    command="/thing",
    summary="cmd.liaison",
    example="cmd.liaison.help.example",
    default="add",
    subcommands=(
        Subcommand(
            "add",
            "cmd.liaison.help",
            "cmd.liaison.help.example",
            options=(Option("due", ("截止",)), Option("owner", ("负责人",), kind="user"), Option("p")),
            flags=("client",),
            takes_text=True,
        ),
        Subcommand("show", "cmd.liaison.help", "cmd.liaison.help.example", takes_text=True),
        Subcommand("other", "cmd.liaison.help", "cmd.liaison.help.example", options=(Option("reason"),)),
    ),
)


def test_quoted_and_plain_options() -> None:
    parsed = parse_command(
        PROJECT, 'setup name:"ACME ERP rollout" client:“ACME 中国” tz:Asia/Shanghai lang:zh'
    )
    assert parsed.sub.name == "setup"
    assert parsed.opt("name") == "ACME ERP rollout"
    assert parsed.opt("client") == "ACME 中国"
    assert parsed.opt("tz") == "Asia/Shanghai"
    assert parsed.opt("lang") == "zh"


def test_multi_word_values_stop_at_the_next_option_flag_or_mention() -> None:
    parsed = parse_command(RISKY, "Send the spec <@U123|bob> due:next friday p:3 [client]")
    assert parsed.text == "Send the spec"
    assert parsed.users == ["U123"]
    assert parsed.opt("due") == "next friday"
    assert parsed.opt("p") == "3"
    assert parsed.flags == {"client"}


def test_quoted_phrases_are_whole_values_and_never_extend_one() -> None:
    parsed = parse_command(RISKY, 'due:next friday "The title" p:3')
    assert parsed.opt("due") == "next friday"
    assert parsed.text == "The title"
    parsed = parse_command(RISKY, 'due:"next friday" after words')
    assert parsed.opt("due") == "next friday"
    assert parsed.text == "after words"


def test_user_option_takes_a_mention_or_a_name() -> None:
    assert parse_command(RISKY, "x owner:<@U9> due:tomorrow").options["owner"].users == ("U9",)
    named = parse_command(RISKY, "x owner:Zhang San due:tomorrow")
    assert named.opt("owner") == "Zhang San"
    assert named.options["owner"].users == ()


def test_chinese_aliases_and_full_width_colon() -> None:
    parsed = parse_command(RISKY, "迁移数据 负责人：<@U7> 截止：下周五 【客户】")
    assert parsed.text == "迁移数据"
    assert parsed.opt("due") == "下周五"
    assert parsed.options["owner"].users == ("U7",)
    assert parsed.flags == {"client"}


def test_default_and_empty_subcommands() -> None:
    assert parse_command(RISKY, "show R-7").sub.name == "show"
    assert parse_command(RISKY, "A title").sub.name == "add"
    assert parse_command(PROJECT, "").sub.name == "info"


def test_unknown_subcommand_is_a_usage_error_with_example() -> None:
    with pytest.raises(UsageError) as err:
        parse_command(PROJECT, "explode now")
    assert err.value.key == "grammar.unknown_sub"
    assert err.value.params["word"] == "explode"
    assert err.value.example == "cmd.project.setup.example"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x reason:late", "grammar.option_not_here"),
        ("x due:a due:b", "grammar.option_twice"),
        ("x due:", "grammar.option_empty"),
        ('x "unclosed', "grammar.unclosed_quote"),
        ("x [secret]", "grammar.unknown_flag"),
    ],
)
def test_malformed_options(text: str, key: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_command(RISKY, text)
    assert err.value.key == key


def test_unknown_key_colon_words_stay_in_the_title() -> None:
    assert parse_command(RISKY, "Re: budget at 10:00").text == "Re: budget at 10:00"


def test_text_not_taken_is_an_error() -> None:
    with pytest.raises(UsageError) as err:
        parse_command(PROJECT, "info extra words")
    assert err.value.key == "grammar.unexpected_text"


def test_slack_entities_become_inert_text() -> None:
    assert (
        plain_text("Hi <!channel> and <!here|here> from <@U1|alice>") == "Hi @channel and @here from @alice"
    )
    assert plain_text("see <https://evil.example|the docs> &lt;b&gt; &amp;") == (
        "see the docs (https://evil.example) <b> &"
    )
    assert plain_text("ping <!subteam^S123|@devs>") == "ping @devs"
    kinds = [t.kind for t in tokenize("<@U1> <#C1|general> <!subteam^S1> <!everyone> <mailto:a@b.c|a>")]
    assert kinds == ["user", "channel", "usergroup", "special", "link"]


def test_registry_subcommand_names_are_unique() -> None:
    for spec in REGISTRY.values():
        names = [n for s in spec.subcommands for n in (s.name, *s.aliases)]
        assert len(names) == len(set(names)), spec.command


@given(st.text(max_size=200))
def test_parser_never_crashes_on_any_text(text: str) -> None:
    for spec in (*REGISTRY.values(), RISKY):
        with contextlib.suppress(UsageError):
            parse_command(spec, text)
