"""JSON values as JSON Schema sees them: equality (`1 == 1.0`, `true != 1`), which values can be
a `Literal`, and whether a default fits its field's type."""

from __future__ import annotations

import contextlib
import datetime
import math
import uuid
from collections.abc import Callable
from typing import Any

from generator import ir


def json_key(value: Any) -> Any:
    """A hashable key equal for JSON-equal values only (`True` and `1` differ; `1` and `1.0` not)."""
    if value is None or isinstance(value, bool):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", "nan") if isinstance(value, float) and math.isnan(value) else ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(json_key(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((str(k), json_key(v)) for k, v in value.items()))
    return ("other", repr(value))


def literal_ready(value: Any) -> bool:
    """Can the value be spelled inside `Literal[...]` (mypy accepts no floats, lists or dicts)?"""
    return value is None or isinstance(value, bool | int | str)


def fits(value: Any, type_: ir.TypeRef, models: dict[str, ir.Model]) -> bool:
    """Does a JSON value fit a type well enough to be its Python default (and type-check)?"""
    kind = type_.kind
    if kind in ("any",):
        return True
    if kind == "builtin":
        checks: dict[str, Callable[[Any], bool]] = {
            "str": lambda v: isinstance(v, str),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
            "None": lambda v: v is None,
        }
        return type_.name in checks and checks[type_.name](value)
    if kind == "literal":
        return any(json_key(value) == json_key(v) and type(value) is type(v) for v in type_.values)
    if kind == "union":
        return any(fits(value, a, models) for a in type_.args)
    if kind == "annotated":
        return fits(value, type_.args[0], models)
    if kind == "list":
        return isinstance(value, list) and all(fits(v, type_.args[0], models) for v in value)
    if kind == "dict":
        return isinstance(value, dict) and all(fits(v, type_.args[0], models) for v in value.values())
    if kind == "object":
        return isinstance(value, dict)
    if kind == "model":
        model = models.get(type_.name)
        return isinstance(model, ir.AliasModel) and fits(value, model.type, models)
    return False


#: How a default given as a string becomes a value of an imported type.
_CONSTRUCTORS: dict[str, Callable[[str], object]] = {
    "uuid.UUID": uuid.UUID,
    "datetime.datetime": datetime.datetime.fromisoformat,
    "datetime.date": datetime.date.fromisoformat,
    "datetime.time": datetime.time.fromisoformat,
}


def constructor(value: Any, type_: ir.TypeRef) -> str:
    """The call that builds `value` (a string) as the imported type it belongs to, if any."""
    if not isinstance(value, str):
        return ""
    for option in type_.args if type_.kind == "union" else (type_,):
        make = _CONSTRUCTORS.get(option.name) if option.kind == "import" else None
        if make is None:
            continue
        try:
            make(value)
        except ValueError:
            continue
        return option.name if option.name == "uuid.UUID" else f"{option.name}.fromisoformat"
    return ""


def repairs(value: Any) -> list[Any]:
    """Likely intended values for common slips, such as `'false'` for a boolean."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        out: list[Any] = []
        if lowered in ("true", "false"):
            out.append(lowered == "true")
        for convert in (int, float):
            with contextlib.suppress(ValueError):
                out.append(convert(value))
        return out
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value), float(value)]
    return []


def as_json(value: Any) -> Any:
    """A value read from YAML as the JSON it stands for (dates and times as ISO text);
    ValueError when it is none (e.g. a non-finite float in a list is kept: YAML allows it)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    raise ValueError(f"not a JSON value: {type(value).__name__}")
