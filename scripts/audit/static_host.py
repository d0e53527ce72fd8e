"""Serve a built site on 127.0.0.1 as a static host would: files only, gzip
for text, `index.html` for a directory, and the site's 404 page for anything
missing. Runs in a background thread so a synchronous script can use it."""

from __future__ import annotations

import asyncio
import mimetypes
import threading
from pathlib import Path
from types import TracebackType

from aiohttp import web

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def _file_for(root: Path, url_path: str) -> Path | None:
    candidate = (root / url_path.lstrip("/")).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _response(request: web.Request, path: Path, gzip: bool, status: int = 200) -> web.Response:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = web.Response(body=path.read_bytes(), status=status, content_type=content_type)
    # gzip (GitHub Pages' coding) only for text, and only when the client accepts it.
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    if gzip and accepts_gzip and content_type.startswith(COMPRESSIBLE):
        response.enable_compression(web.ContentCoding.gzip)
    return response


def make_app(root: Path, gzip: bool = True) -> web.Application:
    root = root.resolve()

    async def serve(request: web.Request) -> web.Response:
        found = _file_for(root, request.path)
        if found is not None:
            return _response(request, found, gzip)
        not_found = root / "404.html"
        if not_found.is_file():
            return _response(request, not_found, gzip, status=404)
        raise web.HTTPNotFound()

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    return app


class StaticHost:
    """`with StaticHost(folder) as url:` serves folder at url until the block ends."""

    def __init__(self, root: Path, host: str = "127.0.0.1", gzip: bool = True) -> None:
        self.root = root
        self.gzip = gzip
        self.host = host
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)

    async def _start(self) -> str:
        self._runner = web.AppRunner(make_app(self.root, self.gzip), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://{self.host}:{port}/"

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
