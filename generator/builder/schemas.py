"""Schemas to types and models: the half of `build` that reads JSON Schema.

`SchemaBuilder` is assembled from parts, one per concern: types (primitives, unions, literals),
objects (models, allOf) and their fields, enums (and defaults), keywords (validator checks),
discriminators (tagged unions) and merge (a property declared twice); order decides the emission
order.
"""

from __future__ import annotations

from generator import ir
from generator.builder.context import fields_set
from generator.builder.discriminators import DiscriminatorBuilder
from generator.builder.enums import EnumBuilder
from generator.builder.keywords import KeywordChecks
from generator.builder.merge import FieldMerger
from generator.builder.objects import ObjectBuilder
from generator.builder.order import break_alias_cycles, ordered_models
from generator.builder.types import TypeReader

__all__ = ["SchemaBuilder", "fields_set", "ordered_models"]


class SchemaBuilder(TypeReader, ObjectBuilder, EnumBuilder, KeywordChecks, DiscriminatorBuilder, FieldMerger):
    """Turns schemas into IR types, and named or inline object schemas into models."""

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
        return break_alias_cycles(self.models, self.warn)
