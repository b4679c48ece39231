"""The preview's note form: one line from the team, shown on top of the client's message (verbatim, escaped);
the preview is composed again with it. Only the team may set it."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import review
from bot.errors import UsageError
from bot.i18n import Lang
from handlers import ids
from handlers.actions.issues import placed_actor
from handlers.jobs.review import show_preview
from handlers.views.runner import AfterAck, Fields, Submission, field_message, view_listener


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.REVIEW_NOTE_INPUT: field_message(err, lang)}


async def submit_note(sub: Submission) -> AfterAck:
    actor = await placed_actor(sub.svc, sub.client, sub.where)
    preview_id = sub.meta.get("preview")
    if not isinstance(preview_id, int):
        raise UsageError("refs.gone")
    note = review.read_note(Fields(sub.values).text(ids.REVIEW_NOTE_INPUT))
    async with sub.svc.sessions.begin() as session:
        await review.set_note(session, actor, preview_id, note)

    async def after() -> None:
        await show_preview(sub.svc, sub.client, preview_id)

    return after


def register(app: AsyncApp) -> None:
    app.view(ids.REVIEW_NOTE_MODAL)(view_listener(submit_note, errors=field_errors))
