"""Every Python name is decided here: identifiers, reserved words, collisions, readable ids."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Names that models.py, client/ and server/ modules import or define themselves.
MODULE_NAMES = frozenset(
    {"Annotated", "Any", "BaseModel", "ConfigDict", "Field", "Literal", "MISSING", "TypeAlias"}
    | {"WithJsonSchema", "JsonObject", "annotations", "datetime", "enum", "uuid", "models"}
    | {"Binary", "BeforeValidator"}
)
#: Builtins that generated annotations use; a field of that name would shadow them.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict"})
#: Names a model field must not take: they shadow BaseModel or the annotations' own names.
FIELD_RESERVED = frozenset(
    {name for name in dir(__import__("pydantic").BaseModel) if not name.startswith("__")}
    | ANNOTATION_BUILTINS
    | MODULE_NAMES
    | {"self", "cast", "Protocol", "MISSING", "l", "O", "I"}
)
#: Names an operation method must not take: they would shadow what annotations use.
METHOD_RESERVED = frozenset(
    ANNOTATION_BUILTINS
    | MODULE_NAMES
    | {"self", "cast", "l", "O", "I"}
    # Local names of the server's router() that a route function would shadow.
    | {"routes", "router", "implementation", "guard"}
)


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, snake_case, kebab-case, spaces) into ASCII words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORDS.findall(ascii_text)


@functools.lru_cache(maxsize=1 << 16)
def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


@functools.lru_cache(maxsize=1 << 16)
def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


@functools.lru_cache(maxsize=1 << 16)
def is_identifier(name: str) -> bool:
    return bool(_IDENT.fullmatch(name)) and not keyword.iskeyword(name) and not keyword.issoftkeyword(
        name
    )


@functools.lru_cache(maxsize=1 << 16)
def identifier(candidate: str, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """Make `candidate` a safe identifier: ASCII, not a keyword, not reserved, no digit first."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", candidate)
    if not name.strip("_"):
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}" if fallback else f"_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name += "_"
    return name


def class_name(wire: str, fallback: str = "Model") -> str:
    """A class name: the spec's own name when it is already an identifier, else PascalCase."""
    if is_identifier(wire) and wire not in MODULE_NAMES and not hasattr(builtins, wire):
        return wire
    return identifier(pascal(wire), fallback, MODULE_NAMES)


@functools.lru_cache(maxsize=1 << 16)
def field_name(wire: str) -> str:
    return identifier(snake(wire), "field", FIELD_RESERVED)


def constant_name(value: object) -> str:
    """An enum member name for a value: UPPER_SNAKE_CASE."""
    text = snake(str(value)).upper()
    return identifier(text, "VALUE", frozenset({"NAME", "VALUE", "MRO"}))


class Namer:
    """Hands out unique names within one scope, in the order asked (deterministic)."""

    def __init__(
        self, taken: frozenset[str] | set[str] = frozenset(), reserved: frozenset[str] = frozenset()
    ) -> None:
        self.taken = set(taken)
        self.reserved = reserved  # also taken; shared between scopes, never copied

    def _free(self, name: str) -> bool:
        return name not in self.taken and name not in self.reserved

    def claim(self, name: str, *companions: str) -> str:
        """A unique name; each companion prefix (e.g. "Async") is claimed beside it too."""
        if not companions and self._free(name):  # the common case
            self.taken.add(name)
            return name
        prefixes = ("", *companions)
        unique, n = name, 1
        while not all(self._free(prefix + unique) for prefix in prefixes):
            n += 1
            unique = f"{name}_{n}" if not name.endswith("_") else f"{name}{n}"
        self.taken.update(prefix + unique for prefix in prefixes)
        return unique


def operation_name(operation_id: str | None, method: str, path: str) -> str:
    """A readable method name: FastAPI's `get_token_api_v1_oauth2_token_post` → `get_token`."""
    if operation_id:
        fastapi_suffix = re.sub(r"\W", "_", path) + "_" + method.lower()
        if operation_id.endswith(fastapi_suffix) and len(operation_id) > len(fastapi_suffix):
            operation_id = operation_id[: -len(fastapi_suffix)]
        return identifier(snake(operation_id), "operation", METHOD_RESERVED)
    return identifier(snake(f"{method} {path}"), "operation", METHOD_RESERVED)


def fastapi_operation_id(method: str, path: str, name: str) -> str:
    """The id FastAPI would give an operation named `name` (used when the spec has none)."""
    return re.sub(r"\W", "_", f"{name}{path}") + "_" + method.lower()


@functools.lru_cache(maxsize=1 << 16)
def title_from_name(name: str) -> str:
    """The title Pydantic derives for a field called `name`."""
    return name.title().replace("_", " ").strip()
