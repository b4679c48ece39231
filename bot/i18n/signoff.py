"""The client's word: confirmations and sign-offs (who may sign, outcomes, waiting sign-offs)."""

MESSAGES: dict[str, dict[str, str]] = {
    "policy.client_only": {
        "en": "Only the client signs this: your click was not recorded.",
        "zh": "只有客户可以签署确认，你的点击没有被记录。",
    },
}
