"""Review before anything reaches the client: settings, the team's preview, its buttons and note form."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # /project settings review:… review_lead:…
    "review.bad_mode": {
        "en": "`{value}` is not a review setting: use `on`, `off` or `required`.",
        "zh": "`{value}` 不是审阅设置：请用 `开`、`关` 或 `必须`（on / off / required）。",
    },
    "review.bad_lead": {
        "en": "`{value}` is not a lead time: say how long before the post the team sees it, like `2h` or "
        "`90m` (5 minutes to 24 hours).",
        "zh": "`{value}` 不是提前时间：请写发送前多久给团队预览，例如 `2h` 或 `90m`（5 分钟到 24 小时）。",
    },
    "review.example": {
        "en": "/project settings review:on review_lead:2h",
        "zh": "/project settings review:开 review_lead:2h",
    },
    # the preview in the team channel
    "review.kind.digest": {"en": "client digest", "zh": "客户简报"},  # 简报, as every digest is called
    "review.kind.sync": {"en": "sync reminder", "zh": "例会提醒"},
    "review.preview.head": {
        "en": ":eyes: *Preview for review*: the {kind} {ref} goes to {channel} {when}. This is exactly "
        "what the client would see now.",
        "zh": ":eyes: 【发送前预览】{kind} {ref} 将于 {when} 发到 {channel}。以下就是客户此刻会看到的内容。",
    },
    "review.preview.again": {
        "en": "It is composed again when it posts: the client sees the records as they are then.",
        "zh": "发送时会重新生成：客户看到的是发送那一刻的记录。",
    },
    "review.preview.on": {
        "en": "With no answer it goes out at its time.",
        "zh": "无人操作时，到点照常发送。",
    },
    "review.preview.required": {
        "en": "Review is required: it goes out only if someone presses *Send now* (which sends it at once); "
        "otherwise it is not sent.",
        "zh": "本项目要求审阅：只有有人按下「立即发送」（会马上发出）才会发送，否则不发送。",
    },
    "review.preview.shortened": {
        "en": "…the rest of the message is not shown in this preview.",
        "zh": "……其余内容未在预览中显示。",
    },
    "review.preview.note_by": {
        "en": "The note on top is by {user}.",
        "zh": "顶部备注由 {user} 添加。",
    },
    "review.button.send": {"en": "Send now", "zh": "立即发送"},
    "review.button.note": {"en": "Edit note", "zh": "编辑备注"},
    "review.button.skip": {"en": "Skip this one", "zh": "跳过这次"},
    # what the preview says once decided
    "review.state.sent": {
        "en": ":white_check_mark: {user} sent the {kind} {ref} to {channel} now instead of {when}.",
        "zh": ":white_check_mark: {user} 已立即把 {kind} {ref} 发到 {channel}（原定 {when}）。",
    },
    "review.state.skipped": {
        "en": ":no_entry_sign: {user} skipped the {kind} {ref} for {when}: it does not go to the client.",
        "zh": ":no_entry_sign: {user} 跳过了 {when} 的 {kind} {ref}：不会发给客户。",
    },
    "review.state.held": {
        "en": ":double_vertical_bar: The {kind} {ref} for {when} was not sent to {channel}: review is "
        "required and nobody pressed Send now.",
        "zh": ":double_vertical_bar: {when} 的 {kind} {ref} 没有发到 {channel}：本项目要求审阅，但没有人按下立即发送。",
    },
    "review.state.posted": {
        "en": ":white_check_mark: The {kind} {ref} went to {channel} at its time ({when}).",
        "zh": ":white_check_mark: {kind} {ref} 已按时（{when}）发到 {channel}。",
    },
    "review.state.failed": {
        "en": ":warning: The {kind} {ref} could not be sent now: {reason}.",
        "zh": ":warning: {kind} {ref} 未能立即发送：{reason}。",
    },
    # answers to a click
    "review.already.sent": {
        "en": "This one has already been sent. Nothing changed.",
        "zh": "这一条已经发出，未做任何更改。",
    },
    "review.already.skipped": {
        "en": "This one was skipped. Nothing changed.",
        "zh": "这一条已被跳过，未做任何更改。",
    },
    "review.already.held": {
        "en": "This one was not sent at its time (review required). Nothing changed.",
        "zh": "这一条已到时间且未发送（要求审阅），未做任何更改。",
    },
    "review.already.posted": {
        "en": "This one has already gone out at its time. Nothing changed.",
        "zh": "这一条已按时发出，未做任何更改。",
    },
    "review.already.failed": {
        "en": "This one could not be sent and is recorded as failed. Nothing changed.",
        "zh": "这一条未能发送，已记录为失败，未做任何更改。",
    },
    "review.too_late": {
        "en": "Too late: this one has already gone out, or was skipped. Nothing changed.",
        "zh": "太晚了：这一条已经发出或已被跳过，未做任何更改。",
    },
    "review.sent_reply": {
        "en": ":white_check_mark: Sent to the client.",
        "zh": ":white_check_mark: 已发给客户。",
    },
    "review.send_failed": {
        "en": ":warning: Could not send it now: {reason}. Nothing went to the client.",
        "zh": ":warning: 未能立即发送：{reason}。没有发给客户。",
    },
    "review.skipped_reply": {
        "en": "Skipped: this one does not go to the client.",
        "zh": "已跳过：这一条不会发给客户。",
    },
    # the note: its form and how the client sees it
    "review.modal.title": {"en": "Note for the client", "zh": "给客户的备注"},
    "review.modal.label": {
        "en": "One line, shown on top of the client's message",
        "zh": "一行文字，显示在客户消息的顶部",
    },
    "review.modal.hint": {
        "en": "Leave it empty to remove the note.",
        "zh": "留空即删除备注。",
    },
    "review.modal.submit": {"en": "Save", "zh": "保存"},
    "review.bad_note": {
        "en": "Keep the note to one line of at most {limit} characters.",
        "zh": "备注请写成一行，不超过 {limit} 个字符。",
    },
    "review.note_block": {"en": ":memo: {note}", "zh": ":memo: {note}"},
}
