"""Strings for time expressions and schedules."""

MESSAGES: dict[str, dict[str, str]] = {}
