"""Shared state of the schema half of `build`: the document, diagnostics, models so far, and
reference lookups. The schema builders (types, objects, keywords, ...) extend it."""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

import pydantic
from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.diagnostics import Diagnostic, Severity, pointer_join
from generator.front.parse import OpenAPI
from generator.front.resolve import child, split_pointer
from generator.front.schema_repairs import DEEP_KEY
from generator.options import Options

Schema = v3_0.Schema | v3_1.Schema
Reference = v3_0.Reference | v3_1.Reference
Node = Schema | Reference | bool


#: Brackets a type expression may nest (Python's parser allows 200; annotations add some).
MAX_NESTING = 64


def keyword(schema: Any, name: str, default: Any = None) -> Any:
    """`getattr(schema, name, default)` for a keyword only some OpenAPI versions' models
    declare, without pydantic's slow path for an attribute a model lacks."""
    value = schema.__dict__.get(name, _ABSENT)
    if value is not _ABSENT:
        return value
    extra = getattr(schema, "__pydantic_extra__", None)
    return extra.get(name, default) if extra else default


_ABSENT = object()


def child_pointer(pointer: str, *parts: str | int) -> str:
    """The pointer to a node below `pointer` (normalized, as `split_pointer` reads it)."""
    if "%" in pointer:  # a percent-encoded `$ref` fragment: decode it first
        return pointer_join(*split_pointer(pointer), *parts)
    return pointer + pointer_join(*parts)


def nesting(type_: ir.TypeRef) -> int:
    return 1 + max((nesting(a) for a in type_.args), default=0)


def kind_name(obj: object) -> str:
    """`a parameter`, `a request body`, ... for an openapi-pydantic object or class."""
    cls = obj if isinstance(obj, type) else type(obj)
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def is_ref(node: object) -> bool:
    return isinstance(node, v3_0.Reference | v3_1.Reference)


def is_schema(node: object) -> TypeGuard[Schema]:
    return isinstance(node, v3_0.Schema | v3_1.Schema)


#: Keywords that describe a schema without constraining it.
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "externalDocs", "xml",
                          "comment"})


def annotation_only(node: object) -> bool:
    """Is the node a schema that only describes (an `allOf` part carrying a description)?"""
    if not is_schema(node):
        return False
    extra = {k for k in (node.model_extra or {}) if not k.startswith("x-")}
    return bool(node.model_fields_set | extra) and node.model_fields_set <= _ANNOTATIONS and not extra


def fields_set(obj: pydantic.BaseModel) -> set[str]:
    """The fields the document set (pydantic's own set: read it, never change it)."""
    return obj.model_fields_set


def component_of(ref: str) -> str | None:
    """The component schema name a `$ref` names (`#/components/schemas/NAME`), if it does."""
    parts = split_pointer(ref.partition("#")[2])
    return parts[2] if len(parts) == 3 and parts[:2] == ["components", "schemas"] else None


class SchemaContext:
    """What every schema builder shares; the methods below are implemented by its parts."""

    def __init__(self, path: Path, api: OpenAPI, options: Options) -> None:
        self.path = path
        self.api = api
        self.options = options
        self.diagnostics: list[Diagnostic] = []
        self.models: dict[str, ir.Model] = {}  # class name → model, in creation order
        self.class_names = naming.Namer(naming.MODULE_NAMES)
        self.component_classes: dict[str, str] = {}  # component schema name → class name
        self.resolving: list[str] = []
        self.building: set[str] = set()  # classes whose allOf bases are being built
        self._reserved: frozenset[str] = naming.FIELD_RESERVED
        self._reserved_for = 0  # len(component_classes) when `_reserved` was computed

    @functools.cached_property
    def schemas(self) -> Mapping[str, Any]:
        """The component schemas (the parsed document does not change while building)."""
        return types.MappingProxyType((self.api.components.schemas if self.api.components else None) or {})

    def warn(self, message: str, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, pointer, str(self.path)))

    def error(self, message: str, pointer: str) -> None:
        """A problem that makes the output wrong: files are generated, but the CLI exits 1."""
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, pointer, str(self.path)))

    def field_reserved(self) -> frozenset[str]:
        """Names no field may take: reserved words and every component's class name."""
        if self._reserved_for != len(self.component_classes):
            self._reserved = naming.FIELD_RESERVED | frozenset(self.component_classes.values())
            self._reserved_for = len(self.component_classes)
        return self._reserved

    def deep_pointer(self, target: str) -> str | None:
        """The original pointer of a schema the front end set aside for depth (`DEEP_KEY`)."""
        parts = split_pointer(target)
        if len(parts) != 3 or parts[0] != DEEP_KEY or not parts[1].isdigit():
            return None
        entries = (self.api.model_extra or {}).get(DEEP_KEY) or []
        entry = entries[int(parts[1])] if int(parts[1]) < len(entries) else None
        return str(entry["pointer"]) if isinstance(entry, dict) else None

    def bounded(self, type_: ir.TypeRef, hint: str, pointer: str) -> ir.TypeRef:
        """`type_`, or a named alias of it when it nests too deeply for Python's parser."""
        if nesting(type_) < MAX_NESTING:
            return type_
        cls = self.claim_class(hint)
        self.models[cls] = ir.AliasModel(cls, hint, type_, None, pointer)
        return ir.TypeRef("model", cls)

    def lookup(self, ref: str, pointer: str) -> Any:
        """The parsed object a local `$ref` points at (the resolver has checked it exists)."""
        node: Any = self.api
        for part in split_pointer(ref.partition("#")[2]):
            if isinstance(node, dict | list):
                node = _child(node, part)
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

    def deref(self, node: Any, pointer: str, kind: Any = None) -> tuple[Any, str]:
        """Follow references to a non-reference object; return it and its pointer.

        With `kind` (a class or tuple of classes), a reference to an object of another kind
        (a parameter `$ref` to a schema, say) is an error and gives None.
        """
        origin = pointer
        seen: set[str] = set()
        while is_ref(node):
            ref = node.ref
            if ref in seen:
                self.warn(f"$ref cycle through {ref!r}", pointer)
                return None, pointer
            seen.add(ref)
            pointer = ref.partition("#")[2]
            node = self.lookup(ref, pointer)
        if kind is not None and seen and node is not None and not isinstance(node, kind):
            expected = kind[0] if isinstance(kind, tuple) else kind
            self.error(f"$ref {ref!r} points at {kind_name(node)}, not {kind_name(expected)}; ignored",
                       child_pointer(origin, "$ref"))
            return None, origin
        return node, pointer

    # Implemented by the parts (declared here so that each part can call the others).

    def type_of(self, node: Node | None, pointer: str, hint: str) -> ir.TypeRef:
        raise NotImplementedError

    def object_model(self, schema: Schema, pointer: str, hint: str, cls: str | None) -> ir.ObjectModel:
        raise NotImplementedError

    def ensure_component(self, ref: str) -> None:
        raise NotImplementedError

    def claim_class(self, wire: str) -> str:
        raise NotImplementedError

    def all_fields(self, name: str) -> list[ir.Field]:
        raise NotImplementedError

    def keyword_checks(self, schema: Schema, pointer: str, hint: str) -> tuple[ir.Check, ...]:
        raise NotImplementedError

    def discriminated(self, schema: Schema, pointer: str, hint: str) -> ir.TypeRef:
        raise NotImplementedError

    def subtype_union(self, name: str) -> ir.TypeRef | None:
        raise NotImplementedError

    def enum_model(self, cls: str, wire: str, schema: Schema, pointer: str) -> ir.EnumModel | None:
        raise NotImplementedError

    def default(self, value: Any, type_: ir.TypeRef, pointer: str) -> ir.Default | None:
        raise NotImplementedError

    def merge_field(self, fields: dict[str, ir.Field], new: ir.Field) -> None:
        raise NotImplementedError

    def merged(self, old: ir.Field, new: ir.Field) -> ir.Field:
        raise NotImplementedError


def _child(node: dict[Any, Any] | list[Any], part: str) -> Any:
    try:
        return child(node, part)
    except KeyError:
        return None
