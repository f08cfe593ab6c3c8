"""What each operation's generated code says: arguments, requests, responses (logic, no layout)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from generator import ir, naming
from generator.render.escape import pyliteral, pystr
from generator.render.pycode import (
    all_of,
    annotation,
    imported_modules,
    plain,
    without_constraints,
)

_STATUS_ERRORS = {
    400: "BadRequestError", 401: "UnauthorizedError", 403: "ForbiddenError", 404: "NotFoundError",
    409: "ConflictError", 422: "UnprocessableEntityError", 429: "TooManyRequestsError",
    500: "InternalServerError",
}


_T = TypeVar("_T")


def _per_operation(compute: Callable[[ir.Operation], _T]) -> Callable[[ir.Operation], _T]:
    """Memoize by the operation's identity: each variant of a client method (sync, async, with
    response; overloads) asks again, and hashing an operation would read all of it. The
    operation is kept with its result, so its id is not reused while cached."""
    cache: dict[int, tuple[ir.Operation, _T]] = {}

    @functools.wraps(compute)
    def cached(op: ir.Operation) -> _T:
        hit = cache.get(id(op))
        if hit is None:
            if len(cache) > 50_000:  # a long `--watch` session: forget older APIs
                cache.clear()
            hit = cache[id(op)] = (op, compute(op))
        return hit[1]

    return cached


@dataclass(frozen=True)
class Argument:
    name: str
    annotation: str
    default: str  # "" when required
    description: str | None = None

    def __str__(self) -> str:
        return f"{self.name}: {self.annotation}" + (f" = {self.default}" if self.default else "")


def _argument(item: ir.Field | ir.Parameter, name: str | None = None) -> Argument:
    """A keyword argument; an optional one defaults to MISSING (not sent: the server's default
    applies, which the description names)."""
    description = item.description
    if item.default is not None:
        note = f"Default: {pyliteral(item.default.value)}."
        description = f"{description.rstrip()} {note}" if description else note
    text = annotation(item.type, "models.", not item.required)
    return Argument(name or item.name, text, "" if item.required else "MISSING", description)


@_per_operation
def arguments(op: ir.Operation) -> tuple[Argument, ...]:
    """Keyword-only arguments of a client method: required first, in spec order; then the
    per-call options (`content_type` when the body has several media types, `timeout`,
    `retry`)."""
    args = [_argument(p) for p in op.parameters]
    body = op.body
    if body and body.model:
        args += [_argument(f) for f in body.fields]
    elif body:
        args.append(_body_argument(op, body))
    return (*sorted(args, key=lambda a: bool(a.default)), *options(op))


def _body_argument(op: ir.Operation, body: ir.Body, alone: bool = False) -> Argument:
    """`body=`: typed as `body` (`alone`), or as any of the operation's bodies."""
    bodies = [body] if alone else [body, *other_bodies(op)]
    if len(bodies) == 1:
        text = annotation(body.type, "models.", not body.required)
    else:
        text = _union([b.type for b in bodies], not body.required)
    return Argument("body", text, "" if body.required else "MISSING", body.description)


def _union(types: list[ir.TypeRef], missing: bool) -> str:
    """Several types as one union: each member once, then MISSING, then None."""
    spelled: list[str] = []
    for type_ in types:
        members = type_.args if type_.kind == "union" and not type_.discriminator else (type_,)
        spelled += [annotation(m, "models.") for m in members if m != ir.NONE]
    nullable = any(t.nullable for t in types)
    tail = ["MISSING"] * missing + ["None"] * nullable
    return " | ".join([*dict.fromkeys(spelled), *tail])


def other_bodies(op: ir.Operation) -> list[ir.Body]:
    """The request bodies of media types whose schema differs from the primary body's: the
    caller sends one with `body=` and its `content_type=`."""
    body = op.body
    if body is None:
        return []
    primary = body.media_types or (body.media_type,)
    return [b for b in op.bodies if b.media_type not in primary]


def media_choices(op: ir.Operation) -> tuple[str, ...]:
    """Every media type the caller may send the body as (the default first)."""
    body = op.body
    if body is None:
        return ()
    return (*(body.media_types or (body.media_type,)), *(b.media_type for b in other_bodies(op)))


def options(op: ir.Operation, media: tuple[str, ...] | None = None) -> list[Argument]:
    """The per-call options every client method ends with; `media` narrows `content_type`
    (an overload for some media types; required when the default is not among them)."""
    out = []
    choices = media_choices(op)
    if len(choices) > 1:
        media = media or choices
        default = pystr(choices[0]) if choices[0] in media else ""
        spelled = ", ".join(pystr(m) for m in media)
        note = "The media type the body is sent as."
        out.append(Argument("content_type", f"Literal[{spelled}]", default, note))
    timeout = "Seconds (or an httpx.Timeout) for this call; MISSING: the client's."
    retry = "The retry policy for this call (None: no retries); MISSING: the client's."
    out.append(Argument("timeout", "_core.Timeout | MISSING", "MISSING", timeout))
    out.append(Argument("retry", "_retry.Retry | MISSING | None", "MISSING", retry))
    return out


@_per_operation
def overloads(op: ir.Operation) -> tuple[tuple[Argument, ...], ...]:
    """The signatures of a method that takes its body in several ways: an object body's
    fields, or `body=` the model instance (or no body at all when it is optional but some
    fields are required); and one per media type of another schema (`body=` and that
    `content_type=`). None for a method with one way."""
    body = op.body
    others = other_bodies(op)
    if not (body and (body.model or others)):
        return ()
    params = [_argument(p) for p in op.parameters]
    mine = body.media_types or (body.media_type,)

    def signature(*args: Argument, media: tuple[str, ...] = mine) -> tuple[Argument, ...]:
        return (*sorted([*params, *args], key=lambda a: bool(a.default)), *options(op, media))

    if body.model:
        instance = Argument("body", f"models.{body.model}", "", body.description)
        out = [signature(*(_argument(f) for f in body.fields)), signature(instance)]
        if not body.required and any(f.required for f in body.fields):
            out.append(signature())
    else:
        out = [signature(_body_argument(op, body, alone=True))]
    return (*out, *(signature(_body_argument(op, b, alone=True), media=(b.media_type,))
                    for b in others))


@_per_operation
def implementation_arguments(op: ir.Operation) -> tuple[Argument, ...]:
    """The signature under the overloads: every field optional (checked when called)."""
    args = arguments(op)
    body = op.body
    if not (body and body.model):
        return args
    fields = {f.name: f for f in body.fields}
    loose = [Argument(a.name, annotation(fields[a.name].type, "models.", True), a.default or "MISSING",
                      a.description) if a.name in fields and not a.default else a for a in args]
    types = [ir.TypeRef("model", body.model), *(b.type for b in other_bodies(op))]
    instance = Argument("body", _union(types, True), "MISSING",
                        "The body as a model instance, instead of its fields.")
    at = len(loose) - len(options(op))
    return (*loose[:at], instance, *loose[at:])


def streamed(op: ir.Operation) -> ir.Response | None:
    """The success response whose body is streamed (events or JSON lines), if any."""
    first = success_responses(op)[:1]
    return first[0] if first and first[0].stream else None


def client_return_type(op: ir.Operation, mode: str) -> str:
    """The client method's return annotation: a stream class for a streamed body."""
    stream = streamed(op)
    if stream is None:
        return return_type(op)
    prefix = "Async" if mode == "async" else ""
    item = annotation(without_constraints(stream.item), "models.") if stream.item else "str"
    cls = "EventStream" if stream.stream == "sse" else "JsonLines"
    return f"_stream.{prefix}{cls}[{item}]"


def result_statement(op: ir.Operation, mode: str) -> str:
    """The statement that hands back what the method returns."""
    errors = response_map(op.errors)
    stream = streamed(op)
    if stream is not None:
        item = annotation(stream.item, "models.") if stream.item else "None"
        call = ("a" if mode == "async" else "") + ("events" if stream.stream == "sse" else "lines")
        wait = "await " if mode == "async" else ""
        return f"return {wait}_stream.{call}(response, {item}, errors={errors})"
    returns = return_type(op)
    arguments = f"response, success={response_map(success_responses(op))}, errors={errors}"
    if returns == "None":
        return f"_core.handle({arguments})"
    return f"return cast({returns}, _core.handle({arguments}))"


@dataclass(frozen=True)
class HeaderField:
    """An attribute of an operation's headers class (`_core.Headers` subclass)."""

    name: str
    annotation: str
    required: bool
    wire_names: tuple[str, ...]
    description: str | None

    def __str__(self) -> str:
        return f"{self.name}: {self.annotation}" + ("" if self.required else " = None")


@dataclass(frozen=True)
class HeaderClass:
    """The typed headers of an operation's success responses: attributes (required first)
    and, per success status, the `_core.Header(...)` entries its runtime parses."""

    name: str
    operation: str
    fields: tuple[HeaderField, ...]
    declared: tuple[tuple[str, tuple[str, ...]], ...]


def header_classes(tag: ir.Tag, taken: Iterable[str] = ()) -> dict[str, HeaderClass]:
    """One headers class per operation of `tag` whose success responses declare headers,
    by operation name. An attribute is required only when every success response declares
    it required; its type is the union of the declared ones."""
    used = {*taken, *(p + tag.class_name + s for p in ("", "Async")
                      for s in ("", "WithResponse", "WithStreamingResponse"))}
    out: dict[str, HeaderClass] = {}
    for op in tag.operations:
        responses = success_responses(op)
        if not any(r.headers for r in responses):
            continue
        name = base = naming.pascal(op.name) + "Headers"
        while name in used:
            name = f"{base}{len(used)}"
        used.add(name)
        out[op.name] = HeaderClass(name, op.name, _header_fields(responses), tuple(
            (r.status, tuple(_header_entry(h) for h in r.headers)) for r in responses))
    return out


def _header_fields(responses: tuple[ir.Response, ...]) -> tuple[HeaderField, ...]:
    by_name: dict[str, list[ir.ResponseHeader]] = {}
    for header in (h for r in responses for h in r.headers):
        by_name.setdefault(header.name, []).append(header)
    fields = []
    for name, headers in by_name.items():
        declared_by = sum(any(h.name == name for h in r.headers) for r in responses)
        required = declared_by == len(responses) and all(h.required for h in headers)
        types = list(dict.fromkeys(t for h in headers for t in _spelled_options(h.type)))
        if not required and "None" not in types:
            types.append("None")
        if "None" in types:  # None last
            types = [t for t in types if t != "None"] + ["None"]
        wires = tuple(dict.fromkeys(h.wire_name for h in headers))
        description = next((h.description for h in headers if h.description), None)
        fields.append(HeaderField(name, " | ".join(types), required, wires, description))
    return tuple(sorted(fields, key=lambda f: not f.required))


def _spelled_options(type_: ir.TypeRef) -> list[str]:
    """The members of a (plain) type's union, each spelled; None when nullable."""
    bare = plain(type_)
    options = bare.args if bare.kind == "union" and not bare.discriminator else (bare,)
    spelled = ["None" if o == ir.NONE else annotation(o, "models.") for o in options]
    return spelled + ["None"] * (type_.nullable and "None" not in spelled)


def _header_entry(header: ir.ResponseHeader) -> str:
    type_ = annotation(header.type, "models.")
    return f"_core.Header({pystr(header.name)}, {pystr(header.wire_name)}, {type_}, {header.required})"


def headers_class(classes: dict[str, HeaderClass], op: ir.Operation) -> str:
    """The headers class `with_response` types an operation's `declared_headers` with."""
    found = classes.get(op.name)
    return found.name if found else "_core.Headers"


def deprecation(tag: ir.Tag, op: ir.Operation) -> str:
    return pystr(f"{tag.class_name}.{op.name}")


def _params(op: ir.Operation, location: str) -> str:
    items = [
        f"_core.Param({pystr(p.wire_name)}, {p.name}, {pystr(p.style)}, {p.explode})"
        for p in op.parameters
        if p.location == location
    ]
    return "[" + ", ".join(items) + "]"


def request_arguments(api: ir.Api, op: ir.Operation) -> list[str]:
    """Keyword arguments of the `_core.Request(...)` an operation sends."""
    out = [f"method={pystr(op.method.upper())}", f"path={pystr(op.path)}"]
    for location, key in (("path", "path_params"), ("query", "query"), ("header", "headers"),
                          ("cookie", "cookies")):
        if any(p.location == location for p in op.parameters):
            out.append(f"{key}={_params(op, location)}")
    body = op.body
    if body:
        value = "body"
        if body.model:
            fields = "{" + ", ".join(f"{pystr(f.wire_name)}: {f.name}" for f in body.fields) + "}"
            value = f"_core.payload(body, {fields}, {body.required})"
        out.append(f"body={value}")
        several = len(media_choices(op)) > 1
        out.append("content_type=content_type" if several else f"content_type={pystr(body.media_type)}")
        encoding = dict(e for b in reversed([body, *other_bodies(op)]) for e in b.encoding)
        if encoding:
            out.append("encoding={" + ", ".join(f"{pystr(k)}: {pystr(v)}" for k, v in encoding.items()) + "}")
    security = api.security_for(op)
    if security:
        out.append(f"security={pyliteral_tuple(security)}")
    out += ["timeout=timeout", "retry=retry"]
    if streamed(op):
        out.append("stream=True")
    return out


def pyliteral_names(names: list[str]) -> str:
    """A tuple literal of strings."""
    inner = ", ".join(pystr(n) for n in names)
    return f"({inner},)" if len(names) == 1 else f"({inner})"


def pyliteral_tuple(alternatives: tuple[tuple[str, ...], ...]) -> str:
    def one(alt: tuple[str, ...]) -> str:
        inner = ", ".join(pystr(n) for n in alt)
        return f"({inner},)" if len(alt) == 1 else f"({inner})"

    inner = ", ".join(one(a) for a in alternatives)
    return f"({inner},)" if len(alternatives) == 1 else f"({inner})"


def _type_or_none(response: ir.Response) -> str:
    return annotation(response.type, "models.") if response.type else "None"


def success_responses(op: ir.Operation) -> tuple[ir.Response, ...]:
    """The responses a call returns: the 2xx ones, or `default` when the spec lists no 2xx."""
    if op.success:
        return op.success
    return tuple(r for r in op.responses if r.status in ("default", "2XX"))


def return_type(op: ir.Operation) -> str:
    """The method's return annotation (constraints left to the response validation)."""
    spelled = []
    for r in success_responses(op):
        t = plain(r.type) if r.type else ir.NONE
        nullable = t.kind == "union" and ir.NONE in t.args  # `None` goes last, after every response
        spelled.append(annotation(ir.union(*(a for a in t.args if a != ir.NONE)) if nullable else t, "models."))
        spelled += ["None"] * nullable
    types = list(dict.fromkeys(spelled))
    if not types:
        return "None"
    if "None" in types:  # None last, as in every other union we write
        types = [t for t in types if t != "None"] + ["None"]
    return " | ".join(types)


def response_map(responses: tuple[ir.Response, ...]) -> str:
    return "{" + ", ".join(f"{pystr(r.status)}: {_type_or_none(r)}" for r in responses) + "}"


def raises(op: ir.Operation) -> list[tuple[str, str]]:
    """(error class, explanation) for the docstring's Raises section."""
    out = []
    for r in op.errors:
        code = r.status_code
        name = _STATUS_ERRORS.get(code or 0, "ServerError" if r.status.startswith("5") else "ClientError")
        if r.status == "default":
            name = "ApiError"
        parsed = f" (`parsed` is {_type_or_none(r)})" if r.type else ""
        out.append((name, f"{r.status} {r.description}".strip() + parsed))
    out.append(("ApiError", "any other unsuccessful status"))
    return out


def server_template(api: ir.Api) -> str:
    """The first server's URL as the spec writes it, `{variables}` kept."""
    if not api.servers:
        return ""
    raw = api.servers[0].raw.get("url")
    return raw if isinstance(raw, str) else api.servers[0].url


def server_variables(api: ir.Api) -> dict[str, str]:
    """The first server's variables and their defaults."""
    if not api.servers:
        return {}
    variables = api.servers[0].raw.get("variables")
    if not isinstance(variables, dict):
        return {}
    return {str(k): str(v.get("default", "")) for k, v in variables.items() if isinstance(v, dict)}


def scheme_arguments(api: ir.Api, scheme: ir.SecurityScheme) -> list[str]:
    """The arguments of the client's `_core.Scheme(...)` for `scheme`: how its credential
    travels and, for OAuth2, each flow's token URLs and the scopes the operations require."""
    out = [pystr(scheme.kind), pystr(scheme.location), pystr(scheme.parameter)]
    if scheme.kind != "oauth2":
        return out
    flows = scheme.raw.get("flows")
    urls: dict[str, dict[str, str]] = {}
    for name, flow in (flows.items() if isinstance(flows, dict) else ()):
        if isinstance(flow, dict):
            urls[name] = {k: v for k, v in flow.items() if k in ("tokenUrl", "refreshUrl") and isinstance(v, str)}
    requirements = [*(api.security_raw or ()), *(r for op in api.operations for r in op.security_raw or ())]
    scopes = sorted({s for r in requirements for s in r.get(scheme.name, ())})
    out.append(f"flows={pyliteral(urls)}")
    if scopes:
        out.append(f"scopes={pyliteral_names(scopes)}")
    return out


def _expand(types: Iterable[ir.TypeRef | None]) -> list[ir.TypeRef]:
    return [t for top in types if top is not None for t in all_of(top)]


def client_types(tag: ir.Tag) -> list[ir.TypeRef]:
    """The types the client module for `tag` writes down (and so must import)."""
    types: list[ir.TypeRef | None] = []
    for op in tag.operations:
        types += [p.type for p in op.parameters]
        if op.body:
            types += [f.type for f in op.body.fields] if op.body.model else []
            types.append(op.body.type)  # a flattened body is also taken as its model
            types += [b.type for b in other_bodies(op)]
        types += [r.type for r in op.responses]
        types += [r.item for r in op.responses]
        types += [h.type for r in success_responses(op) for h in r.headers]  # headers classes
    return _expand(types)


def client_imports(tag: ir.Tag, used: dict[str, bool]) -> dict[str, list[str]]:
    """The names a client tag module imports, by module: exactly those it uses."""
    ops = tag.operations
    choice = any(len(media_choices(op)) > 1 for op in ops)
    headers = bool(header_classes(tag))
    typing = ["Annotated"] * used["annotated"] + ["Any"] * (used["any"] or any(map(overloads, ops)))
    typing += ["ClassVar"] * headers
    typing += ["Literal"] * (used["literal"] or choice)
    typing += ["cast"] * any(return_type(op) != "None" and not streamed(op) for op in ops)
    typing += ["overload"] * any(overloads(op) for op in ops)
    return {
        "modules": sorted({*imported_modules(used), "functools"}),
        "typing": typing,
        "pydantic": ["Field"] * used["field"],
        "pydantic_core": ["MISSING"],  # the sentinel of optional arguments
        "models": ["models"] * uses_models(client_types(tag)),
        "local": ["_core", "_retry", "_stream"],
    }


def uses_models(types: Iterable[ir.TypeRef]) -> bool:
    """Do these types name anything in models.py?"""
    return any(t.kind in ("model", "object", "binary") or t.checks or t.discriminator for t in types)
