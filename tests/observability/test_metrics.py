"""GET /metrics end to end: its own port, and the counters a team watches move with what the app did."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from handlers.commands import runner
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import CAROL, SHARED_CHANNEL, Clock, reply_text, running_liaison
from tests.observability.conftest import Observed, free_port, moved, settled, value

MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
TUESDAY_0945 = datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI)  # a 10:00 sync's 15-minute reminder


async def test_metrics_are_on_their_own_port_and_never_on_the_slack_port(observed: Observed) -> None:
    app = observed.app
    assert (await app.http.get(f"{app.url}/metrics")).status_code == 404
    response = await app.http.get(observed.metrics_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for line in (
        "# TYPE liaison_commands_total counter",
        "# TYPE liaison_ack_seconds histogram",
        "# TYPE liaison_listener_work_in_flight gauge",
        "# TYPE liaison_slack_api_calls_total counter",
        "# TYPE liaison_schedule_occurrences_total counter",
        "# TYPE liaison_delivery_delay_seconds histogram",
        "# TYPE liaison_db_pool_wait_seconds histogram",
        "# TYPE liaison_db_connections_in_use gauge",
    ):
        assert line in response.text
    slack_side = observed.metrics_url.removesuffix("/metrics")
    assert (await app.http.get(f"{slack_side}/healthz")).status_code == 404
    assert (await app.http.post(f"{slack_side}/slack/events", content=b"{}")).status_code == 404


async def test_metrics_stop_with_the_app(database_url: str) -> None:
    port = free_port()
    overrides = {"metrics_port": port, "metrics_host": "127.0.0.1"}
    async with running_liaison(database_url, settings_overrides=overrides) as app:
        assert (await app.http.get(f"http://127.0.0.1:{port}/metrics")).status_code == 200
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/metrics")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_commands_are_counted_by_outcome_with_their_acks_and_web_api_calls(
    observed: Observed, lang: str
) -> None:
    app = observed.app
    if lang == "zh":
        await app.command("/project", "settings lang:zh")
        good, mistake = "添加 服务器交付延迟 p:高 i:高", "查看 Z-9"
    else:
        good, mistake = "add Vendor late p:high i:4", "show Z-9"
    await settled(app)
    before = await observed.scrape()

    assert "R-1" in reply_text(await app.command("/risk", good))
    assert "Z-9" in reply_text(await app.command("/risk", mistake))
    refused = reply_text(
        await app.command("/project", "settings lang:en", user=CAROL, channel=SHARED_CHANNEL)
    )
    await settled(app)
    after = await observed.scrape()

    commands = "liaison_commands_total"
    assert moved(before, after, commands, command="/risk", subcommand="add", outcome="ok") == 1
    assert moved(before, after, commands, command="/risk", subcommand="show", outcome="user_error") == 1
    assert (
        moved(before, after, commands, command="/project", subcommand="settings", outcome="refused") == 1
    ), refused
    assert moved(before, after, commands, command="/risk", subcommand="add", outcome="error") == 0
    assert moved(before, after, "liaison_ack_seconds_count", kind="command") == 3
    assert moved(before, after, "liaison_ack_seconds_sum", kind="command") > 0
    assert value(after, "liaison_listener_work_in_flight") == value(before, "liaison_listener_work_in_flight")


async def test_scheduled_digest_counts_its_occurrence_and_delivery_delay(
    observed: Observed, clock: Clock
) -> None:
    app = observed.app
    await app.command("/digest", "every monday 9am client charts:off")
    before = await observed.scrape()
    clock.now = MONDAY_9AM + timedelta(seconds=90)  # the scheduler came round a minute and a half late
    await app.svc.runner.run_all()
    after = await observed.scrape()

    occurrences = "liaison_schedule_occurrences_total"
    assert moved(before, after, occurrences, kind="digest", status="claimed") == 1
    assert moved(before, after, occurrences, kind="digest", status="posted") == 1
    assert moved(before, after, "liaison_delivery_delay_seconds_count", kind="digest") == 1
    assert moved(before, after, "liaison_delivery_delay_seconds_sum", kind="digest") == 90
    assert moved(before, after, "liaison_delivery_delay_seconds_bucket", kind="digest", le="60.0") == 0
    assert moved(before, after, "liaison_delivery_delay_seconds_bucket", kind="digest", le="120.0") == 1
    assert moved(before, after, "liaison_slack_api_calls_total", method="chat.postMessage", outcome="ok") == 1


async def test_missed_failed_and_rate_limited_occurrences(observed: Observed, clock: Clock) -> None:
    app = observed.app
    await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    app.svc.runner.sleep = no_wait  # the engine's own backoff; slack_sdk's 429 handler would really sleep
    client = app.runtime.app.client
    client.retry_handlers = [
        h for h in client.retry_handlers if not isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    occurrences, calls = "liaison_schedule_occurrences_total", "liaison_slack_api_calls_total"

    # Nobody ran for two weeks: the two reminders long past are missed, the one due now is posted.
    before = await observed.scrape()
    clock.now = TUESDAY_0945 + timedelta(days=14)
    await app.svc.runner.run_all()
    after = await observed.scrape()
    assert moved(before, after, occurrences, kind="sync", status="missed") == 2
    assert moved(before, after, occurrences, kind="sync", status="posted") == 1

    # Slack says 429 once (Retry-After: 5): counted as rate-limited, then posted.
    app.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=5)
    before = after
    clock.now += timedelta(days=7)
    await app.svc.runner.run_all()
    after = await observed.scrape()
    assert slept == [5.0]
    assert moved(before, after, calls, method="chat.postMessage", outcome="ratelimited") == 1
    assert moved(before, after, calls, method="chat.postMessage", outcome="ok") == 1
    assert moved(before, after, occurrences, kind="sync", status="posted") == 1

    # Slack refuses for good: the occurrence fails, and the error code is the call's outcome.
    app.fake.fail_next("chat.postMessage", "channel_not_found")
    before = after
    clock.now += timedelta(days=7)
    await app.svc.runner.run_all()
    after = await observed.scrape()
    assert moved(before, after, calls, method="chat.postMessage", outcome="channel_not_found") == 1
    assert moved(before, after, occurrences, kind="sync", status="claimed") == 1
    assert moved(before, after, occurrences, kind="sync", status="failed") == 1
    assert moved(before, after, occurrences, kind="sync", status="posted") == 0


async def test_database_pool_wait_is_measured(observed: Observed) -> None:
    app = observed.app
    await settled(app)
    before = await observed.scrape()
    for n in range(3):
        await app.command("/decision", f"Go live on {n + 1} March")
    await settled(app)
    after = await observed.scrape()
    assert moved(before, after, "liaison_db_pool_wait_seconds_count") >= 3  # a checkout per unit of work
    assert moved(before, after, "liaison_db_pool_wait_seconds_sum") >= 0
    # Idle again: every connection went back to the pool.
    assert value(after, "liaison_db_connections_in_use") == value(before, "liaison_db_connections_in_use")


async def test_listener_work_in_flight_counts_acknowledged_work_until_it_ends(
    observed: Observed, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = observed.app
    await settled(app)
    release = asyncio.Event()
    resolve_where = runner.resolve_where

    async def held(*args: Any, **kw: Any) -> Any:  # the work after the ack waits until the test lets it go
        await release.wait()
        return await resolve_where(*args, **kw)

    monkeypatch.setattr(runner, "resolve_where", held)
    gauge = "liaison_listener_work_in_flight"
    before = await observed.scrape()
    response, form = await app.send_command("/decision", "Go live on 1 March")
    assert response.status_code == 200  # acknowledged; the work is still running
    during = await observed.scrape()
    release.set()
    key = form["response_url"].rsplit("/", 1)[-1]
    await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    await settled(app)
    after = await observed.scrape()
    assert moved(before, during, gauge) == 1
    assert moved(before, after, gauge) == 0


async def test_a_command_that_breaks_is_counted_as_an_error(
    observed: Observed, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = observed.app
    body_for = runner.body_for
    acked = asyncio.Event()

    def broken(command: str, name: str) -> Any:
        if command == "/decision":

            async def body(_call: Any) -> None:
                # Fails once the ack is out (Bolt loses the HTTP answer of a listener that fails within
                # the 10 ms it polls for the ack in).
                await acked.wait()
                raise RuntimeError("a bug")

            return body
        return body_for(command, name)

    monkeypatch.setattr(runner, "body_for", broken)
    before = await observed.scrape()
    response, form = await app.send_command("/decision", "Go live on 1 March")
    assert response.status_code == 200
    acked.set()
    key = form["response_url"].rsplit("/", 1)[-1]
    [call] = await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    reply = call.args
    await settled(app)
    after = await observed.scrape()
    assert reply["response_type"] == "ephemeral" and reply_text(reply)  # the generic error, in words
    commands = "liaison_commands_total"
    assert moved(before, after, commands, command="/decision", subcommand="add", outcome="error") == 1
    assert moved(before, after, commands, command="/decision", subcommand="add", outcome="ok") == 0


async def test_chart_uploads_are_counted_under_one_label_not_one_per_file(observed: Observed) -> None:
    app = observed.app
    await app.command("/risk", "add Vendor late p:high i:4 [client]")
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]')
    await settled(app)
    before = await observed.scrape()
    await app.command("/digest", "now client")  # with its two charts: a risk heat map, a milestone timeline
    await settled(app)
    after = await observed.scrape()
    calls = "liaison_slack_api_calls_total"
    assert moved(before, after, calls, method="files.getUploadURLExternal", outcome="ok") == 2
    assert moved(before, after, calls, method="file_upload", outcome="ok") == 2
    assert moved(before, after, calls, method="files.completeUploadExternal", outcome="ok") >= 1
    methods = {dict(labels)["method"] for name, labels in after if name == calls}
    assert all("." in method or method in {"file_upload", "other"} for method in methods), methods
