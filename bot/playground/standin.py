"""A local stand-in for the Slack Web API on a loopback port, strict where real Slack is strict.

The end-to-end tests point the app at it, and so does `liaison playground`. It runs in its own daemon
thread with its own event loop, so synchronous and async callers (whatever their loop) can both point a
``WebClient``/``AsyncWebClient`` at ``base_url``. It records every call, the messages per channel, views,
App Home views, uploaded files and response_url posts.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import itertools
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from aiohttp import web

__all__ = [
    "MAX_MESSAGE_BLOCKS",
    "MAX_MESSAGE_TEXT",
    "MAX_RESPONSE_URL_USES",
    "MAX_VIEW_BLOCKS",
    "Call",
    "FakeSlack",
    "SlackStandIn",
    "Surface",
    "validate_blocks",
    "validate_view",
]

Surface = Literal["message", "modal", "home"]

# Documented Block Kit and message limits (https://docs.slack.dev/reference/block-kit/).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_RESPONSE_URL_USES = 5

_MESSAGE_BLOCK_TYPES = frozenset(
    {"section", "divider", "header", "context", "actions", "image", "rich_text", "file", "video", "markdown"}
)
_VIEW_BLOCK_TYPES = frozenset(
    {"section", "divider", "header", "context", "actions", "image", "input", "rich_text", "file", "video"}
)
_ALL_BLOCK_TYPES = _MESSAGE_BLOCK_TYPES | _VIEW_BLOCK_TYPES

_SELECT_TYPES = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
_INPUT_ELEMENT_TYPES = _SELECT_TYPES | {
    "checkboxes",
    "radio_buttons",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "rich_text_input",
    "file_input",
}
_ELEMENT_TYPES = _INPUT_ELEMENT_TYPES | {"button", "overflow", "image", "workflow_button"}

# Required arguments per method, from Slack's method reference, with the error Slack gives when one is
# missing (None means the generic ``invalid_arguments`` with a "missing required field" message).
_REQUIRED_ARGS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "chat.postMessage": (("channel", "channel_not_found"),),
    "chat.postEphemeral": (("channel", "channel_not_found"), ("user", "user_not_in_channel")),
    "chat.update": (("channel", "channel_not_found"), ("ts", "message_not_found")),
    "chat.delete": (("channel", "channel_not_found"), ("ts", "message_not_found")),
    "chat.getPermalink": (("channel", "channel_not_found"), ("message_ts", "message_not_found")),
    "conversations.info": (("channel", "channel_not_found"),),
    "conversations.history": (("channel", "channel_not_found"),),
    "conversations.replies": (("channel", "channel_not_found"), ("ts", None)),
    "conversations.members": (("channel", "channel_not_found"),),
    "users.info": (("user", "user_not_found"),),
    "usergroups.users.list": (("usergroup", None),),
    "views.open": (("trigger_id", None), ("view", None)),
    "views.push": (("trigger_id", None), ("view", None)),
    "views.update": (("view", None),),
    "views.publish": (("user_id", None), ("view", None)),
    "files.getUploadURLExternal": (("filename", None), ("length", None)),
    "files.completeUploadExternal": (("files", None),),
}

# Form-encoded (and query-string) requests carry these as JSON strings.
_JSON_STRING_ARGS = ("blocks", "attachments", "view", "files", "metadata")

# Slack's long zone labels for the zones the tests use; anything else falls back to the abbreviation.
_TZ_LABELS: dict[str, tuple[str, str]] = {
    "UTC": ("Coordinated Universal Time", "Coordinated Universal Time"),
    "Etc/UTC": ("Coordinated Universal Time", "Coordinated Universal Time"),
    "America/Los_Angeles": ("Pacific Standard Time", "Pacific Daylight Time"),
    "America/New_York": ("Eastern Standard Time", "Eastern Daylight Time"),
    "America/Chicago": ("Central Standard Time", "Central Daylight Time"),
    "Europe/London": ("Greenwich Mean Time", "British Summer Time"),
    "Europe/Berlin": ("Central European Time", "Central European Summer Time"),
    "Europe/Paris": ("Central European Time", "Central European Summer Time"),
    "Asia/Shanghai": ("China Standard Time", "China Standard Time"),
    "Asia/Tokyo": ("Japan Standard Time", "Japan Standard Time"),
    "Asia/Kolkata": ("India Standard Time", "India Standard Time"),
}


# --------------------------------------------------------------------------------------------------
# Block Kit validation (pure)
# --------------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str, pointer: str) -> None:
        self.items.append(f"{message} [json-pointer:{pointer}]")


def _check_len(value: Any, limit: int, pointer: str, p: _Problems) -> None:
    if isinstance(value, str) and len(value) > limit:
        p.add(f"must be less than {limit + 1} characters", pointer)


def _check_id(value: Any, pointer: str, p: _Problems) -> bool:
    """action_id / block_id / callback_id style strings: non-empty, at most 255 characters."""
    if not isinstance(value, str) or not value:
        p.add("must be more than 0 characters", pointer)
        return False
    if len(value) > 255:
        p.add("must be less than 256 characters", pointer)
        return False
    return True


def _check_text_object(
    obj: Any, pointer: str, p: _Problems, *, max_len: int, plain_only: bool = False
) -> None:
    if not isinstance(obj, dict):
        p.add("must be a text object", pointer)
        return
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if obj.get("type") not in allowed:
        p.add(f"must be a valid enum value ({'|'.join(allowed)})", f"{pointer}/type")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        p.add("must be more than 0 characters", f"{pointer}/text")
    else:
        _check_len(text, max_len, f"{pointer}/text", p)


def _check_required_text(
    container: dict[str, Any], key: str, pointer: str, p: _Problems, *, max_len: int, plain_only: bool
) -> None:
    if key not in container:
        p.add(f"missing required field: {key}", pointer)
    else:
        _check_text_object(container[key], f"{pointer}/{key}", p, max_len=max_len, plain_only=plain_only)


def _check_list(value: Any, pointer: str, p: _Problems, *, min_items: int, max_items: int) -> list[Any]:
    if not isinstance(value, list):
        p.add("must be an array", pointer)
        return []
    if len(value) < min_items:
        p.add(f"must contain at least {min_items} item{'s' if min_items > 1 else ''}", pointer)
    if len(value) > max_items:
        p.add(f"no more than {max_items} items allowed", pointer)
    return value


def _check_options(
    options: Any, pointer: str, p: _Problems, *, min_items: int, max_items: int, plain_only: bool
) -> None:
    for i, option in enumerate(_check_list(options, pointer, p, min_items=min_items, max_items=max_items)):
        ptr = f"{pointer}/{i}"
        if not isinstance(option, dict):
            p.add("must be an object", ptr)
            continue
        _check_required_text(option, "text", ptr, p, max_len=75, plain_only=plain_only)
        if "value" not in option:
            p.add("missing required field: value", ptr)
        else:
            _check_len(option["value"], 150, f"{ptr}/value", p)
        if "description" in option:
            _check_text_object(option["description"], f"{ptr}/description", p, max_len=75, plain_only=True)


def _check_confirm(confirm: Any, pointer: str, p: _Problems) -> None:
    if not isinstance(confirm, dict):
        p.add("must be an object", pointer)
        return
    _check_required_text(confirm, "title", pointer, p, max_len=100, plain_only=True)
    _check_required_text(confirm, "text", pointer, p, max_len=300, plain_only=False)
    _check_required_text(confirm, "confirm", pointer, p, max_len=30, plain_only=True)
    _check_required_text(confirm, "deny", pointer, p, max_len=30, plain_only=True)


def _check_image_element(element: dict[str, Any], pointer: str, p: _Problems) -> None:
    if "image_url" not in element and "slack_file" not in element:
        p.add("missing required field: image_url or slack_file", pointer)
    _check_len(element.get("image_url"), 3000, f"{pointer}/image_url", p)
    alt_text = element.get("alt_text")
    if not isinstance(alt_text, str) or not alt_text:
        p.add("missing required field: alt_text", pointer)
    else:
        _check_len(alt_text, 2000, f"{pointer}/alt_text", p)


def _check_element(
    element: Any,
    pointer: str,
    p: _Problems,
    *,
    action_ids: set[str],
    allowed: frozenset[str] = _ELEMENT_TYPES,
) -> None:
    if not isinstance(element, dict):
        p.add("must be an object", pointer)
        return
    kind = element.get("type")
    if kind not in allowed:
        p.add(f"unsupported type: {kind}", f"{pointer}/type")
        return
    if kind == "image":
        _check_image_element(element, pointer, p)
        return
    if "action_id" in element and _check_id(element["action_id"], f"{pointer}/action_id", p):
        action_id = element["action_id"]
        if action_id in action_ids:
            p.add(f"duplicate action_id: {action_id}", f"{pointer}/action_id")
        action_ids.add(action_id)
    if kind in ("button", "workflow_button"):
        _check_required_text(element, "text", pointer, p, max_len=75, plain_only=True)
        _check_len(element.get("value"), 2000, f"{pointer}/value", p)
        _check_len(element.get("url"), 3000, f"{pointer}/url", p)
        if "style" in element and element["style"] not in ("primary", "danger"):
            p.add("must be a valid enum value (primary|danger)", f"{pointer}/style")
    if "placeholder" in element:
        _check_text_object(element["placeholder"], f"{pointer}/placeholder", p, max_len=150, plain_only=True)
    if kind in ("static_select", "multi_static_select"):
        if "options" in element:
            _check_options(
                element["options"], f"{pointer}/options", p, min_items=1, max_items=100, plain_only=True
            )
        elif "option_groups" in element:
            groups = _check_list(
                element["option_groups"], f"{pointer}/option_groups", p, min_items=1, max_items=100
            )
            for i, group in enumerate(groups):
                gptr = f"{pointer}/option_groups/{i}"
                if not isinstance(group, dict):
                    p.add("must be an object", gptr)
                    continue
                _check_required_text(group, "label", gptr, p, max_len=75, plain_only=True)
                _check_options(
                    group.get("options"), f"{gptr}/options", p, min_items=1, max_items=100, plain_only=True
                )
        else:
            p.add("missing required field: options", pointer)
    elif kind == "overflow":
        _check_options(
            element.get("options"), f"{pointer}/options", p, min_items=1, max_items=5, plain_only=True
        )
    elif kind in ("checkboxes", "radio_buttons"):
        _check_options(
            element.get("options"), f"{pointer}/options", p, min_items=1, max_items=10, plain_only=False
        )
    elif kind == "plain_text_input":
        for key in ("min_length", "max_length"):
            value = element.get(key)
            if isinstance(value, int) and not 0 <= value <= 3000:
                p.add("must be between 0 and 3000", f"{pointer}/{key}")
    if "confirm" in element:
        _check_confirm(element["confirm"], f"{pointer}/confirm", p)


def _check_block(block: Any, pointer: str, p: _Problems, *, surface: Surface, block_ids: set[str]) -> None:
    if not isinstance(block, dict):
        p.add("must be an object", pointer)
        return
    kind = block.get("type")
    if not isinstance(kind, str) or kind not in _ALL_BLOCK_TYPES:
        p.add(f"unsupported type: {kind}", f"{pointer}/type")
        return
    allowed = _MESSAGE_BLOCK_TYPES if surface == "message" else _VIEW_BLOCK_TYPES
    if kind not in allowed:
        p.add(f"{kind} blocks are not allowed in a {surface}", f"{pointer}/type")
        return
    if "block_id" in block and _check_id(block["block_id"], f"{pointer}/block_id", p):
        block_id = block["block_id"]
        if block_id in block_ids:
            p.add(f"duplicate block_id: {block_id}", f"{pointer}/block_id")
        block_ids.add(block_id)
    action_ids: set[str] = set()
    if kind == "section":
        if "text" not in block and "fields" not in block:
            p.add("must provide either text or fields", pointer)
        if "text" in block:
            _check_text_object(block["text"], f"{pointer}/text", p, max_len=3000)
        if "fields" in block:
            fields = _check_list(block["fields"], f"{pointer}/fields", p, min_items=1, max_items=10)
            for i, item in enumerate(fields):
                _check_text_object(item, f"{pointer}/fields/{i}", p, max_len=2000)
        if "accessory" in block:
            _check_element(block["accessory"], f"{pointer}/accessory", p, action_ids=action_ids)
    elif kind == "header":
        _check_required_text(block, "text", pointer, p, max_len=150, plain_only=True)
    elif kind == "context":
        elements = _check_list(block.get("elements"), f"{pointer}/elements", p, min_items=1, max_items=10)
        for i, element in enumerate(elements):
            eptr = f"{pointer}/elements/{i}"
            if isinstance(element, dict) and element.get("type") in ("plain_text", "mrkdwn"):
                _check_text_object(element, eptr, p, max_len=3000)
            else:
                _check_element(element, eptr, p, action_ids=action_ids, allowed=frozenset({"image"}))
    elif kind == "actions":
        elements = _check_list(block.get("elements"), f"{pointer}/elements", p, min_items=1, max_items=25)
        for i, element in enumerate(elements):
            _check_element(element, f"{pointer}/elements/{i}", p, action_ids=action_ids)
    elif kind == "image":
        _check_image_element(block, pointer, p)
        if "title" in block:
            _check_text_object(block["title"], f"{pointer}/title", p, max_len=2000, plain_only=True)
    elif kind == "input":
        _check_required_text(block, "label", pointer, p, max_len=2000, plain_only=True)
        if "hint" in block:
            _check_text_object(block["hint"], f"{pointer}/hint", p, max_len=2000, plain_only=True)
        if "element" not in block:
            p.add("missing required field: element", pointer)
        else:
            _check_element(
                block["element"], f"{pointer}/element", p, action_ids=action_ids, allowed=_INPUT_ELEMENT_TYPES
            )
    elif kind == "rich_text":
        _check_list(block.get("elements"), f"{pointer}/elements", p, min_items=1, max_items=10_000)
    elif kind == "file":
        for key in ("external_id", "source"):
            if not block.get(key):
                p.add(f"missing required field: {key}", pointer)
    elif kind == "video":
        for key in ("alt_text", "thumbnail_url", "video_url"):
            if not block.get(key):
                p.add(f"missing required field: {key}", pointer)
        _check_required_text(block, "title", pointer, p, max_len=199, plain_only=True)
    elif kind == "markdown":
        text = block.get("text")
        if not isinstance(text, str) or not text:
            p.add("must be more than 0 characters", f"{pointer}/text")
        else:
            _check_len(text, 12_000, f"{pointer}/text", p)


def _check_blocks(blocks: Any, pointer: str, p: _Problems, *, surface: Surface) -> list[dict[str, Any]]:
    limit = MAX_MESSAGE_BLOCKS if surface == "message" else MAX_VIEW_BLOCKS
    items = _check_list(blocks, pointer, p, min_items=0, max_items=limit)
    block_ids: set[str] = set()
    for i, block in enumerate(items):
        _check_block(block, f"{pointer}/{i}", p, surface=surface, block_ids=block_ids)
    return [b for b in items if isinstance(b, dict)]


def validate_blocks(blocks: Any, *, surface: Surface) -> list[str]:
    """Return the problems Slack would report for these blocks on this surface (empty when valid)."""
    p = _Problems()
    _check_blocks(blocks, "/blocks", p, surface=surface)
    return p.items


def validate_view(view: Any) -> list[str]:
    """Return the problems Slack would report for this modal or App Home view (empty when valid)."""
    p = _Problems()
    if not isinstance(view, dict):
        p.add("must be an object", "/view")
        return p.items
    kind = view.get("type")
    if kind not in ("modal", "home"):
        p.add("must be a valid enum value (modal|home)", "/view/type")
        return p.items
    surface: Surface = "modal" if kind == "modal" else "home"
    if "blocks" not in view:
        p.add("missing required field: blocks", "/view")
        blocks: list[dict[str, Any]] = []
    else:
        blocks = _check_blocks(view["blocks"], "/view/blocks", p, surface=surface)
    _check_len(view.get("private_metadata"), 3000, "/view/private_metadata", p)
    if "callback_id" in view and view["callback_id"] != "":
        _check_id(view["callback_id"], "/view/callback_id", p)
    if "external_id" in view and view["external_id"] != "":
        _check_id(view["external_id"], "/view/external_id", p)
    if kind == "modal":
        _check_required_text(view, "title", "/view", p, max_len=24, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                _check_text_object(view[key], f"/view/{key}", p, max_len=24, plain_only=True)
        if view.get("submit") is None and any(b.get("type") == "input" for b in blocks):
            p.add("missing required field: submit (a modal with input blocks must have one)", "/view")
    return p.items


# --------------------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the fake received, with what it answered."""

    method: str
    args: dict[str, Any]
    token: str | None
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


class _ApiError(Exception):
    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def _invalid_arguments(problems: Iterable[str]) -> _ApiError:
    return _ApiError(
        "invalid_arguments", extra={"response_metadata": {"messages": [f"[ERROR] {m}" for m in problems]}}
    )


@dataclass
class _User:
    id: str
    team_id: str
    name: str
    real_name: str
    tz: str
    locale: str
    is_bot: bool
    deleted: bool


@dataclass
class _Channel:
    id: str
    name: str | None
    is_private: bool
    is_shared: bool
    is_ext_shared: bool
    members: list[str]
    created: int
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None


@dataclass
class _Drop:
    remaining: int | None
    probability: float
    rng: random.Random


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    remaining: int
    channels: frozenset[str] | None = None  # only calls to these (a user id: the bot's DM with them)


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class _Limiter:
    rate: float
    burst: int
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def take(self, key: str, now: float) -> float | None:
        """Spend one token for ``key``; return None if allowed, else the seconds until one is available."""
        bucket = self.buckets.setdefault(key, _Bucket(tokens=float(self.burst), updated=now))
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / self.rate


def _flag(value: Any) -> bool:
    return value is True or value == 1 or (isinstance(value, str) and value.lower() in ("1", "true"))


def _present(args: dict[str, Any], key: str) -> bool:
    return args.get(key) not in (None, "")


def _form_value(item: str | bytes | bytearray | web.FileField) -> str | bytes:
    if isinstance(item, str):
        return item
    if isinstance(item, web.FileField):
        return bytes(item.file.read())
    return bytes(item)


def _public(message: dict[str, Any]) -> dict[str, Any]:
    """The message as Slack returns it: no null or empty optional fields."""
    return {k: copy.deepcopy(v) for k, v in message.items() if v is not None and v != [] and v is not False}


class FakeSlack:
    """A local Slack Web API: answers like Slack, refuses what Slack refuses, and records every call."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-token",
        team_id: str = "T0HOME",
        team_name: str = "Home Co",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0LIAISON",
    ) -> None:
        self.bot_token = bot_token
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = "liaison"

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self.calls: list[Call] = []

        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._dm_by_users: dict[frozenset[str], str] = {}
        self._usergroups: dict[str, list[str]] = {}
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.uploaded_files: dict[str, dict[str, Any]] = {}
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self._response_url_uses: dict[str, int] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._limiters: dict[str, _Limiter] = {}
        self._workspace_limiters: dict[str, _Limiter] = {}  # per method, across every channel
        self._drops: dict[str, _Drop] = {}
        self.answers_dropped = 0  # calls Slack carried out whose answer was then lost (drop_answers)
        self.rate_limited = 0  # calls answered 429 by rate_limit's buckets
        self._ids = itertools.count(1)
        self._last_ts_us = 0

        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._port: int | None = None

        self.add_user(bot_user_id, name=self.bot_name, real_name="Liaison", is_bot=True)

        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.info": self._conversations_info,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.members": self._conversations_members,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroups_users_list,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeSlack:
        if self._thread is not None:
            raise RuntimeError("FakeSlack is already started")
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            runner = web.AppRunner(self._build_app(), access_log=None, shutdown_timeout=1.0)
            try:
                loop.run_until_complete(runner.setup())
                site = web.TCPSite(runner, "127.0.0.1", 0)
                loop.run_until_complete(site.start())
                self._port = int(runner.addresses[0][1])
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(runner.cleanup())
                loop.close()

        self._thread = threading.Thread(target=serve, name="fake-slack", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("FakeSlack did not start within 10 s")
        if failure:
            self._thread = None
            raise RuntimeError("FakeSlack failed to start") from failure[0]
        return self

    def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = None
        self._loop = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str | None = None) -> str:
        """A response_url on this server; posts to it are recorded as ``response_url`` calls."""
        if key is None:
            key = f"R{next(self._ids):08d}"
        return f"http://127.0.0.1:{self.port}/response/{key}"

    # ---------------------------------------------------------------- call log

    def calls_to(self, method: str, *, include_errors: bool = False) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (include_errors or c.ok)]

    def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until at least ``count`` successful calls to ``method`` (matching ``where``) were made."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matches = [
                    c for c in self.calls if c.method == method and c.ok and (where is None or where(c))
                ]
                if len(matches) >= count:
                    return matches
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"waited {timeout:.2f}s for {count} ok call(s) to {method}, got {len(matches)}; "
                        f"calls seen:\n{self._summary()}"
                    )
                self._cond.wait(remaining)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def _summary(self, limit: int = 40) -> str:
        if not self.calls:
            return "  (none)"
        lines = []
        for c in self.calls[-limit:]:
            outcome = "ok" if c.ok else f"error={c.response.get('error')}"
            args = json.dumps(c.args, default=str)
            lines.append(f"  {c.method} -> {c.status} {outcome} {args[:200]}")
        if len(self.calls) > limit:
            lines.insert(0, f"  ... {len(self.calls) - limit} earlier call(s)")
        return "\n".join(lines)

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    # ---------------------------------------------------------------- world state

    def add_user(
        self,
        user_id: str,
        *,
        team_id: str | None = None,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "UTC",
        locale: str = "en-US",
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        ZoneInfo(tz)  # refuse an unknown zone here rather than in the middle of a test
        with self._lock:
            self._users[user_id] = _User(
                id=user_id,
                team_id=team_id or self.team_id,
                name=name or user_id.lower(),
                real_name=real_name if real_name is not None else (name or user_id),
                tz=tz,
                locale=locale,
                is_bot=is_bot,
                deleted=deleted,
            )

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_ext_shared: bool = False,
        is_shared: bool = False,
        is_private: bool = False,
        members: Iterable[str] = (),
    ) -> None:
        """Add a channel; an externally shared channel is also shared, as in Slack.

        A "D..." id is a DM: its first member other than the bot is the person it is with.
        """
        is_im = channel_id.startswith("D")
        members = list(members)
        im_user = next((m for m in members if m != self.bot_user_id), None) if is_im else None
        with self._lock:
            if im_user is not None:
                self._dm_by_users.setdefault(frozenset({im_user}), channel_id)
            self._channels[channel_id] = _Channel(
                id=channel_id,
                name=None if is_im else (name or channel_id.lower()),
                is_private=is_private or is_im,
                is_shared=is_shared or is_ext_shared,
                is_ext_shared=is_ext_shared,
                members=members,
                created=int(time.time()),
                is_im=is_im,
                im_user=im_user,
            )

    def add_usergroup(self, group_id: str, users: Iterable[str]) -> None:
        with self._lock:
            self._usergroups[group_id] = list(users)

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        channels: Iterable[str] | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail with ``error`` (429s carry Retry-After); with
        ``channels``, only the calls to those channels (a user id means the bot's DM with that user)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        only = frozenset(channels) if channels is not None else None
        with self._lock:
            self._failures.setdefault(method, []).append(
                _Failure(error=error, status=status, retry_after=retry_after, remaining=times, channels=only)
            )

    def drop_answers(
        self,
        method: str = "chat.postMessage",
        *,
        times: int | None = None,
        probability: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Carry out ``method`` as usual, then drop the connection before answering: for the next ``times``
        successful calls, or each with ``probability`` (seeded). The caller cannot tell whether it landed.
        ``times=0`` and ``probability=0`` turn it off."""
        with self._lock:
            if not times and probability <= 0:
                self._drops.pop(method, None)
                return
            self._drops[method] = _Drop(remaining=times, probability=probability, rng=random.Random(seed))

    def _should_drop(self, method: str, status: int) -> bool:
        with self._lock:
            drop = self._drops.get(method)
            if drop is None or status != 200:
                return False
            if drop.remaining is not None:
                if drop.remaining <= 0:
                    return False
                drop.remaining -= 1
                hit = True
            else:
                hit = drop.rng.random() < drop.probability
            if hit:
                self.answers_dropped += 1
            return hit

    def rate_limit(
        self,
        method: str = "chat.postMessage",
        *,
        per_channel_per_second: float | None = 1.0,
        burst: int = 3,
        per_workspace_per_minute: float | None = None,
        workspace_burst: int | None = None,
    ) -> None:
        """Limit ``method`` with a token bucket per channel (per method when it takes no channel), and, with
        ``per_workspace_per_minute``, with one more bucket for the whole workspace (Slack's tiers and its
        workspace-wide limit on posting); a call over either is answered 429 with Retry-After."""
        rates = [r for r in (per_channel_per_second, per_workspace_per_minute) if r is not None]
        if not rates or any(r <= 0 for r in rates) or burst < 1 or (workspace_burst or 1) < 1:
            raise ValueError("rate must be positive and burst at least 1")
        with self._lock:
            self._limiters.pop(method, None)
            self._workspace_limiters.pop(method, None)
            if per_channel_per_second is not None:
                self._limiters[method] = _Limiter(rate=per_channel_per_second, burst=burst)
            if per_workspace_per_minute is not None:
                self._workspace_limiters[method] = _Limiter(
                    rate=per_workspace_per_minute / 60, burst=workspace_burst or burst
                )

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        """The messages now in a channel (a user id means the bot's DM with that user), oldest first."""
        with self._lock:
            if channel_id not in self._channels and channel_id in self._users:
                channel_id = self._dm_by_users.get(frozenset({channel_id}), channel_id)
            return copy.deepcopy(self._messages.get(channel_id, []))

    def ephemerals(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages sent with chat.postEphemeral, optionally only those in one channel."""
        with self._lock:
            return [copy.deepcopy(m) for m in self._ephemerals if channel_id in (None, m["channel"])]

    # ---------------------------------------------------------------- HTTP plumbing

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        return app

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token, parse_error = await self._read_args(request)
        status, body, headers = self._process(method, args, token, parse_error)
        self._record(Call(method=method, args=args, token=token, status=status, response=body))
        if self._should_drop(method, status) and request.transport is not None:
            request.transport.abort()  # done, but the answer never reaches the caller (nothing is written)
        return web.json_response(body, status=status, headers=headers)

    async def _read_args(self, request: web.Request) -> tuple[dict[str, Any], str | None, str | None]:
        args: dict[str, Any] = dict(request.query)
        parse_error: str | None = None
        if request.can_read_body:
            if request.content_type == "application/json":
                raw = await request.read()
                if raw.strip():
                    try:
                        data = json.loads(raw)
                    except ValueError:
                        parse_error = "invalid_json"
                    else:
                        if isinstance(data, dict):
                            # Slack ignores a token inside a JSON body: it must come in the header.
                            data.pop("token", None)
                            args.update(data)
                        else:
                            parse_error = "json_not_object"
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, item in form.items():
                    args[key] = _form_value(item)
        for key in _JSON_STRING_ARGS:
            value = args.get(key)
            if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(value)
        token = args.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ").strip()
        return args, (str(token) if token else None), parse_error

    def _process(
        self, method: str, args: dict[str, Any], token: str | None, parse_error: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        try:
            with self._lock:
                handler = self._methods.get(method)
                if handler is None:
                    raise _ApiError("unknown_method", extra={"req_method": method})
                if parse_error is not None:
                    raise _ApiError(parse_error)
                if token is None:
                    raise _ApiError("not_authed")
                if token != self.bot_token:
                    raise _ApiError("invalid_auth")
                self._apply_injected_failure(method, args)
                self._apply_rate_limit(method, args)
                self._check_required(method, args)
                return 200, {"ok": True, **handler(args)}, {}
        except _ApiError as exc:
            return exc.status, exc.body(), exc.headers

    def _apply_injected_failure(self, method: str, args: dict[str, Any] | None = None) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        channel = str((args or {}).get("channel") or "")
        failure = next(
            (f for f in queue if f.channels is None or channel in self._channel_ids(f.channels)), None
        )
        if failure is None:
            return
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.remove(failure)
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        raise _ApiError(failure.error, status=failure.status, headers=headers)

    def _channel_ids(self, names: frozenset[str]) -> set[str]:
        found = set(names)
        for name in names:
            if name in self._users and (dm := self._dm_by_users.get(frozenset({name}))) is not None:
                found.add(dm)
        return found

    def _apply_rate_limit(self, method: str, args: dict[str, Any]) -> None:
        now = time.monotonic()
        workspace = self._workspace_limiters.get(method)
        wait = workspace.take("", now) if workspace is not None else None
        limiter = self._limiters.get(method)
        if wait is None and limiter is not None:
            wait = limiter.take(str(args.get("channel") or args.get("channel_id") or ""), now)
            if wait is not None and workspace is not None:  # refused by its channel: workspace token unspent
                workspace.buckets[""].tokens += 1.0
        if wait is not None:
            self.rate_limited += 1
            retry_after = max(1, math.ceil(wait))
            raise _ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})

    @staticmethod
    def _check_required(method: str, args: dict[str, Any]) -> None:
        for name, error in _REQUIRED_ARGS.get(method, ()):
            if not _present(args, name):
                if error is not None:
                    raise _ApiError(error)
                raise _invalid_arguments([f"missing required field: {name}"])

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        raw = await request.read()
        body: dict[str, Any] = {}
        status: int = 200
        answer: dict[str, Any] = {"ok": True}
        try:
            if request.content_type == "application/x-www-form-urlencoded":
                form = await request.post()
                body = json.loads(str(form.get("payload", "{}")))
            else:
                body = json.loads(raw) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError:
            body, status, answer = {}, 400, {"ok": False, "error": "invalid_payload"}
        with self._lock:
            uses = self._response_url_uses.get(key, 0)
            failure = None
            try:
                self._apply_injected_failure("response_url")
            except _ApiError as exc:
                failure = exc
            if failure is not None:
                status, answer = failure.status, failure.body()
            elif status != 200:
                pass
            elif uses >= MAX_RESPONSE_URL_USES:
                status, answer = 404, {"ok": False, "error": "used_url"}
            elif "blocks" in body and validate_blocks(body["blocks"], surface="message"):
                status, answer = 400, {"ok": False, "error": "invalid_blocks"}
            elif not (body.get("text") or body.get("blocks") or body.get("delete_original")):
                status, answer = 400, {"ok": False, "error": "no_text"}
            else:
                self._response_url_uses[key] = uses + 1
        self._record(
            Call(
                method="response_url", args={**body, "_key": key}, token=None, status=status, response=answer
            )
        )
        return web.json_response(answer, status=status)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        content: bytes
        if request.content_type == "multipart/form-data":
            form = await request.post()
            files = [_form_value(item) for item in form.values() if not isinstance(item, str)]
            content = files[0] if files and isinstance(files[0], bytes) else b""
        else:
            # slack_sdk's sync client posts the raw bytes with urllib's default form Content-Type, and
            # the async client posts them as application/octet-stream: never parse them as a form.
            content = await request.read()
        with self._lock:
            pending = self._pending_uploads.get(file_id)
            if pending is None:
                status, answer = 404, {"ok": False, "error": "file_not_found"}
            else:
                pending["content"] = content
                status, answer = 200, {"ok": True}
        self._record(
            Call(
                method="upload_url",
                args={"_file_id": file_id, "_length": len(content)},
                token=None,
                status=status,
                response=answer,
            )
        )
        if status != 200:
            return web.Response(status=status, text=str(answer["error"]), content_type="text/plain")
        return web.Response(text=f"OK - {len(content)}", content_type="text/plain")

    # ---------------------------------------------------------------- helpers (lock held)

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _new_ts(self) -> str:
        now_us = int(time.time() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def _channel(self, channel_id: Any, *, allow_user: bool = False) -> _Channel:
        channel_id = str(channel_id)
        channel = self._channels.get(channel_id)
        if channel is not None:
            return channel
        if channel_id.startswith("#"):
            for candidate in self._channels.values():
                if candidate.name == channel_id[1:]:
                    return candidate
        if allow_user and channel_id in self._users:
            return self._open_conversation([channel_id])[0]
        raise _ApiError("channel_not_found")

    def _open_conversation(self, user_ids: list[str]) -> tuple[_Channel, bool]:
        people = frozenset(u for u in user_ids if u != self.bot_user_id)
        for user_id in people:
            user = self._users.get(user_id)
            if user is None:
                raise _ApiError("user_not_found")
            if user.deleted:
                raise _ApiError("user_disabled")
        if not people:
            raise _ApiError("not_enough_users")
        if len(people) > 8:
            raise _ApiError("too_many_users")
        existing = self._dm_by_users.get(people)
        if existing is not None:
            return self._channels[existing], True
        is_im = len(people) == 1
        channel_id = self._next_id("D" if is_im else "G")
        external = any(self._users[u].team_id != self.team_id for u in people)
        channel = _Channel(
            id=channel_id,
            name=None if is_im else "mpdm-" + "--".join(sorted(self._users[u].name for u in people)) + "-1",
            is_private=True,
            is_shared=external,
            is_ext_shared=external,
            members=sorted(people | {self.bot_user_id}),
            created=int(time.time()),
            is_im=is_im,
            is_mpim=not is_im,
            im_user=next(iter(people)) if is_im else None,
        )
        self._channels[channel_id] = channel
        self._dm_by_users[people] = channel_id
        return channel, False

    def _channel_object(self, channel: _Channel, *, num_members: bool = False) -> dict[str, Any]:
        team_ids = {self.team_id} | {self._users[u].team_id for u in channel.members if u in self._users}
        obj: dict[str, Any] = {
            "id": channel.id,
            "created": channel.created,
            "is_channel": channel.id.startswith("C"),
            "is_group": channel.id.startswith("G") and channel.is_private and not channel.is_mpim,
            "is_im": channel.is_im,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "is_archived": False,
            "is_general": False,
            "is_shared": channel.is_shared,
            "is_ext_shared": channel.is_ext_shared,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "shared_team_ids": sorted(team_ids) if channel.is_ext_shared else [self.team_id],
            "is_member": True,
            "updated": channel.created * 1000,
        }
        if channel.is_im:
            obj["user"] = channel.im_user
            im_user = self._users.get(channel.im_user or "")
            obj["is_user_deleted"] = bool(im_user and im_user.deleted)
            obj["priority"] = 0
        else:
            obj.update(
                {
                    "name": channel.name,
                    "name_normalized": channel.name,
                    "unlinked": 0,
                    "creator": "",
                    "topic": {"value": "", "creator": "", "last_set": 0},
                    "purpose": {"value": "", "creator": "", "last_set": 0},
                    "previous_names": [],
                }
            )
        if num_members:
            obj["num_members"] = len(channel.members)
        return obj

    def _content(self, args: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
        """Validate and normalise text/blocks/attachments of a chat.* call."""
        content: dict[str, Any] = {}
        if "blocks" in args and args["blocks"] is not None:
            blocks = args["blocks"]
            if not isinstance(blocks, list):
                raise _ApiError("invalid_blocks_format")
            problems = validate_blocks(blocks, surface="message")
            if problems:
                raise _ApiError(
                    "invalid_blocks",
                    extra={
                        "errors": problems,
                        "response_metadata": {"messages": [f"[ERROR] {m}" for m in problems]},
                    },
                )
            content["blocks"] = blocks
        if "attachments" in args and args["attachments"] is not None:
            attachments = args["attachments"]
            if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
                raise _ApiError("invalid_attachments")
            if len(attachments) > 100:
                raise _ApiError("too_many_attachments")
            content["attachments"] = attachments
        if "text" in args and args["text"] is not None:
            content["text"] = str(args["text"])[:MAX_MESSAGE_TEXT]
        if required and not (content.get("text") or content.get("blocks") or content.get("attachments")):
            raise _ApiError("no_text")
        if isinstance(args.get("metadata"), dict):
            content["metadata"] = args["metadata"]
        return content

    def _find_message(self, channel: _Channel, ts: Any) -> tuple[int, dict[str, Any]]:
        for index, message in enumerate(self._messages.get(channel.id, [])):
            if message["ts"] == str(ts):
                return index, message
        raise _ApiError("message_not_found")

    def _store_message(self, channel: _Channel, message: dict[str, Any]) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "type": "message",
            "ts": self._new_ts(),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": "",
            "blocks": [],
            "attachments": [],
            "files": [],
            "thread_ts": None,
            "metadata": None,
        }
        stored.update(message)
        self._messages.setdefault(channel.id, []).append(stored)
        return stored

    def _user_object(self, user: _User, *, include_locale: bool) -> dict[str, Any]:
        now = datetime.now(tz=ZoneInfo(user.tz))
        offset = now.utcoffset()
        is_dst = bool(now.dst())
        labels = _TZ_LABELS.get(user.tz)
        tz_label = labels[1 if is_dst else 0] if labels else (now.tzname() or user.tz)
        profile: dict[str, Any] = {
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.name,
            "display_name_normalized": user.name,
            "team": user.team_id,
        }
        if user.id == self.bot_user_id:
            profile.update({"bot_id": self.bot_id, "api_app_id": self.app_id, "always_active": True})
        obj: dict[str, Any] = {
            "id": user.id,
            "team_id": user.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": tz_label,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }
        if include_locale:
            obj["locale"] = user.locale
        return obj

    def _new_view(self, view: dict[str, Any], *, view_id: str | None = None, **extra: Any) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{next(self._ids):08d}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        stored.update(extra)
        self.views[view_id] = stored
        return stored

    def _checked_view(self, args: dict[str, Any], *, kind: Literal["modal", "home"] | None) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            raise _invalid_arguments(["failed to parse the view as a JSON object [json-pointer:/view]"])
        problems = validate_view(view)
        if kind is not None and view.get("type") in ("modal", "home") and view.get("type") != kind:
            problems.append(f"must be {kind} for this method [json-pointer:/view/type]")
        if problems:
            raise _invalid_arguments(problems)
        return view

    def _check_hash(self, current: dict[str, Any], args: dict[str, Any]) -> None:
        if _present(args, "hash") and args["hash"] != current["hash"]:
            raise _ApiError("hash_conflict")

    def _check_external_id(self, view: dict[str, Any], *, allow: str | None = None) -> None:
        external_id = view.get("external_id")
        if external_id and any(
            v["external_id"] == external_id and v["id"] != allow for v in self.views.values()
        ):
            raise _ApiError("duplicate_external_id")

    # ---------------------------------------------------------------- methods (lock held)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        slug = re.sub(r"[^a-z0-9]+", "-", self.team_name.lower()).strip("-") or "workspace"
        return {
            "url": f"https://{slug}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"], allow_user=True)
        content = self._content(args)
        for key in ("thread_ts", "username", "icon_emoji", "icon_url"):
            if _present(args, key):
                content[key] = str(args[key])
        if _flag(args.get("reply_broadcast")):
            content["reply_broadcast"] = True
        message = self._store_message(channel, content)
        return {"channel": channel.id, "ts": message["ts"], "message": _public(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        user_id = str(args["user"])
        if user_id not in self._users:
            raise _ApiError("user_not_in_channel")
        if channel.is_im and channel.im_user != user_id:
            raise _ApiError("user_not_in_channel")
        if channel.members and user_id not in channel.members:
            raise _ApiError("user_not_in_channel")
        content = self._content(args)
        ts = self._new_ts()
        self._ephemerals.append(
            {
                "channel": channel.id,
                "user": user_id,
                "ts": ts,
                "text": content.get("text", ""),
                "blocks": content.get("blocks", []),
                "attachments": content.get("attachments", []),
                "thread_ts": args.get("thread_ts"),
            }
        )
        return {"message_ts": ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        _, message = self._find_message(channel, args["ts"])
        if message["user"] != self.bot_user_id:
            raise _ApiError("cant_update_message")
        content = self._content(args, required=False)
        # Slack keeps blocks/attachments that the update leaves out; an empty array removes them.
        message.update(content)
        if not (message["text"] or message["blocks"] or message["attachments"] or message["files"]):
            raise _ApiError("no_text")
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": _public(message),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        index, message = self._find_message(channel, args["ts"])
        if message["user"] != self.bot_user_id:
            raise _ApiError("cant_delete_message")
        del self._messages[channel.id][index]
        return {"channel": channel.id, "ts": message["ts"]}

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        _, message = self._find_message(channel, args["message_ts"])
        digits = str(message["ts"]).replace(".", "")
        return {
            "channel": channel.id,
            "permalink": f"https://example.slack.com/archives/{channel.id}/p{digits}",
        }

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        return {"channel": self._channel_object(channel, num_members=_flag(args.get("include_num_members")))}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if _present(args, "channel"):
            channel = self._channel(args["channel"])
            if not (channel.is_im or channel.is_mpim):
                raise _ApiError("method_not_supported_for_channel_type")
            existed = True
        elif _present(args, "users"):
            users = args["users"]
            user_ids = [u.strip() for u in users.split(",")] if isinstance(users, str) else list(users)
            channel, existed = self._open_conversation([u for u in user_ids if u])
        else:
            raise _ApiError("users_list_not_supplied")
        obj = self._channel_object(channel) if _flag(args.get("return_im")) else {"id": channel.id}
        answer: dict[str, Any] = {"channel": obj}
        if existed:
            answer.update({"no_op": True, "already_open": True})
        return answer

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        try:
            limit = int(args.get("limit") or 100)
            cursor = str(args.get("cursor") or "")
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
        except ValueError:
            raise _ApiError("invalid_cursor") from None
        if not 1 <= limit <= 1000:
            raise _ApiError("invalid_limit")
        page = channel.members[start : start + limit]
        more = start + limit < len(channel.members)
        next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
        return {"members": list(page), "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; `oldest`/`latest` exclusive unless `inclusive`; metadata only with
        `include_all_metadata` (the app subscribes to no metadata event types); a cursor pages on."""
        channel = self._channel(args["channel"])
        try:
            limit = int(args.get("limit") or 100)
            oldest = float(args.get("oldest") or 0)
            latest = float(args["latest"]) if _present(args, "latest") else math.inf
            cursor = str(args.get("cursor") or "")
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
        except ValueError:
            raise _ApiError("invalid_arguments") from None
        if not 1 <= limit <= 999:
            raise _ApiError("invalid_limit")
        inclusive = _flag(args.get("inclusive"))
        with_metadata = _flag(args.get("include_all_metadata"))

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        found = [
            m
            for m in reversed(self._messages.get(channel.id, []))
            if within(float(m["ts"])) and (not m.get("thread_ts") or m.get("thread_ts") == m["ts"])
        ]
        page = found[start : start + limit]
        more = start + limit < len(found)
        messages = []
        for message in page:
            shown = _public(message)
            if not with_metadata:
                shown.pop("metadata", None)
            messages.append(shown)
        next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
        return {
            "messages": messages,
            "has_more": more,
            "pin_count": 0,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread, oldest first: its parent (always first, as Slack shows it), then the replies within
        `oldest`/`latest` (exclusive unless `inclusive`); metadata only with `include_all_metadata`. `ts` is
        the parent's or any reply's (Slack's reference: "a thread's parent message or a message in the
        thread"); one that names no message is `thread_not_found`; a cursor pages on."""
        channel = self._channel(args["channel"])
        try:
            limit = int(args.get("limit") or 1000)
            oldest = float(args.get("oldest") or 0)
            latest = float(args["latest"]) if _present(args, "latest") else math.inf
            cursor = str(args.get("cursor") or "")
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
            parent_ts = str(args["ts"])
            float(parent_ts)
        except ValueError:
            raise _ApiError("invalid_arguments") from None
        if not 1 <= limit <= 1000:
            raise _ApiError("invalid_limit")
        stored = self._messages.get(channel.id, [])
        named = next((m for m in stored if m["ts"] == parent_ts), None)
        if named is None:
            raise _ApiError("thread_not_found")
        parent_ts = str(named.get("thread_ts") or named["ts"])  # a reply's ts names its whole thread
        parent = next((m for m in stored if m["ts"] == parent_ts), named)
        inclusive = _flag(args.get("inclusive"))

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        replies = [m for m in stored if m.get("thread_ts") == parent_ts and m is not parent]
        found = [parent] + [m for m in replies if within(float(m["ts"]))]
        page = found[start : start + limit]
        more = start + limit < len(found)
        with_metadata = _flag(args.get("include_all_metadata"))
        messages = []
        for message in page:
            shown = _public(message)
            if message is parent:
                shown["thread_ts"] = parent_ts
                shown["reply_count"] = len(replies)
            if not with_metadata:
                shown.pop("metadata", None)
            messages.append(shown)
        next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
        return {"messages": messages, "has_more": more, "response_metadata": {"next_cursor": next_cursor}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(args["user"]))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": self._user_object(user, include_locale=_flag(args.get("include_locale")))}

    def _usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = self._usergroups.get(str(args["usergroup"]))
        if users is None:
            raise _ApiError("no_such_subteam")
        return {"users": list(users)}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._checked_view(args, kind="modal")
        self._check_external_id(view)
        return {"view": copy.deepcopy(self._new_view(view))}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._checked_view(args, kind="modal")
        self._check_external_id(view)
        return {"view": copy.deepcopy(self._new_view(view))}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if _present(args, "view_id"):
            current = self.views.get(str(args["view_id"]))
        elif _present(args, "external_id"):
            current = next((v for v in self.views.values() if v["external_id"] == args["external_id"]), None)
        else:
            raise _invalid_arguments(["missing required field: view_id or external_id"])
        if current is None:
            raise _ApiError("not_found")
        view = self._checked_view(args, kind=current["type"])
        self._check_hash(current, args)
        self._check_external_id(view, allow=current["id"])
        updated = self._new_view(
            view,
            view_id=current["id"],
            root_view_id=current["root_view_id"],
            previous_view_id=current["previous_view_id"],
        )
        for user_id, home in list(self.home_views.items()):
            if home["id"] == current["id"]:
                self.home_views[user_id] = updated
        return {"view": copy.deepcopy(updated)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args["user_id"])
        view = self._checked_view(args, kind="home")
        current = self.home_views.get(user_id)
        if current is not None:
            self._check_hash(current, args)
        published = self._new_view(view, view_id=current["id"] if current else None)
        self.home_views[user_id] = published
        return {"view": copy.deepcopy(published)}

    def _files_get_upload_url_external(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            raise _invalid_arguments(["must be an integer [json-pointer:/length]"]) from None
        if length < 1:
            raise _invalid_arguments(["must be greater than 0 [json-pointer:/length]"])
        file_id = self._next_id("F")
        self._pending_uploads[file_id] = {
            "filename": str(args["filename"]),
            "length": length,
            "alt_txt": args.get("alt_txt"),
            "content": None,
        }
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if (
            not isinstance(files, list)
            or not files
            or not all(isinstance(f, dict) and f.get("id") for f in files)
        ):
            raise _invalid_arguments(
                ["must be a non-empty array of objects with an id [json-pointer:/files]"]
            )
        for entry in files:
            pending = self._pending_uploads.get(str(entry["id"]))
            if pending is None or pending["content"] is None:
                raise _ApiError("file_not_found")
        targets: list[_Channel] = []
        if _present(args, "channel_id"):
            targets.append(self._channel(args["channel_id"]))
        if _present(args, "channels"):
            targets += [self._channel(c.strip(), allow_user=True) for c in str(args["channels"]).split(",")]
        if _present(args, "thread_ts") and len(targets) > 1:
            raise _invalid_arguments(["thread_ts needs exactly one channel"])
        initial_comment = str(args.get("initial_comment") or "")
        shared: list[dict[str, Any]] = []
        answer: list[dict[str, Any]] = []
        for entry in files:
            file_id = str(entry["id"])
            pending = self._pending_uploads.pop(file_id)
            title = str(entry.get("title") or pending["filename"])
            self.uploaded_files[file_id] = {
                "filename": pending["filename"],
                "length": pending["length"],
                "content": pending["content"],
                "title": title,
                "channel_id": targets[0].id if targets else None,
                "initial_comment": initial_comment or None,
            }
            shared.append(
                {
                    "id": file_id,
                    "name": pending["filename"],
                    "title": title,
                    "size": len(pending["content"]),
                    "user": self.bot_user_id,
                }
            )
            answer.append({"id": file_id, "title": title})
        for channel in targets:
            message: dict[str, Any] = {
                "text": initial_comment,
                "files": copy.deepcopy(shared),
                "upload": True,
            }
            if _present(args, "thread_ts"):
                message["thread_ts"] = str(args["thread_ts"])
            self._store_message(channel, message)
        return {"files": answer}


SlackStandIn = FakeSlack  # the name the playground uses; tests know it as FakeSlack
