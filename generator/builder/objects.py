"""Object schemas to models: components, inline objects, allOf (bases or merged parts); their
fields in `fields.py`."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, cast

from generator import ir, naming
from generator.builder.context import (
    Node,
    Reference,
    Schema,
    annotation_only,
    child_pointer,
    component_of,
    is_ref,
    is_schema,
    keyword,
)
from generator.builder.fields import FieldBuilder
from generator.diagnostics import pointer_join
from generator.front.resolve import split_pointer


class ObjectBuilder(FieldBuilder):
    """Object models; named schemas that are not objects become enums or aliases."""

    def claim_class(self, wire: str) -> str:
        name = naming.class_name(wire)
        renames = dict(self.options.rename_models)  # by schema name or class name
        return self.class_names.claim(renames.get(wire, renames.get(name, name)))

    def component_models(self) -> None:
        schemas = self.schemas
        for name in schemas:  # names first: models refer to each other freely
            self.component_classes[name] = self.claim_class(name)
        mapped = dict(self.options.type_schemas)
        for name, node in schemas.items():
            if name in mapped:  # a user type stands for this schema: no model
                continue
            if self.component_classes[name] not in self.models:  # not built on demand already
                self.named_model(name, node, pointer_join("components", "schemas", name))

    def ensure_component(self, ref: str) -> None:
        """Build a referenced component now (a base class must exist before its subclasses)."""
        parts = split_pointer(ref.partition("#")[2])
        schemas = self.schemas
        component = len(parts) == 3 and parts[:2] == ["components", "schemas"]
        if component and dict(self.options.type_schemas).get(parts[2]):
            return
        if component and parts[2] in schemas and self.component_classes[parts[2]] not in self.models:
            self.named_model(parts[2], schemas[parts[2]], ref.partition("#")[2])

    def named_model(self, wire: str, node: Node, pointer: str) -> None:
        cls = self.component_classes[wire]
        description = None
        if is_schema(node):
            schema = node
            description = schema.description
            enum = schema.enum and "const" not in schema.model_fields_set and not schema.allOf
            if enum and self.enum_model(cls, wire, schema, pointer):
                return
            if self._is_object(schema) and not self._renames_non_object(schema, pointer):
                self.object_model(schema, pointer, wire, cls)
                return
        elif is_ref(node):  # a component that is a `$ref`: an alias, described beside it
            description = keyword(node, "description", None)
        self.models[cls] = ir.AliasModel(cls, wire, ir.ANY, description, pointer)  # placeholder
        alias_type = self.type_of(node, pointer, cls)
        self.models[cls] = ir.AliasModel(cls, wire, alias_type, description, pointer)

    @staticmethod
    def _is_object(schema: Schema) -> bool:
        types = schema.type if isinstance(schema.type, list) else [schema.type]
        kinds = {getattr(t, "value", t) for t in types}
        if (schema.anyOf or schema.oneOf) and not schema.properties:
            return False
        return bool(schema.properties or schema.allOf) or (
            kinds == {"object"} and schema.additionalProperties in (None, False) and not schema.allOf
            and schema.properties is not None
        )

    def _renames_non_object(self, schema: Schema, pointer: str, depth: int = 0) -> bool:
        """`allOf` of one part and nothing of its own, the part no object: an alias of it."""
        parts = [(i, part) for i, part in enumerate(schema.allOf or []) if not annotation_only(part)]
        if len(parts) != 1 or schema.properties or schema.additionalProperties not in (None, True) or depth > 50:
            return False
        index, only = parts[0]
        part, part_pointer = self.deref(only, child_pointer(pointer, "allOf", index))
        if not is_schema(part):
            return False
        return not self._is_object(part) or self._renames_non_object(part, part_pointer, depth + 1)

    def object_model(self, schema: Schema, pointer: str, hint: str, cls: str | None) -> ir.ObjectModel:
        component = cls is not None
        cls = cls or self.claim_class(hint)
        self.models[cls] = ir.ObjectModel(cls, hint, (), pointer=pointer)  # placeholder for recursion
        bases: list[str] = []
        fields: dict[str, ir.Field] = {}
        required = set(schema.required or [])
        parts_pointer = split_pointer(pointer)
        parts = list(schema.allOf or [])
        parents = [self.parent_model(part, pointer_join(*parts_pointer, "allOf", i), cls, hint)
                   for i, part in enumerate(parts)]
        # One parent object model is a base class; several are merged (no diamond of fields).
        single = len({p for p in parents if p}) == 1
        for i, (part, parent) in enumerate(zip(parts, parents, strict=True)):
            part_pointer = pointer_join(*parts_pointer, "allOf", i)
            if parent and single:
                if parent not in bases:
                    bases.append(parent)
                continue
            if parent:
                for f in self.all_fields(parent):
                    self.merge_field(fields, f)
                continue
            resolved, resolved_pointer = self.deref(part, part_pointer)
            if is_schema(resolved):
                required |= self._part_fields(resolved, resolved_pointer, cls, hint, fields)
            elif not is_ref(part):
                self.warn("allOf part is not an object schema; ignored", part_pointer)
        inherited = {f.wire_name: f for base in bases for f in self.all_fields(base)}
        required |= {name for name, f in inherited.items() if f.required}
        for f in self.fields_of(schema, pointer, cls, required):
            self.merge_field(fields, f)
        for name, f in list(fields.items()):  # a base's property declared again: both apply
            if name in inherited:
                fields[name] = self.merged(inherited[name], f)
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
            f if f.required or f.wire_name not in required or f.wire_name in self.one_way(schema)
            else replace(f, required=True)
            for f in fields.values()
        )
        extra, extra_type = self._extra(schema, pointer, cls)
        title = schema.title if schema.title not in (None, cls) else None
        if title is None and component and hint != cls:
            title = hint  # the component's own name, as its JSON Schema title
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
            checks=self.keyword_checks(schema, pointer, cls),
            examples=self.examples(schema, pointer),
        )
        self.models[cls] = model
        return model

    def _part_fields(self, part: Schema, pointer: str, cls: str, hint: str, fields: dict[str, ir.Field],
                     depth: int = 0) -> set[str]:
        """Merge an inline allOf part's fields into `fields`, its own allOf parts included (an
        object model they name gives its fields); return the names it requires."""
        required = set(part.required or [])
        for i, sub in enumerate(part.allOf or [] if depth < 50 else []):
            sub_pointer = child_pointer(pointer, "allOf", i)
            parent = self.parent_model(sub, sub_pointer, cls, hint)
            if parent:
                merged = self.all_fields(parent)
                for f in merged:
                    self.merge_field(fields, f)
                required |= {f.wire_name for f in merged if f.required}
                continue
            resolved, resolved_pointer = self.deref(sub, sub_pointer)
            if is_schema(resolved):
                required |= self._part_fields(resolved, resolved_pointer, cls, hint, fields, depth + 1)
        for f in self.fields_of(part, pointer, cls, required):
            self.merge_field(fields, f)
        return required

    def _extra(self, schema: Schema, pointer: str, cls: str) -> tuple[Literal["allow", "forbid", "ignore"], ir.TypeRef | None]:
        additional = schema.additionalProperties
        if keyword(schema, "patternProperties", None):  # pattern keys are kept (and checked)
            return "allow", None
        if additional is False:
            return "forbid", None
        if additional is True:
            return "allow", None
        if additional is not None:
            sub = child_pointer(pointer, "additionalProperties")
            return "allow", self.type_of(additional, sub, f"{cls}Value")
        return self.options.extra or "ignore", None  # unset in the spec: the configured policy

    def parent_model(self, part: Node, pointer: str, cls: str, hint: str) -> str:
        """The object model class an allOf part refers to, or "" when it is not one."""
        if not is_ref(part):
            return ""
        ref = cast(Reference, part).ref
        target_class = self.component_classes.get(component_of(ref) or "", "")
        if target_class and target_class in self.building:
            self.warn(f"allOf inheritance cycle through {ref!r}: the part is ignored", pointer)
            return ""
        self.building.add(cls)
        try:
            self.ensure_component(ref)
        finally:
            self.building.discard(cls)
        if target_class:
            model = self.models.get(target_class)
            return target_class if isinstance(model, ir.ObjectModel) and target_class != cls else ""
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
