"""Swagger 2.0 documents are converted to OpenAPI 3.0: each feature, checked on the IR and on
the generated client and server signatures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import ir
from generator.builder import build
from generator.diagnostics import Diagnostic, SpecError
from generator.front import load, normalize, parse, resolve
from generator.front.report import Reporter
from generator.front.swagger2 import convert
from generator.pipeline import generate
from generator.render.pycode import annotation

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1.0"},
    "host": "api.example.com",
    "basePath": "/v1",
    "schemes": ["https", "http"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.example/auth",
                 "tokenUrl": "https://a.example/token", "scopes": {"read": "Read"}},
        "machine": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a.example/token", "scopes": {}},
    },
    "security": [{"key": []}],
    "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "default": 10},
        "petBody": {"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
    },
    "responses": {"NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Error"}}},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"$ref": "#/parameters/limit"},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"},
                     "collectionFormat": "multi"},
                    {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"},
                     "collectionFormat": "pipes"},
                    {"name": "X-Trace", "in": "header", "type": "string", "required": True},
                ],
                "responses": {
                    "200": {"description": "pets", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                            "headers": {"X-Total": {"type": "integer", "description": "count"}}},
                    "404": {"$ref": "#/responses/NotFound"},
                },
            },
            "post": {
                "operationId": "createPet",
                "parameters": [{"$ref": "#/parameters/petBody"}],
                "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Pet"}}},
            },
        },
        "/pets/{petId}/photo": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "type": "integer", "format": "int64"}],
            "post": {
                "operationId": "uploadPhoto",
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string", "description": "shown"},
                ],
                "responses": {"204": {"description": "stored"}},
            },
        },
        "/login": {
            "post": {
                "operationId": "login",
                "security": [{"basic": []}],
                "parameters": [{"name": "user", "in": "formData", "type": "string", "required": True}],
                "produces": ["text/plain"],
                "responses": {"200": {"description": "token", "schema": {"type": "string"}}},
            },
        },
    },
    "definitions": {
        "Pet": {"type": "object", "required": ["name"], "discriminator": "kind", "properties": {
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "nickname": {"type": "string", "x-nullable": True},
            "owner": {"$ref": "#/definitions/Owner"},
        }},
        "Owner": {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}},
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    },
}


def write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "swagger.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def api_of(tmp_path: Path, doc: dict[str, Any]) -> tuple[ir.Api, list[Diagnostic]]:
    path = write(tmp_path, doc)
    document, repairs = normalize.normalize(path, resolve.resolve(path, load.load_document(path)))
    api, diagnostics = build(path, parse.parse(path, document))
    return api, [*repairs, *diagnostics]


def operation(api: ir.Api, name: str) -> ir.Operation:
    [found] = [op for tag in api.tags for op in tag.operations if op.name == name]
    return found


@pytest.fixture
def converted(tmp_path: Path) -> tuple[ir.Api, list[Diagnostic]]:
    return api_of(tmp_path, SWAGGER)


def test_one_warning_says_it_was_converted(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    _, diagnostics = converted
    assert [(d.message, d.pointer) for d in diagnostics] == [
        ("Swagger 2.0 document converted to OpenAPI 3.0", "/swagger")]


def test_servers_from_host_base_path_and_schemes(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    assert [s.url for s in api.servers] == ["https://api.example.com/v1", "http://api.example.com/v1"]
    assert (api.title, api.version) == ("Pets", "1.0")


def test_definitions_become_models(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    [pet] = [m for m in api.models if m.name == "Pet"]
    assert isinstance(pet, ir.ObjectModel)
    types = {f.name: (annotation(f.type), f.required) for f in pet.fields}
    assert types == {"name": ("str", True), "kind": ("str", False), "nickname": ("str | None", False),
                     "owner": ("Owner", False)}


def test_query_header_and_shared_parameters(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    params = {p.wire_name: p for p in operation(api, "list_pets").parameters}
    assert annotation(params["limit"].type) == "int" and params["limit"].default is not None
    assert (params["tags"].style, params["tags"].explode, annotation(params["tags"].type)) == ("form", True, "list[str]")
    assert (params["ids"].style, params["ids"].explode) == ("pipeDelimited", False)
    assert (params["X-Trace"].location, params["X-Trace"].required) == ("header", True)


def test_responses_with_schema_headers_and_shared_responses(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    responses = {r.status: r for r in operation(api, "list_pets").responses}
    assert responses["200"].media_type == "application/json"
    assert annotation(responses["200"].type) == "list[Pet]"  # type: ignore[arg-type]
    assert responses["404"].description == "missing" and annotation(responses["404"].type) == "Error"  # type: ignore[arg-type]
    [login] = operation(api, "login").responses
    assert (login.media_type, annotation(login.type)) == ("text/plain", "str")  # type: ignore[arg-type]


def test_body_parameter_becomes_the_request_body(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    body = operation(api, "create_pet").body
    assert body is not None and (body.media_type, body.required, annotation(body.type)) == (
        "application/json", True, "Pet")


def test_form_data_becomes_a_form_body(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    upload = operation(api, "upload_photo")
    assert [(p.wire_name, annotation(p.type)) for p in upload.parameters] == [("petId", "int")]
    assert upload.body is not None and upload.body.media_type == "multipart/form-data"
    fields = {f.wire_name: (annotation(f.type), f.required, f.description) for f in upload.body.fields}
    assert fields == {"file": ("Binary", True, None), "caption": ("str", False, "shown")}
    login = operation(api, "login").body
    assert login is not None and login.media_type == "application/x-www-form-urlencoded"


def test_security_definitions(converted: tuple[ir.Api, list[Diagnostic]]) -> None:
    api, _ = converted
    schemes = {s.name: s for s in api.security_schemes}
    assert schemes["basic"].kind == "basic"
    assert (schemes["key"].kind, schemes["key"].location, schemes["key"].parameter) == ("api_key", "header", "X-Key")
    assert schemes["code"].kind == "oauth2"
    assert schemes["code"].raw["flows"] == {"authorizationCode": {
        "authorizationUrl": "https://a.example/auth", "tokenUrl": "https://a.example/token", "scopes": {"read": "Read"}}}
    assert list(schemes["machine"].raw["flows"]) == ["clientCredentials"]
    assert api.security == (("key",),) and operation(api, "login").security == (("basic",),)


def test_generated_signatures(tmp_path: Path) -> None:
    generated = generate(write(tmp_path, SWAGGER), "pets")
    for name, text in generated.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    code = ("class Stub:  # every operation and security handler\n    def __getattr__(self, name): return lambda **kw: None\n"
            "import pets.client, pets.server, inspect\n"
            "api = pets.client.Client('http://t').default\n"
            "for name in ('list_pets', 'create_pet', 'upload_photo', 'login'):\n"
            "    print(name, inspect.signature(getattr(api, name)))\n"
            "pets.server.create_app(Stub()).openapi()")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    per_call = ", timeout: '_core.Timeout | MISSING' = MISSING, retry: '_retry.Retry | MISSING | None' = MISSING"
    assert all(per_call in line for line in done.stdout.splitlines())  # every call takes them
    assert [line.replace(per_call, "") for line in done.stdout.splitlines()] == [
        # The client leaves a parameter's default (limit: 10) to the server, as for 3.x documents.
        "list_pets (*, x_trace: 'str', limit: 'int | MISSING' = MISSING, tags: 'list[str] | MISSING' = MISSING, "
        "ids: 'list[int] | MISSING' = MISSING) -> 'list[models.Pet]'",
        # fields one by one or the model as `body` (the typed overloads require one of them)
        "create_pet (*, name: 'str | MISSING' = MISSING, kind: 'str | MISSING' = MISSING, nickname: "
        "'str | MISSING | None' = MISSING, owner: 'models.Owner | MISSING' = MISSING, body: "
        "'models.Pet | MISSING' = MISSING) -> 'models.Pet'",
        "upload_photo (*, pet_id: 'int', file: 'models.Binary | MISSING' = MISSING, caption: 'str | MISSING' = "
        "MISSING, body: 'models.UploadPhotoBody | MISSING' = MISSING) -> 'None'",
        "login (*, user: 'str | MISSING' = MISSING, body: 'models.LoginBody | MISSING' = MISSING) -> 'str'",
    ]


def test_collection_format_without_an_equivalent_warns(tmp_path: Path) -> None:
    doc = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {
        "parameters": [{"name": "x", "in": "query", "type": "array", "items": {"type": "string"},
                        "collectionFormat": "tsv"}],
        "responses": {"200": {"description": "ok"}}}}}}
    api, diagnostics = api_of(tmp_path, doc)
    [param] = operation(api, "get_a").parameters
    assert (param.style, param.explode) == ("form", False)
    assert [d.pointer for d in diagnostics] == ["/swagger", "/paths/~1a/get/parameters/0/collectionFormat"]


def test_no_host_gives_a_relative_server_and_refs_are_rewritten() -> None:
    doc = convert({"swagger": "2.0", "info": {}, "basePath": "api", "paths": {},
                   "definitions": {"A": {"type": "array", "items": {"$ref": "#/definitions/B"}},
                                   "B": {"type": "file"}}}, Reporter(Path("s.yaml")))
    assert doc["servers"] == [{"url": "/api"}]
    assert doc["components"]["schemas"] == {
        "A": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        "B": {"type": "string", "format": "binary"}}


def test_other_swagger_versions_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, {"swagger": "1.2", "info": {"title": "T", "version": "1"}})
    with pytest.raises(SpecError) as caught:
        generate(path, "pkg")
    assert "Swagger '1.2' is not supported" in str(caught.value)


@pytest.mark.skipif(not (CORPUS / "oai-examples" / "v2.0").is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", ["petstore.yaml", "uber.yaml"])
def test_corpus_swagger_documents_generate(tmp_path: Path, name: str) -> None:
    generated = generate(CORPUS / "oai-examples" / "v2.0" / name, "pkg")
    assert [d.message for d in generated.diagnostics] == ["Swagger 2.0 document converted to OpenAPI 3.0"]
    for path, text in generated.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    code = ("class Stub:  # every operation and security handler\n    def __getattr__(self, name): return lambda **kw: None\n"
            "import pkg.models, pkg.client, pkg.server\npkg.server.create_app(Stub()).openapi()")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_diagnostics_point_into_the_swagger_file(tmp_path: Path) -> None:
    doc = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
           "definitions": {"A": {"type": "object", "required": ["ghost"], "properties": {"a": {"type": "string"}}}}}
    path = write(tmp_path, doc)
    [converted, ghost] = generate(path, "pkg").diagnostics
    assert converted.pointer == "/swagger" and (converted.line, converted.column) == (1, 1)
    assert ghost.pointer == "/definitions/A/required"
    assert ghost.line is not None and path.read_text().splitlines()[ghost.line - 1].strip().startswith("required:")


def test_parse_errors_point_into_the_swagger_file(tmp_path: Path) -> None:
    doc = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
           "definitions": {"A": {"type": "object", "properties": {"a": {"type": "string", "minLength": "x"}}}}}
    path = write(tmp_path, doc)
    with pytest.raises(SpecError) as caught:
        generate(path, "pkg")
    d = caught.value.diagnostic
    assert d.pointer == "/definitions/A/properties/a/minLength"
    assert d.line is not None and path.read_text().splitlines()[d.line - 1].strip().startswith("minLength:")
