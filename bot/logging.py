"""Keep Slack tokens out of logs, whatever a library decides to print."""

from __future__ import annotations

import logging
import re

TOKEN_RE = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")


def redact(text: str) -> str:
    return TOKEN_RE.sub(lambda m: f"{m.group(1)}-***", text)


class TokenRedactingFilter(logging.Filter):
    """slack_sdk logs request headers and URLs at DEBUG; this rewrites any token in the final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
