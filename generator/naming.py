"""Every Python name is decided here: identifiers, reserved words, collisions, readable ids."""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import unicodedata

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Names that models.py, client/ and server/ modules import or define themselves.
MODULE_NAMES = frozenset(
    {"Annotated", "Any", "BaseModel", "ConfigDict", "Field", "Literal", "MISSING", "TypeAlias"}
    | {"WithJsonSchema", "JsonObject", "annotations", "datetime", "enum", "uuid", "models"}
    | {"Binary", "BeforeValidator", "model_validator", "pydantic", "pydantic_core", "re"}
    | {"Callable", "_Model", "_Tag", "_Discriminator", "_Schema", "_Check", "_adapters"}
    | {"_json", "_key", "_valid", "_check", "_keywords", "_not", "_if", "_unique", "_const"}
    | {"_enum", "_contains", "_min_properties", "_max_properties", "_dependent_required"}
    | {"_property_names", "_pattern_properties", "_additional", "_tag", "_open_member"}
    | {"_file_bytes", "_one_of", "_any_of", "_required"}
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
    dunder = wire.startswith("__") and wire.endswith("__")
    if is_identifier(wire) and wire not in MODULE_NAMES and not hasattr(builtins, wire) and not dunder:
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
    """Hands out unique names within one scope, in the order asked (deterministic).

    With `fold_case`, names that differ only by case count as the same (file names on
    case-insensitive file systems).
    """

    def __init__(
        self,
        taken: frozenset[str] | set[str] = frozenset(),
        reserved: frozenset[str] = frozenset(),
        fold_case: bool = False,
    ) -> None:
        self.fold = str.casefold if fold_case else None
        self.taken = set(map(str.casefold, taken)) if fold_case else set(taken)
        self.reserved = frozenset(map(self._key, reserved)) if fold_case else reserved
        # `reserved` is also taken; shared between scopes, never copied (unless folded)

    def _key(self, name: str) -> str:
        return self.fold(name) if self.fold else name

    def _free(self, name: str) -> bool:
        key = self._key(name)
        return key not in self.taken and key not in self.reserved

    def claim(self, name: str, *companions: str) -> str:
        """A unique name; each companion prefix (e.g. "Async") is claimed beside it too."""
        if not companions and self._free(name):  # the common case
            self.taken.add(self._key(name))
            return name
        prefixes = ("", *companions)
        unique, n = name, 1
        while not all(self._free(prefix + unique) for prefix in prefixes):
            n += 1
            unique = f"{name}_{n}" if not name.endswith("_") else f"{name}{n}"
        self.taken.update(self._key(prefix + unique) for prefix in prefixes)
        return unique


#: File names Windows reserves for devices, with any extension and in any case.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{d}{i}" for d in ("com", "lpt") for i in (*"123456789", "\u00b9", "\u00b2", "\u00b3")}
)
#: The longest module (file) name stem: far below the 255 bytes a path component may have,
#: so that paths stay short on every platform.
MAX_MODULE_LENGTH = 64


def is_device_name(file_name: str) -> bool:
    """True for `con`, `NUL.txt`, `com1.tar.gz`, `aux ` ...: Windows opens a device instead."""
    return file_name.split(".")[0].rstrip(" ").casefold() in WINDOWS_DEVICES


def module_name(text: str, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """A module name (also a file name) for `text` (snake_case): an identifier, never a
    device name, at most `MAX_MODULE_LENGTH` characters (long ones end in a stable hash)."""
    name = identifier(text, fallback, reserved)
    if len(name) > MAX_MODULE_LENGTH:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = name[: MAX_MODULE_LENGTH - len(digest) - 1].rstrip("_") + "_" + digest
    if is_device_name(name):
        name += "_"
    return name


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
