"""Helpers for the server tests: generate a fixture spec into a folder and import it."""

from __future__ import annotations

import importlib
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.pipeline import generate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WIDGETS_SPEC = FIXTURES / "server.openapi.yaml"


def write_package(spec: Path, package: str, root: Path) -> dict[str, str]:
    files = generate(spec, package).files
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return files


@contextmanager
def imported(root: Path, package: str, *modules: str) -> Iterator[list[ModuleType]]:
    """Import `modules` with `root` on sys.path; forget them afterwards."""
    sys.path.insert(0, str(root))
    try:
        yield [importlib.import_module(m) for m in modules]
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        for name in modules:
            sys.modules.pop(name, None)


def widgets_folder(root: Path) -> Path:
    """The widgets package and its typed service, side by side under `root`."""
    write_package(WIDGETS_SPEC, "widgets", root)
    shutil.copy(FIXTURES / "widgets_service.py", root / "widgets_service.py")
    return root


# ---------------------------------------------------------------------- semantic comparison
#
# What the server serves (its routes and the runtime descriptors that decode each request)
# against what its `openapi()` document describes, as one comparable value per operation:
# (METHOD, path with the spec's parameter names) → operation id, parameters as
# (name, location, style, explode), request media types, response statuses, and security
# as alternatives of {scheme: scopes}. Document defaults are made explicit (style form for
# query and cookie, simple otherwise; explode true only for form), path-level parameters
# merge into each operation, local `$ref`s resolve; what apismith ignores with a warning
# (responses under keys that are not statuses, requirements naming unknown schemes) is
# left out on the document side too. An operation without an `operationId` gets one
# synthesised (as FastAPI does): it is compared only where the document declares one.

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _resolve(document: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 50:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node


def documented(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    schemes = set((document.get("components") or {}).get("securitySchemes") or {})
    out = {}
    for path, item in (document.get("paths") or {}).items():
        item = _resolve(document, item) or {}
        shared = [_resolve(document, p) for p in item.get("parameters") or []]
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = {}
            for p in [*shared, *(_resolve(document, p) for p in op.get("parameters") or [])]:
                style = p.get("style") or _DEFAULT_STYLE[p["in"]]
                explode = p.get("explode", style == "form")
                if "content" in p:
                    style, explode = _DEFAULT_STYLE[p["in"]], False
                params[(p["name"], p["in"])] = (p["name"], p["in"], style, explode)
            body = _resolve(document, op.get("requestBody")) or {}
            security = op.get("security", document.get("security")) or []
            out[(method.upper(), path)] = {
                "operation_id": op.get("operationId") or None,  # "" is synthesised too
                "parameters": sorted(params.values()),
                "media_types": list(body.get("content") or {}),
                "statuses": sorted(
                    str(s) for s in (op.get("responses") or {}) if _is_status(str(s))
                ),
                "security": [
                    {name: list(scopes) for name, scopes in r.items()}
                    for r in security
                    if all(name in schemes for name in r)
                ],
            }
    return out


def _is_status(key: str) -> bool:
    return re.fullmatch(r"[1-5](?:[0-9][0-9]|XX)|default", key) is not None


def served(app: Any) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for route in _routes(app.routes):
        endpoint = getattr(route, "endpoint", None)
        operation = getattr(endpoint, "operation", None)
        if operation is None:
            continue  # FastAPI's own routes (/docs, /openapi.json)
        path = route.path
        params = []
        for p in operation.params:
            if p.location == "path":
                path = path.replace("{" + p.name + "}", "{" + p.wire + "}")
            style, explode = p.style, p.explode
            if p.shape == "json":
                style, explode = _DEFAULT_STYLE[p.location], False
            params.append((p.wire, p.location, style, explode))
        for method in route.methods:
            out[(method, path)] = {
                "operation_id": operation.operation_id,
                "parameters": sorted(params),
                "media_types": [b.media_type for b in operation.bodies],
                "statuses": sorted(o.status for o in operation.responses),
                "security": [
                    {name: list(scopes) for name, scopes in alternative}
                    for alternative in operation.security
                ],
            }
    return out


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Routes, with those of included routers (FastAPI keeps them inside) flattened."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else [route]


def served_as_documented(app: Any, document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """`served(app)`, with synthesised operation ids blanked where the document has none."""
    out = served(app)
    for key, entry in documented(document).items():
        if entry["operation_id"] is None and key in out:
            out[key] = {**out[key], "operation_id": None}
    return out
