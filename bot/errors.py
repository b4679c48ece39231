"""The one user-error type: every mistake a user can make becomes this, and handlers turn it into a reply."""

from __future__ import annotations


class UsageError(Exception):
    """A user's input could not be used; nothing was written.

    `key` and `example` are message-catalogue keys, so the reply is rendered in the user's language.
    """

    def __init__(self, key: str, example: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.example = example
        self.params = params
