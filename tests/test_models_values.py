"""Names and values kept exactly: enums with `true`/`1`, non-finite defaults, dunder and
shadowing schema names, allOf loops, descriptions byte for byte, readOnly/writeOnly."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pydantic
import pytest

from generator.options import Options
from tests.models_support import generate_models, warnings_of


def adapter(module: Any, name: str) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(getattr(module, name))


def test_enum_keeps_true_beside_1_and_false_beside_0(tmp_path: Path) -> None:
    m, diagnostics, _ = generate_models(tmp_path, {"E": {"enum": ["1", 1, True, 1.5]}, "F": {"enum": [0, False]}})
    assert not [w for w in warnings_of(diagnostics) if "repeated" in w]
    for value in ["1", 1, True, 1.5]:
        back = adapter(m, "E").validate_json(pydantic.TypeAdapter(Any).dump_json(value))
        assert back == value and type(back) is type(value)
    assert type(adapter(m, "F").validate_python(False)) is bool
    assert type(adapter(m, "F").validate_python(0)) is int
    for bad in ["2", 2, False, 2.5]:
        with pytest.raises(pydantic.ValidationError):
            adapter(m, "E").validate_python(bad)


def test_enum_duplicates_by_json_equality_are_dropped(tmp_path: Path) -> None:
    _, diagnostics, _ = generate_models(tmp_path, {"E": {"enum": [1, 1.0, "a"]}})
    assert any("repeated" in w for w in warnings_of(diagnostics))


SPEC_WITH_INF = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Limits:
      type: object
      properties:
        high: {type: number, default: .inf}
        low: {type: number, default: -.inf}
        odd: {type: number, default: .nan}
"""


def test_non_finite_defaults_round_trip(tmp_path: Path) -> None:
    m, diagnostics, source = generate_models(tmp_path, SPEC_WITH_INF)
    assert warnings_of(diagnostics) == []
    limits = m.Limits()
    assert limits.high == math.inf and limits.low == -math.inf and math.isnan(limits.odd)
    assert 'float("inf")' in source and 'float("-inf")' in source and 'float("nan")' in source


DUNDERS = ["__builtins__", "__all__", "__module__", "__slots__", "__future__", "__init__", "__x__"]
SHADOWING = ["Field", "BaseModel", "Annotated", "enum", "datetime", "Any", "MISSING", "ConfigDict", "pydantic", "_Model", "re"]


@pytest.mark.parametrize("name", DUNDERS + SHADOWING)
def test_hostile_schema_names_get_safe_class_names_and_keep_the_wire_name(tmp_path: Path, name: str) -> None:
    schemas = {
        name: {"type": "object", "properties": {"a": {"type": "string", "format": "date-time"}}},
        "User": {"type": "object", "properties": {"b": {"$ref": f"#/components/schemas/{name}"},
                                                    "c": {"type": "string", "pattern": "^x"}}},
    }
    m, _, _ = generate_models(tmp_path, schemas)
    cls = m.User.model_fields["b"].annotation
    user = m.User.model_validate({"b": {"a": "2024-01-01T00:00:00Z"}, "c": "xy"})
    model = type(user.b)
    assert model.__name__ != name and model.__name__.isidentifier()
    assert model.model_json_schema()["title"] == name
    assert cls is not None


def test_allof_loop_is_broken_with_a_warning_and_imports(tmp_path: Path) -> None:
    schemas = {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {"type": "integer"}}}]},
        "C": {"allOf": [{"$ref": "#/components/schemas/C"}]},
    }
    m, diagnostics, _ = generate_models(tmp_path, schemas)
    assert any("inheritance cycle" in w for w in warnings_of(diagnostics))
    assert issubclass(m.A, m.B)
    assert m.A.model_validate({"a": 1, "b": 2}).b == 2


DESCRIPTIONS = {
    "quote_end": 'Says "hi"',
    "quote_start": '"Quoted" first',
    "cr": "one\rtwo",
    "crlf": "one\r\ntwo",
    "u2028": "one\u2028two",
    "u2029": "one\u2029two",
    "u0085": "one\x85two",
    "vt": "one\x0btwo",
    "ff": "one\x0ctwo",
    "fs": "one\x1ctwo",
    "tab": "a\tb",
    "trailing_space": "ends with space ",
    "leading_space": "  starts with space",
    "indented": "first\n    second\n  third",
    "blank_lines": "\n\nmiddle\n\n",
    "backslash": "path\\to\\file\\",
    "triple": 'x"""y',
    "plain": "Just text.",
}


@pytest.mark.parametrize("key", list(DESCRIPTIONS))
def test_descriptions_survive_byte_for_byte(tmp_path: Path, key: str) -> None:
    text = DESCRIPTIONS[key]
    schemas = {
        "M": {"type": "object", "description": text, "properties": {"p": {"type": "string", "description": text}}},
    }
    m, _, _ = generate_models(tmp_path, schemas)
    schema = m.M.model_json_schema()
    assert schema["description"] == text
    assert schema["properties"]["p"]["description"] == text


@pytest.mark.parametrize("key", list(DESCRIPTIONS))
@pytest.mark.parametrize("enums", ["strict", "open"])
def test_enum_descriptions_survive_byte_for_byte(tmp_path: Path, key: str, enums: str) -> None:
    text = DESCRIPTIONS[key]
    schemas = {
        "Color": {"type": "string", "enum": ["red", "green"], "description": text},
        "Level": {"type": "integer", "enum": [1, 2], "description": text},
        "M": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Color"}}},
    }
    m, _, source = generate_models(tmp_path, schemas, options=Options(enums=enums))
    assert pydantic.TypeAdapter(m.Color).json_schema()["description"] == text
    assert pydantic.TypeAdapter(m.Level).json_schema()["description"] == text
    assert m.M.model_json_schema()["$defs"]["Color"]["description"] == text
    assert [c.value for c in m.Color] == ["red", "green"]  # the hook is no member
    assert m.M.model_validate({"c": "red"}).c is m.Color.RED
    assert ("_described(" in source) == (key not in ("plain", "quote_end", "quote_start", "backslash", "triple"))


def test_plain_description_is_only_a_docstring(tmp_path: Path) -> None:
    _, _, source = generate_models(tmp_path, {"M": {"type": "object", "description": "Just text.", "properties": {}}})
    assert '"""Just text."""' in source and "json_schema_extra" not in source


ONE_WAY = {
    "Item": {
        "type": "object",
        "required": ["id", "name", "password"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
        },
    }
}


def test_read_only_and_write_only_properties_are_never_required(tmp_path: Path) -> None:
    m, _, _ = generate_models(tmp_path, ONE_WAY)
    request = m.Item.model_validate({"name": "n", "password": "p"})  # a request body: no id
    response = m.Item.model_validate({"id": 1, "name": "n"})  # a response: no password
    assert request.model_dump(by_alias=True, exclude_unset=True) == {"name": "n", "password": "p"}
    assert response.model_dump(by_alias=True, exclude_unset=True) == {"id": 1, "name": "n"}
    with pytest.raises(pydantic.ValidationError):
        m.Item.model_validate({"id": 1})  # name stays required
    with pytest.raises(pydantic.ValidationError):
        m.Item.model_validate({"id": None, "name": "n"})  # not nullable: absent, not null
