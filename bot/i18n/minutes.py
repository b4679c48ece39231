"""Strings for minutes (owned by that feature)."""

MESSAGES: dict[str, dict[str, str]] = {}
