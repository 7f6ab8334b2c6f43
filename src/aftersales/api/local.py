"""A real HTTP server on the loopback address, in a thread: for tests, benchmarks and demos.

:class:`LocalServer` runs an ASGI app with uvicorn on ``127.0.0.1`` at a free
port (the operating system picks it) in a background thread; ``url`` is where
it listens. Leaving the ``with`` block stops it, closing open streams after
``grace`` seconds (whole). Imports: uvicorn (the ``api`` extra).

Example:
    >>> import httpx
    >>> from aftersales import ServiceDesk
    >>> from aftersales.api import create_app
    >>> with LocalServer(create_app(ServiceDesk())) as server:
    ...     httpx.get(f"{server.url}/tickets").json()
    {'items': [], 'next_after_id': None}
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from aftersales.errors import AftersalesError

__all__ = ["LocalServer"]


class LocalServer:
    """``app`` served by uvicorn on ``127.0.0.1`` at a free port, while the ``with`` block runs.

    Example:
        >>> from fastapi import FastAPI
        >>> with LocalServer(FastAPI()) as server:
        ...     server.url.startswith("http://127.0.0.1:")
        True
    """

    def __init__(self, app: Any, *, grace: int = 1, start_timeout: float = 20.0) -> None:
        self.app = app
        self.start_timeout = start_timeout
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            timeout_graceful_shutdown=grace,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="aftersales-api", daemon=True)
        self.url = ""

    def __enter__(self) -> LocalServer:
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise AftersalesError("the local API server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
