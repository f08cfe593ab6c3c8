"""Properties to fields, with their four facts (type, required, nullable, default), and the
examples of a schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, cast

from generator import ir, naming
from generator.builder.context import (
    Node,
    Reference,
    Schema,
    SchemaContext,
    annotation_only,
    child_pointer,
    is_ref,
    is_schema,
    keyword,
)
from generator.builder.values import as_json


class FieldBuilder(SchemaContext):
    """The fields of an object schema's properties (readOnly and writeOnly ones never required)."""

    def examples(self, node: Schema | Reference, pointer: str) -> tuple[Any, ...] | None:
        """A schema's examples as JSON Schema keeps them (`examples`; 3.0's `example` as its one;
        beside a 3.1 `$ref` too)."""
        given: dict[str, Any] = {k: getattr(node, k) for k in ("examples", "example") if k in node.model_fields_set}
        given.update((k, v) for k, v in (node.model_extra or {}).items() if k in ("examples", "example"))
        examples = given.get("examples")
        if not isinstance(examples, list):
            examples = [given["example"]] if "example" in given else None
        if examples is None:
            return None
        try:
            return tuple(as_json(v) for v in examples)
        except ValueError as error:
            self.warn(f"examples not kept: {error}", pointer)
            return None


    def one_way(self, schema: Schema) -> set[str]:
        """Properties marked readOnly or writeOnly: never required (one model serves both ways)."""
        out = set()
        for wire, node in (schema.properties or {}).items():
            resolved, _ = self.deref(node, "")
            if is_schema(resolved) and (resolved.readOnly or resolved.writeOnly):
                out.add(wire)
        return out


    def fields_of(self, schema: Schema, pointer: str, cls: str, required: set[str]) -> Iterator[ir.Field]:
        namer = naming.Namer(reserved=self.field_reserved())
        one_way = self.one_way(schema)
        for wire, node in (schema.properties or {}).items():
            field_pointer = child_pointer(pointer, "properties", wire)
            yield self.field(namer.claim(naming.field_name(wire)), wire, node, field_pointer,
                             f"{cls}{naming.pascal(wire)}", wire in required and wire not in one_way)


    def field(self, name: str, wire: str, node: Node, pointer: str, hint: str, required: bool) -> ir.Field:
        type_ = self.type_of(node, pointer, hint)
        constraints: tuple[tuple[str, Any], ...] = ()
        if type_.kind == "annotated":
            constraints = type_.constraints
            type_ = replace(type_, constraints=()) if type_.checks else type_.args[0]
        title = description = None
        deprecated = False
        default = None
        examples = None
        if is_schema(node):
            schema = node
            title, description = schema.title, schema.description
            for part in schema.allOf or []:  # `allOf: [{$ref}, {description}]`: its description
                if description is None and annotation_only(part):
                    description = cast(Schema, part).description
            deprecated = bool(schema.deprecated)
            if "default" in schema.model_fields_set:
                default = self.default(schema.default, type_, pointer)
            examples = self.examples(schema, pointer)
        elif is_ref(node):
            description = keyword(node, "description", None)
            examples = self.examples(cast(Reference, node), pointer)
        if title == naming.title_from_name(wire):
            title = None
        return ir.Field(name, wire, type_, required, default, title, description, constraints, deprecated, pointer,
                        examples)
