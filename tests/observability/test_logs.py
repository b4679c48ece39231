"""Logs as an operator reads them: LOG_FORMAT=json gives one JSON object per line with the request, command,
project, record and occurrence; no token, no response URL and no record text ever gets in, even at DEBUG."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.logging import TokenRedactingFilter, log_context, make_handler, redact
from bot.settings import Settings, SettingsError, load_settings
from storage.db import create_engine
from storage.models import Occurrence, Project
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import BOT_TOKEN, Clock, reply_text
from tests.observability.conftest import Observed, settled

# The fake Slack's own web server (a thread in the test process) logs the paths it serves, response URLs
# among them: that is the stand-in for Slack talking, not Liaison.
FAKE_SLACK_LOGGERS = ("aiohttp.access", "aiohttp.server")


class Capture:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def app_lines(self) -> list[dict[str, object]]:
        return [line for line in self.lines() if not str(line["logger"]).startswith(FAKE_SLACK_LOGGERS)]


@pytest.fixture
def json_log() -> Iterator[Capture]:
    """Liaison's own LOG_FORMAT=json handler on the root logger, at DEBUG: everything any library says. Ask for
    it before the app (as `liaison run` configures logging first): Bolt sets its logger's level when made."""
    capture = Capture()
    handler = make_handler("json", capture.stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_json_lines_carry_request_command_project_and_record_and_never_secrets(
    json_log: Capture, observed: Observed, lang: str
) -> None:
    app = observed.app
    title = (
        "Vendor late SECRET-7f3 p:high i:4 [client]"
        if lang == "en"
        else "供应商交付延迟 机密-7f3 p:高 i:高 [client]"
    )
    marker = "SECRET-7f3" if lang == "en" else "机密-7f3"
    show, mistake = ("show R-1", "show Z-9") if lang == "en" else ("查看 R-1", "查看 Z-9")
    assert marker in reply_text(
        await app.command("/risk", f"add {title}" if lang == "en" else f"添加 {title}")
    )
    assert marker in reply_text(await app.command("/risk", show))
    assert "Z-9" in reply_text(await app.command("/risk", mistake))
    await settled(app)
    async with app.session() as s:
        project = (await s.exec(select(Project))).one()

    lines = json_log.lines()  # every line is one JSON object
    assert lines
    for line in lines:
        assert {"timestamp", "level", "logger", "message"} <= line.keys()
        assert datetime.fromisoformat(str(line["timestamp"])).utcoffset() == timedelta(0)
    runner = [
        line
        for line in lines
        if line["logger"] == "handlers.commands.runner" and str(line["command"]).startswith("/risk")
    ]
    assert [(line["command"], line.get("record"), line["level"]) for line in runner] == [
        ("/risk add", None, "INFO"),
        ("/risk show", "R-1", "INFO"),
        ("/risk show", None, "INFO"),
    ]
    assert [str(line["message"]).split(": ")[1].split(" ")[0] for line in runner] == [
        "ok",
        "ok",
        "user_error",
    ]
    assert all(line["project"] == project.id for line in runner)
    request_ids = [line["request_id"] for line in runner]
    assert len(set(request_ids)) == 3 and all(request_ids)
    # The ack Bolt logged for each request carries the same request id as the work done after it.
    acks = {
        line.get("request_id") for line in lines if str(line["message"]).startswith("Responding with status")
    }
    assert set(request_ids) <= acks

    # At DEBUG the Slack libraries print every body they send and receive: cut, never printed.
    assert any(
        "(body not logged)" in str(line["message"])
        for line in lines
        if line["logger"] == "slack_sdk.webhook.async_client"
    )
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in json_log.app_lines())
    assert marker not in text and "Vendor late" not in text and "供应商交付延迟" not in text
    assert "xoxb-" not in json_log.stream.getvalue()
    for form in app.sent:  # no response URL, whole or as its path
        assert (
            form["response_url"] not in text and form["response_url"].rsplit("/", 2)[-2] + "/cmd-" not in text
        )


async def test_a_scheduled_post_is_logged_with_its_project_and_occurrence(
    json_log: Capture, observed: Observed, clock: Clock
) -> None:
    app = observed.app
    await app.command("/sync", 'every tuesday 10am "Weekly sync with ACME" remind:15m')
    clock.now = datetime(2026, 11, 24, 9, 45, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    async with app.session() as s:
        occurrence = (await s.exec(select(Occurrence))).one()
        project = (await s.exec(select(Project))).one()
    [posted] = [line for line in json_log.lines() if line["logger"] == "bot.scheduler"]
    assert "posted" in str(posted["message"])
    assert (posted["occurrence"], posted["project"]) == (occurrence.id, project.id)
    assert "Weekly sync with ACME" not in json_log.stream.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_tokens_and_response_urls_are_scrubbed_from_messages_and_tracebacks(fmt: str) -> None:
    stream = io.StringIO()
    handler = make_handler(fmt, stream)  # type: ignore[arg-type]
    log = logging.getLogger("liaison.test.scrub")
    log.addHandler(handler)
    log.propagate = False
    hook = "https://hooks.slack.com/commands/T0HOME/123/AbCdEf"
    try:
        with log_context(request_id="r-1", command="/risk add"):
            log.warning("token %s, answer at %s", BOT_TOKEN, hook)
            try:
                raise RuntimeError(f"failed with {BOT_TOKEN} posting to {hook}")
            except RuntimeError:
                log.exception("it broke")
            log.info(
                "form body response_url=https%%3A%%2F%%2Fhooks.slack.com%%2Fcommands%%2FT0%%2F1%%2Fx&text=hi"
            )
    finally:
        log.removeHandler(handler)
        log.propagate = True
    out = stream.getvalue()
    assert "xoxb-test-token" not in out and "xoxb-***" in out
    assert "AbCdEf" not in out and "hooks.slack.com%2Fcommands" not in out
    if fmt == "json":
        assert out.count("\n") == 3  # one line per event, the traceback inside its line
        first, second, _third = (json.loads(line) for line in out.splitlines())
        assert (first["request_id"], first["command"], first["level"]) == ("r-1", "/risk add", "WARNING")
        assert "RuntimeError" in second["exc_info"]
    else:
        assert "request_id=r-1 command=/risk add" in out.splitlines()[0]


def test_log_format_and_metrics_port_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("METRICS_PORT", "9464")
    settings = load_settings(_env_file=None)
    assert (settings.log_format, settings.metrics_port) == ("json", 9464)
    monkeypatch.delenv("METRICS_PORT")
    assert load_settings(_env_file=None).metrics_port is None  # unset: no /metrics

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingsError) as bad:
        load_settings(_env_file=None)
    assert "LOG_FORMAT" in str(bad.value) and "json" in str(bad.value)
    monkeypatch.delenv("LOG_FORMAT")

    same = Settings(
        slack_bot_token="xoxb-1",  # type: ignore[arg-type]
        slack_signing_secret="s",  # type: ignore[arg-type]
        port=3000,
        metrics_port=3000,
        _env_file=None,  # type: ignore[call-arg]
    )
    with pytest.raises(SettingsError) as clash:
        same.check("http")
    assert "METRICS_PORT must differ from PORT" in str(clash.value)


@pytest.mark.parametrize("fmt", ["text", "json"])
async def test_a_logged_database_error_names_the_statement_but_not_what_was_typed(
    database_url: str, fmt: str
) -> None:
    typed = "SECRET-" + "title 机密"  # (not spelt out where the traceback quotes the source)
    engine = create_engine(database_url)  # the app's engine, as the app makes it
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("CREATE TABLE obs_t (id INTEGER PRIMARY KEY, title TEXT NOT NULL, n INTEGER NOT NULL)")
            )
        with pytest.raises(IntegrityError) as failure:
            async with engine.begin() as conn:
                insert = text("INSERT INTO obs_t (id, title, n) VALUES (1, :title, :n)")
                await conn.execute(insert, {"title": typed, "n": None})
    finally:
        await engine.dispose()
    stream = io.StringIO()
    log = logging.getLogger("liaison.test.database")
    log.addHandler(make_handler(fmt, stream))  # type: ignore[arg-type]
    log.propagate = False
    try:
        log.error("unhandled error in listener", exc_info=failure.value)
    finally:
        log.handlers.clear()
        log.propagate = True
    out = stream.getvalue()
    assert "INSERT INTO obs_t" in out and "IntegrityError" in out
    assert "SECRET-title" not in out and "机密" not in out


@pytest.mark.parametrize(
    ("logger", "message", "kept", "gone"),
    [
        (
            "slack_sdk.web.async_base_client",
            "Sending a request - url: POST https://slack.com/api/chat.postMessage, params: {}, "
            "json: {'channel': 'C1', 'text': 'SECRET plan'}, headers: {}",
            "POST https://slack.com/api/chat.postMessage",
            "SECRET",
        ),
        (
            "slack_sdk.web.async_base_client",
            "Received the following response - status: 200, headers: {}, body: {'ok': True, 'message': "
            "{'text': 'SECRET plan'}}",
            "status: 200",
            "SECRET",
        ),
        (
            "slack_sdk.webhook.async_client",
            'Sending a request - url: https://hooks.slack.com/commands/T1/2/abc, body: {"text": "SECRET"}, '
            "headers: {}",
            "Sending a request",
            "commands/T1",
        ),
        (
            "slack_bolt.AsyncApp",
            "Unhandled request ({'text': 'SECRET', 'response_url': 'x'})",
            "Unhandled",
            "SECRET",
        ),
        (
            "slack_bolt.AsyncApp",
            'Responding with status: 200 body: "SECRET" (3 millis)',
            "status: 200",
            "SECRET",
        ),
    ],
)
def test_slack_library_lines_keep_what_happened_and_drop_the_bodies(
    logger: str, message: str, kept: str, gone: str
) -> None:
    record = logging.LogRecord(logger, logging.DEBUG, __file__, 1, message, None, None)
    assert TokenRedactingFilter().filter(record)
    assert kept in record.getMessage() and gone not in record.getMessage()


def test_the_database_drivers_statement_lines_are_dropped() -> None:
    line = "executing functools.partial(<execute>, 'INSERT INTO risk (title) VALUES (?)', ('SECRET',))"
    record = logging.LogRecord("aiosqlite", logging.DEBUG, __file__, 1, line, None, None)
    assert not TokenRedactingFilter().filter(record)


@pytest.mark.parametrize(
    "text",
    [
        "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2Fsecret&trigger_id=1",
        '{"response_url":"https:\\/\\/hooks.slack.com\\/actions\\/T0\\/1\\/secret"}',
        "answer at https://hooks.slack.com/commands/T0/1/secret now",
        "{'response_url': 'http://127.0.0.1:8000/response/secret'}",
    ],
)
def test_response_urls_are_scrubbed_however_they_are_written(text: str) -> None:
    assert "secret" not in redact(text)
