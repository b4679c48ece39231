"""Help strings for the record commands (summaries and examples), shared by the parser and /liaison help."""

MESSAGES: dict[str, dict[str, str]] = {
    "refs.bad_ref": {
        "en": "“{text}” is not a reference like `{prefix}-3`.",
        "zh": "“{text}”不是有效的编号，应类似 `{prefix}-3`。",
    },
    "refs.gone": {
        "en": "That record is not in this project (it may have been deleted).",
        "zh": "本项目中没有这条记录（可能已被删除）。",
    },
    "refs.both_flags": {
        "en": "A record can be `[client]` or `[internal]`, not both.",
        "zh": "一条记录只能标记 `[client]` 或 `[internal]` 之一。",
    },
    "record.not_deleted": {"en": "{ref} is not deleted.", "zh": "{ref} 没有被删除。"},
    "record.undo_too_late": {
        "en": "It's too late to undo deleting {ref}: undo works for {minutes} minutes.",
        "zh": "已无法撤销删除 {ref}：只能在 {minutes} 分钟内撤销。",
    },
    "record.restored": {
        "en": ":leftwards_arrow_with_hook: Restored {ref}.",
        "zh": ":leftwards_arrow_with_hook: 已恢复 {ref}。",
    },
    "record.button.undo": {"en": "Undo", "zh": "撤销"},
    "record.need_ref": {
        "en": "Say which one, like `{prefix}-3`.",
        "zh": "请指明是哪一条，例如 `{prefix}-3`。",
    },
    "record.need_ref.change": {
        "en": "Say which change request, like `CR-3`.",
        "zh": "请指明是哪个变更申请，例如 `CR-3`。",
    },
    "record.need_ref.requirement": {
        "en": "Name the requirement, like `RQ-3`.",
        "zh": "请写出需求编号，例如 `RQ-3`。",
    },
    "record.too_long.title": {
        "en": "The title is too long (at most {limit} characters).",
        "zh": "标题太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.response": {
        "en": "The response is too long (at most {limit} characters).",
        "zh": "应对措施太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.note": {
        "en": "The note is too long (at most {limit} characters).",
        "zh": "备注太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.reason": {
        "en": "The reason is too long (at most {limit} characters).",
        "zh": "原因太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.why": {
        "en": "The reason is too long (at most {limit} characters).",
        "zh": "原因太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.owner": {
        "en": "The owner's name is too long (at most {limit} characters).",
        "zh": "负责人名称太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.search": {
        "en": "The search is too long (at most {limit} characters).",
        "zh": "搜索内容太长了（最多 {limit} 个字符）。",
    },
    "record.too_long.text": {
        "en": "That is too much text for one command (at most {limit} characters).",
        "zh": "一条命令的文字太长了（最多 {limit} 个字符）。",
    },
    "refs.not_found": {
        "en": "There is no {ref} in this project.",
        "zh": "本项目中没有 {ref}。",
    },
    # /minutes
    "cmd.minutes": {
        "en": "Meeting minutes, with decisions and action items",
        "zh": "会议纪要（含决定和行动项）",
    },
    "cmd.minutes.new": {"en": "Open the minutes form", "zh": "打开会议纪要表单"},
    "cmd.minutes.new.example": {"en": "/minutes", "zh": "/minutes"},
    "cmd.minutes.quick": {
        "en": "Record minutes: a title, then lines starting `decision:` or `action:`",
        "zh": "快速记录纪要：先写标题，再逐行写 `决定:` 或 `行动:`",
    },
    "cmd.minutes.quick.example": {
        "en": "/minutes Weekly sync with ACME [client]\ndecision: Go live on 1 March\naction: Send cutover plan @alice due:next friday",
        "zh": "/minutes ACME 周例会 [client]\n决定: 3月1日上线\n行动: 发送切换计划 @alice 截止:下周五",
    },
    "cmd.minutes.list": {"en": "List the project's minutes", "zh": "列出项目的会议纪要"},
    "cmd.minutes.list.example": {"en": "/minutes list", "zh": "/minutes list"},
    "cmd.minutes.show": {"en": "Show one set of minutes", "zh": "查看一份会议纪要"},
    "cmd.minutes.show.example": {"en": "/minutes show M-3", "zh": "/minutes show M-3"},
    "cmd.minutes.edit": {"en": "Edit minutes in a form", "zh": "在表单中编辑会议纪要"},
    "cmd.minutes.edit.example": {"en": "/minutes edit M-3", "zh": "/minutes edit M-3"},
    "cmd.minutes.delete": {"en": "Delete minutes (with undo)", "zh": "删除会议纪要（可撤销）"},
    "cmd.minutes.delete.example": {"en": "/minutes delete M-3", "zh": "/minutes delete M-3"},
    "cmd.minutes.send": {
        "en": "Send minutes to the client channel for confirmation",
        "zh": "将会议纪要发到客户频道请客户确认",
    },
    "cmd.minutes.send.example": {"en": "/minutes send M-3", "zh": "/minutes send M-3"},
    # /action
    "cmd.action": {"en": "Action items: who does what by when", "zh": "行动项：谁在何时前做什么"},
    "cmd.action.add": {"en": "Add an action item", "zh": "添加行动项"},
    "cmd.action.add.example": {
        "en": "/action add Send the cutover plan @alice due:next friday",
        "zh": "/action add 发送切换计划 @alice 截止:下周五",
    },
    "cmd.action.list": {
        "en": "List action items: open, mine, overdue or all",
        "zh": "列出行动项：未完成、我的、逾期或全部",
    },
    "cmd.action.list.example": {"en": "/action list mine", "zh": "/action list mine"},
    "cmd.action.done": {"en": "Mark an action item done", "zh": "将行动项标记为完成"},
    "cmd.action.done.example": {"en": "/action done A-12", "zh": "/action done A-12"},
    "cmd.action.reassign": {"en": "Give an action item to someone else", "zh": "将行动项转给他人"},
    "cmd.action.reassign.example": {"en": "/action reassign A-12 @bob", "zh": "/action reassign A-12 @bob"},
    # /decision
    "cmd.decision": {"en": "Decisions the project has made", "zh": "项目已做出的决定"},
    "cmd.decision.add": {"en": "Record a decision", "zh": "记录一个决定"},
    "cmd.decision.add.example": {
        "en": "/decision add Use SSO for all client users [client]",
        "zh": "/decision add 所有客户用户使用单点登录 [client]",
    },
    "cmd.decision.list": {"en": "List decisions", "zh": "列出决定"},
    "cmd.decision.list.example": {"en": "/decision list", "zh": "/decision list"},
    "cmd.decision.edit": {
        "en": "Change a decision's text or who may see it",
        "zh": "修改决定的内容或可见范围",
    },
    "cmd.decision.edit.example": {
        "en": "/decision edit D-2 Go live on 8 March [client]",
        "zh": "/decision edit D-2 3月8日上线 [client]",
    },
    "cmd.decision.delete": {
        "en": "Delete a decision (undo for 10 minutes)",
        "zh": "删除决定（10 分钟内可撤销）",
    },
    "cmd.decision.delete.example": {"en": "/decision delete D-2", "zh": "/decision delete D-2"},
    "decision.missing_ref": {
        "en": "Say which decision, like `D-2`.",
        "zh": "请指明是哪条决定，例如 `D-2`。",
    },
    "decision.edit_empty": {
        "en": "Give {ref} its new text, or `[client]` / `[internal]`.",
        "zh": "请给出 {ref} 的新内容，或 `[client]` / `[internal]`。",
    },
    "decision.delete_extra": {
        "en": "`delete` takes only the decision's reference, not “{text}”.",
        "zh": "`delete` 只需要决定的编号，不需要“{text}”。",
    },
    "decision.updated": {"en": ":pencil2: Updated decision", "zh": ":pencil2: 已修改决定"},
    "decision.unchanged": {
        "en": "{ref} already says exactly that; nothing was changed.",
        "zh": "{ref} 的内容已经是这样，没有做任何修改。",
    },
    "decision.deleted": {
        "en": ":wastebasket: Deleted {ref}. You can undo this for {minutes} minutes.",
        "zh": ":wastebasket: 已删除 {ref}。{minutes} 分钟内可以撤销。",
    },
    # /risk
    "cmd.risk": {
        "en": "Risks: probability × impact, owner, response",
        "zh": "风险：概率 × 影响、负责人、应对",
    },
    "cmd.risk.add": {"en": "Add a risk (no text opens the form)", "zh": "添加风险（不带参数则打开表单）"},
    "cmd.risk.add.example": {
        "en": "/risk add Data migration slips p:high i:4 owner:@alice due:2026-12-15 strategy:mitigate",
        "zh": "/risk add 数据迁移延期 p:高 i:4 owner:@alice 截止:下周五 strategy:mitigate",
    },
    "cmd.risk.list": {
        "en": "List risks by score: open, all, mine or high",
        "zh": "按分值列出风险：未关闭、全部、我的或高风险",
    },
    "cmd.risk.list.example": {"en": "/risk list high", "zh": "/risk list high"},
    "cmd.risk.show": {"en": "Show a risk with its history", "zh": "查看风险及其历史"},
    "cmd.risk.show.example": {"en": "/risk show R-7", "zh": "/risk show R-7"},
    "cmd.risk.update": {"en": "Change a risk", "zh": "修改风险"},
    "cmd.risk.update.example": {
        "en": "/risk update R-7 p:2 response:Vendor confirmed extra staff",
        "zh": "/risk update R-7 p:低 response:供应商已确认增派人手",
    },
    "cmd.risk.close": {"en": "Close a risk with a note", "zh": "关闭风险并备注"},
    "cmd.risk.close.example": {
        "en": "/risk close R-7 Migration rehearsal passed",
        "zh": "/risk close R-7 迁移演练通过",
    },
    "cmd.risk.reopen": {"en": "Reopen a closed risk", "zh": "重新打开已关闭的风险"},
    "cmd.risk.reopen.example": {"en": "/risk reopen R-7", "zh": "/risk reopen R-7"},
    # /milestone
    "cmd.milestone": {
        "en": "Milestones: planned, forecast and actual dates",
        "zh": "里程碑：计划、预测和实际日期",
    },
    "cmd.milestone.add": {"en": "Add a milestone", "zh": "添加里程碑"},
    "cmd.milestone.add.example": {
        "en": '/milestone add "UAT sign-off" due:2026-12-15 [client]',
        "zh": '/milestone add "UAT 签字" due:2026-12-15 [client]',
    },
    "cmd.milestone.list": {"en": "List milestones and their status", "zh": "列出里程碑及其状态"},
    "cmd.milestone.list.example": {"en": "/milestone list", "zh": "/milestone list"},
    "cmd.milestone.show": {
        "en": "Show a milestone with its slips and history",
        "zh": "查看里程碑及其延期记录和历史",
    },
    "cmd.milestone.show.example": {"en": "/milestone show MS-2", "zh": "/milestone show MS-2"},
    "cmd.milestone.done": {"en": "Mark a milestone done", "zh": "将里程碑标记为完成"},
    "cmd.milestone.done.example": {"en": "/milestone done MS-2", "zh": "/milestone done MS-2"},
    "cmd.milestone.slip": {
        "en": "Move a milestone's forecast, with a reason",
        "zh": "调整里程碑预测日期并说明原因",
    },
    "cmd.milestone.slip.example": {
        "en": "/milestone slip MS-2 to:2027-01-10 reason:Client test data late",
        "zh": "/milestone slip MS-2 to:2027-01-10 reason:客户测试数据延迟",
    },
}
