"""Small Block Kit pieces and the Reply every command returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import escape, readable, truncate

Block = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
HINT_LIMIT = 2000  # an input block's hint
MAX_BLOCKS = 50


@dataclass
class Reply:
    """What a command answers: fallback text, blocks, and whether the channel sees it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    response_type: Literal["ephemeral", "in_channel"] = "ephemeral"

    def as_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"text": truncate(self.text, 3000), "response_type": self.response_type}
        if self.blocks:
            kwargs["blocks"] = self.blocks[:MAX_BLOCKS]
        return kwargs


def section(markdown: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(markdown, SECTION_LIMIT)}}


def fields(pairs: list[tuple[str, str]]) -> Block:
    """A section of up to ten label/value fields (values already escaped)."""
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": truncate(f"*{label}*\n{value}", 2000)} for label, value in pairs[:10]
        ],
    }


def header(plain: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(readable(plain), HEADER_LIMIT), "emoji": True},
    }


def context(markdown: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(markdown, 2000)}]}


def divider() -> Block:
    return {"type": "divider"}


def code(text: str) -> str:
    """Command text as code: inline for one line, a block for several (inline code can't span lines)."""
    text = text.strip("\n")
    return f"```\n{text}\n```" if "\n" in text else f"`{text}`"


def form(view: dict[str, Any], lang: str) -> dict[str, Any]:
    """A modal ready to open. Slack marks an optional input "(optional)" itself, in the reader's Slack language,
    which may be English in a Chinese project: a non-English form says so in its own words, as the input's hint."""
    if lang == "en":
        return view
    for block in view.get("blocks", []):
        if block.get("type") == "input" and block.get("optional"):
            hint = block.get("hint")
            text = (
                t("form.optional", lang)
                if hint is None
                else t("form.optional_with_hint", lang, hint=hint["text"])
            )
            block["hint"] = {"type": "plain_text", "text": truncate(text, HINT_LIMIT)}
    return view


def build_usage_error(err: UsageError, lang: str) -> Reply:
    """The answer to every user mistake: what was wrong, a working example, and that nothing changed."""
    params = {k: escape(str(v)) for k, v in err.params.items()}
    message = t(err.key, lang, **params)
    blocks = [section(f":warning: {message}")]
    lines = [message]
    if err.example:
        example = t("error.example", lang, example=code(t(err.example, lang)))
        blocks.append(context(example))
        lines.append(example)
    return Reply(text=" ".join(lines), blocks=blocks)


def build_generic_error(lang: str) -> Reply:
    message = t("error.generic", lang)
    return Reply(text=message, blocks=[section(f":warning: {message}")])
