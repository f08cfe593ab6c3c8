"""Parse a bundled document with openapi-pydantic (3.0 or 3.1), with errors that point home."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
from openapi_pydantic import parse_obj
from openapi_pydantic.v3 import v3_0, v3_1

from generator.diagnostics import pointer_join
from generator.front.load import error, line_of

OpenAPI = v3_0.OpenAPI | v3_1.OpenAPI


def _pointer_parts(document: Any, loc: tuple[int | str, ...]) -> list[str]:
    """Map a pydantic error location onto the document, dropping union-member tags."""
    parts: list[str] = []
    node = document
    for item in loc:
        key = str(item)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(item, int) and item < len(node):
            node = node[item]
        else:
            continue
        parts.append(key)
    return parts


def parse(path: Path, document: Any) -> OpenAPI:
    if not isinstance(document, dict):
        raise error(path, "not an OpenAPI document: the top level is not a mapping", line=1)
    version = document.get("openapi")
    if "swagger" in document:
        raise error(path, "Swagger 2.0 is not supported; convert it to OpenAPI 3", "/swagger",
                    line_of(path, ["swagger"]))
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        found = f"'openapi: {version}'" if version is not None else "no 'openapi' field"
        where = ["openapi"] if version is not None else []
        raise error(path, f"not an OpenAPI 3.0/3.1 document ({found})", pointer_join(*where),
                    line_of(path, where) or 1)
    try:
        parsed: OpenAPI = parse_obj(document)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        parts = _pointer_parts(document, first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise error(
            path, f"invalid OpenAPI: {first['msg']}{more}", pointer_join(*parts), line_of(path, parts)
        ) from None
    return parsed
