"""`/project info`, a bare `/project settings` and `/liaison help project` name every setting (issue 12):
`morning:`, `review:`, `review_lead:`, `response:` and `approvers:` among them, with their values for the team;
English and Chinese, end to end."""

from __future__ import annotations

from storage.models import Project
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import SHARED_CHANNEL, Liaison, reply_text

OPTIONS = ("morning:", "review:", "review_lead:", "response:", "approvers:")


async def test_info_lists_every_setting_with_its_default_then_its_value(app: Liaison) -> None:
    before = reply_text(await app.command("/project", "info"))
    for shown in (
        "Action reminders at",
        "9:00",
        "Issue response targets",
        "Critical 4 h, High 1 working day, Medium 3 working days, Low 5 working days",
        "Review before the client",
        "off",
        "Who signs for the client",
        "anyone from the client's organisation",
        *OPTIONS,
    ):
        assert shown in before, shown

    await app.command(
        "/project",
        "settings morning:8:30 review:on review_lead:90m response:critical=2h,low=1d approvers:<@U0CAROL|carol>",
    )
    [project] = await rows(app, Project)
    assert (project.morning, project.review, project.review_lead) == (510, "on", 90)
    after = reply_text(await app.command("/project", "info"))
    for shown in (
        "8:30",
        "on, preview 1 h 30 min before",
        "Critical 2 h, High 1 working day, Medium 3 working days, Low 1 working day",
        "<@U0CAROL>",
    ):
        assert shown in after, shown

    await app.command("/project", "settings review:required review_lead:2h")
    assert "required (sent only once someone presses Send), preview 2 h before" in reply_text(
        await app.command("/project", "info")
    )


async def test_the_client_sees_none_of_the_settings(app: Liaison) -> None:
    await app.command("/project", "settings review:on morning:8:30")
    shown = reply_text(await app.command("/project", "info", user="U0CAROL", channel=SHARED_CHANNEL))
    assert "8:30" not in shown and "review" not in shown.lower()


async def test_in_chinese_info_settings_and_help_name_every_setting(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh review:开 review_lead:45m")
    info = reply_text(await app.command("/project", "info"))
    for shown in (
        "行动项提醒时间",
        "9:00",
        "问题响应时限",
        "致命 4 小时",
        "高 1 个工作日",
        "开，提前 45 分钟 预览",
    ):
        assert shown in info, shown
    assert all(option in info for option in OPTIONS)
    bare = reply_text(await app.command("/project", "settings"))
    assert "请说明要修改的内容" in bare and all(option in bare for option in OPTIONS)
    helped = reply_text(await app.command("/liaison", "help project"))
    assert all(option in helped for option in OPTIONS), helped


async def test_in_english_a_bare_settings_and_the_help_name_every_setting(app: Liaison) -> None:
    bare = reply_text(await app.command("/project", "settings"))
    assert "Tell me what to change" in bare and all(option in bare for option in OPTIONS)
    helped = reply_text(await app.command("/liaison", "help project"))
    assert all(option in helped for option in OPTIONS), helped
