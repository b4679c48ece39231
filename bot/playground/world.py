"""The playground's world: the real app on a loopback port, the Slack stand-in it talks to, a movable clock,
and what each simulated person would see in Slack (channels, ephemerals, modals, App Home, DMs)."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import copy
import itertools
import json
import logging
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp
import uvicorn
from slack_sdk.signature import SignatureVerifier

from bot.commands import REGISTRY
from bot.domain import checkins, review
from bot.domain import schedules as engine
from bot.mrkdwn import escape_all
from bot.playground.standin import SlackStandIn
from bot.runtime import Runtime
from bot.server import bind_socket, uvicorn_config
from bot.settings import Settings
from storage.models import Project, Schedule

log = logging.getLogger(__name__)

Lang = Literal["en", "zh"]

BOT_TOKEN = "xoxb-playground-local"
HOME_TEAM = "T0HOME"
CLIENT_TEAM = "T0ACME"
APP_ID = "A0LIAISON"
INTERNAL_CHANNEL = "C0INTERNAL"
SHARED_CHANNEL = "C0SHARED"
ALICE, BOB, CAROL = "U0ALICE", "U0BOB", "U0CAROL"
PROJECT_TZ = "Asia/Shanghai"

SETTLE_QUIET = 0.25  # seconds without a new Slack call before the app is considered done
SETTLE_MAX = 8.0


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: dict[str, str]
    team: str
    tz: str
    locale: dict[str, str]

    @property
    def is_client(self) -> bool:
        return self.team != HOME_TEAM


PEOPLE = (
    Person(
        ALICE,
        "alice",
        {"en": "Alice Wang", "zh": "王爱丽"},
        HOME_TEAM,
        "Asia/Shanghai",
        {"en": "en-US", "zh": "zh-CN"},
    ),
    Person(
        BOB,
        "bob",
        {"en": "Bob Smith", "zh": "李博"},
        HOME_TEAM,
        "Europe/Berlin",
        {"en": "en-US", "zh": "zh-CN"},
    ),
    Person(
        CAROL,
        "carol",
        {"en": "Carol Client", "zh": "陈卡罗"},
        CLIENT_TEAM,
        "America/New_York",
        {"en": "en-US", "zh": "zh-CN"},
    ),
)
PEOPLE_BY_ID = {p.id: p for p in PEOPLE}
CHANNELS = (
    (INTERNAL_CHANNEL, "acme-internal", False, (ALICE, BOB)),
    (SHARED_CHANNEL, "acme-shared", True, (ALICE, BOB, CAROL)),
)
CHANNEL_NAMES = {cid: name for cid, name, _shared, _members in CHANNELS}


EVENT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "sync": "Sync reminder",
        "checkin": "Check-in",
        "digest": "Digest",
        "nudge": "Check-in nudge",
        "summary": "Check-in summary",
        "review": "Review preview",
    },
    "zh": {
        "sync": "例会提醒",
        "checkin": "签到",
        "digest": "简报",
        "nudge": "签到催办",
        "summary": "签到汇总",
        "review": "发送前预览",
    },
}


# What a client user is told when they try a slash command (the page disables the box with the same words).
CLIENT_NO_COMMANDS: dict[str, str] = {
    "en": "In Slack Connect, clients use Liaison's buttons (the panel in the shared channel and the buttons on "
    "Liaison's messages), not its slash commands.",
    "zh": "在 Slack Connect 中，客户使用 Liaison 的按钮（共享频道里的面板和消息上的按钮），不能使用它的斜杠命令。",
}


class PlaygroundError(Exception):
    """Something the page asked for that cannot be done (an unknown command, a vanished message)."""


class MovableClock:
    """Real time plus an offset the page moves forward; remembers when each offset began."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self._history: list[tuple[float, timedelta]] = [(0.0, timedelta(0))]

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> datetime:
        self.offset += max(delta, timedelta(0))
        self._history.append((time.time(), self.offset))
        return self()

    def at_real(self, real: float) -> datetime:
        """The simulated time at a real moment (a message's ts): the offset in force then."""
        index = bisect.bisect_right([t for t, _ in self._history], real) - 1
        return datetime.fromtimestamp(real, UTC) + self._history[max(index, 0)][1]


@dataclass(frozen=True)
class AppAnswer:
    """The app's HTTP answer to what Slack sent it (an ack may carry a reply or a response_action)."""

    status_code: int
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass
class Origin:
    """Where a response_url came from: who acted, in which channel, on what."""

    user: str
    channel: str
    target: str | None = None  # the item a button was on (for replace_original / delete_original)


@dataclass
class Post:
    """A message the stand-in does not keep itself: a response_url reply, or the echo of a command."""

    id: str
    channel: str
    ts: float
    message: dict[str, Any]
    only_for: str | None  # ephemeral: only this person sees it
    author: str | None = None  # a person (the command echo); None is the app


@dataclass
class ModalStack:
    views: list[str] = field(default_factory=list)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)


class Playground:
    """Everything `liaison playground` runs, started and stopped as one."""

    def __init__(self, *, lang: Lang = "en", db_path: Path, seed: bool = True) -> None:
        self.lang: Lang = lang
        self.db_path = db_path
        self.seed_on_start = seed
        self.secret = secrets.token_hex(16)
        self.lock = asyncio.Lock()
        self._running = False

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        self._fresh_state()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        self.slack = SlackStandIn(
            bot_token=BOT_TOKEN, team_id=HOME_TEAM, team_name="Home Co", app_id=APP_ID
        ).start()
        self._populate()
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=self.secret,
            slack_api_url=self.slack.base_url,
            database_url=f"sqlite+aiosqlite:///{self.db_path}",
            _env_file=None,
        )
        self.clock = MovableClock()
        self.runtime = Runtime(settings, mode="http", clock=self.clock)
        sock = bind_socket("127.0.0.1", 0)
        self._sock = sock
        self.app_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        server = uvicorn.Server(uvicorn_config(self.runtime, host="127.0.0.1", port=sock.getsockname()[1]))
        # Only the page server listens for Ctrl-C; it stops this one through `stop()`.
        server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        self._server = server
        self._serve_task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if self._serve_task.done():
                self._serve_task.result()
                raise RuntimeError("the app stopped while starting")
            await asyncio.sleep(0.01)
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        self._running = True
        if self.seed_on_start:
            from bot.playground.seed import seed

            await seed(self)

    async def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        await self.http.close()
        self._server.should_exit = True
        await self._serve_task
        self._sock.close()
        self.slack.stop()

    async def reset(self) -> None:
        await self.stop()
        await self.start()

    def _fresh_state(self) -> None:
        self._posts: list[Post] = []
        self._overrides: dict[str, dict[str, Any] | None] = {}
        self._origins: dict[str, Origin] = {}
        self._triggers: dict[str, str] = {}
        self._modals: dict[str, ModalStack] = {}
        self._view_overrides: dict[str, dict[str, Any]] = {}
        self._cursor = {"response_url": 0, "views.open": 0, "views.push": 0, "views.update": 0}
        self._ids = itertools.count(1)
        self.log: list[str] = []

    def _populate(self) -> None:
        for person in PEOPLE:
            self.slack.add_user(
                person.id,
                team_id=person.team,
                name=person.name,
                real_name=person.real_name[self.lang],
                tz=person.tz,
                locale=person.locale[self.lang],
            )
            self.slack.add_channel(f"D{person.id[1:]}", members=(person.id, self.slack.bot_user_id))
        for cid, name, shared, members in CHANNELS:
            self.slack.add_channel(cid, name=name, is_shared=shared, is_ext_shared=shared, members=members)

    @property
    def svc(self) -> Any:
        return self.runtime.svc

    # ---------------------------------------------------------------- what Slack sends the app

    async def _post_signed(self, body: bytes, content_type: str) -> AppAnswer:
        ts = str(int(time.time()))
        signature = SignatureVerifier(self.secret).generate_signature(timestamp=ts, body=body)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or "",
        }
        async with self.http.post(f"{self.app_url}/slack/events", data=body, headers=headers) as response:
            return AppAnswer(status_code=response.status, content=await response.read())

    async def _interaction(self, payload: dict[str, Any]) -> AppAnswer:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self._post_signed(body, "application/x-www-form-urlencoded")

    def _trigger(self, user: str) -> str:
        trigger = f"{next(self._ids)}.{uuid.uuid4().hex[:12]}"
        self._triggers[trigger] = user
        return trigger

    def _response_url(self, origin: Origin) -> str:
        key = f"pg-{next(self._ids)}"
        self._origins[key] = origin
        return self.slack.response_url(key)

    def _user_object(self, user: str) -> dict[str, str]:
        person = PEOPLE_BY_ID[user]
        return {"id": user, "team_id": person.team, "username": person.name, "name": person.name}

    async def settle(self) -> None:
        """Wait until the app has stopped calling Slack: every reply of an action has arrived."""
        deadline = time.monotonic() + SETTLE_MAX
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.slack.calls)
            if count != seen:
                seen, quiet_since = count, time.monotonic()
            elif time.monotonic() - quiet_since >= SETTLE_QUIET and self.svc.tasks.running == 0:
                break
            await asyncio.sleep(0.03)
        self._absorb()

    def escape(self, text: str) -> str:
        """What Slack does to a command's text with should_escape: `&`, `<` and `>` as `&amp;`, `&lt;` and
        `&gt;` (a typed `<slips>` is text, not an entity), then @name and #channel as <@U…|name>, <#C…|name>."""
        text = escape_all(text)
        people = {p.name: p.id for p in PEOPLE}
        channels = {name: cid for cid, name in CHANNEL_NAMES.items()}

        def user(match: re.Match[str]) -> str:
            uid = people.get(match.group(1).lower())
            return f"<@{uid}|{match.group(1)}>" if uid else match.group(0)

        def channel(match: re.Match[str]) -> str:
            cid = channels.get(match.group(1).lower())
            return f"<#{cid}|{match.group(1)}>" if cid else match.group(0)

        text = re.sub(r"(?<![\w<|/])@([A-Za-z][\w.-]*)", user, text)
        return re.sub(r"(?<![\w<|&])#([a-z0-9][\w-]*)", channel, text)

    async def command(self, user: str, channel: str, line: str) -> dict[str, Any]:
        """Send `/cmd text` as Slack would (a signed form), and wait for what the app does."""
        self._check_person(user)
        self._check_channel(user, channel)
        # Slack Connect: the app is installed in the team's organisation only, so clients use its buttons.
        if PEOPLE_BY_ID[user].is_client:
            raise PlaygroundError(CLIENT_NO_COMMANDS[self.lang])
        line = line.strip()
        match = re.match(r"(/\S+)\s*(.*)", line, re.DOTALL)
        if match is None:
            raise PlaygroundError("Type a slash command, such as /liaison help.")
        command, text = match.group(1).lower(), match.group(2)
        self._add_post(channel, {"text": line}, only_for=user, author=user)
        if command not in REGISTRY:
            self._add_post(
                channel,
                {"text": f"{command} is not a valid command. In Slack, /liaison help lists them."},
                only_for=user,
            )
            return {"ok": False, "error": "unknown_command"}
        person = PEOPLE_BY_ID[user]
        form = {
            "token": "playground",
            "team_id": person.team,
            "team_domain": "home" if person.team == HOME_TEAM else "acme",
            "channel_id": channel,
            "channel_name": CHANNEL_NAMES.get(channel, "directmessage"),
            "user_id": user,
            "user_name": person.name,
            "command": command,
            "text": self.escape(text),
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self._response_url(Origin(user=user, channel=channel)),
            "trigger_id": self._trigger(user),
        }
        response = await self._post_signed(urlencode(form).encode(), "application/x-www-form-urlencoded")
        if response.status_code == 200 and response.content.strip():
            # A listener may answer in the HTTP response itself; Slack shows that as a reply too.
            try:
                body = response.json()
            except ValueError:
                body = {"text": response.content.decode(errors="replace")}
            if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
                self._reply(Origin(user=user, channel=channel), body)
        await self.settle()
        return {"ok": response.status_code == 200, "status": response.status_code}

    async def click(
        self, user: str, item_id: str, action: dict[str, Any], values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Press a button (or choose an option) in a message, a modal or the Home tab: a signed block_actions."""
        self._check_person(user)
        self._absorb()
        action = {**action, "action_ts": f"{time.time():.6f}"}
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": HOME_TEAM, "domain": "home"},
            "user": self._user_object(user),
            "api_app_id": APP_ID,
            "token": "playground",
            "trigger_id": self._trigger(user),
            "actions": [action],
            "is_enterprise_install": False,
        }
        if item_id.startswith("view:"):
            view = self._view(item_id.removeprefix("view:"))
            if view is None:
                raise PlaygroundError("That view is no longer open.")
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = {**view, "state": {"values": values or {}}}
        else:
            found = self._find_item(user, item_id)
            if found is None:
                raise PlaygroundError("That message is no longer there.")
            channel, message, ephemeral = found
            payload["container"] = {
                "type": "message",
                "message_ts": message.get("ts", ""),
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": CHANNEL_NAMES.get(channel, "directmessage")}
            payload["message"] = message
            payload["response_url"] = self._response_url(Origin(user=user, channel=channel, target=item_id))
        response = await self._interaction(payload)
        await self.settle()
        return {"ok": response.status_code == 200, "status": response.status_code}

    async def submit(self, user: str, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit the open modal: a signed view_submission; errors come back in the HTTP response."""
        self._check_person(user)
        self._absorb()
        stack = self._modals.setdefault(user, ModalStack())
        view = self._view(view_id)
        if view is None or view_id not in stack.views:
            raise PlaygroundError("That form is no longer open.")
        payload = {
            "type": "view_submission",
            "team": {"id": HOME_TEAM, "domain": "home"},
            "user": self._user_object(user),
            "api_app_id": APP_ID,
            "token": "playground",
            "trigger_id": self._trigger(user),
            "view": {**view, "state": {"values": values}},
            "response_urls": [],
            "is_enterprise_install": False,
        }
        response = await self._interaction(payload)
        answer: dict[str, Any] = {}
        if response.content.strip():
            try:
                answer = response.json()
            except ValueError:
                answer = {}
        action = answer.get("response_action")
        stack.errors.pop(view_id, None)
        if response.status_code != 200:
            stack.errors[view_id] = {"": f"The app answered HTTP {response.status_code}."}
        elif action == "errors":
            stack.errors[view_id] = {str(k): str(v) for k, v in (answer.get("errors") or {}).items()}
        elif action == "update" and isinstance(answer.get("view"), dict):
            self._view_overrides[view_id] = {**view, **answer["view"], "id": view_id}
        elif action == "push" and isinstance(answer.get("view"), dict):
            pushed = f"VP{next(self._ids):06d}"
            self._view_overrides[pushed] = {**answer["view"], "id": pushed}
            stack.views.append(pushed)
        elif action == "clear":
            stack.views.clear()
        else:
            stack.views.remove(view_id)
        await self.settle()
        return {
            "ok": response.status_code == 200,
            "response_action": action,
            "errors": stack.errors.get(view_id),
        }

    async def close_modal(self, user: str, view_id: str | None = None, *, clear: bool = False) -> list[str]:
        """Close a form as Slack does: Cancel closes the top view (`view_id`), × or a reload of the page
        (`clear`) the whole stack. The app hears a signed `view_closed` for each closed view that asked for it
        (`notify_on_close`); returns those views' ids."""
        self._check_person(user)
        self._absorb()
        stack = self._modals.setdefault(user, ModalStack())
        if clear:
            closing = list(reversed(stack.views))
        else:
            closing = [view_id] if view_id is not None and view_id in stack.views else []
        notified = []
        for closed in closing:
            stack.views.remove(closed)
            stack.errors.pop(closed, None)
            view = self._view(closed)
            if view is None or not view.get("notify_on_close"):
                continue
            payload = {
                "type": "view_closed",
                "team": {"id": HOME_TEAM, "domain": "home"},
                "user": self._user_object(user),
                "api_app_id": APP_ID,
                "token": "playground",
                "view": view,
                "is_cleared": clear,
                "is_enterprise_install": False,
            }
            response = await self._interaction(payload)
            if response.status_code != 200:
                raise PlaygroundError(f"The app answered HTTP {response.status_code} to view_closed.")
            notified.append(closed)
        if notified:
            await self.settle()
        return notified

    async def close_all_modals(self) -> list[str]:
        """What reloading the page does: every open form closes (a form is never brought back)."""
        notified = []
        for user, stack in list(self._modals.items()):
            if stack.views:
                notified += await self.close_modal(user, clear=True)
        return notified

    async def open_home(self, user: str) -> None:
        """Open the app's Home tab: the app_home_opened event Slack sends (JSON, signed)."""
        self._check_person(user)
        now = time.time()
        body = json.dumps(
            {
                "token": "playground",
                "team_id": HOME_TEAM,
                "api_app_id": APP_ID,
                "type": "event_callback",
                "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}",
                "event_time": int(now),
                "authorizations": [{"team_id": HOME_TEAM, "user_id": self.slack.bot_user_id, "is_bot": True}],
                "event": {
                    "type": "app_home_opened",
                    "user": user,
                    "channel": f"D{user[1:]}",
                    "tab": "home",
                    "event_ts": f"{now:.6f}",
                },
            }
        ).encode()
        await self._post_signed(body, "application/json")
        await self.settle()

    # ---------------------------------------------------------------- the clock

    async def next_event(self) -> tuple[datetime, str] | None:
        """The next time something scheduled fires: a schedule (minus its lead), or a check-in follow-up."""
        now = self.clock()
        found: list[tuple[datetime, str]] = []
        async with self.svc.sessions() as session:
            ids = await engine.active_schedule_ids(session)
            rows = [await session.get(Schedule, i) for i in ids]
            followups = await checkins.pending_followups(session, now=now)
            reviewed = {row.id: await self._review_lead(session, row) for row in rows if row is not None}
            # A preview already due (review turned on inside its lead) posts at the next look, as the
            # scheduler's minute would: stop there first.
            due_now = {d.schedule_id for d in await review.previews_due(session, now=now)}
            # An occurrence already handled (sent early with Send now, skipped) fires no more: look past it,
            # as the engine does, so the Next line moves on as soon as the action is taken.
            handled = {
                row.id: await engine.last_handled(session, schedule_id=row.id)
                for row in rows
                if row is not None and row.id is not None
            }
        for row in rows:
            if row is None:
                continue
            if row.id in due_now:
                found.append((now, f"{self._label('review')} S-{row.number}"))
            lead = engine.lead_of(row)
            done = handled.get(row.id)
            after = max(now + lead, done) if done is not None else now + lead
            upcoming = engine.upcoming(row, after=after, count=1)
            if upcoming:
                found.append(
                    (upcoming[0] - lead, f"{self._label(row.kind)} S-{row.number} {row.title}".strip())
                )
                # Stop at the team's preview too, or a jump to the post itself would pass it unseen.
                review_lead = reviewed.get(row.id)
                if review_lead is not None and upcoming[0] - lead - review_lead > now:
                    found.append(
                        (upcoming[0] - lead - review_lead, f"{self._label('review')} S-{row.number}")
                    )
        for occurrence, schedule in followups:
            if occurrence.followup_at is None:
                nudge = checkins.nudge_at(schedule, occurrence.occurs_at)
                if nudge > now:
                    found.append((nudge, f"{self._label('nudge')} S-{schedule.number}"))
            deadline = occurrence.occurs_at + checkins.deadline_of(schedule)
            if deadline > now:
                found.append((deadline, f"{self._label('summary')} S-{schedule.number}"))
        return min(found, key=lambda f: f[0]) if found else None

    @staticmethod
    async def _review_lead(session: Any, row: Schedule) -> timedelta | None:
        """How long before its post the team previews this schedule's client post, or None (no review)."""
        if row.kind not in review.KINDS:
            return None
        project = await session.get(Project, row.project_id)
        if project is None or project.review == review.OFF or project.archived_at is not None:
            return None
        if not await review.client_facing(session, row):
            return None
        return timedelta(minutes=project.review_lead)

    async def advance(self, how: str) -> dict[str, Any]:
        """Move the clock ("next", "hour", "day") and run everything that became due, as the scheduler would."""
        label = None
        if how == "next":
            upcoming = await self.next_event()
            if upcoming is None:
                return {"ok": False, "error": "nothing_scheduled"}
            at, label = upcoming
            self.clock.advance(at - self.clock() + timedelta(seconds=1))
        elif how == "hour":
            self.clock.advance(timedelta(hours=1))
        elif how == "day":
            self.clock.advance(timedelta(days=1))
        else:
            raise PlaygroundError(f"unknown clock move: {how}")
        before = len(self.slack.calls)
        results = await self.svc.runner.run_all()
        await self.settle()
        posted = [c.method for c in self.slack.calls[before:] if c.method.startswith("chat.")]
        return {
            "ok": True,
            "now": self.clock().isoformat(),
            "event": label,
            "results": results,
            "posted": len(posted),
        }

    # ---------------------------------------------------------------- what people see

    def _check_person(self, user: str) -> None:
        if user not in PEOPLE_BY_ID:
            raise PlaygroundError(f"unknown user {user}")

    def _check_channel(self, user: str, channel: str) -> None:
        if channel == f"D{user[1:]}":
            return
        members = {cid: m for cid, _n, _s, m in CHANNELS}.get(channel)
        if members is None or user not in members:
            raise PlaygroundError(f"{user} is not in channel {channel}")

    def _add_post(
        self, channel: str, message: dict[str, Any], *, only_for: str | None, author: str | None = None
    ) -> Post:
        post = Post(
            id=f"p:{next(self._ids)}",
            channel=channel,
            ts=time.time(),
            message=message,
            only_for=only_for,
            author=author,
        )
        self._posts.append(post)
        return post

    def _reply(self, origin: Origin, body: dict[str, Any]) -> None:
        """A response_url post, as Slack shows it: ephemeral unless in_channel; may replace or delete."""
        content = {k: v for k, v in body.items() if k in ("text", "blocks", "attachments")}
        target = origin.target
        if target is not None and body.get("delete_original"):
            self._overrides[target] = None
            return
        if target is not None and body.get("replace_original"):
            self._overrides[target] = content
            return
        in_channel = body.get("response_type") == "in_channel"
        self._add_post(origin.channel, content, only_for=None if in_channel else origin.user)

    def _absorb(self) -> None:
        """Fold in what the app sent since last time: response_url replies and opened/updated views."""
        calls = self.slack.calls_to("response_url")
        for call in calls[self._cursor["response_url"] :]:
            origin = self._origins.get(str(call.args.get("_key")))
            if origin is not None:
                self._reply(origin, {k: v for k, v in call.args.items() if k != "_key"})
        self._cursor["response_url"] = len(calls)
        for method in ("views.open", "views.push"):
            calls = self.slack.calls_to(method)
            for call in calls[self._cursor[method] :]:
                user = self._triggers.get(str(call.args.get("trigger_id")))
                if user is None:
                    continue
                stack = self._modals.setdefault(user, ModalStack())
                if method == "views.open":
                    stack.views.clear()
                stack.views.append(str(call.response["view"]["id"]))
            self._cursor[method] = len(calls)
        calls = self.slack.calls_to("views.update")
        for call in calls[self._cursor["views.update"] :]:
            self._view_overrides.pop(str(call.response["view"]["id"]), None)
        self._cursor["views.update"] = len(calls)

    def _view(self, view_id: str) -> dict[str, Any] | None:
        view = self._view_overrides.get(view_id) or self.slack.views.get(view_id)
        return copy.deepcopy(view) if view is not None else None

    def _items(self, user: str, channel: str) -> list[dict[str, Any]]:
        """Everything this person sees in a channel (or their DM), oldest first."""
        items: list[dict[str, Any]] = []
        for message in self.slack.messages(channel):
            items.append(
                self._item(f"m:{channel}:{message['ts']}", message, float(message["ts"]), None, None)
            )
        for eph in self.slack.ephemerals(channel):
            if eph["user"] == user:
                items.append(self._item(f"e:{eph['ts']}", eph, float(eph["ts"]), user, None))
        for post in self._posts:
            if post.channel == channel and post.only_for in (None, user):
                message = {**post.message, "ts": f"{post.ts:.6f}"}
                items.append(self._item(post.id, message, post.ts, post.only_for, post.author))
        shown = []
        for item in items:
            if item["id"] in self._overrides:
                replacement = self._overrides[item["id"]]
                if replacement is None:
                    continue
                item.update(
                    text=replacement.get("text", ""), blocks=replacement.get("blocks", []), edited=True
                )
            shown.append(item)
        return sorted(shown, key=lambda i: float(i["ts"]))

    def _item(
        self, item_id: str, message: dict[str, Any], ts: float, only_for: str | None, author: str | None
    ) -> dict[str, Any]:
        files = [
            {
                "id": f["id"],
                "title": f.get("title") or f.get("name", ""),
                "name": f.get("name") or f.get("title", ""),
                "url": f"/api/files/{f['id']}",
                # charts show inline; a PDF, a CSV or a Markdown file is a download, as in Slack
                "image": str(f.get("name") or "").lower().endswith((".png", ".jpg", ".jpeg", ".gif")),
            }
            for f in message.get("files") or []
        ]
        person = PEOPLE_BY_ID.get(author or "")
        return {
            "id": item_id,
            "ts": f"{ts:.6f}",
            "time": self._display(self.clock.at_real(ts), "%H:%M"),
            "author": person.real_name[self.lang] if person else "Liaison",
            "bot": person is None,
            "ephemeral": only_for is not None,
            "command": author is not None,
            "text": message.get("text", ""),
            "blocks": message.get("blocks") or [],
            "files": files,
            "edited": bool(message.get("edited")),
            "thread_ts": message.get("thread_ts") or None,  # a reply shows under the message it answers
        }

    def _find_item(self, user: str, item_id: str) -> tuple[str, dict[str, Any], bool] | None:
        channels = [cid for cid, _n, _s, _m in CHANNELS] + [f"D{user[1:]}"]
        for channel in channels:
            for item in self._items(user, channel):
                if item["id"] == item_id:
                    message = {
                        "type": "message",
                        "ts": item["ts"],
                        "text": item["text"],
                        "blocks": item["blocks"],
                    }
                    if not item["bot"]:
                        message["user"] = user
                    else:
                        message.update(user=self.slack.bot_user_id, bot_id=self.slack.bot_id, app_id=APP_ID)
                    return channel, message, bool(item["ephemeral"])
        return None

    def _label(self, kind: str) -> str:
        return EVENT_LABELS[self.lang].get(kind, kind)

    def _when(self, moment: datetime, *, year: bool) -> str:
        local = moment.astimezone(ZoneInfo(PROJECT_TZ))
        if self.lang == "zh":
            day = f"{local.month}月{local.day}日（周{'一二三四五六日'[local.weekday()]}）"
            return f"{local.year}年{day} {local:%H:%M}" if year else f"{day} {local:%H:%M}"
        return local.strftime("%a %d %b %Y %H:%M" if year else "%a %d %b %H:%M")

    def _display(self, moment: datetime, fmt: str) -> str:
        return moment.astimezone(ZoneInfo(PROJECT_TZ)).strftime(fmt)

    async def state(self, user: str) -> dict[str, Any]:
        """The page's whole picture for one person."""
        self._check_person(user)
        self._absorb()
        person = PEOPLE_BY_ID[user]
        upcoming = await self.next_event()
        stack = self._modals.get(user, ModalStack())
        modal = None
        while stack.views and self._view(stack.views[-1]) is None:
            stack.views.pop()
        if stack.views:
            top = stack.views[-1]
            modal = {"view": self._view(top), "errors": stack.errors.get(top, {}), "depth": len(stack.views)}
        home = self.slack.home_views.get(user)
        channels = [
            {
                "id": cid,
                "name": name,
                "shared": shared,
                "messages": self._items(user, cid),
            }
            for cid, name, shared, members in CHANNELS
            if user in members
        ]
        dm = f"D{user[1:]}"
        now = self.clock()
        return {
            "lang": self.lang,
            "viewer": {
                "id": user,
                "name": person.real_name[self.lang],
                "client": person.is_client,
                "commands": not person.is_client,  # as in Slack Connect: clients use buttons
            },
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "real_name": p.real_name[self.lang],
                    "client": p.is_client,
                    "tz": p.tz,
                }
                for p in PEOPLE
            ],
            "clock": {
                "now": now.isoformat(),
                "display": self._when(now, year=True),
                "tz": PROJECT_TZ,
                "next": (
                    {
                        "at": upcoming[0].isoformat(),
                        "display": self._when(upcoming[0], year=False),
                        "label": upcoming[1],
                    }
                    if upcoming
                    else None
                ),
            },
            "channels": channels,
            "dm": {"id": dm, "messages": self._items(user, dm)},
            "home": copy.deepcopy(home) if home else None,
            "modal": modal,
        }

    def file(self, file_id: str) -> tuple[bytes, str] | None:
        entry = self.slack.uploaded_files.get(file_id)
        if entry is None or entry.get("content") is None:
            return None
        return bytes(entry["content"]), str(entry.get("filename") or file_id)
