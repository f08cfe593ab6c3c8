"""Render the IR through Jinja templates into {relative path: source text}.

Templates decide layout only; every spec-derived value passes through a filter for its
context (`pystr`, `docstring`, `comment`, `ident`, `pyliteral`, `annotation`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

from generator import escape, ir

_PACKAGE_DIR = Path(__file__).resolve().parent
#: Templates ship inside the wheel (generator/templates); a source checkout keeps them at the top.
TEMPLATE_DIRS = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")


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


def all_of(t: ir.TypeRef) -> Iterable[ir.TypeRef]:
    """A type and every type inside it."""
    yield t
    for a in t.args:
        yield from all_of(a)


def _walk_types(api: ir.Api) -> Iterable[ir.TypeRef]:
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
            modules.add(t.name.split(".")[0])
    return {
        "any": "any" in kinds,
        "literal": "literal" in kinds,
        "annotated": "annotated" in kinds,
        "datetime": "datetime" in modules,
        "uuid": "uuid" in modules,
    }


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
    found = uses(_walk_types(api))
    objects = [m for m in api.models if isinstance(m, ir.ObjectModel)]
    fields = [f for m in objects for f in m.fields]
    typing = ["Annotated", "Any", "TypeAlias"]
    if found["literal"]:
        typing.insert(2, "Literal")
    pydantic = ["WithJsonSchema"]
    if any(not f.required and f.default is None for f in fields):
        pydantic.append("MISSING")
    if any(not m.bases for m in objects):
        pydantic.append("BaseModel")
    if any(model_config(m) for m in objects):
        pydantic.append("ConfigDict")
    if found["annotated"] or any(field_arguments(f) for f in fields) or any(m.extra_type for m in objects):
        pydantic.append("Field")
    modules = [name for name in ("datetime", "uuid") if found[name]]
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
        member = field.default.enum_member
        return models + member if member else escape.pyliteral(field.default.value)
    return "" if field.required else "MISSING"


def effective_security(api: ir.Api, op: ir.Operation) -> tuple[tuple[str, ...], ...]:
    return api.security if op.security is None else op.security


@functools.cache
def _environment(user_templates: Path | None) -> jinja2.Environment:
    dirs = [str(d) for d in TEMPLATE_DIRS if d.is_dir()]
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(dirs)]
    if user_templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(user_templates)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pystr=escape.pystr,
        docstring=escape.docstring,
        comment=escape.comment,
        pyliteral=escape.pyliteral,
        ident=escape.ident,
        annotation=annotation,
        isort=isort,
        sort_all=sort_all,
        field_arguments=field_arguments,
        model_config=model_config,
        default_literal=default_literal,
    )
    env.tests["instanceof"] = isinstance
    from generator import operations

    env.globals.update(ops=operations, ir=ir,
                       schemes_raw=lambda api: {s.name: s.raw for s in api.security_schemes}, effective_security=effective_security, uses=uses)
    return env


def render(api: ir.Api, package: str, parts: frozenset[str],
           user_templates: Path | None = None) -> dict[str, str]:
    env = _environment(user_templates)
    context: dict[str, Any] = {"api": api, "package": package, "parts": parts}

    def one(template: str, **extra: Any) -> str:
        return env.get_template(template).render(**context, **extra)

    files = {
        f"{package}/__init__.py": one("package/__init__.py.j2"),
        f"{package}/py.typed": "",
        f"{package}/models.py": one("models.py.j2", imports=model_imports(api)),
    }
    if "client" in parts:
        files[f"{package}/client/__init__.py"] = one("client/__init__.py.j2")
        files[f"{package}/client/_core.py"] = one("client/_core.py.j2")
        files[f"{package}/client/errors.py"] = one("client/errors.py.j2")
        files[f"{package}/client/_client.py"] = one("client/_client.py.j2")
        for tag in api.tags:
            files[f"{package}/client/{tag.module}.py"] = one("client/tag.py.j2", tag=tag)
    if "server" in parts:
        files[f"{package}/server/__init__.py"] = one("server/__init__.py.j2")
        files[f"{package}/server/security.py"] = one("server/security.py.j2")
        files[f"{package}/server/app.py"] = one("server/app.py.j2")
        for tag in api.tags:
            files[f"{package}/server/{tag.module}.py"] = one("server/tag.py.j2", tag=tag)
    return files
