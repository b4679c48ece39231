"""`/stakeholder add @carol role:"CIO, sponsor" org:client influence:high signs:baseline,change`, `list`,
`remove @carol|<name>`: the team's register, answered only to the asker and never where the client reads."""

from __future__ import annotations

from bot.commands import STAKEHOLDER
from bot.domain import channels, stakeholders
from bot.i18n import t
from handlers.builders.common import Reply, section
from handlers.builders.stakeholders import build_stakeholder_list, build_stakeholder_saved, who_of
from handlers.commands.runner import CommandCall, actor_of, subcommand


@subcommand(STAKEHOLDER, "add")
async def _add(call: CommandCall) -> Reply:
    actor = actor_of(call)
    default_org = "client"
    if len(call.parsed.users) == 1:  # someone in Slack: their own organisation, unless `org:` says
        team = await call.svc.users.team_of(call.client, call.parsed.users[0])
        default_org = "team" if team == call.where.viewer.home_team_id else "client"
    draft = stakeholders.read_add(call.parsed, default_org=default_org)
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", call.lang))
        row, created = await stakeholders.add(session, actor, draft)
    return build_stakeholder_saved(row, call.lang, created=created)


@subcommand(STAKEHOLDER, "list")
async def _list(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions() as session:
        rows = await stakeholders.listing(session, actor)
    return build_stakeholder_list(rows, call.lang)


@subcommand(STAKEHOLDER, "remove")
async def _remove(call: CommandCall) -> Reply:
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        row = await stakeholders.remove(session, actor, call.parsed)
    text = t("stakeholder.removed", call.lang, who=who_of(row))
    return Reply(text=text, blocks=[section(f":wastebasket: {text}")])
