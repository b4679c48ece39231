"""The lessons form's submission: each line of each box becomes a lesson (internal), by whoever answered."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import lessons as domain
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import Lang, t
from handlers import ids
from handlers.builders.common import Reply, section
from handlers.views.runner import (
    AfterAck,
    Fields,
    Invalid,
    Submission,
    confirm,
    field_message,
    view_listener,
)


def _errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.LESSON_WENT_WELL: field_message(err, lang)}


async def handle_submission(sub: Submission) -> AfterAck | None:
    project_id = sub.meta.get("project")
    if not isinstance(project_id, int):
        raise UsageError("refs.gone")
    fields = Fields(sub.values)
    went_well, to_improve = fields.text(ids.LESSON_WENT_WELL), fields.text(ids.LESSON_TO_IMPROVE)
    if not domain.form_lines(went_well) and not domain.form_lines(to_improve):
        raise Invalid({ids.LESSON_WENT_WELL: t("lesson.form.need_one", sub.lang)})
    async with sub.svc.sessions.begin() as session:
        project = await domain.form_project(
            session, project_id=project_id, workspace_id=sub.where.workspace_id
        )
        assert project.id is not None
        actor = Actor(
            viewer=sub.where.viewer,
            place=sub.where.place,
            project_id=project.id,
            workspace_id=sub.where.workspace_id,
        )
        added = await domain.add_form_answers(
            session, actor, went_well=went_well, to_improve=to_improve, request_key=sub.request_key
        )
    if not added:
        return None
    text = t("lesson.form.thanks", sub.lang, refs=domain.refs_of(added))
    channel_id = str(sub.meta.get("c") or "")

    async def thank() -> None:
        await confirm(
            sub.client,
            channel_id=channel_id,
            user_id=sub.where.viewer.user_id,
            reply=Reply(text=text, blocks=[section(text)]),
        )

    return thank


def register(app: AsyncApp) -> None:
    app.view(ids.LESSON_MODAL)(view_listener(handle_submission, errors=_errors))
