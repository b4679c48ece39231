"""Strings for digests (`digest.`, `cmd.digest.`) and the App Home (`home.`)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- the command -------------------------------------------------------------------------------
    "cmd.digest": {"en": "Project digests for the client and the team", "zh": "面向客户和团队的项目简报"},
    "cmd.digest.preview": {
        "en": "Preview the next digest, only to you (client or internal)",
        "zh": "预览下一期简报，仅自己可见（客户版或内部版）",
    },
    "cmd.digest.preview.example": {"en": "/digest preview client", "zh": "/digest preview 客户"},
    "cmd.digest.now": {
        "en": "Post a digest now (client → client channel, internal → team channel)",
        "zh": "立即发送简报（客户版发到客户频道，内部版发到内部频道）",
    },
    "cmd.digest.now.example": {"en": "/digest now client", "zh": "/digest now 客户"},
    "cmd.digest.every": {
        "en": "Schedule a recurring digest (time in plain words)",
        "zh": "设置定期简报（用自然语言写时间）",
    },
    "cmd.digest.every.example": {
        "en": "/digest every monday 9am client",
        "zh": "/digest 每周一上午9点 客户",
    },
    "cmd.digest.add.example": {
        "en": "/digest every monday 9am client",
        "zh": "/digest 每周一上午9点 客户",
    },
    "cmd.digest.list": {"en": "List the project's scheduled digests", "zh": "列出项目的定期简报"},
    "cmd.digest.list.example": {"en": "/digest list", "zh": "/digest list"},
    "cmd.digest.pause.example": {"en": "/digest pause S-3", "zh": "/digest pause S-3"},
    "cmd.digest.resume.example": {"en": "/digest resume S-3", "zh": "/digest resume S-3"},
    "cmd.digest.cancel.example": {"en": "/digest cancel S-3", "zh": "/digest cancel S-3"},
    "cmd.digest.skip.example": {"en": "/digest skip S-3", "zh": "/digest skip S-3"},
    "digest.list_empty": {
        "en": "No scheduled digests yet. Try `/digest every monday 9am client`.",
        "zh": "还没有定期简报。试试 `/digest 每周一上午9点 客户`。",
    },
    "digest.default_title.client": {"en": "Client digest", "zh": "客户简报"},
    "digest.default_title.internal": {"en": "Team digest", "zh": "团队简报"},
    "digest.created": {
        "en": "Scheduled `{ref}` {title}: {rule}. It goes to {channel}.",
        "zh": "已设置 `{ref}` {title}：{rule}。发送到 {channel}。",
    },
    "digest.two_audiences": {
        "en": "Choose one: a `client` digest or an `internal` one.",
        "zh": "请只选一种：`客户` 简报或 `内部` 简报。",
    },
    "digest.one_channel": {"en": "Name at most one channel with `to:`.", "zh": "`to:` 只能指定一个频道。"},
    "digest.bad_charts": {
        "en": "`charts:{value}` — use `charts:on` or `charts:off`.",
        "zh": "`charts:{value}` 无效，请用 `charts:on` 或 `charts:off`。",
    },
    "digest.need_rule": {
        "en": "When should the digest go out? Say it in plain words.",
        "zh": "简报什么时候发送？请用自然语言写出时间。",
    },
    "digest.no_channel.client": {
        "en": "This project has no client channel yet: run `/project client-channel` in the shared channel first.",
        "zh": "本项目还没有客户频道：请先在共享频道中运行 `/project client-channel`。",
    },
    "digest.no_channel.internal": {
        "en": "This project has no team channel.",
        "zh": "本项目没有内部频道。",
    },
    "digest.refused.shared": {
        "en": "An internal digest can't go to {channel}: it is shared with another organisation "
        "(or Slack couldn't tell us it isn't). Send a `client` digest there instead.",
        "zh": "内部简报不能发到 {channel}：该频道与其他组织共享（或无法确认未共享）。请改发 `客户` 简报。",
    },
    "digest.refused.client_channel": {
        "en": "An internal digest can't go to {channel}: it is the project's client channel. "
        "Send a `client` digest there instead.",
        "zh": "内部简报不能发到 {channel}：它是项目的客户频道。请改发 `客户` 简报。",
    },
    "digest.posted": {
        "en": "Posted the {audience} digest to {channel}.",
        "zh": "已将{audience}简报发送到 {channel}。",
    },
    "digest.posted_charts_failed": {
        "en": "The charts could not be attached ({reason}); the digest carries them as text instead.",
        "zh": "图表未能上传（{reason}），简报中改用文字呈现。",
    },
    "digest.post_failed": {
        "en": "The digest could not be posted to {channel}: {reason}. It is recorded as failed.",
        "zh": "简报未能发送到 {channel}：{reason}。已记录为发送失败。",
    },
    "digest.report_failed": {
        "en": ":warning: The {audience} digest `{ref}` could not be posted to {channel}: {reason}",
        "zh": ":warning: {audience}简报 `{ref}` 未能发送到 {channel}：{reason}",
    },
    "digest.audience.client": {"en": "client", "zh": "客户"},
    "digest.audience.internal": {"en": "team", "zh": "团队"},
    "digest.preview_note": {
        "en": ":eyes: Preview, only you can see this: the {audience} digest as {channel} would get it now.",
        "zh": ":eyes: 预览（仅你可见）：{channel} 现在会收到的{audience}简报。",
    },
    "digest.preview_filtered": {
        "en": "Shown with client records only, because this channel is shared with the client.",
        "zh": "由于此频道与客户共享，这里只显示客户可见的记录。",
    },
    "digest.preview_charts": {
        "en": "When posted, a risk heat map and a milestone timeline are attached.",
        "zh": "正式发送时会附上风险热力图和里程碑时间线。",
    },
    # ---- the digest --------------------------------------------------------------------------------
    "digest.title.client": {
        "en": "{project} — update for {client}",
        "zh": "{project} — 致 {client} 的进展简报",
    },
    "digest.title.internal": {"en": "{project} — team digest", "zh": "{project} — 团队简报"},
    "digest.field.period": {"en": "Period", "zh": "周期"},
    "digest.field.status": {"en": "Overall status", "zh": "总体状态"},
    "digest.period": {"en": "{start} – {end}", "zh": "{start} – {end}"},
    "digest.status.on_track": {"en": "On track", "zh": "正常"},
    "digest.status.at_risk": {"en": "At risk", "zh": "有风险"},
    "digest.status.late": {"en": "Late", "zh": "延误"},
    "digest.change.first": {
        "en": "The first digest of this kind: no earlier one to compare with.",
        "zh": "这是第一期此类简报，没有可对比的上一期。",
    },
    "digest.change.since": {"en": "Since the last digest: {changes}", "zh": "与上一期相比：{changes}"},
    "digest.change.status": {"en": "status {before} → {after}", "zh": "状态 {before} → {after}"},
    "digest.change.status_same": {"en": "status still {status}", "zh": "状态仍为{status}"},
    "digest.change.open_risks": {
        "en": "open risks {before} → {after}",
        "zh": "未关闭风险 {before} → {after}",
    },
    "digest.change.open_milestones": {
        "en": "open milestones {before} → {after}",
        "zh": "未完成里程碑 {before} → {after}",
    },
    "digest.change.overdue": {
        "en": "overdue items {before} → {after}",
        "zh": "逾期行动项 {before} → {after}",
    },
    "digest.change.moved": {"en": "forecast moved for {refs}", "zh": "预测日期变动：{refs}"},
    "digest.change.sep": {"en": "; ", "zh": "；"},
    "digest.section.milestones": {"en": "Milestones ahead", "zh": "后续里程碑"},
    "digest.milestone.dates": {
        "en": "planned {planned} · forecast {forecast}",
        "zh": "计划 {planned} · 预测 {forecast}",
    },
    "digest.milestone.status.on_track": {"en": "on track", "zh": "正常"},
    "digest.milestone.status.at_risk": {"en": "at risk", "zh": "有风险"},
    "digest.milestone.status.late": {"en": "late", "zh": "延误"},
    "digest.milestone.status.done": {"en": "done", "zh": "已完成"},
    "digest.section.done_milestones": {"en": "Milestones reached", "zh": "已达成的里程碑"},
    "digest.milestone.done": {"en": "done {done} (planned {planned})", "zh": "{done} 完成（计划 {planned}）"},
    "digest.section.slips": {"en": "Slipped in this period", "zh": "本期延期"},
    "digest.slip": {"en": "{before} → {to}", "zh": "{before} → {to}"},
    "digest.section.progress": {"en": "Progress from check-ins", "zh": "进展（来自进度签到）"},
    "digest.progress.average": {
        "en": "Average progress {percent} from {n} check-in(s)",
        "zh": "平均进度 {percent}（共 {n} 次签到）",
    },
    "digest.progress.average_client": {
        "en": "Average progress reported by the team: {percent}",
        "zh": "团队报告的平均进度：{percent}",
    },
    "digest.progress.no_average": {
        "en": "{n} check-in(s), without progress figures",
        "zh": "共 {n} 次签到，未填写进度",
    },
    "digest.progress.reporters": {"en": "Reported: {people}", "zh": "已提交：{people}"},
    "digest.progress.blockers": {"en": "Blockers", "zh": "阻碍"},
    "digest.section.waiting": {"en": "Waiting on {client}", "zh": "等待 {client} 处理"},
    "digest.section.overdue": {"en": "Overdue", "zh": "已逾期"},
    "digest.section.due_soon": {"en": "Due in the next {days} days", "zh": "未来 {days} 天内到期"},
    "digest.section.actions_done": {"en": "Done in this period", "zh": "本期完成"},
    "digest.action.due": {"en": "due {date}", "zh": "{date} 到期"},
    "digest.action.overdue": {"en": "{age} (due {date})", "zh": "{age}，{date} 到期"},
    "digest.action.done": {"en": "done {date}", "zh": "{date} 完成"},
    "digest.section.risks": {"en": "Top open risks", "zh": "主要未关闭风险"},
    "digest.risk.level.low": {"en": "low", "zh": "低"},
    "digest.risk.level.medium": {"en": "medium", "zh": "中"},
    "digest.risk.level.high": {"en": "high", "zh": "高"},
    "digest.risk.level.critical": {"en": "critical", "zh": "严重"},
    "digest.risk.score": {"en": "{level} {score} ({p}×{i})", "zh": "{level} {score}（{p}×{i}）"},
    "digest.risk.owner": {"en": "owner {owner}", "zh": "负责人 {owner}"},
    "digest.risk.response": {"en": "response: {text}", "zh": "应对：{text}"},
    "digest.section.risk_changes": {"en": "Risk changes in this period", "zh": "本期风险变化"},
    "digest.risk.new": {"en": "New: {items}", "zh": "新增：{items}"},
    "digest.risk.closed": {"en": "Closed: {items}", "zh": "已关闭：{items}"},
    "digest.section.decisions": {"en": "Decisions", "zh": "决定"},
    "digest.section.minutes": {"en": "Minutes recorded", "zh": "新增会议纪要"},
    "digest.section.awaiting": {
        "en": "Minutes awaiting {client}'s confirmation",
        "zh": "等待 {client} 确认的会议纪要",
    },
    "digest.awaiting.sent": {"en": "sent, not confirmed yet", "zh": "已发送，尚未确认"},
    "digest.awaiting.changed": {"en": "changed since it was confirmed", "zh": "确认后有修改"},
    "digest.awaiting.how": {"en": "see `/minutes show {ref}`", "zh": "查看 `/minutes show {ref}`"},
    "digest.and_more": {"en": "…and {n} more", "zh": "……还有 {n} 项"},
    "digest.none": {"en": "—", "zh": "—"},
    "digest.empty": {
        "en": "Nothing to report for {period}: no milestones, action items, risks, decisions or minutes "
        "to show here.",
        "zh": "{period} 期间没有可报告的内容：这里没有可显示的里程碑、行动项、风险、决定或会议纪要。",
    },
    "digest.footer.client": {
        "en": "Shared with {client}: only records marked for the client. The buttons above confirm, accept "
        "or mark your own items done; questions are welcome in this channel.",
        "zh": "与 {client} 共享：只包含标记为客户可见的记录。可用上方的按钮确认、验收或将你的事项标记完成；"
        "有问题欢迎在本频道提出。",
    },
    "digest.footer.internal": {
        "en": "Team digest: internal records included, do not forward. Look closer with `/risk show` or "
        "`/milestone show` and an id from above.",
        "zh": "团队简报：包含内部记录，请勿转发。可用 `/risk show` 或 `/milestone show` 加上面的编号查看详情。",
    },
    "digest.truncated": {
        "en": "Some sections were left out to fit in one message.",
        "zh": "为放进一条消息，部分内容未显示。",
    },
    "digest.fallback": {
        "en": "{project} digest, {period}: {status}",
        "zh": "{project} 简报，{period}：{status}",
    },
    "digest.fallback_counts": {
        "en": "{milestones} open milestone(s), {risks} open risk(s), {actions} action item(s) due",
        "zh": "{milestones} 个未完成里程碑，{risks} 个未关闭风险，{actions} 个待办行动项",
    },
    # ---- charts ------------------------------------------------------------------------------------
    "digest.chart.heat_title": {"en": "Open risks", "zh": "未关闭风险"},
    "digest.chart.probability": {"en": "Probability", "zh": "可能性"},
    "digest.chart.impact": {"en": "Impact", "zh": "影响"},
    "digest.chart.timeline_title": {"en": "Milestones", "zh": "里程碑"},
    "digest.chart.planned": {"en": "planned", "zh": "计划"},
    "digest.chart.forecast": {"en": "forecast", "zh": "预测"},
    "digest.chart.done": {"en": "done", "zh": "完成"},
    "digest.chart.today": {"en": "today", "zh": "今天"},
    "digest.chart.file.heat": {"en": "Risk heat map", "zh": "风险热力图"},
    "digest.chart.file.timeline": {"en": "Milestone timeline", "zh": "里程碑时间线"},
    "digest.chart.alt.heat": {
        "en": "Probability × impact map of {n} open risk(s)",
        "zh": "{n} 个未关闭风险的可能性 × 影响分布图",
    },
    "digest.chart.alt.timeline": {
        "en": "Planned and forecast dates of {n} milestone(s)",
        "zh": "{n} 个里程碑的计划与预测日期",
    },
    "digest.chart.comment": {"en": "Charts for this digest", "zh": "本期简报的图表"},
    "digest.chart.text_heat": {
        "en": "Risk map (probability × impact)",
        "zh": "风险分布（可能性 × 影响）",
    },
    "digest.chart.text_timeline": {"en": "Milestone timeline", "zh": "里程碑时间线"},
    "digest.chart.cell": {"en": "{p}×{i}: {refs}", "zh": "{p}×{i}：{refs}"},
    "digest.chart.row": {
        "en": "{ref}: planned {planned} → forecast {forecast}",
        "zh": "{ref}：计划 {planned} → 预测 {forecast}",
    },
    "digest.chart.row_done": {"en": "{ref}: done {done}", "zh": "{ref}：{done} 完成"},
    "digest.chart.accepted": {"en": "accepted by the client", "zh": "客户已验收"},
    "digest.chart.row_accepted": {
        "en": "{ref}: done {done}, accepted by the client",
        "zh": "{ref}：{done} 完成，客户已验收",
    },
    # ---- App Home ----------------------------------------------------------------------------------
    "home.title": {"en": "Your projects at a glance", "zh": "你的项目概览"},
    "home.actions": {"en": "Your open action items", "zh": "你的未完成行动项"},
    "home.actions_empty": {"en": "No open action items. Nice.", "zh": "没有未完成的行动项。"},
    "home.checkins": {"en": "Check-ins waiting for you", "zh": "等待你填写的进度签到"},
    "home.checkins_empty": {"en": "No check-ins waiting.", "zh": "没有待填写的签到。"},
    "home.checkin": {
        "en": "{project} — asked {when}; answer from the message in your DM",
        "zh": "{project} — {when} 发起；请在私信中的消息里填写",
    },
    "home.checkin_unsent": {"en": "{project} — coming up", "zh": "{project} — 即将发起"},
    "home.projects": {"en": "Your projects", "zh": "你的项目"},
    "home.projects_empty": {
        "en": "You're not on a project yet. Run `/project setup` in a channel to start one.",
        "zh": "你还没有参与项目。在频道中运行 `/project setup` 即可创建。",
    },
    "home.project": {"en": "{project} · {client} — {status}", "zh": "{project} · {client} — {status}"},
    "home.next": {"en": "Next milestone: {milestone}", "zh": "下一个里程碑：{milestone}"},
    "home.no_next": {"en": "No open milestones", "zh": "没有未完成的里程碑"},
    "home.risks": {"en": "Top risks: {risks}", "zh": "主要风险：{risks}"},
    "home.no_risks": {"en": "No open risks", "zh": "没有未关闭的风险"},
    "home.due": {"en": "due {date}", "zh": "{date} 到期"},
    "home.more": {"en": "…and {n} more", "zh": "……还有 {n} 项"},
    "home.footer": {
        "en": "Run `/digest preview` in a project channel for the full digest.",
        "zh": "在项目频道中运行 `/digest preview` 查看完整简报。",
    },
    "home.footer.client": {
        "en": "Everything waiting for you has its buttons in the shared channel: press *What's waiting for me*"
        " on Liaison's panel there.",
        "zh": "等你处理的事项都在共享频道里有按钮：点那里 Liaison 面板上的“待你处理”按钮。",
    },
}
