"""A demo project, made by running real commands as the team would, so the page is not empty on first open."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.commands import REGISTRY

if TYPE_CHECKING:
    from bot.playground.world import Playground

log = logging.getLogger(__name__)


def script(lang: str, today_plus: dict[int, str]) -> list[tuple[str, str, str]]:
    """(user, channel, command line) in order; dates are days from today in the project's zone."""
    from bot.playground.world import ALICE, BOB, INTERNAL_CHANNEL, SHARED_CHANNEL

    d = today_plus
    if lang == "zh":
        steps = [
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/project setup name:"ACME ERP 上线" client:"ACME" tz:Asia/Shanghai lang:zh',
            ),
            (ALICE, SHARED_CHANNEL, "/project client-channel #acme-internal"),
            (
                ALICE,
                INTERNAL_CHANNEL,
                f"/risk add 供应商人手不足 p:高 i:5 owner:@bob due:{d[10]} strategy:mitigate",
            ),
            (ALICE, INTERNAL_CHANNEL, f"/risk add 测试数据延迟 p:中 i:3 owner:@carol due:{d[7]} [client]"),
            (BOB, INTERNAL_CHANNEL, f'/milestone add "UAT 签字" due:{d[21]} [client]'),
            (BOB, INTERNAL_CHANNEL, f'/milestone add "内部切换演练" due:{d[14]}'),
            (
                ALICE,
                INTERNAL_CHANNEL,
                "/minutes ACME 周例会 [client]\n决定: 3月1日上线\n行动: 提供测试数据 @carol 截止:下周五\n"
                "行动: 发送切换计划 @alice 截止:下周一",
            ),
            (BOB, INTERNAL_CHANNEL, "/milestone 验收标准 MS-1\n所有一级缺陷已关闭\n工资核算已对账"),
            (BOB, INTERNAL_CHANNEL, "/milestone 验收 MS-1"),
            (ALICE, INTERNAL_CHANNEL, "/requirement 添加 员工用企业微信登录 优先级:必须 [客户]"),
            (ALICE, INTERNAL_CHANNEL, "/requirement 添加 工资单导出为 PDF 优先级:应该 [客户]"),
            (ALICE, INTERNAL_CHANNEL, "/requirement 添加 复用旧系统的报表引擎 优先级:可以"),
            (ALICE, INTERNAL_CHANNEL, "/requirement 基线"),
            (ALICE, INTERNAL_CHANNEL, '/sync 每周二上午10点 "ACME 周例会" remind:15分钟 [client]'),
            (ALICE, INTERNAL_CHANNEL, '/checkin 每周五下午4点 @alice @bob question:"本周有什么进展？"'),
            (ALICE, INTERNAL_CHANNEL, "/digest 每周一上午9点 客户"),
            # This session's client-side flows: an internal issue, a client-owned action item with its buttons
            # in the client channel, a satisfaction pulse, the stakeholder register and a lesson.
            (ALICE, INTERNAL_CHANNEL, f"/issue 添加 工资接口未测试 严重程度:高 owner:@bob due:{d[7]}"),
            (ALICE, INTERNAL_CHANNEL, f"/action add 确认工资截止日期 @carol due:{d[7]} [client]"),
            (ALICE, INTERNAL_CHANNEL, "/pulse now"),
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/stakeholder 添加 @carol 角色:"CIO，项目发起人" 组织:客户 影响力:高 签署:验收,纪要',
            ),
            (ALICE, INTERNAL_CHANNEL, '/stakeholder 添加 "周总" 角色:"财务总监" 组织:客户 影响力:中'),
            (ALICE, INTERNAL_CHANNEL, "/lesson 添加 每天与客户站会，问题发现得更早 [做得好]"),
        ]
    else:
        steps = [
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/project setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en',
            ),
            (ALICE, SHARED_CHANNEL, "/project client-channel #acme-internal"),
            (
                ALICE,
                INTERNAL_CHANNEL,
                f"/risk add Vendor short of staff p:high i:5 owner:@bob due:{d[10]} strategy:mitigate",
            ),
            (
                ALICE,
                INTERNAL_CHANNEL,
                f"/risk add Test data late p:medium i:3 owner:@carol due:{d[7]} [client]",
            ),
            (BOB, INTERNAL_CHANNEL, f'/milestone add "UAT sign-off" due:{d[21]} [client]'),
            (BOB, INTERNAL_CHANNEL, f'/milestone add "Internal cutover rehearsal" due:{d[14]}'),
            (
                ALICE,
                INTERNAL_CHANNEL,
                "/minutes Weekly sync with ACME [client]\ndecision: Go live on 1 March\n"
                "action: Provide test data @carol due:next friday\naction: Send cutover plan @alice due:next monday",
            ),
            (
                BOB,
                INTERNAL_CHANNEL,
                "/milestone criteria MS-1\nAll P1 defects closed\nSalary run reconciled for November",
            ),
            (BOB, INTERNAL_CHANNEL, "/milestone accept MS-1"),
            (
                ALICE,
                INTERNAL_CHANNEL,
                "/requirement add Staff sign in with the company SSO priority:must [client]",
            ),
            (ALICE, INTERNAL_CHANNEL, "/requirement add Payslips export to PDF priority:should [client]"),
            (ALICE, INTERNAL_CHANNEL, "/requirement add Reuse the old report engine priority:could"),
            (ALICE, INTERNAL_CHANNEL, "/requirement baseline"),
            (ALICE, INTERNAL_CHANNEL, '/sync every tuesday 10am "Weekly sync with ACME" remind:15m [client]'),
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/checkin every friday 4pm @alice @bob question:"What moved this week?"',
            ),
            (ALICE, INTERNAL_CHANNEL, "/digest every monday 9am client"),
            # This session's client-side flows: an internal issue, a client-owned action item with its buttons
            # in the client channel, a satisfaction pulse, the stakeholder register and a lesson.
            (
                ALICE,
                INTERNAL_CHANNEL,
                f"/issue add Payroll interface untested severity:high owner:@bob due:{d[7]}",
            ),
            (
                ALICE,
                INTERNAL_CHANNEL,
                f"/action add Confirm the payroll cut-off date @carol due:{d[7]} [client]",
            ),
            (ALICE, INTERNAL_CHANNEL, "/pulse now"),
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/stakeholder add @carol role:"CIO, sponsor" org:client influence:high signs:acceptance,minutes',
            ),
            (
                ALICE,
                INTERNAL_CHANNEL,
                '/stakeholder add "Dan Zhou" role:"Finance director" org:client influence:medium',
            ),
            (
                ALICE,
                INTERNAL_CHANNEL,
                "/lesson add Daily stand-ups with the client caught issues early [went-well]",
            ),
        ]
    return [s for s in steps if s[2].split()[0] in REGISTRY]


# What Carol (the client) raises from the panel: title, details, severity.
CLIENT_ISSUE = {
    "en": (
        "The payslip PDF shows last month's tax rate",
        "Seen on the test payslips for November: the tax line still uses October's rate.",
        "high",
    ),
    "zh": ("工资单 PDF 显示的是上个月的税率", "11 月的测试工资单上，个税一栏仍按 10 月的税率计算。", "high"),
}


async def raise_as_client(playground: Playground) -> None:
    """Carol raises an issue as a client does in Slack Connect: the panel's Raise an issue, then its form."""
    from bot.playground.world import CAROL, SHARED_CHANNEL
    from handlers import ids

    state = await playground.state(CAROL)
    shared = next(c for c in state["channels"] if c["id"] == SHARED_CHANNEL)
    found = [
        (message["id"], block, element)
        for message in shared["messages"]
        for block in message["blocks"]
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("action_id") == ids.PANEL_RAISE
    ]
    if not found:
        log.warning("playground seed: no panel in the client channel")
        return
    item, block, button = found[-1]
    action = {**button, "block_id": block.get("block_id", "")}
    await playground.click(CAROL, item, action)
    modal = (await playground.state(CAROL))["modal"]
    if modal is None:
        log.warning("playground seed: Raise an issue opened no form")
        return
    title, details, severity = CLIENT_ISSUE[playground.lang]
    option = next(
        (
            o
            for b in modal["view"]["blocks"]
            if b.get("block_id") == ids.ISSUE_SEVERITY
            for o in b["element"].get("options", [])
            if o.get("value") == severity
        ),
        None,
    )
    values: dict[str, dict[str, dict[str, object]]] = {
        ids.ISSUE_TITLE: {ids.ISSUE_TITLE: {"type": "plain_text_input", "value": title}},
        ids.ISSUE_DESCRIPTION: {ids.ISSUE_DESCRIPTION: {"type": "plain_text_input", "value": details}},
    }
    if option is not None:
        values[ids.ISSUE_SEVERITY] = {
            ids.ISSUE_SEVERITY: {"type": "static_select", "selected_option": option}
        }
    answer = await playground.submit(CAROL, modal["view"]["id"], values)
    if answer.get("errors"):
        log.warning("playground seed: the issue form answered %s", answer["errors"])


async def seed(playground: Playground) -> None:
    from bot.playground.world import PROJECT_TZ

    today = playground.clock().astimezone(ZoneInfo(PROJECT_TZ)).date()
    dates = {n: (today + timedelta(days=n)).isoformat() for n in (7, 10, 14, 21)}
    for user, channel, line in script(playground.lang, dates):
        result = await playground.command(user, channel, line)
        if not result.get("ok"):
            log.warning("playground seed: %s answered %s", line.splitlines()[0], result)
    if "/issue" in REGISTRY:
        await raise_as_client(playground)
