"""One property declared more than once (by several `allOf` parts, a base and the schema
itself): a value must satisfy every declaration, so the field takes the narrowest one and
checks the others on the wire value when no declaration is narrower than all the rest."""

from __future__ import annotations

from dataclasses import replace

from generator import ir
from generator.builder.context import SchemaContext
from generator.builder.types import with_checks

#: Types whose JSON form is a string (a `format` of `type: string`).
_STRING_IMPORTS = {"datetime.datetime", "datetime.date", "datetime.time", "uuid.UUID"}


def _full(field: ir.Field) -> ir.TypeRef:
    """The field's type with its `Field` constraints put back."""
    if not field.constraints:
        return field.type
    if field.type.kind == "annotated" and field.type.checks:
        return replace(field.type, constraints=field.constraints)
    return ir.TypeRef("annotated", args=(field.type,), constraints=field.constraints)


def _split(type_: ir.TypeRef) -> tuple[ir.TypeRef, tuple[tuple[str, ir.JsonValue], ...]]:
    """A type as `Field` holds it: constraints apart (as `ObjectBuilder.field` does)."""
    if type_.kind == "annotated" and type_.constraints:
        return (replace(type_, constraints=()) if type_.checks else type_.args[0]), type_.constraints
    return type_, ()


def _non_null(type_: ir.TypeRef) -> ir.TypeRef:
    return ir.union(*(a for a in type_.args if a != ir.NONE)) if type_.kind == "union" else type_


def _described(field: ir.Field, earlier: ir.Field) -> ir.Field:
    """The field with the earlier declaration's title, description and examples where it has none."""
    return replace(field, title=earlier.title if field.title is None else field.title,
                   description=earlier.description if field.description is None else field.description,
                   examples=earlier.examples if field.examples is None else field.examples)


class FieldMerger(SchemaContext):
    """Merges the declarations of one property into one field."""

    def merge_field(self, fields: dict[str, ir.Field], new: ir.Field) -> None:
        """Put `new` into `fields`, merged with an earlier declaration of the same property."""
        old = fields.get(new.wire_name)
        fields[new.wire_name] = new if old is None else self.merged(old, new)

    def merged(self, old: ir.Field, new: ir.Field) -> ir.Field:
        """One field for two declarations of a property: a value must satisfy both."""
        if _full(old) == _full(new):
            return _described(replace(new, required=old.required or new.required, default=new.default or old.default), old)
        types = [_full(old), _full(new)]
        narrowest = [i for i, t in enumerate(types) if all(self.covers(u, t) for u in types)]
        if narrowest:
            index, checked = narrowest[-1], []
        else:  # neither implies the other: the richer one types the field, the other is checked
            index = max(range(len(types)), key=lambda i: (self._rank(types[i]), i))
            checked = [t for i, t in enumerate(types) if i != index]
        chosen = types[index]
        if chosen.nullable and not all(t.nullable for t in types):
            chosen = _non_null(chosen)
        if checked:
            chosen = with_checks(chosen, (ir.Check("all_of", types=tuple(checked)),))
        type_, constraints = _split(chosen)
        # What describes the property (title, description, default) is the later declaration's
        # (a subtype's own, say), the earlier one's where it says nothing.
        source = new if new.default is not None or old.default is None else old
        default = source.default
        if default is not None and source.type != type_:
            default = self.default(default.value, type_, source.pointer)  # checked against the merged type
        merged = replace(new, type=type_, constraints=constraints, required=old.required or new.required,
                         default=default)
        return _described(merged, old)

    def _rank(self, type_: ir.TypeRef) -> int:
        """How much a type says: Any < free-form objects and plain builtins < the rest."""
        bare = _non_null(type_)
        if bare == ir.ANY:
            return 0
        if bare.kind in ("object", "builtin") or (bare.kind in ("list", "dict") and bare.args[0] == ir.ANY):
            return 1
        return 2

    def covers(self, wide: ir.TypeRef, narrow: ir.TypeRef, seen: set[tuple[str, str]] | None = None) -> bool:
        """Is every JSON value `narrow` accepts also accepted by `wide`? (False when unsure.)"""
        if wide == ir.ANY or wide == narrow:
            return True
        seen = seen if seen is not None else set()
        if narrow.kind == "union":  # a tagged union accepts no more than the union of its members
            return all(self.covers(wide, a, seen) for a in narrow.args)
        if narrow.kind == "annotated":  # constraints and checks only narrow a type
            return self.covers(wide, narrow.args[0], seen)
        if wide.kind == "union":
            return wide.discriminator is None and any(self.covers(a, narrow, seen) for a in wide.args)
        if wide.kind == "model" or narrow.kind == "model":
            return self._covers_model(wide, narrow, seen)
        if wide.kind in ("list", "dict"):
            return narrow.kind == wide.kind and self.covers(wide.args[0], narrow.args[0], seen)
        if wide.kind == "object":
            return narrow.kind == "dict"
        if narrow.kind == "literal":
            return self._covers_values(wide, narrow.values)
        if wide.kind == "builtin" and narrow.kind == "import":
            return wide.name == "str" and narrow.name in _STRING_IMPORTS
        return wide == ir.TypeRef("builtin", "float") and narrow == ir.TypeRef("builtin", "int")

    def _covers_values(self, wide: ir.TypeRef, values: tuple[ir.JsonValue, ...]) -> bool:
        kinds: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "float": (int, float), "bool": bool}
        if wide.kind == "literal":
            return all(any(v == w and type(v) is type(w) for w in wide.values) for v in values)
        if wide.kind == "builtin" and wide.name in kinds:
            wanted = kinds[wide.name]
            return all(isinstance(v, wanted) and (wide.name == "bool" or not isinstance(v, bool)) for v in values)
        return False

    def _covers_model(self, wide: ir.TypeRef, narrow: ir.TypeRef, seen: set[tuple[str, str]]) -> bool:
        pair = (wide.name if wide.kind == "model" else "", narrow.name if narrow.kind == "model" else "")
        if pair in seen:  # a recursive pair of models, being compared: assumed, as for recursive types
            return True
        seen.add(pair)
        try:
            return self._covers_model_once(wide, narrow, seen)
        finally:
            seen.discard(pair)

    def _covers_model_once(self, wide: ir.TypeRef, narrow: ir.TypeRef, seen: set[tuple[str, str]]) -> bool:
        small = self.models.get(narrow.name) if narrow.kind == "model" else None
        big = self.models.get(wide.name) if wide.kind == "model" else None
        if isinstance(small, ir.AliasModel):
            return self.covers(wide, small.type, seen)
        if isinstance(big, ir.AliasModel):
            return self.covers(big.type, narrow, seen)
        if isinstance(small, ir.EnumModel) and not small.open:
            values = tuple(m.value for m in small.members)
            if isinstance(big, ir.EnumModel):
                return not big.open and all(v in {m.value for m in big.members} for v in values)
            return big is None and self._covers_values(wide, values)
        if not isinstance(small, ir.ObjectModel):
            return False
        if wide.kind == "object":
            return True
        wanted = self.all_fields(big.name) if isinstance(big, ir.ObjectModel) else []
        if not isinstance(big, ir.ObjectModel) or big.checks or big.extra_type is not None or not wanted:
            return False  # (a model without fields may be one still being built)
        mine = {f.wire_name: f for f in self.all_fields(small.name)}
        if big.extra == "forbid" and (small.extra != "forbid" or not set(mine) <= {f.wire_name for f in wanted}):
            return False
        for field in wanted:
            other = mine.get(field.wire_name)
            if other is None:
                if field.required or (small.extra != "forbid" and _full(field) != ir.ANY):
                    return False
            elif (field.required and not other.required) or not self.covers(_full(field), _full(other), seen):
                return False
        return True
