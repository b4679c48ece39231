"""The one private_metadata codec: what a modal remembers between opening and submission.

Compact JSON of a few named values; Slack keeps at most 3,000 characters, so anything longer is refused
when the form is built rather than by Slack when it is opened. Reading is tolerant: a missing or
malformed value (a form opened by an older version, a hand-made payload) reads as nothing.
"""

from __future__ import annotations

import json
from typing import Any

LIMIT = 3000  # Slack's cap on a view's private_metadata, in characters


class MetadataTooLong(ValueError):
    """A form would carry more than Slack keeps; a bug in the caller, never a user mistake."""


def encode(**values: Any) -> str:
    text = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    if len(text) > LIMIT:
        raise MetadataTooLong(
            f"private_metadata is {len(text)} characters (Slack keeps {LIMIT}): {', '.join(sorted(values))}"
        )
    return text


def decode(view: dict[str, Any] | None) -> dict[str, Any]:
    raw = (view or {}).get("private_metadata")
    if not raw or not isinstance(raw, str):
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
