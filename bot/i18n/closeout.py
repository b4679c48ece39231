"""Strings for the close-out report (结项报告): `/project close [send|confirm]`, its preview, files and sign-off."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help ----------------------------------------------------------------------------------------
    "cmd.project.close": {
        "en": "Close the project: preview the close-out report and ask the team for lessons; `send` it to the "
        "client for final acceptance (accepted: archived); `confirm` (the lead) archives without the client",
        "zh": "结项：预览结项报告并请团队填写经验教训；`发送` 给客户做最终验收（通过即归档）；"
        "`确认`（项目负责人）不经客户直接归档",
    },
    "cmd.project.close.example": {"en": "/project close", "zh": "/project 结项"},
    "cmd.project.close_send.example": {"en": "/project close send", "zh": "/project 结项 发送"},
    "cmd.project.close_confirm.example": {"en": "/project close confirm", "zh": "/project 结项 确认"},
    # ---- mistakes and refusals -----------------------------------------------------------------------
    "closeout.bad_word": {
        "en": "“{word}” is not something I can do with the close-out report: say `send` or `confirm`, or nothing "
        "for the preview.",
        "zh": "“{word}” 不是结项报告能做的操作：可以说 `发送` 或 `确认`，不加内容则是预览。",
    },
    "closeout.lead_only": {
        "en": "Only the project lead (who set the project up) can archive it without the client. "
        "Send the report to the client instead:",
        "zh": "只有项目负责人（即创建项目的人）可以不经客户直接归档。请改为把报告发给客户：",
    },
    # ---- the report's words --------------------------------------------------------------------------
    "closeout.name": {"en": "Close-out report", "zh": "结项报告"},
    "closeout.title": {"en": "Close-out report: {project}", "zh": "结项报告：{project}"},
    "closeout.subtitle": {
        "en": "Client: {client} · as of {today} ({tz}) · {view}",
        "zh": "客户：{client} · 截至 {today}（{tz}）· {view}",
    },
    "closeout.view.internal": {"en": "internal version", "zh": "内部版"},
    "closeout.view.client": {"en": "client version", "zh": "客户版"},
    "closeout.section.milestones": {"en": "Milestones", "zh": "里程碑"},
    "closeout.section.changes": {"en": "Approved change requests", "zh": "已批准的变更"},
    "closeout.section.risks": {"en": "Risks", "zh": "风险"},
    "closeout.section.issues": {"en": "Issues", "zh": "问题"},
    "closeout.section.actions": {"en": "Action items", "zh": "行动项"},
    "closeout.section.checkins": {"en": "Check-in participation", "zh": "进度汇报参与度"},
    "closeout.section.pulses": {"en": "Client satisfaction", "zh": "客户满意度"},
    "closeout.section.lessons": {"en": "Lessons learned", "zh": "经验教训"},
    "closeout.section.charts": {"en": "Charts", "zh": "图表"},
    "closeout.chart.heat_title": {"en": "All risks of the project", "zh": "项目全部风险"},
    "closeout.col.ref": {"en": "Id", "zh": "编号"},
    "closeout.col.title": {"en": "Title", "zh": "标题"},
    "closeout.col.planned": {"en": "Planned", "zh": "计划"},
    "closeout.col.forecast": {"en": "Forecast", "zh": "预测"},
    "closeout.col.actual": {"en": "Actual", "zh": "实际"},
    "closeout.col.accepted": {"en": "Accepted", "zh": "验收"},
    "closeout.col.late": {"en": "Days late", "zh": "延期天数"},
    "closeout.col.impact": {"en": "Impact", "zh": "影响"},
    "closeout.col.severity": {"en": "Severity", "zh": "严重程度"},
    "closeout.col.raised": {"en": "Raised", "zh": "提出"},
    "closeout.col.resolved": {"en": "Resolved", "zh": "已解决"},
    "closeout.col.open": {"en": "Open", "zh": "未解决"},
    "closeout.col.average": {"en": "Average time to resolve", "zh": "平均解决时长"},
    "closeout.col.longest": {"en": "Longest", "zh": "最长"},
    "closeout.col.due": {"en": "Due", "zh": "截止"},
    "closeout.col.pulse": {"en": "Pulse", "zh": "调查"},
    "closeout.col.score": {"en": "Average (1–5)", "zh": "平均分（1–5）"},
    "closeout.col.answers": {"en": "Answers", "zh": "回答数"},
    "closeout.none": {"en": "None.", "zh": "无。"},
    "closeout.milestone.line": {
        "en": "*{ref}* {title} — planned {planned} · forecast {forecast} · actual {actual} · accepted {accepted}",
        "zh": "*{ref}* {title} — 计划 {planned} · 预测 {forecast} · 实际 {actual} · 验收 {accepted}",
    },
    "closeout.milestones.summary": {
        "en": "{count} milestones: {done} delivered, {accepted} accepted by the client.",
        "zh": "共 {count} 个里程碑：已交付 {done} 个，客户已验收 {accepted} 个。",
    },
    "closeout.changes.total": {
        "en": "{count} approved · total impact: {impact}",
        "zh": "已批准 {count} 项 · 总影响：{impact}",
    },
    "closeout.risks.summary": {
        "en": "{occurred} occurred · {avoided} closed without occurring · {open} still open",
        "zh": "已发生 {occurred} 个 · 未发生即关闭 {avoided} 个 · 仍未关闭 {open} 个",
    },
    "closeout.risks.occurred": {"en": "Occurred", "zh": "已发生"},
    "closeout.risks.avoided": {"en": "Closed without occurring", "zh": "未发生即关闭"},
    "closeout.risks.open": {"en": "Still open", "zh": "仍未关闭"},
    "closeout.risks.how": {
        "en": "A risk counts as occurred when it was closed with a note starting “occurred” "
        "(`/risk close R-7 occurred: …`).",
        "zh": "关闭时备注以“已发生”开头的风险计为已发生（`/risk close R-7 已发生：…`）。",
    },
    "closeout.issue.line": {
        "en": "{severity}: {raised} raised · {resolved} resolved · {open} open · average {average} · longest {longest}",
        "zh": "{severity}：提出 {raised} 个 · 已解决 {resolved} 个 · 未解决 {open} 个 · 平均 {average} · 最长 {longest}",
    },
    "closeout.hours": {"en": "{n} h", "zh": "{n} 小时"},
    "closeout.days": {"en": "{n} d", "zh": "{n} 天"},
    "closeout.actions.summary": {
        "en": "{done} done · {overdue} overdue · {open} still open",
        "zh": "已完成 {done} 个 · 已逾期 {overdue} 个 · 仍未完成 {open} 个",
    },
    "closeout.actions.overdue": {"en": "Overdue", "zh": "已逾期"},
    "closeout.actions.open": {"en": "Still open", "zh": "仍未完成"},
    "closeout.checkins.line": {
        "en": "{answers} answers to {prompts} check-in prompts ({percent}).",
        "zh": "进度汇报共提醒 {prompts} 次，回答 {answers} 次（{percent}）。",
    },
    "closeout.pulse.line": {
        "en": "{opened}: {average} ({answers} {answers:answer|answers})",
        "zh": "{opened}：{average}（{answers} 人回答）",
    },
    "closeout.more": {
        "en": "…and {count} more (in the full report)",
        "zh": "……另有 {count} 条（见完整报告）",
    },
    "closeout.missing_glyphs": {
        "en": "{count} characters the PDF's font lacks are shown as “?”; the Markdown file keeps them.",
        "zh": "有 {count} 个字符 PDF 字体中没有，显示为“?”；Markdown 文件中保留原文。",
    },
    # ---- the preview and what the commands answer ------------------------------------------------------
    "closeout.preview.head": {
        "en": "Draft close-out report (only you see this)",
        "zh": "结项报告草稿（仅你可见）",
    },
    "closeout.preview.forms": {
        "en": "Closing has started: each of the team gets the lessons learned form by DM.",
        "zh": "结项已开始：每位团队成员都会收到填写经验教训的私信。",
    },
    "closeout.preview.files": {
        "en": "The internal report (PDF and Markdown) follows in <#{channel}>.",
        "zh": "内部版报告（PDF 和 Markdown）随后发到 <#{channel}>。",
    },
    "closeout.sent_files": {
        "en": "Its PDF and Markdown follow in the message's thread.",
        "zh": "PDF 和 Markdown 文件随后发在该消息的话题中。",
    },
    "closeout.preview.files_failed": {
        "en": "The close-out report's files could not be uploaded ({error}); run the command again to retry.",
        "zh": "结项报告文件上传失败（{error}）；请再次运行该命令重试。",
    },
    "closeout.preview.next": {
        "en": "Next: `/project close send` asks the client for final acceptance (accepted: the project is archived); "
        "or the lead archives without the client with `/project close confirm`.",
        "zh": "下一步：`/project 结项 发送` 请客户做最终验收（验收通过即归档）；或由项目负责人用 "
        "`/project 结项 确认` 不经客户直接归档。",
    },
    "closeout.files.internal": {
        "en": "Close-out report (internal version, draft of {today})",
        "zh": "结项报告（内部版，{today} 草稿）",
    },
    "closeout.files.client": {
        "en": "Close-out report, version {version} (the text above is what you accept)",
        "zh": "结项报告第 {version} 版（验收以上方文字为准）",
    },
    "closeout.confirmed": {
        "en": "Archived {project} without the client's sign-off: records are read-only and schedules stopped "
        "({count} paused). `/project reopen` undoes it.",
        "zh": "已不经客户签署归档 {project}：记录只读，日程停止（暂停 {count} 个）。可用 `/project 重新打开` 撤销。",
    },
    # ---- the sign-off ----------------------------------------------------------------------------------
    "signoff.what.closeout": {"en": "Final acceptance", "zh": "结项验收"},
    "closeout.signoff.intro": {
        "en": "{report} ({client}). Accepting it accepts the project as delivered; "
        "the project is then archived.",
        "zh": "{report}（{client}）。验收通过即确认项目交付完成，项目随后归档。",
    },
    "closeout.signoff.report": {
        "en": "Close-out report for {project}",
        "zh": "{project} 结项报告",
    },
    "closeout.signoff.milestones": {
        "en": "• Milestones: {count} ({done} delivered, {accepted} accepted)",
        "zh": "• 里程碑：{count} 个（已交付 {done} 个，已验收 {accepted} 个）",
    },
    "closeout.signoff.changes": {
        "en": "• Approved change requests: {count} (schedule {days} working days · effort {hours} h · cost {cost})",
        "zh": "• 已批准的变更：{count} 项（工期 {days} 个工作日 · 工时 {hours} 小时 · 费用 {cost}）",
    },
    "closeout.signoff.risks": {
        "en": "• Risks: {occurred} occurred, {avoided} closed without occurring, {open} still open",
        "zh": "• 风险：已发生 {occurred} 个，未发生即关闭 {avoided} 个，仍未关闭 {open} 个",
    },
    "closeout.signoff.issues": {
        "en": "• Issues: {count} raised, {open} still open",
        "zh": "• 问题：共 {count} 个，仍未解决 {open} 个",
    },
    "closeout.signoff.actions": {
        "en": "• Action items: {done} done, {overdue} overdue, {open} still open",
        "zh": "• 行动项：已完成 {done} 个，已逾期 {overdue} 个，仍未完成 {open} 个",
    },
    "closeout.signoff.milestone": {
        "en": "    – *{ref}* {title}: planned {planned}, delivered {actual}, accepted {accepted}",
        "zh": "    – *{ref}* {title}：计划 {planned}，交付 {actual}，验收 {accepted}",
    },
    "closeout.signoff.milestone.unaccepted": {
        "en": "    – *{ref}* {title}: planned {planned}, delivered {actual}, not accepted yet",
        "zh": "    – *{ref}* {title}：计划 {planned}，交付 {actual}，尚未验收",
    },
    "closeout.signoff.milestone.accepted_only": {
        "en": "    – *{ref}* {title}: planned {planned}, accepted {accepted}",
        "zh": "    – *{ref}* {title}：计划 {planned}，验收 {accepted}",
    },
    "closeout.signoff.milestone.undelivered": {
        "en": "    – *{ref}* {title}: planned {planned}, not delivered yet",
        "zh": "    – *{ref}* {title}：计划 {planned}，尚未交付",
    },
    "closeout.signoff.attached": {
        "en": "The full report (PDF and Markdown) is posted in this message's thread.",
        "zh": "完整报告（PDF 和 Markdown）发在本消息的话题中。",
    },
    "signoff.team.approved.closeout": {
        "en": "{who} ({org}) accepted the close-out report (version {version}): the project is archived; "
        "records are read-only and schedules stopped. `/project reopen` undoes it. <{link}|See the message>",
        "zh": "{who}（{org}）已验收结项报告（第 {version} 版）：项目已归档，记录只读，日程停止。"
        "可用 `/project 重新打开` 撤销。<{link}|查看消息>",
    },
    "signoff.team.remarks.closeout": {
        "en": "{who} ({org}) accepted the close-out report (version {version}) with remarks: {remarks} "
        "The project is archived. <{link}|See the message>",
        "zh": "{who}（{org}）已附意见验收结项报告（第 {version} 版）：{remarks} 项目已归档。<{link}|查看消息>",
    },
    "signoff.team.rejected.closeout": {
        "en": "{who} ({org}) rejected the close-out report (version {version}): {remarks} The project stays "
        "open; address this and `/project close send` again. <{link}|See the message>",
        "zh": "{who}（{org}）驳回了结项报告（第 {version} 版）：{remarks} 项目保持开启；处理后请再次 "
        "`/project 结项 发送`。<{link}|查看消息>",
    },
}
