"""Nothing Liaison posts unfurls (issue 15): replies, minutes sent to the client, sign-offs, sync reminders,
check-in prompts, digests and action reminders all carry `unfurl_links=false, unfurl_media=false`, even with
links in every title. The fake Slack records each post's arguments; `assert_nothing_unfurls` reads them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from tests.handlers.test_minutes_commands import QUICK
from tests.harness.app import ALICE, BOB, SHARED_CHANNEL, Clock, Liaison
from tests.harness.fake_slack import assert_nothing_unfurls, unfurling_posts

SHANGHAI = ZoneInfo("Asia/Shanghai")
LINK = "https://acme.example/spec"


async def test_the_main_flows_post_nothing_that_unfurls(app: Liaison, clock: Clock) -> None:
    await app.command("/minutes", QUICK.replace("Go live on 1 March", f"Go live on 1 March per <{LINK}>"))
    await app.command("/minutes", "send M-1")  # to the client channel, for sign-off
    await app.command("/action", f"add Review <{LINK}> <@{BOB}|bob> due:2026-11-25")
    await app.command("/action", f"add Check <{LINK}|the spec> <@U0CAROL|carol> due:2026-11-25 [client]")
    await app.command("/risk", f"add Vendor late, see {LINK} p:4 i:4 [client]")
    await app.command("/decision", f"Use {LINK} as the spec [client]")
    await app.command("/milestone", f'add "UAT {LINK}" due:2026-12-15 [client]')
    await app.command("/risk", "add x p:9")  # a mistake: an ephemeral answer
    await app.command("/sync", f'every tuesday 10am "Weekly sync {LINK}" remind:15m [client]')
    await app.command(
        "/checkin", f'every friday 4pm <@{ALICE}|alice> <@{BOB}|bob> question:"Progress on {LINK}?"'
    )
    await app.command("/digest", "now internal charts:off")
    await app.command("/digest", "now client charts:off")
    for moment in (
        datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI),  # the sync reminder
        datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI),  # action reminders on the due day
        datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI),  # check-in prompts
        datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI),  # nudges, summaries, sign-off nudges
        datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI),
    ):
        clock.now = moment
        await app.svc.runner.run_all()
    posted_to = {c.args.get("channel") for c in app.fake.calls_to("chat.postMessage")}
    assert SHARED_CHANNEL in posted_to and len(posted_to) >= 3  # the client channel, internal channel, DMs
    assert len(app.fake.calls_to("response_url")) >= 12
    checked = assert_nothing_unfurls(app.fake)
    print(
        {
            m: len(app.fake.calls_to(m))
            for m in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
        }
    )
    assert checked >= 25


async def test_the_check_sees_a_post_that_would_unfurl(app: Liaison) -> None:
    """The helper itself: a post without the flags (Slack's default is to unfurl) is reported."""
    plain = AsyncWebClient(token="xoxb-test-token", base_url=app.fake.base_url)
    await plain.chat_postMessage(channel=SHARED_CHANNEL, text=f"see {LINK}")
    [offending] = unfurling_posts(app.fake)
    assert offending.args["text"] == f"see {LINK}"
