"""/project end to end: signed commands in, Slack calls and stored rows out."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AuditLog, Project, ProjectChannel
from tests.harness.app import (
    ALICE,
    CAROL,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)

SETUP_EN = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'
SETUP_ZH = 'setup name:"ACME ERP 上线" client:"ACME" tz:Asia/Shanghai lang:zh'


async def _projects(liaison: Liaison) -> list[Project]:
    async with liaison.session() as s:
        return list((await s.exec(select(Project))).all())


async def test_setup_writes_the_project_and_answers(liaison: Liaison) -> None:
    reply = await liaison.command("/project", SETUP_EN)
    assert "ACME ERP rollout" in reply_text(reply)
    [project] = await _projects(liaison)
    assert (project.name, project.client_name, project.tz, project.lang) == (
        "ACME ERP rollout",
        "ACME",
        "Asia/Shanghai",
        "en",
    )
    async with liaison.session() as s:
        [channel] = (await s.exec(select(ProjectChannel))).all()
        [entry] = (await s.exec(select(AuditLog))).all()
    assert (channel.channel_id, channel.role) == (INTERNAL_CHANNEL, "internal")
    assert (entry.action, entry.actor_user_id) == ("project.setup", ALICE)
    assert entry.at.tzinfo is not None


async def test_setup_in_chinese_answers_in_chinese(liaison: Liaison) -> None:
    reply = await liaison.command("/project", SETUP_ZH)
    assert "已为客户" in reply_text(reply)
    info = await liaison.command("/project", "info")
    assert "时区" in reply_text(info)


async def test_running_setup_again_updates_instead_of_duplicating(liaison: Liaison) -> None:
    await liaison.command("/project", SETUP_EN)
    reply = await liaison.command("/project", 'setup name:"ACME ERP phase 2" client:"ACME" tz:Europe/Berlin')
    assert "updated" in reply_text(reply)
    [project] = await _projects(liaison)
    assert (project.name, project.tz) == ("ACME ERP phase 2", "Europe/Berlin")


async def test_bad_time_zone_gets_an_example_and_writes_nothing(liaison: Liaison) -> None:
    reply = await liaison.command("/project", 'setup name:"X" client:"Y" tz:Mars/Olympus')
    text = reply_text(reply)
    assert "Mars/Olympus" in text and "Example" in text and "tz:Asia/Shanghai" in text
    assert reply["response_type"] == "ephemeral"
    assert await _projects(liaison) == []


async def test_unknown_subcommand_in_chinese(liaison: Liaison) -> None:
    reply = await liaison.command("/project", "删除一切")
    text = reply_text(reply)
    assert "没有子命令" in text and "示例" in text
    assert await _projects(liaison) == []


async def test_info_outside_a_project_says_how_to_start(liaison: Liaison) -> None:
    reply = await liaison.command("/project", "info", channel=PLAIN_CHANNEL)
    assert "/project setup" in reply_text(reply)


async def test_settings_change_and_validate(liaison: Liaison) -> None:
    await liaison.command("/project", SETUP_EN)
    await liaison.command("/project", "settings tz:europe/berlin lang:zh holidays:CN")
    [project] = await _projects(liaison)
    assert (project.tz, project.lang, project.holidays) == ("Europe/Berlin", "zh", "CN")
    reply = await liaison.command("/project", "settings lang:fr")
    assert "`fr`" in reply_text(reply)
    [project] = await _projects(liaison)
    assert project.lang == "zh"


async def test_client_channel_is_checked_with_slack_and_recorded(liaison: Liaison) -> None:
    await liaison.command("/project", SETUP_EN)
    reply = await liaison.command(
        "/project", f"client-channel <#{INTERNAL_CHANNEL}|acme-internal>", channel=SHARED_CHANNEL
    )
    assert "client channel" in reply_text(reply)
    infos = [
        c for c in liaison.fake.calls_to("conversations.info") if c.args.get("channel") == SHARED_CHANNEL
    ]
    assert infos, "the app asked Slack whether the channel is shared"
    async with liaison.session() as s:
        rows = (await s.exec(select(ProjectChannel).where(ProjectChannel.role == "client"))).all()
    assert [(r.channel_id, r.is_ext_shared) for r in rows] == [(SHARED_CHANNEL, True)]
    info = await liaison.command("/project", "info")
    assert "shared with another organisation" in reply_text(info)


async def test_a_shared_channel_cannot_be_the_internal_channel(liaison: Liaison) -> None:
    reply = await liaison.command("/project", SETUP_EN, channel=SHARED_CHANNEL)
    assert "shared with another organisation" in reply_text(reply)
    assert await _projects(liaison) == []


async def test_when_slack_cannot_say_the_channel_is_treated_as_shared(liaison: Liaison) -> None:
    liaison.fake.fail_next("conversations.info", "internal_error")
    reply = await liaison.command("/project", SETUP_EN, channel=PLAIN_CHANNEL)
    assert "shared with another organisation" in reply_text(reply)
    assert await _projects(liaison) == []


async def test_client_user_cannot_configure_and_sees_no_internal_fields(liaison: Liaison) -> None:
    await liaison.command("/project", SETUP_EN)
    await liaison.command("/project", "client-channel", channel=SHARED_CHANNEL)
    denied = await liaison.command("/project", "settings tz:UTC", user=CAROL, channel=SHARED_CHANNEL)
    assert "project team" in reply_text(denied)
    [project] = await _projects(liaison)
    assert project.tz == "Asia/Shanghai"
    info = reply_text(await liaison.command("/project", "info", user=CAROL, channel=SHARED_CHANNEL))
    assert "ACME ERP rollout" in info
    assert INTERNAL_CHANNEL not in info and "Asia/Shanghai" not in info


async def test_help_lists_every_registered_command_in_the_project_language(liaison: Liaison) -> None:
    from bot.commands import REGISTRY

    await liaison.command("/project", SETUP_ZH)
    overview = reply_text(await liaison.command("/liaison", "help"))
    assert "Liaison 命令" in overview
    for spec in REGISTRY.values():
        assert spec.command in overview
        details = reply_text(await liaison.command("/liaison", f"帮助 {spec.command}"))
        for sub in spec.subcommands:
            assert f"{spec.command} {sub.name}" in details


async def test_injection_in_names_does_not_ping_anyone(liaison: Liaison) -> None:
    await liaison.command(
        "/project", 'setup name:"<!channel> hi <@U0BOB>" client:"<https://evil.example|ACME>"'
    )
    reply = await liaison.command("/project", "info")
    text = reply_text(reply)
    assert (
        "<!channel>" not in text and "<@U0BOB>" not in text
    )  # `<https://…|ACME>`: a link Slack made stays one
    assert "@channel" in text
