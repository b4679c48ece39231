"""Making user text safe to show in Slack mrkdwn: nobody's input pings `@channel` or spoofs a link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# A web or mail link as Slack writes it (`<https://x.example/spec|the spec>`): a title keeps the links Slack made
# with a label (bot.grammar), and shows them as links. Nothing else in `<…>` survives: no ping, no mention.
_LINK = re.compile(r"<(?:https?://|mailto:)[^<>|\s]+(?:\|[^<>]*)?>")


def escape_all(text: str) -> str:
    """Escape the three characters Slack treats as markup, links included."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def readable(text: str) -> str:
    """Plain text (headers, modal titles) shows a kept link as `label (url)`: plain text has no links."""

    def spell(m: re.Match[str]) -> str:
        url, _, label = (_unescape(part) for part in m.group(0)[1:-1].partition("|"))
        return f"{label} ({url})" if label else url

    return _LINK.sub(spell, text)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup; entities like `<!channel>` become inert text.
    A web or mail link in Slack's own form is kept as a link (its label is already Slack-escaped)."""
    out: list[str] = []
    last = 0
    for m in _LINK.finditer(text):
        out.append(escape_all(text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(escape_all(text[last:]))
    return "".join(out)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(ellipsis))] + ellipsis


def mention(user_id: str) -> str:
    """A real mention, for the places where a ping is meant (owners, attendees)."""
    safe = "".join(ch for ch in user_id if ch.isalnum())
    return f"<@{safe}>"


def channel(channel_id: str) -> str:
    safe = "".join(ch for ch in channel_id if ch.isalnum())
    return f"<#{safe}>"


ZWSP = "\u200b"


def bold(text: str) -> str:
    """`*text*` that Slack renders bold in any language: Slack reads `*` as a marker only at a word boundary (a
    space or ASCII punctuation), which a Chinese character or full-width punctuation (`，`, `：`) is not, so the
    markers are fenced by zero-width spaces; every template that bolds a name or figure takes it from here."""
    return f"{ZWSP}*{text}*{ZWSP}"


def date_time(at: datetime, *, with_date: bool = True) -> str:
    """An instant each reader sees in their own zone (a Slack date token); the fallback is UTC, which is true
    for everyone, for the rare client that can't render tokens."""
    fmt = "{date_short_pretty} {time}" if with_date else "{time}"
    fallback = f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return f"<!date^{int(at.timestamp())}^{fmt}|{fallback}>"
