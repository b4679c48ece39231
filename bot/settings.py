"""Settings: one typed object, read once from the environment and an optional `.env`, passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["socket", "http"]

DEFAULT_SQLITE_PATH = Path("data") / "liaison.sqlite3"

# Where a user finds each value: named in every error so a missing setting is a one-minute fix.
WHERE = {
    "SLACK_BOT_TOKEN": "the 'Bot User OAuth Token' (xoxb-…) on your Slack app's 'OAuth & Permissions' page, "
    "after installing the app created from deploy/manifest.yml",
    "SLACK_SIGNING_SECRET": "the 'Signing Secret' on your Slack app's 'Basic Information' page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with the connections:write scope, created under "
    "'Basic Information → App-Level Tokens' (Socket Mode is enabled in deploy/manifest.yml)",
    "SLACK_API_URL": "leave unset for https://slack.com/api/; tests point it at a local fake",
    "DATABASE_URL": "e.g. sqlite:///data/liaison.sqlite3 or postgresql://user@host:5432/liaison",
    "PORT": "a TCP port number such as 3000",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "SLACK_CLIENT_ID": "the 'Client ID' on your Slack app's 'Basic Information' page (installing in several "
    "workspaces; with SLACK_CLIENT_SECRET and LIAISON_ENCRYPTION_KEY)",
    "SLACK_CLIENT_SECRET": "the 'Client Secret' on your Slack app's 'Basic Information' page",
    "LIAISON_ENCRYPTION_KEY": "a Fernet key from `liaison keys generate` (several, comma-separated, newest first, "
    "while rotating); it encrypts the workspaces' tokens in the database, so keep it as safe as a backup",
    "SLACK_REDIRECT_URI": "https://<your host>/slack/oauth_redirect, as listed under 'OAuth & Permissions → "
    "Redirect URLs' (optional when only one is listed)",
    "LOG_FORMAT": "text (the default) or json (one JSON object per line)",
    "METRICS_PORT": "a TCP port for GET /metrics (Prometheus), other than PORT; unset turns metrics off",
    "METRICS_HOST": "the address /metrics listens on: 127.0.0.1 (the default) or 0.0.0.0 in a container",
}


class SettingsError(Exception):
    """Settings that cannot run the requested mode; `problems` name each variable and where to get it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def normalise_database_url(url: str) -> str:
    """Pick the async driver for the URL's database so users can write plain `postgresql://` or `sqlite://`."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


class Settings(BaseSettings):
    """The whole configuration; tokens are SecretStr so they never reach a log or a repr."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = Field(default=f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}")
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    # Installing in several workspaces (OAuth v2): all three together, or none (one workspace, SLACK_BOT_TOKEN).
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    liaison_encryption_key: SecretStr | None = None
    slack_redirect_uri: str | None = None
    log_format: Literal["text", "json"] = "text"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)  # unset: no /metrics
    metrics_host: str = "127.0.0.1"  # off the network unless asked: a container sets 0.0.0.0 for its scraper
    # The command journal (bot/journal.py): how long a process holds an acked command before another (or the
    # restarted one) carries it out, how often pending ones are looked for, and how long the ack may wait for the
    # journal's write before answering "busy, try again". SIGTERM waits `drain_seconds`
    # for work in flight (under Kubernetes' 30 s terminationGracePeriod).
    journal_lease_seconds: float = Field(default=60.0, gt=0)
    journal_replay_seconds: float = Field(default=15.0, gt=0)
    journal_ack_seconds: float = Field(default=2.0, gt=0)  # the journal write's share of Slack's 3 s ack
    drain_seconds: float = Field(default=25.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        url = normalise_database_url(value.strip())
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("only SQLite and PostgreSQL URLs are supported")
        return url

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("unknown log level")
        return level

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def oauth_enabled(self) -> bool:
        """Installs across workspaces: each workspace's token comes from the database, not SLACK_BOT_TOKEN."""
        return all(self._oauth_values().values())

    def _oauth_values(self) -> dict[str, bool]:
        secret = self.slack_client_secret.get_secret_value().strip() if self.slack_client_secret else ""
        key = self.liaison_encryption_key.get_secret_value().strip() if self.liaison_encryption_key else ""
        return {
            "SLACK_CLIENT_ID": bool((self.slack_client_id or "").strip()),
            "SLACK_CLIENT_SECRET": bool(secret),
            "LIAISON_ENCRYPTION_KEY": bool(key),
        }

    def oauth_problems(self, mode: Mode) -> list[str]:
        """What stops installs across workspaces: the three variables go together, the key must be Fernet's."""
        given = self._oauth_values()
        if not any(given.values()):
            return []
        missing = [var for var, ok in given.items() if not ok]
        if missing:
            return [
                f"{var} is not set, but installing in several workspaces needs it with "
                f"{' and '.join(v for v in given if v != var)}. Get it from {WHERE[var]}."
                for var in missing
            ]
        from storage.installations import EncryptionKeyError, TokenCipher

        problems = []
        try:
            assert self.liaison_encryption_key is not None
            TokenCipher(self.liaison_encryption_key.get_secret_value())
        except EncryptionKeyError:
            problems.append(
                f"LIAISON_ENCRYPTION_KEY is not a Fernet key (or a comma-separated list of them). Expected "
                f"{WHERE['LIAISON_ENCRYPTION_KEY']}."
            )
        if mode != "http":
            problems.append(
                "Installing in several workspaces serves /slack/install and /slack/oauth_redirect over HTTP: "
                "run `liaison run --http` with SLACK_SIGNING_SECRET."
            )
        return problems

    def check(self, mode: Mode) -> None:
        """Raise SettingsError naming every variable the mode needs but lacks or cannot use."""
        problems: list[str] = []

        def need(var: str, value: SecretStr | None, prefix: str | None) -> None:
            if value is None or not value.get_secret_value().strip():
                problems.append(f"{var} is not set. Get it from {WHERE[var]}.")
            elif prefix and not value.get_secret_value().startswith(prefix):
                problems.append(f"{var} should start with '{prefix}'. Get it from {WHERE[var]}.")

        problems.extend(self.oauth_problems(mode))
        if not self.oauth_enabled:
            need("SLACK_BOT_TOKEN", self.slack_bot_token, "xoxb-")
        if mode == "http":
            need("SLACK_SIGNING_SECRET", self.slack_signing_secret, None)
            if self.metrics_port == self.port:
                problems.append(
                    f"METRICS_PORT must differ from PORT ({self.port}): /metrics is never served where Slack reaches."
                )
        else:
            need("SLACK_APP_TOKEN", self.slack_app_token, "xapp-")
        if problems:
            raise SettingsError(problems)


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's errors into SettingsError messages that name the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            var = str(err["loc"][0]).upper() if err["loc"] else "?"
            hint = WHERE.get(var, "")
            problems.append(f"{var} is malformed ({err['msg']}). Expected {hint}.")
        raise SettingsError(problems) from None


def configure_logging(level: str, fmt: Literal["text", "json"] = "text") -> None:
    """Logs on stderr, as text or one JSON object per line; tokens and response URLs are scrubbed (bot/logging.py)."""
    from bot.logging import configure

    configure(level, fmt)
