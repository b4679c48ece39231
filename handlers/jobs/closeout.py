"""The close-out report's slow side, after the command has answered: the lessons forms, and the files rendered
off the event loop and uploaded with files v2 (PDF with the charts, and Markdown) into the team channel
(internal version) or under the sign-off message (client version). A failure is told to whoever asked,
privately, where they asked."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.closeout import Closeout
from bot.i18n import t
from bot.reports.closeout import ReportFile, render_files
from bot.services import Services
from handlers.jobs.digest import SLACK_FAILURES, failure_reason
from handlers.jobs.lessons import send_lesson_forms
from storage.models import Project

log = logging.getLogger(__name__)

_RUNNING: set[asyncio.Task[None]] = set()  # a reference to each until it ends (the loop keeps only weak ones)


def after_reply(svc: Services, work: Coroutine[Any, Any, None]) -> None:
    """Run `work` once the command has answered; shutdown waits for it like for any listener's work."""

    async def run() -> None:
        svc.tasks.track_current()
        try:
            await work
        except Exception:  # the command already answered: log it, as the app's error handler would
            log.exception("close-out report work failed")

    task = asyncio.create_task(run())
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def files_of(report: Closeout, *, view: str, title: str) -> list[ReportFile]:
    return await asyncio.to_thread(render_files, report, view=view, title=title)


async def upload_report(
    client: AsyncWebClient,
    channel_id: str,
    report: Closeout,
    *,
    view: str,
    title: str,
    thread_ts: str | None = None,
) -> str | None:
    """Upload both files; returns None when they went up, else the reason."""
    files = await files_of(report, view=view, title=title)
    try:
        await client.files_upload_v2(
            channel=channel_id,
            file_uploads=[{"content": f.content, "filename": f.filename, "title": f.title} for f in files],
            initial_comment=title,
            thread_ts=thread_ts,
        )
    except SLACK_FAILURES as exc:
        reason = failure_reason(exc)
        log.warning("close-out report upload to %s failed: %s", channel_id, reason)
        return reason
    return None


async def _tell(client: AsyncWebClient, *, user_id: str, channel_id: str, text: str) -> None:
    try:
        await client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
    except SLACK_FAILURES as exc:
        log.warning("could not tell %s about the close-out report: %s", user_id, failure_reason(exc))


async def start_closing(
    svc: Services,
    client: AsyncWebClient,
    project: Project,
    *,
    forms: bool,
    report: Closeout | None,
    team_channel: str | None,
    asker: tuple[str, str, str],  # (user id, channel id, language) of whoever ran `/project close`
) -> None:
    """The lessons forms (the first time closing starts), then the internal report into the team channel."""
    if forms:
        sent = await send_lesson_forms(svc, client, project)
        log.info("close-out: lessons form sent to %d team members of project %s", sent, project.id)
    if report is None or team_channel is None:
        return
    title = t("closeout.files.internal", report.lang, today=report.today.isoformat())
    failed = await upload_report(client, team_channel, report, view="internal", title=title)
    if failed:
        user_id, channel_id, lang = asker
        text = t("closeout.preview.files_failed", lang, error=failed)
        await _tell(client, user_id=user_id, channel_id=channel_id, text=text)


async def attach_to_signoff(
    client: AsyncWebClient,
    report: Closeout,
    *,
    channel_id: str,
    ts: str,
    version: int,
    asker: tuple[str, str, str],
) -> None:
    """The client version's files, in the thread of the sign-off message they belong to."""
    title = t("closeout.files.client", report.lang, version=version)
    failed = await upload_report(client, channel_id, report, view=f"v{version}", title=title, thread_ts=ts)
    if failed:
        user_id, where, lang = asker
        await _tell(
            client,
            user_id=user_id,
            channel_id=where,
            text=t("closeout.preview.files_failed", lang, error=failed),
        )
