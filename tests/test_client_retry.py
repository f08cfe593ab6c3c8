"""Retries and timeouts of the generated client against a local server that fails or stalls
on purpose. Waits are recorded, not slept: the client module's sleep is replaced."""

from __future__ import annotations

import email.utils
import json
import socket
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from client_support import (
    MODES,
    Recorder,
    Seen,
    one,
)
from starlette.responses import Response


@pytest.fixture
def waits(gen: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client waits between attempts (recorded; nothing sleeps)."""
    recorded: list[float] = []

    async def asleep(seconds: float) -> None:
        recorded.append(seconds)

    module = gen.client._client
    monkeypatch.setattr(module, "time", SimpleNamespace(sleep=recorded.append))
    monkeypatch.setattr(module, "asyncio", SimpleNamespace(sleep=asleep))
    return recorded


def tick(n: int = 1) -> Response:
    return Response(json.dumps({"n": n}), media_type="application/json")


def status(code: int, **headers: str) -> Response:
    return Response(status_code=code, headers=headers)


def hits(recorder: Recorder, path: str) -> list[Seen]:
    return [s for s in recorder.seen if s.path == path]


@pytest.mark.parametrize("mode", MODES)
def test_idempotent_requests_retry_with_backoff_until_success(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    recorder.then("GET", "/api/flaky", status(503), status(502), tick(7))
    retry = gen.client.Retry(backoff=0.2)
    result = one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url, retry=retry)
    assert result.n == 7 and len(hits(recorder, "/api/flaky")) == 3
    first, second = waits  # exponential, with jitter between half and all of the step
    assert 0.1 <= first <= 0.2 and 0.2 <= second <= 0.4


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_seconds_and_http_date_are_honoured(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    later = email.utils.formatdate(time.time() + 20, usegmt=True)
    recorder.then("GET", "/api/flaky", status(429, **{"Retry-After": "3"}),
                  status(503, **{"Retry-After": later}), tick())
    one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url)
    assert waits[0] == 3.0 and 15 < waits[1] <= 20
    # A Retry-After beyond max_delay is not waited for: the error is raised at once.
    recorder.then("GET", "/api/flaky", status(503, **{"Retry-After": "120"}), tick())
    with pytest.raises(gen.client.ServerError) as caught:
        one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url)
    assert caught.value.status_code == 503 and len(waits) == 2


@pytest.mark.parametrize("mode", MODES)
def test_post_is_not_retried_unless_asked(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    recorder.then("POST", "/api/flaky", status(503), status(503), tick(2))
    with pytest.raises(gen.client.ServerError):
        one(mode, gen, lambda api: api.ops.flaky_write(), base_url=url)
    assert len(hits(recorder, "/api/flaky")) == 1 and waits == []
    retry = gen.client.Retry(methods=frozenset({"POST"}), backoff=0.01)
    assert one(mode, gen, lambda api: api.ops.flaky_write(retry=retry), base_url=url).n == 2
    assert len(hits(recorder, "/api/flaky")) == 3


@pytest.mark.parametrize("mode", MODES)
def test_retry_settings_per_client_and_per_call(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    recorder.on("GET", "/api/flaky", status(504))
    with pytest.raises(gen.client.ServerError):
        one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url, retry=None)
    assert len(hits(recorder, "/api/flaky")) == 1
    recorder.reset()
    recorder.on("GET", "/api/flaky", status(504))
    five = gen.client.Retry(attempts=5, backoff=0.01, max_delay=0.02)
    with pytest.raises(gen.client.ServerError):
        one(mode, gen, lambda api: api.ops.flaky_read(retry=five), base_url=url, retry=None)
    assert len(hits(recorder, "/api/flaky")) == 5 and max(waits) <= 0.02
    recorder.reset()
    recorder.on("GET", "/api/flaky", status(500))  # not a retried status by default
    with pytest.raises(gen.client.InternalServerError):
        one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url)
    assert len(hits(recorder, "/api/flaky")) == 1
    recorder.reset()
    recorder.then("GET", "/api/flaky", status(500), tick(3))
    only_500 = gen.client.Retry(statuses=frozenset({500}), backoff=0.01)
    assert one(mode, gen, lambda api: api.ops.flaky_read(retry=only_500), base_url=url).n == 3


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("mode", MODES)
def test_connection_errors_are_retried_then_raised_as_transport_errors(
    gen: SimpleNamespace, mode: str, waits: list[float]
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api"
    with pytest.raises(gen.client.TransportError) as caught:
        one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url)
    assert isinstance(caught.value, gen.client.Error)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "GET" in str(caught.value) and "/api/flaky" in str(caught.value)
    assert len(waits) == 2  # three attempts
    waits.clear()
    with pytest.raises(gen.client.TransportError):
        one(mode, gen, lambda api: api.ops.flaky_write(), base_url=url)
    assert waits == []  # a POST is not sent again


async def stall(seen: Seen) -> Response:
    import asyncio

    await asyncio.sleep(0.3)
    return Response(status_code=204)


@pytest.mark.parametrize("mode", MODES)
def test_timeouts_per_call_raise_the_package_error(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    recorder.on("GET", "/api/slow", stall)
    with pytest.raises(gen.client.ApiTimeoutError) as caught:
        one(mode, gen, lambda api: api.ops.slow(timeout=0.05, retry=None), base_url=url)
    error: Any = caught.value
    assert isinstance(error, gen.client.TransportError) and isinstance(error, gen.client.Error)
    assert isinstance(error.__cause__, httpx.TimeoutException)
    assert one(mode, gen, lambda api: api.ops.slow(timeout=2.0), base_url=url) is None


@pytest.mark.parametrize("mode", MODES)
def test_timeout_per_client(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    recorder, url = server
    recorder.on("GET", "/api/slow", stall)
    cls = gen.client.Client if mode == "sync" else gen.client.AsyncClient
    api = cls(url, timeout=0.05, retry=None)  # its own httpx client, with this timeout
    assert api._http.timeout.read == 0.05
    with pytest.raises(gen.client.ApiTimeoutError):
        if mode == "sync":
            api.ops.slow()
        else:
            import asyncio

            asyncio.run(api.ops.slow())
    assert gen.client.Client(url)._http.timeout.read == 30.0  # the default


@pytest.mark.parametrize("mode", MODES)
def test_a_retry_sends_the_same_body_bytes(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, waits: list[float]
) -> None:
    import io

    recorder, url = server
    recorder.then("POST", "/api/upload", status(503), status(204))
    photo = io.BytesIO(b"file-object-bytes")  # read once: a second read would be empty
    retry = gen.client.Retry(methods=frozenset({"POST"}), backoff=0.01)
    one(mode, gen, lambda api: api.files.upload(photo=photo, retry=retry), base_url=url)
    first, second = hits(recorder, "/api/upload")

    def unbounded(seen: Seen) -> bytes:  # each request has its own multipart boundary
        boundary = seen.headers["content-type"].split("boundary=")[1].encode()
        return seen.body.replace(boundary, b"B")

    assert b"file-object-bytes" in first.body
    assert unbounded(first) == unbounded(second)
