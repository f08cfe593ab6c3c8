"""How IR values are spelled in Python: annotations, defaults, `Field`/`ConfigDict` arguments
and import lists. Logic only; templates decide the layout."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from collections.abc import Iterable
from typing import Any

from generator import ir
from generator.render import escape


def annotation(type_: ir.TypeRef, models: str = "", missing: bool = False) -> str:
    """The Python annotation for a type; `models` prefixes model names (e.g. `models.`).

    `missing` adds `MISSING` (an optional value with no default), before a trailing `None`.
    """
    if missing:
        options = type_.args if type_.kind == "union" and not type_.discriminator else (type_,)
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
        if type_.discriminator is not None:
            return _tagged_union(type_, type_.discriminator, models)
        return " | ".join(annotation(a, models) for a in type_.args)
    if kind == "literal":
        return f"Literal[{', '.join(escape.pyliteral(v) for v in type_.values)}]"
    metadata = []
    if type_.constraints:
        metadata.append(f"Field({', '.join(f'{k}={escape.pyliteral(v)}' for k, v in type_.constraints)})")
    if type_.checks:
        metadata.append(keywords_call(type_.checks, models))
    return f"Annotated[{annotation(type_.args[0], models)}, {', '.join(metadata)}]"


def _tagged_union(type_: ir.TypeRef, disc: ir.Discriminator, models: str) -> str:
    if disc.field:  # every member types its tag as a Literal: pydantic's own discriminator
        members = " | ".join(annotation(a, models) for a in type_.args)
        return f"Annotated[{members}, {models}_Discriminator({escape.pystr(disc.field)})]"
    tagged = [
        f"Annotated[{annotation(a, models)}, {models}_Tag({escape.pystr(tag)})]"
        for a, tags in zip(type_.args, disc.tags, strict=True)
        for tag in tags
    ]
    reader = f"{models}_tag({escape.pystr(disc.property)})"
    return f"Annotated[{' | '.join(tagged)}, {models}_Discriminator({reader})]"


def _lazy(type_: ir.TypeRef, models: str) -> str:
    return "None" if type_ == ir.ANY else f"lambda: {annotation(type_, models)}"


def check_call(check: ir.Check, models: str = "") -> str:
    """The helper call that enforces one keyword (see the helpers in models.py)."""
    p = models
    lazy = [_lazy(t, models) for t in check.types]
    if check.kind in ("not", "property_names"):
        return f"{p}_{check.kind}({lazy[0]})"
    if check.kind == "if":
        return f"{p}_if({', '.join(lazy)})"
    if check.kind == "contains":
        low, high = check.value
        return f"{p}_contains({lazy[0]}, {escape.pyliteral(low)}, {escape.pyliteral(high)})"
    if check.kind == "pattern_properties":
        items = ", ".join(f"{escape.pystr(k)}: {t}" for k, t in zip(check.keys, lazy, strict=True))
        return f"{p}_pattern_properties({{{items}}})"
    if check.kind == "additional":
        return f"{p}_additional({escape.pyliteral(list(check.keys))}, {escape.pyliteral(check.value)})"
    if check.kind in ("one_of", "any_of", "all_of"):
        return f"{p}_{check.kind}([{', '.join(lazy)}])"
    if check.kind == "unique":
        return f"{p}_unique()"
    return f"{p}_{check.kind}({escape.pyliteral(check.value)})"


def keywords_call(checks: Iterable[ir.Check], models: str = "") -> str:
    """A validator for `Annotated[...]` that checks these keywords on the wire value."""
    return f"{models}_keywords({', '.join(check_call(c, models) for c in checks)})"


def check_calls(model: ir.ObjectModel) -> str:
    """The checks of a model's own keywords, as arguments of `_check(data, ...)`."""
    return ", ".join(check_call(c) for c in model.checks)


def without_constraints(t: ir.TypeRef) -> ir.TypeRef:
    """The type with every `Annotated[..., Field(...)]` reduced to its base type."""
    if t.kind == "annotated":
        return without_constraints(t.args[0])
    return dataclasses.replace(t, args=tuple(without_constraints(a) for a in t.args))


def plain(t: ir.TypeRef) -> ir.TypeRef:
    """The type without validation metadata (constraints, keyword checks, discriminator
    tags): what a type checker needs, and all that `cast()` accepts."""
    if t.kind == "annotated":
        return plain(t.args[0])
    return dataclasses.replace(
        t, args=tuple(plain(a) for a in t.args), checks=(), discriminator=None
    )


def all_of(t: ir.TypeRef) -> Iterable[ir.TypeRef]:
    """A type and every type inside it (also inside its keyword checks)."""
    yield t
    for a in t.args:
        yield from all_of(a)
    for check in t.checks:
        for a in check.types:
            yield from all_of(a)


def model_types(api: ir.Api) -> Iterable[ir.TypeRef]:
    for model in api.models:
        yield from types_of(model)


def types_of(model: ir.Model) -> Iterable[ir.TypeRef]:
    """Every type in one model's code."""
    if isinstance(model, ir.ObjectModel):
        for f in model.fields:
            yield from all_of(f.type)
        if model.extra_type:
            yield from all_of(model.extra_type)
        for check in model.checks:
            for t in check.types:
                yield from all_of(t)
    elif isinstance(model, ir.AliasModel):
        yield from all_of(model.type)


def uses(types: Iterable[ir.TypeRef]) -> dict[str, bool]:
    """Which imports a module needs for the given types."""
    kinds: set[str] = set()
    modules = set()
    for t in types:
        kinds.add(t.kind)
        if t.constraints:
            kinds.add("field")
        if t.discriminator is not None:
            kinds.add("tagged")
        if t.kind == "import":
            modules.add(t.name.rpartition(".")[0])
    return {
        "any": "any" in kinds,
        "literal": "literal" in kinds,
        "annotated": "annotated" in kinds or "tagged" in kinds,
        "field": "field" in kinds,
        "datetime": "datetime" in modules,
        "uuid": "uuid" in modules,
        **{f"import:{module}": True for module in modules},
    }


def exact_docstring(text: str) -> bool:
    """Does a docstring keep `text` exactly as pydantic reads it (`inspect.cleandoc(__doc__)`)?"""
    source = '"""' + escape.docstring(text, "    ", True, True) + '"""'
    return bool(text.strip()) and inspect.cleandoc(ast.literal_eval(source)) == text


def exact_description(model: ir.Model) -> str:
    """The description as a string literal when its docstring would not keep it exactly
    (pydantic reads `inspect.cleandoc(__doc__)`), else "": the schema must keep it byte for byte."""
    if model.description and not exact_docstring(model.description):
        return escape.pystr(model.description)
    return ""


def imported_modules(used: dict[str, bool]) -> list[str]:
    """The modules to `import` for the types `uses` saw (datetime, uuid, mapped types)."""
    return sorted(key.removeprefix("import:") for key in used if key.startswith("import:"))


def _schema_extra(model: ir.ObjectModel) -> list[str]:
    """The `json_schema_extra` entries a model needs: what its docstring cannot keep exactly."""
    extra = []
    if model.description and not exact_docstring(model.description):
        # The docstring is for readers; the schema keeps the description byte for byte.
        extra.append(f"{escape.pystr('description')}: {escape.pystr(model.description)}")
    if model.examples is not None:
        extra.append(f"{escape.pystr('examples')}: {escape.pyliteral(list(model.examples))}")
    return extra


_last_api: list[tuple[ir.Api, dict[str, ir.Model]]] = []


def _inherits_extra(model: ir.ObjectModel, api: ir.Api) -> bool:
    """Does a base (or its base) set `json_schema_extra`, which a subclass's config inherits?"""
    if not _last_api or _last_api[0][0] is not api:
        _last_api[:] = [(api, {m.name: m for m in api.models})]
    by_name = _last_api[0][1]
    seen: set[str] = set()
    todo = list(model.bases)
    while todo:
        base = by_name.get(todo.pop())
        if isinstance(base, ir.ObjectModel) and base.name not in seen:
            seen.add(base.name)
            if _schema_extra(base):
                return True
            todo += base.bases
    return False


def model_config(model: ir.ObjectModel, api: ir.Api | None = None) -> list[str]:
    """The `ConfigDict(...)` arguments a model needs (with `api`, it looks at its bases too)."""
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
    extra = _schema_extra(model)
    if extra or (model.bases and api is not None and _inherits_extra(model, api)):
        config.append(f"json_schema_extra={{{', '.join(extra)}}}")  # `{}`: not the base's
    return config


def api_types(api: ir.Api) -> Iterable[ir.TypeRef]:
    """Every type the generated package mentions: models, parameters, bodies, responses."""
    yield from model_types(api)
    for op in api.operations:
        for param in op.parameters:
            yield from all_of(param.type)
        if op.body is not None:
            yield from all_of(op.body.type)
            for f in op.body.fields:
                yield from all_of(f.type)
        for response in op.responses:
            if response.type is not None:
                yield from all_of(response.type)


def models_context(api: ir.Api) -> dict[str, Any]:
    """What models.py.j2 needs beside the API: its imports, the helpers it defines and the
    `_BUILD_FIRST` entries, each reading the models once."""
    deep = deep_builds(api) if any(isinstance(m, ir.ObjectModel) for m in api.models) else {}
    used = helpers(api, deep)
    return {"imports": model_imports(api, used), "helpers": used, "build_first": build_first(deep)}


def helpers(api: ir.Api, deep: dict[str, tuple[str, ...]]) -> set[str]:
    """The helpers models.py defines: only those the package uses (`deep`: `deep_builds`)."""
    out: set[str] = set()
    for t in api_types(api):
        if t.kind in ("object", "binary"):
            out.add(t.kind)
        if t.discriminator is not None:
            out |= {"tagged", "json"}  # `_tag`, emitted with every tagged union, reads `_json`
        if t.checks:
            out |= {"keywords", "json", *(c.kind for c in t.checks)}
    for model in api.models:
        if isinstance(model, ir.ObjectModel) and model.checks:
            out |= {"keywords", "json", *(c.kind for c in model.checks)}

        if isinstance(model, ir.EnumModel) and model.open:
            out.add("open_enum")
        if isinstance(model, ir.EnumModel) and exact_description(model):
            out.add("described")
    if any(isinstance(m, ir.ObjectModel) for m in api.models):
        out.add("base")
        if deep:
            out.add("deep")
    return out


def model_imports(api: ir.Api, used: set[str]) -> dict[str, list[str]]:
    """The names models.py imports, by module: exactly those it uses (`used`: `helpers`)."""
    found = uses(model_types(api))
    objects = [m for m in api.models if isinstance(m, ir.ObjectModel)]
    fields = [f for m in objects for f in m.fields]
    typing = []
    if found["any"] or {"object", "json", "open_enum", "described", "deep"} & used or any(m.checks for m in objects):
        typing.append("Any")
    if any(isinstance(m, ir.AliasModel) for m in api.models) or {"object", "binary"} & used:
        typing.append("TypeAlias")
    if found["annotated"] or {"object", "binary"} & used:
        typing.append("Annotated")
    if found["literal"]:
        typing.append("Literal")
    pydantic = []
    if "object" in used:
        pydantic.append("WithJsonSchema")
    if "binary" in used:
        pydantic.append("BeforeValidator")
    if "base" in used or "json" in used:
        pydantic.append("BaseModel")
    if "base" in used:
        pydantic.append("ConfigDict")
    if found["field"] or any(field_arguments(f) for f in fields) or any(m.extra_type for m in objects):
        pydantic.append("Field")
    if any(m.checks for m in objects):
        pydantic.append("model_validator")
    modules = imported_modules(found)
    if any(isinstance(m, ir.EnumModel) for m in api.models):
        modules.append("enum")
    third_party = ["pydantic"] * bool({"keywords", "tagged"} & used) + ["pydantic_core"] * ("json" in used)
    if {"pattern_properties", "additional"} & used:
        modules.append("re")
    collections = ["Callable"] if {"keywords", "tagged"} & used else []
    missing = any(not f.required and f.default is None for f in fields)
    return {
        "modules": sorted(modules),
        "third_party": third_party,
        "collections": collections,
        "typing": isort(typing),
        "pydantic": isort(pydantic),
        "pydantic_core": ["MISSING"] * missing,
    }


def reexport(name: str) -> str:
    """`name as name`: an import a package re-exports without listing it in `__all__`."""
    return f"{name} as {name}"


def _kind(name: str) -> int:
    return 0 if name.isupper() else 1 if name[0].isupper() else 2


def _natural(name: str) -> list[str | int]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def isort(names: Iterable[str]) -> list[str]:
    """Order imported names as ruff's isort does: CONSTANTS, Classes, then the rest;
    case-insensitive, numbers by value."""
    return sorted(names, key=lambda n: (_kind(n), _natural(n.lower()), _natural(n)))


def sort_all(names: Iterable[str]) -> list[str]:
    """Order `__all__` as ruff's RUF022 does: like `isort`, case-sensitive, numbers by value."""
    return sorted(names, key=lambda n: (_kind(n), _natural(n)))


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
    if field.examples is not None:
        args.append(f"examples={escape.pyliteral(list(field.examples))}")
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


#: A model this many references above the bottom of a chain builds the chain below first
#: (pydantic builds a model's whole reference tree in one recursion, ~10 frames a level).
DEEP_BUILD = 20


def _model_refs(t: ir.TypeRef, aliases: dict[str, ir.AliasModel], seen: set[str]) -> Iterable[str]:
    """The classes a type mentions, through aliases (which are no classes)."""
    todo = [t]
    while todo:
        t = todo.pop()
        if t.kind == "model":
            alias = aliases.get(t.name)
            if alias is None:
                yield t.name
            elif t.name not in seen:
                seen.add(t.name)
                todo.append(alias.type)
        todo += t.args


def deep_builds(api: ir.Api) -> dict[str, tuple[str, ...]]:
    """For models high above the bottom of a reference chain: the models below them that are
    themselves that high. The generated `_Model` builds those first, bottom-up and without
    recursion, so no build nests deeper than `DEEP_BUILD` levels (Python's default recursion
    limit holds for chains of any length)."""
    aliases = {m.name: m for m in api.models if isinstance(m, ir.AliasModel)}
    objects = {m.name: m for m in api.models if isinstance(m, ir.ObjectModel)}
    children: dict[str, list[str]] = {}
    for name, model in objects.items():
        types = [f.type for f in model.fields] + ([model.extra_type] if model.extra_type else [])
        found = {ref for t in types for ref in _model_refs(t, aliases, set())}
        children[name] = sorted(found & objects.keys() | set(model.bases) & objects.keys())
    height: dict[str, int] = {}
    for root in objects:  # longest chain below each model (iterative; a cycle counts once)
        if root in height:
            continue
        stack = [(root, iter(children[root]))]
        on_stack = {root}
        while stack:
            node, below = stack[-1]
            child = next(below, None)
            if child is None:
                stack.pop()
                on_stack.discard(node)
                height[node] = 1 + max((height.get(c, 0) for c in children[node] if c not in on_stack), default=-1)
            elif child not in height and child not in on_stack:
                on_stack.add(child)
                stack.append((child, iter(children[child])))
    table = {}
    for name in objects:
        if height[name] >= DEEP_BUILD:
            high = tuple(c for c in children[name] if height[c] >= DEEP_BUILD)
            if high:
                table[name] = high
    return table


def build_first(deep: dict[str, tuple[str, ...]]) -> list[str]:
    """`deep_builds` as the entries of the generated `_BUILD_FIRST` dict literal."""
    entries = []
    for name, below in deep.items():
        names = ", ".join(escape.pystr(b) for b in below)
        entries.append(f"{escape.pystr(name)}: ({names}{',' if len(below) == 1 else ''})")
    return entries
