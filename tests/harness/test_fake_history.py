"""The fake Slack's conversations.history (metadata, oldest, limit, cursor, required channel) and its
"take the post, drop the answer" fault, driven by slack_sdk's real clients."""

from __future__ import annotations

from collections.abc import Iterator

import aiohttp
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.harness.fake_slack import FakeSlack

TOKEN = "xoxb-test-token"
META = {"event_type": "liaison_occurrence", "event_payload": {"occurrence": "7"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0GENERAL", name="general")
        server.add_user("U0ALICE", name="alice")
        yield server


def test_history_is_newest_first_with_metadata_only_when_asked(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    first = client.chat_postMessage(channel="C0GENERAL", text="one")
    client.chat_postMessage(channel="C0GENERAL", text="two", metadata=META)
    client.chat_postMessage(channel="C0GENERAL", text="reply", thread_ts=first["ts"])
    plain = client.conversations_history(channel="C0GENERAL")
    assert [m["text"] for m in plain["messages"]] == ["two", "one"]  # thread replies are not in history
    assert all("metadata" not in m for m in plain["messages"])
    tagged = client.conversations_history(channel="C0GENERAL", include_all_metadata=True)
    assert tagged["messages"][0]["metadata"] == META
    since = client.conversations_history(channel="C0GENERAL", oldest=first["ts"])
    assert [m["text"] for m in since["messages"]] == ["two"]  # oldest is exclusive


def test_history_pages_with_a_cursor_and_refuses_a_missing_or_unknown_channel(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    for n in range(5):
        client.chat_postMessage(channel="C0GENERAL", text=f"m{n}")
    page = client.conversations_history(channel="C0GENERAL", limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"] and page["has_more"]
    rest = client.conversations_history(
        channel="C0GENERAL", limit=10, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"] and not rest["has_more"]
    for args in ({}, {"channel": "C0NOPE"}):
        with pytest.raises(SlackApiError) as refused:
            client.api_call("conversations.history", params=args)
        assert refused.value.response["error"] == "channel_not_found"


async def test_a_dropped_answer_leaves_the_post_made_and_the_caller_without_an_answer(
    fake: FakeSlack,
) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=fake.base_url, retry_handlers=[])
    fake.drop_answers("chat.postMessage", times=1)
    with pytest.raises((aiohttp.ClientError, OSError)):
        await client.chat_postMessage(channel="C0GENERAL", text="landed", metadata=META)
    assert [m["text"] for m in fake.messages("C0GENERAL")] == ["landed"] and fake.answers_dropped == 1
    answered = await client.chat_postMessage(channel="C0GENERAL", text="answered")  # the next one is answered
    assert answered["ok"]
    fake.drop_answers("chat.postMessage", probability=1.0)
    with pytest.raises((aiohttp.ClientError, OSError)):
        await client.chat_postMessage(channel="C0GENERAL", text="again")
    fake.drop_answers("chat.postMessage")  # off
    assert (await client.chat_postMessage(channel="C0GENERAL", text="last"))["ok"]
    assert len(fake.messages("C0GENERAL")) == 4


def test_replies_are_the_parent_then_its_thread_oldest_first_with_metadata_only_when_asked(
    fake: FakeSlack,
) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    parent = client.chat_postMessage(channel="C0GENERAL", text="prompt")["ts"]
    one = client.chat_postMessage(channel="C0GENERAL", text="r1", thread_ts=parent)["ts"]
    client.chat_postMessage(channel="C0GENERAL", text="r2", thread_ts=parent, metadata=META)
    client.chat_postMessage(channel="C0GENERAL", text="elsewhere")
    plain = client.conversations_replies(channel="C0GENERAL", ts=parent)
    assert [m["text"] for m in plain["messages"]] == ["prompt", "r1", "r2"]
    assert plain["messages"][0]["reply_count"] == 2 and plain["messages"][0]["thread_ts"] == parent
    assert all("metadata" not in m for m in plain["messages"])
    tagged = client.conversations_replies(channel="C0GENERAL", ts=parent, include_all_metadata=True)
    assert tagged["messages"][2]["metadata"] == META
    since = client.conversations_replies(channel="C0GENERAL", ts=parent, oldest=one)
    assert [m["text"] for m in since["messages"]] == ["prompt", "r2"]  # the parent first, oldest exclusive
    page = client.conversations_replies(channel="C0GENERAL", ts=parent, limit=2)
    assert [m["text"] for m in page["messages"]] == ["prompt", "r1"] and page["has_more"]
    rest = client.conversations_replies(
        channel="C0GENERAL", ts=parent, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["r2"] and not rest["has_more"]


def test_replies_refuse_what_slack_refuses(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    parent = client.chat_postMessage(channel="C0GENERAL", text="prompt")["ts"]
    reply = client.chat_postMessage(channel="C0GENERAL", text="r1", thread_ts=parent)["ts"]
    by_reply = client.conversations_replies(channel="C0GENERAL", ts=reply)  # a reply names its whole thread
    assert [m["text"] for m in by_reply["messages"]] == ["prompt", "r1"]
    refusals = [
        ({"ts": parent}, "channel_not_found"),
        ({"channel": "C0NOPE", "ts": parent}, "channel_not_found"),
        ({"channel": "C0GENERAL"}, "invalid_arguments"),  # ts is required
        ({"channel": "C0GENERAL", "ts": "1.000001"}, "thread_not_found"),
    ]
    for args, error in refusals:
        with pytest.raises(SlackApiError) as refused:
            client.api_call("conversations.replies", params=args)
        assert refused.value.response["error"] == error, args
