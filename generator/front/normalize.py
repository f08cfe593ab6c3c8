"""Lenient repairs before parsing: real-world and 3.1-only shapes openapi-pydantic rejects.

Each repair that changes meaning is reported as a warning naming its JSON pointer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity, pointer_join

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_KEYS = ("items", "not", "contains", "if", "then", "else", "propertyNames")


def normalize(path: Path, document: Any) -> tuple[Any, list[Diagnostic]]:
    """Replace boolean schemas (`true`/`false`, valid in 3.1) by their object spelling.

    Copy on write: what needs no repair is returned as it is (shared with `document`).
    """
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
        out = node
        for key in (*_SCHEMA_MAPS, *_SCHEMA_LISTS, *_SCHEMA_KEYS):
            if key not in node:
                continue
            value = node[key]
            if key in _SCHEMA_KEYS:
                new = schema(value, [*parts, key])
            elif (isinstance(value, dict) and key in _SCHEMA_MAPS) or (
                isinstance(value, list) and key in _SCHEMA_LISTS
            ):
                new = _rebuild(value, _member(schema, [*parts, key]))
            else:
                continue
            if new is not value:
                out = dict(node) if out is node else out
                out[key] = new
        return out

    def walk(node: Any, parts: list[str]) -> Any:
        if isinstance(node, list):
            return _rebuild(node, lambda i, v: walk(v, [*parts, str(i)]) if isinstance(v, dict | list) else v)
        if not isinstance(node, dict):
            return node

        def child(key: Any, value: Any) -> Any:
            if key == "schema":
                return schema(value, [*parts, str(key)])
            if key == "schemas" and parts == ["components"] and isinstance(value, dict):
                return _rebuild(value, lambda k, v: schema(v, [*parts, key, k]))
            if isinstance(value, dict | list):
                return walk(value, [*parts, str(key)])
            return value  # a scalar: nothing to repair

        return _rebuild(node, child)

    return walk(document, []), diagnostics


def _member(schema: Callable[[Any, list[str]], Any], parts: list[str]) -> Callable[[Any, Any], Any]:
    """`schema` applied to a member (map value or list item) of the node at `parts`."""
    return lambda key, value: schema(value, [*parts, str(key)])


def _rebuild(container: Any, change: Callable[[Any, Any], Any]) -> Any:
    """`container` with each item replaced by `change(key, item)`; itself if none changed."""
    changed: Any = None
    items = enumerate(container) if isinstance(container, list) else container.items()
    for key, value in items:
        new = change(key, value)
        if new is not value:
            if changed is None:
                changed = list(container) if isinstance(container, list) else dict(container)
            changed[key] = new
    return container if changed is None else changed
