"""The shape every modal submission shares: resolve who submitted and where the form was opened (its
private_metadata), check everything before the ack, and put any problem under the field that caused it.

A body raises `UsageError` (placed under a field by the form's own `errors` mapping) or `Invalid` (errors
already placed) to keep the form open with nothing written; otherwise it returns what to do after the ack
(or None). Anything else before the ack goes to the app's one error handler; after it, to `report`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.closing import refuse_if_archived
from bot.domain.records import Actor, refusal
from bot.errors import UsageError
from bot.i18n import Lang, normalise_lang, t
from bot.policy import Action, may
from bot.services import Services
from handlers.builders.common import Reply
from handlers.context import Where, resolve_where
from handlers.errors import report
from handlers.metadata import decode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fields:
    """A submitted form's inputs by block (our inputs use the same id for block and action)."""

    values: dict[str, Any]

    def element(self, block_id: str) -> dict[str, Any]:
        found = (self.values.get(block_id) or {}).get(block_id)
        return found if isinstance(found, dict) else {}

    def text(self, block_id: str) -> str:
        return str(self.element(block_id).get("value") or "")

    def selected(self, block_id: str) -> str:
        return str((self.element(block_id).get("selected_option") or {}).get("value") or "")

    def checked(self, block_id: str, value: str) -> bool:
        return any(
            (o or {}).get("value") == value for o in self.element(block_id).get("selected_options") or []
        )


class Invalid(Exception):
    """The form stays open with these messages under these blocks (block_id → plain text)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Submission:
    svc: Services
    client: AsyncWebClient
    where: Where
    body: dict[str, Any]
    view: dict[str, Any]
    meta: dict[str, Any]

    @property
    def lang(self) -> Lang:
        """The form's own language when it carries one (it was opened in it), else the place's."""
        if "lang" in self.meta:
            return normalise_lang(str(self.meta.get("lang") or ""))
        return self.where.lang

    @property
    def values(self) -> dict[str, Any]:
        return (self.view.get("state") or {}).get("values") or {}

    @property
    def request_key(self) -> str:
        """Identifies this submission, so a retried one is not acted on twice."""
        return f"view:{self.view.get('id')}"


AfterAck = Callable[[], Awaitable[None]]
SubmissionBody = Callable[[Submission], Awaitable[AfterAck | None]]
FieldErrors = Callable[[UsageError, Lang], dict[str, str]]


def view_listener(
    body_fn: SubmissionBody, *, errors: FieldErrors, channel_key: str = "c"
) -> Callable[..., Awaitable[None]]:
    """`errors` places a UsageError under the form's fields; `channel_key` names the metadata's channel."""

    async def handle_submission(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: Any,
        svc: Services,
    ) -> None:
        svc.tasks.track_current()
        meta = decode(view)
        user = body.get("user") or {}
        where = await resolve_where(
            svc,
            client,
            context=context,
            user_id=str(user.get("id") or ""),
            user_team_id=user.get("team_id"),
            channel_id=str(meta.get(channel_key) or ""),
        )
        submission = Submission(svc=svc, client=client, where=where, body=body, view=view, meta=meta)
        try:
            refuse_if_archived(where.project, where.viewer)  # a form opened before the project was archived
            after = await body_fn(submission)
        except Invalid as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        except UsageError as err:
            await ack(response_action="errors", errors=errors(err, submission.lang))
            return
        await ack()
        if after is not None:
            try:
                await after()
            except Exception as error:  # after the ack, never Bolt's to handle (handlers/errors.py says why)
                await report(error, None, submission.lang)

    return handle_submission


def field_message(err: UsageError, lang: str) -> str:
    """A field error is plain text under the input: no mrkdwn, so nothing to escape; Slack caps it."""
    return t(err.key, lang, **err.params)[:300]


def creating_actor(sub: Submission) -> Actor:
    """Who creates a record from a new-record form: in the project it was opened for, if they may create."""
    project = sub.where.project
    wanted = sub.meta.get("project")
    if project is None or project.id is None or not isinstance(wanted, int) or project.id != wanted:
        raise UsageError("grammar.no_project")
    where = sub.where
    actor = Actor(
        viewer=where.viewer, place=where.place, project_id=project.id, workspace_id=where.workspace_id
    )
    if not may(actor.viewer, actor.place, Action.CREATE):
        raise refusal(actor.viewer)
    return actor


async def confirm(client: AsyncWebClient, *, channel_id: str, user_id: str, reply: Reply) -> None:
    """Tell only the person who submitted: ephemeral in the channel, else in a DM from the app."""
    kwargs = reply.as_kwargs()
    kwargs.pop("response_type", None)
    try:
        await client.chat_postEphemeral(channel=channel_id, user=user_id, **kwargs)
        return
    except SlackApiError as exc:
        log.info(
            "ephemeral confirmation failed in %s (%s); sending a DM", channel_id, exc.response.get("error")
        )
    try:
        await client.chat_postMessage(channel=user_id, **kwargs)
    except SlackApiError as exc:
        log.warning("could not confirm a new record to %s (%s)", user_id, exc.response.get("error"))
