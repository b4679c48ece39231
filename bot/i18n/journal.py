"""Strings for reliability: the database out of reach (bot/journal.py, handlers/commands/runner.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "error.database_unreachable": {
        "en": "The database is not reachable right now — try again in a minute. Nothing was changed.",
        "zh": "数据库暂时无法连接，请一分钟后再试。没有做任何修改。",
    },
}
