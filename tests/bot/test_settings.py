"""Settings and logging: one typed object; tokens never printed."""

from __future__ import annotations

import logging

import pytest

from bot.logging import TokenRedactingFilter, redact
from bot.settings import Settings, SettingsError, load_settings, normalise_database_url


def test_database_urls_get_async_drivers() -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("sqlite:///data/x.db") == "sqlite+aiosqlite:///data/x.db"


def test_defaults_and_env_file(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL", "PORT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=4000\n")  # type: ignore[operator]
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-dotenv"
    assert settings.port == 4000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url.startswith("sqlite+aiosqlite:///data/")
    assert "xoxb-from-dotenv" not in repr(settings)


def test_unsupported_database_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(SettingsError) as err:
        load_settings(_env_file=None)
    assert "DATABASE_URL is malformed" in err.value.problems[0]


def test_http_mode_needs_the_signing_secret() -> None:
    settings = Settings(slack_bot_token="xoxb-1", _env_file=None)  # type: ignore[arg-type, call-arg]
    with pytest.raises(SettingsError) as err:
        settings.check("http")
    assert any("SLACK_SIGNING_SECRET" in p for p in err.value.problems)


def test_tokens_are_scrubbed_from_log_records(caplog: pytest.LogCaptureFixture) -> None:
    assert redact("Authorization: Bearer xoxb-123-456-abc") == "Authorization: Bearer xoxb-***"
    assert redact("xapp-1-A0-123-zzz and xoxp-9") == "xapp-*** and xoxp-***"
    logger = logging.getLogger("test.redact")
    record = logger.makeRecord("t", logging.INFO, __file__, 1, "token=%s", ("xoxb-secret-1",), None)
    TokenRedactingFilter().filter(record)
    assert "xoxb-secret-1" not in record.getMessage()
