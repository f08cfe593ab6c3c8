"""The configuration's schema as a model: `[tool.apismith]` in pyproject.toml, or the top
level of apismith.toml. Validation messages name the key's path; the shipped JSON Schema
(`generator/schema/apismith-config.schema.json`) is generated from these classes.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "apismith-config.schema.json"
_STRICT = ConfigDict(extra="forbid", strict=True)
TemplateValue = str | int | float | bool | list[Any] | dict[str, Any]


class Rename(BaseModel):
    model_config = _STRICT
    models: dict[str, str] = Field(
        default_factory=dict,
        description="Component schema name (or class name) → new class name.",
    )
    operations: dict[str, str] = Field(
        default_factory=dict,
        description="operationId (or method name) → new method name.",
    )


class TypeMap(BaseModel):
    model_config = _STRICT
    formats: dict[str, str] = Field(
        default_factory=dict,
        description="String format → import path of the type, e.g. money = 'decimal.Decimal'.",
    )
    schemas: dict[str, str] = Field(
        default_factory=dict,
        description="Component schema name → import path, e.g. Money = 'mypkg.types.Money'.",
    )


class PackageMetadataConfig(BaseModel):
    model_config = _STRICT
    name: str = Field("", description="Distribution name (default: from the package).")
    version: str = Field("", description="Version (default: info.version, PEP 440).")
    description: str = Field("", description="Summary (default: from info.title).")


class TargetOptions(BaseModel):
    """Options a target takes; at the top level they are defaults for every target."""

    model_config = _STRICT
    formatter: Literal["none", "black", "ruff"] = Field(
        "none", description="Formatter run on the generated code."
    )
    ref_roots: list[str] = Field(
        default_factory=list,
        description="Folders (relative to the config file) that $refs may also reach.",
    )
    enums: Literal["strict", "open"] = Field(
        "strict", description="open: enums also accept values the spec does not list."
    )
    include: list[str] = Field(
        default_factory=list,
        description="Keep only operations matching one of: tag:NAME, path:GLOB, "
        "id:GLOB (or a bare operationId glob).",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Drop operations matching one of these selectors (as include).",
    )
    rename: Rename = Field(default_factory=Rename)
    type_map: TypeMap = Field(default_factory=TypeMap)
    extra: Literal["ignore", "forbid", "allow"] | None = Field(
        None,
        description="Extra-fields policy of models whose spec leaves "
        "additionalProperties unset (default: ignore).",
    )
    templates: str | None = Field(
        None, description="Folder of templates overriding the built-in ones by name."
    )
    template_vars: dict[str, TemplateValue] = Field(
        default_factory=dict, description="Extra variables for templates (`vars`)."
    )
    client_class: str = Field(
        "Client", description="Client class name; the async one is Async + this."
    )
    package_metadata: bool | PackageMetadataConfig = Field(
        False,
        description="Write an installable project around the package "
        "(pyproject.toml, README.md).",
    )


class TargetConfig(TargetOptions):
    name: str | None = Field(None, description="Name for --target (default: package).")
    spec: str = Field(description="The OpenAPI document, relative to the config file.")
    output: str = Field(description="Folder that receives the package folder.")
    package: str | None = Field(None, description="Package name (default: spec stem).")
    only: list[str] = Field(
        default_factory=lambda: ["models", "client", "server"],
        description="Parts to generate among models, client, server.",
    )


class Config(TargetOptions):
    """The whole configuration."""

    targets: list[TargetConfig] = Field(
        default_factory=list, description="What to generate: one table per package."
    )


def json_schema() -> str:
    """The JSON Schema of the configuration, as shipped (stable text)."""
    schema = Config.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "apismith configuration"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def describe(error: pydantic.ValidationError, section: str) -> str:
    """The first validation error as one line: the key's path (under `section`), the
    problem and, for an unknown key, the closest valid one."""
    # Of the alternatives of a union, the error that got furthest is the informative one.
    first = max(error.errors(), key=lambda e: len(e["loc"]))
    loc = tuple(first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = _closest(key, _allowed(loc[:-1]))
        return f"{_where(section, loc[:-1])}: unknown key {key!r}{hint}"
    if kind == "missing":
        return f"{_where(section, loc[:-1])}: missing key {str(loc[-1])!r}"
    value = first.get("input")
    return f"{_where(section, loc)}: {first['msg'].lower()} (got {value!r})"


def _where(section: str, loc: tuple[Any, ...]) -> str:
    path = _path(loc)
    if not section:
        return path.removeprefix(".") or "top level"
    return section + path


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "bool", "int", "float", "list[any]", "dict[str,any]"):
            continue  # union branch names pydantic adds
        elif part == "PackageMetadataConfig":
            continue
        else:
            out += f".{part}"
    return out


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    """The valid keys of the table at `loc`."""
    model: type[BaseModel] = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            continue  # the name of a union's alternative
        annotation = field.annotation
        nested = _model_in(annotation)
        if nested is None:
            return []
        model = nested
    return sorted(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _closest(key: str, allowed: list[str]) -> str:
    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if match:
        return f"; did you mean {match[0]!r}?"
    return f" (expected one of: {', '.join(allowed)})" if allowed else ""
