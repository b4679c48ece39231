"""Making user text safe to show in Slack mrkdwn: nobody's input pings `@channel` or spoofs a link."""

from __future__ import annotations

from datetime import UTC, datetime


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup; entities like `<!channel>` become inert text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
