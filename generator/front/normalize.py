"""Lenient repairs before parsing: real-world and 3.1-only shapes openapi-pydantic rejects.

Each repair that changes meaning is reported as a warning naming its JSON pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity, pointer_join

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_KEYS = ("items", "not", "contains", "if", "then", "else", "propertyNames")


def normalize(path: Path, document: Any) -> tuple[Any, list[Diagnostic]]:
    """Replace boolean schemas (`true`/`false`, valid in 3.1) by their object spelling."""
    diagnostics: list[Diagnostic] = []

    def schema(node: Any, parts: list[str]) -> Any:
        if node is True:
            return {}
        if node is False:
            diagnostics.append(Diagnostic(Severity.WARNING, "a `false` schema accepts nothing; typed as Any",
                                          pointer_join(*parts), str(path)))
            return {"not": {}}
        if not isinstance(node, dict):
            return node
        out = dict(node)
        for key in _SCHEMA_MAPS:
            if isinstance(out.get(key), dict):
                out[key] = {k: schema(v, [*parts, key, k]) for k, v in out[key].items()}
        for key in _SCHEMA_LISTS:
            if isinstance(out.get(key), list):
                out[key] = [schema(v, [*parts, key, str(i)]) for i, v in enumerate(out[key])]
        for key in _SCHEMA_KEYS:
            if key in out:
                out[key] = schema(out[key], [*parts, key])
        return out

    def walk(node: Any, parts: list[str]) -> Any:
        if isinstance(node, list):
            return [walk(v, [*parts, str(i)]) if isinstance(v, dict | list) else v
                    for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "schema":
                out[key] = schema(value, [*parts, str(key)])
            elif key == "schemas" and parts == ["components"] and isinstance(value, dict):
                out[key] = {k: schema(v, [*parts, key, k]) for k, v in value.items()}
            elif isinstance(value, dict | list):
                out[key] = walk(value, [*parts, str(key)])
            else:  # a scalar: nothing to repair
                out[key] = value
        return out

    return walk(document, []), diagnostics
