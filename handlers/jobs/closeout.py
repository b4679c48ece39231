"""The close-out report's files: rendered off the event loop, uploaded with files v2 (PDF with the charts, and
Markdown) into the team channel (internal version) or under the sign-off message (client version)."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.closeout import Closeout
from bot.reports.closeout import ReportFile, render_files
from handlers.jobs.digest import SLACK_FAILURES, failure_reason

log = logging.getLogger(__name__)


async def files_of(report: Closeout, *, view: str, title: str) -> list[ReportFile]:
    return await asyncio.to_thread(render_files, report, view=view, title=title)


async def upload_report(
    client: AsyncWebClient,
    channel_id: str,
    report: Closeout,
    *,
    view: str,
    title: str,
    comment: str,
    thread_ts: str | None = None,
) -> str | None:
    """Upload both files; returns None when they went up, else the reason (the caller says so)."""
    files = await files_of(report, view=view, title=title)
    try:
        await client.files_upload_v2(
            channel=channel_id,
            file_uploads=[{"content": f.content, "filename": f.filename, "title": f.title} for f in files],
            initial_comment=comment,
            thread_ts=thread_ts,
        )
    except SLACK_FAILURES as exc:
        reason = failure_reason(exc)
        log.warning("close-out report upload to %s failed: %s", channel_id, reason)
        return reason
    return None
