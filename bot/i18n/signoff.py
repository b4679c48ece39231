"""The client's word: confirmations and sign-offs (who may sign, outcomes, waiting sign-offs)."""

MESSAGES: dict[str, dict[str, str]] = {
    "policy.client_only": {
        "en": "Only the client signs this: your click was not recorded.",
        "zh": "只有客户可以签署确认，你的点击没有被记录。",
    },
}

MESSAGES.update(
    {
        # the workflow
        "signoff.internal": {
            "en": "{ref} is internal: only client records are sent to the client. Mark it `[client]` first.",
            "zh": "{ref} 是内部记录，只有客户可见的记录才能发给客户。请先将其标记为 `[client]`。",
        },
        "signoff.no_client_channel": {
            "en": "This project has no client channel yet: run this in the channel you share with the client.",
            "zh": "本项目还没有客户频道：请在与客户共享的频道中运行以下命令。",
        },
        "signoff.already_waiting": {
            "en": "Version {version} of {ref} is already waiting for the client, unchanged.",
            "zh": "{ref} 的第 {version} 版已在等待客户确认，内容没有变化。",
        },
        "signoff.unchanged_since_rejected": {
            "en": "The client rejected version {version} of {ref} and it has not changed since: change it first.",
            "zh": "客户驳回了 {ref} 的第 {version} 版，之后内容没有变化：请先修改。",
        },
        "signoff.not_approver": {
            "en": "Only the project's named approvers sign this: your click was not recorded.",
            "zh": "只有项目指定的审批人可以签署，你的点击没有被记录。",
        },
        "signoff.superseded": {
            "en": "This version is no longer current: a newer one was sent. Your click was not recorded.",
            "zh": "这一版已不是最新版本（已发送新版本），你的点击没有被记录。",
        },
        "signoff.reason_required": {
            "en": "Say why, so the team can put it right.",
            "zh": "请说明原因，以便团队改正。",
        },
        "signoff.remarks_too_long": {
            "en": "That is {length} characters; keep it under {limit}.",
            "zh": "内容共 {length} 个字符，请控制在 {limit} 个以内。",
        },
        "signoff.header": {
            "en": "{what} requested: {ref} (version {version})",
            "zh": "请求{what}：{ref}（第 {version} 版）",
        },
        "signoff.what.milestone": {"en": "Acceptance", "zh": "验收"},
        "signoff.what.baseline": {"en": "Sign-off", "zh": "签署"},
        "signoff.what.change": {"en": "Change request approval", "zh": "变更审批"},
        "signoff.what.minutes": {"en": "Minutes", "zh": "会议纪要"},
        "signoff.ask": {
            "en": "Please review the text above and approve it, approve it with remarks, or reject it.",
            "zh": "请审阅以上内容：批准、附意见批准，或驳回。",
        },
        "signoff.button.approve": {"en": "Approve", "zh": "批准"},
        "signoff.button.remarks": {"en": "Approve with remarks", "zh": "附意见批准"},
        "signoff.button.reject": {"en": "Reject", "zh": "驳回"},
        "signoff.button.accept": {"en": "Accept", "zh": "验收通过"},
        "signoff.button.accept_remarks": {"en": "Accept with remarks", "zh": "附意见验收"},
        "signoff.outcome.approved": {
            "en": ":white_check_mark: Approved by {who} {when}",
            "zh": ":white_check_mark: {who} 已于 {when} 批准",
        },
        "signoff.outcome.remarks": {
            "en": ":white_check_mark: Approved with remarks by {who} {when}: {remarks}",
            "zh": ":white_check_mark: {who} 已于 {when} 附意见批准：{remarks}",
        },
        "signoff.outcome.rejected": {
            "en": ":x: Rejected by {who} {when}: {remarks}",
            "zh": ":x: {who} 已于 {when} 驳回：{remarks}",
        },
        "signoff.outcome.superseded": {
            "en": "Superseded by a newer version.",
            "zh": "已被新版本取代。",
        },
        "signoff.modal.title.remarks": {"en": "Approve with remarks", "zh": "附意见批准"},
        "signoff.modal.title.rejected": {"en": "Reject", "zh": "驳回"},
        "signoff.modal.submit": {"en": "Send", "zh": "提交"},
        "signoff.modal.cancel": {"en": "Cancel", "zh": "取消"},
        "signoff.modal.remarks": {"en": "Your remarks", "zh": "你的意见"},
        "signoff.modal.reason": {"en": "Why do you reject it?", "zh": "驳回原因"},
        "signoff.modal.about": {
            "en": "About {ref}, version {version}.",
            "zh": "关于 {ref} 第 {version} 版。",
        },
        "signoff.thanks.approved": {"en": "Thank you: you approved {ref}.", "zh": "谢谢，你已批准 {ref}。"},
        "signoff.thanks.remarks": {
            "en": "Thank you: you approved {ref} with remarks.",
            "zh": "谢谢，你已附意见批准 {ref}。",
        },
        "signoff.thanks.rejected": {
            "en": "Thank you: you rejected {ref}; the team has your reasons.",
            "zh": "谢谢，你已驳回 {ref}，团队已收到你的原因。",
        },
        "signoff.changes_asked.you": {
            "en": "You asked for changes to {ref} version {version}; the team will send a new version. Nothing changed.",
            "zh": "你已申请修改 {ref} 第 {version} 版；团队会发送新版本。没有任何改动。",
        },
        "signoff.changes_asked": {
            "en": "{who} asked for changes to {ref} version {version}; the team will send a new version. Nothing changed.",
            "zh": "{who} 已申请修改 {ref} 第 {version} 版；团队会发送新版本。没有任何改动。",
        },
        "signoff.already_decided": {
            "en": "{ref} version {version} was already decided; nothing changed.",
            "zh": "{ref} 第 {version} 版已有结论，没有任何改动。",
        },
        "signoff.team.approved": {
            "en": "{who} ({org}) approved {ref} version {version}. <{link}|See the message>",
            "zh": "{who}（{org}）已批准 {ref} 第 {version} 版。<{link}|查看消息>",
        },
        "signoff.team.remarks": {
            "en": "{who} ({org}) approved {ref} version {version} with remarks: {remarks} <{link}|See the message>",
            "zh": "{who}（{org}）已附意见批准 {ref} 第 {version} 版：{remarks} <{link}|查看消息>",
        },
        "signoff.team.rejected": {
            "en": "{who} ({org}) rejected {ref} version {version}: {remarks} <{link}|See the message>",
            "zh": "{who}（{org}）驳回了 {ref} 第 {version} 版：{remarks} <{link}|查看消息>",
        },
        "signoff.team.client_org": {"en": "client", "zh": "客户"},
        "signoff.sent": {
            "en": "Sent {ref} version {version} to the client in <#{channel}> for their word.",
            "zh": "已将 {ref} 第 {version} 版发到 <#{channel}>，等待客户确认。",
        },
        "signoff.sent_failed": {
            "en": "Could not post {ref} in <#{channel}> ({error}); nothing was sent.",
            "zh": "无法在 <#{channel}> 发布 {ref}（{error}），未发送任何内容。",
        },
        # milestone acceptance
        "cmd.milestone.criteria": {
            "en": "Set a milestone's acceptance criteria, one per line",
            "zh": "设置里程碑的验收标准，每行一条",
        },
        "cmd.milestone.criteria.example": {
            "en": "/milestone criteria MS-2\nAll P1 defects closed\nPayroll run reconciled",
            "zh": "/milestone criteria MS-2\n所有一级缺陷已关闭\n工资核算已对账",
        },
        "cmd.milestone.accept": {
            "en": "Ask the client to accept a milestone against its criteria",
            "zh": "请客户按验收标准验收里程碑",
        },
        "cmd.milestone.accept.example": {"en": "/milestone accept MS-2", "zh": "/milestone accept MS-2"},
        "milestone.need_criteria": {
            "en": "Write the criteria after the reference, one per line.",
            "zh": "请在编号后逐行写出验收标准。",
        },
        "milestone.too_many_criteria": {
            "en": "That is {count} criteria; keep it to {limit}.",
            "zh": "共 {count} 条标准，最多 {limit} 条。",
        },
        "milestone.criterion_too_long": {
            "en": "Each criterion must be under {limit} characters.",
            "zh": "每条标准须少于 {limit} 个字符。",
        },
        "milestone.criteria_set": {
            "en": "{ref} has {count} acceptance criteria.",
            "zh": "{ref} 已设置 {count} 条验收标准。",
        },
        "milestone.accept.dates": {
            "en": "Planned {planned} · forecast {forecast} · delivered {done}",
            "zh": "计划 {planned} · 预测 {forecast} · 交付 {done}",
        },
        "milestone.accept.criteria": {"en": "Acceptance criteria:", "zh": "验收标准："},
        "milestone.accept.no_criteria": {
            "en": "No acceptance criteria were set.",
            "zh": "未设置验收标准。",
        },
        "milestone.rejected_action": {
            "en": "Address the client's rejection of {ref}: {reason}",
            "zh": "处理客户对 {ref} 的验收驳回：{reason}",
        },
        "milestone.field.criteria": {"en": "Acceptance criteria", "zh": "验收标准"},
        "milestone.field.acceptance": {"en": "Acceptance", "zh": "验收"},
        "project.bad_approvers": {
            "en": "Name the approvers with @mentions, or `approvers:none` to let anyone from the client sign.",
            "zh": "请用 @提及 指定审批人，或用 `approvers:none` 让客户方任何人都可签署。",
        },
        "project.example_approvers": {
            "en": "/project settings approvers:@carol,@dan",
            "zh": "/project settings approvers:@carol,@dan",
        },
        "project.bad_nudge": {
            "en": "“{value}” is not a number of working days from 1 to {limit}.",
            "zh": "“{value}”不是 1 到 {limit} 之间的工作日天数。",
        },
        "project.example_nudge": {
            "en": "/project settings signoff_nudge:3",
            "zh": "/project settings signoff_nudge:3",
        },
        "project.field.approvers": {"en": "Who signs for the client", "zh": "客户方签署人"},
        "project.approvers_anyone": {
            "en": "anyone from the client's organisation",
            "zh": "客户方任何人",
        },
    }
)

# Where sign-offs are shown besides their own message: /milestone show and list, digests, App Home, the nudge.
MESSAGES.update(
    {
        "milestone.accepted_mark": {"en": "accepted by the client", "zh": "客户已验收"},
        "milestone.acceptance.none": {
            "en": "Not sent to the client for acceptance yet.",
            "zh": "尚未发给客户验收。",
        },
        "milestone.acceptance.how": {
            "en": "Send it with `/milestone accept {ref}`.",
            "zh": "可用 `/milestone accept {ref}` 发给客户。",
        },
        "milestone.acceptance.no_criteria": {
            "en": "No acceptance criteria yet.",
            "zh": "尚未设置验收标准。",
        },
        "milestone.acceptance.criteria_how": {
            "en": "Set them with `/milestone criteria {ref}` and one criterion per line.",
            "zh": "可用 `/milestone criteria {ref}` 设置，每行一条。",
        },
        "milestone.acceptance.accepted": {
            "en": "Accepted by the client on {date}: {who} (version {version})",
            "zh": "客户已于 {date} 验收：{who}（第 {version} 版）",
        },
        "milestone.acceptance.remarks": {
            "en": "Accepted by the client on {date} with remarks: {who} (version {version}): {remarks}",
            "zh": "客户已于 {date} 附意见验收：{who}（第 {version} 版）：{remarks}",
        },
        "milestone.acceptance.waiting": {
            "en": "Waiting for the client's acceptance (version {version}, sent {date})",
            "zh": "等待客户验收（第 {version} 版，{date} 发出）",
        },
        "milestone.acceptance.rejected": {
            "en": "Rejected by {who} on {date} (version {version}): {remarks}",
            "zh": "{who} 于 {date} 驳回（第 {version} 版）：{remarks}",
        },
        "milestone.acceptance.changed": {
            "en": "Changed since the client accepted it: send it again with `/milestone accept {ref}`.",
            "zh": "客户验收后内容已变更：可用 `/milestone accept {ref}` 重新发送。",
        },
        # digests and the App Home
        "signoff.digest.section.client": {"en": "Waiting for your sign-off", "zh": "等待您签署确认"},
        "signoff.digest.section.team": {
            "en": "Waiting for {client}'s sign-off",
            "zh": "等待 {client} 签署确认",
        },
        "signoff.digest.version": {"en": "version {version}", "zh": "第 {version} 版"},
        "signoff.digest.sent": {"en": "sent {date}", "zh": "{date} 发出"},
        "signoff.digest.waiting_days": {
            "en": "waiting on the client, {days} working {days:day|days}",
            "zh": "等待客户 {days} 个工作日",
        },
        "signoff.digest.waiting_today": {"en": "sent today", "zh": "今天发出"},
        "signoff.digest.see": {"en": "<{link}|see the message>", "zh": "<{link}|查看消息>"},
        "signoff.digest.buttons": {
            "en": "The buttons are on the message it was sent in.",
            "zh": "签署按钮在当时发送的消息中。",
        },
        "signoff.moved.milestone.approved": {"en": "{client} accepted {ref}", "zh": "{client} 已验收 {ref}"},
        "signoff.moved.milestone.remarks": {
            "en": "{client} accepted {ref} with remarks: {remarks}",
            "zh": "{client} 已附意见验收 {ref}：{remarks}",
        },
        "signoff.moved.milestone.rejected": {
            "en": "{client} rejected {ref}: {remarks}",
            "zh": "{client} 驳回了 {ref}：{remarks}",
        },
        "signoff.moved.other.approved": {"en": "{client} approved {ref}", "zh": "{client} 已批准 {ref}"},
        "signoff.moved.other.remarks": {
            "en": "{client} approved {ref} with remarks: {remarks}",
            "zh": "{client} 已附意见批准 {ref}：{remarks}",
        },
        "signoff.moved.other.rejected": {
            "en": "{client} rejected {ref}: {remarks}",
            "zh": "{client} 驳回了 {ref}：{remarks}",
        },
        "signoff.moved.minutes.approved": {"en": "{client} confirmed {ref}", "zh": "{client} 已确认 {ref}"},
        "signoff.moved.minutes.remarks": {
            "en": "{client} confirmed {ref} with remarks: {remarks}",
            "zh": "{client} 已附意见确认 {ref}：{remarks}",
        },
        "signoff.moved.minutes.rejected": {
            "en": "{client} asked for changes to {ref}: {remarks}",
            "zh": "{client} 要求修改 {ref}：{remarks}",
        },
        "signoff.home.client": {
            "en": "Waiting for your sign-off: {items}",
            "zh": "等待您签署确认：{items}",
        },
        "signoff.home.team": {
            "en": "Waiting on the client: {items}",
            "zh": "等待客户确认：{items}",
        },
        "signoff.home.days": {"en": "{days} working {days:day|days}", "zh": "{days} 个工作日"},
        # the nudge
        "signoff.nudge": {
            "en": "{who} {ref} version {version} has waited {days} working {days:day|days} for {client}'s word. "
            "A reminder to them may help. <{link}|See the message>",
            "zh": "{who} {ref} 第 {version} 版已等待 {client} 确认 {days} 个工作日，可以提醒一下对方。<{link}|查看消息>",
        },
        # A milestone is accepted, not approved: the same workflow in the words of acceptance.
        "signoff.ask.milestone": {
            "en": "Please check the milestone against its criteria: accept it, accept it with remarks, or reject it.",
            "zh": "请按验收标准检查该里程碑：验收通过、附意见验收，或驳回。",
        },
        "signoff.outcome.approved.milestone": {
            "en": ":white_check_mark: Accepted by {who} {when}",
            "zh": ":white_check_mark: {who} 已于 {when} 验收通过",
        },
        "signoff.outcome.remarks.milestone": {
            "en": ":white_check_mark: Accepted with remarks by {who} {when}: {remarks}",
            "zh": ":white_check_mark: {who} 已于 {when} 附意见验收：{remarks}",
        },
        "signoff.modal.title.remarks.milestone": {"en": "Accept with remarks", "zh": "附意见验收"},
        "signoff.thanks.approved.milestone": {
            "en": "Thank you: you accepted {ref}.",
            "zh": "谢谢，你已验收 {ref}。",
        },
        "signoff.thanks.remarks.milestone": {
            "en": "Thank you: you accepted {ref} with remarks.",
            "zh": "谢谢，你已附意见验收 {ref}。",
        },
        "signoff.team.approved.milestone": {
            "en": "{who} ({org}) accepted {ref} version {version}. <{link}|See the message>",
            "zh": "{who}（{org}）已验收 {ref} 第 {version} 版。<{link}|查看消息>",
        },
        "signoff.team.remarks.milestone": {
            "en": "{who} ({org}) accepted {ref} version {version} with remarks: {remarks} <{link}|See the message>",
            "zh": "{who}（{org}）已附意见验收 {ref} 第 {version} 版：{remarks} <{link}|查看消息>",
        },
    }
)
