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
