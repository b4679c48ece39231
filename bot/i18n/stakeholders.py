"""The stakeholder register (干系人)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.stakeholder": {
        "en": "The stakeholder register: roles, influence, who signs what (team only)",
        "zh": "干系人登记：角色、影响力、谁签署什么（仅团队可见）",
    },
    "cmd.stakeholder.add": {
        "en": "Add or update a stakeholder (a @mention, or a name for someone not in Slack)",
        "zh": "添加或更新干系人（@提及，或不在 Slack 的人的姓名）",
    },
    "cmd.stakeholder.add.example": {
        "en": '/stakeholder add @carol role:"CIO, sponsor" org:client influence:high signs:baseline,change',
        "zh": '/stakeholder 添加 @carol 角色:"CIO，项目发起人" 组织:客户 影响力:高 签署:基线,变更',
    },
    "cmd.stakeholder.list": {"en": "List the stakeholders", "zh": "列出干系人"},
    "cmd.stakeholder.list.example": {"en": "/stakeholder list", "zh": "/stakeholder 列表"},
    "cmd.stakeholder.remove": {"en": "Take someone off the register", "zh": "移除一位干系人"},
    "cmd.stakeholder.remove.example": {"en": "/stakeholder remove @carol", "zh": "/stakeholder 删除 @carol"},
    "stakeholder.missing_who": {
        "en": "Say who: one @mention, or a name for someone not in Slack.",
        "zh": "请说明是谁：一个 @提及，或不在 Slack 的人的姓名。",
    },
    "stakeholder.one_person": {
        "en": "One person at a time, please.",
        "zh": "请一次只登记一个人。",
    },
    "stakeholder.bad_org": {
        "en": "`{word}` is not an organisation here: use `client` or `team`.",
        "zh": "`{word}` 不是可用的组织：请用 `客户` 或 `团队`。",
    },
    "stakeholder.bad_influence": {
        "en": "`{word}` is not an influence: use `low`, `medium` or `high`.",
        "zh": "`{word}` 不是可用的影响力：请用 `低`、`中` 或 `高`。",
    },
    "stakeholder.bad_signs": {
        "en": "`{word}` is not something the client signs: use `baseline`, `change`, `acceptance`, `minutes` or `all`.",
        "zh": "`{word}` 不是客户签署的内容：请用 `基线`、`变更`、`验收`、`纪要` 或 `全部`。",
    },
    "stakeholder.signs_need_slack": {
        "en": "Only someone in Slack can sign: mention them (`@carol`) to give them `signs:`.",
        "zh": "只有 Slack 里的人才能签署：请 @提及对方后再设置 `签署:`。",
    },
    "stakeholder.signs_client_only": {
        "en": "Only the client signs: `signs:` needs `org:client`.",
        "zh": "只有客户签署：`签署:` 需要 `组织:客户`。",
    },
    "stakeholder.not_found": {
        "en": "{who} is not on the stakeholder register.",
        "zh": "干系人登记中没有 {who}。",
    },
    "stakeholder.added": {
        "en": "Added {who} to the stakeholder register.",
        "zh": "已将 {who} 加入干系人登记。",
    },
    "stakeholder.updated": {
        "en": "Updated {who} on the stakeholder register.",
        "zh": "已更新干系人 {who}。",
    },
    "stakeholder.removed": {
        "en": "Removed {who} from the stakeholder register.",
        "zh": "已将 {who} 从干系人登记中移除。",
    },
    "stakeholder.list_title": {"en": "Stakeholders", "zh": "干系人"},
    "stakeholder.list_empty": {
        "en": "No stakeholders yet. Try `/stakeholder add @carol role:CIO influence:high`.",
        "zh": "还没有干系人。试试 `/stakeholder 添加 @carol 角色:CIO 影响力:高`。",
    },
    "stakeholder.list_note": {
        "en": "The team's register: never shown to the client.",
        "zh": "团队内部的登记：不会展示给客户。",
    },
    "stakeholder.signs": {"en": "signs {what}", "zh": "签署{what}"},
    "stakeholder.approvers_rule": {
        "en": "Who signs each kind: its stakeholders with `signs:`, else the project's approvers, else anyone of the client.",
        "zh": "每类签署由登记了 `签署:` 的干系人负责；没有时由项目审批人负责；都没有时客户方任何人均可。",
    },
    "stakeholder.org.client": {"en": "client", "zh": "客户"},
    "stakeholder.org.team": {"en": "team", "zh": "团队"},
    "stakeholder.influence.low": {"en": "low influence", "zh": "影响力低"},
    "stakeholder.influence.medium": {"en": "medium influence", "zh": "影响力中"},
    "stakeholder.influence.high": {"en": "high influence", "zh": "影响力高"},
    "stakeholder.subject.baseline": {"en": "baseline", "zh": "需求基线"},
    "stakeholder.subject.change": {"en": "changes", "zh": "变更"},
    "stakeholder.subject.milestone": {"en": "acceptance", "zh": "验收"},
    "stakeholder.subject.minutes": {"en": "minutes", "zh": "会议纪要"},
}
