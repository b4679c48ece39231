"""`/digest preview|now [client|internal]`, `/digest every monday 9am [to:#channel] [client|internal]`,
`list`, `pause|resume|cancel|skip S-n`.

Without `client` or `internal`, the place decides: a client digest when asked in a channel the client
reads, else an internal one. A client's own request is always for the client digest.
"""

from __future__ import annotations

from bot.commands import DIGEST
from bot.domain import channels, digest_data
from bot.domain import schedule_admin as admin
from bot.domain.digest import (
    EVERY_EXAMPLE,
    NOW_EXAMPLE,
    PREVIEW_EXAMPLE,
    DigestAudience,
    DigestRequest,
    chart_data,
    lens_for,
    read_request,
)
from bot.domain.records import require
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import bold, escape
from bot.mrkdwn import channel as channel_link
from bot.policy import Action, Visibility
from bot.timeexpr import Recurrence, render_recurrence
from handlers.builders.common import Reply, context, section
from handlers.builders.digest import build_digest
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.commands.sync import list_reply, skip, steer
from handlers.jobs.digest import (
    SLACK_FAILURES,
    NoChannel,
    Refused,
    Target,
    check_allowed,
    failure_reason,
    place_now,
    post_digest,
    record_failure,
    resolve_target,
    signoff_links,
)

KIND = "digest"


@subcommand(DIGEST, "list")
async def _list(call: CommandCall) -> Reply:
    return await list_reply(call, KIND)


@subcommand(DIGEST, "pause", "resume", "cancel")
async def _steer(call: CommandCall) -> Reply:
    return await steer(call, KIND)


@subcommand(DIGEST, "skip")
async def _skip(call: CommandCall) -> Reply:
    return await skip(call, KIND)


def _audience(call: CommandCall, request: DigestRequest) -> DigestAudience:
    if call.where.viewer.is_external:
        return DigestAudience.CLIENT
    if request.audience is not None:
        return request.audience
    return DigestAudience.CLIENT if call.where.place.client_facing else DigestAudience.INTERNAL


async def _target(call: CommandCall, audience: DigestAudience, explicit: str | None) -> Target:
    project = require_project(call)
    try:
        return await resolve_target(call.svc, project, audience, explicit)
    except NoChannel as exc:
        raise UsageError(f"digest.no_channel.{exc.role}", "cmd.project.client_channel.example") from None


def _refusal(exc: Refused, example: str) -> UsageError:
    return UsageError(exc.key, example, channel=channel_link(exc.channel_id))


@subcommand(DIGEST, "preview")
async def _preview(call: CommandCall) -> Reply:
    project = require_project(call)
    request = read_request(call.parsed, example=PREVIEW_EXAMPLE, wants_rule=False)
    audience = _audience(call, request)
    target = await _target(call, audience, request.channel_id)
    place = await place_now(call.svc, call.client, target, fresh=False)
    try:
        check_allowed(audience, place)
    except Refused as exc:
        raise _refusal(exc, PREVIEW_EXAMPLE) from None
    lens = lens_for(audience, place, viewer=call.where.viewer, here=call.where.place)
    async with call.svc.sessions() as session:
        digest = await digest_data.compose_for(session, project, audience, lens, now=call.svc.clock())
    lang = digest.lang
    notes = [
        t(
            "digest.preview_note",
            lang,
            audience=t(f"digest.audience.{audience}", lang),
            channel=channel_link(target.channel_id),
        )
    ]
    if audience is DigestAudience.INTERNAL and lens.client_audience:
        notes.append(t("digest.preview_filtered", lang))
    with_charts = request.charts and not digest.is_empty and not chart_data(digest).empty
    if with_charts:
        notes.append(t("digest.preview_charts", lang))
    links = await signoff_links(call.client, digest)  # as the digest itself will link them
    text, blocks = build_digest(digest, notes=notes, charts_as_text=not with_charts, links=links)
    return Reply(text=text, blocks=blocks)


@subcommand(DIGEST, "now")
async def _now(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, NOW_EXAMPLE)
    request = read_request(call.parsed, example=NOW_EXAMPLE, wants_rule=False)
    audience = _audience(call, request)
    target = await _target(call, audience, request.channel_id)
    lang = call.lang
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", lang))
    now = call.svc.clock()
    try:
        posted = await post_digest(
            call.svc,
            call.client,
            project=project,
            audience=audience,
            target=target,
            now=now,
            charts=request.charts,
        )
    except Refused as exc:
        raise _refusal(exc, NOW_EXAMPLE) from None
    except SLACK_FAILURES as exc:
        reason = failure_reason(exc)
        await record_failure(
            call.svc,
            project=project,
            audience=audience,
            channel_id=target.channel_id,
            now=now,
            reason=reason,
        )
        text = t("digest.post_failed", lang, channel=channel_link(target.channel_id), reason=reason)
        return Reply(text=text, blocks=[section(f":warning: {text}")])
    text = t(
        "digest.posted",
        lang,
        audience=t(f"digest.audience.{audience}", lang),
        channel=channel_link(posted.channel_id),
    )
    blocks = [section(f":white_check_mark: {text}")]
    if posted.charts_error:
        blocks.append(context(t("digest.posted_charts_failed", lang, reason=posted.charts_error)))
    return Reply(text=text, blocks=blocks)


async def _read_rule(call: CommandCall, text: str) -> Recurrence:
    """The free text as a recurrence; `every` was the subcommand's word, so it is tried with it too."""
    project = require_project(call)
    now = call.svc.clock()
    try:
        try:
            return await admin.read_rule(text, project=project, now=now)
        except UsageError:
            if text.lower().startswith("every "):
                raise
            return await admin.read_rule(f"every {text}", project=project, now=now)
    except UsageError as err:  # the time grammar's message, with this command's example
        raise err.with_example(EVERY_EXAMPLE) from None


@subcommand(DIGEST, "every")
async def _every(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.CREATE, EVERY_EXAMPLE)
    request = read_request(call.parsed, example=EVERY_EXAMPLE, wants_rule=True)
    audience = _audience(call, request)
    rule = await _read_rule(call, request.rule_text)
    target = await _target(call, audience, request.channel_id)
    try:
        check_allowed(audience, await place_now(call.svc, call.client, target))
    except Refused as exc:
        raise _refusal(exc, EVERY_EXAMPLE) from None
    lang = call.lang
    now = call.svc.clock()
    title = t(f"digest.default_title.{audience}", lang)
    draft = admin.ScheduleDraft(
        kind=KIND,
        title=title,
        rule=rule,
        lead=admin.read_lead(None),
        grace=admin.read_grace(None),
        visibility=Visibility.CLIENT if audience is DigestAudience.CLIENT else Visibility.INTERNAL,
        options={"audience": str(audience), "charts": request.charts},
        channel_id=request.channel_id or None,
    )
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", lang))
        schedule = await admin.create_schedule(session, actor, draft, now=now)
    assert schedule.id is not None
    await call.svc.runner.schedule(schedule.id)
    text = t(
        "digest.created",
        lang,
        ref=f"S-{schedule.number}",
        title=bold(escape(title)),
        rule=render_recurrence(rule, lang, now=now),
        channel=channel_link(target.channel_id),
    )
    return Reply(text=text, blocks=[section(f":calendar: {text}")])
