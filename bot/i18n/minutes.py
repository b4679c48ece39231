"""Strings for minutes, decisions and action items, and the client's confirmation (owned by that feature)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- input errors ------------------------------------------------------------------------------
    "minutes.empty_title": {
        "en": "The minutes need a title on the first line.",
        "zh": "会议纪要的第一行需要写标题。",
    },
    "minutes.title_too_long": {
        "en": "The title is too long ({length} characters; at most {limit}).",
        "zh": "标题太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "minutes.too_many_lines": {
        "en": "That is {lines} lines; quick minutes take at most {limit}. Use `/minutes new` for a long meeting.",
        "zh": "共 {lines} 行，快速纪要最多 {limit} 行。长会议请用 `/minutes new`。",
    },
    "minutes.text_too_long": {
        "en": "That is {length} characters; quick minutes take at most {limit}. Use `/minutes new` for a long meeting.",
        "zh": "共 {length} 个字符，快速纪要最多 {limit} 个。长会议请用 `/minutes new`。",
    },
    "minutes.notes_too_long": {
        "en": "The notes are too long ({length} characters; at most {limit}).",
        "zh": "备注太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "minutes.client_attendees_too_long": {
        "en": "The list of client attendees is too long ({length} characters; at most {limit}).",
        "zh": "客户参会人名单太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "minutes.missing_date": {"en": "Pick the meeting's date.", "zh": "请选择会议日期。"},
    "minutes.internal_here": {
        "en": "This channel is shared with the client, so only `[client]` records can be written here. "
        "Add `[client]`, or use the project's internal channel.",
        "zh": "此频道与客户共享，这里只能写入标记为 `[client]` 的记录。请加上 `[client]`，或到项目内部频道操作。",
    },
    "minutes.unknown_person": {
        "en": "I don't know who {name} is. Pick them as an attendee, or write `owner:Their Name`.",
        "zh": "不知道 {name} 是谁。请把此人选为参会人，或写成 `owner:姓名`。",
    },
    "minutes.ref_not_here": {
        "en": "{ref} can't be used in new minutes; write the line without it.",
        "zh": "新建纪要时不能引用 {ref}，请去掉编号再写。",
    },
    "minutes.unknown_ref": {
        "en": "{ref} is not part of these minutes. Remove the reference to add it as a new line.",
        "zh": "{ref} 不属于这份纪要。去掉编号即可作为新的一行添加。",
    },
    "minutes.ref_twice": {"en": "{ref} appears twice.", "zh": "{ref} 出现了两次。"},
    "minutes.not_deleted": {"en": "{ref} is not deleted.", "zh": "{ref} 没有被删除。"},
    "minutes.undo_too_late": {
        "en": "It's too late to undo deleting {ref}: undo works for {minutes} minutes.",
        "zh": "已无法撤销删除 {ref}：只能在 {minutes} 分钟内撤销。",
    },
    "minutes.send_internal": {
        "en": "{ref} is internal, so it can't go to the client. Mark it `[client]` first: "
        "edit it and tick “Share with the client”.",
        "zh": "{ref} 是内部纪要，不能发给客户。请先将其标记为 `[client]`：编辑并勾选“与客户共享”。",
    },
    "minutes.no_client_channel": {
        "en": "This project has no client channel yet. Run `/project client-channel` in the channel you share "
        "with the client.",
        "zh": "本项目还没有客户频道。请在与客户共享的频道中运行 `/project client-channel`。",
    },
    "minutes.stale": {
        "en": "{ref} has changed since this message was sent, so it was not confirmed. "
        "The team will send the new version.",
        "zh": "{ref} 在发送后已被修改，因此未被确认。团队会发送新版本。",
    },
    "minutes.modal_failed": {
        "en": "I couldn't open the form (Slack said `{error}`). Try again, or use the quick form.",
        "zh": "无法打开表单（Slack 返回 `{error}`）。请重试，或使用快速格式。",
    },
    "minutes.send_failed": {
        "en": "Slack refused the message (`{error}`), so nothing was sent. Is Liaison in the client channel?",
        "zh": "Slack 拒绝了这条消息（`{error}`），没有发送任何内容。Liaison 是否已加入客户频道？",
    },
    "minutes.comment_too_long": {
        "en": "The comment is too long ({length} characters; at most {limit}).",
        "zh": "意见太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "minutes.empty_comment": {
        "en": "Tell the team what should change.",
        "zh": "请说明需要修改的内容。",
    },
    "decision.empty": {"en": "The decision has no text.", "zh": "决定没有内容。"},
    "decision.too_long": {
        "en": "The decision is too long ({length} characters; at most {limit}).",
        "zh": "决定内容太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "action.empty": {"en": "The action item has no text.", "zh": "行动项没有内容。"},
    "action.too_long": {
        "en": "The action item is too long ({length} characters; at most {limit}).",
        "zh": "行动项内容太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "action.owner_too_long": {
        "en": "The owner's name is too long ({length} characters; at most {limit}).",
        "zh": "负责人名字太长了（{length} 个字符，最多 {limit} 个）。",
    },
    "action.one_owner": {
        "en": "An action item has one owner: mention one person, or use `owner:` once.",
        "zh": "一个行动项只有一位负责人：请只提及一个人，或只用一次 `owner:`。",
    },
    "action.group_owner": {
        "en": "A group can't own an action item; mention one person instead.",
        "zh": "用户组不能作为行动项负责人，请提及具体的某个人。",
    },
    "action.bad_filter": {
        "en": "`{word}` is not a list I know: use `open`, `mine`, `overdue` or `all`.",
        "zh": "无法识别列表 `{word}`：请使用 `open`、`mine`、`overdue` 或 `all`。",
    },
    "action.not_yours": {
        "en": "{ref} belongs to someone else; you can mark only your own action items done.",
        "zh": "{ref} 属于其他人；你只能将自己的行动项标记为完成。",
    },
    "action.missing_ref": {
        "en": "Which action item? Give its reference, like `A-12`.",
        "zh": "是哪个行动项？请写出编号，例如 `A-12`。",
    },
    "action.missing_owner": {
        "en": "Who should own it? Mention them, or write `owner:Their Name`.",
        "zh": "交给谁？请提及此人，或写成 `owner:姓名`。",
    },
    # ---- replies -----------------------------------------------------------------------------------
    "minutes.recorded": {"en": ":memo: Recorded {ref} {title}", "zh": ":memo: 已记录 {ref} {title}"},
    "minutes.updated": {"en": ":memo: Updated {ref} {title}", "zh": ":memo: 已更新 {ref} {title}"},
    "minutes.duplicate": {
        "en": "This request was already handled; nothing new was recorded.",
        "zh": "这个请求已经处理过了，没有重复记录。",
    },
    "minutes.deleted": {
        "en": ":wastebasket: Deleted {ref} {title}. You can undo this for {minutes} minutes.",
        "zh": ":wastebasket: 已删除 {ref} {title}。{minutes} 分钟内可以撤销。",
    },
    "minutes.restored": {
        "en": ":leftwards_arrow_with_hook: Restored {ref} {title}.",
        "zh": ":leftwards_arrow_with_hook: 已恢复 {ref} {title}。",
    },
    "minutes.sent": {
        "en": ":outbox_tray: Sent {ref} to {channel} for the client to confirm.",
        "zh": ":outbox_tray: 已将 {ref} 发送到 {channel}，等待客户确认。",
    },
    "minutes.superseded": {
        "en": "These minutes were sent again; please use the newer message.",
        "zh": "这份纪要已重新发送，请查看较新的消息。",
    },
    "minutes.client_intro": {
        "en": "Please check these minutes, then confirm them or request changes.",
        "zh": "请查阅这份会议纪要，然后确认或申请修改。",
    },
    "minutes.confirmed_thanks": {"en": "Thank you: you confirmed {ref}.", "zh": "谢谢，你已确认 {ref}。"},
    "minutes.already_confirmed": {
        "en": "{ref} is already confirmed as it stands; nothing changed.",
        "zh": "{ref} 的当前内容已被确认，没有任何改动。",
    },
    "minutes.changes_requested_thanks": {
        "en": "Thank you: the team has your changes to {ref} and will send a new version to confirm.",
        "zh": "谢谢，团队已收到你对 {ref} 的修改意见，会发送新版本供你确认。",
    },
    "minutes.changes_already_requested": {
        "en": "Changes to {ref} were requested, so this version can't be confirmed; the team will send a new version to confirm. Nothing changed.",
        "zh": "已申请修改 {ref}，此版本不能再确认；团队会发送新版本供确认。没有任何改动。",
    },
    "minutes.unchanged_since_changes": {
        "en": "The client asked for changes to {ref} and it has not changed since: edit it before sending again.",
        "zh": "客户已申请修改 {ref}，之后内容没有变化：请先编辑再发送。",
    },
    "minutes.changes_notice": {
        "en": ":pencil2: {user} requested changes to {ref} {title}:",
        "zh": ":pencil2: {user} 申请修改 {ref} {title}：",
    },
    "minutes.changes_notice.author": {
        "en": "Recorded by {user}: edit the minutes, then send the new version with `/minutes send`.",
        "zh": "记录人：{user}。请编辑纪要，然后用 `/minutes send` 发送新版本。",
    },
    "minutes.changes_notice.dm": {
        "en": "Edit {ref} in {channel} (its Edit {ref} button there, or `/minutes edit {ref}`), then send the new "
        "version with `/minutes send {ref}`.",
        "zh": "请到 {channel} 编辑 {ref}（点那里的「编辑 {ref}」按钮，或用 `/minutes edit {ref}`），然后用 "
        "`/minutes send {ref}` 发送新版本。",
    },
    "minutes.edit_team_only": {
        "en": "Only the team edits minutes; use *Request changes* on the minutes to ask for changes.",
        "zh": "只有团队可以编辑会议纪要；如需修改，请在纪要上点“申请修改”。",
    },
    "minutes.list.title": {"en": "Minutes ({count})", "zh": "会议纪要（{count}）"},
    "minutes.list.empty": {
        "en": "No minutes yet. Record some with `/minutes`.",
        "zh": "还没有会议纪要。可用 `/minutes` 记录。",
    },
    "minutes.counts": {
        "en": "decisions: {decisions} · action items: {actions}",
        "zh": "决定：{decisions} · 行动项：{actions}",
    },
    "minutes.more": {"en": "…and {count} more", "zh": "……还有 {count} 项"},
    "minutes.status.sent": {"en": "sent, awaiting confirmation", "zh": "已发送，待确认"},
    "minutes.status.confirmed": {"en": "confirmed by the client", "zh": "客户已确认"},
    "minutes.status.changed": {"en": "changed since confirmed", "zh": "确认后已修改"},
    "minutes.status.changed_since_sent": {
        "en": "changed since sent: send it again",
        "zh": "发送后已修改：请重新发送",
    },
    "minutes.status_line.confirmed": {
        "en": ":white_check_mark: Confirmed by {user} {time}",
        "zh": ":white_check_mark: {user} 已于 {time} 确认",
    },
    "minutes.status_line.changes": {
        "en": ":pencil2: Changes requested by {user} {time}",
        "zh": ":pencil2: {user} 于 {time} 申请修改",
    },
    "minutes.history.comment": {"en": "“{comment}”", "zh": "“{comment}”"},
    "minutes.history.external": {"en": "client", "zh": "客户"},
    "minutes.history.team": {"en": "team", "zh": "团队"},
    "minutes.tag.client": {"en": "client", "zh": "客户"},
    "minutes.tag.internal": {"en": "internal", "zh": "内部"},
    "minutes.label.date": {"en": "Date: {date}", "zh": "日期：{date}"},
    "minutes.label.attendees": {"en": "Attendees: {people}", "zh": "参会人：{people}"},
    "minutes.label.decisions": {"en": "Decisions", "zh": "决定"},
    "minutes.label.actions": {"en": "Action items", "zh": "行动项"},
    "minutes.label.notes": {"en": "Notes", "zh": "备注"},
    "minutes.label.status": {"en": "Status: {status}", "zh": "状态：{status}"},
    "minutes.label.recorded_by": {"en": "Recorded by {user}", "zh": "记录人：{user}"},
    "minutes.label.sent_to": {"en": "Sent to {channel}", "zh": "已发送到 {channel}"},
    "minutes.none": {"en": "none", "zh": "无"},
    # ---- buttons and forms (button text ≤ 75; modal title, submit, close ≤ 24) -------------------------
    "minutes.button.confirm": {"en": "Confirm", "zh": "确认"},
    "minutes.button.request_changes": {"en": "Request changes", "zh": "申请修改"},
    "minutes.button.undo": {"en": "Undo", "zh": "撤销"},
    "minutes.button.edit": {"en": "Edit {ref}", "zh": "编辑 {ref}"},
    "action.button.done": {"en": "Mark done", "zh": "标记完成"},
    "minutes.modal.title": {"en": "Meeting minutes", "zh": "会议纪要"},
    "minutes.modal.edit_title": {"en": "Edit {ref}", "zh": "编辑 {ref}"},
    "minutes.modal.submit": {"en": "Save", "zh": "保存"},
    "minutes.modal.close": {"en": "Cancel", "zh": "取消"},
    "minutes.modal.field.title": {"en": "Title", "zh": "标题"},
    "minutes.modal.field.date": {"en": "Date", "zh": "日期"},
    "minutes.modal.field.attendees": {"en": "Attendees", "zh": "参会人"},
    "minutes.modal.field.client_attendees": {
        "en": "Other attendees (names, e.g. from the client)",
        "zh": "其他参会人（姓名，如客户方人员）",
    },
    "minutes.modal.field.notes": {"en": "Notes", "zh": "备注"},
    "minutes.modal.field.decisions": {"en": "Decisions (one per line)", "zh": "决定（每行一条）"},
    "minutes.modal.field.actions": {"en": "Action items (one per line)", "zh": "行动项（每行一条）"},
    "minutes.modal.hint.decisions": {
        "en": "Add [client] or [internal] to a line to differ from the minutes.",
        "zh": "在某行加上 [client] 或 [internal] 可单独设置其可见性。",
    },
    "minutes.modal.hint.actions": {
        "en": "Like: Send the cutover plan @alice due:next friday. The owner is an attendee (@name) "
        "or owner:Zhang San.",
        "zh": "例如：发送切换计划 @alice 截止:下周五。负责人为参会人（@名字）或 owner:张三。",
    },
    "minutes.modal.field.share": {"en": "Visibility", "zh": "可见性"},
    "minutes.modal.share": {"en": "Share with the client", "zh": "与客户共享"},
    "minutes.modal.too_many": {
        "en": "Some decisions or action items are too long to edit in this form; they stay as they are.",
        "zh": "部分决定或行动项内容过长，无法在此表单中编辑，将保持不变。",
    },
    "minutes.modal.changes_title": {"en": "Request changes", "zh": "申请修改"},
    "minutes.modal.changes_submit": {"en": "Send", "zh": "发送"},
    "minutes.modal.changes_label": {
        "en": "What should change in {ref}?",
        "zh": "{ref} 需要修改哪些内容？",
    },
    # ---- action items ------------------------------------------------------------------------------
    "action.created": {"en": ":white_check_mark: Added action item", "zh": ":white_check_mark: 已添加行动项"},
    "action.done": {
        "en": ":white_check_mark: Marked {ref} done.",
        "zh": ":white_check_mark: 已将 {ref} 标记为完成。",
    },
    "action.already_done": {"en": "{ref} was already done.", "zh": "{ref} 已经是完成状态。"},
    "action.reassigned": {"en": "{ref} now belongs to {owner}.", "zh": "{ref} 已交给 {owner}。"},
    "action.list.open": {"en": "Open action items ({count})", "zh": "未完成的行动项（{count}）"},
    "action.list.mine": {"en": "Your open action items ({count})", "zh": "我的未完成行动项（{count}）"},
    "action.list.overdue": {"en": "Overdue action items ({count})", "zh": "逾期的行动项（{count}）"},
    "action.list.all": {"en": "All action items ({count})", "zh": "全部行动项（{count}）"},
    "action.list.empty": {"en": "No action items to show.", "zh": "没有可显示的行动项。"},
    "action.due": {"en": "due {date}", "zh": "截止 {date}"},
    "action.no_due": {"en": "no due date", "zh": "无截止日期"},
    "action.no_owner": {"en": "no owner", "zh": "无负责人"},
    "action.state.done": {"en": "done", "zh": "已完成"},
    "action.overdue.today": {"en": "overdue since today", "zh": "今天已逾期"},
    "action.overdue.one": {"en": "overdue {days} day", "zh": "逾期 {days} 天"},
    "action.overdue.days": {"en": "overdue {days} days", "zh": "逾期 {days} 天"},
    # ---- decisions ---------------------------------------------------------------------------------
    "decision.created": {"en": ":white_check_mark: Recorded decision", "zh": ":white_check_mark: 已记录决定"},
    "decision.list.title": {"en": "Decisions ({count})", "zh": "决定（{count}）"},
    "decision.list.title_minutes": {"en": "Decisions in {ref} ({count})", "zh": "{ref} 中的决定（{count}）"},
    "decision.list.empty": {"en": "No decisions to show.", "zh": "没有可显示的决定。"},
    "decision.from_minutes": {"en": "from {ref}", "zh": "来自 {ref}"},
}
