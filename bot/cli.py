"""`liaison`: run the bot, or manage its database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Mode, SettingsError, configure_logging, load_settings

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liaison",
        description="Liaison: minutes, risks, milestones, schedules and client digests for IT projects, in Slack.",
        epilog="Configuration comes from the environment or a .env file: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, "
        "SLACK_APP_TOKEN, SLACK_API_URL, DATABASE_URL, PORT, LOG_LEVEL. See README.md.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run the bot",
        description="Run the bot. Uses Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); "
        "with --http, serves POST /slack/events and GET /healthz instead.",
    )
    run.add_argument("--http", action="store_true", help="serve HTTP (needs SLACK_SIGNING_SECRET)")
    run.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP bind address (default: 0.0.0.0)")
    playground = sub.add_parser(
        "playground",
        help="try every feature in a local web page, with no Slack workspace",
        description="Run the real app against a built-in local stand-in for Slack, with a web page on "
        "http://127.0.0.1:PORT showing a project's internal and client-shared channels, App Home and DMs, "
        "and a clock you can move forward. Needs no Slack variables; data goes to data/playground.sqlite3 "
        "and is wiped at every start.",
    )
    playground.add_argument("--port", type=int, default=8765, help="page port on 127.0.0.1 (default: 8765)")
    playground.add_argument("--lang", choices=("en", "zh"), default="en", help="the demo project's language")
    db = sub.add_parser("db", help="manage the database", description="Manage the database schema.")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply pending migrations (the bot also does this on start)")
    db_sub.add_parser("current", help="print the schema revision")
    rev = db_sub.add_parser("revision", help="(developers) autogenerate a migration")
    rev.add_argument("-m", "--message", required=True)
    return parser


def _fail(problems: list[str]) -> int:
    print("liaison: cannot start:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    print("See README.md (Configuration) and deploy/manifest.yml.", file=sys.stderr)
    return EXIT_CONFIG


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_CONFIG
    if args.command == "playground":
        return _playground(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(exc.problems)
    configure_logging(settings.log_level)
    if args.command == "db":
        return _db(args, settings.database_url)
    mode: Mode = "http" if args.http or not settings.slack_app_token else "socket"
    try:
        settings.check(mode)
    except SettingsError as exc:
        problems = exc.problems
        if not args.http:
            problems = [*problems, "Or set SLACK_APP_TOKEN to use Socket Mode (no public URL needed)."]
        return _fail(problems)
    from bot.server import run_http, run_socket_mode

    if mode == "http":
        run_http(settings, host=args.host, port=args.port or settings.port)
    else:
        run_socket_mode(settings)
    return 0


def _playground(args: argparse.Namespace) -> int:
    """The playground needs no Slack settings: it makes its own stand-in, tokens and SQLite file."""
    from bot.playground.server import run_playground

    configure_logging("WARNING")
    return run_playground(port=args.port, lang=args.lang)


def _db(args: argparse.Namespace, url: str) -> int:
    from storage import migrate
    from storage.db import create_engine

    async def go() -> None:
        engine = create_engine(url)
        try:
            if args.db_command == "upgrade":
                await migrate.upgrade(engine)
                print(f"database at revision {await migrate.current_revision(engine)}")
            elif args.db_command == "current":
                print(await migrate.current_revision(engine) or "empty")
            elif args.db_command == "revision":
                await migrate.upgrade(engine)
                await migrate.make_revision(engine, args.message)
        finally:
            await engine.dispose()

    if args.db_command is None:
        _parser().parse_args(["db", "--help"])
    asyncio.run(go())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
