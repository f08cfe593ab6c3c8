"""JSON Schema keywords pydantic has no native form for: each accepted and rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.models_support import generate_models, warnings_of

# name → (schema, valid instances, invalid instances)
CASES: dict[str, tuple[dict[str, Any], list[Any], list[Any]]] = {
    "Sized": ({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2}, [[1], [1, 2]], [[], [1, 2, 3]]),
    "Not": ({"type": "integer", "not": {"const": 2}}, [1, 3], [2]),
    "NotType": ({"not": {"type": "string"}}, [1, None, [1]], ["x"]),
    "Unique": ({"type": "array", "items": {}, "uniqueItems": True}, [[1, "1", True], [1, [1]]], [[1, 1.0], [{"a": 1}, {"a": 1}]]),
    "MinMaxDict": ({"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 1, "maxProperties": 2}, [{"a": 1}, {"a": 1, "b": 2}], [{}, {"a": 1, "b": 2, "c": 3}]),
    "MinMaxModel": ({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "additionalProperties": True, "minProperties": 1, "maxProperties": 2}, [{"a": 1}, {"x": 1, "b": 2}], [{}, {"a": 1, "b": 2, "c": 3}]),
    "Dependent": ({"type": "object", "properties": {"card": {"type": "string"}, "billing": {"type": "string"}}, "dependentRequired": {"card": ["billing"]}}, [{}, {"billing": "x"}, {"card": "1", "billing": "x"}], [{"card": "1"}]),
    "IfThenElse": ({"type": "object", "properties": {"country": {"type": "string"}, "zip": {"type": "string"}}, "if": {"properties": {"country": {"const": "US"}}, "required": ["country"]}, "then": {"properties": {"zip": {"pattern": "^[0-9]{5}$"}}}, "else": {"properties": {"zip": {"pattern": "^[A-Z0-9 ]+$"}}}}, [{"country": "US", "zip": "12345"}, {"country": "NL", "zip": "1234 AB"}], [{"country": "US", "zip": "1234 AB"}, {"country": "NL", "zip": "12-345"}]),
    "PatternProps": ({"type": "object", "properties": {"name": {"type": "string"}}, "patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": False}, [{"name": "a"}, {"name": "a", "x-n": 1}], [{"x-n": "one"}, {"other": 1}]),
    "PatternDict": ({"type": "object", "patternProperties": {"^[a-z]+$": {"type": "string"}}}, [{"a": "x"}, {"A1": 5}], [{"a": 5}]),
    "ConstObject": ({"const": {"a": [1, 2]}}, [{"a": [1, 2]}, {"a": [1.0, 2]}], [{"a": [2, 1]}, {"a": [1, 2], "b": 1}, [1, 2]]),
    "ConstArray": ({"type": "array", "const": [1, "x"]}, [[1, "x"]], [[1], ["x", 1]]),
    "EnumObjects": ({"enum": [{"a": 1}, [1], 1.5, "s"]}, [{"a": 1}, [1], 1.5, "s"], [{"a": 2}, [2], 2.5, "t"]),
    "Contains": ({"type": "array", "items": {"type": "integer"}, "contains": {"minimum": 10}}, [[1, 10], [11]], [[1, 2], []]),
    "ContainsMinMax": ({"type": "array", "items": {"type": "integer"}, "contains": {"const": 1}, "minContains": 2, "maxContains": 3}, [[1, 1], [1, 2, 1, 1]], [[1, 2], [1, 1, 1, 1]]),
    "PropertyNames": ({"type": "object", "additionalProperties": {"type": "integer"}, "propertyNames": {"pattern": "^[a-z_]+$", "maxLength": 5}}, [{"ab": 1}, {}], [{"Ab": 1}, {"abcdef": 1}]),
    "OneOfRequired": ({"type": "object", "properties": {"url": {"type": "string"}, "html": {"type": "string"}, "w": {"type": "integer"}}, "oneOf": [{"required": ["url"]}, {"required": ["html"]}]}, [{"url": "u"}, {"html": "h", "w": 1}], [{}, {"url": "u", "html": "h"}, {"w": 1}]),
    "AnyOfRequired": ({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, [{"a": "x"}, {"a": "x", "b": "y"}], [{}]),
    "PropertyNamesModel": ({"type": "object", "properties": {"ok": {"type": "integer"}}, "additionalProperties": True, "propertyNames": {"enum": ["ok", "fine"]}}, [{"ok": 1, "fine": 2}], [{"ok": 1, "bad": 2}]),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str]]:
    schemas = {name: schema for name, (schema, _, _) in CASES.items()}
    module, diagnostics, _ = generate_models(tmp_path_factory.mktemp("keywords"), schemas)
    return module, warnings_of(diagnostics)


def adapter(module: Any, name: str) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(getattr(module, name))


@pytest.mark.parametrize("name", list(CASES))
def test_valid_instances_are_accepted_and_round_trip(generated: tuple[Any, list[str]], name: str) -> None:
    module, _ = generated
    for instance in CASES[name][1]:
        value = adapter(module, name).validate_python(instance)
        dumped = adapter(module, name).dump_python(value, mode="json", by_alias=True, exclude_unset=True)
        assert dumped == instance, (name, instance)


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_instances_are_rejected(generated: tuple[Any, list[str]], name: str) -> None:
    module, _ = generated
    for instance in CASES[name][2]:
        with pytest.raises(pydantic.ValidationError):
            adapter(module, name).validate_python(instance)


@pytest.mark.parametrize("name", list(CASES))
def test_json_input_is_checked_too(generated: tuple[Any, list[str]], name: str) -> None:
    import json

    module, _ = generated
    for instance in CASES[name][1]:
        adapter(module, name).validate_json(json.dumps(instance))
    for instance in CASES[name][2]:
        with pytest.raises(pydantic.ValidationError):
            adapter(module, name).validate_json(json.dumps(instance))


def test_none_of_these_keywords_is_warned_about(generated: tuple[Any, list[str]]) -> None:
    _, warnings = generated
    assert warnings == []


def test_helpers_are_emitted_only_when_used(tmp_path: Path) -> None:
    _, _, source = generate_models(tmp_path, {"A": {"type": "object", "properties": {"a": {"type": "string"}}}})
    for helper in ("def _check", "def _not", "JsonObject", "def _file_bytes", "Binary", "_tag", "import pydantic\n"):
        assert helper not in source
    _, _, source = generate_models(tmp_path, {"U": {"type": "array", "items": {}, "uniqueItems": True}})
    assert "def _unique" in source and "def _not" not in source and "def _contains" not in source


def test_a_ref_beside_other_keywords_keeps_its_type(tmp_path: Path) -> None:
    schemas = {
        "Source": {"type": "string", "enum": ["recordings", "preview"]},
        "Body": {"type": "object", "properties": {
            "source": {"$ref": "#/components/schemas/Source", "title": "Playback source", "default": "recordings"}}},
    }
    module, diagnostics, _ = generate_models(tmp_path, schemas)
    assert warnings_of(diagnostics) == []
    assert module.Body().source is module.Source.RECORDINGS
    assert module.Body.model_validate({"source": "preview"}).source is module.Source.PREVIEW
    with pytest.raises(pydantic.ValidationError):
        module.Body.model_validate({"source": {}})
