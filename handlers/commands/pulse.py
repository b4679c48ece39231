"""`/pulse every month on the last friday 16:00 [question:"…"]`, `now`, `list`, `results`,
`pause|resume|cancel|skip S-n`: satisfaction pulses asked of the client, read by the team."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.commands import PULSE
from bot.domain import channels, pulses
from bot.domain import schedule_admin as admin
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import channel as channel_link
from bot.policy import Visibility
from bot.timeexpr import Recurrence, render_instant, render_recurrence
from handlers.builders.common import Block, Reply, context, section
from handlers.builders.pulse import build_results, summary_text
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.commands.sync import list_reply, skip, steer
from handlers.jobs.pulse import post_question

KIND = pulses.KIND


def _question(call: CommandCall, example: str) -> str:
    parsed = call.parsed
    if len(parsed.quoted) > 1:
        raise UsageError("grammar.unexpected_text", example, text=parsed.quoted[1][:80])
    return pulses.read_question(parsed.opt("question") or " ".join(parsed.quoted), example=example)


async def _client_channel(call: CommandCall, project_id: int, example: str) -> str:
    async with call.svc.sessions() as session:
        found = await channels.channel_for(session, project_id=project_id, role=channels.CLIENT)
    if found is None:
        raise UsageError("pulse.no_client_channel", "cmd.project.client_channel.example")
    return found


async def _rule(call: CommandCall, text: str) -> Recurrence:
    """The free text as a recurrence; `every` was the subcommand's word, so it is tried with it first."""
    project = require_project(call)
    now = call.svc.clock()
    if not text:
        raise UsageError("pulse.need_rule", pulses.EVERY_EXAMPLE)
    try:
        try:
            return await admin.read_rule(f"every {text}", project=project, now=now)
        except UsageError:
            return await admin.read_rule(text, project=project, now=now)
    except UsageError as err:
        raise err.with_example(pulses.EVERY_EXAMPLE) from None


@subcommand(PULSE, "every")
async def _every(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    pulses.team_only(actor, pulses.EVERY_EXAMPLE)
    question = _question(call, pulses.EVERY_EXAMPLE)
    rule = await _rule(call, call.parsed.unquoted)
    target = await _client_channel(call, project.id, pulses.EVERY_EXAMPLE)
    now = call.svc.clock()
    draft = admin.ScheduleDraft(
        kind=KIND,
        title=question[:200] or t("pulse.title", call.lang),
        rule=rule,
        lead=timedelta(0),
        grace=timedelta(hours=1),
        visibility=Visibility.CLIENT,  # it posts into the client channel; its answers stay the team's
        options={"question": question, "open_days": pulses.OPEN_FOR.days},
    )
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", call.lang))
        schedule = await admin.create_schedule(session, actor, draft, now=now)
    assert schedule.id is not None
    await call.svc.runner.schedule(schedule.id)
    text = t(
        "pulse.scheduled",
        call.lang,
        ref=f"S-{schedule.number}",
        channel=channel_link(target),
        rule=render_recurrence(rule, call.lang, now=now),
        days=pulses.OPEN_FOR.days,
    )
    return Reply(text=text, blocks=[section(f":bar_chart: {text}")])


@subcommand(PULSE, "now")
async def _now(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    pulses.team_only(actor, pulses.NOW_EXAMPLE)
    question = _question(call, pulses.NOW_EXAMPLE)
    if call.parsed.unquoted:
        raise UsageError("grammar.unexpected_text", pulses.NOW_EXAMPLE, text=call.parsed.unquoted[:80])
    target = await _client_channel(call, project.id, pulses.NOW_EXAMPLE)
    now = call.svc.clock()
    async with call.svc.sessions.begin() as session:  # if Slack refuses the post, nothing is stored
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", call.lang))
        pulse, _ = await pulses.start(
            session,
            project_id=project.id,
            question=question,
            channel_id=target,
            now=now,
            created_by=actor.viewer.user_id,
        )
        try:
            ts = await post_question(call.client, pulse, project.lang)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "error")
            raise UsageError("pulse.post_failed", None, channel=channel_link(target), error=error) from None
        assert pulse.id is not None
        await pulses.posted(session, pulse_id=pulse.id, message_ts=ts)
    text = t(
        "pulse.started",
        call.lang,
        channel=channel_link(target),
        closes=render_instant(pulse.closes_at, project.tz, call.lang),
    )
    return Reply(text=text, blocks=[section(f":bar_chart: {text}")])


@subcommand(PULSE, "list")
async def _list(call: CommandCall) -> Reply:
    """The pulse schedules, then the recent pulses with their state (team only)."""
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    pulses.team_only(actor, "cmd.pulse.list.example")
    reply = await list_reply(call, KIND)
    async with call.svc.sessions() as session:
        recent = await pulses.recent(session, project_id=project.id)
        lines = []
        for pulse in recent:
            assert pulse.id is not None
            found = await pulses.results(session, project_id=project.id, pulse_id=pulse.id)
            assert found is not None
            if pulse.closed_at is None:
                status = t(
                    "pulse.status_open",
                    call.lang,
                    closes=render_instant(pulse.closes_at, project.tz, call.lang),
                    count=len(found.answers),
                )
            else:
                status = t(
                    "pulse.status_closed",
                    call.lang,
                    summary=summary_text(found.answers, found.average, call.lang),
                )
            opened = render_instant(pulse.opens_at, project.tz, call.lang)
            lines.append("• " + t("pulse.recent_line", call.lang, opened=opened, status=status))
    if lines:
        blocks: list[Block] = [
            *reply.blocks,
            context(t("pulse.recent_title", call.lang)),
            section("\n".join(lines)),
        ]
        reply = Reply(text=reply.text, blocks=blocks)
    return reply


@subcommand(PULSE, "results")
async def _results(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    pulses.team_only(actor, "cmd.pulse.results.example")
    async with call.svc.sessions() as session:
        found = await pulses.results(session, project_id=project.id)
    if found is None:
        text = t("pulse.none_yet", call.lang)
        return Reply(text=text, blocks=[section(text)])
    text, blocks = build_results(
        answers=found.answers,
        average=found.average,
        trend=found.trend,
        question=found.pulse.question,
        lang=call.lang,
        tz=project.tz,
        closes_at=found.pulse.closes_at,
        closed=found.pulse.closed_at is not None,
    )
    return Reply(text=text, blocks=blocks)


@subcommand(PULSE, "pause", "resume", "cancel")
async def _steer(call: CommandCall) -> Reply:
    pulses.team_only(actor_of(call), "cmd.pulse.pause.example")
    return await steer(call, KIND)


@subcommand(PULSE, "skip")
async def _skip(call: CommandCall) -> Reply:
    pulses.team_only(actor_of(call), "cmd.pulse.skip.example")
    return await skip(call, KIND)
