"""Named enums: `enum.StrEnum`/`enum.IntEnum` classes, strict or open; defaults that name a
member; any other default checked against its field's type."""

from __future__ import annotations

from typing import Any, Literal

from generator import ir, naming
from generator.builder.context import Schema, SchemaContext, keyword
from generator.builder.values import constructor, fits, json_key, repairs


class EnumBuilder(SchemaContext):
    """Enum classes, and defaults (which may be their members)."""

    def enum_model(self, cls: str, wire: str, schema: Schema, pointer: str) -> ir.EnumModel | None:
        raw = list(schema.enum or [])
        values = list({json_key(v): v for v in raw}.values())
        if all(isinstance(v, str) for v in values):
            base: Literal["StrEnum", "IntEnum"] = "StrEnum"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            base = "IntEnum"
        else:
            return None
        if keyword(schema, "nullable", False):
            return None
        if len(values) != len(raw):
            self.warn("enum has repeated values; duplicates dropped", pointer)
        namer = naming.Namer()
        members = tuple(
            ir.EnumMember(namer.claim(naming.constant_name(v if base == "StrEnum" else f"V{v}")), v)
            for v in values
        )
        model = ir.EnumModel(cls, wire, base, members, schema.description, pointer,
                             open=self.options.enums == "open")
        self.models[cls] = model
        return model

    def default(self, value: Any, type_: ir.TypeRef, pointer: str) -> ir.Default | None:
        """Check a default against the type; repair obvious slips, drop the rest, both with a warning."""
        member = self._enum_member(value, type_)
        if member:
            return ir.Default(value, member)
        if fits(value, type_, self.models):
            return ir.Default(value)
        call = constructor(value, type_)
        if call:
            return ir.Default(value, call=call)
        for repaired in repairs(value):
            if fits(repaired, type_, self.models):
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
                    if json_key(m.value) == json_key(value):
                        return f"{model.name}.{m.name}"
        return ""
