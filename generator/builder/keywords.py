"""JSON Schema keywords pydantic has no native form for, as checks of models.py's validators:
`not`, `if`/`then`/`else`, `uniqueItems`, `contains`, `propertyNames`, `patternProperties`,
`dependentRequired`, `minProperties`/`maxProperties` on models, non-literal `const`/`enum`."""

from __future__ import annotations

import re
from typing import Any

from generator import ir
from generator.builder.context import Schema, SchemaContext, child_pointer, keyword
from generator.diagnostics import pointer_join
from generator.front.resolve import split_pointer

#: Keywords neither pydantic nor a check enforces (attribute → spec keyword).
_NOT_ENFORCED = {
    "dependentSchemas": "dependentSchemas",
    "prefixItems": "prefixItems",
    "unevaluatedItems": "unevaluatedItems",
    "unevaluatedProperties": "unevaluatedProperties",
}


#: The keywords (attribute names and spellings) `keyword_checks` reads.
_RELEVANT = frozenset({
    "schema_not", "not", "schema_if", "if", "then", "schema_else", "else", "uniqueItems",
    "contains", "propertyNames", "patternProperties", "oneOf", "anyOf", "required",
    "dependentRequired", "minProperties", "maxProperties", *_NOT_ENFORCED,
})


class KeywordChecks(SchemaContext):
    """The checks one schema needs beyond its type (and its `Field` constraints)."""

    def keyword_checks(self, schema: Schema, pointer: str, hint: str) -> tuple[ir.Check, ...]:
        fields = set(schema.model_fields_set)
        extra = schema.__pydantic_extra__
        if not (fields & _RELEVANT or (extra and extra.keys() & _RELEVANT)):
            return ()  # most schemas: nothing to check here
        ignored = sorted(_NOT_ENFORCED.keys() & fields)
        if ignored:
            names = ", ".join(_NOT_ENFORCED[f] for f in ignored)
            self.warn(f"not enforced yet: {names}", pointer)
        parts = split_pointer(pointer)

        def sub(node: Any, *where: str | int) -> ir.TypeRef:
            suffix = "".join(str(w).title() for w in where if not isinstance(w, int))
            return self.type_of(node, pointer_join(*parts, *where), f"{hint}{suffix}")

        checks: list[ir.Check] = []
        if schema.schema_not is not None:
            checks.append(ir.Check("not", types=(sub(schema.schema_not, "not"),)))
        condition, then, other = (keyword(schema, k, None) for k in ("schema_if", "then", "schema_else"))
        if condition is not None and (then is not None or other is not None):
            branches = [sub(n, k) if n is not None else ir.ANY for n, k in ((then, "then"), (other, "else"))]
            checks.append(ir.Check("if", types=(sub(condition, "if"), *branches)))
        if schema.uniqueItems:
            checks.append(ir.Check("unique"))
        contains = keyword(schema, "contains", None)
        if contains is not None:
            low = keyword(schema, "minContains", None)
            high = keyword(schema, "maxContains", None)
            checks.append(ir.Check("contains", [1 if low is None else low, high], (sub(contains, "contains"),)))
        property_names = keyword(schema, "propertyNames", None)
        if property_names is not None:
            checks.append(ir.Check("property_names", types=(sub(property_names, "propertyNames"),)))
        patterns = self._patterns(schema, pointer)
        if patterns:
            keys = tuple(patterns)
            types = tuple(sub(node, "patternProperties", key) for key, node in patterns.items())
            checks.append(ir.Check("pattern_properties", keys=keys, types=types))
            if schema.additionalProperties is False:  # pattern keys are not "additional"
                known = tuple(schema.properties or {})
                checks.append(ir.Check("additional", list(keys), keys=known))
        for key in ("oneOf", "anyOf"):
            options = keyword(schema, key) or []
            if options and schema.properties:  # beside properties: checked on the whole object
                types = tuple(sub(o, key, i) for i, o in enumerate(options))
                checks.append(ir.Check("one_of" if key == "oneOf" else "any_of", types=types))
        if schema.required and not schema.properties and not schema.allOf:  # e.g. inside oneOf
            checks.append(ir.Check("required", list(schema.required)))
        required = keyword(schema, "dependentRequired", None)
        if required:
            checks.append(ir.Check("dependent_required", {k: list(v) for k, v in required.items()}))
        if schema.properties or schema.allOf:  # a model: dicts have these natively
            if schema.minProperties is not None:
                checks.append(ir.Check("min_properties", schema.minProperties))
            if schema.maxProperties is not None:
                checks.append(ir.Check("max_properties", schema.maxProperties))
        return tuple(checks)

    def _patterns(self, schema: Schema, pointer: str) -> dict[str, Any]:
        patterns = dict(keyword(schema, "patternProperties", None) or {})
        usable = {}
        for key, node in patterns.items():
            try:
                re.compile(key)
            except re.error as exc:
                where = child_pointer(pointer, "patternProperties", key)
                self.warn(f"pattern {key!r} is not a valid regex ({exc}); not enforced", where)
                continue
            usable[key] = node
        return usable
