"""The intermediate representation: version-blind, frozen, every name already a safe identifier.

Templates see only these values. Wire names (as in the spec) are kept beside Python names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JsonValue = Any  # a value decoded from JSON: None, bool, int, float, str, list or dict


# ---------------------------------------------------------------------------- types


@dataclass(frozen=True)
class TypeRef:
    """A Python type expression, as a small tree.

    kind: "builtin" (name is `str`, `int`, `float`, `bool`, `bytes`, `None`), "import" (name is
    a dotted path such as `datetime.date`), "any", "model" (name is a class in models.py),
    "list", "dict" (args[0] is the value type), "union", "literal" (values), "annotated"
    (args[0] constrained by `constraints`), "object" (a free-form JSON object), "binary"
    (bytes that may arrive as an uploaded file).

    `checks`: JSON Schema keywords checked by models.py's validator helpers (on "annotated");
    `discriminator`: how a "union" picks its member by a tag property.
    """

    kind: Literal[
        "builtin", "import", "any", "model", "list", "dict", "union", "literal", "annotated", "object",
        "binary",
    ]
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    values: tuple[JsonValue, ...] = ()
    constraints: tuple[tuple[str, JsonValue], ...] = ()
    checks: tuple[Check, ...] = ()
    discriminator: Discriminator | None = None

    @property
    def nullable(self) -> bool:
        return (self.kind == "builtin" and self.name == "None") or (
            self.kind == "union" and any(a.nullable for a in self.args)
        )

    def models(self) -> set[str]:
        """Names of the model classes this type mentions."""
        own = {self.name} if self.kind == "model" else set()
        return own.union(*(a.models() for a in self.args))


@dataclass(frozen=True)
class Check:
    """One JSON Schema keyword that a validator helper of models.py checks on the wire value.

    kind: "not", "unique", "const", "enum", "min_properties", "max_properties",
    "dependent_required", "if", "contains", "property_names", "pattern_properties",
    "additional" (no property beyond `keys` and the patterns in `value`), "one_of"/"any_of"
    (options beside properties), "all_of" (a property's other declarations, e.g. in several
    allOf parts), "required" (on a schema without properties).
    `types`: the sub-schemas' types (for "if": if, then, else; `ANY` stands for an absent one).
    """

    kind: str
    value: JsonValue = None
    types: tuple[TypeRef, ...] = ()
    keys: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.kind, repr(self.value), self.types, self.keys))


@dataclass(frozen=True)
class Discriminator:
    """A discriminated union: the tag property and each member's tag values (wire spelling).

    `field` is the members' Python attribute when every member types it as a Literal of its
    tags (pydantic's own discriminator); "" when the tag is read from the input by a callable.
    """

    property: str
    field: str
    tags: tuple[tuple[str, ...], ...]


NONE = TypeRef("builtin", "None")
ANY = TypeRef("any")


def union(*options: TypeRef) -> TypeRef:
    """A flattened, de-duplicated union (`None` last); a single option stands alone."""
    if len(options) == 1 and options[0].kind != "union":
        return options[0]
    flat: list[TypeRef] = []
    for option in options:
        plain = option.kind == "union" and option.discriminator is None
        for item in option.args if plain else (option,):
            if item not in flat:
                flat.append(item)
    if ANY in flat:
        return ANY
    flat.sort(key=lambda t: t == NONE)
    return flat[0] if len(flat) == 1 else TypeRef("union", args=tuple(flat))


# ---------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Default:
    """A default value from the spec, already checked against the field's type."""

    value: JsonValue
    enum_member: str = ""  # "Color.RED" when the default is a member of a generated enum
    call: str = ""  # "uuid.UUID" when the value is built from its string by that callable


@dataclass(frozen=True)
class Field:
    name: str  # Python attribute name
    wire_name: str  # property name on the wire
    type: TypeRef  # includes `None` when nullable
    required: bool
    default: Default | None  # None: no default in the spec
    title: str | None = None  # only when it differs from the title Pydantic derives
    description: str | None = None
    constraints: tuple[tuple[str, JsonValue], ...] = ()  # Pydantic Field keyword → value
    deprecated: bool = False
    pointer: str = ""
    examples: tuple[JsonValue, ...] | None = None  # the schema's examples (3.0: its one example)

    @property
    def nullable(self) -> bool:
        """One of the four facts of a field (with required, default and its type)."""
        return self.type.nullable


@dataclass(frozen=True)
class ObjectModel:
    name: str  # class name
    wire_name: str  # component name (or a synthesised one for inline schemas)
    fields: tuple[Field, ...]
    bases: tuple[str, ...] = ()  # model classes it extends (from allOf)
    title: str | None = None  # only when it differs from the class name
    description: str | None = None
    extra: Literal["allow", "forbid", "ignore"] = "ignore"
    extra_type: TypeRef | None = None  # type of additional properties when typed
    aliased: bool = False  # some field's Python name differs from its wire name
    pointer: str = ""
    checks: tuple[Check, ...] = ()  # keywords on the whole object (minProperties, not, ...)
    examples: tuple[JsonValue, ...] | None = None  # the schema's examples (3.0: its one example)


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: JsonValue


@dataclass(frozen=True)
class EnumModel:
    name: str
    wire_name: str
    base: Literal["StrEnum", "IntEnum"]
    members: tuple[EnumMember, ...]
    description: str | None = None
    pointer: str = ""
    open: bool = False  # unknown values become pseudo-members (the `enums = "open"` option)


@dataclass(frozen=True)
class AliasModel:
    """A named schema that is not an object or enum: a type alias."""

    name: str
    wire_name: str
    type: TypeRef
    description: str | None = None
    pointer: str = ""


Model = ObjectModel | EnumModel | AliasModel


# ---------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Parameter:
    name: str  # Python argument name
    wire_name: str
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    style: str = "form"
    explode: bool = True
    deprecated: bool = False
    structured: bool = False  # an object (or list of objects): FastAPI can only pass it raw
    media_type: str | None = None  # set when the value travels encoded (`content`), not styled


def media_kind(media_type: str) -> Literal["json", "form", "multipart", "binary", "text"]:
    """What kind of body a media type carries (`*/*` is read as JSON)."""
    base = media_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json") or base == "*/*":
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"


def stream_kind(media_type: str) -> Literal["", "sse", "jsonl"]:
    """Which streamed format a response media type carries, if any."""
    base = media_type.split(";")[0].strip().lower()
    if base == "text/event-stream":
        return "sse"
    if base in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    return ""


@dataclass(frozen=True)
class Body:
    media_type: str
    kind: Literal["json", "form", "multipart", "binary", "text"]
    type: TypeRef
    required: bool
    description: str | None = None
    fields: tuple[Field, ...] = ()  # the flattened properties, when `model` is set
    model: str = ""  # the object model whose properties are offered as keyword arguments
    # client: every media type the caller may choose (`media_type` first; same schema)
    media_types: tuple[str, ...] = ()
    # client: multipart `encoding` contentType by property wire name
    encoding: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ResponseHeader:
    """A header a response declares (server side: a keyword of its reply class)."""

    name: str  # Python argument name
    wire_name: str
    type: TypeRef
    required: bool
    description: str | None = None


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX" or "default"
    description: str
    media_type: str | None
    type: TypeRef | None  # None: no body
    headers: tuple[ResponseHeader, ...] = ()  # declared headers
    # client: a streamed body ("sse": text/event-stream, "jsonl": JSON lines) and the type
    # of each event's data / each line (None: text)
    stream: Literal["", "sse", "jsonl"] = ""
    item: TypeRef | None = None

    @property
    def is_json(self) -> bool:
        return self.media_type is not None and media_kind(self.media_type) == "json"

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    @property
    def status_code(self) -> int | None:
        return int(self.status) if self.status.isdigit() else None


@dataclass(frozen=True)
class Operation:
    name: str  # Python method name
    operation_id: str  # as in the spec, or synthesised like FastAPI does
    method: str  # lower case
    path: str
    tag: str
    summary: str | None
    description: str | None
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...] | None  # alternatives of scheme names; None: inherit
    security_raw: tuple[dict[str, list[str]], ...] | None  # as written, for the server's spec
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    pointer: str = ""
    bodies: tuple[Body, ...] = ()  # every request media type, in spec order (`body` is one)

    @property
    def success(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_success)

    @property
    def errors(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if not r.is_success)


@dataclass(frozen=True)
class SecurityScheme:
    name: str  # as in the spec (components.securitySchemes key)
    attribute: str  # Python name: client keyword argument and server handler suffix
    kind: Literal["bearer", "basic", "api_key", "oauth2", "openid", "unsupported"]
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = "Authorization"  # header, query or cookie name
    description: str | None = None
    raw: dict[str, JsonValue] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Tag:
    name: str  # as in the spec
    class_name: str  # API class name, e.g. OauthApi
    attribute: str  # client attribute, e.g. oauth
    module: str  # module name in client/ and server/
    operations: tuple[Operation, ...]
    description: str | None = None


@dataclass(frozen=True)
class Server:
    url: str
    description: str | None = None
    raw: dict[str, JsonValue] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str | None
    servers: tuple[Server, ...]
    models: tuple[Model, ...]
    tags: tuple[Tag, ...]
    security_schemes: tuple[SecurityScheme, ...]
    security: tuple[tuple[str, ...], ...]  # global alternatives; () when none
    security_raw: tuple[dict[str, list[str]], ...] | None  # as written; None when absent
    source_name: str  # the spec file's name, for headers
    openapi_tags: tuple[dict[str, JsonValue], ...] = ()
    #: The document as read (after resolve and normalize): what the server's openapi() serves.
    document: dict[str, JsonValue] | None = field(default=None, hash=False, compare=False)

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for tag in self.tags for op in tag.operations)

    def security_for(self, op: Operation) -> tuple[tuple[str, ...], ...]:
        """The security alternatives that apply to `op`: its own, or the API's."""
        return self.security if op.security is None else op.security

    @property
    def raw_security_schemes(self) -> dict[str, JsonValue]:
        """The security schemes as the spec declares them, by name."""
        return {s.name: s.raw for s in self.security_schemes}
