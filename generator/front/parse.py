"""Parse a bundled document with openapi-pydantic (3.0 or 3.1), with errors that point home.

A validation error names the file, line:col, JSON pointer and field. When pydantic reports
several errors for a union (Reference | Schema, ...), the one of the branch that matches the
node best is shown: the deepest one, not the first branch pydantic tried.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pydantic
from openapi_pydantic import parse_obj
from openapi_pydantic.v3 import v3_0, v3_1
from pydantic_core import ErrorDetails

from generator.diagnostics import pointer_join
from generator.front.load import error, position_of

OpenAPI = v3_0.OpenAPI | v3_1.OpenAPI
#: pydantic's union-member tags in error locations ("Reference", "Schema", "3.0.4", ...).
_TAG = re.compile(r"[A-Z][A-Za-z]*|\d+\.\d+\.\d+|function-.*|.*\[.*\]")


def _locate(document: Any, loc: tuple[int | str, ...]) -> tuple[list[str], list[str], int]:
    """Map a pydantic error location onto the document: (pointer parts, fields missing from
    the document, how many tags contradict the node, e.g. a `Reference` branch without $ref)."""
    parts: list[str] = []
    missing: list[str] = []
    node = document
    wrong = 0
    for item in loc:
        key = str(item)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(item, int) and item < len(node):
            node = node[item]
        elif isinstance(item, str) and _TAG.fullmatch(item):
            is_ref = isinstance(node, dict) and "$ref" in node
            if (item == "Reference") != is_ref and item[0].isupper():
                wrong += 1
            continue
        else:
            if key not in ("[key]",):
                missing.append(key)
            continue
        parts.append(key)
    return parts, missing, wrong


def _best(document: Any, errors: list[ErrorDetails]) -> tuple[ErrorDetails, list[str], list[str]]:
    """The error most likely to be the real cause."""
    ranked = []
    for i, detail in enumerate(errors):
        parts, missing, wrong = _locate(document, detail["loc"])
        ranked.append(((wrong, -len(parts), len(missing), i), detail, parts, missing))
    _, detail, parts, missing = min(ranked, key=lambda r: r[0])
    return detail, parts, missing


def parse(path: Path, document: Any) -> OpenAPI:
    if not isinstance(document, dict):
        raise error(path, "not an OpenAPI document: the top level is not a mapping", line=1)
    version = document.get("openapi")
    if "swagger" in document:
        raise error(path, f"Swagger {document['swagger']!r} is not supported (only 2.0 is converted)",
                    "/swagger", *position_of(path, ["swagger"]))
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        found = f"'openapi: {version}'" if version is not None else "no 'openapi' field"
        where = ["openapi"] if version is not None else []
        line, column = position_of(path, where)
        raise error(path, f"not an OpenAPI 3.0/3.1 document ({found})", pointer_join(*where),
                    line or 1, column)
    try:
        parsed: OpenAPI = parse_obj(_without_extensions(document))
    except pydantic.ValidationError as exc:
        detail, parts, missing = _best(document, exc.errors())
        field = missing[0] if missing else (parts[-1] if parts else "")
        message = detail["msg"]
        if detail["type"] == "recursion_loop":
            message = "nested too deeply for the parser (pydantic validates at most about 255 levels)"
        elif detail["type"] == "missing" and missing:
            message = f"required field {missing[0]!r} is missing"
        elif field:
            message = f"{field}: {message}"
        more = exc.error_count() - 1
        also = f" ({more} more error{'s' * (more != 1)} in other union branches or fields)" if more else ""
        raise error(path, f"invalid OpenAPI: {message}{also}", pointer_join(*parts),
                    *position_of(path, parts)) from None
    return parsed


def _without_extensions(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the extensions (`x-...`) that OpenAPI allows in the Paths and
    Responses objects and openapi-pydantic refuses there (they mean nothing to the code; the
    served document keeps them)."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return document
    kept: dict[str, Any] = {}
    for key, item in paths.items():
        if str(key).startswith("x-"):
            continue
        if isinstance(item, dict):
            item = {method: _operation(op) for method, op in item.items()}
        kept[key] = item
    return {**document, "paths": kept}


def _operation(op: Any) -> Any:
    responses = op.get("responses") if isinstance(op, dict) else None
    if not isinstance(responses, dict) or not any(str(k).startswith("x-") for k in responses):
        return op
    return {**op, "responses": {k: v for k, v in responses.items() if not str(k).startswith("x-")}}
