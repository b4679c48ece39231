"""Action items the client owns (their buttons, the more-time form), edit/reopen/due, and reminders."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # /action edit|reopen|due
    "cmd.action.edit": {
        "en": "Change an action item's text, owner, due date or visibility",
        "zh": "修改行动项的内容、负责人、截止日期或可见性",
    },
    "cmd.action.edit.example": {
        "en": "/action edit A-12 Send the signed plan owner:@bob due:friday [client]",
        "zh": "/action edit A-12 发送签字版计划 负责人:@bob 截止:周五 [client]",
    },
    "cmd.action.reopen": {"en": "Open a done action item again", "zh": "重新打开已完成的行动项"},
    "cmd.action.reopen.example": {"en": "/action reopen A-12", "zh": "/action reopen A-12"},
    "cmd.action.due": {"en": "Move an action item's due date", "zh": "修改行动项的截止日期"},
    "cmd.action.due.example": {"en": "/action due A-12 next friday", "zh": "/action due A-12 下周五"},
    "action.edit.nothing": {
        "en": "Nothing to change: give new text, `owner:`, `due:` or `[client]` / `[internal]` after the reference.",
        "zh": "没有要修改的内容：请在编号后写新的内容、`负责人:`、`截止:` 或 `[client]` / `[internal]`。",
    },
    "action.edited": {"en": ":pencil2: Updated {ref}", "zh": ":pencil2: 已更新 {ref}"},
    "action.reopened": {"en": "{ref} is open again.", "zh": "{ref} 已重新打开。"},
    "action.already_open": {"en": "{ref} is already open.", "zh": "{ref} 本来就是未完成状态。"},
    "action.due_moved": {"en": "{ref} is now due {date}.", "zh": "{ref} 的截止日期已改为 {date}。"},
    "action.due.missing": {
        "en": "When is it due? Write the date after the reference.",
        "zh": "截止到什么时候？请在编号后写上日期。",
    },
    "action.due.cleared_not_allowed": {
        "en": "An item's due date can be moved, not removed.",
        "zh": "截止日期只能修改，不能删除。",
    },
    "action.client.posted": {
        "en": "Posted in the client channel for {owner}, with *Mark done* and *Need more time* buttons.",
        "zh": "已发到客户频道给 {owner}，附带“标记完成”和“需要更多时间”按钮。",
    },
    # The message in the client channel (client-facing: buttons, never commands)
    "action.client.intro": {
        "en": "{owner}, an action item for you from the {project} team:",
        "zh": "{owner}，{project} 项目团队给你的行动项：",
    },
    "action.client.moved_intro": {
        "en": "{owner}, the due date of this action item has changed:",
        "zh": "{owner}，这个行动项的截止日期已更改：",
    },
    "action.client.hint": {
        "en": "Press *Mark done* when it is done, or *Need more time* to propose a new date.",
        "zh": "完成后请点“标记完成”；需要延期请点“需要更多时间”并给出新日期。",
    },
    "action.button.more_time": {"en": "Need more time", "zh": "需要更多时间"},
    "action.client.done_state": {
        "en": ":white_check_mark: Done — marked by {who} {when}.",
        "zh": ":white_check_mark: 已完成——由 {who} 于 {when} 标记。",
    },
    "action.client.moved_state": {
        "en": ":calendar: Moved to {date} by {who} (see the newer message below).",
        "zh": ":calendar: {who} 已将截止日期改为 {date}（见下方新消息）。",
    },
    "action.only_owner.done": {
        "en": "Only {owner} can mark {ref} done.",
        "zh": "只有 {owner} 可以将 {ref} 标记为完成。",
    },
    "action.only_owner.more_time": {
        "en": "Only {owner} can ask for more time on {ref}.",
        "zh": "只有 {owner} 可以为 {ref} 申请延期。",
    },
    "action.not_open": {"en": "{ref} is already done.", "zh": "{ref} 已经完成。"},
    # The "Need more time" form
    "action.more_time.title": {"en": "Need more time", "zh": "需要更多时间"},
    "action.more_time.submit": {"en": "Send", "zh": "提交"},
    "action.more_time.cancel": {"en": "Cancel", "zh": "取消"},
    "action.more_time.date": {"en": "New due date", "zh": "新的截止日期"},
    "action.more_time.reason": {"en": "Reason", "zh": "原因"},
    "action.more_time.reason_hint": {
        "en": "What is holding it up, so the team can plan around it",
        "zh": "是什么原因耽误了，方便团队调整安排",
    },
    "action.more_time.no_date": {"en": "Pick the new due date.", "zh": "请选择新的截止日期。"},
    "action.more_time.past_date": {
        "en": "The new date must be after {date}.",
        "zh": "新日期必须晚于 {date}。",
    },
    "action.more_time.no_reason": {"en": "Say briefly why.", "zh": "请简单说明原因。"},
    "action.more_time.reason_too_long": {
        "en": "The reason is {length} characters; at most {limit}.",
        "zh": "原因有 {length} 个字符，最多 {limit} 个。",
    },
    "action.more_time.thanks": {
        "en": "Thanks — {ref} is now due {date}. The team has been told.",
        "zh": "谢谢——{ref} 的截止日期已改为 {date}，已通知项目团队。",
    },
    "action.done_thanks": {
        "en": ":white_check_mark: Thanks — {ref} is marked done. The team has been told.",
        "zh": ":white_check_mark: 谢谢——{ref} 已标记为完成，已通知项目团队。",
    },
    # Told in the team channel
    "action.team.client_done": {
        "en": ":white_check_mark: {who} ({client}) marked {ref} done: {text}",
        "zh": ":white_check_mark: {who}（{client}）已将 {ref} 标记为完成：{text}",
    },
    "action.team.client_more_time": {
        "en": ":hourglass_flowing_sand: {who} ({client}) asked for more time on {ref} {text}: due {old} → {new}. Reason: {reason}",
        "zh": ":hourglass_flowing_sand: {who}（{client}）为 {ref} {text} 申请了延期：截止 {old} → {new}。原因：{reason}",
    },
    # Reminders
    "action.reminder.eve": {
        "en": ":alarm_clock: Reminder: {ref} {text} ({project}) is due {date}.",
        "zh": ":alarm_clock: 提醒：{ref} {text}（{project}）将于 {date} 截止。",
    },
    "action.reminder.due": {
        "en": ":alarm_clock: Reminder: {ref} {text} ({project}) is due today, {date}.",
        "zh": ":alarm_clock: 提醒：{ref} {text}（{project}）今天截止（{date}）。",
    },
    "action.reminder.client_eve": {
        "en": ":alarm_clock: {owner}, a reminder: this action item is due {date}.",
        "zh": ":alarm_clock: {owner}，提醒一下：这个行动项将于 {date} 截止。",
    },
    "action.reminder.client_due": {
        "en": ":alarm_clock: {owner}, a reminder: this action item is due today, {date}.",
        "zh": ":alarm_clock: {owner}，提醒一下：这个行动项今天截止（{date}）。",
    },
    # /project settings morning:
    "project.bad_morning": {
        "en": "“{value}” is not a time of day such as 9:00 or 8:30.",
        "zh": "“{value}”不是 9:00 或 8:30 这样的时间。",
    },
    "project.example_morning": {
        "en": "/project settings morning:9:00",
        "zh": "/project settings morning:9:00",
    },
}
