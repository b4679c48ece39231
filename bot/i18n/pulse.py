"""Satisfaction pulses (满意度调查)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.pulse": {
        "en": "Satisfaction pulses: one question to the client, scores 1–5",
        "zh": "满意度调查：向客户提一个问题，评分 1–5",
    },
    "cmd.pulse.every": {
        "en": "Ask the client on a schedule (time in plain words)",
        "zh": "定期向客户发起调查（用自然语言写时间）",
    },
    "cmd.pulse.every.example": {
        "en": "/pulse every month on the last friday 16:00",
        "zh": "/pulse 每月最后一个周五 16:00",
    },
    "cmd.pulse.now": {"en": "Ask the client now", "zh": "立即向客户发起调查"},
    "cmd.pulse.now.example": {
        "en": '/pulse now question:"How satisfied are you with the project this month?"',
        "zh": '/pulse 现在 问题:"您对本月的项目进展满意吗？"',
    },
    "cmd.pulse.list": {"en": "List the pulses and their schedules", "zh": "列出满意度调查及其安排"},
    "cmd.pulse.list.example": {"en": "/pulse list", "zh": "/pulse 列表"},
    "cmd.pulse.results": {
        "en": "The latest pulse's results and the trend (team only)",
        "zh": "最近一次调查的结果和趋势（仅团队可见）",
    },
    "cmd.pulse.results.example": {"en": "/pulse results", "zh": "/pulse 结果"},
    "cmd.pulse.pause.example": {"en": "/pulse pause S-3", "zh": "/pulse 暂停 S-3"},
    "cmd.pulse.resume.example": {"en": "/pulse resume S-3", "zh": "/pulse 恢复 S-3"},
    "cmd.pulse.cancel.example": {"en": "/pulse cancel S-3", "zh": "/pulse 取消 S-3"},
    "cmd.pulse.skip.example": {"en": "/pulse skip S-3", "zh": "/pulse 跳过 S-3"},
    "pulse.title": {"en": "Satisfaction pulse", "zh": "满意度调查"},
    "pulse.default_question": {
        "en": "How satisfied are you with the project this month?",
        "zh": "您对本月的项目进展满意吗？",
    },
    "pulse.need_rule": {
        "en": "Say when to ask, in plain words.",
        "zh": "请用自然语言写明什么时候发起调查。",
    },
    "pulse.no_client_channel": {
        "en": "This project has no client channel yet: run `/project client-channel` in the channel you share with the client.",
        "zh": "该项目还没有客户频道：请在与客户共享的频道中运行 `/project client-channel`。",
    },
    "pulse.scheduled": {
        "en": "Scheduled `{ref}`: a satisfaction pulse in {channel}, {rule}. Each stays open {days} days.",
        "zh": "已设置 `{ref}`：{rule}在 {channel} 发起满意度调查，每次开放 {days} 天。",
    },
    "pulse.started": {
        "en": "Asked the client in {channel}; answers close {closes}.",
        "zh": "已在 {channel} 向客户发起调查，{closes}截止。",
    },
    "pulse.post_failed": {
        "en": "Slack refused the pulse in {channel} ({error}): nothing was asked.",
        "zh": "Slack 拒绝在 {channel} 发布调查（{error}），没有发出任何问题。",
    },
    "pulse.scale": {
        "en": "1 = very unhappy · 5 = very happy. Only the project team sees your answer; you can change it until {closes}.",
        "zh": "1 = 非常不满意 · 5 = 非常满意。只有项目团队能看到您的回答；{closes}前可以修改。",
    },
    "pulse.comment_button": {"en": "Add a comment", "zh": "补充意见"},
    "pulse.closed_note": {
        "en": "This pulse closed {closed}. Thank you for your answers.",
        "zh": "本次调查已于{closed}结束，感谢您的回答。",
    },
    "pulse.client_only": {
        "en": "Only the client's answers count: your click was not recorded.",
        "zh": "只统计客户的回答，你的点击没有被记录。",
    },
    "pulse.closed": {
        "en": "This pulse has closed: your answer was not recorded.",
        "zh": "本次调查已结束，您的回答没有被记录。",
    },
    "pulse.bad_score": {"en": "Pick a score from 1 to 5.", "zh": "请选择 1 到 5 分。"},
    "pulse.score_first": {
        "en": "Pick a score first (1 to 5), then add a comment if you like.",
        "zh": "请先选择分数（1 到 5），再补充意见。",
    },
    "pulse.thanks": {
        "en": "Thank you: you gave {score}/5. You can change it until {closes}.",
        "zh": "谢谢！您的评分是 {score}/5，{closes}前可以修改。",
    },
    "pulse.thanks_comment": {
        "en": "Thank you: your comment is recorded with your {score}/5.",
        "zh": "谢谢！您的意见已与评分 {score}/5 一并记录。",
    },
    "pulse.modal_title": {"en": "Your comment", "zh": "补充意见"},
    "pulse.modal_submit": {"en": "Send", "zh": "提交"},
    "pulse.modal_score": {"en": "Score", "zh": "评分"},
    "pulse.modal_comment": {"en": "Comment", "zh": "意见"},
    "pulse.alert": {
        "en": ":rotating_light: {lead}: {who} gave the satisfaction pulse {score}/5.{comment}",
        "zh": ":rotating_light: {lead}：{who} 在满意度调查中给了 {score}/5。{comment}",
    },
    "pulse.results_title": {"en": "Satisfaction pulse results", "zh": "满意度调查结果"},
    "pulse.results_open_title": {
        "en": "Satisfaction pulse (open until {closes})",
        "zh": "满意度调查（{closes}截止）",
    },
    "pulse.summary": {
        "en": "Average {average} from {count} {count:answer|answers}.",
        "zh": "平均分 {average}，共 {count} 份回答。",
    },
    "pulse.no_answers": {"en": "No answers.", "zh": "没有回答。"},
    "pulse.trend": {"en": "Trend (newest first): {trend}", "zh": "趋势（最新在前）：{trend}"},
    "pulse.comments": {"en": "Comments", "zh": "意见"},
    "pulse.none_yet": {
        "en": "No pulses yet. Try `/pulse now`.",
        "zh": "还没有满意度调查。试试 `/pulse 现在`。",
    },
    "pulse.list_empty": {
        "en": "No pulse schedules yet. Try `/pulse every month on the last friday 16:00`.",
        "zh": "还没有定期满意度调查。试试 `/pulse 每月最后一个周五 16:00`。",
    },
    "pulse.recent_title": {"en": "Recent pulses", "zh": "最近的调查"},
    "pulse.recent_line": {"en": "{opened}: {status}", "zh": "{opened}：{status}"},
    "pulse.status_open": {
        "en": "open until {closes}, {count} {count:answer|answers}",
        "zh": "{closes}截止，已有 {count} 份回答",
    },
    "pulse.status_closed": {"en": "closed, {summary}", "zh": "已结束，{summary}"},
    "pulse.digest_trend": {
        "en": "Client satisfaction (newest first): {trend}",
        "zh": "客户满意度（最新在前）：{trend}",
    },
}
