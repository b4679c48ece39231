"""The fake Slack Web API, driven by slack_sdk's real clients the way the app will drive it."""

from __future__ import annotations

import json
import random
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from tests.harness.fake_slack import FakeSlack, validate_blocks, validate_view

TOKEN = "xoxb-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0GENERAL", name="general", members=["U0ALICE"])
        server.add_channel("C0SHARED", name="acme-project", is_ext_shared=True)
        server.add_user("U0ALICE", name="alice", tz="Asia/Shanghai", locale="zh-CN")
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.base_url)


def _error(exc: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return exc.value.response["error"]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _modal(**overrides: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "new_risk",
        "title": {"type": "plain_text", "text": "New risk"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }
    view.update(overrides)
    return view


# ------------------------------------------------------------------ auth and transport


def test_auth_test_round_trip(fake: FakeSlack, client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0HOME"
    assert answer["user_id"] == "U0BOT"
    assert answer["bot_id"] == "B0BOT"
    assert answer["url"] == "https://home-co.slack.com/"
    call = fake.wait_for("auth.test")[0]
    assert call.token == TOKEN
    assert call.status == 200


def test_wrong_or_missing_token_and_unknown_method(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=fake.base_url).auth_test()
    assert _error(wrong) == "invalid_auth"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=fake.base_url).auth_test()
    assert _error(missing) == "not_authed"
    with pytest.raises(SlackApiError) as unknown:
        WebClient(token=TOKEN, base_url=fake.base_url).api_call("reminders.add", params={"text": "x"})
    assert _error(unknown) == "unknown_method"
    assert [c.response["error"] for c in fake.calls] == ["invalid_auth", "not_authed", "unknown_method"]
    assert fake.calls_to("auth.test") == []
    assert len(fake.calls_to("auth.test", include_errors=True)) == 2


def test_form_body_with_token_argument_and_json_string_blocks(fake: FakeSlack) -> None:
    body = "channel=C0GENERAL&text=hi&token={}&blocks={}".format(
        TOKEN, urllib.parse.quote(json.dumps([_section("*hi*")]))
    )
    request = urllib.request.Request(f"{fake.base_url}chat.postMessage", data=body.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.loads(response.read())
    assert answer["ok"] is True
    call = fake.calls_to("chat.postMessage")[0]
    assert call.token == TOKEN
    assert "token" not in call.args
    assert call.args["blocks"] == [_section("*hi*")]
    assert fake.messages("C0GENERAL")[0]["blocks"] == [_section("*hi*")]


# ------------------------------------------------------------------ messages


def test_post_message_records_and_returns_increasing_ts(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0GENERAL", text="hello", blocks=[_section("hello")])
    second = client.chat_postMessage(channel="C0GENERAL", text="again", thread_ts=first["ts"])
    assert first["channel"] == "C0GENERAL"
    assert first["message"]["text"] == "hello"
    assert first["message"]["bot_id"] == "B0BOT"
    assert float(second["ts"]) > float(first["ts"])
    stored = fake.messages("C0GENERAL")
    assert [m["text"] for m in stored] == ["hello", "again"]
    assert stored[1]["thread_ts"] == first["ts"]
    assert stored[0]["user"] == "U0BOT"
    assert fake.calls_to("chat.postMessage")[0].args["channel"] == "C0GENERAL"


def test_post_message_to_user_goes_to_a_stable_dm(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0ALICE", text="hi alice")
    opened = client.conversations_open(users=["U0ALICE"])
    assert posted["channel"].startswith("D")
    assert opened["channel"]["id"] == posted["channel"]
    assert opened["already_open"] is True
    assert [m["text"] for m in fake.messages("U0ALICE")] == ["hi alice"]
    info = client.conversations_info(channel=posted["channel"])["channel"]
    assert info["is_im"] is True
    assert info["user"] == "U0ALICE"


def test_post_message_refusals(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as no_channel:
        client.api_call("chat.postMessage", json={"text": "hi"})
    assert _error(no_channel) == "channel_not_found"
    with pytest.raises(SlackApiError) as unknown_channel:
        client.chat_postMessage(channel="C0NOPE", text="hi")
    assert _error(unknown_channel) == "channel_not_found"
    with (
        pytest.raises(SlackApiError) as no_text,
        pytest.warns(UserWarning, match="`text` argument is missing"),
    ):
        client.chat_postMessage(channel="C0GENERAL")
    assert _error(no_text) == "no_text"
    assert fake.messages("C0GENERAL") == []
    refused = fake.calls_to("chat.postMessage", include_errors=True)
    assert len(refused) == 3
    assert all(c.status == 200 and not c.ok for c in refused)


def test_51_blocks_refused(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0GENERAL", text="fifty", blocks=[_section(str(i)) for i in range(50)])
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C0GENERAL", text="x", blocks=[_section(str(i)) for i in range(51)])
    assert _error(exc) == "invalid_blocks"
    assert exc.value.response["errors"] == ["no more than 50 items allowed [json-pointer:/blocks]"]
    assert exc.value.response["response_metadata"]["messages"][0].startswith("[ERROR] ")
    assert len(fake.messages("C0GENERAL")) == 1


def test_section_text_over_3000_refused(client: WebClient) -> None:
    client.chat_postMessage(channel="C0GENERAL", text="ok", blocks=[_section("x" * 3000)])
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C0GENERAL", text="x", blocks=[_section("x" * 3001)])
    assert _error(exc) == "invalid_blocks"
    assert exc.value.response["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_header_over_150_refused(client: WebClient) -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C0GENERAL", text="x", blocks=[header])
    assert exc.value.response["errors"] == [
        "must be less than 151 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_update_and_delete(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="v1", blocks=[_section("v1")])
    updated = client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v2")
    assert updated["message"]["text"] == "v2"
    assert fake.messages("C0GENERAL")[0]["blocks"] == [_section("v1")]  # blocks left out are kept
    client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v3", blocks=[])
    assert fake.messages("C0GENERAL")[0]["blocks"] == []
    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel="C0GENERAL", ts="1.000001", text="x")
    assert _error(missing) == "message_not_found"
    client.chat_delete(channel="C0GENERAL", ts=posted["ts"])
    assert fake.messages("C0GENERAL") == []


def test_ephemeral_needs_a_member(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C0GENERAL", user="U0ALICE", text="only you")
    assert answer["message_ts"]
    assert fake.ephemerals("C0GENERAL")[0]["user"] == "U0ALICE"
    fake.add_user("U0BOB")
    with pytest.raises(SlackApiError) as exc:
        client.chat_postEphemeral(channel="C0GENERAL", user="U0BOB", text="x")
    assert _error(exc) == "user_not_in_channel"


def test_long_text_is_truncated_not_refused(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0GENERAL", text="y" * 40_005)
    assert len(fake.messages("C0GENERAL")[0]["text"]) == 40_000


# ------------------------------------------------------------------ conversations, users, groups


def test_conversations_info_shared_flags(client: WebClient) -> None:
    shared = client.conversations_info(channel="C0SHARED")["channel"]
    assert shared["is_ext_shared"] is True
    assert shared["is_shared"] is True
    assert shared["is_org_shared"] is False
    assert shared["is_channel"] is True
    home = client.conversations_info(channel="C0GENERAL")["channel"]
    assert (home["is_ext_shared"], home["is_shared"], home["is_private"]) == (False, False, False)
    assert home["name"] == "general"
    with pytest.raises(SlackApiError) as exc:
        client.conversations_info(channel="C0MISSING")
    assert _error(exc) == "channel_not_found"


def test_users_info_tz_and_locale(fake: FakeSlack, client: WebClient) -> None:
    alice = client.users_info(user="U0ALICE")["user"]
    assert alice["tz"] == "Asia/Shanghai"
    assert alice["tz_offset"] == 8 * 3600
    assert alice["tz_label"] == "China Standard Time"
    assert alice["team_id"] == "T0HOME"
    assert "locale" not in alice
    assert client.users_info(user="U0ALICE", include_locale=True)["user"]["locale"] == "zh-CN"

    fake.add_user("U0EXT", team_id="T0OTHER", tz="America/New_York")
    outsider = client.users_info(user="U0EXT")["user"]
    offset = datetime.now(tz=UTC).astimezone(ZoneInfo("America/New_York")).utcoffset()
    assert offset is not None
    assert outsider["tz_offset"] == int(offset.total_seconds())
    assert outsider["team_id"] == "T0OTHER"
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U0NOBODY")
    assert _error(exc) == "user_not_found"


def test_members_and_usergroups(fake: FakeSlack, client: WebClient) -> None:
    members = client.conversations_members(channel="C0GENERAL")
    assert members["members"] == ["U0ALICE"]
    assert members["response_metadata"]["next_cursor"] == ""
    fake.add_usergroup("S0PMO", ["U0ALICE", "U0BOB"])
    assert client.usergroups_users_list(usergroup="S0PMO")["users"] == ["U0ALICE", "U0BOB"]
    with pytest.raises(SlackApiError) as exc:
        client.usergroups_users_list(usergroup="S0NONE")
    assert _error(exc) == "no_such_subteam"


# ------------------------------------------------------------------ views


def test_views_open_update_publish(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="123.456.abc", view=_modal())["view"]
    assert opened["id"].startswith("V")
    assert opened["hash"]
    assert fake.views[opened["id"]]["callback_id"] == "new_risk"
    updated = client.views_update(
        view_id=opened["id"], hash=opened["hash"], view=_modal(private_metadata="7")
    )
    assert updated["view"]["private_metadata"] == "7"
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=_modal())
    assert _error(stale) == "hash_conflict"
    home = {"type": "home", "blocks": [_section("Welcome")]}
    client.views_publish(user_id="U0ALICE", view=home)
    assert fake.home_views["U0ALICE"]["blocks"] == [_section("Welcome")]


def test_modal_title_over_24_refused(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="1.2.3", view=_modal(title={"type": "plain_text", "text": "t" * 25}))
    assert _error(exc) == "invalid_arguments"
    assert exc.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


def test_views_missing_required_argument(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("views.open", json={"view": _modal()})
    assert exc.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: trigger_id"
    ]


# ------------------------------------------------------------------ pure validators


def test_validate_blocks_rules() -> None:
    button = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
    assert (
        validate_blocks([_section("ok"), {"type": "actions", "elements": [button]}], surface="message") == []
    )
    assert validate_blocks([{"type": "carousel"}], surface="message") == [
        "unsupported type: carousel [json-pointer:/blocks/0/type]"
    ]
    duplicate_blocks = [{**_section("a"), "block_id": "b"}, {**_section("b"), "block_id": "b"}]
    assert validate_blocks(duplicate_blocks, surface="message") == [
        "duplicate block_id: b [json-pointer:/blocks/1/block_id]"
    ]
    duplicate_actions = [{"type": "actions", "elements": [button, button]}]
    assert validate_blocks(duplicate_actions, surface="message") == [
        "duplicate action_id: go [json-pointer:/blocks/0/elements/1/action_id]"
    ]
    input_block = _modal()["blocks"][0]
    assert validate_blocks([input_block], surface="modal") == []
    assert validate_blocks([input_block], surface="message") == [
        "input blocks are not allowed in a message [json-pointer:/blocks/0/type]"
    ]
    assert validate_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], surface="home") == [
        "must be more than 0 characters [json-pointer:/blocks/0/text/text]"
    ]
    long_button = {**button, "text": {"type": "plain_text", "text": "b" * 76}}
    assert validate_blocks([{"type": "actions", "elements": [long_button]}], surface="message") == [
        "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"
    ]
    assert validate_blocks([{"type": "image", "image_url": "https://x/y.png"}], surface="message") == [
        "missing required field: alt_text [json-pointer:/blocks/0]"
    ]


def test_validate_view_rules() -> None:
    assert validate_view(_modal()) == []
    assert validate_view(_modal(submit=None)) == [
        "missing required field: submit (a modal with input blocks must have one) [json-pointer:/view]"
    ]
    assert validate_view(_modal(private_metadata="m" * 3001)) == [
        "must be less than 3001 characters [json-pointer:/view/private_metadata]"
    ]
    assert validate_view({"type": "home", "blocks": [_section(str(i)) for i in range(101)]}) == [
        "no more than 100 items allowed [json-pointer:/view/blocks]"
    ]


# ------------------------------------------------------------------ response_url, waiting, failures


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    url = fake.response_url("cmd-1")
    assert url == f"http://127.0.0.1:{fake.port}/response/cmd-1"
    answer = WebhookClient(url).send(text="done", response_type="in_channel")
    assert answer.status_code == 200
    call = fake.wait_for("response_url")[0]
    assert call.args == {"text": "done", "response_type": "in_channel", "_key": "cmd-1"}


def test_wait_for_blocks_until_the_call_arrives(fake: FakeSlack, client: WebClient) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel="C0GENERAL", text="later"))
    timer.start()
    try:
        calls = fake.wait_for("chat.postMessage", where=lambda c: c.args.get("text") == "later", timeout=5)
    finally:
        timer.join()
    assert calls[0].response["channel"] == "C0GENERAL"


def test_wait_for_times_out_with_a_summary(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"(?s)chat\.postMessage.*auth\.test -> 200 ok"):
        fake.wait_for("chat.postMessage", timeout=0.1)


def test_fail_next_fails_once(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("conversations.info", "internal_error")
    with pytest.raises(SlackApiError) as exc:
        client.conversations_info(channel="C0GENERAL")
    assert _error(exc) == "internal_error"
    assert client.conversations_info(channel="C0GENERAL")["channel"]["id"] == "C0GENERAL"


def test_rate_limit_answers_429_and_the_retry_handler_recovers(
    fake: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.rate_limit("chat.postMessage", per_channel_per_second=1.0, burst=1)
    client.chat_postMessage(channel="C0GENERAL", text="first")
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C0GENERAL", text="too soon")
    assert exc.value.response.status_code == 429
    assert _error(exc) == "ratelimited"
    assert int(exc.value.response.headers["Retry-After"]) >= 1
    client.chat_postMessage(channel="C0SHARED", text="other channel has its own bucket")

    # The handler sleeps Retry-After plus up to a second of jitter; take the jitter out to keep this fast.
    monkeypatch.setattr(random, "random", lambda: 0.0)
    patient = WebClient(token=TOKEN, base_url=fake.base_url, retry_handlers=[RateLimitErrorRetryHandler()])
    patient.chat_postMessage(channel="C0GENERAL", text="after waiting")
    statuses = [c.status for c in fake.calls_to("chat.postMessage", include_errors=True)]
    assert statuses[-2:] == [429, 200]
    assert [m["text"] for m in fake.messages("C0GENERAL")] == ["first", "after waiting"]


def test_a_workspace_wide_rate_limits_every_channel_together(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit(
        "chat.postMessage",
        per_channel_per_second=1.0,
        burst=3,
        per_workspace_per_minute=60,
        workspace_burst=2,
    )
    client.chat_postMessage(channel="C0GENERAL", text="one")
    client.chat_postMessage(channel="C0SHARED", text="two")
    with pytest.raises(
        SlackApiError
    ) as exc:  # a third channel, its own bucket full: the workspace's is empty
        client.chat_postMessage(channel="C0INTERNAL", text="three")
    assert exc.value.response.status_code == 429 and int(exc.value.response.headers["Retry-After"]) >= 1
    assert fake.rate_limited == 1
    fake.rate_limit("files.completeUploadExternal", per_channel_per_second=None, per_workspace_per_minute=1)
    with pytest.raises(ValueError):
        fake.rate_limit("chat.postMessage", per_channel_per_second=None)


# ------------------------------------------------------------------ files


def test_files_upload_v2_stores_bytes_and_posts(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C0GENERAL", content=b"risk,owner\n1,alice\n", filename="risks.csv", initial_comment="Risks"
    )
    file_id = answer["file"]["id"]
    stored = fake.uploaded_files[file_id]
    assert stored["content"] == b"risk,owner\n1,alice\n"
    assert stored["length"] == len(b"risk,owner\n1,alice\n")
    assert (stored["filename"], stored["channel_id"], stored["initial_comment"]) == (
        "risks.csv",
        "C0GENERAL",
        "Risks",
    )
    message = fake.messages("C0GENERAL")[-1]
    assert message["text"] == "Risks"
    assert message["files"][0]["id"] == file_id
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]


# ------------------------------------------------------------------ the async client


async def test_async_client_round_trip(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=fake.base_url)
    assert (await client.auth_test())["user_id"] == "U0BOT"
    info = await client.users_info(user="U0ALICE", include_locale=True)
    assert info["user"]["locale"] == "zh-CN"
    posted = await client.chat_postMessage(channel="C0GENERAL", text="async", blocks=[_section("async")])
    assert fake.messages("C0GENERAL")[0]["ts"] == posted["ts"]
    uploaded = await client.files_upload_v2(channel="C0SHARED", content="notes", filename="notes.txt")
    assert fake.uploaded_files[uploaded["file"]["id"]]["content"] == b"notes"
    assert fake.messages("C0SHARED")[0]["files"][0]["name"] == "notes.txt"
