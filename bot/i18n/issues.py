"""Strings for the issue log and the client channel's panel (owned by that feature)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help ----------------------------------------------------------------------------------------
    "cmd.issue": {
        "en": "The issue log: issues and questions (I-n), by severity, with owners and response targets",
        "zh": "问题日志：问题与咨询（I-n），按严重程度排列，含负责人和响应时限",
    },
    "cmd.issue.add": {"en": "Record an issue", "zh": "记录一个问题"},
    "cmd.issue.add.example": {
        "en": "/issue add SSO login fails for ACME users severity:high owner:me due:friday [client]",
        "zh": "/issue 添加 客户无法单点登录 严重程度:高 负责人:我 截止:周五 [客户]",
    },
    "cmd.issue.list": {
        "en": "Issues by severity, then age: open (default), mine or all",
        "zh": "按严重程度和时长列出问题：open（默认）、mine 或 all",
    },
    "cmd.issue.list.example": {"en": "/issue list mine", "zh": "/issue 列表 我的"},
    "cmd.issue.show": {"en": "Show an issue with its history", "zh": "查看问题及其历史"},
    "cmd.issue.show.example": {"en": "/issue show I-3", "zh": "/issue 查看 I-3"},
    "cmd.issue.update": {
        "en": "Change an issue's severity, owner, due time, title or visibility",
        "zh": "修改问题的严重程度、负责人、截止时间、标题或可见性",
    },
    "cmd.issue.update.example": {
        "en": "/issue update I-3 severity:critical owner:me due:tomorrow 5pm",
        "zh": "/issue 更新 I-3 严重程度:致命 负责人:我 截止:明天下午5点",
    },
    "cmd.issue.resolve": {"en": "Resolve an issue with a note", "zh": "解决问题并备注"},
    "cmd.issue.resolve.example": {
        "en": "/issue resolve I-3 Fixed the SSO certificate",
        "zh": "/issue 解决 I-3 已更新单点登录证书",
    },
    "cmd.issue.reopen": {"en": "Reopen a resolved issue", "zh": "重新打开已解决的问题"},
    "cmd.issue.reopen.example": {"en": "/issue reopen I-3", "zh": "/issue 重开 I-3"},
    "cmd.project.panel": {
        "en": "Post the client channel's panel again (Raise an issue, Ask a question, What's waiting for me)",
        "zh": "在客户频道重新发布面板（提出问题、提个问题、待我处理）",
    },
    "cmd.project.panel.example": {"en": "/project panel", "zh": "/project 面板"},
    "project.example_response": {
        "en": "/project settings response:critical=4h,high=1d,medium=3d,low=5d",
        "zh": "/project settings response:critical=4h,high=1d,medium=3d,low=5d",
    },
    # ---- mistakes ------------------------------------------------------------------------------------
    "issue.bad_severity": {
        "en": "`{value}` is not a severity: use low, medium, high or critical (低/中/高/致命).",
        "zh": "`{value}` 不是有效的严重程度：请用 低/中/高/致命（low/medium/high/critical）。",
    },
    "issue.need_title": {"en": "Say what the issue is.", "zh": "请写明是什么问题。"},
    "issue.need_question": {"en": "Write your question.", "zh": "请写下你的问题。"},
    "issue.nothing_to_update": {
        "en": "Tell me what to change: `severity:`, `owner:`, `due:`, `title:`, or `[client]` / `[internal]`.",
        "zh": "请说明要修改的内容：`severity:`、`owner:`、`due:`、`title:`，或 `[client]` / `[internal]`。",
    },
    "issue.already_resolved": {"en": "{ref} is already resolved.", "zh": "{ref} 已经解决了。"},
    "issue.not_resolved": {"en": "{ref} is not resolved.", "zh": "{ref} 尚未解决。"},
    "issue.already_recorded": {"en": "That request was already recorded.", "zh": "该请求已经记录过了。"},
    "issue.bad_filter": {
        "en": "`{value}` is not a list I know: use open, mine, resolved or all.",
        "zh": "无法识别 `{value}`：请用 open、mine、resolved 或 all（未解决、我的、已解决、全部）。",
    },
    "issue.bad_target": {
        "en": "`{value}` is not a response target: give each severity hours (`4h`) or working days (`3d`).",
        "zh": "`{value}` 不是有效的响应时限：请为每个严重程度写小时（`4h`）或工作日（`3d`）。",
    },
    "record.too_long.description": {
        "en": "The details are too long (at most {limit} characters).",
        "zh": "详细说明太长了（最多 {limit} 个字符）。",
    },
    "issue.form_failed": {
        "en": "I couldn't open the form just now. Please press the button again.",
        "zh": "暂时无法打开表单，请再按一次按钮。",
    },
    "issue.form_failed_command": {
        "en": "I couldn't open the form just now. You can record the issue in one line instead.",
        "zh": "暂时无法打开表单。你也可以用一行命令记录问题。",
    },
    "panel.not_client_channel": {
        "en": "The panel goes into the project's client channel: run this there.",
        "zh": "面板只能发布在项目的客户频道：请在客户频道里使用。",
    },
    # ---- replies -------------------------------------------------------------------------------------
    "issue.created": {"en": "Added {ref}.", "zh": "已添加 {ref}。"},
    "issue.updated": {"en": "Updated {ref}: {fields}.", "zh": "已更新 {ref}：{fields}。"},
    "issue.unchanged": {"en": "{ref} already looks like that.", "zh": "{ref} 本来就是这样，无需修改。"},
    "issue.resolved": {"en": "Resolved {ref}.", "zh": "已解决 {ref}。"},
    "issue.reopened": {"en": "Reopened {ref}.", "zh": "已重新打开 {ref}。"},
    "issue.repeated": {
        "en": "Already recorded: {ref} (this request was received twice).",
        "zh": "已记录过：{ref}（该请求收到了两次）。",
    },
    "issue.none": {"en": "—", "zh": "—"},
    "issue.kind.issue": {"en": "Issue", "zh": "问题"},
    "issue.kind.question": {"en": "Question", "zh": "咨询"},
    "issue.severity.critical": {"en": "Critical", "zh": "致命"},
    "issue.severity.high": {"en": "High", "zh": "高"},
    "issue.severity.medium": {"en": "Medium", "zh": "中"},
    "issue.severity.low": {"en": "Low", "zh": "低"},
    "issue.status.open": {"en": "Open", "zh": "未解决"},
    "issue.status.resolved": {"en": "Resolved", "zh": "已解决"},
    "issue.visibility.client": {"en": "Shared with the client", "zh": "对客户可见"},
    "issue.visibility.internal": {"en": "Internal", "zh": "仅内部"},
    "issue.field.title": {"en": "Title", "zh": "标题"},
    "issue.field.kind": {"en": "Type", "zh": "类型"},
    "issue.field.severity": {"en": "Severity", "zh": "严重程度"},
    "issue.field.owner": {"en": "Owner", "zh": "负责人"},
    "issue.field.due": {"en": "Due", "zh": "截止"},
    "issue.field.status": {"en": "Status", "zh": "状态"},
    "issue.field.visibility": {"en": "Visibility", "zh": "可见性"},
    "issue.field.raised_by": {"en": "Raised by", "zh": "提出人"},
    "issue.field.description": {"en": "Details", "zh": "详细说明"},
    "issue.field.resolution": {"en": "Resolution", "zh": "解决说明"},
    "issue.field.history": {"en": "History", "zh": "历史"},
    "issue.field.response": {"en": "Response", "zh": "响应"},
    "issue.response.waiting": {"en": "due {when}", "zh": "应于 {when} 前响应"},
    "issue.response.done": {"en": "answered {when}", "zh": "已于 {when} 响应"},
    "issue.raised_by_client": {"en": "{who} ({client})", "zh": "{who}（{client}）"},
    "issue.list.open": {"en": "Open issues", "zh": "未解决的问题"},
    "issue.list.mine": {"en": "My open issues", "zh": "我负责的未解决问题"},
    "issue.list.all": {"en": "All issues", "zh": "全部问题"},
    "issue.list.resolved": {"en": "Resolved issues", "zh": "已解决的问题"},
    "issue.list.none": {"en": "No issues to show.", "zh": "没有可显示的问题。"},
    "issue.list.sorted": {
        "en": "Most severe first, then the longest waiting. Details opens one.",
        "zh": "最严重的在前，同级按等待时长排列。点击“详情”查看。",
    },
    "issue.more": {"en": "…and {count} more.", "zh": "……另有 {count} 条。"},
    "issue.details": {"en": "Details", "zh": "详情"},
    "issue.history.issue.create": {"en": "raised it", "zh": "提出"},
    "issue.history.issue.update": {"en": "changed it", "zh": "修改"},
    "issue.history.issue.assign": {"en": "assigned it", "zh": "指派"},
    "issue.history.issue.resolve": {"en": "resolved it", "zh": "解决"},
    "issue.history.issue.reopen": {"en": "reopened it", "zh": "重新打开"},
    "issue.history.other": {"en": "changed it", "zh": "修改"},
    "issue.history.earlier": {
        "en": "{count} earlier change(s) not shown.",
        "zh": "另有 {count} 条更早的记录未显示。",
    },
    # ---- the client channel's panel -------------------------------------------------------------------
    "panel.welcome": {
        "en": "{project}: this is where {client} and the delivery team work together. "
        "Use the buttons below to raise an issue, ask the team a question, or see what is waiting for you.",
        "zh": "{project}：这里是 {client} 与交付团队协作的地方。"
        "用下方按钮提出问题、向团队提问，或查看待你处理的事项。",
    },
    "help.client.panel": {
        "en": "*Issues and questions*: the panel in this channel has *{raise_issue}*, *{ask}* and *{waiting}*.",
        "zh": "问题与咨询：本频道的面板上有“{raise_issue}”“{ask}”和“{waiting}”按钮。",
    },
    "panel.button.raise": {"en": "Raise an issue", "zh": "提出问题"},
    "panel.button.ask": {"en": "Ask a question", "zh": "提个问题"},
    "panel.button.waiting": {"en": "What's waiting for me", "zh": "待我处理"},
    "panel.failed": {
        "en": "Slack did not take the panel just now: try again in a moment.",
        "zh": "Slack 暂时未能发布面板，请稍后再试。",
    },
    "panel.posted": {"en": "Posted the panel in this channel.", "zh": "已在本频道发布面板。"},
    "issue.modal.title.issue": {"en": "Raise an issue", "zh": "提出问题"},
    "issue.modal.title.question": {"en": "Ask a question", "zh": "提个问题"},
    "issue.modal.submit": {"en": "Send", "zh": "提交"},
    "issue.modal.close": {"en": "Cancel", "zh": "取消"},
    "issue.modal.title_label.issue": {"en": "What's the issue?", "zh": "遇到了什么问题？"},
    "issue.modal.title_label.question": {"en": "Your question", "zh": "你的问题"},
    "issue.modal.description_label": {"en": "Details", "zh": "详细说明"},
    "issue.modal.description_placeholder": {
        "en": "What happened, where, since when",
        "zh": "发生了什么、在哪里、从什么时候开始",
    },
    "issue.modal.severity_label": {"en": "How serious is it?", "zh": "严重程度"},
    "issue.modal.internal_hint": {
        "en": "Internal: the client does not see it.",
        "zh": "仅内部可见：客户看不到。",
    },
    "issue.ack.issue": {
        "en": "{who} raised *{ref}* ({severity}): {title}\nThe team has been told; we aim to respond by {when}. "
        "News on it comes in this thread.",
        "zh": "{who} 提出了 {ref}（{severity}）：{title}\n已通知团队，我们争取在 {when} 前响应。后续进展会在此消息串中回复。",
    },
    "issue.ack.question": {
        "en": "{who} asked *{ref}*: {title}\nThe team has been told; we aim to answer by {when}. "
        "The answer comes in this thread.",
        "zh": "{who} 提了问题 {ref}：{title}\n已通知团队，我们争取在 {when} 前答复。答复会在此消息串中回复。",
    },
    "issue.ack.private": {
        "en": "Thanks: {ref} is recorded and the team has been told.",
        "zh": "谢谢：{ref} 已记录，并已通知团队。",
    },
    "issue.team.raised.issue": {
        "en": ":rotating_light: {who} raised *{ref}* ({severity}) in the client channel: {title}",
        "zh": ":rotating_light: {who} 在客户频道提出了 {ref}（{severity}）：{title}",
    },
    "issue.team.raised.question": {
        "en": ":grey_question: {who} asked *{ref}* in the client channel: {title}",
        "zh": ":grey_question: {who} 在客户频道提了问题 {ref}：{title}",
    },
    "issue.team.raised_internal": {
        "en": ":memo: {who} raised *{ref}* ({severity}, internal): {title}",
        "zh": ":memo: {who} 提出了 {ref}（{severity}，仅内部）：{title}",
    },
    # Follows the raiser's mention; the brackets are the language's own (full-width in Chinese).
    "issue.team.client_word": {"en": " (from {client})", "zh": "（来自 {client}）"},
    "issue.team.respond_by": {
        "en": "Response target: {when}. Choose who takes it:",
        "zh": "响应时限：{when}。请选择负责人：",
    },
    "issue.team.owned": {"en": "Owner: {owner}. Reassign:", "zh": "负责人：{owner}。改派给："},
    "issue.team.assign_placeholder": {"en": "Assign to…", "zh": "指派给……"},
    "issue.assigned.client": {
        "en": "Assigned: {owner} is on {ref}.",
        "zh": "已指派：{owner} 负责处理 {ref}。",
    },
    "issue.assigned.you": {"en": "Assigned {ref} to {owner}.", "zh": "已将 {ref} 指派给 {owner}。"},
    "issue.assigned.same": {"en": "{owner} already has {ref}.", "zh": "{ref} 已由 {owner} 负责。"},
    "issue.assigned.team": {
        "en": "{who} assigned *{ref}* to {owner}.",
        "zh": "{who} 已将 {ref} 指派给 {owner}。",
    },
    "issue.resolved.client": {
        "en": ":white_check_mark: {ref} is resolved: {note}",
        "zh": ":white_check_mark: {ref} 已解决：{note}",
    },
    # ---- escalation --------------------------------------------------------------------------------------
    "issue.escalation.no_response": {
        "en": ":warning: {lead} *{ref}* ({severity}) has had no response from the team within its target "
        "({target}, raised {when}): {title}",
        "zh": ":warning: {lead} {ref}（{severity}）在响应时限（{target}，提出于 {when}）内尚无团队响应：{title}",
    },
    "issue.escalation.overdue": {
        "en": ":warning: {lead} *{ref}* ({severity}) is still open past its due time ({when}): {title}",
        "zh": ":warning: {lead} {ref}（{severity}）已过截止时间（{when}）仍未解决：{title}",
    },
    "issue.target.h": {"en": "{n} h", "zh": "{n} 小时"},
    "issue.target.d": {"en": "{n} working {n:day|days}", "zh": "{n} 个工作日"},
    # ---- what's waiting for me --------------------------------------------------------------------------
    "waiting.header": {"en": "Waiting for you", "zh": "待你处理"},
    "waiting.none": {"en": "Nothing is waiting for you right now.", "zh": "目前没有待你处理的事项。"},
    "waiting.actions": {"en": "Your open action items", "zh": "你的未完成行动项"},
    "waiting.signoffs": {"en": "Waiting for your sign-off", "zh": "等待你签字确认"},
    "waiting.due": {"en": "due {when}", "zh": "截止 {when}"},
    "waiting.version": {"en": "version {version}", "zh": "第 {version} 版"},
    # ---- from a check-in ----------------------------------------------------------------------------------
    "issue.from_blocker": {"en": "Make it an issue", "zh": "转为问题"},
}
