"""The Undo button under a deleted lesson, and the closing DM's button that opens the lessons form."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import closing
from bot.domain import lessons as domain
from bot.errors import UsageError
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.common import build_usage_error
from handlers.builders.lessons import build_form_modal, build_lesson_restored
from handlers.jobs.checkin import person


async def handle_undo_delete(click: Click) -> None:
    lesson_id, _ = click.value()
    lang = click.where.lang
    try:
        async with click.svc.sessions.begin() as session:
            lesson = await domain.undo_delete(session, click.actor, lesson_id, now=click.svc.clock())
    except UsageError as err:  # too late, or already restored: the Undo button goes away either way
        await click.say(build_usage_error(err, lang), replace=True)
        return
    team_view = shows_internal_fields(click.where.viewer, click.where.place)
    await click.say(build_lesson_restored(lesson, lang, team_view=team_view), replace=True)


async def handle_form_open(click: Click) -> None:
    """Open the form for the project the DM names: for the project's own people, while it is not archived."""
    project_id, _ = click.value()
    viewer = click.where.viewer
    if viewer.is_external:
        raise UsageError("lesson.form.not_team")
    async with click.svc.sessions() as session:
        project = await domain.form_project(
            session, project_id=project_id, workspace_id=click.where.workspace_id
        )
    who = await person(
        click.svc.users, click.client, viewer.user_id, default_tz=project.tz, default_lang=project.lang
    )
    try:
        closing.refuse_if_archived(project, viewer)
    except UsageError as err:  # said in the person's own language, as the DM was
        await click.say(build_usage_error(err, who.lang))
        return
    view = build_form_modal(
        project=project.name, project_id=project_id, channel_id=click.channel_id, lang=who.lang
    )
    await click.client.views_open(trigger_id=str(click.body.get("trigger_id") or ""), view=view)


def register(app: AsyncApp) -> None:
    app.action(ids.LESSON_UNDO_DELETE)(click_listener(handle_undo_delete))
    app.action(ids.LESSON_FORM_OPEN)(click_listener(handle_form_open))
