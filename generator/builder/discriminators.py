"""Discriminated unions: `oneOf`/`anyOf` with a `discriminator` (with or without `mapping`, to
`$ref`s or bare names, inline members), and a discriminator on a base schema whose subtypes
extend it through `allOf`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from generator import ir
from generator.builder.context import (
    Reference,
    Schema,
    SchemaContext,
    component_of,
    is_ref,
    is_schema,
    keyword,
)
from generator.diagnostics import pointer_join
from generator.front.resolve import split_pointer


class DiscriminatorBuilder(SchemaContext):
    """Unions whose member is chosen by a tag property, as pydantic discriminated unions."""

    _subtypes: dict[str, list[str]] | None = None
    _unions: dict[str, ir.TypeRef | None]

    def discriminated(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        key = "anyOf" if schema.anyOf else "oneOf"
        parts = split_pointer(pointer)
        members: list[tuple[ir.TypeRef, tuple[str, ...]]] = []
        mapping = self._mapping(schema)
        prop = schema.discriminator.propertyName if schema.discriminator else ""
        for i, node in enumerate([*(schema.anyOf or []), *(schema.oneOf or [])]):
            if is_ref(node):  # a member declared later in the document: its model is needed now
                self.ensure_component(node.ref)
            type_ = self.type_of(node, pointer_join(*parts, key, i), f"{hint}{i}")
            name = component_of(node.ref) if is_ref(node) else None
            if name is not None:
                tags = tuple(v for v, target in mapping.items() if target == name) or (name,)
            else:
                tags = self._inline_tags(node, prop)
            members.append((type_, tags))
        return self.tagged_union(members, prop, pointer)

    def _mapping(self, schema: Schema) -> dict[str, str]:
        """The discriminator mapping as tag → component name (`$ref`s and bare names alike)."""
        raw = (schema.discriminator.mapping if schema.discriminator else None) or {}
        return {tag: component_of(target) or target for tag, target in raw.items()}

    def _inline_tags(self, node: Any, prop: str) -> tuple[str, ...]:
        resolved, _ = self.deref(node, "")
        sub = (resolved.properties or {}).get(prop) if is_schema(resolved) else None
        sub, _ = self.deref(sub, "")
        if not is_schema(sub):
            return ()
        if "const" in sub.model_fields_set:
            return (str(keyword(sub, "const", None)),)
        return tuple(str(v) for v in sub.enum or ())

    def tagged_union(self, members: list[tuple[ir.TypeRef, tuple[str, ...]]], prop: str, pointer: str) -> ir.TypeRef:
        plain = ir.union(*(t for t, _ in members))
        members, nullable = _merged(members)
        models = [self.models.get(t.name) if t.kind == "model" else None for t, _ in members]
        if not prop or not all(isinstance(m, ir.ObjectModel) for m in models) or not all(t for _, t in members):
            self.warn("discriminator needs object members with known tags; generated a plain union", pointer)
            return plain
        fields = [self._tag_field(cast(ir.ObjectModel, m), prop, tags) for m, (_, tags) in zip(models, members, strict=True)]
        names = {f.name for f in fields if f is not None}
        literal = all(f is not None for f in fields) and len(names) == 1
        tags = tuple(t for _, t in members)
        discriminator = ir.Discriminator(prop, names.pop() if literal else "", tags)
        tagged = ir.TypeRef("union", args=tuple(t for t, _ in members), discriminator=discriminator)
        return ir.union(tagged, ir.NONE) if nullable else tagged

    def _tag_field(self, model: ir.ObjectModel, prop: str, tags: tuple[str, ...]) -> ir.Field | None:
        """The member's tag field when it is a required Literal of exactly its tags."""
        field = next((f for f in self.all_fields(model.name) if f.wire_name == prop), None)
        if field is None or not field.required:
            return None
        if field.type.kind == "literal" and set(field.type.values) == set(tags):
            return field
        own = next((f for f in model.fields if f.wire_name == prop), None)
        inline = model.pointer not in ("", *(f"/components/schemas/{n}" for n in self.schemas))
        if own is not None and inline and own.type == ir.TypeRef("builtin", "str") and not model.bases:
            narrowed = replace(own, type=ir.TypeRef("literal", values=tags), default=None)
            fields = tuple(narrowed if f is own else f for f in model.fields)
            self.models[model.name] = replace(model, fields=fields)  # this member is only used here
            return narrowed
        return None

    def subtype_union(self, name: str) -> ir.TypeRef | None:
        """A component with a discriminator and subtypes: the union of them (and itself)."""
        if not hasattr(self, "_unions"):
            self._unions = {}
        if name in self._unions:
            return self._unions[name]
        schema = self.schemas.get(name)
        self._unions[name] = None
        if not is_schema(schema) or schema.discriminator is None or schema.oneOf or schema.anyOf:
            return None
        subtypes = self._subtypes_of(name)
        if not subtypes:
            return None
        mapping = self._mapping(schema)
        names = [name, *subtypes] if not mapping or name in mapping.values() else subtypes
        members = []
        for member in names:
            tags = tuple(v for v, target in mapping.items() if target == member) or (member,)
            self.ensure_component(f"#/components/schemas/{member.replace('~', '~0').replace('/', '~1')}")
            members.append((ir.TypeRef("model", self.component_classes[member]), tags))
        union = self.tagged_union(members, schema.discriminator.propertyName, pointer_join("components", "schemas", name))
        self._unions[name] = union
        return union

    def _subtypes_of(self, name: str) -> list[str]:
        if self._subtypes is None:
            self._subtypes = {}
            for sub, node in self.schemas.items():
                for part in (node.allOf or []) if is_schema(node) else []:
                    base = component_of(cast(Reference, part).ref) if is_ref(part) else None
                    if base is not None and base != sub:
                        self._subtypes.setdefault(base, []).append(sub)
        return self._subtypes.get(name, [])


def _merged(members: list[tuple[ir.TypeRef, tuple[str, ...]]]) -> tuple[list[tuple[ir.TypeRef, tuple[str, ...]]], bool]:
    """The members without their `None` (a nullable member, e.g. 3.0 `nullable: true` on the
    schema a `$ref` names, makes the whole union nullable: null carries no tag), one entry per
    member type with its tags merged in order (a `oneOf` may list one schema twice, as
    several tags map to it)."""
    nullable = False
    merged: list[tuple[ir.TypeRef, list[str]]] = []  # (a type may hold a dict: not hashable)
    for type_, tags in members:
        if type_.kind == "union" and type_.discriminator is None and ir.NONE in type_.args:
            nullable = True
            type_ = ir.union(*(a for a in type_.args if a != ir.NONE))
        elif type_ == ir.NONE:
            nullable = True
            continue
        known = next((k for t, k in merged if t == type_), None)
        if known is None:
            known = []
            merged.append((type_, known))
        known.extend(t for t in tags if t not in known)
    return [(t, tuple(tags)) for t, tags in merged], nullable
