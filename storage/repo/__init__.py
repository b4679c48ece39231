"""Repositories: keyword-only async functions taking a session. They know nothing of Slack."""
