"""Repairs of schema objects: what real documents get wrong, and 3.1 spellings in 3.0 documents.

Every repair that changes the document is a warning naming the schema's JSON pointer.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from generator.diagnostics import pointer_join
from generator.front.report import Reporter
from generator.front.values import as_bool, dedupe, drop_incomplete, string_fields

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_KEYS = ("not", "contains", "if", "then", "else", "propertyNames", "additionalItems",
                "unevaluatedItems", "unevaluatedProperties")
_BOOLEANS = frozenset({"nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"})
_EXCLUSIVE = frozenset({"exclusiveMinimum", "exclusiveMaximum"})
_STRINGS = frozenset({"title", "description", "format", "pattern"})
_CHILDREN = frozenset({*_SCHEMA_MAPS, *_SCHEMA_LISTS, *_SCHEMA_KEYS, "items", "additionalProperties"})
#: Keywords that may need rewriting in a 3.0 document (3.1 / JSON Schema 2020-12 spellings).
_V31_ONLY = frozenset({"const", "examples", "exclusiveMinimum", "exclusiveMaximum"})
_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
#: Spellings of types seen in real documents → (type, format).
_TYPE_ALIASES: dict[str, tuple[str, str | None]] = {
    "int": ("integer", None), "int32": ("integer", "int32"), "int64": ("integer", "int64"),
    "long": ("integer", "int64"), "float": ("number", "float"), "double": ("number", "double"),
    "decimal": ("number", None), "bool": ("boolean", None), "str": ("string", None),
    "text": ("string", None), "dict": ("object", None), "map": ("object", None),
    "list": ("array", None), "file": ("string", "binary"), "date": ("string", "date"),
    "datetime": ("string", "date-time"), "date-time": ("string", "date-time"),
}
#: Keywords that only apply to one type (moved into a branch when a 3.0 type list is split).
_TYPE_KEYWORDS = {
    "string": ("minLength", "maxLength", "pattern", "format"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"),
    "array": ("items", "minItems", "maxItems", "uniqueItems"),
    "object": ("properties", "additionalProperties", "required", "minProperties", "maxProperties"),
}
#: Schemas nested this deep are parsed separately (pydantic validates at most ~255 levels).
DEEP_EVERY = 64
#: Where those schemas are kept until the builder reads them: `#/x-apismith-deep/N/schema`.
DEEP_KEY = "x-apismith-deep"
#: ECMAScript named groups `(?<name>` (not look-behinds `(?<=`, `(?<!`) → Python's `(?P<name>`.
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z_])")


class SchemaRepairs:
    """Repairs one schema tree; `v30` selects the OpenAPI 3.0 rules."""

    def __init__(self, report: Reporter, v30: bool) -> None:
        self.report = report
        self.v30 = v30
        self.depth = 0
        #: Subschemas set aside so no parse goes deeper than `DEEP_EVERY` schemas: {pointer, schema}.
        self.deep: list[dict[str, Any]] = []

    def schema(self, node: Any, parts: list[str]) -> Any:
        self.depth += 1
        try:
            out = self._schema(node, parts)
        finally:
            self.depth -= 1
        if self.depth and self.depth % DEEP_EVERY == 0 and isinstance(out, dict) and "$ref" not in out:
            self.deep.append({"pointer": pointer_join(*parts), "schema": out})
            return {"$ref": f"#/{DEEP_KEY}/{len(self.deep) - 1}/schema"}
        return out

    def _schema(self, node: Any, parts: list[str]) -> Any:
        if node is True:
            return {}
        if node is False:
            self.report.warn("a `false` schema accepts nothing; typed as Any", parts)
            return {"not": {}}
        if not isinstance(node, dict):
            self.report.warn(f"a schema must be an object, not {type(node).__name__}; typed as Any", parts)
            return {}
        out = dict(node)
        if "$ref" in out:
            return self.reference(out, parts)
        for key, value in node.items():  # one pass for the cheap value repairs
            if isinstance(value, str):
                if key in _BOOLEANS or key in _EXCLUSIVE:
                    as_bool(out, key, parts, self.report)
            elif key in _STRINGS and isinstance(value, int | float | datetime.date):
                string_fields(out, (key,), parts, self.report)
        kind = out.get("type")
        if kind is not None and not (isinstance(kind, str) and kind in _TYPES):
            self.types(out, parts)
            kind = out.get("type")
        if self.v30 and (isinstance(kind, list) or kind == "null" or not _V31_ONLY.isdisjoint(out)):
            self.version_30(out, parts)
        if isinstance(out.get("items"), list):
            self.items(out, parts)
        if isinstance(out.get("discriminator"), str):  # Swagger 2.0's spelling
            self.report.warn("`discriminator` given as a property name; read as `{propertyName: ...}`",
                             [*parts, "discriminator"])
            out["discriminator"] = {"propertyName": out["discriminator"]}
        if "externalDocs" in out:
            drop_incomplete(out, "externalDocs", "url", parts, self.report)
        if isinstance(out.get("enum"), list):
            out["enum"] = dedupe(out["enum"], [*parts, "enum"], self.report)
        if "pattern" in out:
            self.pattern(out, parts)
        if "required" in out or "properties" in out:
            self.required(out, parts)
        self.children(out, parts)
        return out

    def reference(self, node: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        if not self.v30:
            return {k: self.schema(v, [*parts, k]) if k in _SCHEMA_MAPS + _SCHEMA_KEYS else v
                    for k, v in node.items()}
        ignored = [k for k in node if k not in ("$ref", "description", "summary") and not k.startswith("x-")]
        if ignored:
            self.report.warn(f"in OpenAPI 3.0, keywords beside $ref are ignored: {', '.join(ignored)}", parts)
        return {k: v for k, v in node.items() if k not in ignored}

    def types(self, out: dict[str, Any], parts: list[str]) -> None:
        raw = out.get("type")
        if raw is None:
            return
        listed = raw if isinstance(raw, list) else [raw]
        types: list[str] = []
        for item in listed:
            name = item.lower() if isinstance(item, str) else item
            if name in _TYPES:
                types.append(name)
                if item != name:
                    self.report.warn(f"type {item!r} read as {name!r}", [*parts, "type"])
            elif isinstance(name, str) and name in _TYPE_ALIASES:
                kind, fmt = _TYPE_ALIASES[name]
                types.append(kind)
                if fmt and "format" not in out:
                    out["format"] = fmt
                self.report.warn(f"unknown type {item!r} read as {kind!r}" + (f" ({fmt})" if fmt else ""),
                                 [*parts, "type"])
            else:
                self.report.warn(f"unknown type {item!r} ignored", [*parts, "type"])
        types = list(dict.fromkeys(types))
        if not types:
            del out["type"]
        elif isinstance(raw, list) and not self.v30:
            out["type"] = types
        else:
            out["type"] = types if len(types) > 1 or isinstance(raw, list) else types[0]

    def version_30(self, out: dict[str, Any], parts: list[str]) -> None:
        """3.1 (JSON Schema 2020-12) spellings in a 3.0 document, rewritten in 3.0 terms."""
        types = out.get("type")
        if isinstance(types, list):
            if "null" in types:
                out["nullable"] = True
            kinds = [t for t in types if t != "null"]
            self.report.warn(f"a type list {json.dumps(types)} is OpenAPI 3.1 syntax; read as "
                             + (" | ".join(kinds) or "any") + (" (nullable)" if "null" in types else ""),
                             [*parts, "type"])
            if len(kinds) <= 1:
                out.pop("type")
                if kinds:
                    out["type"] = kinds[0]
            else:
                out.pop("type")
                branches = []
                for kind in kinds:
                    branch: dict[str, Any] = {"type": kind}
                    for key in _TYPE_KEYWORDS.get(kind, ()):
                        if key in out:
                            branch[key] = out[key]
                    branches.append(branch)
                for kind in kinds:
                    for key in _TYPE_KEYWORDS.get(kind, ()):
                        out.pop(key, None)
                out["anyOf"] = [*out.get("anyOf", []), *branches] if isinstance(out.get("anyOf"), list) else branches
        elif types == "null":
            out.pop("type")
            out["nullable"] = True
            if "enum" not in out:  # 3.0's spelling of the schema that accepts only null
                out["enum"] = [None]
            self.report.warn("type 'null' is OpenAPI 3.1 syntax; read as nullable", [*parts, "type"])
        if "const" in out:
            self.report.warn("`const` is OpenAPI 3.1 syntax; read as a one-value enum", [*parts, "const"])
            out["enum"] = [out.pop("const")]
        if isinstance(out.get("examples"), list):
            examples = out.pop("examples")
            self.report.warn("`examples` in a schema is OpenAPI 3.1 syntax; the first is kept as `example`",
                             [*parts, "examples"])
            if examples and "example" not in out:
                out["example"] = examples[0]
        for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = out.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.report.warn(f"a numeric `{key}` is OpenAPI 3.1 syntax; read as `{bound}` with "
                                 f"`{key}: true`", [*parts, key])
                out[bound], out[key] = value, True

    def items(self, out: dict[str, Any], parts: list[str]) -> None:
        items = out.get("items")
        if isinstance(items, list):
            if len(items) == 1:
                self.report.warn("`items` given as a list; its one schema is used", [*parts, "items"])
                out["items"] = items[0]
            elif not items:
                self.report.warn("`items` given as an empty list; items typed as Any", [*parts, "items"])
                out["items"] = {}
            else:
                self.report.warn("`items` given as a list (positional items); read as any of them",
                                 [*parts, "items"])
                out["items"] = {"anyOf": items}

    def pattern(self, out: dict[str, Any], parts: list[str]) -> None:
        pattern = out.get("pattern")
        if not isinstance(pattern, str):
            if pattern is not None:
                self.report.warn("`pattern` is not a string; dropped", [*parts, "pattern"])
                out.pop("pattern")
            return
        try:
            re.compile(pattern)
            return
        except re.error as exc:
            problem = str(exc)
        translated = _NAMED_GROUP.sub("(?P<", pattern)
        if translated != pattern:
            try:
                re.compile(translated)
                self.report.warn(f"pattern {pattern!r} uses ECMAScript named groups; translated to "
                                 f"{translated!r}", [*parts, "pattern"])
                out["pattern"] = translated
                return
            except re.error:
                pass
        self.report.warn(f"pattern {pattern!r} is not a regex Python can compile ({problem}); dropped",
                         [*parts, "pattern"])
        out.pop("pattern")

    def children(self, out: dict[str, Any], parts: list[str]) -> None:
        for key in [k for k in out if k in _CHILDREN]:
            value = out[key]
            if key in _SCHEMA_MAPS:
                if isinstance(value, dict):
                    out[key] = {str(k): self.schema(v, [*parts, key, str(k)]) for k, v in value.items()}
            elif key in _SCHEMA_LISTS:
                if isinstance(value, list):
                    out[key] = [self.schema(v, [*parts, key, str(i)]) for i, v in enumerate(value)]
            elif key == "additionalProperties":
                if isinstance(value, str):
                    as_bool(out, key, parts, self.report)
                elif value is not None and not isinstance(value, bool):
                    out[key] = self.schema(value, [*parts, key])
            else:
                out[key] = self.schema(value, [*parts, key])

    def required(self, out: dict[str, Any], parts: list[str]) -> None:
        required = out.get("required")
        properties = out.get("properties")
        # Draft-3 style `required: true` on a property: lift it into the parent's list.
        if isinstance(properties, dict):
            lifted = []
            for name, prop in properties.items():
                if isinstance(prop, dict) and "required" in prop and not isinstance(prop["required"], list):
                    flag = prop.get("required")
                    if out["properties"] is properties:  # copy before changing: the input stays as loaded
                        out["properties"] = properties = dict(properties)
                    properties[name] = {k: v for k, v in prop.items() if k != "required"}
                    here = [*parts, "properties", name, "required"]
                    if flag in (True, "true"):
                        lifted.append(name)
                        self.report.warn("`required: true` on a property; moved to the object's "
                                         "`required` list", here)
                    else:
                        self.report.warn(f"`required: {flag}` on a property is not OpenAPI; ignored", here)
            if lifted:
                required = [*(required if isinstance(required, list) else []), *lifted]
                out["required"] = required
        if required is None:
            return
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            self.report.warn("`required` must be a list of property names; ignored", [*parts, "required"])
            out.pop("required")
            return
        out["required"] = dedupe(required, [*parts, "required"], self.report)
        closed = not any(k in out for k in ("allOf", "anyOf", "oneOf", "patternProperties")) and (
            out.get("additionalProperties") in (None, False))
        if isinstance(properties, dict) and closed:
            absent = [n for n in out["required"] if n not in properties]
            if absent:
                self.report.warn(f"`required` names properties that are not declared: "
                                 f"{', '.join(absent)}; ignored", [*parts, "required"])
                out["required"] = [n for n in out["required"] if n in properties]
        if not out["required"]:
            del out["required"]  # `required: []` means nothing, and 3.0 forbids it
