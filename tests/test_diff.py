"""`apismith diff`: every change class over pairs of small specs, git revisions, formats,
and two versions of a real API."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import pipeline
from generator.cli import apismith
from generator.commands import apidiff, surface

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NewPet"}
                        }
                    },
                },
                "responses": {"201": {"description": "created"}},
            },
        },
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "tags": ["pets"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Pet"}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "token": {"type": "http", "scheme": "bearer"},
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "tag": {"type": "string"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 50},
                    "kind": {"enum": ["cat", "dog"]},
                    "tag": {"type": "string"},
                },
            },
            "Status": {"type": "string", "enum": ["available", "sold"]},
        },
    },
}

Edit = Callable[[dict[str, Any]], None]


def _schemas(d: dict[str, Any]) -> dict[str, Any]:
    return d["components"]["schemas"]  # type: ignore[no-any-return]


def _limit(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/pets"]["get"]["parameters"][0]["schema"]  # type: ignore[no-any-return]


def _set(path: list[str], value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _delete(path: list[str]) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


def _add_param(required: bool) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d["paths"]["/pets"]["get"]["parameters"].append(
            {"name": "q", "in": "query", "required": required, "schema": {"type": "string"}}
        )

    return edit


def _require(model: str, name: str) -> Edit:
    return lambda d: _schemas(d)[model]["required"].append(name)


PET = ["components", "schemas", "Pet", "properties"]
NEW = ["components", "schemas", "NewPet", "properties"]
DELETE_OP = {"operationId": "deletePet", "responses": {"204": {"description": "gone"}}}

# (change class, edit, kind, where, breaking for clients, breaking for servers)
CASES: list[tuple[str, Edit, str, str, bool, bool]] = [
    ("operation removed", _delete(["paths", "/pets/{id}", "get"]),
     "operation-removed", "GET /pets/{id}", True, False),
    ("operation renamed", _set(["paths", "/pets/{id}", "get", "operationId"], "fetchPet"),
     "operation-renamed", "GET /pets/{id}", True, True),
    ("operation added", _set(["paths", "/pets/{id}", "delete"], DELETE_OP),
     "operation-added", "DELETE /pets/{id}", False, True),
    ("required parameter added", _add_param(True),
     "parameter-added", "GET /pets > query q", True, False),
    ("optional parameter added", _add_param(False),
     "parameter-added", "GET /pets > query q", False, False),
    ("parameter type narrowed", lambda d: _limit(d).update(maximum=100),
     "parameter-type", "GET /pets > query limit", True, False),
    ("parameter type widened", lambda d: _limit(d).update(type="number"),
     "parameter-type", "GET /pets > query limit", False, True),
    ("parameter type changed", lambda d: _limit(d).update(type="string"),
     "parameter-type", "GET /pets > query limit", True, True),
    ("request enum value removed", _set([*NEW, "kind", "enum"], ["cat"]),
     "enum-value-removed", "model NewPet > kind", True, False),
    ("request enum value added", _set([*NEW, "kind", "enum"], ["cat", "dog", "bird"]),
     "enum-value-added", "model NewPet > kind", False, True),
    ("response enum value added",
     _set(["components", "schemas", "Status", "enum"], ["available", "sold", "pending"]),
     "enum-value-added", "model Status", True, False),
    ("response enum value removed", _set(["components", "schemas", "Status", "enum"], ["sold"]),
     "enum-value-removed", "model Status", False, True),
    ("request field type narrowed", _set([*NEW, "name", "maxLength"], 20),
     "field-type", "model NewPet > name", True, False),
    ("response field type changed", _set([*PET, "id", "type"], "string"),
     "field-type", "model Pet > id", True, True),
    ("response field removed", _delete([*PET, "tag"]),
     "field-removed", "model Pet > tag", True, False),
    ("request field removed", _delete([*NEW, "tag"]),
     "field-removed", "model NewPet > tag", True, False),
    ("response field became nullable", _set([*PET, "name", "type"], ["string", "null"]),
     "field-nullable", "model Pet > name", True, False),
    ("request field became nullable", _set([*NEW, "tag", "type"], ["string", "null"]),
     "field-nullable", "model NewPet > tag", False, True),
    ("request field became required", _require("NewPet", "tag"),
     "field-required", "model NewPet > tag", True, False),
    ("response field became required", _require("Pet", "tag"),
     "field-required", "model Pet > tag", False, True),
    ("request field became optional", _set(["components", "schemas", "NewPet", "required"], []),
     "field-optional", "model NewPet > name", False, True),
    ("response field became optional", _set(["components", "schemas", "Pet", "required"], ["id"]),
     "field-optional", "model Pet > name", True, False),
    ("required request field added",
     lambda d: (_schemas(d)["NewPet"]["properties"].update(age={"type": "integer"}),
                _require("NewPet", "age")(d)),
     "field-added", "model NewPet > age", True, False),
    ("optional response field added", _set([*PET, "age"], {"type": "integer"}),
     "field-added", "model Pet > age", False, False),
    ("required response field added",
     lambda d: (_schemas(d)["Pet"]["properties"].update(age={"type": "integer"}),
                _require("Pet", "age")(d)),
     "field-added", "model Pet > age", False, True),
    ("security changed", _set(["security"], [{"token": []}]),
     "security-changed", "GET /pets", True, True),
    ("security alternative added", _set(["security"], [{"key": []}, {"token": []}]),
     "security-changed", "GET /pets", False, True),
    ("security removed", _set(["security"], []),
     "security-changed", "GET /pets", False, True),
    ("request body became optional",
     _set(["paths", "/pets", "post", "requestBody", "required"], False),
     "body-optional", "POST /pets > body", False, True),
    ("error response added",
     _set(["paths", "/pets/{id}", "get", "responses", "404"], {"description": "missing"}),
     "response-added", "GET /pets/{id} > 404", False, False),
    ("model added", _set(["components", "schemas", "Owner"], {"type": "object",
                                                           "properties": {"n": {"type": "string"}}}),
     "model-added", "model Owner", False, False),
]


def write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(document))
    return path


def changes_between(old: Path, new: Path) -> list[apidiff.Change]:
    surfaces = [surface.of(pipeline.build_api(spec)[0]) for spec in (old, new)]
    return apidiff.compare(*surfaces)


@pytest.mark.parametrize(
    ("edit", "kind", "where", "client", "server"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_change_classes(
    tmp_path: Path, edit: Edit, kind: str, where: str, client: bool, server: bool
) -> None:
    new = copy.deepcopy(BASE)
    edit(new)
    changes = changes_between(write(tmp_path, "old.json", BASE), write(tmp_path, "new.json", new))
    found = [(c.kind, c.where, c.client, c.server) for c in changes]
    if kind == "security-changed":  # every operation inherits the global security
        assert set(found) == {
            (kind, op, client, server) for op in ("GET /pets", "POST /pets", "GET /pets/{id}")
        }
    else:
        assert found == [(kind, where, client, server)]


def test_no_changes(tmp_path: Path) -> None:
    spec = write(tmp_path, "a.json", BASE)
    assert changes_between(spec, spec) == []


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(apismith, [str(a) for a in args])


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    del new["paths"]["/pets/{id}"]
    _schemas(new)["Pet"]["properties"]["age"] = {"type": "integer"}
    old_spec, new_spec = write(tmp_path, "old.json", BASE), write(tmp_path, "new.json", new)

    text = run("diff", old_spec, new_spec)
    assert text.exit_code == 1
    assert "breaking for clients: GET /pets/{id}: operation get_pet removed" in text.stdout
    assert "compatible: model Pet > age: optional field added" in text.stdout
    assert text.stdout.rstrip().endswith("2 changes: 1 breaking for clients, 0 for servers")

    data = json.loads(run("diff", old_spec, new_spec, "--format", "json").stdout)
    assert data["breaking"] == {"client": 1, "server": 0}
    assert {c["kind"] for c in data["changes"]} == {"operation-removed", "field-added"}

    markdown = run("diff", old_spec, new_spec, "--format", "markdown").stdout
    assert "| 🔴 | `GET /pets/{id}` | operation get_pet removed | breaking | ok |" in markdown

    assert run("diff", old_spec, new_spec, "--fail-on", "server").exit_code == 0
    assert run("diff", new_spec, old_spec, "--fail-on", "server").exit_code == 1
    assert run("diff", old_spec, old_spec).exit_code == 0


def test_markdown_escapes_spec_text(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["paths"]["/pets|<img src=x>`"] = new["paths"]["/pets"]
    markdown = run(
        "diff", write(tmp_path, "a.json", BASE), write(tmp_path, "b.json", new),
        "--format", "markdown",
    ).stdout
    row = next(line for line in markdown.splitlines() if "img" in line)
    assert "<img" not in row and "\\|&lt;img" in row and row.count("`") == 2


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=folder, check=True, capture_output=True,
    )


def test_git_revision_resolves_refs_at_that_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`main:specs/api.yaml`: the spec and the files it $refs, as committed on main."""
    specs = tmp_path / "specs"
    specs.mkdir()
    document = copy.deepcopy(BASE)
    pet = _schemas(document).pop("Pet")
    pet["properties"]["status"] = {"$ref": "api.yaml#/components/schemas/Status"}
    (specs / "pet.yaml").write_text(yaml.safe_dump(pet))
    document = json.loads(json.dumps(document).replace("#/components/schemas/Pet", "pet.yaml"))
    (specs / "api.yaml").write_text(yaml.safe_dump(document))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "v1")
    del pet["properties"]["tag"]  # the referenced file changes in the work tree
    (specs / "pet.yaml").write_text(yaml.safe_dump(pet))
    monkeypatch.chdir(specs)

    result = run("diff", "main:specs/api.yaml", "api.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    changes = json.loads(result.stdout)["changes"]  # pet.yaml is inlined in two places
    assert len(changes) == 2
    assert all(c["kind"] == "field-removed" and c["where"].endswith("> tag") for c in changes)
    assert run("diff", "main:./api.yaml", "api.yaml").exit_code == 1
    missing = run("diff", "nope:specs/api.yaml", "api.yaml")
    assert missing.exit_code == 1 and missing.stderr.startswith("apismith: error: git")


def test_generate_prints_the_api_changes(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.json", BASE)
    out = tmp_path / "out"
    first = run("generate", spec, "-o", out)
    assert first.exit_code == 0 and "API change" not in first.stdout
    new = copy.deepcopy(BASE)
    _schemas(new)["Pet"]["required"].append("tag")
    write(tmp_path, "api.json", new)
    second = run("generate", spec, "-o", out)
    assert second.exit_code == 0, second.output
    assert (
        "api: 1 API change (0 breaking for clients, 1 for servers): "
        "model Pet > tag: became required." in second.stdout
    )


def _corpus_spec() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    for line in (CORPUS / "MANIFEST.tsv").read_text().splitlines():
        if "petstore" in line.lower() and "3.0" in line:
            candidate = CORPUS / line.split("\t")[0]
            if candidate.is_file():
                return candidate
    pytest.skip("no petstore document in the corpus")


def test_two_versions_of_a_real_api(tmp_path: Path) -> None:
    """A corpus API against an edited copy: exactly the edits are reported."""
    original = _corpus_spec()
    old = tmp_path / "old" / original.name
    old.parent.mkdir()
    shutil.copy(original, old)
    document = yaml.safe_load(original.read_text())
    paths = document["paths"]
    removed_path = sorted(paths)[0]
    removed = paths.pop(removed_path)
    schemas = document["components"]["schemas"]
    model = next(n for n, s in sorted(schemas.items()) if s.get("properties"))
    prop = sorted(schemas[model]["properties"])[0]
    del schemas[model]["properties"][prop]
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(document))

    changes = changes_between(old, new)
    removed_ops = {c.where for c in changes if c.kind == "operation-removed"}
    assert removed_ops == {f"{m.upper()} {removed_path}" for m in removed if m != "parameters"}
    assert any(c.kind == "field-removed" and c.where.endswith(f"> {prop}") for c in changes)
    assert all(c.client for c in changes if c.kind in ("operation-removed", "field-removed"))


def test_diff_uses_the_configured_targets_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = copy.deepcopy(BASE)
    del new["paths"]["/pets/{id}"]
    write(tmp_path, "old.json", BASE)
    write(tmp_path, "new.json", new)
    (tmp_path / "apismith.toml").write_text(
        '[[targets]]\nspec = "new.json"\noutput = "out"\nexclude = ["getPet"]\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run("diff", "old.json", "new.json")  # the removed operation is excluded anyway
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no API changes"
