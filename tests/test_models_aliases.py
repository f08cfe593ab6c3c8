"""Aliases of aliases keep their type, `type: null` branches stay null, and `examples` survive
in the models' JSON Schema."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.models_support import generate_models, warnings_of


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


CHAINS: dict[str, Any] = {
    "When": {"type": "string", "format": "date-time"},
    "Stamp": {"allOf": [ref("When")]},
    "Moment": {"allOf": [ref("Stamp")], "description": "an allOf of an allOf of a primitive"},
    "Level": {"type": "integer", "enum": [1, 2]},
    "Rank": ref("Level"),
    "Grade": {**ref("Rank"), "description": "alias of an alias"},
    "Ratio": {"type": "number"},
    "Share": ref("Ratio"),
    "MaybeShare": {"oneOf": [ref("Share"), {"type": "null"}]},
    "Base": {"type": "object", "properties": {"id": {"type": "integer"}}},
    "Child": {"allOf": [ref("Base")]},
    "Holder": {
        "type": "object",
        "properties": {name.lower(): ref(name) for name in ["Moment", "Grade", "MaybeShare", "Child"]},
    },
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_aliases_of_aliases_keep_their_types(tmp_path: Path, version: str) -> None:
    m, diagnostics, source = generate_models(tmp_path, CHAINS, version)
    assert "Any" not in source, source
    held = m.Holder.model_validate({"moment": "2024-01-02T03:04:05Z", "grade": 2, "maybeshare": None, "child": {"id": 1}})
    assert held.moment == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert held.grade is m.Level.V2 and held.maybeshare is None and held.child.id == 1
    assert m.Holder.model_validate({"maybeshare": 1.5}).maybeshare == 1.5
    for bad in ({"moment": "never"}, {"grade": 3}, {"maybeshare": "x"}):
        with pytest.raises(pydantic.ValidationError):
            m.Holder.model_validate(bad)
    assert issubclass(m.Child, m.Base)  # an allOf of one object stays a subclass
    assert "#: alias of an alias" in source and "#: an allOf of an allOf of a primitive" in source
    assert not [w for w in warnings_of(diagnostics) if "Any" in w or "ignored" in w]


EXAMPLES_31: dict[str, Any] = {
    "Pet": {
        "type": "object",
        "examples": [{"name": "Rex"}, {"name": "Tom", "age": 3}],
        "properties": {
            "name": {"type": "string", "examples": ["Rex", "", " \r\n\"'"]},
            "age": {"type": "integer", "examples": [0, -1, 2.5, None, True]},
            "tags": {"type": "array", "items": {"type": "string"}, "examples": [[], ["a", {"b": [1]}]]},
            "owner": {**ref("Owner"), "examples": [{"id": 7}]},
            "none": {"type": "string", "examples": []},
            "plain": {"type": "string"},
        },
    },
    "Owner": {"type": "object", "properties": {"id": {"type": "integer"}}},
}


def test_examples_survive_in_the_json_schema(tmp_path: Path) -> None:
    m, diagnostics, _ = generate_models(tmp_path, EXAMPLES_31)
    schema = m.Pet.model_json_schema()
    assert schema["examples"] == EXAMPLES_31["Pet"]["examples"]
    for name, prop in EXAMPLES_31["Pet"]["properties"].items():
        kept = schema["properties"][name]
        if "examples" in prop:
            assert kept["examples"] == prop["examples"], name
            assert [type(v) for v in kept["examples"]] == [type(v) for v in prop["examples"]], name
        else:
            assert "examples" not in kept, name
    assert not warnings_of(diagnostics)


def test_openapi_30_example_is_kept_as_json_schema_examples(tmp_path: Path) -> None:
    text = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Event:
      type: object
      example: {day: 2024-01-02, note: hi}
      properties:
        day: {type: string, format: date, example: 2024-01-02}
        note: {type: string, example: "a\\tb"}
        count: {type: integer, example: 0}
"""
    m, _, _ = generate_models(tmp_path, text)
    schema = m.Event.model_json_schema()
    assert schema["examples"] == [{"day": "2024-01-02", "note": "hi"}]  # YAML dates as the JSON text
    assert schema["properties"]["day"]["examples"] == ["2024-01-02"]
    assert schema["properties"]["note"]["examples"] == ["a\tb"]
    assert schema["properties"]["count"]["examples"] == [0]


DESCRIBED_PARTS: dict[str, Any] = {
    "TaskId": {"type": "string", "pattern": "^[a-z]{1,3}$"},
    "Engine": {"type": "string", "enum": ["standard", "neural"]},
    "Task": {"type": "object", "properties": {
        "TaskId": {"allOf": [ref("TaskId"), {"description": "the id"}]},
        "Engine": {"allOf": [ref("Engine"), {"description": "engine", "title": "Engine"}]},
    }},
    "Out": {"type": "object", "properties": {"Task": {"allOf": [ref("Task"), {"description": "task"}]}}},
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_allof_of_a_ref_and_a_description_is_the_ref(tmp_path: Path, version: str) -> None:
    """`allOf: [{$ref}, {description}]` (common in AWS documents) types as the referenced schema."""
    m, diagnostics, _ = generate_models(tmp_path, DESCRIBED_PARTS, version)
    out = m.Out.model_validate({"Task": {"TaskId": "abc", "Engine": "neural"}})
    assert type(out.task) is m.Task and out.task.engine is m.Engine.NEURAL
    for bad in ({"TaskId": {}}, {"TaskId": "TOO-LONG"}, {"Engine": "x"}):
        with pytest.raises(pydantic.ValidationError):
            m.Task.model_validate(bad)
    properties = m.Task.model_json_schema()["properties"]
    assert properties["TaskId"]["description"] == "the id" and properties["Engine"]["description"] == "engine"
    assert not warnings_of(diagnostics)


@pytest.mark.parametrize(("version", "nullable"), [("3.0.3", {"nullable": True}), ("3.1.0", {"type": ["object", "null"]})])
def test_a_nullable_object_component_is_nullable_where_it_is_used(
    tmp_path: Path, version: str, nullable: dict[str, Any]
) -> None:
    """GitHub's `nullable-simple-user`: the class cannot be None, so every use says `| None`."""
    schemas = {
        "User": {"type": "object", "properties": {"login": {"type": "string"}}, **nullable},
        "Gist": {"type": "object", "required": ["user"], "properties": {"user": ref("User"), "owners": {
            "type": "array", "items": ref("User")}}},
    }
    m, _, _ = generate_models(tmp_path, schemas, version)
    gist = m.Gist.model_validate({"user": None, "owners": [None, {"login": "a"}]})
    assert gist.user is None and gist.owners[0] is None and gist.owners[1].login == "a"
    with pytest.raises(pydantic.ValidationError):
        m.Gist.model_validate({})


def test_nested_inline_allof_parts_keep_their_fields_and_required(tmp_path: Path) -> None:
    """An inline allOf part with an allOf of its own (appcenter.ms): every level's properties."""
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Item": {"allOf": [
            {"allOf": [{"type": "object", "required": ["release"], "properties": {"release": {"type": "string"}}},
                       ref("Base")],
             "properties": {"group": {"type": "string"}}},
        ], "properties": {"user": {"type": "string"}}},
    }
    m, _, _ = generate_models(tmp_path, schemas)
    item = m.Item.model_validate({"release": "r", "id": 1, "group": "g", "user": "u"})
    assert (item.release, item.id, item.group, item.user) == ("r", 1, "g", "u")
    for missing in ("release", "id"):
        with pytest.raises(pydantic.ValidationError):
            m.Item.model_validate({k: v for k, v in {"release": "r", "id": 1}.items() if k != missing})



def test_a_discriminated_union_declared_before_its_members_is_tagged(tmp_path: Path) -> None:
    """ix-api.net: the union comes first in the document, its allOf members later."""
    schemas = {
        "Request": {"oneOf": [ref("P2p"), ref("Cloud")], "discriminator": {"propertyName": "type", "mapping": {
            "p2p_vc": "#/components/schemas/P2p", "cloud_vc": "#/components/schemas/Cloud"}}},
        "P2p": {"allOf": [ref("Partial"), {"type": "object", "required": ["type", "a"]}]},
        "Cloud": {"allOf": [ref("Partial"), {"type": "object", "required": ["type"],
                                             "properties": {"c": {"type": "integer"}}}]},
        "Partial": {"type": "object", "properties": {"type": {"type": "string"}, "a": {"type": "string"}}},
    }
    m, diagnostics, _ = generate_models(tmp_path, schemas)
    adapter = pydantic.TypeAdapter(m.Request)
    assert type(adapter.validate_python({"type": "cloud_vc", "c": 1})) is m.Cloud
    assert type(adapter.validate_python({"type": "p2p_vc", "a": "x"})) is m.P2p
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({"type": "x", "a": "x"})
    assert not [w for w in warnings_of(diagnostics) if "discriminator" in w]
