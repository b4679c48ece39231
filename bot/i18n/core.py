"""Strings for the foundation: errors, the grammar, help, projects."""

MESSAGES: dict[str, dict[str, str]] = {
    # errors
    "error.generic": {
        "en": "Something went wrong on our side; nothing was changed. Please try again.",
        "zh": "我们这边出了点问题，没有做任何修改。请稍后再试。",
    },
    "error.busy": {  # more commands waiting than bot/workpool.py admits: refused in the ack itself
        "en": "Liaison is busy right now; nothing was changed. Please try again in a few seconds.",
        "zh": "Liaison 现在太忙，没有做任何修改。请几秒钟后再试。",
    },
    "error.example": {"en": "Example: {example}", "zh": "示例：{example}"},
    "error.nothing_changed": {"en": "Nothing was changed.", "zh": "没有做任何修改。"},
    # forms
    "form.optional": {"en": "Optional", "zh": "选填，可以留空"},
    "form.optional_with_hint": {"en": "Optional. {hint}", "zh": "选填。{hint}"},
    "policy.denied": {
        "en": "You can't do that here: Liaison keeps this for the project team.",
        "zh": "你不能在这里执行此操作：该操作仅限项目团队成员。",
    },
    "policy.denied_shared": {
        "en": "You can't do that here: in a channel shared with the client, "
        "Liaison keeps this for the project team's own channel.",
        "zh": "你不能在这里执行此操作：这是与客户共享的频道，该操作请在项目团队自己的频道中进行。",
    },
    # grammar
    "grammar.unknown_sub": {
        "en": "`{command}` has no subcommand `{word}`. Try `/liaison help`.",
        "zh": "`{command}` 没有子命令 `{word}`。可输入 `/liaison help` 查看帮助。",
    },
    "grammar.did_you_mean": {
        "en": "`{command}` has no subcommand `{word}`. Did you mean `{suggestion}`?",
        "zh": "`{command}` 没有子命令 `{word}`。你是想用 `{suggestion}` 吗？",
    },
    "grammar.did_you_mean_or_text": {
        "en": "`{command}` has no subcommand `{word}`. Did you mean `{suggestion}`? "
        "To start the text itself with “{word}”, write `{command} {default} {word} …`.",
        "zh": "`{command}` 没有子命令 `{word}`。你是想用 `{suggestion}` 吗？"
        "如果内容本身以“{word}”开头，请写成 `{command} {default} {word} …`。",
    },
    "grammar.not_a_sub_here": {
        "en": "`{command}` has no subcommand `{word}` (it has {subs}). "
        "To start the text itself with “{word}”, write `{command} {default} {word} …`.",
        "zh": "`{command}` 没有子命令 `{word}`（可用的子命令：{subs}）。"
        "如果内容本身以“{word}”开头，请写成 `{command} {default} {word} …`。",
    },
    "grammar.unclosed_quote": {
        "en": "A quote {quote} is opened but never closed.",
        "zh": "引号 {quote} 没有闭合。",
    },
    "grammar.unknown_flag": {
        "en": "`{flag}` is not a flag this command knows.",
        "zh": "此命令不支持标记 `{flag}`。",
    },
    "grammar.option_not_here": {
        "en": "The option `{option}:` does not apply to this subcommand.",
        "zh": "选项 `{option}:` 不适用于这个子命令。",
    },
    "grammar.option_twice": {
        "en": "The option `{option}:` is given twice.",
        "zh": "选项 `{option}:` 重复了。",
    },
    "grammar.option_empty": {
        "en": "The option `{option}:` has no value.",
        "zh": "选项 `{option}:` 没有填写值。",
    },
    "grammar.unexpected_text": {
        "en": "I didn't expect “{text}” here.",
        "zh": "这里不需要“{text}”。",
    },
    "grammar.no_project": {
        "en": "This channel isn't part of a project yet. Set one up here first.",
        "zh": "这个频道还没有绑定项目。请先在此设置项目。",
    },
    # help
    "help.title": {"en": "Liaison commands", "zh": "Liaison 命令"},
    "help.intro": {
        "en": "Liaison keeps minutes, risks, milestones and client updates where your team works.",
        "zh": "Liaison 在团队工作的频道里记录会议纪要、风险、里程碑和客户沟通。",
    },
    "help.footer": {
        "en": "Options are `key:value`; put values with spaces in quotes. Add `[client]` to share a record with the client.",
        "zh": "选项格式为 `键:值`，含空格的值请加引号。加上 `[client]` 即可与客户共享该记录。",
    },
    "help.more": {
        "en": "The details of one command: {example}",
        "zh": "查看某个命令的详细用法：{example}",
    },
    "help.details.example": {"en": "/liaison help risk", "zh": "/liaison 帮助 risk"},
    "help.back": {"en": "Every command: {example}", "zh": "全部命令：{example}"},
    "help.unknown_command": {
        "en": "`{word}` is not a Liaison command. The commands are {commands}.",
        "zh": "`{word}` 不是 Liaison 的命令。可用的命令有 {commands}。",
    },
    "help.client.title": {"en": "What you can do here", "zh": "你可以在这里做什么"},
    "help.client.intro": {
        "en": "Liaison posts the project's news for you in this channel. "
        "You answer with the buttons on its messages; there is nothing to type:",
        "zh": "Liaison 会在这个频道里向你发布项目动态。用消息上的按钮回复即可，无需输入命令：",
    },
    "help.client.minutes": {
        "en": "*Minutes*: *{confirm}* them, or *{request_changes}* with a comment.",
        "zh": "会议纪要：点击“{confirm}”，或点击“{request_changes}”并写下意见。",
    },
    "help.client.milestones": {
        "en": "*Milestones* sent for acceptance: *{accept}*, *{accept_remarks}* or *{reject}*.",
        "zh": "待验收的里程碑：点击“{accept}”、“{accept_remarks}”或“{reject}”。",
    },
    "help.client.signoffs": {
        "en": "*Requirements baselines and change requests* sent for your sign-off: *{approve}* or *{reject}*.",
        "zh": "送你签字的需求基线和变更申请：点击“{approve}”或“{reject}”。",
    },
    "help.client.actions": {
        "en": "*Your action items*: *{done}* when you have done them (only your own).",
        "zh": "你的行动项：完成后点击“{done}”（仅限你自己的行动项）。",
    },
    "help.client.home": {
        "en": "Liaison's *Home* tab lists your open action items and what is waiting for your sign-off.",
        "zh": "Liaison 的“主页”标签页列出你未完成的行动项和等待你签字的事项。",
    },
    "help.client.lookups": {
        "en": "To look things up: {examples}",
        "zh": "查看信息：{examples}",
    },
    "help.client.team_member": {
        "en": "You're on the project team: `/liaison help` in the team's own channel lists every command.",
        "zh": "你是项目团队成员：在团队自己的频道中输入 `/liaison help` 可查看全部命令。",
    },
    "cmd.liaison": {"en": "Help and about", "zh": "帮助与说明"},
    "cmd.liaison.help": {
        "en": "What each command is for, or the details of one",
        "zh": "各命令的用途，或某个命令的详细用法",
    },
    "cmd.liaison.help.example": {"en": "/liaison help", "zh": "/liaison help"},
    "cmd.project": {"en": "Set up and configure the channel's project", "zh": "设置和配置本频道的项目"},
    "cmd.project.setup": {
        "en": "Make this channel a project's internal channel",
        "zh": "将本频道设为项目的内部频道",
    },
    "cmd.project.setup.example": {
        "en": '/project setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en',
        "zh": '/project setup name:"ACME ERP 上线" client:"ACME" tz:Asia/Shanghai lang:zh',
    },
    "cmd.project.info": {"en": "Show the project bound to this channel", "zh": "查看本频道绑定的项目"},
    "cmd.project.info.example": {"en": "/project info", "zh": "/project info"},
    "cmd.project.client_channel": {
        "en": "Run in the client-shared channel to make it the project's client channel",
        "zh": "在与客户共享的频道中运行，将其设为项目的客户频道",
    },
    "cmd.project.client_channel.example": {
        "en": "/project client-channel #acme-erp-internal",
        "zh": "/project client-channel #acme-erp-internal",
    },
    "cmd.project.settings": {
        "en": "Change the project's settings: `name:` `client:` `tz:` `lang:` `holidays:` `dates:` `approvers:`"
        " `signoff_nudge:` `morning:` (reminder time) `response:` (issue response targets) `review:`"
        " `review_lead:` (preview client posts)",
        "zh": "修改项目设置：`name:` `client:` `tz:` `lang:` `holidays:` `dates:` `approvers:` `signoff_nudge:`"
        " `morning:`（提醒时间）`response:`（问题响应时限）`review:` `review_lead:`（客户消息先预览）",
    },
    "cmd.project.settings.example": {
        "en": "/project settings tz:Europe/Berlin lang:en holidays:DE",
        "zh": "/project settings tz:Asia/Shanghai lang:zh holidays:CN",
    },
    # projects
    "project.bad_tz": {
        "en": "`{tz}` is not a time zone I know. Use an IANA name.",
        "zh": "无法识别时区 `{tz}`，请使用 IANA 时区名称。",
    },
    "project.example_tz": {
        "en": "/project settings tz:Asia/Shanghai",
        "zh": "/project settings tz:Asia/Shanghai",
    },
    "project.bad_lang": {
        "en": "`{lang}` is not a language Liaison speaks: use `en` or `zh`.",
        "zh": "不支持语言 `{lang}`，请使用 `en` 或 `zh`。",
    },
    "project.example_lang": {"en": "/project settings lang:en", "zh": "/project settings lang:zh"},
    "project.bad_holidays": {
        "en": "`{code}` is not a country code with a holiday calendar (e.g. CN, US, DE), or `none`.",
        "zh": "`{code}` 不是支持节假日的国家代码（如 CN、US、DE），或填 `none`。",
    },
    "project.example_holidays": {
        "en": "/project settings holidays:CN",
        "zh": "/project settings holidays:CN",
    },
    "project.missing_option": {
        "en": "The option `{option}:` is required.",
        "zh": "必须填写选项 `{option}:`。",
    },
    "project.too_long": {
        "en": "`{option}:` is too long (at most {limit} characters).",
        "zh": "`{option}:` 太长了（最多 {limit} 个字符）。",
    },
    "project.no_settings": {
        "en": "Tell me what to change: `name:`, `client:`, `tz:`, `lang:`, `holidays:`, `dates:`, `approvers:`,"
        " `signoff_nudge:`, `morning:`, `response:`, `review:` or `review_lead:`.",
        "zh": "请说明要修改的内容：`name:`、`client:`、`tz:`、`lang:`、`holidays:`、`dates:`、`approvers:`、"
        "`signoff_nudge:`、`morning:`、`response:`、`review:` 或 `review_lead:`。",
    },
    "project.internal_is_shared": {
        "en": "This channel is shared with another organisation, so it can't be the internal channel. "
        "Set the project up in a team-only channel, then run `/project client-channel` here.",
        "zh": "此频道与其他组织共享，不能作为内部频道。请在仅团队可见的频道设置项目，再在此运行 `/project client-channel`。",
    },
    "project.channel_is_client": {
        "en": "This channel is already a project's client channel.",
        "zh": "此频道已是某个项目的客户频道。",
    },
    "project.created": {
        "en": "Project {name} for {client} is set up; this channel is its internal channel.",
        "zh": "已为客户 {client} 创建项目 {name}，本频道为其内部频道。",
    },
    "project.updated": {"en": "Project {name} is updated.", "zh": "项目 {name} 已更新。"},
    "project.next_steps": {
        "en": "Next: run `/project client-channel` in the channel you share with {client}.",
        "zh": "下一步：在与 {client} 共享的频道中运行 `/project client-channel`。",
    },
    "project.field.name": {"en": "Project", "zh": "项目"},
    "project.field.client": {"en": "Client", "zh": "客户"},
    "project.field.tz": {"en": "Time zone", "zh": "时区"},
    "project.field.lang": {"en": "Language", "zh": "语言"},
    "project.field.holidays": {"en": "Holidays", "zh": "节假日"},
    "project.bad_date_order": {
        "en": "“{value}” is not a date order: use `dates:mdy` (4/5 is April 5) or `dates:dmy` (4/5 is 4 May).",
        "zh": "“{value}”不是日期顺序：请用 `dates:mdy`（4/5 是 4 月 5 日）或 `dates:dmy`（4/5 是 5 月 4 日）。",
    },
    "project.example_date_order": {"en": "/project settings dates:dmy", "zh": "/project settings dates:dmy"},
    "project.field.date_order": {"en": "Numeric dates", "zh": "数字日期"},
    "project.date_order.mdy": {"en": "month first (4/5 is April 5)", "zh": "月在前（4/5 是 4 月 5 日）"},
    "project.date_order.dmy": {"en": "day first (4/5 is 4 May)", "zh": "日在前（4/5 是 5 月 4 日）"},
    "project.field.internal": {"en": "Internal channel", "zh": "内部频道"},
    "project.field.client_channels": {"en": "Client channels", "zh": "客户频道"},
    "project.none": {"en": "none", "zh": "无"},
    # /project info: the settings added with reminders, the issue log and review before the client
    "project.field.morning": {"en": "Action reminders at", "zh": "行动项提醒时间"},
    "project.field.response": {"en": "Issue response targets", "zh": "问题响应时限"},
    "project.field.review": {"en": "Review before the client", "zh": "发给客户前预览"},
    "project.settings_hint": {
        "en": "Change with `/project settings`: `name:` `client:` `tz:` `lang:` `holidays:` `dates:` `approvers:`"
        " `signoff_nudge:` `morning:` `response:` `review:` `review_lead:` — e.g."
        " `/project settings morning:8:30 review:on review_lead:2h response:critical=4h`",
        "zh": "用 `/project settings` 修改：`name:` `client:` `tz:` `lang:` `holidays:` `dates:` `approvers:`"
        " `signoff_nudge:` `morning:` `response:` `review:` `review_lead:`，例如"
        " `/project settings morning:8:30 review:开 review_lead:2h response:critical=4h`",
    },
    "project.target.h": {"en": "{n} h", "zh": "{n} 小时"},
    "project.target.d": {"en": "{n} working days", "zh": "{n} 个工作日"},
    "project.target.d_one": {"en": "1 working day", "zh": "1 个工作日"},
    "project.review.off": {"en": "off", "zh": "关"},
    "project.review.on": {"en": "on, preview {lead} before", "zh": "开，提前 {lead} 预览"},
    "project.review.required": {
        "en": "required (sent only once someone presses Send), preview {lead} before",
        "zh": "必须（有人按“发送”才发出），提前 {lead} 预览",
    },
    "project.lead.h": {"en": "{h} h", "zh": "{h} 小时"},
    "project.lead.m": {"en": "{m} min", "zh": "{m} 分钟"},
    "project.lead.hm": {"en": "{h} h {m} min", "zh": "{h} 小时 {m} 分钟"},
    "project.shared": {"en": "shared with another organisation", "zh": "已与其他组织共享"},
    "project.not_shared": {"en": "not shared (yet)", "zh": "尚未共享"},
    "project.client_bound": {
        "en": "This channel is now the client channel of {name}. Only records marked `[client]` appear here.",
        "zh": "本频道现为 {name} 的客户频道，这里只会出现标记为 `[client]` 的记录。",
    },
    "project.client_bound_not_shared": {
        "en": "Note: Slack says this channel isn't shared with another organisation yet. "
        "Liaison treats it as client-facing anyway.",
        "zh": "提示：Slack 显示此频道尚未与其他组织共享。Liaison 仍会将其视为面向客户的频道。",
    },
    "project.client_already": {
        "en": "This channel is already the client channel of {name}.",
        "zh": "本频道已是 {name} 的客户频道。",
    },
    "project.is_internal_here": {
        "en": "This is the project's internal channel; run this in the channel shared with the client.",
        "zh": "这是项目的内部频道；请在与客户共享的频道中运行此命令。",
    },
    "project.which": {
        "en": 'Which project? Name its internal channel, or use `project:"name"`.',
        "zh": '是哪个项目？请提及其内部频道，或使用 `project:"名称"`。',
    },
    "project.not_found": {"en": "I found no project called “{name}”.", "zh": "找不到名为“{name}”的项目。"},
    "project.client_view": {
        "en": "This channel follows {name}, delivered for {client}.",
        "zh": "本频道关注项目 {name}（客户：{client}）。",
    },
}
