"""Strings for change requests (`/change`): help, errors, replies, the form, the text the client decides on."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help (the registry's keys) ---------------------------------------------------------------------
    "cmd.change": {
        "en": "Change requests: scope, schedule and cost changes the client approves",
        "zh": "变更申请：需客户审批的范围、进度和费用变更",
    },
    "cmd.change.add": {
        "en": "Record a change request with its impact (no text: a form)",
        "zh": "登记变更申请及其影响（不带内容则打开表单）",
    },
    "cmd.change.add.example": {
        "en": '/change add "Add SSO login" why:"Required by the security audit" '
        "impact:+5d,+16h,cost:8000 affects:MS-2 [client]",
        "zh": '/change 添加 "增加单点登录" 原因:"安全审计要求" 影响:+5天,16小时,费用:8000 涉及:MS-2 [客户]',
    },
    "cmd.change.list": {
        "en": "List change requests and the total approved impact",
        "zh": "列出变更申请及已批准变更的总影响",
    },
    "cmd.change.list.example": {"en": "/change list approved", "zh": "/change 列表 已批准"},
    "cmd.change.show": {
        "en": "Show a change request with its history and sign-off versions",
        "zh": "查看变更申请及其历史和审批版本",
    },
    "cmd.change.show.example": {"en": "/change show CR-3", "zh": "/change 查看 CR-3"},
    "cmd.change.edit": {
        "en": "Change a draft or sent change request (impact: replaces the whole impact)",
        "zh": "修改草稿或已发送的变更申请（新给出的影响会替换原有的全部影响）",
    },
    "cmd.change.edit.example": {
        "en": "/change edit CR-3 impact:+3d,cost:5000 affects:MS-2,RQ-4",
        "zh": "/change 编辑 CR-3 影响:3天,费用:5000 涉及:MS-2,RQ-4",
    },
    "cmd.change.withdraw": {"en": "Withdraw a change request", "zh": "撤回变更申请"},
    "cmd.change.withdraw.example": {"en": "/change withdraw CR-3", "zh": "/change 撤回 CR-3"},
    "cmd.change.send": {
        "en": "Send a change request to the client for approval",
        "zh": "将变更申请发给客户审批",
    },
    "cmd.change.send.example": {"en": "/change send CR-3", "zh": "/change 发送 CR-3"},
    # ---- mistakes ------------------------------------------------------------------------------------------
    "change.need_title": {
        "en": "Give the change request a title.",
        "zh": "请为变更申请写一个标题。",
    },
    "change.need_impact": {
        "en": "Say the impact: days (`+5d`), hours (`+16h`) and/or cost (`cost:8000`), separated by commas.",
        "zh": "请写出影响：天数（`5天`）、工时（`16小时`）和/或费用（`费用:8000`），用逗号分隔。",
    },
    "change.bad_impact": {
        "en": "“{value}” is not an impact I know: use days (`+5d`), hours (`+16h`) or cost (`cost:8000`).",
        "zh": "无法识别影响“{value}”：请用天数（`5天`）、工时（`16小时`）或费用（`费用:8000`）。",
    },
    "change.impact_twice": {
        "en": "“{value}” repeats a part of the impact already given: say days, hours and cost once each.",
        "zh": "“{value}”重复了已写过的影响：天数、工时和费用各写一次。",
    },
    "change.impact_too_big": {
        "en": "That impact is larger than Liaison can record: check the numbers.",
        "zh": "影响数值过大，无法记录，请检查数字。",
    },
    "change.bad_affects": {
        "en": "“{value}” is not a milestone or requirement: `affects:` takes references like `MS-2` or `RQ-3`.",
        "zh": "“{value}”不是里程碑或需求：`涉及:` 后面写编号，例如 `MS-2` 或 `RQ-3`。",
    },
    "change.too_many_affects": {
        "en": "That names {count} records; a change request may name at most {limit}.",
        "zh": "共列出 {count} 条记录，一个变更申请最多涉及 {limit} 条。",
    },
    "change.nothing_to_edit": {
        "en": "Say what to change: `title:`, `why:`, `impact:`, `affects:`, or `[client]` / `[internal]`.",
        "zh": "请说明要修改什么：`标题:`、`原因:`、`影响:`、`涉及:`，或 `[客户]` / `[内部]`。",
    },
    "change.bad_filter": {
        "en": "`{value}` is not a list I know: use open, approved, rejected or all.",
        "zh": "无法识别 `{value}`：请用 进行中、已批准、已驳回 或 全部。",
    },
    "change.not_editable": {
        "en": "{ref} is no longer a draft or waiting for the client, so it can't be edited.",
        "zh": "{ref} 已不是草稿或待客户审批状态，不能再修改。",
    },
    "change.not_withdrawable": {
        "en": "{ref} is no longer a draft or waiting for the client, so it can't be withdrawn.",
        "zh": "{ref} 已不是草稿或待客户审批状态，不能撤回。",
    },
    "change.not_sendable": {
        "en": "{ref} is no longer a draft or waiting for the client, so it can't be sent.",
        "zh": "{ref} 已不是草稿或待客户审批状态，不能发送。",
    },
    "change.form_failed": {
        "en": "Slack did not open the form; you can record the change request in one line instead.",
        "zh": "Slack 没有打开表单，你也可以用一行命令登记变更申请。",
    },
    # ---- replies ---------------------------------------------------------------------------------------------
    "change.created": {
        "en": "Recorded {ref} as a draft. Send it to the client with `/change send {ref}`.",
        "zh": "已登记 {ref}（草稿）。可用 `/change 发送 {ref}` 发给客户审批。",
    },
    "change.repeated": {
        "en": "{ref} was already recorded from this request; nothing new was written.",
        "zh": "{ref} 已根据这次请求记录过，没有重复写入。",
    },
    "change.updated": {"en": "Updated {ref}: {fields}.", "zh": "已更新 {ref}：{fields}。"},
    "change.updated_sent": {
        "en": "The version waiting for the client is now out of date: send {ref} again "
        "(`/change send {ref}`) and it will replace it.",
        "zh": "客户正在审批的版本已过时：请重新发送 {ref}（`/change 发送 {ref}`），新版本将取代旧版本。",
    },
    "change.unchanged": {
        "en": "{ref} already says that; nothing changed.",
        "zh": "{ref} 内容相同，没有修改。",
    },
    "change.withdrawn": {"en": "Withdrew {ref}.", "zh": "已撤回 {ref}。"},
    "change.withdrawn_note": {
        "en": "Withdrawn by the team: nothing to decide.",
        "zh": "团队已撤回该变更申请，无需审批。",
    },
    # ---- how a change request reads -------------------------------------------------------------------------
    "change.status.draft": {"en": "draft", "zh": "草稿"},
    "change.status.sent": {"en": "waiting for the client", "zh": "待客户审批"},
    "change.status.approved": {"en": "approved", "zh": "已批准"},
    "change.status.rejected": {"en": "rejected", "zh": "已驳回"},
    "change.status.withdrawn": {"en": "withdrawn", "zh": "已撤回"},
    "change.impact.days": {"en": "schedule {days} working days", "zh": "工期 {days} 个工作日"},
    "change.impact.hours": {"en": "effort {hours} h", "zh": "工时 {hours} 小时"},
    "change.impact.cost": {"en": "cost {cost}", "zh": "费用 {cost}"},
    "change.impact.none": {"en": "no impact given", "zh": "未填写影响"},
    "change.content.why": {"en": "Why: {why}", "zh": "原因：{why}"},
    "change.content.impact": {"en": "Impact: {impact}", "zh": "影响：{impact}"},
    "change.content.affects": {"en": "Affects:", "zh": "涉及："},
    "change.slip_reason": {
        "en": "Change request {ref} approved by the client: {title}",
        "zh": "客户已批准变更申请 {ref}：{title}",
    },
    "change.field.status": {"en": "Status", "zh": "状态"},
    "change.field.impact": {"en": "Impact", "zh": "影响"},
    "change.field.why": {"en": "Why", "zh": "原因"},
    "change.field.title": {"en": "Title", "zh": "标题"},
    "change.field.affects": {"en": "Affects", "zh": "涉及"},
    "change.field.visibility": {"en": "Visible to", "zh": "可见范围"},
    "change.field.versions": {"en": "Sent to the client", "zh": "客户审批记录"},
    "change.field.history": {"en": "History", "zh": "历史"},
    "change.field.reason": {"en": "The client's reason", "zh": "客户的驳回原因"},
    "change.affect_gone": {"en": "{ref} (no longer exists)", "zh": "{ref}（已不存在）"},
    "change.no_affects": {"en": "none named", "zh": "未列出"},
    "change.no_versions": {
        "en": "Not sent to the client yet: `/change send {ref}`.",
        "zh": "尚未发给客户：`/change 发送 {ref}`。",
    },
    "change.version.waiting": {
        "en": "Version {version}, sent {date}: waiting for the client",
        "zh": "第 {version} 版，{date} 发出：等待客户审批",
    },
    "change.version.superseded": {
        "en": "Version {version}, sent {date}: superseded",
        "zh": "第 {version} 版，{date} 发出：已被取代",
    },
    "change.version.approved": {
        "en": "Version {version}, sent {date}: approved by {who} on {decided}",
        "zh": "第 {version} 版，{date} 发出：{who} 于 {decided} 批准",
    },
    "change.version.remarks": {
        "en": "Version {version}, sent {date}: approved with remarks by {who} on {decided}: {remarks}",
        "zh": "第 {version} 版，{date} 发出：{who} 于 {decided} 附意见批准：{remarks}",
    },
    "change.version.rejected": {
        "en": "Version {version}, sent {date}: rejected by {who} on {decided}: {remarks}",
        "zh": "第 {version} 版，{date} 发出：{who} 于 {decided} 驳回：{remarks}",
    },
    "change.changed_since_sent": {
        "en": "Changed since version {version} was sent: send it again with `/change send {ref}`.",
        "zh": "第 {version} 版发出后内容已修改：可用 `/change 发送 {ref}` 重新发送。",
    },
    "change.history.change.create": {"en": "recorded it", "zh": "登记"},
    "change.history.change.update": {"en": "changed it", "zh": "修改"},
    "change.history.change.withdraw": {"en": "withdrew it", "zh": "撤回"},
    "change.history.change.signoff_sent": {"en": "sent it to the client", "zh": "发给客户审批"},
    "change.history.change.signoff_approved": {"en": "approved it", "zh": "批准"},
    "change.history.change.signoff_remarks": {"en": "approved it with remarks", "zh": "附意见批准"},
    "change.history.change.signoff_rejected": {"en": "rejected it", "zh": "驳回"},
    "change.history.other": {"en": "changed it", "zh": "修改"},
    # ---- lists ---------------------------------------------------------------------------------------------
    "change.list.open": {"en": "Open change requests", "zh": "进行中的变更申请"},
    "change.list.approved": {"en": "Approved change requests", "zh": "已批准的变更申请"},
    "change.list.rejected": {"en": "Rejected change requests", "zh": "已驳回的变更申请"},
    "change.list.all": {"en": "All change requests", "zh": "全部变更申请"},
    "change.list.none": {"en": "No change requests here.", "zh": "这里没有变更申请。"},
    "change.list.total": {
        "en": "Approved so far ({count}): {impact}",
        "zh": "已批准（{count} 项）合计：{impact}",
    },
    "change.more": {
        "en": "{count} more not shown: `/change show CR-n` for one.",
        "zh": "另有 {count} 项未显示，可用 `/change 查看 CR-n` 查看。",
    },
    # ---- the form --------------------------------------------------------------------------------------------
    "change.modal.title": {"en": "New change request", "zh": "新建变更申请"},
    "change.modal.submit": {"en": "Record", "zh": "登记"},
    "change.modal.close": {"en": "Cancel", "zh": "取消"},
    "change.modal.title_label": {"en": "Title", "zh": "标题"},
    "change.modal.title_placeholder": {"en": "Add SSO login", "zh": "增加单点登录"},
    "change.modal.why_label": {"en": "Why", "zh": "原因"},
    "change.modal.days_label": {"en": "Schedule impact (working days)", "zh": "工期影响（工作日）"},
    "change.modal.hours_label": {"en": "Effort (hours)", "zh": "工时（小时）"},
    "change.modal.cost_label": {"en": "Cost", "zh": "费用"},
    "change.modal.affects_label": {"en": "Affects (milestones, requirements)", "zh": "涉及（里程碑、需求）"},
    "change.modal.affects_placeholder": {"en": "MS-2, RQ-3", "zh": "MS-2, RQ-3"},
    "change.modal.share_label": {"en": "Visibility", "zh": "可见范围"},
    "change.modal.share": {"en": "Share with the client", "zh": "与客户共享"},
    "change.modal.share_hint": {
        "en": "Only a change request shared with the client can be sent for their approval.",
        "zh": "只有与客户共享的变更申请才能发给客户审批。",
    },
    "change.modal.bad_affects": {
        "en": "“{value}” is not a milestone or requirement: write references like MS-2 or RQ-3, "
        "separated by commas.",
        "zh": "“{value}”不是里程碑或需求：请填写编号，例如 MS-2 或 RQ-3，用逗号分隔。",
    },
    "change.modal.bad_days": {
        "en": "“{value}” is not a number of working days, like 5 or -2.",
        "zh": "“{value}”不是工作日天数，应类似 5 或 -2。",
    },
    "change.modal.bad_hours": {
        "en": "“{value}” is not a number of hours, like 16.",
        "zh": "“{value}”不是小时数，应类似 16。",
    },
    "change.modal.bad_cost": {
        "en": "“{value}” is not an amount, like 8000.",
        "zh": "“{value}”不是金额，应类似 8000。",
    },
}
