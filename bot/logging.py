"""Logging: tokens and response URLs kept out, Slack bodies dropped, context fields on every line, text or JSON.

- `TokenRedactingFilter` rewrites any token (`xoxb-…`, `xapp-…`) and any `response_url` (a bearer-like URL for
  30 minutes) in the final message, and drops the request and response bodies that slack_sdk and slack_bolt
  print at DEBUG: those bodies carry what users typed and what Liaison posts (the text of client records).
- `log_context(...)` / `bind(...)` set context fields (`request_id`, `project`, `command`, `record`,
  `occurrence`) in a contextvar; `ContextFilter` copies them onto every record logged in that context, so a
  listener's lines carry the request that started it (asyncio tasks inherit the context they were made in).
- `LOG_FORMAT=json` prints one JSON object per line with python-json-logger (well kept; it handles
  `exc_info`, `extra=` fields and non-JSON values, which a hand-rolled formatter would have to repeat); the
  default text format appends the context fields as `key=value`. Both formatters redact their final output
  again, so a token inside a traceback does not get through either; nor do a database error's values
  (the engine hides statement parameters, storage/db.py; PostgreSQL's `DETAIL: Failing row contains …` is cut).
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import IO, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["text", "json"]

TOKEN_RE = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")
# Slack's response URLs, as typed, JSON-escaped (`\/`) or form-encoded (`%2F`).
_SEP = r"(?:/|\\/|%2F)"
HOOKS_RE = re.compile(rf"(https?(?::|%3A){_SEP}{_SEP}hooks\.slack\.com){_SEP}[^\s'\"&|<>,)}}\]]+", re.I)
# Whatever a `response_url` key holds, in a dict repr, JSON or a form body (tests' fakes use other hosts).
FIELD_RE = re.compile(r"(response_url[\"']?\s*(?::|=|%3D)\s*[\"']?)[^\s'\"&,}]+", re.I)

# PostgreSQL's DETAIL shows a failing row's or key's values (what users typed) in a database error's message.
PG_DETAIL_RE = re.compile(
    r"(DETAIL:\s+)(Failing row contains|Key)\b(?:(?!\\n)[^\n])*"
)  # to the end of line, or of a JSON-escaped one

# Where slack_sdk and slack_bolt start printing a body (params, JSON, form, answer): cut the message there.
BODY_MARKERS = (", params:", ", headers:", ", body:", " body:")
UNHANDLED = "Unhandled request"  # Bolt's warning quotes the request's body after this
SLACK_LOGGERS = ("slack_sdk", "slack_bolt", "liaison:")  # Bolt's app logger is named after the app
# Database drivers whose DEBUG lines print every statement with its parameters (what users typed): dropped.
DRIVER_LOGGERS = ("aiosqlite",)


def redact(text: str) -> str:
    text = TOKEN_RE.sub(lambda m: f"{m.group(1)}-***", text)
    text = HOOKS_RE.sub(lambda m: f"{m.group(1)}/***", text)
    text = PG_DETAIL_RE.sub(lambda m: f"{m.group(1)}{m.group(2)} … (values not logged)", text)
    return FIELD_RE.sub(lambda m: f"{m.group(1)}***", text)


def _is_slack_library(name: str) -> bool:
    return name == "liaison" or name.startswith(SLACK_LOGGERS)


_WEBHOOK_URL_RE = re.compile(r"url: \S+?(,|$)")


def drop_body(message: str, logger: str = "") -> str:
    """The message up to the first place a Slack library starts printing a body. slack_sdk's webhook client
    posts only to response URLs (and incoming webhooks, secrets too): the URL it names goes as well."""
    if logger.startswith("slack_sdk.webhook"):
        message = _WEBHOOK_URL_RE.sub(r"url: (response URL)\1", message)
    cuts = [i for i in (message.find(marker) for marker in BODY_MARKERS) if i >= 0]
    if message.startswith(UNHANDLED):
        cuts.append(len(UNHANDLED))
    return message[: min(cuts)] + " (body not logged)" if cuts else message


class TokenRedactingFilter(logging.Filter):
    """Rewrites tokens and response URLs in the final message, drops Slack libraries' bodies, and drops the
    database driver's DEBUG lines (statements with their parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(DRIVER_LOGGERS) and record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        cleaned = redact(drop_body(message, record.name) if _is_slack_library(record.name) else message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


# ---- context fields -----------------------------------------------------------------------------------

CONTEXT_FIELDS = ("request_id", "project", "command", "record", "occurrence")
_EMPTY: Mapping[str, object] = MappingProxyType({})
_CONTEXT: ContextVar[Mapping[str, object]] = ContextVar("liaison_log_context", default=_EMPTY)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def current_context() -> Mapping[str, object]:
    return _CONTEXT.get()


def bind(**fields: object) -> None:
    """Add fields to the current context (until the enclosing `log_context` ends); None values are skipped."""
    _CONTEXT.set({**_CONTEXT.get(), **{k: v for k, v in fields.items() if v is not None}})


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Fields on every line logged inside the block (and in tasks started inside it)."""
    token = _CONTEXT.set({**_CONTEXT.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


class ContextFilter(logging.Filter):
    """Copies the context fields onto the record (never over a field the call passed in `extra=`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _CONTEXT.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


# ---- formatters ---------------------------------------------------------------------------------------


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message key=value…` with the context fields known for the line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = " ".join(f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if hasattr(record, k))
        return redact(f"{line} {extra}" if extra else line)


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: timestamp (UTC, ISO 8601), level, logger, message, context fields."""

    def __init__(self) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],  # uvicorn's coloured copy of the message
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def make_handler(fmt: LogFormat = "text", stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (stderr by default) with the redaction and context filters and the chosen format."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonLineFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(TokenRedactingFilter())
    handler.addFilter(ContextFilter())
    return handler


def configure(level: str, fmt: LogFormat = "text", stream: IO[str] | None = None) -> logging.Handler:
    """Replace the root logger's handlers with one of ours; returns it."""
    handler = make_handler(fmt, stream)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler
