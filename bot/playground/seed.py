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
        ]
    return [s for s in steps if s[2].split()[0] in REGISTRY]


async def seed(playground: Playground) -> None:
    from bot.playground.world import PROJECT_TZ

    today = playground.clock().astimezone(ZoneInfo(PROJECT_TZ)).date()
    dates = {n: (today + timedelta(days=n)).isoformat() for n in (7, 10, 14, 21)}
    for user, channel, line in script(playground.lang, dates):
        result = await playground.command(user, channel, line)
        if not result.get("ok"):
            log.warning("playground seed: %s answered %s", line.splitlines()[0], result)
