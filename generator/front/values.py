"""Small value repairs shared by the document and schema repairs: booleans, strings, duplicates."""

from __future__ import annotations

import datetime
import json
from typing import Any

from generator.front.report import Reporter


def as_bool(node: dict[str, Any], key: str, parts: list[str], report: Reporter) -> None:
    """`"true"`/`"false"` (any case) where a boolean is expected becomes the boolean."""
    value = node.get(key)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        node[key] = value.strip().lower() == "true"
        report.warn(f"{key}: {value!r} is a string; read as {str(node[key]).lower()}", [*parts, key])


def string_fields(node: dict[str, Any], keys: tuple[str, ...], parts: list[str], report: Reporter) -> None:
    """Numbers, booleans and YAML dates where the OpenAPI object model needs a string:
    `version: 1.0` → "1.0", `version: 2024-01-31` → "2024-01-31"."""
    for key in keys:
        value = node.get(key)
        if isinstance(value, int | float | datetime.date):  # bool is an int; YAML reads dates
            if isinstance(value, datetime.date):
                text = value.isoformat()
            else:
                text = json.dumps(value) if isinstance(value, bool) else str(value)
            node[key] = text
            report.warn(f"{key} is a {type(value).__name__}, not a string; read as {text!r}", [*parts, key])


def dedupe(values: list[Any], parts: list[str], report: Reporter) -> list[Any]:
    """The list without repeated values (compared as JSON: `1` and `true` differ), first kept."""
    try:
        if len(set(values)) == len(values):  # the usual case, fast (`1` and `True` fall through)
            return values
    except TypeError:  # unhashable values: compared as JSON below
        pass
    seen: set[str] = set()
    out = []
    repeated = []
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str) + type(value).__name__
        if key in seen:
            repeated.append(value)
            continue
        seen.add(key)
        out.append(value)
    if repeated:
        shown = ", ".join(json.dumps(v, default=str) for v in repeated[:5])
        report.warn(f"repeated values dropped: {shown}", parts)
    return out


def drop_incomplete(node: dict[str, Any], key: str, field: str, parts: list[str], report: Reporter) -> None:
    """Drop `node[key]` (an optional object: externalDocs, license) when it lacks its required
    `field`: it says nothing generated code can use."""
    value = node.get(key)
    if key in node and not (isinstance(value, dict) and isinstance(value.get(field), str)):
        del node[key]
        report.warn(f"`{key}` without `{field}` (required); ignored", [*parts, key])
