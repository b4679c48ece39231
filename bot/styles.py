"""One look per risk level and per status: the emoji in messages and the colour in charts come from here,
so the same at-risk milestone has the same colour in a list, a digest, an agenda, App Home and a chart.

Traffic-light order (red-amber-green, as project status reports use): on track is green, at risk amber
(Slack's yellow circle), late red; risk levels go green, yellow, orange, red with their score.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.risks import Level


@dataclass(frozen=True)
class Style:
    emoji: str  # Slack's emoji code, shown before the words (never instead of them)
    chart: str  # the matching colour for matplotlib, strong enough to read on white


LEVEL_STYLE: dict[Level, Style] = {
    Level.LOW: Style(":large_green_circle:", "#cfe8cf"),
    Level.MEDIUM: Style(":large_yellow_circle:", "#fbe7a1"),
    Level.HIGH: Style(":large_orange_circle:", "#f7c08a"),
    Level.CRITICAL: Style(":red_circle:", "#ef8f8f"),
}

# Milestone statuses ("done" too) and a project's overall status share their words and so their look.
STATUS_STYLE: dict[str, Style] = {
    "on_track": Style(":large_green_circle:", "#2e7d32"),
    "at_risk": Style(":large_yellow_circle:", "#f9a825"),
    "late": Style(":red_circle:", "#c62828"),
    "done": Style(":white_check_mark:", "#546e7a"),
}

# The client's acceptance, apart from the team's "done" and from every status.
ACCEPTED_STYLE = Style(":handshake:", "#6a1b9a")


def level_emoji(level: str) -> str:
    return LEVEL_STYLE[Level(level)].emoji


def status_emoji(status: str) -> str:
    return STATUS_STYLE[str(status)].emoji
