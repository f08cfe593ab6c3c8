"""`apismith mock`: serve a working fake of any API from its spec.

The spec is generated into a temporary folder and served by its own generated server, with
an implementation that answers every operation with its first success response: the
spec's `example`/`examples` when they fit the response model, else a minimal valid
instance built from the schema. Every credential is accepted (a missing one is still 401).
"""

from __future__ import annotations

import importlib
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from generator import ir
from generator.options import Options
from generator.pipeline import generate
from generator.render import server_ops

_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00",
    "uuid": "00000000-0000-4000-8000-000000000000", "email": "user@example.com",
    "uri": "https://example.com", "url": "https://example.com", "hostname": "example.com",
    "ipv4": "127.0.0.1", "ipv6": "::1", "byte": "", "binary": "", "duration": "P1D",
}
_MAX_DEPTH = 12


class Examples:
    """Example values from a document: given examples first, else minimal instances."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            target: Any = self.document
            for part in node["$ref"].lstrip("#").strip("/").split("/"):
                key = part.replace("~1", "/").replace("~0", "~")
                target = target.get(key) if isinstance(target, dict) else None
            node = target
        return node

    def media(self, media: dict[str, Any]) -> Iterator[Any]:
        """Candidates for a media type object: its examples, then its schema's."""
        if "example" in media:
            yield media["example"]
        for example in (media.get("examples") or {}).values():
            example = self.resolve(example)
            if isinstance(example, dict) and "value" in example:
                yield example["value"]
        schema = self.resolve(media.get("schema"))
        yield from self.given(schema)
        yield self.minimal(schema)

    def given(self, schema: Any) -> Iterator[Any]:
        if not isinstance(schema, dict):
            return
        if "example" in schema:
            yield schema["example"]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            yield examples[0]

    def minimal(self, schema: Any, depth: int = 0) -> Any:
        """A small instance satisfying `schema` (required properties only)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        for key in ("const", "default"):
            if key in schema:
                return schema[key]
        if schema.get("enum"):
            return schema["enum"][0]
        given = next(self.given(schema), _NONE)
        if given is not _NONE:
            return given
        if schema.get("allOf"):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.minimal(part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged if merged or self._is_object(schema) else self.minimal(schema["allOf"][0], depth + 1)
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                return self.minimal(schema[key][0], depth + 1)
        return self._typed(schema, depth)

    def _is_object(self, schema: dict[str, Any]) -> bool:
        return schema.get("type") == "object" or "properties" in schema

    def _typed(self, schema: dict[str, Any], depth: int) -> Any:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else ""
        if kind == "object":
            properties = schema.get("properties") or {}
            return {
                name: self.minimal(properties.get(name, {}), depth + 1)
                for name in schema.get("required") or []
            }
        if kind == "array":
            count = int(schema.get("minItems") or 0)
            return [self.minimal(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "string":
            text = _FORMATS.get(str(schema.get("format")), "string")
            return (text * (1 + int(schema.get("minLength") or 0)))[: max(len(text), int(schema.get("minLength") or 0))]
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
            low = low if isinstance(low, int | float) and not isinstance(low, bool) else 0
            bump = 1 if schema.get("exclusiveMinimum") not in (None, False) else 0
            value = max(low + bump, 0) if "maximum" not in schema else min(max(low + bump, 0), schema["maximum"])
            return int(value) if kind == "integer" else float(value)
        if kind == "boolean":
            return False
        return None


_NONE = object()


def _operation_node(document: dict[str, Any], examples: Examples, op: ir.Operation) -> dict[str, Any]:
    item = examples.resolve((document.get("paths") or {}).get(op.path)) or {}
    node = item.get(op.method) if isinstance(item, dict) else None
    return node if isinstance(node, dict) else {}


def answers(api: ir.Api) -> dict[str, list[Any]]:
    """For each operation (by method name), the candidate bodies of its plain response."""
    document = api.document or {}
    examples = Examples(document)
    out: dict[str, list[Any]] = {}
    for op in api.operations:
        response = server_ops.plain_response(op)
        if response is None or response.type is None or response.media_type is None:
            out[op.name] = [None]
            continue
        node = _operation_node(document, examples, op)
        declared = examples.resolve((node.get("responses") or {}).get(response.status)) or {}
        media = (declared.get("content") or {}).get(response.media_type) or {}
        candidates = list(examples.media(examples.resolve(media)))
        if ir.media_kind(response.media_type) == "text":
            candidates = [c for c in candidates if isinstance(c, str)] + ["example"]
        elif not response.is_json:
            candidates = [b""]
        out[op.name] = candidates
    return out


def _handler(candidates: list[Any], check: Callable[[Any], Any] | None) -> Callable[..., Awaitable[Any]]:
    async def answer(**arguments: Any) -> Any:
        for candidate in candidates:
            try:
                return check(candidate) if check is not None else candidate
            except ValueError:  # pydantic's ValidationError is a ValueError
                continue
        return candidates[-1]

    return answer


async def _accept(*credential: Any) -> object:
    return True


class MockService:
    """An implementation of every operation (from examples) and security handler."""

    def __init__(self, api: ir.Api, server: ModuleType) -> None:
        wanted = answers(api)
        for tag in api.tags:
            module = importlib.import_module(f"{server.__name__}.{tag.module}")
            for op in tag.operations:
                operation = getattr(module, server_ops.constant(op))
                out = operation.responses[0] if operation.responses and operation.plain else None
                check = out.typed.adapter.validate_python if out is not None and out.kind == "json" else None
                setattr(self, op.name, _handler(wanted[op.name], check))
        for scheme in api.security_schemes:
            setattr(self, f"authenticate_{scheme.attribute}", _accept)


@contextmanager
def mock_app(spec: Path, options: Options | None = None) -> Iterator[Any]:
    """The FastAPI app faking `spec`, while its generated package exists."""
    from generator.commands.scaffold import read_api

    api, _ = read_api(spec, options)
    package = "apismith_mock"
    with tempfile.TemporaryDirectory(prefix="apismith-mock-") as folder:
        root = Path(folder)
        for path, text in generate(spec, package, options=options).files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        sys.path.insert(0, folder)
        try:
            server = importlib.import_module(f"{package}.server")
            yield server.create_app(MockService(api, server))
        finally:
            sys.path.remove(folder)
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]


def serve(spec: Path, host: str, port: int, options: Options | None = None) -> None:
    """Serve the fake until interrupted."""
    import uvicorn

    # uvicorn stops on SIGTERM, then raises it again: end as on Ctrl-C, so the temporary
    # package is removed (the default action would end the process at once)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with mock_app(spec, options) as app:
            uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
