"""The generated API surface as plain JSON data: operations, their parameters, bodies,
responses and security, and the models with their fields and types.

`apismith diff` compares two surfaces; `generate` writes the surface beside the code
(`.apismith-surface.json`) so the next run can say how the API changed.
"""

from __future__ import annotations

import json
from typing import Any

from generator import ir

FILE = ".apismith-surface.json"
VERSION = 1


def type_data(t: ir.TypeRef) -> dict[str, Any]:
    """A type as a small JSON tree (empty members left out)."""
    data: dict[str, Any] = {"k": t.kind}
    if t.name:
        data["n"] = t.name
    if t.args:
        data["a"] = [type_data(a) for a in t.args]
    if t.values:
        data["v"] = list(t.values)
    if t.constraints:
        data["c"] = {k: v for k, v in t.constraints}
    return data


def _field(f: ir.Field) -> dict[str, Any]:
    data = type_data(f.type)
    if f.constraints:  # as an `annotated` type of the field's type
        data = {"k": "annotated", "a": [data], "c": dict(f.constraints)}
    return {"name": f.name, "type": data, "required": f.required}


def _model(m: ir.Model) -> dict[str, Any]:
    if isinstance(m, ir.ObjectModel):
        out: dict[str, Any] = {
            "kind": "object",
            "fields": {f.wire_name: _field(f) for f in m.fields},
        }
        if m.bases:
            out["bases"] = list(m.bases)
        if m.extra_type is not None:
            out["extra"] = type_data(m.extra_type)
        return out
    if isinstance(m, ir.EnumModel):
        return {"kind": "enum", "values": [member.value for member in m.members]}
    return {"kind": "alias", "type": type_data(m.type)}


def _operation(api: ir.Api, op: ir.Operation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": op.name,
        "id": op.operation_id,
        "security": sorted(sorted(alt) for alt in api.security_for(op)),
        "parameters": {
            f"{p.location} {p.wire_name}": {
                "name": p.name,
                "type": type_data(p.type),
                "required": p.required,
            }
            for p in op.parameters
        },
        "responses": {
            r.status: {
                "media_type": r.media_type,
                "type": None if r.type is None else type_data(r.type),
            }
            for r in op.responses
        },
    }
    if op.body is not None:
        out["body"] = {
            "media_type": op.body.media_type,
            "type": type_data(op.body.type),
            "required": op.body.required,
        }
    return out


def of(api: ir.Api) -> dict[str, Any]:
    """The surface of an API."""
    return {
        "apismith_surface": VERSION,
        "title": api.title,
        "version": api.version,
        "operations": {
            f"{op.method.upper()} {op.path}": _operation(api, op) for op in api.operations
        },
        "models": {m.name: _model(m) for m in api.models},
    }


def dumps(data: dict[str, Any]) -> str:
    """Stable, compact text: one operation or model per line, keys sorted."""
    lines = [f'{{"apismith_surface": {VERSION},']
    for key in ("title", "version"):
        lines.append(f"{json.dumps(key)}: {json.dumps(data[key], ensure_ascii=True)},")
    for section in ("operations", "models"):
        items = sorted(data[section].items())
        lines.append(f'"{section}": {{')
        for i, (name, value) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
            lines.append(f"{json.dumps(name, ensure_ascii=True)}: {text}{comma}")
        lines.append("}," if section == "operations" else "}")
    return "\n".join(lines) + "\n}\n"


def files(api: ir.Api, package: str) -> dict[str, str]:
    """The surface file of a generated package (a `pipeline.Extra`)."""
    return {f"{package}/{FILE}": dumps(of(api))}


def loads(text: str) -> dict[str, Any] | None:
    """A surface written by `dumps`, or None if the text is not one this version reads."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("apismith_surface") != VERSION:
        return None
    return data
