"""Unit tests for generator.naming: every Python name the generator decides."""

from __future__ import annotations

import builtins
import keyword

import pytest

from generator import naming
from generator.naming import (
    FIELD_RESERVED,
    MODULE_NAMES,
    Namer,
    class_name,
    constant_name,
    field_name,
    identifier,
    is_identifier,
    operation_name,
    pascal,
    snake,
)

# ---------------------------------------------------------------------- words, snake, pascal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("userEmail", ["user", "Email"]),
        ("HTTPResponse", ["HTTP", "Response"]),
        ("XMLHttpRequest", ["XML", "Http", "Request"]),
        ("getHTTPResponseCode", ["get", "HTTP", "Response", "Code"]),
        ("user_email", ["user", "email"]),
        ("user-email", ["user", "email"]),
        ("User Email", ["User", "Email"]),
        ("petID", ["pet", "ID"]),
        ("v2Api", ["v2", "Api"]),
        ("__init__", ["init"]),
        ("", []),
        ("___", []),
        ("日本語", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert naming.words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("userEmail", "user_email"),
        ("UserEmail", "user_email"),
        ("user-email", "user_email"),
        ("User Email", "user_email"),
        ("user_email", "user_email"),
        ("HTTPResponse", "http_response"),
        ("XMLHttpRequest", "xml_http_request"),
        ("petID", "pet_id"),
        ("snake_Case", "snake_case"),
        ("__private", "private"),
        ("a.b/c", "a_b_c"),
        ("123abc", "123abc"),
        ("Émile-Zola", "emile_zola"),
        ("Ünïcödé", "unicode"),
        ("日本語", ""),
        ("", ""),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("user_email", "UserEmail"),
        ("userEmail", "UserEmail"),
        ("user-email", "UserEmail"),
        ("HTTPResponse", "HTTPResponse"),
        ("my.pet", "MyPet"),
        ("class", "Class"),
        ("Émile-Zola", "EmileZola"),
        ("日本語", ""),
        ("", ""),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


def test_snake_and_pascal_output_is_ascii_identifier_material() -> None:
    for text in ["Ünïcödé straße", "naïve-café", "a\u202eb", "x\u2028y", "🙂 smile"]:
        for out in (snake(text), pascal(text)):
            assert out.isascii()
            assert all(ch.isalnum() or ch == "_" for ch in out)


# ---------------------------------------------------------------------- is_identifier


@pytest.mark.parametrize("name", ["a", "_a", "A1", "user_email", "type"])
def test_is_identifier_accepts(name: str) -> None:
    assert is_identifier(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "1a",
        "a-b",
        "a b",
        "class",
        "None",
        "True",
        "lambda",
        "match",  # soft keyword
        "case",  # soft keyword
        "_",  # soft keyword
        "é",  # valid Python, but the generator only emits ASCII names
        "a.b",
        "a\nb",
    ],
)
def test_is_identifier_rejects(name: str) -> None:
    assert not is_identifier(name)


def test_is_identifier_rejects_trailing_newline() -> None:
    assert not is_identifier("Pet\n")


# ---------------------------------------------------------------------- identifier


@pytest.mark.parametrize(
    ("candidate", "fallback", "reserved", "expected"),
    [
        ("ok", "f", frozenset(), "ok"),
        ("a b-c", "f", frozenset(), "a_b_c"),
        ("", "field", frozenset(), "field"),
        ("___", "field", frozenset(), "field"),
        ("9lives", "field", frozenset(), "field_9lives"),
        ("9", "", frozenset(), "_9"),
        ("for", "f", frozenset(), "for_"),
        ("match", "f", frozenset(), "match_"),
        ("x", "f", frozenset({"x"}), "x_"),
        ("é", "field", frozenset(), "field"),
    ],
)
def test_identifier(candidate: str, fallback: str, reserved: frozenset[str], expected: str) -> None:
    out = identifier(candidate, fallback, reserved)
    assert out == expected
    assert is_identifier(out)
    assert out not in reserved


@pytest.mark.parametrize("kw", keyword.kwlist + keyword.softkwlist)
def test_identifier_never_returns_a_keyword(kw: str) -> None:
    out = identifier(kw, "fallback")
    assert is_identifier(out), out
    assert not keyword.iskeyword(out)
    assert not keyword.issoftkeyword(out)


# ---------------------------------------------------------------------- class_name


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("Pet", "Pet"),
        ("pet", "pet"),  # already an identifier: kept as the spec spells it
        ("HTTPValidationError", "HTTPValidationError"),
        ("Body_get_token_api_v1_oauth2_token_post", "Body_get_token_api_v1_oauth2_token_post"),
        ("my.pet", "MyPet"),
        ("pet-store item", "PetStoreItem"),
        ("123abc", "Model_123abc"),
        ("class", "Class"),
        ("match", "Match"),
        ("str", "Str"),
        ("list", "List"),
        ("None", "None_"),
        ("True", "True_"),
        ("Field", "Field_"),
        ("BaseModel", "BaseModel_"),
        ("JsonObject", "JsonObject_"),
        ("日本語", "Model"),
        ("", "Model"),
        ("Ünïcödé", "Unicode"),
        ("../../evil", "Evil"),
    ],
)
def test_class_name(wire: str, expected: str) -> None:
    assert class_name(wire) == expected


def test_class_name_never_takes_a_module_name_or_lowercase_builtin() -> None:
    for wire in [*sorted(MODULE_NAMES), "str", "int", "float", "bool", "bytes", "list", "dict"]:
        name = class_name(wire)
        assert is_identifier(name)
        assert name not in MODULE_NAMES
        assert name != wire


def test_class_name_of_name_with_trailing_newline_is_an_identifier() -> None:
    name = class_name("Pet\n")
    assert "\n" not in name
    assert is_identifier(name)


# ---------------------------------------------------------------------- field_name


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("userEmail", "user_email"),
        ("user_email", "user_email"),
        ("X-Request-ID", "x_request_id"),
        ("class", "class_"),
        ("for", "for_"),
        ("match", "match_"),
        ("case", "case_"),
        ("_", "field"),
        ("123", "field_123"),
        ("2fa", "field_2fa"),
        ("日本語", "field"),
        ("", "field"),
        ("model_config", "model_config_"),
        ("model_dump", "model_dump_"),
        ("model_fields", "model_fields_"),
        ("self", "self_"),
        ("str", "str_"),
        ("int", "int_"),
        ("list", "list_"),
        ("datetime", "datetime_"),
        ("uuid", "uuid_"),
        ("enum", "enum_"),
        ("models", "models_"),
        ("json", "json_"),
        ("copy", "copy_"),
        ("_private", "private"),
        ("Ünïcödé", "unicode"),
    ],
)
def test_field_name(wire: str, expected: str) -> None:
    assert field_name(wire) == expected


def test_field_name_never_shadows_base_model_members() -> None:
    import pydantic

    for member in dir(pydantic.BaseModel):
        if member.startswith("__"):
            continue
        name = field_name(member)
        assert is_identifier(name)
        assert name not in FIELD_RESERVED
        assert not hasattr(pydantic.BaseModel, name), (member, name)


# ---------------------------------------------------------------------- constant_name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("red", "RED"),
        ("in-progress", "IN_PROGRESS"),
        ("inProgress", "IN_PROGRESS"),
        ("3d", "VALUE_3D"),
        ("", "VALUE_"),
        ("name", "NAME_"),
        ("value", "VALUE_"),
        ("mro", "MRO_"),
        ("V1", "V1"),
        ("class", "CLASS"),
        ("日本語", "VALUE_"),
    ],
)
def test_constant_name(value: object, expected: str) -> None:
    assert constant_name(value) == expected


# ---------------------------------------------------------------------- Namer


def test_namer_numbers_collisions_in_order() -> None:
    namer = Namer({"taken"})
    assert [namer.claim(n) for n in ["a", "a", "a", "b", "taken", "taken"]] == [
        "a",
        "a_2",
        "a_3",
        "b",
        "taken_2",
        "taken_3",
    ]


def test_namer_avoids_double_underscore_after_trailing_underscore() -> None:
    namer = Namer()
    assert [namer.claim("class_") for _ in range(3)] == ["class_", "class_2", "class_3"]


def test_namer_skips_a_numbered_name_already_taken() -> None:
    namer = Namer({"a", "a_2"})
    assert namer.claim("a") == "a_3"
    assert namer.claim("a_2") == "a_2_2"


def test_namer_is_deterministic_and_unique() -> None:
    wires = ["user-email", "userEmail", "user_email", "User Email", "USER_EMAIL"]
    first = Namer()
    second = Namer()
    names = [first.claim(field_name(w)) for w in wires]
    assert names == [second.claim(field_name(w)) for w in wires]
    assert len(set(names)) == len(names)
    assert names[0] == "user_email"
    assert all(is_identifier(n) for n in names)


def test_namer_does_not_share_state_with_the_taken_argument() -> None:
    taken = {"x"}
    namer = Namer(taken)
    namer.claim("y")
    assert taken == {"x"}


# ---------------------------------------------------------------------- operation_name


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("get_token_api_v1_oauth2_token_post", "post", "/api/v1/oauth2/token", "get_token"),
        ("get_token_api_v1_oauth2_token_post", "POST", "/api/v1/oauth2/token", "get_token"),
        ("read_item_items__item_id__get", "get", "/items/{item_id}", "read_item"),
        ("list_users_users_get", "get", "/users", "list_users"),
        # Not FastAPI's suffix for this method/path: kept whole.
        ("get_token_api_v1_oauth2_token_post", "get", "/api/v1/oauth2/token", "get_token_api_v1_oauth2_token_post"),
        # The suffix alone is not stripped to nothing.
        ("_api_v1_post", "post", "/api/v1", "api_v1_post"),
        ("listPets", "get", "/pets", "list_pets"),
        ("class", "get", "/x", "class_"),
        ("self", "get", "/x", "self_"),
        ("match", "get", "/x", "match_"),
        ("123go", "get", "/x", "operation_123go"),
        ("日本", "get", "/x", "operation"),
        ("get-pet.by/id", "get", "/x", "get_pet_by_id"),
    ],
)
def test_operation_name(operation_id: str, method: str, path: str, expected: str) -> None:
    assert operation_name(operation_id, method, path) == expected


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/pets/{petId}", "get_pets_pet_id"),
        ("post", "/", "post"),
        ("delete", "/a-b/c.d", "delete_a_b_c_d"),
    ],
)
def test_operation_name_without_id(method: str, path: str, expected: str) -> None:
    assert operation_name(None, method, path) == expected
    assert operation_name("", method, path) == expected


def test_fastapi_operation_id_round_trips_through_operation_name() -> None:
    for name, method, path in [
        ("get_token", "post", "/api/v1/oauth2/token"),
        ("read_item", "get", "/items/{item_id}"),
        ("update", "put", "/a-b/{c}/d.e"),
    ]:
        op_id = naming.fastapi_operation_id(method, path, name)
        assert operation_name(op_id, method, path) == name
    assert naming.fastapi_operation_id("post", "/api/v1/oauth2/token", "get_token") == (
        "get_token_api_v1_oauth2_token_post"
    )


# ---------------------------------------------------------------------- title_from_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [("user_email", "User Email"), ("loc", "Loc"), ("error_type", "Error Type")],
)
def test_title_from_name_matches_pydantic(name: str, expected: str) -> None:
    import pydantic

    assert naming.title_from_name(name) == expected
    model = pydantic.create_model("M", **{name: (int, ...)})
    assert model.model_json_schema()["properties"][name]["title"] == expected


# ---------------------------------------------------------------------- fuzz: always identifiers


FUZZ = [
    "",
    " ",
    "\n",
    "\x00",
    "\u202e",
    "\u2028",
    "🙂",
    "0",
    "_0",
    "__",
    "a\u0301",
    "ß",
    "ǅ",
    "Ⅸ",
    "١٢٣",
    "²",
    "class",
    "None",
    "__import__('os')",
    "\"\"\"; import os #",
    "../../etc/passwd",
    "a" * 300,
]


@pytest.mark.parametrize("text", FUZZ)
def test_every_name_function_returns_a_safe_identifier(text: str) -> None:
    for out in (
        field_name(text),
        constant_name(text),
        operation_name(text or None, "get", "/" + text),
        identifier(snake(text), "x"),
        identifier(pascal(text), "X"),
    ):
        assert is_identifier(out), (text, out)
        assert out.isascii()
        assert "\n" not in out


@pytest.mark.parametrize("text", [t for t in FUZZ if t.strip()])
def test_class_name_returns_a_safe_identifier(text: str) -> None:
    out = class_name(text)
    assert is_identifier(out), (text, out)
    assert out not in MODULE_NAMES
    assert not (out.islower() and hasattr(builtins, out))
