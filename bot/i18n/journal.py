"""Strings for reliability: the database out of reach (bot/journal.py, handlers/commands/runner.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "error.database_unreachable": {
        "en": "The database is not reachable right now — try again in a minute. Nothing was changed.",
        "zh": "数据库暂时无法连接，请一分钟后再试。没有做任何修改。",
    },
    # An acked command waiting for the database to come back (handlers/commands/runner.py): it is kept, so
    # the user must not retry it (that would do it twice).
    "error.database_kept": {
        "en": "The database is not reachable right now. Your command is kept: Liaison carries it out as soon "
        "as the database is back and answers here. No need to send it again.",
        "zh": "数据库暂时无法连接。你的命令已保存：数据库恢复后 Liaison 会立即执行，并在这里回复。无需重新发送。",
    },
}
