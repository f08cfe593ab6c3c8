"""Lenient front end: each repair of a sloppy document is a warning with its pointer, and the
generated code is what the author meant; what cannot be understood is one clear error."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import ir
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.pipeline import generate
from generator.render.pycode import annotation

OK = {"200": {"description": "ok"}}
INFO = {"title": "T", "version": "1"}


def write(tmp_path: Path, doc: Any, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    if isinstance(doc, str):
        path.write_text(doc, encoding="utf-8")
    elif name.endswith(".json"):
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def api_of(tmp_path: Path, doc: Any, name: str = "api.yaml") -> tuple[ir.Api, list[Diagnostic]]:
    """The IR and all diagnostics, through the same stages as `generate`."""
    from generator.builder import build
    from generator.front import load, normalize, parse, resolve

    path = write(tmp_path, doc, name)
    loading: list[Diagnostic] = []
    document = resolve.resolve(path, load.load_document(path, loading))
    document, repairs = normalize.normalize(path, document)
    api, diagnostics = build(path, parse.parse(path, document))
    return api, [*loading, *repairs, *diagnostics]


def warnings_at(diagnostics: list[Diagnostic], pointer: str) -> list[str]:
    return [d.message for d in diagnostics if d.pointer == pointer and d.severity is Severity.WARNING]


def model(api: ir.Api, name: str) -> ir.Model:
    [found] = [m for m in api.models if m.name == name]
    return found


def field_types(api: ir.Api, name: str) -> dict[str, str]:
    found = model(api, name)
    assert isinstance(found, ir.ObjectModel)
    return {f.name: annotation(f.type, missing=not f.required) for f in found.fields}


def operation(api: ir.Api, name: str) -> ir.Operation:
    [found] = [op for tag in api.tags for op in tag.operations if op.name == name]
    return found


def components(schemas: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    return {"openapi": version, "info": INFO, "paths": {}, "components": {"schemas": schemas}}


# ------------------------------------------------------------------ the document's frame


def test_components_only_document_generates_models(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "components": {"schemas": {"Pet": {
        "type": "object", "properties": {"name": {"type": "string"}}}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert field_types(api, "Pet") == {"name": "str | MISSING"}
    assert api.tags == ()
    assert any("`paths`" in m for m in warnings_at(diagnostics, ""))
    # 3.1 makes `paths` optional: no warning there.
    _, diagnostics = api_of(tmp_path, {**doc, "openapi": "3.1.0"})
    assert not any("paths" in d.message for d in diagnostics)


@pytest.mark.parametrize("info", [None, "missing"])
def test_missing_or_null_info_is_filled_in(tmp_path: Path, info: Any) -> None:
    doc: dict[str, Any] = {"openapi": "3.0.3", "paths": {}}
    if info != "missing":
        doc["info"] = info
    api, diagnostics = api_of(tmp_path, doc, "petstore.yaml")
    assert (api.title, api.version) == ("petstore", "0.0.0")
    pointer = "/info" if info != "missing" else ""
    assert any("`info`" in m for m in warnings_at(diagnostics, pointer))


def test_numbers_where_strings_are_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "openapi: 3.0.3\ninfo:\n  title: 42\n  version: 1.0\npaths: {}\n")
    generated = generate(path, "pkg")
    by_pointer = {d.pointer: d for d in generated.diagnostics}
    assert "'1.0'" in by_pointer["/info/version"].message
    assert (by_pointer["/info/version"].line, by_pointer["/info/version"].column) == (4, 3)
    assert "/info/title" in by_pointer
    init = generated.files["pkg/__init__.py"]
    assert '"1.0"' in init or "1.0" in generated.files["pkg/models.py"]
    api, _ = api_of(tmp_path, "openapi: 3.0.3\ninfo:\n  title: 42\n  version: 1.0\npaths: {}\n")
    assert (api.title, api.version) == ("42", "1.0")


def test_numeric_enum_in_a_string_schema_is_kept(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "code": {"type": "string", "enum": [1, 2]}}}}))
    assert field_types(api, "A") == {"code": "Literal[1, 2] | MISSING"}
    assert not diagnostics


@pytest.mark.parametrize(("version", "read_as", "warns"), [
    ("3.2.0", "3.1.2", True), ("3.0", "3.0.4", True), ("3.0.9", "3.0.4", True), ("3.1.0", "3.1.0", False),
])
def test_unknown_3x_versions_read_as_nearest(tmp_path: Path, version: str, read_as: str, warns: bool) -> None:
    from generator.front.normalize import normalize

    document, diagnostics = normalize(tmp_path / "a.yaml", {"openapi": version, "info": INFO, "paths": {}})
    assert document["openapi"] == read_as
    assert bool(warnings_at(diagnostics, "/openapi")) is warns
    api, _ = api_of(tmp_path, {"openapi": version, "info": INFO, "paths": {}})
    assert api.title == "T"


def test_openapi_version_given_as_a_number(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, "openapi: 3.1\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert api.title == "T" and warnings_at(diagnostics, "/openapi")


def test_null_paths_and_yaml_integer_status_codes(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n")
    assert warnings_at(diagnostics, "/paths") and api.tags == ()
    text = ("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
            "      responses:\n        200:\n          description: ok\n"
            "          content: {application/json: {schema: {type: integer}}}\n")
    api, diagnostics = api_of(tmp_path, text)
    [response] = operation(api, "get_a").responses
    assert response.status == "200" and response.type == ir.TypeRef("builtin", "int")
    assert not diagnostics  # a YAML integer key is not a mistake


def test_response_without_description(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "paths": {"/a": {"get": {"responses": {"204": {}}}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert operation(api, "get_a").responses[0].description == ""
    assert warnings_at(diagnostics, "/paths/~1a/get/responses/204")


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_operation_without_responses(tmp_path: Path, version: str) -> None:
    body = {"content": {"application/json": {"schema": {"type": "string"}}}}
    doc = {"openapi": version, "info": INFO, "paths": {"/a": {
        "post": {"requestBody": body}, "put": {"requestBody": body, "responses": None}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert operation(api, "post_a").responses == () and operation(api, "put_a").responses == ()
    # required in 3.0 (repaired, with a warning); optional in 3.1
    assert bool(warnings_at(diagnostics, "/paths/~1a/post")) is (version == "3.0.3")
    assert bool(warnings_at(diagnostics, "/paths/~1a/put/responses")) is (version == "3.0.3")


def test_string_booleans(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "paths": {"/a": {"get": {
        "deprecated": "true",
        "parameters": [{"name": "q", "in": "query", "required": "true", "schema": {"type": "string"}},
                       {"name": "r", "in": "query", "required": "False", "schema": {
                           "type": "string", "nullable": "true"}}],
        "responses": OK}}}}
    api, diagnostics = api_of(tmp_path, doc)
    op = operation(api, "get_a")
    q, r = op.parameters
    assert (q.required, r.required, op.deprecated) == (True, False, True)
    assert r.type.nullable
    assert warnings_at(diagnostics, "/paths/~1a/get/parameters/0/required")
    assert warnings_at(diagnostics, "/paths/~1a/get/parameters/1/schema/nullable")
    # A property that happens to be called "required" is not touched.
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "required": {"type": "string", "default": "true"}}}}))
    [f] = model(api, "A").fields  # type: ignore[union-attr]
    assert f.wire_name == "required" and f.default is not None and f.default.value == "true"
    assert not diagnostics


def test_duplicate_enum_values(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"Color": {"type": "string", "enum": ["red", "red", "blue"]}}))
    color = model(api, "Color")
    assert isinstance(color, ir.EnumModel) and [m.value for m in color.members] == ["red", "blue"]
    assert warnings_at(diagnostics, "/components/schemas/Color/enum") == ['repeated values dropped: "red"']


def test_unknown_types(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "n": {"type": "int"}, "f": {"type": "file"}, "s": {"type": "String"}, "x": {"type": "thing"}}}}))
    assert field_types(api, "A") == {"n": "int | MISSING", "f": "Binary | MISSING", "s": "str | MISSING",
                                     "x": "Any | MISSING"}
    assert "'thing'" in warnings_at(diagnostics, "/components/schemas/A/properties/x/type")[0]
    assert warnings_at(diagnostics, "/components/schemas/A/properties/n/type")


def test_boolean_schemas(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "yes": True, "no": False}}}, version="3.1.0"))
    # `false` accepts nothing: the model enforces it (as `not: {}`)
    assert field_types(api, "A") == {"yes": "Any | MISSING", "no": "Annotated[Any, _keywords(_not(None))] | MISSING"}
    assert warnings_at(diagnostics, "/components/schemas/A/properties/no")


def test_ref_siblings_in_30_are_ignored_with_a_warning(tmp_path: Path) -> None:
    schemas = {"B": {"type": "string"}, "A": {"type": "object", "properties": {
        "b": {"$ref": "#/components/schemas/B", "nullable": True, "description": "kept"}}}}
    api, diagnostics = api_of(tmp_path, components(schemas))
    assert field_types(api, "A") == {"b": "str | MISSING"}
    [message] = warnings_at(diagnostics, "/components/schemas/A/properties/b")
    assert "nullable" in message and "description" not in message
    # In 3.1 keywords beside $ref apply.
    _, diagnostics = api_of(tmp_path, components(schemas, version="3.1.0"))
    assert not warnings_at(diagnostics, "/components/schemas/A/properties/b")


def test_required_names_absent_properties(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "required": ["a", "ghost"],
                                                         "properties": {"a": {"type": "string"}}}}))
    assert field_types(api, "A") == {"a": "str"}
    assert "ghost" in warnings_at(diagnostics, "/components/schemas/A/required")[0]
    # With allOf the name may be declared elsewhere: no warning.
    _, diagnostics = api_of(tmp_path, components({"P": {"type": "object", "properties": {"g": {"type": "string"}}},
                                                  "A": {"allOf": [{"$ref": "#/components/schemas/P"}],
                                                        "required": ["g"], "properties": {"a": {"type": "string"}}}}))
    assert not warnings_at(diagnostics, "/components/schemas/A/required")


def test_property_level_required_true_is_lifted(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "a": {"type": "string", "required": True}, "b": {"type": "string"}}}}))
    assert field_types(api, "A") == {"a": "str", "b": "str | MISSING"}
    assert warnings_at(diagnostics, "/components/schemas/A/properties/a/required")


def test_patterns_python_cannot_compile(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({
        "Named": {"type": "string", "pattern": "^(?<year>[0-9]{4})$"},
        "Unicode": {"type": "string", "pattern": "^\\p{L}+$"}}))
    named, unicode = model(api, "Named"), model(api, "Unicode")
    assert isinstance(named, ir.AliasModel) and isinstance(unicode, ir.AliasModel)
    assert named.type.constraints == (("pattern", "^(?P<year>[0-9]{4})$"),)
    assert unicode.type == ir.TypeRef("builtin", "str")
    assert "translated" in warnings_at(diagnostics, "/components/schemas/Named/pattern")[0]
    assert "dropped" in warnings_at(diagnostics, "/components/schemas/Unicode/pattern")[0]


def test_31_syntax_in_a_30_document(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, components({"A": {"type": "object", "properties": {
        "nullable_int": {"type": ["integer", "null"]},
        "number": {"type": ["integer", "number"], "minimum": 0},
        "items": {"type": "array", "items": [{"type": "string"}]},
        "tuple": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
        "const": {"type": "string", "const": "fixed"},
        "examples": {"type": "string", "examples": ["a", "b"]},
        "above": {"type": "integer", "exclusiveMinimum": 5},
    }}}))
    types = field_types(api, "A")
    assert types["nullable_int"] == "int | MISSING | None"
    assert types["number"] == "Annotated[int, Field(ge=0)] | Annotated[float, Field(ge=0.0)] | MISSING"
    assert types["items"] == "list[str] | MISSING"
    assert types["tuple"] == "list[str | int] | MISSING"
    assert types["const"] == 'Literal["fixed"] | MISSING'
    assert types["examples"] == "str | MISSING"
    assert types["above"] == "int | MISSING"
    [above] = [f for f in model(api, "A").fields if f.name == "above"]  # type: ignore[union-attr]
    assert above.constraints == (("gt", 5),)
    base = "/components/schemas/A/properties"
    for name, keyword in [("nullable_int", "type"), ("number", "type"), ("items", "items"), ("tuple", "items"),
                          ("const", "const"), ("examples", "examples"), ("above", "exclusiveMinimum")]:
        assert warnings_at(diagnostics, f"{base}/{name}/{keyword}"), name


def test_json_with_trailing_commas(tmp_path: Path) -> None:
    text = '{"openapi": "3.1.0", "info": {"title": "T", "version": "1",},\n  "paths": {"/a": {},},}'
    generated = generate(write(tmp_path, text, "api.json"), "pkg")
    [d] = generated.diagnostics
    first = text.index(",}") + 1
    assert (d.line, d.column) == (1, first) and "trailing comma" in d.message and "2 more" in d.message
    # Not JSON even without the commas: the strict parser's error, with line:col.
    with pytest.raises(SpecError) as caught:
        generate(write(tmp_path, '{"openapi": "3.1.0",\n  "info": {,}}', "bad.json"), "pkg")
    assert (caught.value.diagnostic.line, caught.value.diagnostic.column) == (2, 12)


def test_commas_inside_strings_are_kept(tmp_path: Path) -> None:
    text = '{"openapi": "3.1.0", "info": {"title": "a,}", "version": "1",}, "paths": {}}'
    api, diagnostics = api_of(tmp_path, text, "api.json")
    assert api.title == "a,}" and len(diagnostics) == 1


# ------------------------------------------------------------------ parse errors


def parse_error(tmp_path: Path, doc: Any) -> Diagnostic:
    with pytest.raises(SpecError) as caught:
        generate(write(tmp_path, doc), "pkg")
    message = str(caught.value)
    assert "\n" not in message and "api.yaml:" in message
    return caught.value.diagnostic


def test_parse_error_names_the_pointer_field_and_real_cause(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "paths": {"/a": {"get": {
        "parameters": [{"name": "q", "in": "nowhere", "schema": {"type": "string"}}], "responses": OK}}}}
    d = parse_error(tmp_path, doc)
    assert d.pointer == "/paths/~1a/get/parameters/0/in"
    assert "in:" in d.message and "$ref" not in d.message  # not the Reference branch
    assert d.line is not None and d.column is not None
    line = (tmp_path / "api.yaml").read_text().splitlines()[d.line - 1]
    assert line[d.column - 1:].startswith("in: nowhere")


def test_parse_error_for_a_missing_required_field(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "paths": {}, "components": {
        "securitySchemes": {"key": {"in": "header", "name": "X-Key"}}}}
    d = parse_error(tmp_path, doc)
    assert d.pointer == "/components/securitySchemes/key"
    assert "required field 'type' is missing" in d.message


def test_parse_error_inside_a_schema_is_not_the_reference_branch(tmp_path: Path) -> None:
    d = parse_error(tmp_path, components({"A": {"type": "object", "properties": {
        "a": {"type": "string", "minLength": "three"}}}}))
    assert d.pointer == "/components/schemas/A/properties/a/minLength"
    assert d.message.startswith("invalid OpenAPI: minLength: ") and "$ref" not in d.message


# ------------------------------------------------------------------ validator checks


def paths_doc(paths: dict[str, Any], **components: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": INFO, "paths": paths}
    if components:
        doc["components"] = components
    return doc


def test_duplicate_operation_ids(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({
        "/a": {"get": {"operationId": "same", "responses": OK}},
        "/b": {"get": {"operationId": "same", "responses": OK}}}))
    assert [op.name for tag in api.tags for op in tag.operations] == ["same", "same_2"]
    [message] = warnings_at(diagnostics, "/paths/~1b/get/operationId")
    assert "/paths/~1a/get" in message


def test_template_variable_without_a_parameter_becomes_a_str_parameter(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({"/items/{id}": {"get": {"responses": OK}}}))
    [param] = operation(api, "get_items_id").parameters
    assert (param.wire_name, param.location, param.required, annotation(param.type)) == ("id", "path", True, "str")
    assert warnings_at(diagnostics, "/paths/~1items~1{id}/get")
    files = generate(write(tmp_path, paths_doc({"/items/{id}": {"get": {"responses": OK}}})), "pkg").files
    assert re.search(r"def get_items_id\(\s*self,\s*\*,\s*id: str,", files["pkg/client/default.py"])


def test_declared_path_parameter_absent_from_the_template_is_dropped(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({"/items": {"get": {"parameters": [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}], "responses": OK}}}))
    assert operation(api, "get_items").parameters == ()
    assert warnings_at(diagnostics, "/paths/~1items/get/parameters/0")


def test_duplicated_parameters_last_wins(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({"/a": {
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
        "get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "boolean"}},
                               {"name": "q", "in": "query", "schema": {"type": "integer"}}],
                "responses": OK}}}))
    [q] = operation(api, "get_a").parameters
    assert annotation(q.type) == "int"
    # The operation overriding the path item is what the spec says: only the repeat warns.
    assert [d.pointer for d in diagnostics] == ["/paths/~1a/get/parameters/1"]


def test_ref_to_a_component_of_the_wrong_kind_is_an_error(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({"/a": {"get": {
        "parameters": [{"$ref": "#/components/schemas/S"}], "responses": OK}}},
        schemas={"S": {"type": "string"}}))
    assert operation(api, "get_a").parameters == ()
    [d] = diagnostics
    assert d.severity is Severity.ERROR and d.pointer == "/paths/~1a/get/parameters/0/$ref"
    assert "a schema, not a parameter" in d.message


# ------------------------------------------------------------------ very deep schemas


def test_300_nested_objects_generate_and_import(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(300):
        schema = {"type": "object", "properties": {"a": schema}}
    generated = generate(write(tmp_path, components({"Deep": schema}), "deep.json"), "pkg")
    models = generated.files["pkg/models.py"]
    assert models.count("\nclass ") - models.count("\nclass _Model(") == 300  # besides the shared base
    for name, text in generated.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    # pydantic resolves the 300 forward references recursively on first use: more stack.
    check = ("import sys\nsys.setrecursionlimit(10_000)\nimport pkg.models as m\nv = 'x'\nfor _ in range(300): v = {'a': v}\n"
             "assert m.Deep.model_validate(v).model_dump() == v\nimport pkg.client, pkg.server")
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_repairs_do_not_change_the_loaded_document(tmp_path: Path) -> None:
    from generator.front.normalize import normalize

    doc = {"openapi": "3.0.3", "info": {"title": 1, "version": 2}, "tags": [{"name": 3}],
           "servers": [{"url": "/", "description": 4}],
           "paths": {"/a": {"get": {"tags": [5], "responses": {"200": {}}}}},
           "components": {"schemas": {"A": {"type": ["string", "null"], "enum": ["a", "a"]},
                                      "B": {"properties": {"b": {"required": True}}}}}}
    before = json.dumps(doc)
    repaired, diagnostics = normalize(tmp_path / "a.yaml", doc)
    assert json.dumps(doc) == before
    assert repaired["tags"] == [{"name": "3"}] and repaired["servers"][0]["description"] == "4"
    assert repaired["paths"]["/a"]["get"]["tags"] == ["5"]
    assert repaired["components"]["schemas"]["A"] == {"type": "string", "nullable": True, "enum": ["a"]}
    assert repaired["components"]["schemas"]["B"] == {"properties": {"b": {}}, "required": ["b"]}
    assert {d.pointer for d in diagnostics} >= {"/tags/0/name", "/servers/0/description", "/paths/~1a/get/tags"}


def test_body_and_response_refs_to_a_schema_read_as_json(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, paths_doc({"/a": {"post": {
        "requestBody": {"$ref": "#/components/schemas/S"},
        "responses": {"200": {"$ref": "#/components/schemas/S"}}}}},
        schemas={"S": {"type": "object", "properties": {"s": {"type": "string"}}}}))
    op = operation(api, "post_a")
    assert op.body is not None and (op.body.media_type, op.body.required, annotation(op.body.type)) == (
        "application/json", True, "S")
    assert annotation(op.responses[0].type) == "S"  # type: ignore[arg-type]
    assert warnings_at(diagnostics, "/paths/~1a/post/requestBody")
    assert warnings_at(diagnostics, "/paths/~1a/post/responses/200")


def test_yaml_dates_where_strings_are_expected(tmp_path: Path) -> None:
    api, diagnostics = api_of(tmp_path, "openapi: 3.0.3\ninfo: {title: T, version: 2024-01-31}\npaths: {}\n")
    assert api.version == "2024-01-31"
    assert not diagnostics  # YAML 1.2 reads a date as a string (1.1's date needed a repair)
    api, diagnostics = api_of(tmp_path, "openapi: 3.0.3\ninfo: {title: T, version: !!timestamp 2024-01-31}\npaths: {}\n")
    assert api.version == "2024-01-31"
    assert "'2024-01-31'" in warnings_at(diagnostics, "/info/version")[0]


def test_incomplete_optional_objects_are_ignored(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": {**INFO, "license": {"url": "https://x"}},
           "externalDocs": {"description": "no url"},
           "tags": [{"description": "no name"}, {"name": "kept", "externalDocs": {}}],
           "servers": [{"url": "https://{region}.x", "variables": {"region": {"enum": ["eu", "us"]}}},
                       {"description": "no url"}],
           "paths": {"/a": {"get": {"externalDocs": {}, "responses": OK}}},
           "components": {"schemas": {"A": {"type": "object", "discriminator": "kind",
                                            "properties": {"kind": {"type": "string"}}}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert [s.url for s in api.servers] == ["https://eu.x"]
    assert [t.name for t in api.tags] == ["default"] and api.openapi_tags == ({"name": "kept"},)
    pointers = {d.pointer for d in diagnostics}
    assert pointers >= {"/info/license", "/externalDocs", "/tags/0", "/tags/1/externalDocs", "/servers/1",
                        "/servers/0/variables/region", "/paths/~1a/get/externalDocs",
                        "/components/schemas/A/discriminator"}


def test_yaml_is_read_with_the_yaml_1_2_core_schema(tmp_path: Path) -> None:
    """PyYAML's YAML 1.1 reads `NO` (Norway) and `yes` as booleans, `010` as 8, `1:20` as 80
    and dates as dates; OpenAPI recommends YAML 1.2, where all but `010` (ten) are strings."""
    text = (
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Country: {type: string, enum: [SE, NO, yes, on, off, y, n, 'true']}\n"
        "    Yes:\n      type: object\n      properties:\n"
        "        a: {type: integer, default: 010}\n        b: {type: string, default: 1:20}\n"
        "        c: {type: string, format: date, default: 2024-01-31}\n"
        "        d: {type: number, default: -.inf}\n        e: {type: integer, default: 0x1F}\n"
        "        f: {type: boolean, default: True}\n        g: {type: string, default: 1_000}\n"
        "        h: {type: number, default: 1e3}\n        i: {type: string, nullable: true, default: ~}\n"
        "    Merged:\n      <<: &base {type: object, properties: {k: {type: string}}}\n      title: M\n"
    )
    api, diagnostics = api_of(tmp_path, text)
    assert not diagnostics
    country = model(api, "Country")
    assert isinstance(country, ir.EnumModel)
    assert [m.value for m in country.members] == ["SE", "NO", "yes", "on", "off", "y", "n", "true"]
    defaults = {f.wire_name: f.default.value if f.default else None
                for f in _object(model(api, "Yes")).fields}
    assert defaults == {"a": 10, "b": "1:20", "c": "2024-01-31", "d": float("-inf"), "e": 31,
                        "f": True, "g": "1_000", "h": 1000.0, "i": None}
    assert [f.wire_name for f in _object(model(api, "Merged")).fields] == ["k"]


def _object(found: ir.Model) -> ir.ObjectModel:
    assert isinstance(found, ir.ObjectModel)
    return found


def test_extensions_in_paths_and_responses_are_allowed_and_served(tmp_path: Path) -> None:
    doc = {"openapi": "3.1.0", "info": INFO, "paths": {
        "x-tagGroups": [{"name": "Pets", "tags": ["pets"]}],
        "/a": {"get": {"responses": {**OK, "x-note": "internal", "x-ordinal": 3}}}}}
    generated = generate(write(tmp_path, doc), "pkg")
    assert not generated.diagnostics
    [response] = operation(generated.api, "get_a").responses
    assert response.status == "200"
    served = json.loads(generated.files["pkg/server/openapi.json"])
    assert served["paths"]["x-tagGroups"] == doc["paths"]["x-tagGroups"]  # type: ignore[index]
    assert served["paths"]["/a"]["get"]["responses"]["x-ordinal"] == 3


def test_parameters_no_request_can_carry_and_keys_of_paths_that_are_no_paths(tmp_path: Path) -> None:
    doc = {"openapi": "3.1.0", "info": INFO, "paths": {
        "parameters": [{"name": "tenant", "in": "query"}],
        "/a": {"get": {"responses": OK, "parameters": [
            {"in": "query", "schema": {"type": "string"}},
            {"in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {}}}},
            {"name": "kept", "in": "query", "schema": {"type": "string"}}]}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert [p.wire_name for p in operation(api, "get_a").parameters] == ["kept"]
    assert warnings_at(diagnostics, "/paths/parameters") == [
        "`paths` key 'parameters' is not a path (paths start with '/'); ignored"]
    assert warnings_at(diagnostics, "/paths/~1a/get/parameters/0") == ["parameter without a `name`; ignored"]
    assert warnings_at(diagnostics, "/paths/~1a/get/parameters/1/in")


def test_empty_info_version_and_yaml_keys_that_are_no_strings(tmp_path: Path) -> None:
    text = ("openapi: 3.0.3\ninfo: {title: T, version: ''}\npaths: {}\n"
            "x-mixed-keys:\n  1: one\n  text: two\n  true: three\n")
    generated = generate(write(tmp_path, text), "pkg")
    assert generated.api.version == "0.0.0"
    assert warnings_at(generated.diagnostics, "/info/version")
    served = json.loads(generated.files["pkg/server/openapi.json"])
    assert served["x-mixed-keys"] == {"1": "one", "text": "two", "true": "three"}  # as written
    assert served["info"]["version"] == ""  # the spec as read


def test_request_body_without_content(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "info": INFO, "paths": {"/a": {"post": {
        "requestBody": {"description": "the thing", "required": True}, "responses": OK}}}}
    api, diagnostics = api_of(tmp_path, doc)
    assert operation(api, "post_a").body is None
    assert warnings_at(diagnostics, "/paths/~1a/post/requestBody") == [
        "request body without `content` (required); read as no media types"]
