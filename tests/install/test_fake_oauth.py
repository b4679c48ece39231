"""The fake Slack's oauth.v2.access answers like Slack's: client authentication (HTTP Basic or form fields),
a code used once, the refresh grant, and tokens that expire.
https://docs.slack.dev/reference/methods/oauth.v2.access"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
import time_machine

from tests.harness.fake_slack import OAuthFakeSlack

ID, SECRET = "111.222", "sekrit"


@pytest.fixture
def fake() -> Iterator[OAuthFakeSlack]:
    with OAuthFakeSlack(client_id=ID, client_secret=SECRET, rotation=True, expires_in=3600) as fake:
        yield fake


def _access(
    fake: OAuthFakeSlack, *, basic: bool = True, secret: str = SECRET, **form: str
) -> dict[str, object]:
    auth = (ID, secret) if basic else None
    data = form if basic else {**form, "client_id": ID, "client_secret": secret}
    answer: dict[str, object] = httpx.post(fake.base_url + "oauth.v2.access", data=data, auth=auth).json()
    return answer


@pytest.mark.parametrize("basic", [True, False], ids=["http-basic", "form-fields"])
def test_a_code_is_exchanged_once_for_a_bot_token(fake: OAuthFakeSlack, basic: bool) -> None:
    code = fake.authorize("T0NEW", team_name="New Co", scope="commands,chat:write")
    answer = _access(fake, basic=basic, code=code)
    assert answer["ok"] is True
    assert str(answer["access_token"]).startswith("xoxb-")
    assert str(answer["refresh_token"]).startswith("xoxe-1-")
    assert answer["expires_in"] == 3600
    assert answer["team"] == {"id": "T0NEW", "name": "New Co"}
    assert answer["scope"] == "commands,chat:write"
    assert answer["enterprise"] is None and answer["is_enterprise_install"] is False
    assert answer["authed_user"] == {"id": "U0ADMIN"}
    assert _access(fake, basic=basic, code=code) == {"ok": False, "error": "invalid_code"}
    assert "client_secret" not in fake.calls_to("oauth.v2.access")[0].args  # never kept


def test_client_credentials_are_checked(fake: OAuthFakeSlack) -> None:
    code = fake.authorize("T0NEW")
    assert _access(fake, secret="wrong", code=code) == {"ok": False, "error": "bad_client_secret"}
    answer = httpx.post(fake.base_url + "oauth.v2.access", data={"code": code}, auth=("999.1", SECRET)).json()
    assert answer == {"ok": False, "error": "invalid_client_id"}


def test_the_refresh_grant_issues_new_tokens_and_the_old_refresh_token_is_spent(fake: OAuthFakeSlack) -> None:
    first = _access(fake, code=fake.authorize("T0NEW"))
    again = _access(fake, grant_type="refresh_token", refresh_token=str(first["refresh_token"]))
    assert again["ok"] is True and again["access_token"] != first["access_token"]
    assert again["team"] == {"id": "T0NEW", "name": "T0NEW"}
    spent = _access(fake, grant_type="refresh_token", refresh_token=str(first["refresh_token"]))
    assert spent == {"ok": False, "error": "invalid_refresh_token"}


def test_each_token_answers_auth_test_for_its_workspace_until_it_expires(fake: OAuthFakeSlack) -> None:
    token = str(_access(fake, code=fake.authorize("T0NEW"))["access_token"])
    headers = {"Authorization": f"Bearer {token}"}
    answer = httpx.post(fake.base_url + "auth.test", headers=headers).json()
    assert (answer["ok"], answer["team_id"]) == (True, "T0NEW")
    with time_machine.travel(time.time() + 3601, tick=False):
        expired = httpx.post(fake.base_url + "auth.test", headers=headers).json()
    assert expired == {"ok": False, "error": "token_expired"}
    fake.revoke("T0NEW")
    assert httpx.post(fake.base_url + "auth.test", headers=headers).json() == {
        "ok": False,
        "error": "invalid_auth",
    }
