"""How the generated server reads each parameter: its shape (scalar, array, object, JSON)
and, for an object spread over several query keys or cookies (or a deepObject), which keys
make it (`_runtime.Keys`). Logic only; `server_ops` writes it into `_runtime.Param(...)`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator import ir
from generator.render.escape import pystr


class _Models:
    """The API's models by name (one lookup table per API, rebuilt when the API changes)."""

    def __init__(self) -> None:
        self.api: ir.Api | None = None
        self.by_name: dict[str, ir.Model] = {}

    def of(self, api: ir.Api) -> dict[str, ir.Model]:
        if self.api is not api:
            self.api, self.by_name = api, {m.name: m for m in api.models}
        return self.by_name


_MODELS_OF = _Models()


def core_type(api: ir.Api, t: ir.TypeRef) -> ir.TypeRef:
    """The type without constraints, `None` and aliases: what decides how a value travels."""
    seen: set[str] = set()
    while True:
        if t.kind == "annotated":
            t = t.args[0]
        elif t.kind == "union" and len([a for a in t.args if a != ir.NONE]) == 1:
            t = next(a for a in t.args if a != ir.NONE)
        elif t.kind == "model" and t.name not in seen:
            seen.add(t.name)
            model = _MODELS_OF.of(api).get(t.name)
            if not isinstance(model, ir.AliasModel):
                return t
            t = model.type
        else:
            return t


def shape(api: ir.Api, p: ir.Parameter) -> str:
    """How a parameter's text is split: scalar, array, object, or json (`content`)."""
    if p.media_type is not None:
        return "json" if ir.media_kind(p.media_type) == "json" else "scalar"
    core = core_type(api, p.type)
    options = core.args if core.kind == "union" else (core,)
    kinds = {core_type(api, o).kind for o in options}
    if "list" in kinds:
        return "array"
    if kinds & {"dict", "object"}:
        return "object"
    if "model" in kinds:
        models = _MODELS_OF.of(api)
        named = [models.get(core_type(api, o).name) for o in options if core_type(api, o).kind == "model"]
        if any(isinstance(m, ir.ObjectModel) for m in named):
            return "object"
    return "scalar"


def object_fields(api: ir.Api, name: str) -> list[ir.Field]:
    """A model's fields, inherited ones (from `allOf` bases) first."""
    model = _MODELS_OF.of(api).get(name)
    if not isinstance(model, ir.ObjectModel):
        return []
    inherited = [f for base in model.bases for f in object_fields(api, base)]
    return inherited + list(model.fields)


_EXTRAS = ("", "value", "list")  # what an object takes of undeclared keys, least first


@dataclass(frozen=True)
class ObjectKeys:
    """The keys an object parameter's value is made of (see `_runtime.Keys`)."""

    declared: tuple[str, ...]  # property wire names
    arrays: tuple[str, ...]  # those that are arrays
    extra: str  # undeclared keys: "" not taken, "value" one value each, "list" repeated


def object_keys(api: ir.Api, t: ir.TypeRef) -> ObjectKeys:
    """The declared properties of an object type (every member of a union), its array
    properties, and whether (and how) it takes additional properties."""
    declared: dict[str, bool] = {}
    extra = ""
    for option in _options(api, t):
        found = ""
        if option.kind == "model":
            model = _MODELS_OF.of(api).get(option.name)
            if not isinstance(model, ir.ObjectModel):
                continue
            for f in object_fields(api, option.name):
                declared[f.wire_name] = declared.get(f.wire_name, False) or _is_list(api, f.type)
            found = _model_extra(api, model)
        elif option.kind == "dict":
            found = "list" if _is_list(api, option.args[0]) else "value"
        elif option.kind in ("object", "any"):
            found = "value"
        extra = max(extra, found, key=_EXTRAS.index)
    arrays = tuple(name for name, many in declared.items() if many)
    return ObjectKeys(tuple(declared), arrays, extra)


def _options(api: ir.Api, t: ir.TypeRef, seen: frozenset[ir.TypeRef] = frozenset()) -> list[ir.TypeRef]:
    """The members of a type's (nested) unions, aliases resolved; a union met again is left."""
    core = core_type(api, t)
    if core.kind != "union":
        return [core]
    if core in seen:
        return []
    inner = seen | {core}
    return [leaf for arg in core.args if arg != ir.NONE for leaf in _options(api, arg, inner)]


def _is_list(api: ir.Api, t: ir.TypeRef) -> bool:
    return any(o.kind == "list" for o in _options(api, t))


def _model_extra(api: ir.Api, model: ir.ObjectModel, depth: int = 0) -> str:
    """What the model takes of undeclared keys (its own setting, else a base's)."""
    if model.extra == "allow":
        return "list" if model.extra_type is not None and _is_list(api, model.extra_type) else "value"
    for base in model.bases:
        parent = _MODELS_OF.of(api).get(base)
        found = _model_extra(api, parent, depth + 1) if isinstance(parent, ir.ObjectModel) and depth < 50 else ""
        if found:
            return found
    return ""


def keys_spec(api: ir.Api, p: ir.Parameter) -> str | None:
    """`_runtime.Keys(...)` for an object parameter spread over query keys or cookies (or
    a deepObject with array properties); None where the defaults say it all."""
    if shape(api, p) != "object" or p.location not in ("query", "cookie"):
        return None
    keys = object_keys(api, p.type)
    deep = p.location == "query" and p.style == "deepObject"
    if not (p.explode or deep) or (deep and not keys.arrays and keys.extra != "list"):
        return None
    args = [names_literal(keys.declared)] if keys.declared else []
    if keys.arrays:
        args.append(f"arrays={names_literal(keys.arrays)}")
    if keys.extra != "value":
        args.append(f"extra={pystr(keys.extra)}")
    reserved = [s.parameter for s in api.security_schemes
                if s.kind == "api_key" and s.location == p.location]
    if reserved and not deep:
        args.append(f"reserved={names_literal(dict.fromkeys(reserved))}")
    return f"_runtime.Keys({', '.join(args)})"


def names_literal(names: Iterable[str]) -> str:
    """A tuple of strings, spelled as black prints it."""
    return tuple_literal(pystr(n) for n in names)


def tuple_literal(items: Iterable[str]) -> str:
    items = list(items)
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
