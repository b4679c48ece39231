"""Follow-ups given up on (nudges, escalations, reminders, alerts, check-in summaries), told to the team once."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "followup.given_up": {
        "en": ":warning: {what} was not posted: {reason}. It will not be retried.",
        "zh": ":warning: {what}未能发送：{reason}。不会再重试。",
    },
    "followup.kind.signoff-nudge": {"en": "A sign-off reminder", "zh": "一条签核提醒"},
    "followup.kind.issue-escalation": {"en": "An issue escalation", "zh": "一条问题升级通知"},
    "followup.kind.action-reminder": {"en": "An action item reminder", "zh": "一条行动项提醒"},
    "followup.kind.pulse-alert": {"en": "A low satisfaction score alert", "zh": "一条低满意度提醒"},
    "followup.kind.checkin-nudge": {"en": "A check-in nudge", "zh": "一条签到催办"},
    "followup.kind.checkin-summary": {"en": "A check-in summary", "zh": "一份签到汇总"},
    "followup.kind.review-preview": {"en": "A preview for review", "zh": "一份待审阅的预览"},
}
