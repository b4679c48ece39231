"""Installations across workspaces: slack_sdk's async installation and OAuth state stores on our database.

Every token is Fernet ciphertext at rest (`TokenCipher`, keyed by LIAISON_ENCRYPTION_KEY): this module is the
one place that encrypts and decrypts them. Expiry times follow the wall clock, as Slack's do.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete
from sqlmodel import col, select

from storage.db import SessionFactory
from storage.models import OAuthState, SlackInstallation

log = logging.getLogger(__name__)

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token", "incoming_webhook_url")


class EncryptionKeyError(ValueError):
    """LIAISON_ENCRYPTION_KEY is not one or more Fernet keys."""


class TokenCipher:
    """Fernet keys from LIAISON_ENCRYPTION_KEY ("new,old,…"): the first encrypts, every one decrypts."""

    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise EncryptionKeyError("no key given")
        try:
            fernets = [Fernet(k.encode()) for k in parts]
        except (ValueError, TypeError) as exc:
            raise EncryptionKeyError(str(exc)) from None
        self._multi = MultiFernet(fernets)

    @staticmethod
    def generate() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, value: str | None) -> str | None:
        return None if value is None else self._multi.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return self._multi.decrypt(value.encode()).decode()
        except InvalidToken:
            raise InvalidToken(
                "a stored token does not decrypt with any LIAISON_ENCRYPTION_KEY key"
            ) from None

    def rotate(self, value: str | None) -> str | None:
        """Re-encrypt with the first key (whichever key encrypted it before)."""
        return None if value is None else self._multi.rotate(value.encode()).decode()


def wall_clock() -> datetime:
    return datetime.now(UTC)


def _epoch(value: int | float | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromtimestamp(value, UTC)


def _key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> tuple[str, str]:
    """An organisation-wide install is found by its enterprise id alone."""
    return enterprise_id or "", "" if is_enterprise_install else (team_id or "")


def _scopes(value: Sequence[str] | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else ",".join(value)


class SqlInstallationStore(AsyncInstallationStore):
    """One row per workspace (or organisation) and app; a reinstall or a token rotation updates it."""

    def __init__(self, sessions: SessionFactory, cipher: TokenCipher, *, client_id: str) -> None:
        self.sessions = sessions
        self.cipher = cipher
        self.client_id = client_id
        self._logger = log

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def _row(
        self, session: Any, enterprise_id: str, team_id: str, *, for_update: bool = False
    ) -> SlackInstallation | None:
        query = select(SlackInstallation).where(
            SlackInstallation.client_id == self.client_id,
            SlackInstallation.enterprise_id == enterprise_id,
            SlackInstallation.team_id == team_id,
        )
        if for_update:
            query = query.with_for_update()
        row: SlackInstallation | None = (await session.exec(query)).first()
        return row

    async def async_save(self, installation: Installation) -> None:
        e_id, t_id = _key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        async with self.sessions.begin() as session:
            row = await self._row(session, e_id, t_id) or SlackInstallation(
                client_id=self.client_id, enterprise_id=e_id, team_id=t_id, installed_at=wall_clock()
            )
            self._fill(row, installation)
            row.installed_at = wall_clock()
            session.add(row)
        log.info("installation saved for team %s (enterprise %s)", t_id or "-", e_id or "-")

    def _fill(self, row: SlackInstallation, installation: Installation) -> None:
        enc = self.cipher.encrypt
        row.app_id = installation.app_id
        row.enterprise_name = installation.enterprise_name
        row.enterprise_url = installation.enterprise_url
        row.team_name = installation.team_name
        row.is_enterprise_install = bool(installation.is_enterprise_install)
        row.token_type = installation.token_type
        row.bot_id = installation.bot_id
        row.bot_user_id = installation.bot_user_id
        row.bot_scopes = _scopes(installation.bot_scopes)
        row.bot_token = enc(installation.bot_token)
        row.bot_refresh_token = enc(installation.bot_refresh_token)
        row.bot_token_expires_at = _epoch(installation.bot_token_expires_at)
        row.user_id = installation.user_id or ""
        row.user_scopes = _scopes(installation.user_scopes)
        row.user_token = enc(installation.user_token)
        row.user_refresh_token = enc(installation.user_refresh_token)
        row.user_token_expires_at = _epoch(installation.user_token_expires_at)
        row.incoming_webhook_url = enc(installation.incoming_webhook_url)
        row.incoming_webhook_channel = installation.incoming_webhook_channel
        row.incoming_webhook_channel_id = installation.incoming_webhook_channel_id
        row.incoming_webhook_configuration_url = installation.incoming_webhook_configuration_url

    async def refresh(
        self, installation: Installation, rotate: Callable[[Installation], Awaitable[Installation | None]]
    ) -> Installation | None:
        """The stored installation after `rotate` (Slack's refresh) ran on it, its row locked throughout.

        Slack spends a refresh token on its first use, so whoever refreshes holds the row from reading the
        token until the new one is committed: another replica waits on FOR UPDATE (SQLite's one writer waits
        on BEGIN IMMEDIATE), then reads the winner's tokens and has nothing to refresh. None: uninstalled.
        """
        key = _key(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        async with self.sessions.begin() as session:
            row = await self._row(session, *key, for_update=True)
            if row is None:
                return None
            stored = self._installation(row)
            refreshed = await rotate(stored)
            if refreshed is None:
                return stored
            self._fill(row, refreshed)
            session.add(row)
        log.info("tokens refreshed for team %s (enterprise %s)", key[1] or "-", key[0] or "-")
        return refreshed

    async def async_save_bot(self, bot: Bot) -> None:
        e_id, t_id = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        async with self.sessions.begin() as session:
            row = await self._row(session, e_id, t_id) or SlackInstallation(
                client_id=self.client_id, enterprise_id=e_id, team_id=t_id, installed_at=wall_clock()
            )
            row.app_id = bot.app_id
            row.enterprise_name = bot.enterprise_name
            row.team_name = bot.team_name
            row.is_enterprise_install = bool(bot.is_enterprise_install)
            row.bot_id = bot.bot_id
            row.bot_user_id = bot.bot_user_id
            row.bot_scopes = _scopes(bot.bot_scopes)
            row.bot_token = self.cipher.encrypt(bot.bot_token)
            row.bot_refresh_token = self.cipher.encrypt(bot.bot_refresh_token)
            row.bot_token_expires_at = _epoch(bot.bot_token_expires_at)
            session.add(row)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        async with self.sessions() as session:
            row = await self._row(session, *_key(enterprise_id, team_id, is_enterprise_install))
        if row is None or row.bot_token is None:
            return None
        return Bot(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name,
            team_id=row.team_id or None,
            team_name=row.team_name,
            bot_token=self.cipher.decrypt(row.bot_token),  # type: ignore[arg-type]
            bot_id=row.bot_id,  # type: ignore[arg-type]
            bot_user_id=row.bot_user_id,  # type: ignore[arg-type]
            bot_scopes=row.bot_scopes,
            bot_refresh_token=self.cipher.decrypt(row.bot_refresh_token),
            bot_token_expires_at=row.bot_token_expires_at,
            is_enterprise_install=row.is_enterprise_install,
            installed_at=row.installed_at,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        async with self.sessions() as session:
            row = await self._row(session, *_key(enterprise_id, team_id, is_enterprise_install))
        if row is None or (user_id is not None and row.user_id != user_id):
            return None
        return self._installation(row)

    async def find_for_team(self, team_id: str) -> Installation | None:
        """The workspace's installation, whatever its organisation (scheduled posts know only the team)."""
        async with self.sessions() as session:
            query = select(SlackInstallation).where(
                SlackInstallation.client_id == self.client_id, SlackInstallation.team_id == team_id
            )
            row = (await session.exec(query)).first()
        return None if row is None else self._installation(row)

    def _installation(self, row: SlackInstallation) -> Installation:
        dec = self.cipher.decrypt
        return Installation(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name,
            enterprise_url=row.enterprise_url,
            team_id=row.team_id or None,
            team_name=row.team_name,
            bot_token=dec(row.bot_token),
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes,
            bot_refresh_token=dec(row.bot_refresh_token),
            bot_token_expires_at=row.bot_token_expires_at,
            user_id=row.user_id,
            user_token=dec(row.user_token),
            user_scopes=row.user_scopes,
            user_refresh_token=dec(row.user_refresh_token),
            user_token_expires_at=row.user_token_expires_at,
            incoming_webhook_url=dec(row.incoming_webhook_url),
            incoming_webhook_channel=row.incoming_webhook_channel,
            incoming_webhook_channel_id=row.incoming_webhook_channel_id,
            incoming_webhook_configuration_url=row.incoming_webhook_configuration_url,
            is_enterprise_install=row.is_enterprise_install,
            token_type=row.token_type,
            installed_at=row.installed_at,
        )

    async def async_delete_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> None:
        async with self.sessions.begin() as session:
            row = await self._row(session, *_key(enterprise_id, team_id, is_enterprise_install))
            if row is not None:
                row.bot_token = row.bot_refresh_token = None
                row.bot_token_expires_at = None
                session.add(row)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        async with self.sessions.begin() as session:
            row = await self._row(session, *_key(enterprise_id, team_id, False))
            if row is None:
                return
            if user_id is None:
                await session.delete(row)
            elif row.user_id == user_id:
                row.user_token = row.user_refresh_token = None
                row.user_token_expires_at = None
                session.add(row)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the workspace: every token of it, whatever kind of install it was."""
        async with self.sessions.begin() as session:
            await session.exec(
                delete(SlackInstallation).where(
                    col(SlackInstallation.client_id) == self.client_id,
                    col(SlackInstallation.enterprise_id) == (enterprise_id or ""),
                    col(SlackInstallation.team_id) == (team_id or ""),
                )
            )
        log.info("installation removed for team %s (enterprise %s)", team_id or "-", enterprise_id or "-")


@dataclass
class SqlOAuthStateStore(AsyncOAuthStateStore):
    """States for the install flow: issued to one browser, consumed once, refused after `expiration_seconds`."""

    sessions: SessionFactory
    expiration_seconds: int = 600

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = wall_clock()
        async with self.sessions.begin() as session:
            await session.exec(delete(OAuthState).where(col(OAuthState.expires_at) <= now))
            session.add(OAuthState(state=state, expires_at=now + timedelta(seconds=self.expiration_seconds)))
        return state

    async def async_consume(self, state: str) -> bool:
        if not state:
            return False
        async with self.sessions.begin() as session:
            result = await session.exec(
                delete(OAuthState).where(
                    col(OAuthState.state) == state, col(OAuthState.expires_at) > wall_clock()
                )
            )
            consumed = bool(result.rowcount)
        if not consumed:
            log.info("refused an OAuth state that is unknown, used or expired")
        return consumed


async def rotate_keys(sessions: SessionFactory, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token with the cipher's first key; returns how many rows were rewritten."""
    count = 0
    async with sessions.begin() as session:
        rows = (await session.exec(select(SlackInstallation))).all()
        for row in rows:
            for column in TOKEN_COLUMNS:
                setattr(row, column, cipher.rotate(getattr(row, column)))
            session.add(row)
            count += 1
    return count
