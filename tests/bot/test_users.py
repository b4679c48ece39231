"""The user directory: one users.info per person while fresh; a failure answers None and is not kept."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.users import UserDirectory
from tests.harness.fake_slack import FakeSlack


async def test_lookups_are_cached_and_failures_are_not() -> None:
    with FakeSlack() as fake:
        fake.add_user("U1", team_id="T0ACME", tz="Asia/Shanghai", locale="zh-CN")
        client = AsyncWebClient(token="xoxb-test-token", base_url=fake.base_url)
        users = UserDirectory()
        fake.fail_next("users.info", "internal_error")
        assert await users.get(client, "U1") is None
        assert await users.team_of(client, "U1") == "T0ACME"
        assert (await users.many(client, ["U1", "U1", ""]))["U1"]["locale"] == "zh-CN"
        assert await users.team_of(client, None) is None
        assert len(fake.calls_to("users.info", include_errors=True)) == 2
