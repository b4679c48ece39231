"""Settings for installing in several workspaces: the three variables together or none, a Fernet key, HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot import cli
from bot.install import manifest_bot_scopes
from bot.settings import Settings, SettingsError

KEY = Fernet.generate_key().decode()
OAUTH = {"slack_client_id": "1.2", "slack_client_secret": "s3cret", "liaison_encryption_key": KEY}


def _settings(**values: object) -> Settings:
    return Settings(slack_signing_secret="sig", _env_file=None, **values)  # type: ignore[arg-type, call-arg]


def _problems(settings: Settings, mode: str = "http") -> str:
    with pytest.raises(SettingsError) as caught:
        settings.check(mode)  # type: ignore[arg-type]
    return "\n".join(caught.value.problems)


def test_all_three_serve_installs_over_http_without_a_bot_token() -> None:
    settings = _settings(**OAUTH)
    assert settings.oauth_enabled
    settings.check("http")


def test_two_keys_comma_separated_are_accepted() -> None:
    _settings(**{**OAUTH, "liaison_encryption_key": f"{Fernet.generate_key().decode()}, {KEY}"}).check("http")


@pytest.mark.parametrize("missing", sorted(OAUTH))
def test_one_missing_names_it_and_where_to_get_it(missing: str) -> None:
    given = {k: v for k, v in OAUTH.items() if k != missing}
    settings = _settings(**given)
    assert not settings.oauth_enabled
    problems = _problems(settings)
    assert f"{missing.upper()} is not set, but installing in several workspaces needs it" in problems
    assert "Basic Information" in problems or "liaison keys generate" in problems


def test_a_malformed_key_is_refused() -> None:
    problems = _problems(_settings(**{**OAUTH, "liaison_encryption_key": "not-a-key"}))
    assert "LIAISON_ENCRYPTION_KEY is not a Fernet key" in problems


def test_socket_mode_cannot_serve_the_install_pages() -> None:
    problems = _problems(_settings(**OAUTH, slack_app_token="xapp-1"), "socket")
    assert "liaison run --http" in problems


def test_one_workspace_mode_is_unchanged() -> None:
    settings = _settings(slack_bot_token="xoxb-1")
    assert not settings.oauth_enabled
    settings.check("http")
    assert "SLACK_BOT_TOKEN is not set" in _problems(_settings())


def test_liaison_run_stops_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setattr(cli, "configure_logging", lambda *a, **k: None)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "sig")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    assert cli.main(["run", "--http"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "SLACK_CLIENT_SECRET is not set" in err and "LIAISON_ENCRYPTION_KEY is not set" in err


def test_install_scopes_are_the_manifest_bot_scopes() -> None:
    scopes = manifest_bot_scopes()
    assert "chat:write" in scopes and "commands" in scopes
    assert all(":" in s or s == "commands" for s in scopes)
