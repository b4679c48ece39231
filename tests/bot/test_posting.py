"""bot/posting.py: posts and updates never unfurl unless the call asks; a request's plain client is made quiet."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.posting import QuietRespond, QuietWebClient, quiet
from tests.harness.fake_slack import FakeSlack, unfurling_posts


async def test_posts_and_updates_are_quiet_unless_asked() -> None:
    with FakeSlack() as fake:
        fake.add_channel("C1", name="general")
        client = QuietWebClient(token="xoxb-test-token", base_url=fake.base_url)
        posted = await client.chat_postMessage(channel="C1", text="see https://acme.example")
        await client.chat_update(channel="C1", ts=str(posted["ts"]), text="now https://acme.example/2")
        await client.chat_postMessage(channel="C1", text="a preview wanted", unfurl_links=True)
        [asked] = unfurling_posts(fake)
        assert (asked.args["text"], asked.args["unfurl_links"], asked.args["unfurl_media"]) == (
            "a preview wanted",
            True,
            False,
        )
        await client.conversations_info(channel="C1")  # other methods are left alone
        assert "unfurl_links" not in fake.calls_to("conversations.info")[0].args


async def test_a_plain_client_is_made_quiet_in_place() -> None:
    with FakeSlack() as fake:
        fake.add_channel("C1", name="general")
        plain = AsyncWebClient(token="xoxb-test-token", base_url=fake.base_url, team_id="T0HOME")
        made = quiet(plain)
        assert made is plain and isinstance(made, QuietWebClient) and made.token == "xoxb-test-token"
        await made.chat_postMessage(channel="C1", text="https://acme.example")
        assert unfurling_posts(fake) == []


async def test_respond_is_quiet() -> None:
    with FakeSlack() as fake:
        respond = QuietRespond(response_url=fake.response_url("k1"))
        await respond(text="see https://acme.example", response_type="in_channel")
        [call] = fake.calls_to("response_url")
        assert (call.args["unfurl_links"], call.args["unfurl_media"]) == (False, False)
