"""`$ref` resolution: relative files, cycles, and errors that point home."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import ir
from generator.builder import build
from generator.diagnostics import SpecError
from generator.front.load import load_document
from generator.front.parse import parse
from generator.front.resolve import resolve
from generator.pipeline import generate
from generator.render.pycode import annotation


def dump(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix in (".yaml", ".yml"):
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def root(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Refs", "version": "1"},
        "paths": paths or {},
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def json_response(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in all_refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in all_refs(v)]
    return []


def build_ir(path: Path) -> ir.Api:
    api, _ = build(path, parse(path, resolve(path, load_document(path))))
    return api


def models_by_name(api: ir.Api) -> dict[str, ir.Model]:
    return {m.name: m for m in api.models}


def import_models(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(source, name, "exec"), module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


@pytest.fixture
def multi_file(tmp_path: Path) -> Path:
    """api.yaml → schemas.yaml#/components/schemas/Pet, pet.yaml, models/owner.yaml."""
    dump(
        tmp_path / "schemas.yaml",
        {
            "components": {
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "owner": {"$ref": "models/owner.yaml"},
                        },
                    }
                }
            }
        },
    )
    dump(
        tmp_path / "models" / "owner.yaml",
        {
            "type": "object",
            "properties": {
                "email": {"type": "string"},
                # Relative to models/, not to the root spec.
                "pets": {"type": "array", "items": {"$ref": "../schemas.yaml#/components/schemas/Pet"}},
            },
        },
    )
    dump(
        tmp_path / "pet.yaml",
        {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    )
    paths = {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": json_response(
                    {"type": "array", "items": {"$ref": "schemas.yaml#/components/schemas/Pet"}}
                ),
            }
        },
        "/tag": {"get": {"operationId": "getTag", "responses": json_response({"$ref": "#/components/schemas/Tag"})}},
    }
    return dump(tmp_path / "api.yaml", root(paths, {"Tag": {"$ref": "pet.yaml"}}))


def test_relative_file_refs_are_bundled_into_local_refs(multi_file: Path) -> None:
    document = resolve(multi_file, load_document(multi_file))
    refs = all_refs(document)
    assert refs  # references are kept as references (not all inlined)
    assert all(r.startswith("#/") for r in refs), refs
    schemas = document["components"]["schemas"]
    assert set(schemas) == {"Tag", "Pet"}
    # The whole-file reference is inlined where it was used.
    assert schemas["Tag"] == {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    # The components reference is hoisted under its own name.
    assert schemas["Pet"]["properties"]["name"] == {"type": "string"}
    owner = schemas["Pet"]["properties"]["owner"]
    assert owner["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}


def test_relative_file_refs_generate_models(multi_file: Path) -> None:
    api = build_ir(multi_file)
    models = models_by_name(api)
    pet, tag = models["Pet"], models["Tag"]
    assert isinstance(pet, ir.ObjectModel)
    assert isinstance(tag, ir.ObjectModel)
    assert [f.wire_name for f in tag.fields] == ["id"]
    assert [f.wire_name for f in pet.fields] == ["name", "owner"]
    owner_type = pet.fields[1].type
    assert owner_type.kind == "model"
    owner = models[owner_type.name]
    assert isinstance(owner, ir.ObjectModel)
    assert owner.fields[1].type == ir.TypeRef("list", args=(ir.TypeRef("model", "Pet"),))
    list_pets = next(op for op in api.operations if op.name == "list_pets")
    assert list_pets.responses[0].type == ir.TypeRef("list", args=(ir.TypeRef("model", "Pet"),))


def test_relative_file_refs_generate_importable_code(multi_file: Path) -> None:
    generated = generate(multi_file, "pkg")
    for path, text in generated.files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    module = import_models(generated.files["pkg/models.py"], "_apismith_test_resolve_models")
    try:
        pet = module.Pet.model_validate({"name": "Rex", "owner": {"email": "a@b", "pets": [{"name": "Tom"}]}})
        assert pet.owner.pets[0].name == "Tom"
        assert module.Tag(id=3).id == 3
    finally:
        sys.modules.pop("_apismith_test_resolve_models", None)


def test_external_component_with_a_taken_name_is_renamed(tmp_path: Path) -> None:
    dump(tmp_path / "other.yaml", {"components": {"schemas": {"Pet": {"type": "object", "properties": {"b": {"type": "string"}}}}}})
    schemas = {
        "Pet": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Both": {
            "type": "object",
            "properties": {
                "mine": {"$ref": "#/components/schemas/Pet"},
                "theirs": {"$ref": "other.yaml#/components/schemas/Pet"},
            },
        },
    }
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    document = resolve(spec, load_document(spec))
    assert document["components"]["schemas"]["Pet"]["properties"] == {"a": {"type": "string"}}
    assert document["components"]["schemas"]["Pet_2"]["properties"] == {"b": {"type": "string"}}
    both = document["components"]["schemas"]["Both"]["properties"]
    assert both["theirs"] == {"$ref": "#/components/schemas/Pet_2"}
    models = models_by_name(build_ir(spec))
    assert {"Pet", "Pet_2"} <= set(models)


def test_same_external_target_is_hoisted_once(tmp_path: Path) -> None:
    dump(tmp_path / "common.yaml", {"components": {"schemas": {"Err": {"type": "object", "properties": {"m": {"type": "string"}}}}}})
    ref = {"$ref": "common.yaml#/components/schemas/Err"}
    paths = {
        "/a": {"get": {"responses": json_response(ref)}},
        "/b": {"get": {"responses": json_response(ref)}},
    }
    spec = dump(tmp_path / "api.json", root(paths))
    document = resolve(spec, load_document(spec))
    assert list(document["components"]["schemas"]) == ["Err"]


def test_cycle_across_files_terminates(tmp_path: Path) -> None:
    dump(tmp_path / "a.yaml", {"type": "object", "properties": {"b": {"$ref": "b.yaml"}, "name": {"type": "string"}}})
    dump(tmp_path / "b.yaml", {"type": "object", "properties": {"a": {"$ref": "a.yaml"}}})
    spec = dump(tmp_path / "api.json", root(schemas={"Root": {"$ref": "a.yaml"}}))
    document = resolve(spec, load_document(spec))
    assert all(r.startswith("#/") for r in all_refs(document))
    generated = generate(spec, "pkg", frozenset({"models"}))
    source = generated.files["pkg/models.py"]
    compile(source, "models.py", "exec")
    module = import_models(source, "_apismith_test_resolve_cycle")
    try:
        data = {"b": {"a": {"b": {"a": {"name": "deep"}}}}}
        value = module.Root.model_validate(data)
        assert value.model_dump(mode="json", by_alias=True) == data
        inner = value.model_dump(by_alias=True)["b"]["a"]["b"]["a"]
        assert inner == {"name": "deep"}
    finally:
        sys.modules.pop("_apismith_test_resolve_cycle", None)


def test_self_referencing_external_file_terminates(tmp_path: Path) -> None:
    dump(tmp_path / "tree.yaml", {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "tree.yaml"}}}})
    spec = dump(tmp_path / "api.json", root(schemas={"Tree": {"$ref": "tree.yaml"}}))
    api = build_ir(spec)
    tree = models_by_name(api)["Tree"]
    assert isinstance(tree, ir.ObjectModel)
    item = tree.fields[0].type.args[0]
    assert item.kind == "model"
    hoisted = models_by_name(api)[item.name]
    assert isinstance(hoisted, ir.ObjectModel)
    assert hoisted.fields[0].type == ir.TypeRef("list", args=(ir.TypeRef("model", item.name),))


def test_cycle_between_component_files_terminates(tmp_path: Path) -> None:
    dump(tmp_path / "x.yaml", {"components": {"schemas": {"X": {"type": "object", "properties": {"y": {"$ref": "y.yaml#/components/schemas/Y"}}}}}})
    dump(tmp_path / "y.yaml", {"components": {"schemas": {"Y": {"type": "object", "properties": {"x": {"$ref": "x.yaml#/components/schemas/X"}}}}}})
    paths = {"/x": {"get": {"responses": json_response({"$ref": "x.yaml#/components/schemas/X"})}}}
    spec = dump(tmp_path / "api.json", root(paths))
    models = models_by_name(build_ir(spec))
    x, y = models["X"], models["Y"]
    assert isinstance(x, ir.ObjectModel) and isinstance(y, ir.ObjectModel)
    assert x.fields[0].type == ir.TypeRef("model", "Y")
    assert y.fields[0].type == ir.TypeRef("model", "X")


# ---------------------------------------------------------------------- errors

DANGLING_YAML = """\
openapi: 3.0.3
info:
  title: Dangling
  version: '1'
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        ok:
          type: string
        b:
          $ref: '#/components/schemas/Missing'
"""


def test_dangling_local_ref_names_file_pointer_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "dangling.yaml"
    spec.write_text(DANGLING_YAML, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    message = str(caught.value)
    diagnostic = caught.value.diagnostic
    assert "dangling.yaml" in message
    assert diagnostic.pointer == "/components/schemas/A/properties/b/$ref"
    assert diagnostic.pointer.endswith("/$ref")
    assert diagnostic.line == 14
    assert "dangling.yaml:14:" in message and ": error: " in message
    assert message.endswith(" [/components/schemas/A/properties/b/$ref]")
    assert "#/components/schemas/Missing" in message
    assert "\n" not in message


def test_dangling_local_ref_in_json_has_a_line(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Nope"}}}}
    spec = dump(tmp_path / "dangling.json", root(schemas=schemas))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    expected_line = next(
        i for i, line in enumerate(spec.read_text().splitlines(), 1) if '"$ref"' in line
    )
    assert caught.value.diagnostic.line == expected_line
    assert caught.value.diagnostic.pointer == "/components/schemas/A/properties/b/$ref"
    assert f"dangling.json:{expected_line}:" in str(caught.value)


@pytest.mark.parametrize(
    "ref",
    # (a pointer without its leading slash is read as one, with a warning: here it finds nothing)
    ["#/components/schemas/A/properties/zzz", "#/nope", "#components/schemas/Z", "#/paths/~1missing"],
)
def test_refs_to_nothing_raise_spec_error(tmp_path: Path, ref: str) -> None:
    schemas = {"A": {"type": "object", "properties": {"b": {"$ref": ref}}}}
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    with pytest.raises(SpecError, match="points at nothing") as caught:
        generate(spec, "pkg")
    assert caught.value.diagnostic.pointer == "/components/schemas/A/properties/b/$ref"


def test_dangling_ref_inside_an_external_file_names_that_file(tmp_path: Path) -> None:
    dump(tmp_path / "sub" / "broken.yaml", {"type": "object", "properties": {"x": {"$ref": "#/definitions/Gone"}}})
    spec = dump(tmp_path / "api.json", root(schemas={"A": {"$ref": "sub/broken.yaml"}}))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    assert caught.value.diagnostic.file is not None
    assert Path(caught.value.diagnostic.file).name == "broken.yaml"
    assert caught.value.diagnostic.pointer.endswith("/$ref")
    assert "broken.yaml" in str(caught.value)


@pytest.mark.parametrize(
    "ref",
    [
        "http://example.com/schemas.yaml#/components/schemas/Pet",
        "https://example.com/pet.json",
        "//example.com/pet.json",
    ],
)
def test_remote_ref_is_a_clear_spec_error(tmp_path: Path, ref: str) -> None:
    schemas = {"A": {"type": "object", "properties": {"b": {"$ref": ref}}}}
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    message = str(caught.value)
    assert "remote $ref" in message
    assert ref in message
    assert "api.json" in message
    assert caught.value.diagnostic.pointer == "/components/schemas/A/properties/b/$ref"


def test_missing_referenced_file_is_named(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "properties": {"b": {"$ref": "nope/missing.yaml#/components/schemas/X"}}}}
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    message = str(caught.value)
    assert "missing.yaml" in message
    assert "missing file" in message
    assert "api.json" in message  # the file holding the reference
    assert "/components/schemas/A/properties/b" in caught.value.diagnostic.pointer


def test_ref_to_a_directory_is_a_spec_error(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    schemas = {"A": {"$ref": "adir"}}
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    with pytest.raises(SpecError, match="adir"):
        generate(spec, "pkg")


def test_referenced_file_that_is_not_utf8_is_a_spec_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"type: object\ndescription: \xff\xfe\n")
    spec = dump(tmp_path / "api.json", root(schemas={"A": {"$ref": "bad.yaml"}}))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    assert "bad.yaml" in str(caught.value)
    assert re.search(r"UTF-8", str(caught.value))


def test_escaped_pointer_segments_resolve(tmp_path: Path) -> None:
    schemas = {
        "with space": {"type": "string"},
        "a/b": {"type": "object", "properties": {"x": {"type": "string"}}},
        "c~d": {"type": "object", "properties": {"y": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {
                "ab": {"$ref": "#/components/schemas/a~1b"},
                "cd": {"$ref": "#/components/schemas/c~0d"},
                "space": {"$ref": "#/components/schemas/with%20space"},
            },
        },
    }
    spec = dump(tmp_path / "api.json", root(schemas=schemas))
    api = build_ir(spec)
    holder = models_by_name(api)["Holder"]
    assert isinstance(holder, ir.ObjectModel)
    types_ = {f.wire_name: f.type for f in holder.fields}
    assert types_["ab"].kind == "model" and types_["cd"].kind == "model"
    assert {types_["ab"].name, types_["cd"].name} == {"AB", "CD"}
    assert types_["space"] == ir.TypeRef("builtin", "str")  # a named primitive is used directly


def test_refs_outside_the_spec_folder_are_refused_even_under_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crafted spec cannot pull other files (say, credentials) into generated code."""
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"token": "s3cr3t"}))
    spec_dir = tmp_path / "project" / "specs"
    spec_dir.mkdir(parents=True)
    spec = spec_dir / "api.json"
    schema = {"$ref": "../../secret.json"}
    spec.write_text(json.dumps({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Leak": schema}},
    }))
    for cwd in (tmp_path / "project", tmp_path):  # the working folder grants nothing
        monkeypatch.chdir(cwd)
        with pytest.raises(SpecError) as info:
            resolve(spec, load_document(spec))
        message = str(info.value)
        assert "reaches outside" in message and "/components/schemas/Leak/$ref" in message
    # A folder the user names is allowed.
    assert resolve(spec, load_document(spec), ref_roots=(tmp_path,))["components"]["schemas"]["Leak"] == {"token": "s3cr3t"}


def test_pointers_name_yaml_integer_keys_but_never_boolean_ones(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x-shared:\n  codes:\n    201: {type: string, maxLength: 2}\n  flags:\n    true: {type: string}\n"
        "components:\n  schemas:\n    Created: {$ref: '#/x-shared/codes/201'}\n", encoding="utf-8")
    document = resolve(spec, load_document(spec))
    assert document["components"]["schemas"]["Created"] == {"$ref": "#/x-shared/codes/201"}
    created = models_by_name(build_ir(spec))["Created"]
    assert isinstance(created, ir.AliasModel) and created.type.constraints == (("max_length", 2),)
    spec.write_text(spec.read_text(encoding="utf-8").replace("codes/201", "flags/1"), encoding="utf-8")
    with pytest.raises(SpecError, match="points at nothing"):
        resolve(spec, load_document(spec))


def test_anchor_refs_become_json_pointers(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text(
        "Size: {$anchor: size, type: integer, minimum: 1}\n"
        "Example: {type: object, example: {$anchor: size}}\n", encoding="utf-8")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Tag: {$anchor: tag, type: string}\n"
        "    Old: {$id: '#old', type: boolean}\n"
        "    Other:\n      type: object\n      properties:\n"
        "        label: {$ref: '#tag'}\n        flag: {$ref: '#old'}\n"
        "        size: {$ref: 'shared.yaml#size'}\n"
        "        nested: {$defs: {inner: {$anchor: inner, type: number}}, $ref: '#inner'}\n",
        encoding="utf-8")
    document = resolve(spec, load_document(spec))
    other = document["components"]["schemas"]["Other"]["properties"]
    assert other["label"] == {"$ref": "#/components/schemas/Tag"}
    assert other["flag"] == {"$ref": "#/components/schemas/Old"}
    assert other["nested"]["$ref"] == "#/components/schemas/Other/properties/nested/$defs/inner"
    assert other["size"]["minimum"] == 1  # the anchored schema of the other file (the
    # example's `$anchor` is data, not a declaration)
    fields = {f.wire_name: f for f in models_by_name(build_ir(spec))["Other"].fields}  # type: ignore[union-attr]
    assert annotation(fields["label"].type) == "str" and annotation(fields["flag"].type) == "bool"


@pytest.mark.parametrize(("schemas", "message"), [
    ("A: {$anchor: x, type: string}\n    B: {$anchor: x, type: integer}\n    C: {$ref: '#x'}\n",
     "names an anchor defined more than once"),
    ("A: {type: string}\n    C: {$ref: '#x'}\n", "points at nothing"),
])
def test_anchor_refs_that_name_no_one_schema(tmp_path: Path, schemas: str, message: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n"
                    f"  schemas:\n    {schemas}", encoding="utf-8")
    with pytest.raises(SpecError, match=message):
        resolve(spec, load_document(spec))


def test_a_pointer_without_its_leading_slash_is_read_with_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n"
                    "  schemas:\n    A: {type: string}\n    B: {$ref: '#components/schemas/A'}\n",
                    encoding="utf-8")
    warnings: list[Any] = []
    document = resolve(spec, load_document(spec), warnings=warnings)
    assert document["components"]["schemas"]["B"] == {"$ref": "#/components/schemas/A"}
    [warning] = warnings
    assert warning.pointer == "/components/schemas/B/$ref" and "starts with '/'" in warning.message
    assert warning.line == 7
