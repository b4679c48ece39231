"""Strings for lessons learned (L-n), the closing form, and archived projects (owned by that feature)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help ----------------------------------------------------------------------------------------
    "cmd.lesson": {
        "en": "Lessons learned (L-n): what went well and what to improve",
        "zh": "经验教训（L-n）：做得好的和待改进的",
    },
    "cmd.lesson.add": {"en": "Record a lesson learned", "zh": "记录一条经验教训"},
    "cmd.lesson.add.example": {
        "en": "/lesson add Daily stand-ups with the client caught issues early [went-well]",
        "zh": "/lesson 添加 与客户的每日站会让问题及早暴露 [做得好]",
    },
    "cmd.lesson.list": {"en": "Lessons, went well first", "zh": "列出经验教训，做得好的在前"},
    "cmd.lesson.list.example": {"en": "/lesson list", "zh": "/lesson 列表"},
    "cmd.lesson.edit": {
        "en": "Change a lesson's text, kind or visibility",
        "zh": "修改经验教训的内容、类别或可见性",
    },
    "cmd.lesson.edit.example": {
        "en": "/lesson edit L-2 Agree the test data with the client before UAT [to-improve]",
        "zh": "/lesson 编辑 L-2 UAT 前与客户约定测试数据 [待改进]",
    },
    "cmd.lesson.delete": {"en": "Delete a lesson (with Undo)", "zh": "删除经验教训（可撤销）"},
    "cmd.lesson.delete.example": {"en": "/lesson delete L-2", "zh": "/lesson 删除 L-2"},
    "cmd.project.reopen": {
        "en": "Reopen an archived project: records writable, its schedules running again",
        "zh": "重新打开已归档的项目：记录可修改，日程恢复运行",
    },
    "cmd.project.reopen.example": {"en": "/project reopen", "zh": "/project 重新打开"},
    # ---- lessons -------------------------------------------------------------------------------------
    "lesson.created": {"en": "Lesson recorded:", "zh": "已记录经验教训："},
    "lesson.updated": {"en": "Lesson updated:", "zh": "已更新经验教训："},
    "lesson.unchanged": {
        "en": "{ref} already reads so: nothing changed.",
        "zh": "{ref} 已是如此，未做修改。",
    },
    "lesson.deleted": {
        "en": "Deleted {ref}. You can undo this for {minutes} minutes.",
        "zh": "已删除 {ref}。{minutes} 分钟内可以撤销。",
    },
    "lesson.empty": {"en": "Say what the lesson is.", "zh": "请写出经验教训的内容。"},
    "lesson.too_long": {
        "en": "A lesson holds at most {limit} characters (this one has {length}).",
        "zh": "经验教训最多 {limit} 个字符（当前 {length} 个）。",
    },
    "lesson.both_kinds": {
        "en": "A lesson either went well or is to improve, not both.",
        "zh": "一条经验教训要么是做得好的，要么是待改进的，不能同时两者。",
    },
    "lesson.missing_ref": {"en": "Say which lesson (L-2).", "zh": "请指明是哪条经验教训（L-2）。"},
    "lesson.edit_empty": {
        "en": "Say what {ref} should read, or mark it [went-well], [to-improve], [client] or [internal].",
        "zh": "请写出 {ref} 的新内容，或标记 [做得好]、[待改进]、[客户] 或 [内部]。",
    },
    "lesson.delete_extra": {
        "en": "Delete takes only the lesson's id, not “{text}”.",
        "zh": "删除只需经验教训的编号，不需要“{text}”。",
    },
    "lesson.list.title": {"en": "Lessons learned ({count})", "zh": "经验教训（{count} 条）"},
    "lesson.list.empty": {
        "en": "No lessons yet. Record one with /lesson add.",
        "zh": "还没有经验教训。用 /lesson 添加 记录一条。",
    },
    "lesson.kind.went-well": {"en": "Went well", "zh": "做得好"},
    "lesson.kind.to-improve": {"en": "To improve", "zh": "待改进"},
    "lesson.kind.general": {"en": "Other lessons", "zh": "其他经验"},
    "lesson.by": {"en": "from {user}", "zh": "来自 {user}"},
    # ---- the closing form (DM) ----------------------------------------------------------------------------
    "lesson.form.dm": {
        "en": "{project} is being closed. What went well, and what would you do differently next time? "
        "Your answers become the project's lessons learned (internal: the client doesn't see them).",
        "zh": "{project} 正在结项。哪些做得好？下次哪些会做得不同？你的回答会成为项目的经验教训（内部可见，客户看不到）。",
    },
    "lesson.form.button": {"en": "Share lessons", "zh": "填写经验教训"},
    "lesson.form.title": {"en": "Lessons learned", "zh": "经验教训"},
    "lesson.form.submit": {"en": "Save", "zh": "保存"},
    "lesson.form.close": {"en": "Cancel", "zh": "取消"},
    "lesson.form.intro": {
        "en": "{project}: one lesson per line. Answering again adds more.",
        "zh": "{project}：每行一条。再次填写会继续添加。",
    },
    "lesson.form.went_well": {"en": "What went well", "zh": "做得好的"},
    "lesson.form.to_improve": {"en": "What to improve", "zh": "待改进的"},
    "lesson.form.need_one": {
        "en": "Write at least one lesson, in either box.",
        "zh": "请至少在一个框里写一条经验教训。",
    },
    "lesson.form.thanks": {
        "en": "Thank you: recorded {refs}.",
        "zh": "谢谢！已记录 {refs}。",
    },
    "lesson.form.not_team": {
        "en": "This form is for the project's team.",
        "zh": "此表单仅供项目团队填写。",
    },
    # ---- archived projects ---------------------------------------------------------------------------
    "project.archived": {
        "en": "This project is archived (since {since}): records are read-only. Reopen it with /project reopen.",
        "zh": "本项目已归档（自 {since} 起）：记录只读。可用 /project 重新打开 恢复。",
    },
    "project.archived_client": {
        "en": "This project is archived (since {since}): records are read-only.",
        "zh": "本项目已归档（自 {since} 起）：记录只读。",
    },
    "project.not_archived": {
        "en": "This project is not archived: nothing to reopen.",
        "zh": "本项目未归档，无需重新打开。",
    },
    "project.reopened": {
        "en": "{project} is open again: records can be changed, and {count} schedule(s) run again.",
        "zh": "{project} 已重新打开：记录可以修改，{count} 个日程恢复运行。",
    },
    # ---- exports and search --------------------------------------------------------------------------
    "export.kind.lessons": {"en": "lessons", "zh": "经验教训"},
    "search.kind.lesson": {"en": "lesson", "zh": "经验教训"},
    "search.status.went-well": {"en": "went well", "zh": "做得好"},
    "search.status.to-improve": {"en": "to improve", "zh": "待改进"},
    "search.status.general": {"en": "lesson", "zh": "经验"},
}
