"""Strings for exports (`/liaison export`) and search (`/liaison search`)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help (the registry's keys) ---------------------------------------------------------------------
    "cmd.liaison.export": {
        "en": "Export the project's records as CSV, Excel (XLSX) or Markdown files, here",
        "zh": "将项目记录导出为 CSV、Excel（XLSX）或 Markdown 文件，发到这里",
    },
    "cmd.liaison.export.example": {
        "en": "/liaison export xlsx risks actions",
        "zh": "/liaison 导出 csv 风险",
    },
    "cmd.liaison.search": {
        "en": "Find records of every kind by words in their title or text",
        "zh": "按标题或正文中的词查找各类记录",
    },
    "cmd.liaison.search.example": {"en": "/liaison search login", "zh": "/liaison 搜索 登录"},
    # ---- export ---------------------------------------------------------------------------------------------
    "export.example": {"en": "/liaison export xlsx risks actions", "zh": "/liaison 导出 csv 风险"},
    "export.unknown_word": {
        "en": "I don't know what to export for “{word}”. Say a format (csv, xlsx, md) and kinds ({kinds}) or all.",
        "zh": "不清楚“{word}”要导出什么。请说明格式（csv、xlsx、md）和记录类型（{kinds}）或“全部”。",
    },
    "export.two_formats": {
        "en": "Choose one format: csv, xlsx or md.",
        "zh": "请只选一种格式：csv、xlsx 或 md。",
    },
    "export.empty": {
        "en": "Nothing to export from {project}: no {kinds} that can be shown here yet.",
        "zh": "{project} 暂无可导出的内容：这里还没有可显示的{kinds}。",
    },
    "export.comment": {
        "en": "Export of {project} ({what}); dates in {zone}.",
        "zh": "{project} 的导出（{what}）；日期按 {zone} 时区。",
    },
    "export.comment.client": {
        "en": "Export of {project} ({what}), shared records only; dates in {zone}.",
        "zh": "{project} 的导出（{what}），仅含共享给客户的记录；日期按 {zone} 时区。",
    },
    "export.uploaded": {
        "en": "Uploaded {files} here: {what}.",
        "zh": "已在这里上传 {files}：{what}。",
    },
    "export.files": {"en": "{n} file(s)", "zh": "{n} 个文件"},
    "export.count": {"en": "{kind} {n}", "zh": "{kind} {n} 条"},
    "export.upload_failed": {
        "en": "I couldn't upload the export here (Slack said {error}). Invite me to this channel, or ask in a "
        "channel I'm in.",
        "zh": "无法在这里上传导出文件（Slack 返回 {error}）。请先邀请我加入本频道，或在我所在的频道里导出。",
    },
    # ---- the kinds, as people read them -----------------------------------------------------------------------
    "export.kind.minutes": {"en": "minutes", "zh": "会议纪要"},
    "export.kind.actions": {"en": "action items", "zh": "行动项"},
    "export.kind.decisions": {"en": "decisions", "zh": "决策"},
    "export.kind.risks": {"en": "risks", "zh": "风险"},
    "export.kind.milestones": {"en": "milestones", "zh": "里程碑"},
    "export.kind.changes": {"en": "change requests", "zh": "变更申请"},
    "export.kind.requirements": {"en": "requirements", "zh": "需求"},
    "export.kind.issues": {"en": "issues", "zh": "问题"},
    # ---- search ---------------------------------------------------------------------------------------------
    "search.example": {"en": "/liaison search login", "zh": "/liaison 搜索 登录"},
    "search.empty": {
        "en": "Say what to look for: one or more words from a title or text.",
        "zh": "请说明要找什么：标题或正文中的一个或多个词。",
    },
    "search.too_long": {
        "en": "Search with at most {words} short words.",
        "zh": "搜索最多用 {words} 个简短的词。",
    },
    "search.none": {
        "en": "Nothing in {project} matches {words}. Try fewer or other words, for example:",
        "zh": "{project} 中没有与 {words} 匹配的记录。可以少用几个词或换个词，例如：",
    },
    "search.header": {
        "en": "{n} record(s) in {project} match {words}, best and newest first:",
        "zh": "{project} 中有 {n} 条记录与 {words} 匹配，最相关和最新的在前：",
    },
    "search.header.capped": {
        "en": "Many records in {project} match {words}; {n} of the newest, best first:",
        "zh": "{project} 中有很多记录与 {words} 匹配；以下是最新的 {n} 条，最相关的在前：",
    },
    "search.more": {
        "en": "…and {n} more. Add a word to narrow the search.",
        "zh": "……还有 {n} 条。加一个词可缩小范围。",
    },
    "search.kind.minutes": {"en": "minutes", "zh": "会议纪要"},
    "search.kind.action": {"en": "action item", "zh": "行动项"},
    "search.kind.decision": {"en": "decision", "zh": "决策"},
    "search.kind.risk": {"en": "risk", "zh": "风险"},
    "search.kind.milestone": {"en": "milestone", "zh": "里程碑"},
    "search.kind.change": {"en": "change request", "zh": "变更申请"},
    "search.kind.requirement": {"en": "requirement", "zh": "需求"},
    "search.kind.issue": {"en": "issue", "zh": "问题"},
    "search.status.open": {"en": "open", "zh": "进行中"},
    "search.status.done": {"en": "done", "zh": "已完成"},
    "search.status.closed": {"en": "closed", "zh": "已关闭"},
    "search.status.draft": {"en": "draft", "zh": "草稿"},
    "search.status.sent": {"en": "sent", "zh": "已发送"},
    "search.status.confirmed": {"en": "confirmed", "zh": "已确认"},
    "search.status.changed": {"en": "changed since confirmed", "zh": "确认后有改动"},
    "search.status.decided": {"en": "decided", "zh": "已决定"},
    "search.status.accepted": {"en": "accepted", "zh": "已验收"},
    "search.status.approved": {"en": "approved", "zh": "已批准"},
    "search.status.rejected": {"en": "rejected", "zh": "已拒绝"},
    "search.status.withdrawn": {"en": "withdrawn", "zh": "已撤回"},
    "search.status.baselined": {"en": "baselined", "zh": "已基线化"},
    "search.status.resolved": {"en": "resolved", "zh": "已解决"},
}
