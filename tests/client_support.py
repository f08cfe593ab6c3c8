"""Helpers of the client tests (tests/test_client_*.py): a generated package on sys.path, a
Starlette app that records the raw requests it receives and answers from a script, uvicorn on
127.0.0.1 in a thread, and running the same steps with the sync and the async client."""

from __future__ import annotations

import asyncio
import atexit
import functools
import importlib
import inspect
import shutil
import ssl
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from generator.pipeline import generate

FIXTURES = Path(__file__).parent / "fixtures"
MODES = ("sync", "async")


@contextmanager
def generated(spec: Path, package: str, root: Path) -> Iterator[SimpleNamespace]:
    """Generate `spec` as `package` under `root` and import its client (and models)."""
    for path, text in generate(spec, package).files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    sys.path.insert(0, str(root))
    try:
        client: ModuleType = importlib.import_module(f"{package}.client")
        models: ModuleType = importlib.import_module(f"{package}.models")
        yield SimpleNamespace(client=client, models=models, root=root, package=package)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


@functools.cache
def client_package() -> SimpleNamespace:
    """The client fixture document's package, generated once per test process (shared by
    the client test modules; removed at exit)."""
    root = Path(tempfile.mkdtemp(prefix="client-pkg-"))
    atexit.register(shutil.rmtree, root, True)
    context = generated(FIXTURES / "client.openapi.yaml", "client_pkg", root)
    _KEEP.append(context)  # collected, the context would unload the package
    return context.__enter__()


_KEEP: list[Any] = []


@dataclass(frozen=True)
class Seen:
    """One request as it arrived: the raw path and query string, headers and body bytes."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float


Handler = Callable[[Seen], Response]


@dataclass
class Recorder:
    """Records every request; answers the next scripted response for its (method, path),
    else `default` (204)."""

    seen: list[Seen] = field(default_factory=list)
    script: dict[tuple[str, str], deque[Response | Handler]] = field(
        default_factory=lambda: defaultdict(deque))
    always: dict[tuple[str, str], Response | Handler] = field(default_factory=dict)

    def then(self, method: str, path: str, *responses: Response | Handler) -> None:
        self.script[(method, path)].extend(responses)

    def on(self, method: str, path: str, response: Response | Handler) -> None:
        self.always[(method, path)] = response

    def reset(self) -> None:
        self.seen.clear()
        self.script.clear()
        self.always.clear()

    def last(self, path: str | None = None) -> Seen:
        return [s for s in self.seen if path is None or s.path == path][-1]

    async def handle(self, request: Request) -> Response:
        scope = request.scope
        raw_path = scope.get("raw_path") or scope["path"].encode()
        seen = Seen(
            request.method,
            raw_path.decode("latin-1"),
            scope["query_string"].decode("latin-1"),
            {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
            await request.body(),
            time.monotonic(),
        )
        self.seen.append(seen)
        key = (request.method, scope["path"])
        queue = self.script.get(key)
        answer = queue.popleft() if queue else self.always.get(key, Response(status_code=204))
        if callable(answer) and not isinstance(answer, Response):
            answer = answer(seen)
            if inspect.isawaitable(answer):
                answer = await answer
        return answer


def recorder_app(recorder: Recorder) -> Starlette:
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(routes=[Route("/{path:path}", recorder.handle, methods=methods)])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 (a port the OS picks); yields the base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="client-test-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()  # built once: httpx would load it per client


def _http(mode: str, client: dict[str, Any]) -> Any:
    """An httpx client with the settings the generated client would give its own."""
    settings = {"base_url": client.pop("base_url"), "verify": _tls(),
                "timeout": client.pop("timeout", 30.0)}
    return httpx.Client(**settings) if mode == "sync" else httpx.AsyncClient(**settings)


def run(mode: str, gen: SimpleNamespace, *steps: Callable[[Any], Any], **client: Any) -> list[Any]:
    """Run each step with one client of `mode` (a step returns a value, or an awaitable in
    async mode); the steps' results."""
    if mode == "sync":
        with _http(mode, client) as http, gen.client.Client(http_client=http, **client) as api:
            return [step(api) for step in steps]

    async def main() -> list[Any]:
        async with _http(mode, client) as http, gen.client.AsyncClient(http_client=http,
                                                                        **client) as api:
            results = []
            for step in steps:
                result = step(api)
                results.append(await result if inspect.isawaitable(result) else result)
            return results

    return asyncio.run(main())


def one(mode: str, gen: SimpleNamespace, step: Callable[[Any], Any], **client: Any) -> Any:
    return run(mode, gen, step, **client)[0]


def collect(result: Any, until: Callable[[Any], bool] | None = None,
            on_first: Callable[[], None] | None = None) -> Any:
    """Iterate a stream an operation returned (sync, or awaitable in async mode): its items;
    `on_first` runs once the first item is in hand, iteration breaks after an item for
    which `until` holds."""

    def take(items: list[Any], item: Any) -> bool:
        items.append(item)
        if len(items) == 1 and on_first:
            on_first()
        return bool(until and until(item))

    if inspect.isawaitable(result):
        async def main() -> list[Any]:
            items: list[Any] = []
            async for item in await result:
                if take(items, item):
                    break
            return items

        return main()
    items: list[Any] = []
    for item in result:
        if take(items, item):
            break
    return items
