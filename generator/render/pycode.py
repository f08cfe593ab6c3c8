"""How IR values are spelled in Python: annotations, defaults, `Field`/`ConfigDict` arguments
and import lists. Logic only; templates decide the layout."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from generator import ir
from generator.render import escape


def annotation(type_: ir.TypeRef, models: str = "", missing: bool = False) -> str:
    """The Python annotation for a type; `models` prefixes model names (e.g. `models.`).

    `missing` adds `MISSING` (an optional value with no default), before a trailing `None`.
    """
    if missing:
        options = type_.args if type_.kind == "union" else (type_,)
        head = [annotation(o, models) for o in options if o != ir.NONE]
        return " | ".join([*head, "MISSING", *(["None"] if type_.nullable else [])])
    kind = type_.kind
    if kind in ("builtin", "import"):
        return type_.name
    if kind == "any":
        return "Any"
    if kind == "model":
        return models + type_.name
    if kind == "object":
        return models + "JsonObject"
    if kind == "binary":
        return models + "Binary"
    if kind == "list":
        return f"list[{annotation(type_.args[0], models)}]"
    if kind == "dict":
        return f"dict[str, {annotation(type_.args[0], models)}]"
    if kind == "union":
        return " | ".join(annotation(a, models) for a in type_.args)
    if kind == "literal":
        return f"Literal[{', '.join(escape.pyliteral(v) for v in type_.values)}]"
    args = ", ".join(f"{k}={escape.pyliteral(v)}" for k, v in type_.constraints)
    return f"Annotated[{annotation(type_.args[0], models)}, Field({args})]"


def without_constraints(t: ir.TypeRef) -> ir.TypeRef:
    """The type with every `Annotated[..., Field(...)]` reduced to its base type."""
    if t.kind == "annotated":
        return without_constraints(t.args[0])
    return dataclasses.replace(t, args=tuple(without_constraints(a) for a in t.args))


def all_of(t: ir.TypeRef) -> Iterable[ir.TypeRef]:
    """A type and every type inside it."""
    yield t
    for a in t.args:
        yield from all_of(a)


def model_types(api: ir.Api) -> Iterable[ir.TypeRef]:
    for model in api.models:
        if isinstance(model, ir.ObjectModel):
            for f in model.fields:
                yield from all_of(f.type)
            if model.extra_type:
                yield from all_of(model.extra_type)
        elif isinstance(model, ir.AliasModel):
            yield from all_of(model.type)


def uses(types: Iterable[ir.TypeRef]) -> dict[str, bool]:
    """Which imports a module needs for the given types."""
    kinds = set()
    modules = set()
    for t in types:
        kinds.add(t.kind)
        if t.kind == "import":
            modules.add(t.name.rpartition(".")[0])
    return {
        "any": "any" in kinds,
        "literal": "literal" in kinds,
        "annotated": "annotated" in kinds,
        "datetime": "datetime" in modules,
        "uuid": "uuid" in modules,
        **{f"import:{module}": True for module in modules},
    }


def imported_modules(used: dict[str, bool]) -> list[str]:
    """The modules to `import` for the types `uses` saw (datetime, uuid, mapped types)."""
    return sorted(key.removeprefix("import:") for key in used if key.startswith("import:"))


def model_config(model: ir.ObjectModel) -> list[str]:
    """The `ConfigDict(...)` arguments a model needs."""
    config = []
    if model.extra != "ignore":
        config.append(f"extra={escape.pystr(model.extra)}")
    if model.title:
        config.append(f"title={escape.pystr(model.title)}")
    if model.aliased:
        config.append("validate_by_name=True")
    patterns = [k for f in model.fields for k, _ in f.constraints] + [
        k for f in model.fields for t in all_of(f.type) for k, _ in t.constraints
    ]
    if "pattern" in patterns:  # spec regexes are ECMA-like: closer to Python's re than Rust's
        config.append('regex_engine="python-re"')
    return config


def model_imports(api: ir.Api) -> dict[str, list[str]]:
    """The names models.py imports, by module: exactly those it uses."""
    found = uses(model_types(api))
    objects = [m for m in api.models if isinstance(m, ir.ObjectModel)]
    fields = [f for m in objects for f in m.fields]
    typing = ["Annotated", "Any", "TypeAlias"]
    if found["literal"]:
        typing.insert(2, "Literal")
    pydantic = ["BeforeValidator", "WithJsonSchema"]
    if any(not f.required and f.default is None for f in fields):
        pydantic.append("MISSING")
    if any(not m.bases for m in objects):
        pydantic.append("BaseModel")
    if any(model_config(m) for m in objects):
        pydantic.append("ConfigDict")
    if found["annotated"] or any(field_arguments(f) for f in fields) or any(m.extra_type for m in objects):
        pydantic.append("Field")
    modules = imported_modules(found)
    if any(isinstance(m, ir.EnumModel) for m in api.models):
        modules.append("enum")
    return {"modules": sorted(modules), "typing": typing, "pydantic": isort(pydantic)}


def _kind(name: str) -> int:
    return 0 if name.isupper() else 1 if name[0].isupper() else 2


def isort(names: Iterable[str]) -> list[str]:
    """Order imported names as ruff's isort does: CONSTANTS, Classes, then the rest."""
    return sorted(names, key=lambda n: (_kind(n), n.lower(), n))


def sort_all(names: Iterable[str]) -> list[str]:
    """Order `__all__` as ruff's RUF022 does: like `isort`, case-sensitive, numbers by value."""

    def natural(name: str) -> list[str | int]:
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]

    return sorted(names, key=lambda n: (_kind(n), natural(n)))


def field_arguments(field: ir.Field) -> list[str]:
    """The keyword arguments of a model field's `Field(...)`, beyond its default."""
    args = []
    if field.name != field.wire_name:
        alias = escape.pystr(field.wire_name)
        args += [f"validation_alias={alias}", f"serialization_alias={alias}"]
    if field.title is not None:
        args.append(f"title={escape.pystr(field.title)}")
    if field.description is not None:
        args.append(f"description={escape.pystr(field.description)}")
    args += [f"{k}={escape.pyliteral(v)}" for k, v in field.constraints]
    if field.deprecated:
        args.append("deprecated=True")
    return args


def default_literal(field: ir.Field | ir.Parameter, models: str = "") -> str:
    """The Python default: the spec's default, `MISSING` when optional without one, else ""."""
    if field.default is not None:
        default = field.default
        if default.enum_member:
            return models + default.enum_member
        literal = escape.pyliteral(default.value)
        return f"{default.call}({literal})" if default.call else literal
    return "" if field.required else "MISSING"
