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
        ("x due:a due:b", "grammar.option_twice"),
        ("x due:", "grammar.option_empty"),
        ("x [internal]", "grammar.unknown_flag"),  # a flag, but not one this subcommand takes
        ("show x p:3", "grammar.option_not_here"),  # `show` takes a reference, not a title: `p:` is a mistake
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
        "see <https://evil.example|the docs> <b> &"  # a labelled link is kept as Slack sent it
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


# ---- a free-text default never swallows a subcommand word (issues 11, 18) ------------------------------


def _refusal(command: str, text: str) -> UsageError:
    with pytest.raises(UsageError) as err:
        parse_command(REGISTRY[command], text)
    return err.value


@pytest.mark.parametrize(
    ("command", "text", "suggestion", "example"),
    [
        ("/risk", "updte R-1 p:2", "update", "cmd.risk.update.example"),
        ("/risk", "SHWO R-1", "show", "cmd.risk.show.example"),
        ("/milestone", "slpi MS-2 to:friday", "slip", "cmd.milestone.slip.example"),
        ("/decision", "delet D-1", "delete", "cmd.decision.delete.example"),
        ("/decision", "edti D-1 Go live", "edit", "cmd.decision.edit.example"),
        ("/decision", "remove D-1", "delete", "cmd.decision.delete.example"),
        ("/decision", "lsit", "list", "cmd.decision.list.example"),
        ("/minutes", "delte M-1", "delete", "cmd.minutes.delete.example"),
        ("/sync", "pasue S-2", "pause", "cmd.sync.pause.example"),
    ],
)
def test_a_near_miss_asks_did_you_mean_with_that_subcommands_example(
    command: str, text: str, suggestion: str, example: str
) -> None:
    err = _refusal(command, text)
    assert err.key in {"grammar.did_you_mean", "grammar.did_you_mean_or_text"}
    assert err.params["suggestion"] == suggestion
    assert err.example == example


def test_every_subcommand_word_elsewhere_is_refused_by_every_free_text_default() -> None:
    for spec in REGISTRY.values():
        if spec.default is None:
            continue
        own = {w.lower() for s in spec.subcommands for w in (s.name, *s.aliases)}
        for word in sorted(spec.reserved - own):
            err = _refusal(spec.command, f"{word} X-1 something")
            assert err.key.startswith("grammar."), (spec.command, word)
            assert err.example is not None and err.params["word"] == word, (spec.command, word)


@pytest.mark.parametrize(
    ("command", "text", "key", "example"),
    [
        ("/decision", "show D-1", "grammar.not_a_sub_here", "cmd.decision.add.example"),
        ("/decision", "close", "grammar.not_a_sub_here", "cmd.decision.add.example"),
        ("/decision", "done D-1", "grammar.not_a_sub_here", "cmd.decision.add.example"),
        ("/decision", "查看 D-1", "grammar.not_a_sub_here", "cmd.decision.add.example"),
        ("/sync", "delete S-2", "grammar.not_a_sub_here", "cmd.sync.add.example"),
        ("/digest", "update S-3", "grammar.not_a_sub_here", "cmd.digest.every.example"),
        ("/checkin", "edit S-1", "grammar.not_a_sub_here", "cmd.checkin.add.example"),
        ("/minutes", "close M-1", "grammar.not_a_sub_here", "cmd.minutes.quick.example"),
    ],
)
def test_a_word_that_is_a_subcommand_elsewhere_is_not_free_text(
    command: str, text: str, key: str, example: str
) -> None:
    err = _refusal(command, text)
    assert (err.key, err.example) == (key, example)
    spec = REGISTRY[command]
    assert err.params["default"] == spec.default
    assert all(f"`{s.name}`" in str(err.params["subs"]) for s in spec.subcommands)


@pytest.mark.parametrize(
    ("command", "text", "sub"),
    [
        ("/decision", "Go live on 1 March [client]", "add"),
        ("/decision", "Lists of vendors are frozen", "add"),  # extends `list`: an ordinary word
        ("/decision", "Lift the code freeze", "add"),  # one letter from `list`, but not a typo of it
        ("/decision", "add Close the Beijing office", "add"),  # the way to start with a subcommand word
        ("/decision", "Close the Beijing office", "add"),  # a sentence, not a command: no reference follows
        ("/decision", "Accept the vendor's quote", "add"),
        ("/minutes", "Update call with ACME [client]\ndecision: Go live", "quick"),
        ("/decision", "EDIT D-1 New text", "edit"),
        ("/decision", "删除 D-1", "delete"),
        ("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m [client]', "add"),
        ("/sync", "daily 18:00", "add"),
        ("/checkin", "every friday 4pm <@U1|alice>", "add"),
        ("/digest", "每周一上午9点 客户", "every"),
        ("/digest", "every monday 9am", "every"),
        ("/minutes", "Weekly sync with ACME [client]\ndecision: Go live", "quick"),
        ("/minutes", "News from ACME", "quick"),
    ],
)
def test_free_text_defaults_keep_working(command: str, text: str, sub: str) -> None:
    assert parse_command(REGISTRY[command], text).sub.name == sub


def test_unknown_words_without_a_near_miss_keep_the_commands_example() -> None:
    err = _refusal("/risk", "explode R-1")
    assert (err.key, err.example) == ("grammar.unknown_sub", "cmd.risk.add.example")


def test_reserved_words_leave_out_default_subcommands_and_include_aliases() -> None:
    words = REGISTRY["/decision"].reserved
    assert {"edit", "delete", "show", "update", "close", "done", "查看", "删除"} <= words
    assert "every" not in words  # /digest's default: `/sync every tuesday` is free text
    assert all(spec.reserved == words for spec in REGISTRY.values())
