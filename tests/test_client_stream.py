"""Streamed responses against a real server that sends its body in chunks with delays:
server-sent events (typed and text), JSON lines, downloads. The first item is in the
caller's hands before the server sends the rest (it waits for the caller to say so), and
the connection closes when the iteration ends or breaks. Sync and async."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from client_support import (
    MODES,
    Recorder,
    Seen,
    collect,
    one,
)
from starlette.responses import Response, StreamingResponse


class Feed:
    """A streamed body: `first`, then (once the caller has the first item, or after 5 s) the
    rest, chunk by chunk with short delays. `acked` tells whether the caller had the first
    item while the server still held the rest back; `finished` that the generator ran out,
    `cancelled` that the client went away before it did."""

    def __init__(self, media_type: str, first: bytes, *rest: bytes) -> None:
        self.media_type, self.first, self.rest = media_type, first, rest
        self.got_first = threading.Event()
        self.acked: bool | None = None
        self.finished = False
        self.cancelled = False

    async def body(self) -> AsyncIterator[bytes]:
        try:
            yield self.first
            self.acked = await asyncio.to_thread(self.got_first.wait, 5)
            for chunk in self.rest:
                await asyncio.sleep(0.02)
                yield chunk
            self.finished = True
        except (asyncio.CancelledError, GeneratorExit):
            self.cancelled = True
            raise

    def __call__(self, seen: Seen) -> Response:
        return StreamingResponse(self.body(), media_type=self.media_type)


SSE = [  # opened by a byte order mark, which is not part of the first field's name
    b"\xef\xbb\xbfevent: tick\n: a comment, ignored\nid: 1\ndata: {\"n\": 1}\n\n",
    b"data: {\"n\"\ndata: : 2}\nretry: 1500\n\n",  # multi-line data joined by a newline
    b"event: tick\nid: 3\ndata: {\"n\": 3}\n\n",
]


@pytest.mark.parametrize("mode", MODES)
def test_typed_server_sent_events_arrive_as_they_are_sent(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    feed = Feed("text/event-stream", *SSE)
    recorder.on("GET", "/api/events", feed)
    events = one(mode, gen, lambda api: collect(api.streams.events(), on_first=feed.got_first.set),
                 base_url=url)
    assert feed.acked is True  # the first event was in hand while the rest were held back
    assert [e.data for e in events] == [gen.models.Tick(n=1), gen.models.Tick(n=2),
                                        gen.models.Tick(n=3)]
    assert [(e.event, e.id, e.retry) for e in events] == [
        ("tick", "1", None), ("message", "1", 1500), ("tick", "3", None)]


@pytest.mark.parametrize("mode", MODES)
def test_text_events_and_breaking_out_closes_the_connection(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    feed = Feed("text/event-stream", b"data: one\ndata: two\n\n", b"data: three\n\n",
                *[b"data: more\n\n"] * 50)
    recorder.on("GET", "/api/log", feed)
    opened: list[Any] = []

    def step(api: Any) -> Any:
        result = api.streams.log()
        if mode == "sync":
            opened.append(result)
            return collect(result, until=lambda e: e.data == "three", on_first=feed.got_first.set)

        async def run() -> Any:
            stream = await result
            opened.append(stream)
            async with stream:  # leaving the block closes the connection
                return await collect(_ready(stream), until=lambda e: e.data == "three",
                                     on_first=feed.got_first.set)

        return run()

    events = one(mode, gen, step, base_url=url)
    assert [e.data for e in events] == ["one\ntwo", "three"]
    assert opened[0].response.is_closed
    assert not feed.finished


async def _ready(value: Any) -> Any:
    return value


@pytest.mark.parametrize("mode", MODES)
def test_a_streamed_operation_raises_its_declared_error(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    problem = json.dumps({"message": "no such log"})
    recorder.on("GET", "/api/log", Response(problem, 404, media_type="application/json"))
    with pytest.raises(gen.client.NotFoundError) as caught:
        one(mode, gen, lambda api: collect(api.streams.log()), base_url=url)
    assert caught.value.parsed == gen.models.Problem(message="no such log")
    assert "no such log" in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
def test_json_lines_iterate_parsed_items(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    feed = Feed("application/x-ndjson", b'{"n": 1}\n', b'{"n": 2}\n{"n"', b': 3}\n\n')
    recorder.on("GET", "/api/ticks", feed)
    items = one(mode, gen, lambda api: collect(api.streams.ticks(), on_first=feed.got_first.set),
                base_url=url)
    assert feed.acked is True
    assert items == [gen.models.Tick(n=1), gen.models.Tick(n=2), gen.models.Tick(n=3)]


@pytest.mark.parametrize("mode", MODES)
def test_downloads_stream_to_a_file_or_an_iterator(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, tmp_path: Path
) -> None:
    recorder, url = server
    chunks = [bytes([i]) * 70_000 for i in range(4)]
    feed = Feed("application/octet-stream", chunks[0], *chunks[1:])
    recorder.on("GET", "/api/download", feed)
    target = tmp_path / "file.bin"

    def step(api: Any) -> Any:
        download = api.files.with_streaming_response.download()
        if mode == "sync":
            feed.got_first.set()
            with target.open("wb") as file:
                return download.save(file)

        async def run() -> Any:
            feed.got_first.set()
            with target.open("wb") as file:
                return await (await download).save(file)

        return run()

    assert one(mode, gen, step, base_url=url) == 280_000
    assert target.read_bytes() == b"".join(chunks)
    # Iterated chunk by chunk: the first chunk arrives before the server sends the rest.
    feed = Feed("application/octet-stream", chunks[0], *chunks[1:])
    recorder.on("GET", "/api/download", feed)

    def iterate(api: Any) -> Any:
        download = api.files.with_streaming_response.download()
        if mode == "sync":
            return collect(download.iter_bytes(), on_first=feed.got_first.set)

        async def run() -> Any:
            stream = await download
            return await collect(_ready(stream.iter_bytes()), on_first=feed.got_first.set)

        return run()

    received = one(mode, gen, iterate, base_url=url)
    assert feed.acked is True and b"".join(received) == b"".join(chunks)
    # The plain call still returns the whole body as bytes.
    recorder.on("GET", "/api/download", Response(b"abc", media_type="application/octet-stream"))
    assert one(mode, gen, lambda api: api.files.download(), base_url=url) == b"abc"


@pytest.mark.parametrize("mode", MODES)
def test_stream_with_response_and_items_off_schema(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("GET", "/api/log", Response('{"message": "gone"}', 404,
                                            media_type="application/json"))
    result = one(mode, gen, lambda api: api.streams.with_response.log(), base_url=url)
    assert result.status_code == 404 and result.data is None
    assert isinstance(result.error, gen.client.NotFoundError)
    recorder.on("GET", "/api/events", Response(b'data: {"n": 1}\n\ndata: [DONE]\n\n',
                                               media_type="text/event-stream"))
    with pytest.raises(gen.client.InvalidResponseError, match="does not match its schema"):
        one(mode, gen, lambda api: collect(api.streams.events()), base_url=url)


async def _turns_until(condition: Any, turns: int = 200) -> int:
    """Event-loop turns (no sleeping) until `condition()` holds; -1 if it never does."""
    for turn in range(turns):
        if condition():
            return turn
        await asyncio.sleep(0)
    return -1


@pytest.mark.parametrize("kind", ["events", "lines", "download"])
@pytest.mark.parametrize("mode", MODES)
def test_breaking_out_without_a_with_block_closes_the_connection(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str, kind: str
) -> None:
    """No `with`, garbage collection off: sync, the connection is closed when the loop is
    left; async, the close is scheduled at once and done within the loop's next turns (no
    sleeping, nothing else awaited), and the server sees the client go away."""
    recorder, url = server
    media, chunk, path = {
        "events": ("text/event-stream", b"data: x\n\n", "/api/log"),
        "lines": ("application/x-ndjson", b'{"n": 1}\n', "/api/ticks"),
        "download": ("application/octet-stream", b"x" * 1000, "/api/download"),
    }[kind]
    feed = Feed(media, chunk, *[chunk] * 500)
    recorder.on("GET", path, feed)

    def call(api: Any) -> Any:
        if kind == "download":
            return api.files.with_streaming_response.download()
        return api.streams.log() if kind == "events" else api.streams.ticks()

    def step(api: Any) -> Any:
        if mode == "sync":
            stream = call(api)
            for _ in stream:
                feed.got_first.set()
                break
            return stream.response.is_closed, 0

        async def run() -> Any:
            stream = await call(api)
            async for _ in stream:
                feed.got_first.set()
                break
            return stream.response.is_closed, await _turns_until(
                lambda: stream.response.is_closed)

        return run()

    gc.disable()
    try:
        closed_at_break, turns = one(mode, gen, step, base_url=url)
    finally:
        gc.enable()
    assert closed_at_break is (mode == "sync")
    # Async: closed by the task the dropped iterator scheduled, in the first turn (not the
    # later turns an async generator's finalizer hook would take).
    assert 0 <= turns <= 1, turns
    assert not feed.finished
