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

    def with_example(self, example: str | None) -> UsageError:
        """The same mistake, pointing at the command the user is actually typing."""
        return UsageError(self.key, example, **self.params)


# The one example a refusal may carry: it runs anywhere, for anyone, and shows what they can do there.
REFUSAL_EXAMPLE = "cmd.liaison.help.example"


class Refusal(UsageError):
    """The policy said no. Its answer never suggests the command that was just refused: its example is one
    the user can run where they are (`/liaison help` unless said), and re-raising never replaces it."""

    def __init__(self, key: str = "policy.denied", example: str = REFUSAL_EXAMPLE, **params: object) -> None:
        super().__init__(key, example, **params)

    def with_example(self, example: str | None) -> UsageError:
        return self
