"""Scheduled posts: one poster per schedule kind, registered with the schedule runner."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.schedules import Delivery
from bot.services import Services
from handlers.jobs import (
    checkin,
    digest,
    given_up,
    housekeeping,
    issues,
    pulse,
    reminders,
    review,
    signoff,
    sync,
)


def install(svc: Services, client: AsyncWebClient) -> None:
    async def post_sync(schedule_id: int, occurs_at: datetime) -> Delivery:
        return await sync.post_sync_reminder(svc, client, schedule_id, occurs_at)

    svc.runner.register("sync", post_sync)

    async def post_checkin(schedule_id: int, occurs_at: datetime) -> Delivery:
        return await checkin.post_checkin_prompts(svc, client, schedule_id, occurs_at)

    async def checkin_followups(now: datetime) -> None:
        await checkin.checkin_followups(svc, client, now)

    svc.runner.register("checkin", post_checkin)
    svc.runner.add_followup(checkin_followups)

    svc.runner.register("digest", digest.DigestPoster(svc, client), reports_own_failures=True)

    async def report_given_up(occurrence_id: int) -> None:
        await given_up.report_given_up(svc, client, occurrence_id)

    svc.runner.reporter = report_given_up

    async def signoff_nudges(now: datetime) -> None:
        await signoff.signoff_nudges(svc, client, now)

    svc.runner.add_followup(signoff_nudges)

    async def issue_escalations(now: datetime) -> None:
        await issues.issue_escalations(svc, client, now)

    svc.runner.add_followup(issue_escalations)

    async def post_pulse(schedule_id: int, occurs_at: datetime) -> Delivery:
        return await pulse.post_scheduled_pulse(svc, client, schedule_id, occurs_at)

    async def close_pulses(now: datetime) -> None:
        await pulse.close_due_pulses(svc, client, now)

    svc.runner.register("pulse", post_pulse)
    svc.runner.add_followup(close_pulses)

    async def action_reminders(now: datetime) -> None:
        await reminders.action_reminders(svc, client, now, instance=svc.runner.instance)

    svc.runner.add_followup(action_reminders)

    async def review_previews(now: datetime) -> None:
        await review.review_previews(svc, client, now, instance=svc.runner.instance)

    svc.runner.add_followup(review_previews)

    svc.runner.add_followup(housekeeping.RequestKeyPruner(svc))
