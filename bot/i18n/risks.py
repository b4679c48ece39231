"""Strings for risks (owned by that feature)."""

MESSAGES: dict[str, dict[str, str]] = {}
