"""The playground's web page and the JSON API it polls, on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.playground.world import Lang, Playground, PlaygroundError

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
HOST = "127.0.0.1"  # a local simulation: never reachable from another machine
DEFAULT_DB = Path("data") / "playground.sqlite3"


def build_page_app(playground: Playground, *, manage_lifecycle: bool = True) -> Starlette:
    """The page, its static files and the API; starts and stops the playground with the server."""

    async def guarded(work: Callable[[], Awaitable[Any]]) -> Response:
        try:
            async with playground.lock:
                result = await work()
        except PlaygroundError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
        return JSONResponse(result if result is not None else {"ok": True})

    async def body(request: Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            raise PlaygroundError("expected a JSON body") from None
        if not isinstance(data, dict):
            raise PlaygroundError("expected a JSON object")
        return data

    async def index(_request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def state(request: Request) -> Response:
        user = request.query_params.get("user", "U0ALICE")
        return await guarded(lambda: playground.state(user))

    async def command(request: Request) -> Response:
        async def work() -> Any:
            data = await body(request)
            return await playground.command(
                str(data.get("user")), str(data.get("channel")), str(data.get("text", ""))
            )

        return await guarded(work)

    async def click(request: Request) -> Response:
        async def work() -> Any:
            data = await body(request)
            action = data.get("action")
            if not isinstance(action, dict):
                raise PlaygroundError("expected an action")
            values = data.get("values") if isinstance(data.get("values"), dict) else None
            return await playground.click(str(data.get("user")), str(data.get("item")), action, values)

        return await guarded(work)

    async def submit(request: Request) -> Response:
        async def work() -> Any:
            data = await body(request)
            values = data.get("values")
            return await playground.submit(
                str(data.get("user")), str(data.get("view_id")), values if isinstance(values, dict) else {}
            )

        return await guarded(work)

    async def close(request: Request) -> Response:
        """`{user, view_id}` closes that form (Cancel); `{user, clear: true}` the person's whole stack (×);
        `{everyone: true}` every open form, which is what a reload of the page does."""

        async def work() -> Any:
            data = await body(request)
            if data.get("everyone") is True:
                return {"ok": True, "notified": await playground.close_all_modals()}
            view_id = data.get("view_id")
            notified = await playground.close_modal(
                str(data.get("user")),
                str(view_id) if view_id is not None else None,
                clear=data.get("clear") is True,
            )
            return {"ok": True, "notified": notified}

        return await guarded(work)

    async def home(request: Request) -> Response:
        async def work() -> Any:
            data = await body(request)
            await playground.open_home(str(data.get("user")))
            return {"ok": True}

        return await guarded(work)

    async def clock(request: Request) -> Response:
        async def work() -> Any:
            data = await body(request)
            return await playground.advance(str(data.get("move")))

        return await guarded(work)

    async def reset(_request: Request) -> Response:
        async def work() -> Any:
            await playground.reset()
            return {"ok": True}

        return await guarded(work)

    async def file(request: Request) -> Response:
        found = playground.file(request.path_params["file_id"])
        if found is None:
            return Response("not found", status_code=404, media_type="text/plain")
        content, name = found
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media in ("image/png", "image/jpeg", "image/gif"):  # charts show inline; anything else downloads
            return Response(content, media_type=media)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name) or "file"
        headers = {"Content-Disposition": f'attachment; filename="{safe}"'}
        return Response(content, media_type=media, headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if manage_lifecycle:
            await playground.start()
        try:
            yield
        finally:
            if manage_lifecycle:
                await playground.stop()

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/api/state", state, methods=["GET"]),
            Route("/api/command", command, methods=["POST"]),
            Route("/api/click", click, methods=["POST"]),
            Route("/api/submit", submit, methods=["POST"]),
            Route("/api/close", close, methods=["POST"]),
            Route("/api/home", home, methods=["POST"]),
            Route("/api/clock", clock, methods=["POST"]),
            Route("/api/reset", reset, methods=["POST"]),
            Route("/api/files/{file_id}", file, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )


def run_playground(*, port: int, lang: Lang, db_path: Path = DEFAULT_DB) -> int:
    """Serve the playground until Ctrl-C; returns the exit code."""
    playground = Playground(lang=lang, db_path=db_path)
    config = uvicorn.Config(
        build_page_app(playground),
        host=HOST,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:
            await asyncio.sleep(0.05)
        print(
            f"Liaison Playground (a local simulation of Slack, nothing leaves this machine): http://{HOST}:{port}",
            flush=True,
        )

    async def main() -> None:
        waiter = asyncio.create_task(announce())
        try:
            await server.serve()
        finally:
            waiter.cancel()

    asyncio.run(main())
    return 0 if server.started else 1
