"""A property declared by several `allOf` parts (or by a base and again by its subtype): a value
must satisfy every declaration, as JSON Schema says; the field takes the narrowest one and checks
the others where neither implies the other (webhook payloads are written this way)."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import black
import pydantic
import pytest

from tests.models_support import generate_models, warnings_of

jsonschema = pytest.importorskip("jsonschema")


def obj(props: dict[str, Any], required: list[str] | None = None, nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["object", "null"] if nullable else "object", "properties": props}
    if required:
        out["required"] = required
    return out


ISSUE_FULL = obj({
    "id": {"type": "integer"},
    "state": {"type": "string", "enum": ["open", "closed"]},
    "user": obj({"login": {"type": "string"}}, ["login"], nullable=True),
    "milestone": obj({"number": {"type": "integer"}}, ["number"], nullable=True),
    "labels": {"type": "array", "items": {"type": "string", "maxLength": 5}},
    "body": {"type": ["string", "null"]},
}, ["id", "state"])
ISSUE_LOOSE = obj({
    "state": {"type": "string"},
    "user": obj({"login": {"type": "string"}, "id": {"type": "integer"}}),
    "milestone": {"type": ["object", "null"]},
    "labels": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
    "body": {"type": ["string", "null"], "default": None},
}, ["labels"])
SCHEMAS: dict[str, Any] = {
    "Payload": obj({"issue": {"allOf": [ISSUE_FULL, ISSUE_LOOSE]}}, ["issue"]),
    "Animal": obj({"kind": {"type": "string", "enum": ["cat", "dog"]}, "name": {"type": "string"}}, ["kind"]),
    "Pet": {"allOf": [{"$ref": "#/components/schemas/Animal"},
                      obj({"kind": {"type": "string", "description": "the pet's kind"},
                           "name": {"type": "string", "maxLength": 3}})]},
}

ISSUE = {"id": 1, "state": "open", "labels": ["ab"]}
#: (schema, instance): jsonschema decides whether each must be accepted.
CASES: list[tuple[str, Any]] = [
    ("Payload", {"issue": ISSUE}),
    ("Payload", {"issue": {**ISSUE, "state": "merged"}}),  # the enum of the first part
    ("Payload", {"issue": {**ISSUE, "labels": ["ABC"]}}),  # the pattern of the second
    ("Payload", {"issue": {**ISSUE, "labels": ["abcdefg"]}}),  # the maxLength of the first
    ("Payload", {"issue": {k: v for k, v in ISSUE.items() if k != "labels"}}),  # required by the second
    ("Payload", {"issue": {k: v for k, v in ISSUE.items() if k != "id"}}),  # required by the first
    ("Payload", {"issue": {**ISSUE, "milestone": None}}),  # both parts allow null
    ("Payload", {"issue": {**ISSUE, "milestone": {}}}),  # the first part requires `number`
    ("Payload", {"issue": {**ISSUE, "milestone": {"number": 2}}}),
    ("Payload", {"issue": {**ISSUE, "user": None}}),  # the second part does not allow null
    ("Payload", {"issue": {**ISSUE, "user": {}}}),  # the first part requires `login`
    ("Payload", {"issue": {**ISSUE, "user": {"login": "a"}}}),
    ("Payload", {"issue": {**ISSUE, "user": {"login": "a", "id": "x"}}}),  # the second part's `id`
    ("Payload", {"issue": {**ISSUE, "body": None}}),
    ("Pet", {"kind": "cat", "name": "Tom"}),
    ("Pet", {"kind": "fish"}),  # the base's enum
    ("Pet", {"kind": "dog", "name": "Rover"}),  # the subtype's maxLength
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str], str]:
    module, diagnostics, source = generate_models(tmp_path_factory.mktemp("merge"), SCHEMAS)
    return module, warnings_of(diagnostics), source


def accepts(module: Any, name: str, data: Any) -> bool:
    try:
        pydantic.TypeAdapter(getattr(module, name)).validate_python(data)
    except pydantic.ValidationError:
        return False
    return True


@pytest.mark.parametrize(("name", "data"), CASES)
def test_every_declaration_of_a_property_applies(generated: tuple[Any, list[str], str], name: str, data: Any) -> None:
    validator = jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": {"schemas": SCHEMAS}})
    assert accepts(generated[0], name, data) == validator.is_valid(data), data


def test_the_narrowest_declaration_types_the_field(generated: tuple[Any, list[str], str]) -> None:
    m, warnings, _ = generated
    assert warnings == []
    hints = typing.get_type_hints(m.PayloadIssue, vars(m), include_extras=True)
    assert typing.get_args(hints["state"]) == ("open", "closed")  # the first part's enum
    assert type(None) in typing.get_args(hints["milestone"])  # null from both parts
    assert type(None) not in typing.get_args(hints["user"])  # the second part rules null out
    assert m.Payload.model_validate({"issue": {**ISSUE, "milestone": {"number": 2}}}).issue.milestone.number == 2
    assert issubclass(m.Pet, m.Animal)  # the base's narrower `kind` stays: no need to flatten the subtype
    assert m.Pet.model_fields["kind"].description == "the pet's kind"  # the later declaration describes it


def test_merged_fields_round_trip(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    data = {"issue": {**ISSUE, "user": {"login": "a", "id": 3}, "milestone": None, "body": None}}
    payload = m.Payload.model_validate(data)
    assert payload.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


def test_a_default_the_other_declaration_rules_out_is_dropped_with_a_warning(tmp_path: Path) -> None:
    schemas = {"Base": obj({"kind": {"type": "string", "enum": ["a", "b"]}}),
               "Sub": {"allOf": [{"$ref": "#/components/schemas/Base"}, obj({"kind": {"type": "string", "default": "c"}})]}}
    m, diagnostics, _ = generate_models(tmp_path, schemas)
    assert any("default 'c' does not match the type" in w for w in warnings_of(diagnostics))
    assert not accepts(m, "Sub", {"kind": "c"})


def test_merged_models_pass_mypy_strict_and_black(generated: tuple[Any, list[str], str], tmp_path: Path) -> None:
    source = generated[2]
    assert black.format_str(source, mode=black.Mode(line_length=88, target_versions={black.TargetVersion.PY311})) == source
    path = tmp_path / "merged_models.py"
    path.write_text(source, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(path)], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

