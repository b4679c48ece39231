"""App Home: on `app_home_opened`, publish what this person has to do and how their projects stand.

The home tab is private to the person, so the policy's audience is decided by who they are: someone from
another organisation (users.info `team_id` differs from the installing workspace, or cannot be learnt)
sees only client records, exactly as in a shared channel.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import home as home_records
from bot.domain.actions import overdue_days
from bot.domain.digest import DigestAudience, DigestData, Lens, compose, period_since
from bot.i18n import normalise_lang
from bot.policy import Place, Viewer, visible
from bot.services import Services
from handlers.builders.home import HomeAction, HomeCheckin, HomeData, HomeProject, HomeRecord, build_home
from handlers.context import home_team_id
from storage.models import Project

log = logging.getLogger(__name__)

CHECKIN_WINDOW = timedelta(days=14)  # older unanswered check-ins are not waiting any more


async def _project_summary(svc: Services, project: Project, lens: Lens, home: str) -> HomeProject:
    """Status, next milestone, top risks and what waits for the client's word, from the digest composition
    through the same lens."""
    assert project.id is not None
    now = svc.clock()
    async with svc.sessions() as session:
        outlook = await home_records.project_outlook(session, project_id=project.id)
    data = DigestData(
        project_name=project.name,
        client_name=project.client_name,
        lang=normalise_lang(project.lang),
        tz=project.tz,
        home_team_id=home,
        period=period_since(None, now),
        open_milestones=outlook.open_milestones,
        open_risks=outlook.open_risks,
        signoffs=outlook.signoffs,
        holidays=project.holidays,
    )
    digest = compose(data, lens, DigestAudience.INTERNAL)
    return HomeProject(
        name=project.name,
        client_name=project.client_name,
        status=digest.status,
        next_milestone=digest.upcoming[0] if digest.upcoming else None,
        top_risks=digest.top_risks[:3],
        signoffs=digest.signoffs_waiting,
        client_view=digest.client_view,
    )


async def build_home_for(svc: Services, client: AsyncWebClient, *, user_id: str, home: str) -> dict[str, Any]:
    user = await svc.users.get(client, user_id) or {}  # unknown: no team, which the policy treats as external
    team, locale = user.get("team_id"), user.get("locale")
    viewer = Viewer(user_id=user_id, team_id=team, home_team_id=home)
    here = Place(channel_id=f"home:{user_id}", shared=False)
    lens = Lens(target=here, viewer=viewer, here=here)
    now = svc.clock()
    async with svc.sessions.begin() as session:
        found = await home_records.personal_records(
            session, team_id=home, user_id=user_id, since=now - CHECKIN_WINDOW
        )
    owned, waiting, mine = found.owned, found.waiting, found.projects
    seen = {id(a) for a in visible(viewer, here, [item for item, _p in owned])}
    actions = [
        HomeAction(item, project.name, overdue_days(item, now=now, tz=project.tz))
        for item, project in owned
        if id(item) in seen
    ]
    checkins = [HomeCheckin(p.name, answer.prompted_at, p.tz) for answer, p in waiting]
    shown = {id(r) for r in visible(viewer, here, [record for _k, record, _p in found.open_owned])}
    others = [
        HomeRecord(kind, record, p.name, p.tz) for kind, record, p in found.open_owned if id(record) in shown
    ]
    summaries = [await _project_summary(svc, project, lens, home) for project in mine]
    lang = normalise_lang(locale, normalise_lang(mine[0].lang) if mine else "en")
    return build_home(
        HomeData(
            lang=lang,
            actions=actions,
            checkins=checkins,
            projects=summaries,
            others=others,
            client=viewer.is_external,
        )
    )


async def handle_app_home_opened(
    event: dict[str, Any], context: Any, client: AsyncWebClient, svc: Services
) -> None:
    svc.tasks.track_current()
    if event.get("tab", "home") != "home":
        return  # the Messages tab
    user_id = str(event.get("user") or "")
    if not user_id:
        return
    # Slack's retries of an event are dropped by event_id before listeners run (bot.app).
    view = await build_home_for(svc, client, user_id=user_id, home=home_team_id(context))
    await client.views_publish(user_id=user_id, view=view)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
