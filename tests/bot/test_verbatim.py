"""Titles are kept verbatim by the grammar (issue 15): what a user typed is the title, whatever it looks like.

Slack sends slash-command text with `&`, `<`, `>` escaped (`should_escape: true`, see ../shared/SLACK_FACTS.md,
"Slash commands"), mentions as `<@U…|name>` and links it made as `<https://…>` / `<https://…|label>`. The
property: for any title and any of the subcommand's known options, parsing what Slack sends for
`add <title> <options>` gives back exactly that title and those options.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands import ACTION, RISK
from bot.errors import UsageError
from bot.grammar import FLAG_ALIASES, ParsedCommand, parse_command, tokenize
from bot.mrkdwn import escape, readable

ADD = ACTION.sub("add")
KNOWN_KEYS = {k.lower() for o in ADD.options for k in o.names()}
KNOWN_FLAGS = {*FLAG_ALIASES, *FLAG_ALIASES.values()}


def slack_escaped(typed: str) -> str:
    """What Slack sends for text a user typed (`should_escape: true`)."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def action(typed: str) -> ParsedCommand:
    return parse_command(ACTION, slack_escaped(typed))


# ---- examples from the issue ------------------------------------------------------------------------


def test_a_url_owner_and_due_date() -> None:
    parsed = parse_command(ACTION, "add Review https://acme.example/spec <@U0DANA|dana> due:friday")
    assert (parsed.text, parsed.users, parsed.opt("due")) == (
        "Review https://acme.example/spec",
        ["U0DANA"],
        "friday",
    )
    # The same as Slack links it.
    parsed = parse_command(ACTION, "add Review <https://acme.example/spec> <@U0DANA> due:friday")
    assert (parsed.text, parsed.users, parsed.opt("due")) == (
        "Review https://acme.example/spec",
        ["U0DANA"],
        "friday",
    )


@pytest.mark.parametrize(
    "title",
    [
        "ABC<div",
        "a < b > c & d",
        "ratio 3:1",
        "note: see the spec",
        "http: is not a link",
        "Re: budget at 10:00",
        "https://acme.example/a?b=1&c=2#top",
        "[WIP] login page",
        'The 5" screen',
        "it“s quoted badly",
        'Say "hello" to ACME',
        "备注：见附件 https://acme.example/规格",
        "发布 🎉 v2.0: 客户确认",
        "a  b\tc",  # the spacing typed between words is kept
        "&lt; is how HTML writes <",
        "<@U0BOB> typed by hand is not a mention",
        "title:not an option of add",
    ],
)
def test_titles_are_kept_as_typed(title: str) -> None:
    parsed = action(f"add {title} due:friday [client]")
    assert (parsed.text, parsed.opt("due"), parsed.flags) == (title, "friday", {"client"})


def test_chinese_options_and_full_width_colon_are_still_options() -> None:
    parsed = action("添加 比例 3:1 的方案 负责人：张三 截止：下周五 【客户】")
    assert (parsed.text, parsed.opt("owner"), parsed.opt("due"), parsed.flags) == (
        "比例 3:1 的方案",
        "张三",
        "下周五",
        {"client"},
    )


def test_slacks_labelled_links_stay_links_and_are_shown_as_links() -> None:
    parsed = parse_command(
        ACTION, "add Read <https://acme.example/spec?a=1&amp;b=2|the spec &amp; notes> now"
    )
    assert parsed.text == "Read <https://acme.example/spec?a=1&amp;b=2|the spec &amp; notes> now"
    assert escape(parsed.text) == parsed.text  # already Slack's own markup: shown as that link
    # Links Slack made by itself keep what the user typed.
    parsed = parse_command(
        ACTION, "add Mail <mailto:a@acme.example|a@acme.example> and <http://acme.example|acme.example>"
    )
    assert parsed.text == "Mail a@acme.example and acme.example"


def test_plain_text_places_spell_a_kept_link_out() -> None:
    """Headers are plain text (no links): a kept link reads `label (url)` there, unescaped once."""
    text = "Read <https://acme.example/spec?a=1&amp;b=2|the spec &amp; notes> and <mailto:a@acme.example>"
    assert (
        readable(text)
        == "Read the spec & notes (https://acme.example/spec?a=1&b=2) and mailto:a@acme.example"
    )
    assert readable("ABC<div & co") == "ABC<div & co"  # nothing else changes


def test_mentions_are_still_owners_where_the_grammar_expects_them() -> None:
    parsed = parse_command(ACTION, "add Send the plan owner:<@U0DANA|dana> due:next friday")
    assert (parsed.text, parsed.options["owner"].users, parsed.opt("due")) == (
        "Send the plan",
        ("U0DANA",),
        "next friday",
    )
    # Where a title keeps mentions as inert words (risks), the mention is the word typed, never a ping.
    parsed = parse_command(RISK, "add Vendor late <@U0DANA|dana> p:2 i:3")
    assert (parsed.text, parsed.users) == ("Vendor late @dana", [])


def test_escaping_for_mrkdwn_is_done_once_on_the_way_out() -> None:
    parsed = action("add ABC<div & <!channel> <@U0BOB>")
    assert parsed.text == "ABC<div & <!channel> <@U0BOB>"
    assert escape(parsed.text) == "ABC&lt;div &amp; &lt;!channel&gt; &lt;@U0BOB&gt;"


def test_a_known_option_twice_or_empty_is_still_refused() -> None:
    for typed, key in (("add x due:a due:b", "grammar.option_twice"), ("add x due:", "grammar.option_empty")):
        with pytest.raises(UsageError) as err:
            action(typed)
        assert err.value.key == key


# ---- the property ------------------------------------------------------------------------------------

TITLE_CHARS = st.sampled_from(
    [
        *"abcXYZ019 :：/.?&=#%@!<>\"'“”「」[]【】()-_,;|*~`",
        "中",
        "文",
        "确",
        "认",
        "🎉",
        "👍",
        "\U0001f3fd",
        "é",
        "\u200b",
        "\u00a0",
    ]
)


def _is_plain_title(title: str) -> bool:
    """A title a user can type after `add` without meaning an option, a flag or one quoted phrase."""
    if title != title.strip() or not title:
        return False
    for tok in tokenize(slack_escaped(title)):
        if tok.kind == "key" and tok.ref in KNOWN_KEYS:
            return False
        bracketed = len(tok.text) > 2 and tok.text[0] in "[［【" and tok.text[-1] in "]］】"
        if tok.kind == "word" and bracketed and tok.text[1:-1].strip().lower() in KNOWN_FLAGS:
            return False
    tokens = tokenize(slack_escaped(title))
    return not (
        len(tokens) == 1 and tokens[0].kind == "quoted" and title[0] in '"“'
    )  # `add "Weekly sync"`: the quotes delimit


titles = st.text(TITLE_CHARS, min_size=1, max_size=60).filter(_is_plain_title)
dues = st.sampled_from([None, "friday", "next friday", "2026-12-15", "下周五", "in 3 days"])
owners = st.sampled_from(
    [None, "<@U0DANA|dana>", "<@U0BOB>", "owner:<@U0CAROL|carol>", "负责人：张三", "owner:Zhang San"]
)
flags = st.sampled_from([(), ("[client]",), ("[internal]",), ("【客户】",)])


OWNERS = {
    None: ((), None),
    "<@U0DANA|dana>": (("U0DANA",), None),
    "<@U0BOB>": (("U0BOB",), None),
    "owner:<@U0CAROL|carol>": ((), ("U0CAROL",)),
    "负责人：张三": ((), "张三"),
    "owner:Zhang San": ((), "Zhang San"),
}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(title=titles, due=dues, owner=st.sampled_from(list(OWNERS)), flag=flags, due_last=st.booleans())
@example(
    title="Review https://acme.example/spec", due="friday", owner="<@U0DANA|dana>", flag=(), due_last=True
)
@example(title="ratio 3:1 note: see http:", due=None, owner=None, flag=(), due_last=False)
@example(title="ABC<div &amp; <b>", due="下周五", owner="负责人：张三", flag=("【客户】",), due_last=False)
def test_parse_of_what_slack_sends_round_trips(
    title: str, due: str | None, owner: str | None, flag: tuple[str, ...], due_last: bool
) -> None:
    # Options follow the title (an option's value runs over the words after it, as `due:next friday`).
    opts = [f"due:{due}" if due else "", owner or "", *flag]
    if due_last:
        opts = [*opts[1:], opts[0]]
    # What Slack sends: the typed title escaped; mentions arrive as entities.
    parsed = parse_command(ACTION, f"add {slack_escaped(title)} {' '.join(o for o in opts if o)}")
    assert parsed.text == title
    assert parsed.opt("due") == due
    bare_users, owner_value = OWNERS[owner]
    assert tuple(parsed.users) == bare_users
    if owner_value is None:
        assert "owner" not in parsed.options
    elif isinstance(owner_value, tuple):
        assert parsed.options["owner"].users == owner_value
    else:
        assert parsed.opt("owner") == owner_value
    assert parsed.flags == {"client" if f in ("[client]", "【客户】") else "internal" for f in flag}
