"""Schemas to types and models: the half of `build` that reads JSON Schema.

Every 3.0/3.1 difference (`nullable`, `type` lists, `const`, boolean `exclusiveMinimum`) is
decided here, so templates never need to know which version they render.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import math
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, cast

import pydantic
from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.diagnostics import Diagnostic, Severity, pointer_join
from generator.front.parse import OpenAPI
from generator.front.resolve import split_pointer
from generator.options import Options

_STRING_FORMATS = {
    "date-time": ir.TypeRef("import", "datetime.datetime"),
    "date": ir.TypeRef("import", "datetime.date"),
    "time": ir.TypeRef("import", "datetime.time"),
    "uuid": ir.TypeRef("import", "uuid.UUID"),
    "binary": ir.TypeRef("binary"),
}
#: Validation keywords the generated models do not check yet (attribute → spec keyword).
_NOT_ENFORCED = {
    "schema_not": "not",
    "schema_if": "if",
    "then": "then",
    "schema_else": "else",
    "patternProperties": "patternProperties",
    "dependentSchemas": "dependentSchemas",
    "dependentRequired": "dependentRequired",
    "prefixItems": "prefixItems",
    "contains": "contains",
    "unevaluatedItems": "unevaluatedItems",
    "unevaluatedProperties": "unevaluatedProperties",
    "propertyNames": "propertyNames",
    "minProperties": "minProperties",
    "maxProperties": "maxProperties",
    "uniqueItems": "uniqueItems",
}
_BUILTINS = {"integer": "int", "number": "float", "boolean": "bool", "string": "str", "null": "None"}

Schema = v3_0.Schema | v3_1.Schema
Reference = v3_0.Reference | v3_1.Reference
Node = Schema | Reference | bool


def child_pointer(pointer: str, *parts: str | int) -> str:
    """The pointer to a node below `pointer` (normalized, as `split_pointer` reads it)."""
    if "%" in pointer:  # a percent-encoded `$ref` fragment: decode it first
        return pointer_join(*split_pointer(pointer), *parts)
    return pointer + pointer_join(*parts)


@functools.lru_cache(maxsize=1 << 14)
def _split(fragment: str) -> tuple[str, ...]:
    """`split_pointer`, remembered: the same `$ref`s come back again and again."""
    return tuple(split_pointer(fragment))


def _is_ref(node: object) -> bool:
    return isinstance(node, v3_0.Reference | v3_1.Reference)


def fields_set(obj: pydantic.BaseModel) -> frozenset[str] | set[str]:
    """The fields the document set (pydantic's own set: read it, never change it)."""
    return obj.model_fields_set


class SchemaBuilder:
    """Turns schemas into IR types, and named or inline object schemas into models."""

    def __init__(self, path: Path, api: OpenAPI, options: Options) -> None:
        self.path = path
        self.api = api
        self.options = options
        self.diagnostics: list[Diagnostic] = []
        self.models: dict[str, ir.Model] = {}  # class name → model, in creation order
        self.class_names = naming.Namer(naming.MODULE_NAMES)
        self.component_classes: dict[str, str] = {}  # component schema name → class name
        self.resolving: list[str] = []
        self._reserved: frozenset[str] = naming.FIELD_RESERVED
        self._reserved_for = 0  # len(component_classes) when `_reserved` was computed

    # ------------------------------------------------------------------ helpers

    def warn(self, message: str, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, pointer, str(self.path)))

    def lookup(self, ref: str, pointer: str) -> Any:
        """The parsed object a local `$ref` points at (the resolver has checked it exists)."""
        node: Any = self.api
        for part in _split(ref.partition("#")[2]):
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and part.isdigit():
                node = node[int(part)] if int(part) < len(node) else None
            elif isinstance(node, pydantic.BaseModel):
                node = self._attribute(node, part)
            else:
                node = None
            if node is None:
                self.warn(f"$ref {ref!r} does not point at an object of the expected kind", pointer)
                return None
        return node

    @staticmethod
    def _attribute(model: pydantic.BaseModel, key: str) -> Any:
        for name, info in type(model).model_fields.items():
            if key in (name, info.alias):
                return getattr(model, name)
        return (model.model_extra or {}).get(key)

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow references to a non-reference object; return it and its pointer."""
        seen: set[str] = set()
        while _is_ref(node):
            ref = node.ref
            if ref in seen:
                self.warn(f"$ref cycle through {ref!r}", pointer)
                return None, pointer
            seen.add(ref)
            pointer = ref.partition("#")[2]
            node = self.lookup(ref, pointer)
        return node, pointer

    # ------------------------------------------------------------------ schemas → types

    def type_of(self, node: Node | None, pointer: str, hint: str) -> ir.TypeRef:
        """The Python type for a schema; named schemas become model references."""
        if node is None or node is True:
            return ir.ANY
        if node is False:
            self.warn("a `false` schema accepts nothing; typed as Any", pointer)
            return ir.ANY
        if _is_ref(node):
            ref = cast(Reference, node).ref
            target = ref.partition("#")[2]
            parts = _split(target)
            if len(parts) == 3 and parts[:2] == ("components", "schemas"):
                return self.component_type(parts[2])
            if target in self.resolving:
                self.warn(f"recursive $ref {ref!r} outside components/schemas; typed as Any", pointer)
                return ir.ANY
            self.resolving.append(target)
            try:
                return self.type_of(self.lookup(ref, pointer), target, hint)
            finally:
                self.resolving.pop()
        if isinstance(node, dict):  # a bare mapping openapi-pydantic left unparsed
            model = v3_1.Schema if isinstance(self.api, v3_1.OpenAPI) else v3_0.Schema
            try:
                node = model.model_validate(node)
            except pydantic.ValidationError:
                self.warn("schema could not be read; typed as Any", pointer)
                return ir.ANY
        schema = cast(Schema, node)
        nullable = bool(getattr(schema, "nullable", False))
        result = self._type_of_schema(schema, pointer, hint)
        return ir.union(result, ir.NONE) if nullable else result

    def component_type(self, name: str) -> ir.TypeRef:
        model = self.models.get(self.component_classes.get(name, ""))
        if isinstance(model, ir.AliasModel) and model.type.kind in ("builtin", "import", "any"):
            return model.type  # a named primitive: use it directly
        return ir.TypeRef("model", self.component_classes[name])

    def _types(self, schema: Schema) -> list[str]:
        raw = schema.type
        items = raw if isinstance(raw, list) else [raw] if raw is not None else []
        return [t.value if hasattr(t, "value") else str(t) for t in items]

    def _type_of_schema(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        fields = fields_set(schema)
        ignored = sorted(_NOT_ENFORCED.keys() & fields)
        if ignored:
            names = ", ".join(_NOT_ENFORCED[f] for f in ignored)
            self.warn(f"not enforced yet: {names}", pointer)
        if "const" in fields:
            return ir.TypeRef("literal", values=(getattr(schema, "const", None),))
        if schema.enum is not None:
            return self._enum_literal(schema, pointer)
        if schema.allOf:
            return self._all_of(schema, pointer, hint)
        options = [*(schema.anyOf or []), *(schema.oneOf or [])]
        if options:
            if schema.discriminator is not None:
                self.warn("discriminator not enforced yet; generated a plain union", pointer)
            key = "anyOf" if schema.anyOf else "oneOf"
            return ir.union(
                *(
                    self.type_of(o, child_pointer(pointer, key, i), f"{hint}{i}")
                    for i, o in enumerate(options)
                )
            )
        types = self._types(schema)
        if not types:
            if schema.properties or schema.additionalProperties not in (None, True):
                types = ["object"]
            elif schema.items is not None:
                types = ["array"]
            else:
                return ir.ANY
        return ir.union(*(self._single_type(schema, t, pointer, hint) for t in types))

    def _single_type(self, schema: Schema, kind: str, pointer: str, hint: str) -> ir.TypeRef:
        if kind == "array":
            item = self.type_of(schema.items, child_pointer(pointer, "items"), f"{hint}Item")
            return ir.TypeRef("list", args=(item,))
        if kind == "object":
            return self._object_type(schema, pointer, hint)
        base = ir.TypeRef("builtin", _BUILTINS.get(kind, "str"))
        if kind == "string" and schema.schema_format in _STRING_FORMATS:
            base = _STRING_FORMATS[schema.schema_format]
        constraints = self.constraints(schema, pointer, kind)
        return ir.TypeRef("annotated", args=(base,), constraints=constraints) if constraints else base

    def constraints(self, schema: Schema, pointer: str, kind: str) -> tuple[tuple[str, Any], ...]:
        """Pydantic `Field` keywords for the schema's validation keywords."""
        out: list[tuple[str, Any]] = []
        if kind == "string":
            out += [("min_length", schema.minLength), ("max_length", schema.maxLength)]
            if schema.pattern is not None:
                try:
                    re.compile(schema.pattern)
                    out.append(("pattern", schema.pattern))
                except re.error as exc:
                    self.warn(f"pattern {schema.pattern!r} is not a valid regex ({exc}); not enforced", pointer)
            fmt = schema.schema_format
            if fmt is not None and fmt not in _STRING_FORMATS:  # e.g. email, uri: documented, kept
                out.append(("json_schema_extra", {"format": fmt}))
        elif kind in ("integer", "number"):
            out += [("ge", schema.minimum), ("le", schema.maximum), ("multiple_of", schema.multipleOf)]
            for keyword, bound, strict in (
                ("gt", schema.minimum, schema.exclusiveMinimum),
                ("lt", schema.maximum, schema.exclusiveMaximum),
            ):
                if strict is True:  # 3.0: a flag on minimum/maximum
                    out = [(k, v) for k, v in out if k != ("ge" if keyword == "gt" else "le")]
                    out.append((keyword, bound))
                elif isinstance(strict, int | float) and not isinstance(strict, bool):
                    out.append((keyword, strict))  # 3.1: the bound itself
        usable = []
        for key, value in out:
            if value is None:
                continue
            if isinstance(value, float) and not math.isfinite(value):
                self.warn(f"non-finite bound {value} ignored", pointer)
                continue
            if kind == "integer" and isinstance(value, float) and value.is_integer():
                value = int(value)
            usable.append((key, value))
        return tuple(usable)

    def _enum_literal(self, schema: Schema, pointer: str) -> ir.TypeRef:
        values = list(dict.fromkeys(_hashable(v) for v in schema.enum or []))
        if len(values) != len(schema.enum or []):
            self.warn("enum has repeated values; duplicates dropped", pointer)
        literal = ir.TypeRef("literal", values=tuple(v for v in values if v is not None))
        if None in values:
            return ir.union(literal, ir.NONE) if literal.values else ir.NONE
        return literal

    def _all_of(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        parts = list(schema.allOf or [])
        own = schema.properties or schema.additionalProperties not in (None, True)
        if len(parts) == 1 and not own:
            return self.type_of(parts[0], child_pointer(pointer, "allOf", 0), hint)
        return ir.TypeRef("model", self.object_model(schema, pointer, hint, None).name)

    def _object_type(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        extra = schema.additionalProperties
        if not schema.properties:
            if extra is None:
                return ir.TypeRef("object")
            if extra is True or extra is False:
                return ir.TypeRef("dict", args=(ir.ANY,))
            sub = child_pointer(pointer, "additionalProperties")
            return ir.TypeRef("dict", args=(self.type_of(extra, sub, f"{hint}Value"),))
        return ir.TypeRef("model", self.object_model(schema, pointer, hint, None).name)

    # ------------------------------------------------------------------ models

    def claim_class(self, wire: str) -> str:
        return self.class_names.claim(naming.class_name(wire))

    def component_models(self) -> None:
        schemas = (self.api.components.schemas if self.api.components else None) or {}
        for name in schemas:  # names first: models refer to each other freely
            self.component_classes[name] = self.claim_class(name)
        for name, node in schemas.items():
            if self.component_classes[name] not in self.models:  # not built on demand already
                self.named_model(name, node, pointer_join("components", "schemas", name))

    def ensure_component(self, ref: str) -> None:
        """Build a referenced component now (a base class must exist before its subclasses)."""
        parts = split_pointer(ref.partition("#")[2])
        schemas = (self.api.components.schemas if self.api.components else None) or {}
        component = len(parts) == 3 and parts[:2] == ["components", "schemas"]
        if component and parts[2] in schemas and self.component_classes[parts[2]] not in self.models:
            self.named_model(parts[2], schemas[parts[2]], ref.partition("#")[2])

    def named_model(self, wire: str, node: Node, pointer: str) -> None:
        cls = self.component_classes[wire]
        schema = node
        description = None
        if isinstance(schema, v3_0.Schema | v3_1.Schema):
            description = schema.description
            values = schema.enum
            if values and "const" not in fields_set(schema) and not schema.allOf:
                enum = self._enum_model(cls, wire, schema, pointer)
                if enum:
                    return
            if self._is_object(schema):
                self.object_model(schema, pointer, wire, cls)
                return
        self.models[cls] = ir.AliasModel(cls, wire, ir.ANY, description, pointer)  # placeholder
        alias_type = self.type_of(node, pointer, cls)
        self.models[cls] = ir.AliasModel(cls, wire, alias_type, description, pointer)

    @staticmethod
    def _is_object(schema: Schema) -> bool:
        types = schema.type if isinstance(schema.type, list) else [schema.type]
        kinds = {getattr(t, "value", t) for t in types}
        if schema.anyOf or schema.oneOf:
            return False
        return bool(schema.properties or schema.allOf) or (
            kinds == {"object"} and schema.additionalProperties in (None, False) and not schema.allOf
            and schema.properties is not None
        )

    def _enum_model(self, cls: str, wire: str, schema: Schema, pointer: str) -> ir.EnumModel | None:
        values = list(dict.fromkeys(_hashable(v) for v in schema.enum or []))
        if all(isinstance(v, str) for v in values):
            base: Literal["StrEnum", "IntEnum"] = "StrEnum"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            base = "IntEnum"
        else:
            return None
        if getattr(schema, "nullable", False):
            return None
        namer = naming.Namer()
        members = tuple(
            ir.EnumMember(namer.claim(naming.constant_name(v if base == "StrEnum" else f"V{v}")), v)
            for v in values
        )
        model = ir.EnumModel(cls, wire, base, members, schema.description, pointer)
        self.models[cls] = model
        return model

    def object_model(self, schema: Schema, pointer: str, hint: str, cls: str | None) -> ir.ObjectModel:
        cls = cls or self.claim_class(hint)
        self.models[cls] = ir.ObjectModel(cls, hint, ())  # placeholder: recursion sees the name
        bases: list[str] = []
        fields: dict[str, ir.Field] = {}
        required = set(schema.required or [])
        parts = list(schema.allOf or [])
        parents = [self.parent_model(part, child_pointer(pointer, "allOf", i), cls, hint)
                   for i, part in enumerate(parts)]
        # One parent object model is a base class; several are merged (no diamond of fields).
        single = len({p for p in parents if p}) == 1
        for i, (part, parent) in enumerate(zip(parts, parents, strict=True)):
            part_pointer = child_pointer(pointer, "allOf", i)
            if parent and single:
                if parent not in bases:
                    bases.append(parent)
                continue
            if parent:
                fields.update((f.wire_name, f) for f in self.all_fields(parent))
                continue
            resolved, resolved_pointer = self.deref(part, part_pointer)
            if isinstance(resolved, v3_0.Schema | v3_1.Schema):
                required |= set(resolved.required or [])
                for f in self.fields_of(resolved, resolved_pointer, cls, set(resolved.required or [])):
                    fields[f.wire_name] = f
            else:
                self.warn("allOf part is not an object schema; ignored", part_pointer)
        inherited = {f.wire_name: f for base in bases for f in self.all_fields(base)}
        required |= {name for name, f in inherited.items() if f.required}
        for f in self.fields_of(schema, pointer, cls, required):
            fields[f.wire_name] = f
        for name, f in inherited.items():  # a base's optional property that this schema requires
            if name in required and name not in fields and not f.required:
                fields[name] = f
        # A redefinition that changes an inherited field's type would break the subclass
        # contract (and mypy): merge the base's fields instead of extending it.
        if any(name in inherited and inherited[name].type != f.type for name, f in fields.items()):
            fields = {**inherited, **fields}
            bases = []
        # Properties required by this schema but declared in a part or base become required.
        final = tuple(
            f if f.required or f.wire_name not in required else _make_required(f)
            for f in fields.values()
        )
        extra: Literal["allow", "forbid", "ignore"] = "ignore"
        extra_type = None
        additional = schema.additionalProperties
        if additional is False:
            extra = "forbid"
        elif additional is True:
            extra = "allow"
        elif additional is not None:
            extra = "allow"
            sub = child_pointer(pointer, "additionalProperties")
            extra_type = self.type_of(additional, sub, f"{cls}Value")
        title = schema.title if schema.title not in (None, cls) else None
        model = ir.ObjectModel(
            name=cls,
            wire_name=hint,
            fields=final,
            bases=tuple(bases),
            title=title,
            description=schema.description,
            extra=extra,
            extra_type=extra_type,
            aliased=any(f.name != f.wire_name for f in final),
            pointer=pointer,
        )
        self.models[cls] = model
        return model

    def parent_model(self, part: Node, pointer: str, cls: str, hint: str) -> str:
        """The object model class an allOf part refers to, or "" when it is not one."""
        if not _is_ref(part):
            return ""
        self.ensure_component(cast(Reference, part).ref)
        target = self.type_of(part, pointer, f"{hint}Base")
        model = self.models.get(target.name) if target.kind == "model" else None
        return target.name if isinstance(model, ir.ObjectModel) and target.name != cls else ""

    def all_fields(self, name: str) -> list[ir.Field]:
        """A model's fields including inherited ones, base classes first."""
        model = self.models.get(name)
        if not isinstance(model, ir.ObjectModel):
            return []
        inherited = [f for base in model.bases for f in self.all_fields(base)]
        return list({f.wire_name: f for f in [*inherited, *model.fields]}.values())

    def fields_of(self, schema: Schema, pointer: str, cls: str, required: set[str]) -> Iterator[ir.Field]:
        namer = naming.Namer(reserved=self._field_reserved())
        for wire, node in (schema.properties or {}).items():
            field_pointer = child_pointer(pointer, "properties", wire)
            yield self.field(namer.claim(naming.field_name(wire)), wire, node, field_pointer,
                             f"{cls}{naming.pascal(wire)}", wire in required)

    def _field_reserved(self) -> frozenset[str]:
        """Names no field may take: reserved words and every component's class name."""
        if self._reserved_for != len(self.component_classes):
            self._reserved = naming.FIELD_RESERVED | frozenset(self.component_classes.values())
            self._reserved_for = len(self.component_classes)
        return self._reserved

    def field(self, name: str, wire: str, node: Node, pointer: str, hint: str, required: bool) -> ir.Field:
        type_ = self.type_of(node, pointer, hint)
        constraints: tuple[tuple[str, Any], ...] = ()
        if type_.kind == "annotated":
            type_, constraints = type_.args[0], type_.constraints
        title = description = None
        deprecated = False
        default = None
        if isinstance(node, v3_0.Schema | v3_1.Schema):
            title, description = node.title, node.description
            deprecated = bool(node.deprecated)
            if "default" in fields_set(node):
                default = self.default(node.default, type_, pointer)
        elif _is_ref(node):
            description = getattr(node, "description", None)
        if title == naming.title_from_name(wire):
            title = None
        return ir.Field(name, wire, type_, required, default, title, description, constraints, deprecated, pointer)

    def default(self, value: Any, type_: ir.TypeRef, pointer: str) -> ir.Default | None:
        """Check a default against the type; repair obvious slips, drop the rest, both with a warning."""
        member = self._enum_member(value, type_)
        if member:
            return ir.Default(value, member)
        if _fits(value, type_, self.models):
            return ir.Default(value)
        call = _constructor(value, type_)
        if call:
            return ir.Default(value, call=call)
        for repaired in _repairs(value):
            if _fits(repaired, type_, self.models):
                self.warn(f"default {value!r} does not match the type; read as {repaired!r}", pointer)
                return ir.Default(repaired)
        self.warn(f"default {value!r} does not match the type; not used", pointer)
        return None

    def _enum_member(self, value: Any, type_: ir.TypeRef) -> str:
        for option in type_.args if type_.kind == "union" else (type_,):
            if option.kind == "model" and option.name not in self.models:
                wire = next((w for w, c in self.component_classes.items() if c == option.name), None)
                if wire is not None:  # an enum declared later in the spec: build it now
                    self.ensure_component(f"#/components/schemas/{wire.replace('~', '~0').replace('/', '~1')}")
            model = self.models.get(option.name) if option.kind == "model" else None
            if isinstance(model, ir.EnumModel):
                for m in model.members:
                    if m.value == value:
                        return f"{model.name}.{m.name}"
        return ""

    def structured(self, type_: ir.TypeRef) -> bool:
        """Is a parameter value more than a scalar or a list of scalars?"""
        def scalar(t: ir.TypeRef) -> bool:
            if t.kind == "union":
                return all(scalar(a) for a in t.args)
            if t.kind == "annotated":
                return scalar(t.args[0])
            if t.kind == "model":
                model = self.models.get(t.name)
                return isinstance(model, ir.EnumModel) or (
                    isinstance(model, ir.AliasModel) and scalar(model.type))
            return t.kind in ("builtin", "import", "literal", "binary")

        item = type_.args[0] if type_.kind == "list" else type_
        return not scalar(item)

    def break_alias_cycles(self) -> dict[str, ir.Model]:
        """Type aliases are evaluated eagerly: one that needs itself is typed as Any."""
        models = dict(self.models)

        def reaches(start: str, name: str, seen: set[str]) -> bool:
            model = models.get(name)
            if not isinstance(model, ir.AliasModel) or name in seen:
                return False
            seen.add(name)
            return any(dep == start or reaches(start, dep, seen) for dep in model.type.models())

        for name, model in models.items():
            if isinstance(model, ir.AliasModel) and reaches(name, name, set()):
                self.warn("recursive type alias not supported yet; typed as Any", model.pointer)
                models[name] = ir.AliasModel(name, model.wire_name, ir.ANY, model.description, model.pointer)
        return models


# ---------------------------------------------------------------------- small pure helpers


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, list | dict) else value


def _make_required(f: ir.Field) -> ir.Field:
    return ir.Field(f.name, f.wire_name, f.type, True, f.default, f.title, f.description,
                    f.constraints, f.deprecated, f.pointer)


def _fits(value: Any, type_: ir.TypeRef, models: dict[str, ir.Model]) -> bool:
    """Does a JSON value fit a type well enough to be its Python default (and type-check)?"""
    kind = type_.kind
    if kind in ("any",):
        return True
    if kind == "builtin":
        checks = {
            "str": lambda v: isinstance(v, str),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
            "bool": lambda v: isinstance(v, bool),
            "None": lambda v: v is None,
        }
        return type_.name in checks and checks[type_.name](value)
    if kind == "literal":
        return any(value == v and type(value) is type(v) for v in type_.values)
    if kind == "union":
        return any(_fits(value, a, models) for a in type_.args)
    if kind == "annotated":
        return _fits(value, type_.args[0], models)
    if kind == "list":
        return isinstance(value, list) and all(_fits(v, type_.args[0], models) for v in value)
    if kind == "dict":
        return isinstance(value, dict) and all(_fits(v, type_.args[0], models) for v in value.values())
    if kind == "object":
        return isinstance(value, dict)
    if kind == "model":
        model = models.get(type_.name)
        return isinstance(model, ir.AliasModel) and _fits(value, model.type, models)
    return False


#: How a default given as a string becomes a value of an imported type.
_CONSTRUCTORS: dict[str, Callable[[str], object]] = {
    "uuid.UUID": uuid.UUID,
    "datetime.datetime": datetime.datetime.fromisoformat,
    "datetime.date": datetime.date.fromisoformat,
    "datetime.time": datetime.time.fromisoformat,
}


def _constructor(value: Any, type_: ir.TypeRef) -> str:
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


def _repairs(value: Any) -> list[Any]:
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


def ordered_models(models: dict[str, ir.Model]) -> list[ir.Model]:
    """Creation order, except that what a class needs at definition time comes first."""
    def needs(model: ir.Model) -> list[str]:
        if isinstance(model, ir.ObjectModel):
            enum_defaults = [f.default.enum_member.split(".")[0] for f in model.fields
                             if f.default and f.default.enum_member]
            return [*model.bases, *enum_defaults]
        if isinstance(model, ir.AliasModel):
            return sorted(model.type.models())
        return []

    done: dict[str, ir.Model] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in visiting or name not in models:
            return
        visiting.add(name)
        for dep in needs(models[name]):
            visit(dep)
        visiting.discard(name)
        done[name] = models[name]

    for name in models:
        visit(name)
    return list(done.values())
