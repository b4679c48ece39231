"""The command registry: what each slash command accepts. The parser, `/liaison help`, the handlers'
registration and the manifest test all read this one table, so they cannot drift apart."""

from __future__ import annotations

from dataclasses import replace

from bot.grammar import CommandSpec, Option, Subcommand, reserved_words

LIAISON = CommandSpec(
    command="/liaison",
    summary="cmd.liaison",
    example="cmd.liaison.help.example",
    default=None,
    empty="help",
    subcommands=(
        Subcommand(
            "help",
            "cmd.liaison.help",
            "cmd.liaison.help.example",
            aliases=("帮助",),
            takes_text=True,  # `/liaison help risk`: one command's details
        ),
        Subcommand(
            "export",
            "cmd.liaison.export",
            "cmd.liaison.export.example",
            aliases=("导出",),
            takes_text=True,  # `[csv|xlsx|md] [kinds…|all]`
        ),
        Subcommand(
            "search",
            "cmd.liaison.search",
            "cmd.liaison.search.example",
            aliases=("搜索",),
            takes_text=True,  # the words
        ),
    ),
)

PROJECT = CommandSpec(
    command="/project",
    summary="cmd.project",
    example="cmd.project.setup.example",
    empty="info",
    subcommands=(
        Subcommand(
            "setup",
            "cmd.project.setup",
            "cmd.project.setup.example",
            options=(
                Option("name", ("名称",)),
                Option("client", ("客户",)),
                Option("tz", ("时区", "timezone")),
                Option("lang", ("语言", "language")),
            ),
            aliases=("设置项目",),
        ),
        Subcommand("info", "cmd.project.info", "cmd.project.info.example", aliases=("信息",)),
        Subcommand(
            "client-channel",
            "cmd.project.client_channel",
            "cmd.project.client_channel.example",
            options=(Option("project", ("项目",)),),
            aliases=("客户频道",),
            takes_text=True,  # the internal channel, as a #mention
        ),
        Subcommand("panel", "cmd.project.panel", "cmd.project.panel.example", aliases=("面板",)),
        Subcommand(
            "reopen", "cmd.project.reopen", "cmd.project.reopen.example", aliases=("重新打开", "重开")
        ),
        Subcommand(
            "close",
            "cmd.project.close",
            "cmd.project.close.example",
            aliases=("结项", "关闭项目"),
            takes_text=True,  # nothing (the preview), `send` / `发送` or `confirm` / `确认`
        ),
        Subcommand(
            "settings",
            "cmd.project.settings",
            "cmd.project.settings.example",
            options=(
                Option("name", ("名称",)),
                Option("client", ("客户",)),
                Option("tz", ("时区", "timezone")),
                Option("lang", ("语言", "language")),
                Option("holidays", ("节假日",)),
                Option("approvers", ("审批人", "签字人"), kind="users"),
                Option("signoff_nudge", ("催签天数",)),
                Option("dates", ("日期格式", "date_order")),
                Option("response", ("响应时限",)),
                Option("morning", ("提醒时间",)),
                Option("review", ("审阅",)),
                Option("review_lead", ("审阅提前",)),
            ),
            aliases=("设置",),
        ),
    ),
)


DUE = Option("due", ("截止", "到期"))
OWNER = Option("owner", ("负责人",), kind="user")
VISIBILITY = Option("visibility", ("可见性",))
CLIENT_FLAG = ("client", "internal")

MINUTES = CommandSpec(
    command="/minutes",
    summary="cmd.minutes",
    example="cmd.minutes.quick.example",
    default="quick",
    empty="new",
    subcommands=(
        Subcommand("new", "cmd.minutes.new", "cmd.minutes.new.example", aliases=("新建",)),
        Subcommand(
            "quick",
            "cmd.minutes.quick",
            "cmd.minutes.quick.example",
            options=(Option("date", ("日期",)),),
            flags=CLIENT_FLAG,
            takes_text=True,
            multiline=True,
        ),
        Subcommand("list", "cmd.minutes.list", "cmd.minutes.list.example", aliases=("列表",)),
        Subcommand(
            "show", "cmd.minutes.show", "cmd.minutes.show.example", takes_text=True, aliases=("查看",)
        ),
        Subcommand(
            "edit", "cmd.minutes.edit", "cmd.minutes.edit.example", takes_text=True, aliases=("编辑",)
        ),
        Subcommand(
            "delete", "cmd.minutes.delete", "cmd.minutes.delete.example", takes_text=True, aliases=("删除",)
        ),
        Subcommand(
            "send", "cmd.minutes.send", "cmd.minutes.send.example", takes_text=True, aliases=("发送",)
        ),
    ),
)

# One line of the quick minutes form: `decision: …` / `action: … @owner due:…` (also 决定: / 行动: / 截止:).
MINUTES_LINE = Subcommand(
    "line",
    "cmd.minutes.quick",
    "cmd.minutes.quick.example",
    options=(DUE, OWNER),
    flags=CLIENT_FLAG,
    takes_text=True,
)

ACTION = CommandSpec(
    command="/action",
    summary="cmd.action",
    example="cmd.action.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.action.add",
            "cmd.action.add.example",
            options=(DUE, OWNER),
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("添加",),
        ),
        Subcommand("list", "cmd.action.list", "cmd.action.list.example", takes_text=True, aliases=("列表",)),
        Subcommand("done", "cmd.action.done", "cmd.action.done.example", takes_text=True, aliases=("完成",)),
        Subcommand(
            "reassign",
            "cmd.action.reassign",
            "cmd.action.reassign.example",
            options=(OWNER,),
            takes_text=True,
            aliases=("转交",),
        ),
        Subcommand(
            "edit",
            "cmd.action.edit",
            "cmd.action.edit.example",
            options=(DUE, OWNER),
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("编辑",),
        ),
        Subcommand(
            "reopen", "cmd.action.reopen", "cmd.action.reopen.example", takes_text=True, aliases=("重开",)
        ),
        Subcommand("due", "cmd.action.due", "cmd.action.due.example", takes_text=True, aliases=("改期",)),
    ),
)

DECISION = CommandSpec(
    command="/decision",
    summary="cmd.decision",
    example="cmd.decision.add.example",
    default="add",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.decision.add",
            "cmd.decision.add.example",
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("添加",),
        ),
        Subcommand(
            "list", "cmd.decision.list", "cmd.decision.list.example", takes_text=True, aliases=("列表",)
        ),
        Subcommand(
            "edit",
            "cmd.decision.edit",
            "cmd.decision.edit.example",
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("编辑",),
        ),
        Subcommand(
            "delete", "cmd.decision.delete", "cmd.decision.delete.example", takes_text=True, aliases=("删除",)
        ),
    ),
)

RISK_OPTIONS = (
    Option("p", ("probability", "概率", "可能性")),
    Option("i", ("impact", "影响")),
    OWNER,
    DUE,
    Option("strategy", ("策略",)),
    Option("response", ("应对", "措施")),
)

RISK = CommandSpec(
    command="/risk",
    summary="cmd.risk",
    example="cmd.risk.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.risk.add",
            "cmd.risk.add.example",
            options=RISK_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加",),
        ),
        Subcommand(
            "list",
            "cmd.risk.list",
            "cmd.risk.list.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("列表",),
        ),
        Subcommand(
            "show",
            "cmd.risk.show",
            "cmd.risk.show.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("查看",),
        ),
        Subcommand(
            "update",
            "cmd.risk.update",
            "cmd.risk.update.example",
            options=(*RISK_OPTIONS, Option("title", ("标题",)), VISIBILITY),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("更新",),
        ),
        Subcommand(
            "close",
            "cmd.risk.close",
            "cmd.risk.close.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("关闭",),
        ),
        Subcommand(
            "reopen",
            "cmd.risk.reopen",
            "cmd.risk.reopen.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("重开",),
        ),
    ),
)

MILESTONE = CommandSpec(
    command="/milestone",
    summary="cmd.milestone",
    example="cmd.milestone.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.milestone.add",
            "cmd.milestone.add.example",
            options=(DUE,),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加",),
        ),
        Subcommand(
            "list",
            "cmd.milestone.list",
            "cmd.milestone.list.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("列表",),
        ),
        Subcommand(
            "show",
            "cmd.milestone.show",
            "cmd.milestone.show.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("查看",),
        ),
        Subcommand(
            "done",
            "cmd.milestone.done",
            "cmd.milestone.done.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("完成",),
        ),
        Subcommand(
            "slip",
            "cmd.milestone.slip",
            "cmd.milestone.slip.example",
            options=(Option("to", ("至", "改到")), Option("reason", ("原因",))),
            takes_text=True,
            mentions_as_text=True,
            aliases=("延期",),
        ),
        Subcommand(
            "criteria",
            "cmd.milestone.criteria",
            "cmd.milestone.criteria.example",
            takes_text=True,
            multiline=True,  # one criterion per line
            aliases=("验收标准",),
        ),
        Subcommand(
            "accept",
            "cmd.milestone.accept",
            "cmd.milestone.accept.example",
            takes_text=True,
            mentions_as_text=True,
            aliases=("验收",),
        ),
    ),
)


CHANGE_OPTIONS = (
    Option("why", ("原因", "理由")),
    Option("impact", ("影响",)),
    Option("affects", ("涉及", "影响范围")),
)

CHANGE = CommandSpec(
    command="/change",
    summary="cmd.change",
    example="cmd.change.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.change.add",
            "cmd.change.add.example",
            options=CHANGE_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加", "新增"),
        ),
        Subcommand("list", "cmd.change.list", "cmd.change.list.example", takes_text=True, aliases=("列表",)),
        Subcommand("show", "cmd.change.show", "cmd.change.show.example", takes_text=True, aliases=("查看",)),
        Subcommand(
            "edit",
            "cmd.change.edit",
            "cmd.change.edit.example",
            options=(*CHANGE_OPTIONS, Option("title", ("标题",))),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("编辑", "修改"),
        ),
        Subcommand(
            "withdraw",
            "cmd.change.withdraw",
            "cmd.change.withdraw.example",
            takes_text=True,
            aliases=("撤回",),
        ),
        Subcommand(
            "send", "cmd.change.send", "cmd.change.send.example", takes_text=True, aliases=("发送", "送审")
        ),
    ),
)


def _schedule_admin(command: str) -> tuple[Subcommand, ...]:
    """pause / resume / cancel / skip S-n, the same for every kind of schedule."""
    return tuple(
        Subcommand(
            name, f"cmd.schedule.{name}", f"cmd.{command}.{name}.example", takes_text=True, aliases=(alias,)
        )
        for name, alias in (("pause", "暂停"), ("resume", "恢复"), ("cancel", "取消"), ("skip", "跳过"))
    )


SYNC = CommandSpec(
    command="/sync",
    summary="cmd.sync",
    example="cmd.sync.add.example",
    default="add",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.sync.add",
            "cmd.sync.add.example",
            options=(Option("remind", ("提醒",)), Option("grace", ("宽限",))),
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("添加",),
        ),
        Subcommand("list", "cmd.sync.list", "cmd.sync.list.example", aliases=("列表",)),
        *_schedule_admin("sync"),
    ),
)

# A check-in's own questions (`|` between them, or one per line) and whether it asks for progress (on by default).
CHECKIN_QUESTIONS = (Option("questions", ("问题列表", "题目")), Option("progress", ("进度",)))

CHECKIN = CommandSpec(
    command="/checkin",
    summary="cmd.checkin",
    example="cmd.checkin.add.example",
    default="add",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.checkin.add",
            "cmd.checkin.add.example",
            options=(Option("question", ("问题",)), Option("deadline", ("截止",)), *CHECKIN_QUESTIONS),
            takes_text=True,
            aliases=("添加",),
        ),
        Subcommand(
            "questions",
            "cmd.checkin.questions",
            "cmd.checkin.questions.example",
            options=CHECKIN_QUESTIONS,
            takes_text=True,
            aliases=("问题列表",),
        ),
        Subcommand("list", "cmd.checkin.list", "cmd.checkin.list.example", aliases=("列表",)),
        Subcommand("now", "cmd.checkin.now", "cmd.checkin.now.example", aliases=("现在",)),
        Subcommand(
            "away",
            "cmd.checkin.away",
            "cmd.checkin.away.example",
            options=(Option("until", ("直到",)),),
            aliases=("请假",),
        ),
        *_schedule_admin("checkin"),
    ),
)

DIGEST_OPTIONS = (Option("charts", ("图表",)),)

DIGEST = CommandSpec(
    command="/digest",
    summary="cmd.digest",
    example="cmd.digest.every.example",
    default="every",  # `/digest 每周一上午9点 客户`: the recurrence is the free text
    empty="list",
    subcommands=(
        Subcommand(
            "preview",
            "cmd.digest.preview",
            "cmd.digest.preview.example",
            options=DIGEST_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("预览",),
        ),
        Subcommand(
            "now",
            "cmd.digest.now",
            "cmd.digest.now.example",
            options=DIGEST_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
            aliases=("立即",),
        ),
        Subcommand(
            "every",
            "cmd.digest.every",
            "cmd.digest.every.example",
            options=DIGEST_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
        ),
        Subcommand("list", "cmd.digest.list", "cmd.digest.list.example", aliases=("列表",)),
        *_schedule_admin("digest"),
    ),
)


REQUIREMENT_PRIORITY = Option("priority", ("优先级",))

REQUIREMENT = CommandSpec(
    command="/requirement",
    summary="cmd.requirement",
    example="cmd.requirement.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.requirement.add",
            "cmd.requirement.add.example",
            options=(REQUIREMENT_PRIORITY,),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加",),
        ),
        Subcommand("list", "cmd.requirement.list", "cmd.requirement.list.example", aliases=("列表",)),
        Subcommand(
            "show", "cmd.requirement.show", "cmd.requirement.show.example", takes_text=True, aliases=("查看",)
        ),
        Subcommand(
            "edit",
            "cmd.requirement.edit",
            "cmd.requirement.edit.example",
            options=(REQUIREMENT_PRIORITY,),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("编辑",),
        ),
        Subcommand(
            "delete",
            "cmd.requirement.delete",
            "cmd.requirement.delete.example",
            takes_text=True,
            aliases=("删除",),
        ),
        Subcommand(
            "baseline", "cmd.requirement.baseline", "cmd.requirement.baseline.example", aliases=("基线",)
        ),
    ),
)


ISSUE_OPTIONS = (Option("severity", ("严重程度", "级别")), OWNER, DUE)

ISSUE = CommandSpec(
    command="/issue",
    summary="cmd.issue",
    example="cmd.issue.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.issue.add",
            "cmd.issue.add.example",
            options=ISSUE_OPTIONS,
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加",),
        ),
        Subcommand("list", "cmd.issue.list", "cmd.issue.list.example", takes_text=True, aliases=("列表",)),
        Subcommand("show", "cmd.issue.show", "cmd.issue.show.example", takes_text=True, aliases=("查看",)),
        Subcommand(
            "update",
            "cmd.issue.update",
            "cmd.issue.update.example",
            options=(*ISSUE_OPTIONS, Option("title", ("标题",))),
            flags=CLIENT_FLAG,
            takes_text=True,
            mentions_as_text=True,
            aliases=("更新",),
        ),
        Subcommand(
            "resolve", "cmd.issue.resolve", "cmd.issue.resolve.example", takes_text=True, aliases=("解决",)
        ),
        Subcommand(
            "reopen", "cmd.issue.reopen", "cmd.issue.reopen.example", takes_text=True, aliases=("重开",)
        ),
    ),
)


STAKEHOLDER_OPTIONS = (
    Option("role", ("角色", "职务")),
    Option("org", ("组织", "单位", "organisation", "organization")),
    Option("influence", ("影响力",)),
    Option("signs", ("签署", "签字")),
)

STAKEHOLDER = CommandSpec(
    command="/stakeholder",
    summary="cmd.stakeholder",
    example="cmd.stakeholder.add.example",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.stakeholder.add",
            "cmd.stakeholder.add.example",
            options=STAKEHOLDER_OPTIONS,
            takes_text=True,  # a plain name, for someone not in Slack
            aliases=("添加", "干系人"),
        ),
        Subcommand("list", "cmd.stakeholder.list", "cmd.stakeholder.list.example", aliases=("列表",)),
        Subcommand(
            "remove",
            "cmd.stakeholder.remove",
            "cmd.stakeholder.remove.example",
            takes_text=True,
            aliases=("删除", "移除"),
        ),
    ),
)

PULSE_QUESTION = Option("question", ("问题",))

PULSE = CommandSpec(
    command="/pulse",
    summary="cmd.pulse",
    example="cmd.pulse.every.example",
    default="every",  # `/pulse 每月最后一个周五 16:00`: the recurrence is the free text
    empty="list",
    subcommands=(
        Subcommand(
            "every", "cmd.pulse.every", "cmd.pulse.every.example", options=(PULSE_QUESTION,), takes_text=True
        ),
        Subcommand(
            "now",
            "cmd.pulse.now",
            "cmd.pulse.now.example",
            options=(PULSE_QUESTION,),
            takes_text=True,
            aliases=("现在", "立即"),
        ),
        Subcommand("list", "cmd.pulse.list", "cmd.pulse.list.example", aliases=("列表",)),
        Subcommand("results", "cmd.pulse.results", "cmd.pulse.results.example", aliases=("结果",)),
        *_schedule_admin("pulse"),
    ),
)


# Lessons learned: `[went-well]` / `[to-improve]` (经验 / 教训, 做得好 / 待改进) next to `[client]`.
LESSON_FLAGS = ("went-well", "to-improve", "做得好", "待改进", "经验", "教训", *CLIENT_FLAG)

LESSON = CommandSpec(
    command="/lesson",
    summary="cmd.lesson",
    example="cmd.lesson.add.example",
    default="add",
    empty="list",
    subcommands=(
        Subcommand(
            "add",
            "cmd.lesson.add",
            "cmd.lesson.add.example",
            flags=LESSON_FLAGS,
            takes_text=True,
            mentions_as_text=True,
            aliases=("添加",),
        ),
        Subcommand("list", "cmd.lesson.list", "cmd.lesson.list.example", aliases=("列表",)),
        Subcommand(
            "edit",
            "cmd.lesson.edit",
            "cmd.lesson.edit.example",
            flags=LESSON_FLAGS,
            takes_text=True,
            mentions_as_text=True,
            aliases=("编辑",),
        ),
        Subcommand(
            "delete", "cmd.lesson.delete", "cmd.lesson.delete.example", takes_text=True, aliases=("删除",)
        ),
    ),
)


def _with_reserved(*specs: CommandSpec) -> tuple[CommandSpec, ...]:
    """Each spec knows every other command's subcommand words, so its free text never swallows one."""
    words = reserved_words(specs)
    return tuple(replace(spec, reserved=words) for spec in specs)


(
    LIAISON,
    PROJECT,
    MINUTES,
    ACTION,
    DECISION,
    RISK,
    MILESTONE,
    SYNC,
    CHECKIN,
    DIGEST,
    CHANGE,
    REQUIREMENT,
    STAKEHOLDER,
    PULSE,
    ISSUE,
    LESSON,
) = _with_reserved(
    LIAISON,
    PROJECT,
    MINUTES,
    ACTION,
    DECISION,
    RISK,
    MILESTONE,
    SYNC,
    CHECKIN,
    DIGEST,
    CHANGE,
    REQUIREMENT,
    STAKEHOLDER,
    PULSE,
    ISSUE,
    LESSON,
)

REGISTRY: dict[str, CommandSpec] = {
    spec.command: spec
    for spec in (
        LIAISON,
        PROJECT,
        MINUTES,
        ACTION,
        DECISION,
        RISK,
        MILESTONE,
        SYNC,
        CHECKIN,
        DIGEST,
        CHANGE,
        REQUIREMENT,
        STAKEHOLDER,
        PULSE,
        ISSUE,
        LESSON,
    )
}
