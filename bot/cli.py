"""`liaison`: run the bot, or manage its database."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from pathlib import Path

from bot.settings import WHERE, Mode, Settings, SettingsError, configure_logging, load_settings

EXIT_CONFIG = 2


RUN_HELP = """\
Run the bot.

Socket Mode (the default; no public URL needed) needs:
  SLACK_BOT_TOKEN       the Bot User OAuth Token (xoxb-...)
  SLACK_APP_TOKEN       an app-level token with connections:write (xapp-...)

HTTP (--http; Slack posts to https://<your host>/slack/events, GET /healthz answers) needs:
  SLACK_BOT_TOKEN       the Bot User OAuth Token (xoxb-...)
  SLACK_SIGNING_SECRET  the app's Signing Secret

Installed in several workspaces (HTTP only; "Add to Slack" at /slack/install, Slack's redirect to
/slack/oauth_redirect): SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and LIAISON_ENCRYPTION_KEY (`liaison keys
generate`) instead of SLACK_BOT_TOKEN; optional SLACK_REDIRECT_URI.

Optional: DATABASE_URL (default sqlite:///data/liaison.sqlite3), PORT (HTTP, default 3000), LOG_LEVEL, LOG_FORMAT,
METRICS_PORT, SLACK_API_URL. Read from the environment or a .env file in the current folder. See README.md.
"""

DB_HELP = """\
Manage the database schema of DATABASE_URL (default sqlite:///data/liaison.sqlite3, relative to the
current folder). The bot also applies pending migrations itself when it starts.
"""


KEYS_HELP = """\
Installed in several workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, LIAISON_ENCRYPTION_KEY), Liaison keeps
each workspace's Slack tokens in DATABASE_URL's database encrypted with LIAISON_ENCRYPTION_KEY (Fernet).

  liaison keys generate   print a new key
  liaison keys rotate     with LIAISON_ENCRYPTION_KEY="new,old": re-encrypt every token with the new key;
                          then drop the old key from LIAISON_ENCRYPTION_KEY
"""


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The `liaison` parser and its `db` sub-parser (whose help `liaison db` alone prints)."""
    parser = argparse.ArgumentParser(
        prog="liaison",
        description="Liaison: minutes, risks, milestones, schedules and client digests for IT projects, in Slack.",
        epilog="Configuration comes from the environment or a .env file: SLACK_BOT_TOKEN and SLACK_APP_TOKEN "
        "(Socket Mode), or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP); optional SLACK_API_URL, "
        "DATABASE_URL, PORT, LOG_LEVEL. `liaison run --help` says which each mode needs. See README.md.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run the bot (Socket Mode, or HTTP with --http)",
        description=RUN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    db = sub.add_parser(
        "db",
        help="manage the database schema (upgrade, current, reindex)",
        description=DB_HELP,
        usage="liaison db [-h] ACTION",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", title="actions")
    db_sub.add_parser(
        "upgrade",
        help="create the database if needed and apply every pending migration; prints the revision reached",
        description="Create the database if needed and apply every pending migration.",
    )
    db_sub.add_parser(
        "current",
        help="print the schema revision and whether it is the newest; never creates a database (exits 1 "
        "when there is none, or when it has no schema yet)",
        description="Print the schema revision of DATABASE_URL's database and whether it is the newest. "
        "Never creates a database: exits 1 when there is none, or when it has no schema yet.",
    )
    export = sub.add_parser(
        "export",
        help="write a project's records to files (CSV, XLSX or Markdown), offline, with the team's view",
        description="Write a project's records from DATABASE_URL's database into DIR: CSV (one file per "
        "kind, UTF-8 with a BOM), XLSX (one sheet per kind) or Markdown (one file). The team's view: "
        "internal records and fields included. Columns: README.md (Exports).",
    )
    export.add_argument("--project", required=True, help="the project's name or id")
    export.add_argument("--format", choices=("csv", "xlsx", "md"), default="xlsx", help="default: xlsx")
    export.add_argument(
        "--out", required=True, type=Path, help="the folder to write into (created if needed)"
    )
    export.add_argument(
        "--kinds",
        default="all",
        help="comma-separated: minutes,actions,decisions,risks,milestones,changes,requirements,issues "
        "(default: all)",
    )
    db_sub.add_parser(
        "reindex",
        help="rebuild the search index from the records (after a bulk import or a restore that bypassed the app)",
        description="Rebuild the search index (table search_entry) from every record of every searchable kind.",
    )
    rev = db_sub.add_parser("revision", help="(developers) autogenerate a migration")
    rev.add_argument("message", nargs="?", help="what the migration does")
    rev.add_argument("-m", "--message", dest="message_opt", help="the same, as an option")
    keys = sub.add_parser(
        "keys",
        help="the key that encrypts workspaces' Slack tokens (generate, rotate)",
        description=KEYS_HELP,
        usage="liaison keys [-h] ACTION",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", title="actions")
    keys_sub.add_parser("generate", help="print a new key for LIAISON_ENCRYPTION_KEY")
    keys_sub.add_parser(
        "rotate",
        help="re-encrypt every stored token with the first key of LIAISON_ENCRYPTION_KEY (all keys decrypt)",
    )
    return parser, db


def _parser() -> argparse.ArgumentParser:
    return _parsers()[0]


def _fail(problems: list[str], what: str = "") -> int:
    print(f"liaison: cannot start{what}:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    print("See README.md (Configuration) and deploy/manifest.yml.", file=sys.stderr)
    return EXIT_CONFIG


def _mode(args: argparse.Namespace, settings: Settings) -> Mode:
    """`--http` serves HTTP; otherwise Socket Mode, unless only HTTP is configured (a signing secret and no
    app token), which keeps serving HTTP as before."""
    if args.http:
        return "http"
    if not settings.slack_app_token and settings.slack_signing_secret:
        return "http"
    return "socket"


def main(argv: list[str] | None = None) -> int:
    parser, db = _parsers()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_CONFIG
    if args.command == "playground":
        return _playground(args)
    if args.command == "db" and args.db_command is None:
        db.print_help()
        return EXIT_CONFIG
    if args.command == "keys" and args.keys_command != "rotate":
        return _keys_generate(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(exc.problems)
    if args.command == "export":
        configure_logging("WARNING")
        return _export(args, settings.database_url)
    if args.command == "keys":
        configure_logging("WARNING")
        return _keys_rotate(settings)
    if args.command == "db":
        # Alembic's INFO lines are noise here; each action prints what it did. LOG_LEVEL=DEBUG shows them.
        configure_logging(settings.log_level if settings.log_level == "DEBUG" else "WARNING")
        return _db(args, settings.database_url)
    configure_logging(settings.log_level, settings.log_format)
    mode = _mode(args, settings)
    try:
        settings.check(mode)
    except SettingsError as exc:
        problems = exc.problems
        if mode == "socket":
            problems = [
                *problems,
                "Or, to serve HTTP at a public URL instead: set SLACK_SIGNING_SECRET ("
                + WHERE["SLACK_SIGNING_SECRET"]
                + ") and run `liaison run --http`.",
            ]
        return _fail(problems, " in Socket Mode" if mode == "socket" else " in HTTP mode")
    # No automatic collection while the app starts: importing and building it ran three full collections,
    # about a quarter of start-up's CPU. Runtime._warm collects once, freezes, and turns it back on.
    gc.disable()
    from bot.server import run_http, run_socket_mode

    port = args.port or settings.port
    if mode == "http" and settings.metrics_port == port:
        return _fail(
            [f"METRICS_PORT is {port}, the port Slack reaches: give /metrics a port of its own."],
            " in HTTP mode",
        )
    if mode == "http":
        run_http(settings, host=args.host, port=port)
    else:
        run_socket_mode(settings)
    return 0


def _playground(args: argparse.Namespace) -> int:
    """The playground needs no Slack settings: it makes its own stand-in, tokens and SQLite file."""
    from bot.playground.server import run_playground

    configure_logging("WARNING")
    return run_playground(port=args.port, lang=args.lang)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for other databases and for in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _db(args: argparse.Namespace, url: str) -> int:
    """`liaison db upgrade|current|revision`; `current` reports and never creates a database."""
    path = sqlite_file(url)
    if args.db_command in ("current", "reindex") and path is not None and not path.exists():
        print(f"no database at {path} (run `liaison db upgrade` to create it)", file=sys.stderr)
        return 1
    if args.db_command == "revision" and not (args.message or args.message_opt):
        print("liaison db revision: say what the migration does, e.g. liaison db revision add_widgets")
        return EXIT_CONFIG

    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate
    from storage.db import create_engine

    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    where = str(path) if path is not None else _safe_url(url)

    async def go() -> int:
        engine = create_engine(url)
        try:
            if args.db_command == "upgrade":
                before = await migrate.current_revision(engine)
                await migrate.upgrade(engine)
                after = await migrate.current_revision(engine)
                if before == after:
                    print(f"{where}: already at revision {after} (the newest)")
                else:
                    print(
                        f"{where}: upgraded from {before or 'an empty database'} to revision {after} (the newest)"
                    )
                return 0
            if args.db_command == "reindex":
                from bot.domain.search import rebuild_index
                from storage.db import create_session_factory

                await migrate.upgrade(engine)
                async with create_session_factory(engine).begin() as session:
                    counts = await rebuild_index(session)
                print(f"{where}: indexed " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
                return 0
            if args.db_command == "current":
                current = await migrate.current_revision(engine)
                if current is None:
                    print(f"{where} has no schema yet (run `liaison db upgrade`)", file=sys.stderr)
                    return 1
                state = "the newest" if current == head else f"behind {head}: run `liaison db upgrade`"
                print(f"{current} ({state}) in {where}")
                return 0
            await migrate.upgrade(engine)
            await migrate.make_revision(engine, args.message or args.message_opt)
            return 0
        finally:
            await engine.dispose()

    try:
        return asyncio.run(go())
    except (OSError, SQLAlchemyError) as exc:
        print(f"liaison db {args.db_command}: cannot reach {where}: {exc}", file=sys.stderr)
        return 1


def _export(args: argparse.Namespace, url: str) -> int:
    """`liaison export`: compose as the team sees it, render, write the files; never creates a database."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.domain import export as exports
    from storage import migrate
    from storage.db import create_engine, create_session_factory
    from storage.types import utcnow

    try:
        kinds = exports.kinds_from_names([k for k in args.kinds.replace(" ", "").split(",") if k])
    except ValueError as exc:
        print(f"liaison export: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    path = sqlite_file(url)
    where = str(path) if path is not None else _safe_url(url)
    if path is not None and not path.exists():
        print(f"liaison export: no database at {path}", file=sys.stderr)
        return 1

    async def go() -> int:
        engine = create_engine(url)
        try:
            if await migrate.current_revision(engine) is None:
                print(f"liaison export: {where} has no schema yet", file=sys.stderr)
                return 1
            async with create_session_factory(engine)() as session:
                found = await exports.find_projects(session, args.project)
                if len(found) != 1:
                    names = ", ".join(f"{p.id} ({p.name})" for p in found)
                    problem = (
                        f"{len(found)} projects are named so: {names}; give an id"
                        if found
                        else "no such project"
                    )
                    print(f"liaison export: {args.project!r}: {problem}", file=sys.stderr)
                    return 1
                project = found[0]
                export = await exports.compose(
                    session,
                    project=project,
                    kinds=kinds,
                    viewer=exports.OFFLINE_VIEWER,
                    place=exports.OFFLINE_PLACE,
                )
        finally:
            await engine.dispose()
        files = exports.render(
            export, args.format, stem=exports.file_stem(project, utcnow()), title=project.name
        )
        args.out.mkdir(parents=True, exist_ok=True)
        for file in files:
            (args.out / file.filename).write_bytes(file.content)
            print(args.out / file.filename)
        rows = sum(export.counts.values())
        print(
            f"{project.name}: {rows} record(s) in {len(files)} file(s), dates in {export.zone}",
            file=sys.stderr,
        )
        return 0

    try:
        return asyncio.run(go())
    except (OSError, SQLAlchemyError) as exc:
        print(f"liaison export: cannot read {where}: {exc}", file=sys.stderr)
        return 1


def _keys_generate(args: argparse.Namespace) -> int:
    from storage.installations import TokenCipher

    if args.keys_command != "generate":
        print(KEYS_HELP, end="")
        return EXIT_CONFIG
    print(TokenCipher.generate())
    return 0


def _keys_rotate(settings: Settings) -> int:
    """`liaison keys rotate`: every stored token re-encrypted with the first key, in one transaction."""
    from cryptography.fernet import InvalidToken
    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate
    from storage.db import create_engine, create_session_factory
    from storage.installations import EncryptionKeyError, TokenCipher, rotate_keys

    key = settings.liaison_encryption_key
    if key is None or not key.get_secret_value().strip():
        return _fail([f"LIAISON_ENCRYPTION_KEY is not set. Expected {WHERE['LIAISON_ENCRYPTION_KEY']}."])
    try:
        cipher = TokenCipher(key.get_secret_value())
    except EncryptionKeyError:
        return _fail([f"LIAISON_ENCRYPTION_KEY is malformed. Expected {WHERE['LIAISON_ENCRYPTION_KEY']}."])
    url = settings.database_url
    path = sqlite_file(url)
    where = str(path) if path is not None else _safe_url(url)
    if path is not None and not path.exists():
        print(f"liaison keys rotate: no database at {path}", file=sys.stderr)
        return 1

    async def go() -> int:
        engine = create_engine(url)
        try:
            if await migrate.current_revision(engine) is None:
                print(f"liaison keys rotate: {where} has no schema yet", file=sys.stderr)
                return 1
            count = await rotate_keys(create_session_factory(engine), cipher)
        finally:
            await engine.dispose()
        print(
            f"{where}: re-encrypted the tokens of {count} installation(s) with the first key of "
            "LIAISON_ENCRYPTION_KEY; the other keys can now be removed from it"
        )
        return 0

    try:
        return asyncio.run(go())
    except InvalidToken:
        print(
            "liaison keys rotate: a stored token decrypts with none of the keys in LIAISON_ENCRYPTION_KEY; "
            "nothing was changed (add the key it was encrypted with, after the new one)",
            file=sys.stderr,
        )
        return 1
    except (OSError, SQLAlchemyError) as exc:
        print(f"liaison keys rotate: cannot reach {where}: {exc}", file=sys.stderr)
        return 1


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
