"""Projects: setting one up in a channel, its settings, and binding its client channel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays as holidays_lib
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.when import DATE_ORDERS
from bot.errors import Refusal, UsageError
from bot.grammar import ParsedCommand
from bot.i18n import Lang, normalise_lang
from bot.policy import Action, Place, Viewer, may
from storage.models import Project
from storage.repo import audit, projects

MAX_NAME = 200


def parse_tz(text: str) -> str:
    """An IANA zone name, matched case-insensitively (`asia/shanghai` is what people type)."""
    candidate = text.strip()
    try:
        ZoneInfo(candidate)
        return candidate
    except (ZoneInfoNotFoundError, ValueError):
        pass
    by_lower = {name.lower(): name for name in available_timezones()}
    found = by_lower.get(candidate.lower())
    if found is None:
        raise UsageError("project.bad_tz", "project.example_tz", tz=candidate[:64])
    return found


def parse_lang(text: str) -> Lang:
    low = text.strip().lower()
    if low in {"en", "english", "英文", "英语"}:
        return "en"
    if low in {"zh", "zh-cn", "cn", "chinese", "中文", "汉语"}:
        return "zh"
    raise UsageError("project.bad_lang", "project.example_lang", lang=text[:32])


def parse_holidays(text: str) -> str | None:
    code = text.strip().upper()
    if code in {"NONE", "OFF", "无", "关"}:
        return None
    if code not in holidays_lib.list_supported_countries():
        raise UsageError("project.bad_holidays", "project.example_holidays", code=text[:16])
    return code


def _name(value: str | None, *, key: str) -> str:
    text = (value or "").strip()
    if not text:
        raise UsageError("project.missing_option", "cmd.project.setup.example", option=key)
    if len(text) > MAX_NAME:
        raise UsageError("project.too_long", "cmd.project.setup.example", option=key, limit=MAX_NAME)
    return text


@dataclass(frozen=True)
class ProjectSetup:
    name: str
    client_name: str
    tz: str
    lang: Lang


def read_setup(parsed: ParsedCommand, *, default_lang: Lang) -> ProjectSetup:
    """Validate `/project setup` options before anything is written."""
    return ProjectSetup(
        name=_name(parsed.opt("name"), key="name"),
        client_name=_name(parsed.opt("client"), key="client"),
        tz=parse_tz(parsed.opt("tz") or "UTC"),
        lang=parse_lang(lang) if (lang := parsed.opt("lang")) else default_lang,
    )


def parse_morning(text: str) -> int:
    """`9:00`, `8:30`, `9`: when action item reminders go out, as minutes after midnight."""
    hour, _, minute = text.strip().replace("：", ":").partition(":")
    if hour.isdigit() and (minute == "" or (minute.isdigit() and len(minute) == 2)):
        value = int(hour) * 60 + int(minute or 0)
        if int(hour) < 24 and int(minute or 0) < 60:
            return value
    raise UsageError("project.bad_morning", "project.example_morning", value=text[:16])


CLEAR_WORDS = {"none", "nobody", "clear", "无", "清除", "不限"}
MAX_NUDGE_DAYS = 30


def read_settings(parsed: ParsedCommand) -> dict[str, object]:
    changes: dict[str, object] = {}
    if parsed.opt("name") is not None:
        changes["name"] = _name(parsed.opt("name"), key="name")
    if parsed.opt("client") is not None:
        changes["client_name"] = _name(parsed.opt("client"), key="client")
    if (tz := parsed.opt("tz")) is not None:
        changes["tz"] = parse_tz(tz)
    if (lang := parsed.opt("lang")) is not None:
        changes["lang"] = parse_lang(lang)
    if (code := parsed.opt("holidays")) is not None:
        changes["holidays"] = parse_holidays(code)
    if (approvers := parsed.options.get("approvers")) is not None:
        if approvers.users:
            changes["approvers"] = list(dict.fromkeys(approvers.users))
        elif approvers.text.strip().lower() in CLEAR_WORDS:
            changes["approvers"] = []
        else:
            raise UsageError("project.bad_approvers", "project.example_approvers")
    if (order := parsed.opt("dates")) is not None:
        if order.strip().lower() not in DATE_ORDERS:
            raise UsageError("project.bad_date_order", "project.example_date_order", value=order[:16])
        changes["date_order"] = order.strip().lower()
    if (nudge := parsed.opt("signoff_nudge")) is not None:
        if not nudge.strip().isdigit() or not 1 <= int(nudge) <= MAX_NUDGE_DAYS:
            raise UsageError(
                "project.bad_nudge", "project.example_nudge", value=nudge[:16], limit=MAX_NUDGE_DAYS
            )
        changes["signoff_nudge"] = int(nudge)
    if (morning := parsed.opt("morning")) is not None:
        changes["morning"] = parse_morning(morning)
    if (response := parsed.opt("response")) is not None:
        from bot.domain.issues import read_targets  # the issue log's response targets

        changes["issue_targets"] = read_targets(response)
    from bot.domain.review import read_settings as read_review  # review before the client (review.py)

    changes.update(read_review(parsed.opt("review"), parsed.opt("review_lead")))
    if not changes:
        raise UsageError("project.no_settings", "cmd.project.settings.example")
    return changes


@dataclass(frozen=True)
class SetupOutcome:
    project: Project
    created: bool


async def setup_project(
    session: AsyncSession, *, viewer: Viewer, place: Place, workspace_id: int, setup: ProjectSetup
) -> SetupOutcome:
    """Bind the channel as a project's internal channel; running it again updates the project."""
    if not may(viewer, place, Action.ADMIN):
        raise Refusal()
    if place.shared:
        raise UsageError("project.internal_is_shared", "cmd.project.setup.example")
    binding = await projects.find_binding(session, workspace_id=workspace_id, channel_id=place.channel_id)
    values = {"name": setup.name, "client_name": setup.client_name, "tz": setup.tz, "lang": setup.lang}
    if binding is not None:
        if binding.channel.role != projects.INTERNAL:
            raise UsageError("project.channel_is_client", "cmd.project.setup.example")
        before = {k: getattr(binding.project, k) for k in values}
        project = await projects.update_project(session, project=binding.project, changes=dict(values))
        changed = {k: [before[k], v] for k, v in values.items() if before[k] != v}
        if changed:
            await _audit(session, viewer, project, "project.update", changed)
        return SetupOutcome(project=project, created=False)
    project = await projects.create_project(
        session,
        workspace_id=workspace_id,
        channel_id=place.channel_id,
        name=setup.name,
        client_name=setup.client_name,
        tz=setup.tz,
        lang=setup.lang,
        created_by=viewer.user_id,
    )
    await _audit(session, viewer, project, "project.setup", {**values, "internal_channel": place.channel_id})
    return SetupOutcome(project=project, created=True)


async def change_settings(
    session: AsyncSession, *, viewer: Viewer, place: Place, project: Project, changes: dict[str, object]
) -> Project:
    if not may(viewer, place, Action.ADMIN):
        raise Refusal()
    before = {k: getattr(project, k) for k in changes}
    if changes.get("issue_targets"):  # the severities named change; the others keep their targets
        named = dict(changes["issue_targets"])  # type: ignore[call-overload]
        changes = {**changes, "issue_targets": {**(project.issue_targets or {}), **named}}
    project = await projects.update_project(session, project=project, changes=changes)
    await _audit(
        session, viewer, project, "project.settings", {k: [before[k], v] for k, v in changes.items()}
    )
    return project


async def bind_client_channel(
    session: AsyncSession,
    *,
    viewer: Viewer,
    place: Place,
    workspace_id: int,
    project: Project,
    is_ext_shared: bool,
) -> None:
    if not may(viewer, place, Action.ADMIN):
        raise Refusal()
    assert project.id is not None
    await projects.bind_client_channel(
        session,
        workspace_id=workspace_id,
        project_id=project.id,
        channel_id=place.channel_id,
        is_ext_shared=is_ext_shared,
        added_by=viewer.user_id,
    )
    await _audit(
        session,
        viewer,
        project,
        "project.client_channel",
        {"channel": place.channel_id, "is_ext_shared": is_ext_shared},
    )


async def _audit(
    session: AsyncSession, viewer: Viewer, project: Project, action: str, changes: Mapping[str, object]
) -> None:
    assert project.id is not None
    await audit.append(
        session,
        audit.entry(
            workspace_id=project.workspace_id,
            project_id=project.id,
            actor_user_id=viewer.user_id,
            actor_team_id=viewer.team_id,
            action=action,
            changes=dict(changes),
        ),
    )


def lang_of(project: Project | None, text: str = "") -> Lang:
    """The reply language: Chinese when the user typed Chinese, else the project's, else English."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "zh"
    return normalise_lang(project.lang if project else None)
