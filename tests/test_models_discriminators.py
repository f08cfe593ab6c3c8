"""Discriminated unions: every way a spec writes them validates the right member, and an
unknown or missing tag is a clear validation error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.models_support import generate_models, warnings_of


def pet(kind_schema: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"pet-type": kind_schema, **props}, "required": ["pet-type"]}


SCHEMAS: dict[str, Any] = {
    "Cat": pet({"type": "string"}, meows={"type": "boolean"}),
    "Dog": pet({"type": "string"}, barks={"type": "boolean"}),
    # without mapping: tags are the component names
    "Implicit": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                 "discriminator": {"propertyName": "pet-type"}},
    # mapping values as $refs and as bare names, two tags for one member
    "Mapped": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
               "discriminator": {"propertyName": "pet-type",
                                 "mapping": {"cat": "#/components/schemas/Cat", "kitty": "Cat", "dog": "Dog"}}},
    # members whose tag is already a Literal: pydantic's own discriminator
    "Circle": pet({"type": "string", "enum": ["circle"]}, r={"type": "number"}),
    "Square": pet({"const": "square"}, side={"type": "number"}),
    "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
              "discriminator": {"propertyName": "pet-type", "mapping": {"circle": "Circle", "square": "Square"}}},
    # inline members
    "Inline": {"oneOf": [pet({"type": "string", "enum": ["a"]}, x={"type": "integer"}),
                         pet({"type": "string", "enum": ["b"]}, y={"type": "integer"})],
               "discriminator": {"propertyName": "pet-type"}},
    # the property inherited through allOf, discriminator on the base referenced by subtypes
    "Animal": {"type": "object", "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
               "required": ["kind"], "discriminator": {"propertyName": "kind",
                                                        "mapping": {"bird": "Bird", "fish": "#/components/schemas/Fish"}}},
    "Bird": {"allOf": [{"$ref": "#/components/schemas/Animal"}, {"type": "object", "properties": {"wings": {"type": "integer"}}}]},
    "Fish": {"allOf": [{"$ref": "#/components/schemas/Animal"}, {"type": "object", "properties": {"fins": {"type": "integer"}}}]},
    "Zoo": {"type": "object", "properties": {"star": {"$ref": "#/components/schemas/Animal"},
                                             "all": {"type": "array", "items": {"$ref": "#/components/schemas/Animal"}}}},
    "Holder": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Mapped"}}},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str], str]:
    module, diagnostics, source = generate_models(tmp_path_factory.mktemp("disc"), SCHEMAS)
    return module, warnings_of(diagnostics), source


def check(module: Any, name: str, data: Any) -> Any:
    return pydantic.TypeAdapter(getattr(module, name)).validate_python(data)


def test_no_warning(generated: tuple[Any, list[str], str]) -> None:
    assert generated[1] == []


def test_implicit_tags_are_schema_names(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    assert type(check(m, "Implicit", {"pet-type": "Cat", "meows": True})) is m.Cat
    assert type(check(m, "Implicit", {"pet-type": "Dog"})) is m.Dog
    # a Dog-shaped body tagged Cat is a Cat: the tag decides, not the shape
    assert type(check(m, "Implicit", {"pet-type": "Cat", "barks": True})) is m.Cat


def test_mapping_with_refs_bare_names_and_several_tags(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    assert type(check(m, "Mapped", {"pet-type": "cat"})) is m.Cat
    assert type(check(m, "Mapped", {"pet-type": "kitty"})) is m.Cat
    assert type(check(m, "Mapped", {"pet-type": "dog"})) is m.Dog
    assert type(check(m, "Holder", {"pet": {"pet-type": "dog"}}).pet) is m.Dog


@pytest.mark.parametrize("name", ["Implicit", "Mapped", "Shape", "Inline", "Zoo"])
def test_unknown_tag_is_a_clear_error(generated: tuple[Any, list[str], str], name: str) -> None:
    m = generated[0]
    data: Any = {"pet-type": "unicorn", "kind": "unicorn"}
    if name == "Zoo":
        data = {"star": data}
    with pytest.raises(pydantic.ValidationError) as info:
        check(m, name, data)
    text = str(info.value)
    assert "unicorn" in text and ("does not match any of the expected tags" in text or "union_tag_invalid" in text)


def test_missing_tag_is_an_error(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    for name in ("Implicit", "Shape", "Inline"):
        with pytest.raises(pydantic.ValidationError):
            check(m, name, {"meows": True})


def test_literal_tags_use_pydantics_discriminator(generated: tuple[Any, list[str], str]) -> None:
    m, _, source = generated
    assert type(check(m, "Shape", {"pet-type": "square", "side": 2})) is m.Square
    assert "_Discriminator(\"pet_type\")" in source
    schema = pydantic.TypeAdapter(m.Shape).json_schema()
    assert schema["discriminator"]["propertyName"] == "pet-type"  # the wire name


def test_inline_members_are_narrowed_to_their_tags(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    assert check(m, "Inline", {"pet-type": "b", "y": 1}).y == 1
    assert check(m, "Inline", {"pet-type": "a", "x": 1}).x == 1


def test_base_with_discriminator_resolves_to_its_subtypes(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    zoo = check(m, "Zoo", {"star": {"kind": "fish", "fins": 2}, "all": [{"kind": "bird"}, {"kind": "fish"}]})
    assert type(zoo.star) is m.Fish and zoo.star.fins == 2
    assert [type(a) for a in zoo.all] == [m.Bird, m.Fish]
    assert issubclass(m.Bird, m.Animal)


def test_round_trip_keeps_wire_names(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    data = {"pet": {"pet-type": "kitty", "meows": False}}
    holder = check(m, "Holder", data)
    assert holder.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


def test_model_instances_are_accepted(generated: tuple[Any, list[str], str]) -> None:
    m = generated[0]
    cat = m.Cat.model_validate({"pet-type": "cat"})
    assert check(m, "Holder", {"pet": cat}).pet is cat


def test_plain_union_when_members_have_no_tags(tmp_path: Path) -> None:
    schemas = {"U": {"oneOf": [{"type": "string"}, {"type": "integer"}], "discriminator": {"propertyName": "k"}}}
    m, diagnostics, _ = generate_models(tmp_path, schemas)
    assert any("plain union" in w for w in warnings_of(diagnostics))
    assert check(m, "U", 1) == 1


def event(tag_default: str, **props: Any) -> dict[str, Any]:
    """A 3.0 event schema as real APIs write them: nullable, its tag a plain string with a default."""
    return {"type": "object", "nullable": True, "required": ["type", "at"],
            "properties": {"type": {"type": "string", "default": tag_default}, "at": {"type": "integer"}, **props}}


#: Several tags mapping to one member, that member listed twice in `oneOf`, nullable members
#: whose tag property is a plain string (not a Literal of the tags).
EVENTS: dict[str, Any] = {
    "AnyEvent": event("custom"),
    "CreatedEvent": event("created", name={"type": "string"}),
    "Event": {"oneOf": [{"$ref": "#/components/schemas/AnyEvent"}, {"$ref": "#/components/schemas/AnyEvent"},
                        {"$ref": "#/components/schemas/CreatedEvent"}],
              "discriminator": {"propertyName": "type", "mapping": {
                  "any": "#/components/schemas/AnyEvent", "custom": "#/components/schemas/AnyEvent",
                  "created": "#/components/schemas/CreatedEvent"}}},
    "Envelope": {"type": "object", "properties": {"event": {"$ref": "#/components/schemas/Event"}}},
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str], str]:
    module, diagnostics, source = generate_models(tmp_path_factory.mktemp("events"), EVENTS, "3.0.3")
    return module, warnings_of(diagnostics), source


def test_nullable_members_with_shared_tags_stay_discriminated(events: tuple[Any, list[str], str]) -> None:
    m, warnings, source = events
    assert warnings == []
    assert '_Discriminator(_tag("type"))' in source
    for tag, member in (("any", m.AnyEvent), ("custom", m.AnyEvent), ("created", m.CreatedEvent)):
        assert type(check(m, "Event", {"type": tag, "at": 1})) is member
    assert check(m, "Event", None) is None  # a nullable member: null is an event too


@pytest.mark.parametrize("data", [{"at": 1}, {"type": None, "at": 1}, {"type": 3, "at": 1}])
def test_nullable_members_reject_a_missing_tag(events: tuple[Any, list[str], str], data: Any) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        check(events[0], "Event", data)
    assert "Unable to extract tag using discriminator" in str(info.value)


def test_nullable_members_reject_an_unknown_tag(events: tuple[Any, list[str], str]) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        check(events[0], "Event", {"type": "deleted", "at": 1})
    text = str(info.value)
    assert "'deleted'" in text and "does not match any of the expected tags" in text
    assert "'any', 'custom', 'created'" in text  # each tag named once, in mapping order


@pytest.mark.parametrize("tag", ["any", "custom", "created"])
def test_nullable_members_round_trip(events: tuple[Any, list[str], str], tag: str) -> None:
    m = events[0]
    data = {"event": {"type": tag, "at": 2, **({"name": "n"} if tag == "created" else {})}}
    envelope = check(m, "Envelope", data)
    assert envelope.model_dump(mode="json", by_alias=True, exclude_unset=True) == data
    assert check(m, "Envelope", envelope.model_dump(mode="json", by_alias=True)) == envelope


def test_nullable_literal_members_keep_pydantics_discriminator(tmp_path: Path) -> None:
    def shape(tag: str) -> dict[str, Any]:
        return {"type": "object", "nullable": True, "required": ["kind"],
                "properties": {"kind": {"type": "string", "enum": [tag]}}}

    schemas = {"Circle": shape("circle"), "Square": shape("square"),
               "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
                         "discriminator": {"propertyName": "kind", "mapping": {"circle": "Circle", "square": "Square"}}}}
    m, diagnostics, source = generate_models(tmp_path, schemas, "3.0.3")
    assert warnings_of(diagnostics) == []
    assert 'Shape: TypeAlias = Annotated[Circle | Square, _Discriminator("kind")] | None' in source
    assert type(check(m, "Shape", {"kind": "square"})) is m.Square
    assert check(m, "Shape", None) is None
    for bad in ({}, {"kind": "triangle"}):
        with pytest.raises(pydantic.ValidationError):
            check(m, "Shape", bad)
