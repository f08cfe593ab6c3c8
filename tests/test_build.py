"""IR facts from small inline specs: load → resolve → parse → build."""

from __future__ import annotations

import itertools
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from generator import ir
from generator.builder import build
from generator.diagnostics import Diagnostic, Severity
from generator.front.load import load_document
from generator.front.parse import parse
from generator.front.resolve import resolve
from generator.pipeline import generate

STR = ir.TypeRef("builtin", "str")
INT = ir.TypeRef("builtin", "int")
BOOL = ir.TypeRef("builtin", "bool")
FLOAT = ir.TypeRef("builtin", "float")
NULLABLE_STR = ir.TypeRef("union", args=(STR, ir.NONE))


def spec(
    schemas: dict[str, Any] | None = None,
    version: str = "3.1.0",
    paths: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "Test", "version": "1.0"},
        "paths": paths or {},
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def write(tmp_path: Path, doc: dict[str, Any], name: str = "spec.json") -> Path:
    path = tmp_path / name
    if name.endswith((".yaml", ".yml")):
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def build_ir(tmp_path: Path, doc: dict[str, Any], name: str = "spec.json") -> tuple[ir.Api, list[Diagnostic]]:
    path = write(tmp_path, doc, name)
    return build(path, parse(path, resolve(path, load_document(path))))


def model(api: ir.Api, name: str) -> ir.Model:
    found = [m for m in api.models if m.name == name]
    assert len(found) == 1, [m.name for m in api.models]
    return found[0]


def obj(api: ir.Api, name: str) -> ir.ObjectModel:
    m = model(api, name)
    assert isinstance(m, ir.ObjectModel), m
    return m


def field(m: ir.ObjectModel, wire: str) -> ir.Field:
    found = [f for f in m.fields if f.wire_name == wire]
    assert len(found) == 1, [f.wire_name for f in m.fields]
    return found[0]


def operation(api: ir.Api, name: str) -> ir.Operation:
    found = [op for op in api.operations if op.name == name]
    assert len(found) == 1, [op.name for op in api.operations]
    return found[0]


def warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.WARNING]


_counter = itertools.count()


@pytest.fixture
def models_module(tmp_path: Path) -> Iterator[Any]:
    """A function that generates models.py for a spec and imports it as a fresh module."""
    names: list[str] = []

    def load(doc: dict[str, Any]) -> types.ModuleType:
        path = write(tmp_path, doc, f"spec{next(_counter)}.json")
        generated = generate(path, "pkg", frozenset({"models"}))
        source = generated.files["pkg/models.py"]
        name = f"_apismith_test_build_models_{next(_counter)}"
        module = types.ModuleType(name)
        sys.modules[name] = module  # pydantic resolves postponed annotations here
        names.append(name)
        exec(compile(source, f"<{name}>", "exec"), module.__dict__)
        return module

    yield load
    for name in names:
        sys.modules.pop(name, None)


# ---------------------------------------------------------------------- nullable


@pytest.mark.parametrize(
    ("version", "schema"),
    [
        ("3.0.3", {"type": "string", "nullable": True}),
        ("3.1.0", {"type": ["string", "null"]}),
        ("3.1.0", {"type": ["null", "string"]}),
        ("3.1.0", {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        ("3.1.0", {"oneOf": [{"type": "null"}, {"type": "string"}]}),
    ],
    ids=["3.0-nullable", "3.1-type-list", "3.1-type-list-null-first", "3.1-anyOf", "3.1-oneOf"],
)
def test_nullable_spellings_give_the_same_field(tmp_path: Path, version: str, schema: dict[str, Any]) -> None:
    api, _ = build_ir(tmp_path, spec({"A": {"type": "object", "properties": {"x": schema}}}, version))
    f = field(obj(api, "A"), "x")
    assert f.nullable
    assert f.type == NULLABLE_STR  # None last, whichever way the spec spells it
    assert not f.required


def test_non_nullable_string_is_not_nullable(tmp_path: Path) -> None:
    api, _ = build_ir(tmp_path, spec({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}, "3.0.3"))
    f = field(obj(api, "A"), "x")
    assert not f.nullable
    assert f.type == STR


def test_nullable_false_in_30_is_not_nullable(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "properties": {"x": {"type": "integer", "nullable": False}}}}
    api, _ = build_ir(tmp_path, spec(schemas, "3.0.3"))
    assert field(obj(api, "A"), "x").type == INT


# ---------------------------------------------------------------------- required / optional / default

PRESENCE = {
    "A": {
        "type": "object",
        "required": ["req", "req_null"],
        "properties": {
            "req": {"type": "string"},
            "opt": {"type": "string"},
            "opt_default": {"type": "integer", "default": 3},
            "req_null": {"type": ["string", "null"]},
            "opt_null_default": {"type": ["string", "null"], "default": None},
        },
    }
}


def test_required_optional_default_are_distinct_in_the_ir(tmp_path: Path) -> None:
    api, diagnostics = build_ir(tmp_path, spec(PRESENCE))
    a = obj(api, "A")
    req, opt, opt_default = field(a, "req"), field(a, "opt"), field(a, "opt_default")
    req_null, opt_null_default = field(a, "req_null"), field(a, "opt_null_default")

    assert (req.required, req.default, req.nullable) == (True, None, False)
    assert (opt.required, opt.default, opt.nullable) == (False, None, False)
    assert (opt_default.required, opt_default.default) == (False, ir.Default(3))
    assert opt_default.type == INT
    assert (req_null.required, req_null.default, req_null.nullable) == (True, None, True)
    # An explicit `default: null` is a default (of None), not the absence of one.
    assert opt_null_default.default == ir.Default(None)
    assert not opt_null_default.required
    assert warnings(diagnostics) == []


def test_required_optional_default_behave_differently_at_runtime(models_module: Any) -> None:
    models = models_module(spec(PRESENCE))
    a = models.A(req="r", req_null=None)
    assert a.req == "r"
    assert a.opt is pydantic.MISSING
    assert a.opt_default == 3
    assert a.req_null is None
    assert a.opt_null_default is None
    assert a.model_dump(mode="json") == {
        "req": "r",
        "opt_default": 3,
        "req_null": None,
        "opt_null_default": None,
    }
    with pytest.raises(pydantic.ValidationError) as missing:
        models.A(req="r")  # required-and-nullable must still be present
    assert [e["loc"] for e in missing.value.errors()] == [("req_null",)]
    with pytest.raises(pydantic.ValidationError):
        models.A(req=None, req_null=None)  # required, not nullable
    with pytest.raises(pydantic.ValidationError):
        models.A(req="r", req_null=None, opt=None)  # optional, not nullable


# ---------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("version", "schema", "expected"),
    [
        ("3.0.3", {"type": "integer", "minimum": 1, "exclusiveMinimum": True}, (("gt", 1),)),
        ("3.0.3", {"type": "integer", "minimum": 1, "exclusiveMinimum": False}, (("ge", 1),)),
        ("3.0.3", {"type": "integer", "minimum": 1}, (("ge", 1),)),
        ("3.0.3", {"type": "integer", "maximum": 9, "exclusiveMaximum": True}, (("lt", 9),)),
        ("3.1.0", {"type": "integer", "exclusiveMinimum": 1}, (("gt", 1),)),
        ("3.1.0", {"type": "integer", "exclusiveMaximum": 9}, (("lt", 9),)),
        ("3.1.0", {"type": "number", "exclusiveMinimum": 0.5}, (("gt", 0.5),)),
        ("3.1.0", {"type": "integer", "minimum": 0, "exclusiveMaximum": 10}, (("ge", 0), ("lt", 10))),
    ],
)
def test_exclusive_bounds_become_gt_and_lt(
    tmp_path: Path, version: str, schema: dict[str, Any], expected: tuple[tuple[str, Any], ...]
) -> None:
    api, _ = build_ir(tmp_path, spec({"A": {"type": "object", "properties": {"n": schema}}}, version))
    f = field(obj(api, "A"), "n")
    assert f.constraints == expected
    assert f.type.kind == "builtin"  # constraints moved onto the Field, not the type


def test_exclusive_minimum_is_enforced_by_the_model(models_module: Any) -> None:
    schemas = {
        "A": {
            "type": "object",
            "properties": {
                "v30": {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            },
        }
    }
    models = models_module(spec(schemas, "3.0.3"))
    assert models.A(v30=2).v30 == 2
    with pytest.raises(pydantic.ValidationError):
        models.A(v30=1)


# ---------------------------------------------------------------------- enums


def test_string_enum_component_is_an_enum_model(tmp_path: Path) -> None:
    api, _ = build_ir(tmp_path, spec({"Color": {"type": "string", "enum": ["red", "dark-green", "class"]}}))
    color = model(api, "Color")
    assert isinstance(color, ir.EnumModel)
    assert color.base == "StrEnum"
    assert [(m.name, m.value) for m in color.members] == [
        ("RED", "red"),
        ("DARK_GREEN", "dark-green"),
        ("CLASS", "class"),
    ]


def test_integer_enum_component_is_an_enum_model(tmp_path: Path) -> None:
    api, _ = build_ir(tmp_path, spec({"Level": {"type": "integer", "enum": [1, 2, 10]}}))
    level = model(api, "Level")
    assert isinstance(level, ir.EnumModel)
    assert level.base == "IntEnum"
    assert [(m.name, m.value) for m in level.members] == [("V1", 1), ("V2", 2), ("V10", 10)]


def test_field_referring_to_an_enum_and_its_default(tmp_path: Path) -> None:
    schemas = {
        "Color": {"type": "string", "enum": ["red", "green"]},
        "A": {
            "type": "object",
            "properties": {"c": {"$ref": "#/components/schemas/Color", "default": "green"}},
        },
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    f = field(obj(api, "A"), "c")
    assert f.type == ir.TypeRef("model", "Color")


def test_inline_enum_is_a_literal(tmp_path: Path) -> None:
    schemas = {
        "A": {
            "type": "object",
            "properties": {
                "s": {"type": "string", "enum": ["a", "b"]},
                "n": {"type": "integer", "enum": [1, 2]},
                "sn": {"type": ["string", "null"], "enum": ["a", None]},
            },
        }
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    a = obj(api, "A")
    assert field(a, "s").type == ir.TypeRef("literal", values=("a", "b"))
    assert field(a, "n").type == ir.TypeRef("literal", values=(1, 2))
    assert field(a, "sn").type == ir.TypeRef("union", args=(ir.TypeRef("literal", values=("a",)), ir.NONE))
    assert not any(isinstance(m, ir.EnumModel) for m in api.models)


# ---------------------------------------------------------------------- allOf, recursion


def test_all_of_with_a_ref_base_extends_the_base(tmp_path: Path) -> None:
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            ]
        },
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    child = obj(api, "Child")
    assert child.bases == ("Base",)
    assert [f.wire_name for f in child.fields] == ["name"]  # `id` is inherited, not copied
    assert field(child, "name").required
    names = [m.name for m in api.models]
    assert names.index("Base") < names.index("Child")  # a base is defined first


BASE_DECLARED_AFTER = {
    "Child": {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"name": {"type": "string"}}},
        ]
    },
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
}


def test_all_of_with_a_base_declared_after_validates_the_same(models_module: Any) -> None:
    models = models_module(spec(BASE_DECLARED_AFTER))
    child = models.Child(id=1, name="n")
    assert (child.id, child.name) == (1, "n")
    with pytest.raises(pydantic.ValidationError):
        models.Child(name="n")


def test_all_of_with_a_base_declared_after_extends_the_base(tmp_path: Path, models_module: Any) -> None:
    api, _ = build_ir(tmp_path, spec(BASE_DECLARED_AFTER))
    child = obj(api, "Child")
    assert child.bases == ("Base",)
    assert [f.wire_name for f in child.fields] == ["name"]
    models = models_module(spec(BASE_DECLARED_AFTER))
    assert issubclass(models.Child, models.Base)
    child = models.Child(id=1, name="n")
    assert (child.id, child.name) == (1, "n")
    with pytest.raises(pydantic.ValidationError):
        models.Child(name="n")


def test_recursive_schema_refers_to_itself(tmp_path: Path) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"$ref": "#/components/schemas/Node"},
            },
        }
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    node = obj(api, "Node")
    assert field(node, "children").type == ir.TypeRef("list", args=(ir.TypeRef("model", "Node"),))
    assert field(node, "parent").type == ir.TypeRef("model", "Node")
    assert [m.name for m in api.models] == ["Node"]


def test_recursive_model_validates_nested_data(models_module: Any) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
        }
    }
    models = models_module(spec(schemas))
    tree = models.Node.model_validate({"children": [{"children": [{}]}, {}]})
    assert isinstance(tree.children[0].children[0], models.Node)


def test_mutually_recursive_schemas(tmp_path: Path) -> None:
    schemas = {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    assert field(obj(api, "A"), "b").type == ir.TypeRef("model", "B")
    assert field(obj(api, "B"), "a").type == ir.TypeRef("model", "A")


# ---------------------------------------------------------------------- property names


def test_unsafe_property_names_get_safe_python_names(tmp_path: Path) -> None:
    props = {w: {"type": "string"} for w in ["class", "model_config", "userEmail", "2fa", "self", "str", "x-y", "日本"]}
    api, _ = build_ir(tmp_path, spec({"A": {"type": "object", "properties": props}}))
    a = obj(api, "A")
    names = {f.wire_name: f.name for f in a.fields}
    assert names["class"] == "class_"
    assert names["model_config"] == "model_config_"
    assert names["userEmail"] == "user_email"
    assert names["2fa"] == "field_2fa"
    assert names["self"] == "self_"
    assert names["str"] == "str_"
    assert names["x-y"] == "x_y"
    assert names["日本"] == "field"
    assert a.aliased
    assert len(set(names.values())) == len(names)


def test_colliding_property_names_are_numbered(tmp_path: Path) -> None:
    props = {w: {"type": "string"} for w in ["user_email", "userEmail", "user-email"]}
    api, _ = build_ir(tmp_path, spec({"A": {"type": "object", "properties": props}}))
    assert [f.name for f in obj(api, "A").fields] == ["user_email", "user_email_2", "user_email_3"]


def test_property_named_like_a_component_class_does_not_shadow_it(tmp_path: Path) -> None:
    schemas = {
        "pet": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "A": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/pet"}}},
    }
    api, _ = build_ir(tmp_path, spec(schemas))
    f = field(obj(api, "A"), "pet")
    assert f.type == ir.TypeRef("model", "pet")
    assert f.name != "pet"


def test_safe_names_keep_their_wire_names_at_runtime(models_module: Any) -> None:
    props = {w: {"type": "string"} for w in ["class", "model_config", "userEmail"]}
    models = models_module(spec({"A": {"type": "object", "properties": props}}))
    a = models.A.model_validate({"class": "c", "model_config": "m", "userEmail": "u"})
    assert (a.class_, a.model_config_, a.user_email) == ("c", "m", "u")
    assert a.model_dump(mode="json", by_alias=True) == {"class": "c", "model_config": "m", "userEmail": "u"}
    assert models.A(class_="x").class_ == "x"  # by name too


# ---------------------------------------------------------------------- operations


def _op(op_id: str | None = None, tags: list[str] | None = None, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"responses": {"204": {"description": "done"}}}
    if op_id:
        out["operationId"] = op_id
    if tags:
        out["tags"] = tags
    out.update(more)
    return out


def test_fastapi_operation_id_is_shortened(tmp_path: Path) -> None:
    paths = {
        "/api/v1/oauth2/token": {"post": _op("get_token_api_v1_oauth2_token_post")},
        "/items/{item_id}": {
            "get": _op(
                "read_item_items__item_id__get",
                parameters=[{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
        "/plain": {"get": _op("listThings")},
        "/none": {"get": _op()},
    }
    api, _ = build_ir(tmp_path, spec(paths=paths))
    by_path = {op.path: op for op in api.operations}
    token = by_path["/api/v1/oauth2/token"]
    assert token.name == "get_token"
    assert token.operation_id == "get_token_api_v1_oauth2_token_post"  # kept for the server
    assert by_path["/items/{item_id}"].name == "read_item"
    assert by_path["/plain"].name == "list_things"
    assert by_path["/plain"].operation_id == "listThings"
    assert by_path["/none"].name == "get_none"
    assert by_path["/none"].operation_id == "get_none_none_get"  # what FastAPI would make


def test_operations_are_grouped_by_first_tag(tmp_path: Path) -> None:
    paths = {
        "/pets": {"get": _op("listPets", ["pets"]), "post": _op("createPet", ["pets", "admin"])},
        "/store": {"get": _op("getInventory", ["store"])},
        "/health": {"get": _op("health")},
        "/pets/{id}": {
            "delete": _op(
                "deletePet",
                ["pets"],
                parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
    }
    doc = spec(paths=paths, tags=[{"name": "store", "description": "Store things"}, {"name": "unused"}])
    api, _ = build_ir(tmp_path, doc)
    tags = {t.name: t for t in api.tags}
    assert list(tags) == ["store", "pets", "default"]  # declared order first; unused dropped
    assert [op.name for op in tags["pets"].operations] == ["list_pets", "create_pet", "delete_pet"]
    assert [op.name for op in tags["store"].operations] == ["get_inventory"]
    assert [op.name for op in tags["default"].operations] == ["health"]
    assert tags["store"].description == "Store things"
    assert (tags["pets"].class_name, tags["pets"].attribute, tags["pets"].module) == ("PetsApi", "pets", "pets")
    assert operation(api, "create_pet").tags == ("pets", "admin")


def test_same_operation_name_in_a_tag_is_numbered(tmp_path: Path) -> None:
    paths = {"/a": {"get": _op("get_thing")}, "/b": {"get": _op("getThing")}}
    api, _ = build_ir(tmp_path, spec(paths=paths))
    assert [op.name for op in api.tags[0].operations] == ["get_thing", "get_thing_2"]


def test_path_level_parameters_are_merged_and_overridden(tmp_path: Path) -> None:
    paths = {
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}, "description": "path level"},
            ],
            "get": _op(
                "getPet",
                parameters=[
                    {"name": "verbose", "in": "query", "schema": {"type": "integer"}, "description": "op level"},
                    {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
            ),
            "delete": _op("deletePet"),
        }
    }
    api, _ = build_ir(tmp_path, spec(paths=paths))
    get = operation(api, "get_pet")
    params = {(p.wire_name, p.location): p for p in get.parameters}
    assert set(params) == {("petId", "path"), ("verbose", "query"), ("X-Trace", "header")}
    assert params[("verbose", "query")].description == "op level"  # the operation's wins
    assert params[("verbose", "query")].type == INT
    assert params[("petId", "path")].name == "pet_id"
    assert params[("petId", "path")].required
    assert params[("X-Trace", "header")].name == "x_trace"
    assert [p.required for p in get.parameters] == sorted((p.required for p in get.parameters), reverse=True)
    delete = operation(api, "delete_pet")
    assert {(p.wire_name, p.location) for p in delete.parameters} == {("petId", "path"), ("verbose", "query")}


def test_security_inherited_versus_explicitly_empty(tmp_path: Path) -> None:
    paths = {
        "/inherit": {"get": _op("inherit")},
        "/public": {"get": _op("public", security=[])},
        "/key": {"get": _op("key", security=[{"key": []}])},
        "/either": {"get": _op("either", security=[{"bearer": []}, {"key": [], "bearer": []}])},
    }
    doc = spec(
        paths=paths,
        components={
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            }
        },
        security=[{"bearer": []}],
    )
    api, diagnostics = build_ir(tmp_path, doc)
    assert api.security == (("bearer",),)
    inherit, public = operation(api, "inherit"), operation(api, "public")
    assert inherit.security is None
    assert inherit.security_raw is None
    assert public.security == ()
    assert public.security_raw == ()
    assert operation(api, "key").security == (("key",),)
    assert operation(api, "either").security == (("bearer",), ("key", "bearer"))
    # What each operation ends up requiring.
    assert api.security_for(inherit) == (("bearer",),)
    assert api.security_for(public) == ()
    assert warnings(diagnostics) == []


def test_security_naming_an_unknown_scheme_warns(tmp_path: Path) -> None:
    paths = {"/x": {"get": _op("x", security=[{"nope": []}])}}
    api, diagnostics = build_ir(tmp_path, spec(paths=paths))
    assert operation(api, "x").security == ()
    assert [d.pointer for d in warnings(diagnostics)] == ["/paths/~1x/get/security"]
    assert "nope" in warnings(diagnostics)[0].message


# ---------------------------------------------------------------------- warnings with pointers


def test_discriminator_builds_a_tagged_union_without_warning(tmp_path: Path) -> None:
    schemas = {
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]},
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
    }
    api, diagnostics = build_ir(tmp_path, spec(schemas))
    pet = model(api, "Pet")
    assert isinstance(pet, ir.AliasModel)
    assert pet.type.args == (ir.TypeRef("model", "Cat"), ir.TypeRef("model", "Dog"))
    assert pet.type.discriminator == ir.Discriminator("kind", "", (("Cat",), ("Dog",)))
    assert not [d for d in warnings(diagnostics) if "discriminator" in d.message]


def test_bad_boolean_default_is_repaired_with_a_warning(tmp_path: Path) -> None:
    schemas = {
        "A": {
            "type": "object",
            "properties": {
                "flag": {"type": "boolean", "default": "false"},
                "on": {"type": "boolean", "default": "True"},
                "count": {"type": "integer", "default": "7"},
                "ok": {"type": "boolean", "default": True},
            },
        }
    }
    api, diagnostics = build_ir(tmp_path, spec(schemas))
    a = obj(api, "A")
    assert field(a, "flag").default == ir.Default(False)
    assert field(a, "on").default == ir.Default(True)
    assert field(a, "count").default == ir.Default(7)
    assert field(a, "ok").default == ir.Default(True)
    by_pointer = {d.pointer: d for d in warnings(diagnostics)}
    assert set(by_pointer) == {
        "/components/schemas/A/properties/flag",
        "/components/schemas/A/properties/on",
        "/components/schemas/A/properties/count",
    }
    assert "'false'" in by_pointer["/components/schemas/A/properties/flag"].message
    assert "False" in by_pointer["/components/schemas/A/properties/flag"].message


def test_unrepairable_default_is_dropped_with_a_warning(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "properties": {"n": {"type": "integer", "default": "lots"}}}}
    api, diagnostics = build_ir(tmp_path, spec(schemas))
    assert field(obj(api, "A"), "n").default is None
    assert [d.pointer for d in warnings(diagnostics)] == ["/components/schemas/A/properties/n"]
    assert "not used" in warnings(diagnostics)[0].message


def test_pointer_of_a_property_with_a_slash_is_escaped(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "properties": {"a/b~c": {"type": "boolean", "default": "false"}}}}
    _, diagnostics = build_ir(tmp_path, spec(schemas))
    assert [d.pointer for d in warnings(diagnostics)] == ["/components/schemas/A/properties/a~1b~0c"]


def test_yaml_and_json_specs_build_the_same_ir(tmp_path: Path) -> None:
    doc = spec(PRESENCE, paths={"/a": {"get": _op("getA")}})
    from_json, _ = build_ir(tmp_path, doc, "spec.json")
    from_yaml, _ = build_ir(tmp_path, doc, "spec.yaml")
    assert from_json.models == from_yaml.models
    assert from_json.tags == from_yaml.tags


def test_unenforced_keywords_warn_with_their_pointer(tmp_path: Path) -> None:
    schemas = {
        "Pair": {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "string"}},
        "Odd": {"type": "object", "properties": {"n": {"type": "integer", "not": {"const": 2}}}},
    }
    doc = spec(schemas)
    doc["openapi"] = "3.1.0"
    api, diagnostics = build_ir(tmp_path, doc)
    found = {d.pointer: d.message for d in warnings(diagnostics) if "not enforced" in d.message}
    assert found == {"/components/schemas/Pair": "not enforced yet: prefixItems"}
    n = field(obj(api, "Odd"), "n").type  # `not` is enforced now: a check on the int
    assert n.kind == "annotated" and n.args == (INT,) and [c.kind for c in n.checks] == ["not"]


def test_defaults_of_imported_types_and_later_enums(tmp_path: Path) -> None:
    schemas = {
        "A": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid", "default": "07ef8b4d-aa09-4ffa-898d-c710796aff41"},
                "day": {"type": "string", "format": "date", "default": "2024-02-29"},
                "bad": {"type": "string", "format": "uuid", "default": "not-a-uuid"},
                "color": {"allOf": [{"$ref": "#/components/schemas/Color"}], "default": "red"},
            },
        },
        "Color": {"type": "string", "enum": ["red", "green"]},  # declared after its use
    }
    api, diagnostics = build_ir(tmp_path, spec(schemas))
    a = obj(api, "A")
    assert field(a, "id").default == ir.Default("07ef8b4d-aa09-4ffa-898d-c710796aff41", call="uuid.UUID")
    assert field(a, "day").default == ir.Default("2024-02-29", call="datetime.date.fromisoformat")
    assert field(a, "bad").default is None
    assert field(a, "color").default == ir.Default("red", "Color.RED")
    dropped = [d.pointer for d in warnings(diagnostics) if "not used" in d.message]
    assert dropped == ["/components/schemas/A/properties/bad"]
