"""Making user text safe to show in Slack mrkdwn: nobody's input pings `@channel` or spoofs a link."""

from __future__ import annotations


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
