"""Requirements (`/requirement`) and the baseline the client signs."""

MESSAGES: dict[str, dict[str, str]] = {
    # help
    "cmd.requirement": {
        "en": "Requirements, and the baseline the client signs",
        "zh": "需求，以及客户签字确认的需求基线",
    },
    "cmd.requirement.add": {
        "en": "Add a requirement (priority must, should or could)",
        "zh": "添加需求（优先级：必须、应该或可以）",
    },
    "cmd.requirement.add.example": {
        "en": "/requirement add Users sign in with their company account priority:must [client]",
        "zh": "/requirement 添加 用户使用公司账号登录 优先级:必须 [客户]",
    },
    "cmd.requirement.list": {
        "en": "List requirements by priority, with their baseline",
        "zh": "按优先级列出需求及其基线状态",
    },
    "cmd.requirement.list.example": {"en": "/requirement list", "zh": "/requirement 列表"},
    "cmd.requirement.show": {
        "en": "Show a requirement and its history",
        "zh": "查看一条需求及其历史",
    },
    "cmd.requirement.show.example": {"en": "/requirement show RQ-3", "zh": "/requirement 查看 RQ-3"},
    "cmd.requirement.edit": {
        "en": "Change a requirement's text, priority or who may see it",
        "zh": "修改需求的内容、优先级或可见范围",
    },
    "cmd.requirement.edit.example": {
        "en": "/requirement edit RQ-3 Users sign in with SSO priority:must",
        "zh": "/requirement 编辑 RQ-3 用户通过单点登录登录 优先级:必须",
    },
    "cmd.requirement.delete": {"en": "Delete a requirement", "zh": "删除一条需求"},
    "cmd.requirement.delete.example": {"en": "/requirement delete RQ-3", "zh": "/requirement 删除 RQ-3"},
    "cmd.requirement.baseline": {
        "en": "Send the client requirements to the client channel as a baseline to sign",
        "zh": "将客户可见的需求作为基线发到客户频道请客户签字",
    },
    "cmd.requirement.baseline.example": {"en": "/requirement baseline", "zh": "/requirement 基线"},
    # mistakes
    "requirement.need_text": {
        "en": "Write the requirement after `add`.",
        "zh": "请在 `添加` 后写出需求内容。",
    },
    "requirement.too_long": {
        "en": "That requirement is {length} characters; keep it under {limit}.",
        "zh": "需求共 {length} 个字符，请控制在 {limit} 个以内。",
    },
    "requirement.bad_priority": {
        "en": "“{value}” is not a priority: use must, should or could.",
        "zh": "“{value}”不是有效的优先级：请用 必须、应该 或 可以（must、should、could）。",
    },
    "requirement.edit_empty": {
        "en": "Say what changes in {ref}: new text, `priority:…`, or `[client]` / `[internal]`.",
        "zh": "请说明 {ref} 要改什么：新内容、`优先级:…`，或 `[客户]` / `[内部]`。",
    },
    "requirement.repeated_request": {
        "en": "That request was already handled; nothing new was recorded.",
        "zh": "这个请求已经处理过了，没有重复记录。",
    },
    "requirement.needs_change": {
        "en": "{ref} is in the requirements baseline the client approved (version {version}): changing or "
        "deleting it needs a change request the client has approved. Nothing was changed. Ask for one with:\n"
        "`{command}`",
        "zh": "{ref} 属于客户已批准的需求基线（第 {version} 版）：修改或删除它需要客户批准的变更申请。"
        "未做任何修改。可用以下命令提出变更：\n`{command}`",
    },
    "requirement.cr_title.edit": {"en": "Change {ref}: {text}", "zh": "变更 {ref}：{text}"},
    "requirement.cr_title.other": {"en": "Change {ref}", "zh": "变更 {ref}"},
    "requirement.cr_title.delete": {"en": "Remove {ref}", "zh": "删除 {ref}"},
    "requirement.baseline_empty": {
        "en": "There are no client requirements to baseline: add one marked `[client]` first.",
        "zh": "没有可作为基线的客户需求：请先添加标记为 `[客户]` 的需求。",
    },
    "requirement.baseline_too_long": {
        "en": "The baseline would be {length} characters, more than one message holds ({limit}).",
        "zh": "基线共 {length} 个字符，超出一条消息的上限（{limit}）。",
    },
    "requirement.baseline_unchanged": {
        "en": "Nothing changed since the client approved baseline version {version}; nothing was sent.",
        "zh": "自客户批准第 {version} 版基线以来没有任何变化，未发送。",
    },
    # answers
    "requirement.created": {"en": "Added {ref}.", "zh": "已添加 {ref}。"},
    "requirement.repeated": {
        "en": "{ref} was already recorded by this request.",
        "zh": "{ref} 已由这个请求记录过了。",
    },
    "requirement.updated": {"en": "Updated {ref}.", "zh": "已更新 {ref}。"},
    "requirement.updated_under": {
        "en": "Updated {ref} under the approved change request {change}.",
        "zh": "已按客户批准的变更申请 {change} 更新 {ref}。",
    },
    "requirement.unchanged": {
        "en": "{ref} already says exactly that; nothing was changed.",
        "zh": "{ref} 已经是这样，没有做任何修改。",
    },
    "requirement.deleted": {"en": "Deleted {ref}.", "zh": "已删除 {ref}。"},
    "requirement.undo_for": {
        "en": "You can undo this for {minutes} minutes.",
        "zh": "{minutes} 分钟内可以撤销。",
    },
    "requirement.deleted_under": {
        "en": "Deleted {ref} under the approved change request {change}.",
        "zh": "已按客户批准的变更申请 {change} 删除 {ref}。",
    },
    "requirement.priority.must": {"en": "Must", "zh": "必须"},
    "requirement.priority.should": {"en": "Should", "zh": "应该"},
    "requirement.priority.could": {"en": "Could", "zh": "可以"},
    "requirement.field.priority": {"en": "Priority", "zh": "优先级"},
    "requirement.field.visibility": {"en": "Visible to", "zh": "可见范围"},
    "requirement.field.baseline": {"en": "Baseline", "zh": "基线"},
    "requirement.field.history": {"en": "History", "zh": "历史"},
    "requirement.visibility.client": {"en": "client and team", "zh": "客户和团队"},
    "requirement.visibility.internal": {"en": "team only", "zh": "仅团队"},
    "requirement.mark.baselined": {"en": "baseline v{version}", "zh": "基线第 {version} 版"},
    "requirement.mark.changed": {
        "en": "changed since baseline v{version}",
        "zh": "基线第 {version} 版后已变更",
    },
    "requirement.not_baselined": {"en": "Not in an approved baseline.", "zh": "尚未纳入已批准的基线。"},
    "requirement.in_baseline": {
        "en": "In the baseline the client approved (version {version}); changing it needs an approved "
        "change request.",
        "zh": "属于客户已批准的基线（第 {version} 版），修改需经客户批准的变更申请。",
    },
    "requirement.changed_since": {
        "en": "Changed since the client approved it in baseline version {version}.",
        "zh": "客户在第 {version} 版基线中批准后已变更。",
    },
    "requirement.list.title": {"en": "Requirements ({count})", "zh": "需求（{count} 条）"},
    "requirement.list.none": {
        "en": "No requirements yet. Add one with `/requirement add …`.",
        "zh": "还没有需求。可用 `/requirement 添加 …` 添加。",
    },
    "requirement.list.approved": {
        "en": "Baseline version {version} approved on {date}.",
        "zh": "第 {version} 版基线已于 {date} 获批准。",
    },
    "requirement.list.waiting": {
        "en": "Baseline version {version} is waiting for the client (sent {date}).",
        "zh": "第 {version} 版基线正在等待客户确认（{date} 发出）。",
    },
    "requirement.list.rejected": {
        "en": "Baseline version {version} was rejected on {date}: {remarks}",
        "zh": "第 {version} 版基线已于 {date} 被驳回：{remarks}",
    },
    "requirement.list.no_baseline": {
        "en": "No baseline approved yet: send one with `/requirement baseline`.",
        "zh": "尚无已批准的基线：可用 `/requirement 基线` 发送。",
    },
    "requirement.history.requirement.create": {"en": "added", "zh": "添加"},
    "requirement.history.requirement.edit": {"en": "changed", "zh": "修改"},
    "requirement.history.requirement.delete": {"en": "deleted", "zh": "删除"},
    "requirement.history.requirement.baselined": {
        "en": "baselined by the client's approval",
        "zh": "经客户批准纳入基线",
    },
    "requirement.history.other": {"en": "changed", "zh": "变更"},
    "requirement.history.earlier": {
        "en": "{count} earlier entries not shown.",
        "zh": "另有 {count} 条更早的记录未显示。",
    },
    # the baseline as the client reads it
    "requirement.baseline.name": {"en": "Requirements baseline", "zh": "需求基线"},
    "requirement.baseline.intro": {
        "en": "The requirements of {project} ({count}), by priority:",
        "zh": "{project} 的需求（共 {count} 条），按优先级：",
    },
}
