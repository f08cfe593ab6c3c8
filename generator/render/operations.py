"""What each operation's generated code says: arguments, requests, responses (logic, no layout)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator import ir
from generator.render.escape import pyliteral, pystr
from generator.render.pycode import (
    all_of,
    annotation,
    without_constraints,
)

_STATUS_ERRORS = {
    400: "BadRequestError", 401: "UnauthorizedError", 403: "ForbiddenError", 404: "NotFoundError",
    409: "ConflictError", 422: "UnprocessableEntityError", 429: "TooManyRequestsError",
    500: "InternalServerError",
}


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


def arguments(op: ir.Operation) -> list[Argument]:
    """Keyword-only arguments of a client method: required first, in spec order."""
    args = [_argument(p) for p in op.parameters]
    body = op.body
    if body and body.model:
        args += [_argument(f) for f in body.fields]
    elif body:
        text = annotation(body.type, "models.", not body.required)
        args.append(Argument("body", text, "" if body.required else "MISSING", body.description))
    return sorted(args, key=lambda a: bool(a.default))


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
            value = "{" + ", ".join(f"{pystr(f.wire_name)}: {f.name}" for f in body.fields) + "}"
        key = {"json": "json", "form": "form", "multipart": "multipart"}.get(body.kind, "content")
        out.append(f"{key}={value}")
        if body.kind not in ("multipart",):
            out.append(f"content_type={pystr(body.media_type)}")
    security = api.security_for(op)
    if security:
        out.append(f"security={pyliteral_tuple(security)}")
    return out


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
    plain = (annotation(without_constraints(r.type), "models.") if r.type else "None"
             for r in success_responses(op))
    types = list(dict.fromkeys(plain))
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


def _expand(types: Iterable[ir.TypeRef | None]) -> list[ir.TypeRef]:
    return [t for top in types if top is not None for t in all_of(top)]


def client_types(tag: ir.Tag) -> list[ir.TypeRef]:
    """The types the client module for `tag` writes down (and so must import)."""
    types: list[ir.TypeRef | None] = []
    for op in tag.operations:
        types += [p.type for p in op.parameters]
        if op.body:
            types += [f.type for f in op.body.fields] if op.body.model else [op.body.type]
        types += [r.type for r in op.responses]
    return _expand(types)


def client_imports(tag: ir.Tag, used: dict[str, bool]) -> dict[str, list[str]]:
    """The names a client tag module imports, by module: exactly those it uses."""
    missing = any(a.default == "MISSING" for op in tag.operations for a in arguments(op))
    typing = ["Annotated"] * used["annotated"] + ["Any"] * used["any"] + ["Literal"] * used["literal"]
    typing += ["cast"] * any(return_type(op) != "None" for op in tag.operations)
    return {
        "modules": [m for m in ("datetime", "uuid") if used[m]],
        "typing": typing,
        "pydantic": ["MISSING"] * missing + ["Field"] * used["annotated"],
        "models": ["models"] * uses_models(client_types(tag)),
    }


def uses_models(types: Iterable[ir.TypeRef]) -> bool:
    """Do these types name anything in models.py?"""
    return any(t.kind in ("model", "object", "binary") for t in types)
