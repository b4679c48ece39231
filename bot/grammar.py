"""The one command grammar: Slack's escaped command text in, a typed ParsedCommand out, or a UsageError.

Slack sends command text with `&`, `<`, `>` HTML-escaped and with mentions as entities
(`<@U123|name>`, `<#C123|name>`, `<!subteam^S123|@name>`, `<!here>`, `<https://x|label>`).
Options are `key:value`; a value runs over several words until the next option, flag or mention
(`due:next friday`), or is quoted (`name:"ACME ERP rollout"`, `name:“…”`).

Titles are kept verbatim: only the subcommand's own option names (`due:`, `截止：`) and flags (`[client]`)
are read as such; any other `word:` (`https://…`, `ratio 3:1`, `note: see`), bracket, stray quote or `<`
stays in the text exactly as typed, with the spacing the user typed between words. Slack's escaping is undone
once here (`&lt;` → `<`); output escapes once (`bot.mrkdwn.escape`). A link Slack made with a label of its own
(`<https://x.example|the spec>`) is kept as Slack sent it, so it is shown as that link.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.errors import UsageError

OptionKind = Literal["text", "user", "users"]


@dataclass(frozen=True)
class Option:
    name: str
    aliases: tuple[str, ...] = ()
    kind: OptionKind = "text"

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Subcommand:
    name: str
    summary: str  # catalogue key
    example: str  # catalogue key: a working example of the whole command line
    options: tuple[Option, ...] = ()
    flags: tuple[str, ...] = ()  # written `[client]` / `[客户]`
    aliases: tuple[str, ...] = ()
    takes_text: bool = False
    multiline: bool = False
    # Titles keep @mentions as inert words ("Ask @bob about VPN"): nobody is pinged when the title is shown.
    # Otherwise mentions outside options are lifted into `users` (the people a command is about).
    mentions_as_text: bool = False


@dataclass(frozen=True)
class CommandSpec:
    command: str  # "/project"
    summary: str  # catalogue key
    example: str  # catalogue key
    subcommands: tuple[Subcommand, ...]
    default: str | None = None  # subcommand used when the text does not start with a subcommand name
    empty: str | None = None  # subcommand used when there is no text at all
    # Words that name a subcommand of some command (`edit`, `close`, `删除`): never free text for `default`,
    # so `/decision delete D-1` is not recorded as a decision. Set by the registry (see `reserved_words`).
    reserved: frozenset[str] = frozenset()

    def find(self, word: str) -> Subcommand | None:
        low = word.lower()
        for sub in self.subcommands:
            if low == sub.name or low in sub.aliases:
                return sub
        return None

    def sub(self, name: str) -> Subcommand:
        found = self.find(name)
        assert found is not None, name
        return found


FLAG_ALIASES = {"客户": "client", "内部": "internal"}

# Verbs people type for a subcommand that no command names so: refused as free text, pointed at the real one.
SYNONYMS = {"remove": "delete", "rm": "delete", "modify": "edit"}
NEAR_MISS = 0.8  # difflib ratio: `updte`→`update`, `delet`→`delete`, but not `lift`→`list`


def reserved_words(specs: Iterable[CommandSpec]) -> frozenset[str]:
    """Every subcommand name and alias, except a default subcommand's: those start ordinary free text
    (`/sync every tuesday`, `/decision add …`)."""
    return frozenset(
        word.lower()
        for spec in specs
        for sub in spec.subcommands
        if sub.name != spec.default
        for word in (sub.name, *sub.aliases)
    )


@dataclass(frozen=True)
class Value:
    """An option's value: readable text, and the users or groups mentioned in it."""

    text: str
    users: tuple[str, ...] = ()


@dataclass
class ParsedCommand:
    spec: CommandSpec
    sub: Subcommand
    text: str = ""
    options: dict[str, Value] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    users: list[str] = field(default_factory=list)
    usergroups: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)  # quoted phrases outside options (a title)
    unquoted: str = ""  # the free text without the quoted phrases (a time expression)
    raw: str = ""

    def opt(self, name: str) -> str | None:
        value = self.options.get(name)
        return value.text if value is not None else None


# ---- tokens ---------------------------------------------------------------------------------------

TokenKind = Literal["word", "quoted", "user", "channel", "usergroup", "special", "link", "key"]


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str  # readable text (what a title would keep); for "key", the whole word as typed
    ref: str = ""  # id for mentions, url for links, key name for "key"
    start: int = 0  # where the token is in the command text (titles keep the spacing between tokens)
    end: int = 0
    rest: str = ""  # for "key": what follows the colon in the same word (`due:friday` → `friday`)


QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_DELIMITING_QUOTES = ('"', "“")
_ENTITY = re.compile(r"<([^<>\s][^<>]*)>")
_KEY = re.compile(r"^([A-Za-z_\u4e00-\u9fff]+)[:：](.*)$", re.DOTALL)
_USERGROUP = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|(.*))?$")
_SCHEMES = ("https://", "http://", "mailto:")


def unescape(text: str) -> str:
    """Undo Slack's escaping of the three control characters in user text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link_text(url: str, label: str | None, body: str) -> str:
    """What a title keeps of a link: the URL or address as typed when Slack linked it by itself
    (`<https://x>`, `<http://x.example|x.example>`, `<mailto:a@b.c|a@b.c>`), or the link exactly as Slack sent
    it when it carries a label of its own (`<https://x.example/spec|the spec>`), so that it is shown as that link."""
    if label is None:
        return url
    shown = unescape(label)
    bare = next((url[len(s) :] for s in _SCHEMES if url.startswith(s)), url)
    if shown in (url, bare):
        return shown
    return f"<{body}>"


def _entity(body: str) -> Token:
    whole = body
    label: str | None
    if "|" in body:
        body, label = body.split("|", 1)
    else:
        label = None
    if body.startswith("@"):
        uid = body[1:]
        return Token("user", "@" + (label or uid), uid)
    if body.startswith("#"):
        cid = body[1:]
        return Token("channel", "#" + (label or cid), cid)
    group = _USERGROUP.match(body + (f"|{label}" if label is not None else ""))
    if group:
        name = group.group(2) or group.group(1)
        return Token("usergroup", name if name.startswith("@") else "@" + name, group.group(1))
    if body.startswith("!"):
        word = body[1:].split("^")[0]
        return Token("special", "@" + (label or word).lstrip("@"), word)
    url = unescape(body)
    return Token("link", _link_text(url, label, whole), url)


def _at(token: Token, start: int, end: int) -> Token:
    return replace(token, start=start, end=end)


# The rest of a word: up to a space, an entity's "<" or an opening quote (one regex scan, not a Python loop
# per character; `\s` is str.isspace's set).
_WORD_REST = re.compile("[^\\s<" + re.escape("".join(QUOTES)) + "]*")


def tokenize(text: str) -> list[Token]:
    """Split escaped command text into tokens, each knowing where it stood in the text. A word shaped
    `key:value` becomes a "key" token; the parser decides whether it is an option of the command."""
    tokens: list[Token] = []
    pos, size = 0, len(text)
    while pos < size:
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == "<":
            m = _ENTITY.match(text, pos)
            if m:
                tokens.append(_at(_entity(m.group(1)), pos, m.end()))
                pos = m.end()
                continue
        if ch in QUOTES:
            close = text.find(QUOTES[ch], pos + 1)
            if close != -1:
                tokens.append(Token("quoted", plain_text(text[pos + 1 : close]), "", pos, close + 1))
                pos = close + 1
                continue
            # A quote that never closes (`5" screen`, `it“s`) is an ordinary character.
        found = _WORD_REST.match(text, pos + 1 if ch in QUOTES or ch == "<" else pos)
        end = found.end() if found else pos  # (always found: the pattern matches the empty string)
        word = text[pos:end]
        m = _KEY.match(word)
        if m and not m.group(1).isdigit():
            tokens.append(Token("key", unescape(word), m.group(1).lower(), pos, end, unescape(m.group(2))))
        else:
            tokens.append(Token("word", unescape(word), "", pos, end))
        pos = end
    return tokens


def plain_text(text: str) -> str:
    """Readable text with every Slack entity turned into inert words (titles, notes); labelled links kept."""
    out: list[str] = []
    last = 0
    for m in _ENTITY.finditer(text):
        out.append(unescape(text[last : m.start()]))
        out.append(_entity(m.group(1)).text)
        last = m.end()
    out.append(unescape(text[last:]))
    return "".join(out).strip()


# ---- parsing --------------------------------------------------------------------------------------


def _flag(token: Token) -> str | None:
    if token.kind != "word":
        return None
    word = token.text
    if len(word) > 2 and word[0] in "[［【" and word[-1] in "]］】":
        inner = word[1:-1].strip().lower()
        return FLAG_ALIASES.get(inner, inner)
    return None


def _option_lookup(options: tuple[Option, ...]) -> dict[str, Option]:
    return {key: opt for opt in options for key in opt.names()}


def parse_command(spec: CommandSpec, text: str) -> ParsedCommand:
    """Parse the text of one invocation of `spec.command`."""
    raw = text.strip()
    first_line, _, _rest = raw.partition("\n")
    head = first_line.split(maxsplit=1)
    sub: Subcommand | None = None
    remainder = raw
    if head:
        sub = spec.find(head[0])
        if sub is not None:
            remainder = raw[len(head[0]) :].strip()
    if sub is None:
        word = head[0] if head else ""
        if not raw and spec.empty is not None:
            sub = spec.sub(spec.empty)
        elif (misplaced := _misplaced(spec, word, raw[len(word) :])) is not None:
            raise misplaced
        elif spec.default is not None:
            sub = spec.sub(spec.default)
        else:
            raise UsageError("grammar.unknown_sub", spec.example, command=spec.command, word=word)
    parsed = ParsedCommand(spec=spec, sub=sub, raw=remainder)
    if sub.multiline:
        return parsed  # the feature parses its lines itself, with parse_line
    parse_into(parsed, remainder)
    return parsed


_REF_LIKE = re.compile(r"^#?[A-Za-z]{1,2}[-\s]?\d{1,9}\b")


def _misplaced(spec: CommandSpec, word: str, rest: str = "") -> UsageError | None:
    """A first word that looks meant as a subcommand this command lacks: a typo of one of its own
    (`/risk updte`), or a word that is a subcommand elsewhere (`/decision show D-1`), is never free text.

    Where the command takes free text, only a command-shaped line is refused (the word alone, or followed by
    a reference such as `D-2`): `/decision Close the Beijing office` is a decision, `/decision close D-2` is not.
    """
    low = word.lower()
    if not low:
        return None
    if spec.default is not None and rest.strip() and not _REF_LIKE.match(rest.strip()):
        return None
    own = {w.lower(): s for s in spec.subcommands if s.name != spec.default for w in (s.name, *s.aliases)}
    suggestion: str | None = None
    synonym = SYNONYMS.get(low)
    if synonym is not None and synonym in own:
        suggestion = synonym
    else:
        close = difflib.get_close_matches(low, list(own), n=1, cutoff=NEAR_MISS) or _swapped(low, own)
        # With free text, `lists` or `news` extend a subcommand's name: ordinary words, not typos.
        if close and not (spec.default is not None and low.startswith(close[0])):
            suggestion = close[0]
    shown = word[:40]
    default = spec.sub(spec.default) if spec.default is not None else None
    if suggestion is not None:
        if default is None:
            return UsageError(
                "grammar.did_you_mean",
                own[suggestion].example,
                command=spec.command,
                word=shown,
                suggestion=suggestion,
            )
        return UsageError(
            "grammar.did_you_mean_or_text",
            own[suggestion].example,
            command=spec.command,
            word=shown,
            suggestion=suggestion,
            default=default.name,
        )
    if default is not None and (low in spec.reserved or low in SYNONYMS):
        return UsageError(
            "grammar.not_a_sub_here",
            default.example,
            command=spec.command,
            word=shown,
            subs=" / ".join(f"`{s.name}`" for s in spec.subcommands),
            default=default.name,
        )
    return None


def _swapped(word: str, names: Iterable[str]) -> list[str]:
    """Letters typed in the wrong order (`edti`, `lsit`): difflib rates these below a real near-miss."""
    same = (n for n in names if len(n) >= 3 and n != word and n[0] == word[0] and sorted(n) == sorted(word))
    return [found] if (found := next(same, None)) else []


def parse_line(spec: CommandSpec, sub: Subcommand, text: str) -> ParsedCommand:
    """Parse one line with a subcommand's options (used for multi-line forms such as quick minutes)."""
    parsed = ParsedCommand(spec=spec, sub=sub, raw=text)
    parse_into(parsed, text)
    return parsed


def parse_into(parsed: ParsedCommand, text: str) -> None:
    spec, sub = parsed.spec, parsed.sub
    known = _option_lookup(sub.options)
    # A subcommand with options or flags of its own takes a title: any other `word:` is part of it. One without
    # (`/risk show R-1`) takes only a reference or a filter, so another subcommand's option there is a mistake
    # worth naming (`p:` does not apply to `show`).
    elsewhere = (
        {}
        if sub.options or sub.flags
        else _option_lookup(tuple(o for s in spec.subcommands for o in s.options))
    )
    flags_anywhere = set(FLAG_ALIASES.values()) | {f for s in spec.subcommands for f in s.flags}
    title: list[Token | None] = []  # the tokens a title keeps, None where something else stood between them
    bare: list[str] = []
    tokens = iter(tokenize(text))
    pending: Token | None = None

    def next_token() -> Token | None:
        nonlocal pending
        if pending is not None:
            tok, pending = pending, None
            return tok
        return next(tokens, None)

    def cut() -> None:
        if title and title[-1] is not None:
            title.append(None)

    while (tok := next_token()) is not None:
        flag = _flag(tok)
        if flag is not None and flag in flags_anywhere:
            if flag not in sub.flags:
                raise UsageError("grammar.unknown_flag", sub.example, flag=tok.text)
            parsed.flags.add(flag)
            cut()
            continue
        if tok.kind == "key" and (opt := known.get(tok.ref)) is not None:
            if opt.name in parsed.options:
                raise UsageError("grammar.option_twice", sub.example, option=tok.ref)
            first = Token("word", tok.rest, "", tok.end - len(tok.rest), tok.end) if tok.rest else None
            value, pending = _read_value(opt, tokens, known, first)
            if not value.text:
                raise UsageError("grammar.option_empty", sub.example, option=tok.ref)
            parsed.options[opt.name] = value
            cut()
            continue
        if tok.kind in ("user", "usergroup") and sub.mentions_as_text:
            title.append(tok)
            bare.append(tok.text)
        elif tok.kind == "user":
            parsed.users.append(tok.ref)
            cut()
        elif tok.kind == "usergroup":
            parsed.usergroups.append(tok.ref)
            cut()
        elif tok.kind == "channel":
            parsed.channels.append(tok.ref)
            title.append(tok)
            bare.append(tok.text)
        elif tok.kind == "quoted":
            parsed.quoted.append(tok.text)
            title.append(tok)
        elif tok.kind == "key":  # not an option of this subcommand (`Re: budget`, `https://…`): text as typed
            if tok.ref in elsewhere and tok.rest:
                raise UsageError("grammar.option_not_here", sub.example, option=tok.ref)
            title.append(tok)
        else:
            title.append(tok)
            bare.append(tok.text)
    parsed.text = _title(title, text)
    parsed.unquoted = " ".join(bare).strip()
    if parsed.text and not sub.takes_text:
        raise UsageError("grammar.unexpected_text", sub.example, text=parsed.text[:80])


def _title(kept: list[Token | None], text: str) -> str:
    """The title's tokens with the spacing typed between neighbours, one space where an option or mention was
    taken out. A title that is one quoted phrase and nothing else loses its quotes (`add "Weekly sync" …`), but
    not Chinese corner brackets, which are a title's own punctuation (`『需求规格说明书』`)."""
    while kept and kept[-1] is None:
        kept.pop()
    only = kept[0] if len(kept) == 1 else None
    if only is not None and only.kind == "quoted" and text[only.start] in _DELIMITING_QUOTES:
        return only.text
    out: list[str] = []
    prev: Token | None = None
    for tok in kept:
        if tok is None:
            prev = None
            if out:
                out.append(" ")
            continue
        if prev is not None:
            out.append(text[prev.end : tok.start])
        out.append(_as_typed(tok, text))
        prev = tok
    return "".join(out).strip()


def _as_typed(tok: Token, text: str) -> str:
    if tok.kind == "quoted":
        return plain_text_keeping_space(text[tok.start : tok.end])
    return tok.text


def plain_text_keeping_space(text: str) -> str:
    """`plain_text` without trimming: a quoted phrase inside a title keeps its quotes and inner spacing."""
    out: list[str] = []
    last = 0
    for m in _ENTITY.finditer(text):
        out.append(unescape(text[last : m.start()]))
        out.append(_entity(m.group(1)).text)
        last = m.end()
    out.append(unescape(text[last:]))
    return "".join(out)


def _read_value(
    opt: Option, tokens: Iterator[Token], known: dict[str, Option], first: Token | None = None
) -> tuple[Value, Token | None]:
    """Collect an option's value; returns the first token that belongs to what comes next."""
    parts: list[str] = []
    users: list[str] = []
    following = (first,) if first is not None else ()
    for tok in itertools.chain(following, tokens):
        if tok.kind == "key" and tok.ref in known:
            return _value(parts, users), tok
        if _flag(tok) is not None:
            return _value(parts, users), tok
        if opt.kind == "users":  # `approvers:@carol,@dan` / `@carol @dan` / `@carol、@dan`
            if tok.kind == "user":
                users.append(tok.ref)
                parts.append(tok.text)
                continue
            if tok.kind == "word" and tok.text.strip(",，、;；") == "" and users:
                continue
            return _value(parts, users), tok
        if tok.kind in ("user", "usergroup"):
            if opt.kind == "user" and not parts:
                users.append(tok.ref)
                parts.append(tok.text)
                continue
            return _value(parts, users), tok
        if opt.kind == "user" and users:
            return _value(parts, users), tok  # `owner:@bob Title words` — the words are not the owner's
        if tok.kind == "quoted":
            if parts:
                return _value(parts, users), tok  # `remind:15m "Weekly sync"`: the quote is the title
            return Value(tok.text, ()), None  # `name:"ACME ERP"`: a quoted value is complete
        parts.append(tok.text)
    return _value(parts, users), None


def _value(parts: list[str], users: list[str]) -> Value:
    return Value(" ".join(parts).strip(), tuple(users))
