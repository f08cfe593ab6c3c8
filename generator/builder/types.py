"""Schemas to types: primitives, formats, constraints, arrays, maps, unions, literals.

Every 3.0/3.1 difference (`nullable`, `type` lists, `const`, boolean `exclusiveMinimum`) is
decided here, so templates never need to know which version they render.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any, cast

import pydantic
from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir
from generator.builder.context import (
    Node,
    Reference,
    Schema,
    SchemaContext,
    annotation_only,
    child_pointer,
    component_of,
    is_ref,
    keyword,
    kind_name,
)
from generator.builder.values import json_key, literal_ready

_STRING_FORMATS = {
    "date-time": ir.TypeRef("import", "datetime.datetime"),
    "date": ir.TypeRef("import", "datetime.date"),
    "time": ir.TypeRef("import", "datetime.time"),
    "uuid": ir.TypeRef("import", "uuid.UUID"),
    "binary": ir.TypeRef("binary"),
}
_BUILTINS = {"integer": "int", "number": "float", "boolean": "bool", "string": "str", "null": "None"}
#: Keywords that only constrain one type: a schema without `type` is read as that type.
_IMPLIED = {
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "string": {"minLength", "maxLength", "pattern"},
    "array": {"minItems", "maxItems", "uniqueItems", "contains"},
    "object": {"minProperties", "maxProperties", "required", "patternProperties", "propertyNames"},
}
_VALUE_TYPES = {bool: "bool", int: "int", float: "float", str: "str", type(None): "None"}


def with_checks(type_: ir.TypeRef, checks: tuple[ir.Check, ...]) -> ir.TypeRef:
    """`type_` with keyword checks added (an `Annotated` around it)."""
    if not checks:
        return type_
    if type_.kind == "annotated":
        return replace(type_, checks=(*type_.checks, *checks))
    return ir.TypeRef("annotated", args=(type_,), checks=checks)


def value_type(value: Any) -> ir.TypeRef:
    """The plain type of a JSON value (for `const`/`enum` values that cannot be literals)."""
    if isinstance(value, list):
        return ir.TypeRef("list", args=(ir.ANY,))
    if isinstance(value, dict):
        return ir.TypeRef("object")
    return ir.TypeRef("builtin", _VALUE_TYPES.get(type(value), "str"))


class TypeReader(SchemaContext):
    """The Python type of any schema; named schemas become model references."""

    def type_of(self, node: Node | None, pointer: str, hint: str) -> ir.TypeRef:
        if node is None or node is True:
            return ir.ANY
        if node is False:
            self.warn("a `false` schema accepts nothing; typed as Any", pointer)
            return ir.ANY
        if is_ref(node):
            ref = cast(Reference, node).ref
            target = ref.partition("#")[2]
            name = component_of(ref)
            if name is not None:
                return self.component_type(name)
            if target in self.resolving:
                self.warn(f"recursive $ref {ref!r} outside components/schemas; typed as Any", pointer)
                return ir.ANY
            self.resolving.append(target)
            try:
                found = self.lookup(ref, pointer)
                if found is not None and not isinstance(found, v3_0.Schema | v3_1.Schema | dict | bool) \
                        and not is_ref(found):
                    self.error(f"$ref {ref!r} points at {kind_name(found)}, not a schema; typed as Any",
                               child_pointer(pointer, "$ref"))
                    return ir.ANY
                return self.type_of(found, self.deep_pointer(target) or target, hint)
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
        sibling_ref = keyword(schema, "ref", None) or (schema.model_extra or {}).get("$ref")
        if isinstance(sibling_ref, str):  # 3.1: `$ref` beside other keywords (title, default, ...)
            reference = v3_1.Reference.model_validate({"$ref": sibling_ref})
            referenced = self.type_of(reference, pointer, hint)
            return with_checks(referenced, self.keyword_checks(schema, pointer, hint))
        nullable = bool(keyword(schema, "nullable", False))
        result = self._type_of_schema(schema, pointer, hint)
        own_model = result.kind == "model" and getattr(self.models.get(result.name), "pointer", None) == pointer
        if not own_model:  # a model made from this schema checks its keywords itself
            result = with_checks(result, self.keyword_checks(schema, pointer, hint))
        return ir.union(result, ir.NONE) if nullable else result

    def component_type(self, name: str) -> ir.TypeRef:
        mapped = dict(self.options.type_schemas).get(name)
        if mapped:  # a user type stands for this schema
            return ir.TypeRef("import", mapped)
        cls = self.component_classes[name]
        union = self.subtype_union(name)
        if union is not None:
            return union
        model = self.models.get(cls)
        if isinstance(model, ir.AliasModel) and model.type.kind in ("builtin", "import", "any"):
            return model.type  # a named primitive: use it directly
        schema = self.schemas.get(name)
        if not isinstance(model, ir.AliasModel) and isinstance(schema, v3_0.Schema | v3_1.Schema) and (
                keyword(schema, "nullable", False) is True or "null" in self.types_of(schema)):
            return ir.union(ir.TypeRef("model", cls), ir.NONE)  # a class cannot say it: its uses do
        return ir.TypeRef("model", cls)

    @staticmethod
    def types_of(schema: Schema) -> list[str]:
        raw = schema.type
        items = raw if isinstance(raw, list) else [raw] if raw is not None else []
        return [t.value if hasattr(t, "value") else str(t) for t in items]

    def _type_of_schema(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        fields = set(schema.model_fields_set)
        if "const" in fields:
            return self.values_type([keyword(schema, "const", None)], pointer)
        if schema.enum is not None:
            return self.values_type(list(schema.enum), pointer)
        if schema.allOf:
            return self._all_of(schema, pointer, hint)
        options = [*(schema.anyOf or []), *(schema.oneOf or [])]
        if options and not schema.properties:  # with properties: a model that checks the options
            if schema.discriminator is not None:
                return self.discriminated(schema, pointer, hint)
            key = "anyOf" if schema.anyOf else "oneOf"
            return ir.union(
                *(
                    self.type_of(o, child_pointer(pointer, key, i), f"{hint}{i}")
                    for i, o in enumerate(options)
                )
            )
        types = self.types_of(schema)
        if not types:
            if schema.properties or schema.additionalProperties not in (None, True):
                types = ["object"]
            elif schema.items is not None:
                types = ["array"]
            else:
                types = self._implied_types(schema)
                if not types:
                    return ir.ANY
        return ir.union(*(self._single_type(schema, t, pointer, hint) for t in types))

    @staticmethod
    def _implied_types(schema: Schema) -> list[str]:
        """No `type`: the one type its validation keywords are about (only when unambiguous)."""
        fields = set(schema.model_fields_set)
        implied = {kind for kind, keys in _IMPLIED.items() if fields & keys}
        return sorted(implied) if len(implied) == 1 else []

    def _single_type(self, schema: Schema, kind: str, pointer: str, hint: str) -> ir.TypeRef:
        if kind == "array":
            item_pointer = child_pointer(pointer, "items")
            item = self.type_of(schema.items, item_pointer, f"{hint}Item")
            items = ir.TypeRef("list", args=(self.bounded(item, f"{hint}Item", item_pointer),))
            sizes = self.constraints(schema, pointer, "array")
            return ir.TypeRef("annotated", args=(items,), constraints=sizes) if sizes else items
        if kind == "object":
            return self._object_type(schema, pointer, hint)
        mapped = dict(self.options.type_formats).get(schema.schema_format or "")
        if mapped:  # a user type for this format; numeric bounds still apply
            constraints = self.constraints(schema, pointer, kind) if kind in ("integer", "number") else ()
            user = ir.TypeRef("import", mapped)
            return ir.TypeRef("annotated", args=(user,), constraints=constraints) if constraints else user
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
        elif kind == "array":
            out += [("min_length", schema.minItems), ("max_length", schema.maxItems)]
        elif kind == "object":  # native on dicts: the number of keys
            out += [("min_length", schema.minProperties), ("max_length", schema.maxProperties)]
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

    def values_type(self, values: list[Any], pointer: str) -> ir.TypeRef:
        """`const`/`enum` values: a Literal where they can be one, else their types plus a check."""
        unique = list({json_key(v): v for v in values}.values())
        if len(unique) != len(values):
            self.warn("enum has repeated values; duplicates dropped", pointer)
        if all(literal_ready(v) for v in unique):
            literal = ir.TypeRef("literal", values=tuple(v for v in unique if v is not None))
            if any(v is None for v in unique):
                return ir.union(literal, ir.NONE) if literal.values else ir.NONE
            return self.opened(literal)
        base = ir.union(*(value_type(v) for v in unique))
        kind = "const" if len(unique) == 1 else "enum"
        return with_checks(base, (ir.Check(kind, unique[0] if kind == "const" else unique),))

    def opened(self, literal: ir.TypeRef) -> ir.TypeRef:
        """With `enums = "open"`, a Literal of several values also accepts their base types."""
        if self.options.enums != "open" or len(literal.values) < 2:
            return literal
        return ir.union(literal, *(value_type(v) for v in literal.values))

    def _all_of(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        parts = list(schema.allOf or [])
        own = schema.properties or schema.additionalProperties not in (None, True)
        typed = [i for i, part in enumerate(parts) if not annotation_only(part)]
        if len(typed) == 1 and not own:  # one part, beside parts that only describe it
            return self.type_of(parts[typed[0]], child_pointer(pointer, "allOf", typed[0]), hint)
        return ir.TypeRef("model", self.object_model(schema, pointer, hint, None).name)

    def _object_type(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        extra = schema.additionalProperties
        if not schema.properties:
            constraints = self.constraints(schema, pointer, "object")
            if extra is None and not constraints:
                return ir.TypeRef("object")
            if extra is None or extra is True or extra is False:
                value = ir.ANY
            else:
                sub = child_pointer(pointer, "additionalProperties")
                value = self.bounded(self.type_of(extra, sub, f"{hint}Value"), f"{hint}Value", sub)
            mapping = ir.TypeRef("dict", args=(value,))
            return ir.TypeRef("annotated", args=(mapping,), constraints=constraints) if constraints else mapping
        return ir.TypeRef("model", self.object_model(schema, pointer, hint, None).name)
