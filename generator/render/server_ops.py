"""What the generated server says for each operation: the Protocol method, its reply classes,
and the `_runtime.Operation(...)` that decodes requests and encodes replies (logic, no layout).

Rules the templates rely on:
- an optional parameter (or body) without a default arrives as `MISSING` when absent; a
  present value is decoded to its declared type (so `None` only when the schema allows null
  and the wire says null, e.g. `null` in a JSON-encoded parameter or body);
- the implementation returns the first success body as it is, or any documented status as
  an instance of that status's reply class (`<Operation><Status>`), with its headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator import ir, naming
from generator.render.escape import pystr
from generator.render.operations import Argument
from generator.render.pycode import all_of, annotation, default_literal
from generator.render.server_params import (
    core_type,
    keys_spec,
    names_literal,
    object_fields,
    shape,
    tuple_literal,
)

_MODELS = "models."


# ---------------------------------------------------------------------- types and shapes


def _type(t: ir.TypeRef) -> str:
    return annotation(t, _MODELS)


def _lazy(t: ir.TypeRef) -> str:
    """The type as a lambda: evaluated on first use, so models load lazily."""
    return f"lambda: {_type(t)}"


# ---------------------------------------------------------------------- the Protocol


def body_type(op: ir.Operation) -> str:
    """What the `body` argument is: the union of every media type's type."""
    types = list(dict.fromkeys(_type(b.type) for b in op.bodies))
    return " | ".join(types)


def _or_missing(text: str) -> str:
    """`text | MISSING`, with a top-level `None` kept last (as every union we write)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if depth == 0 and text.startswith(" | ", i):
            parts.append(text[start:i])
            start = i + 3
    parts.append(text[start:])
    head = [part for part in parts if part != "None"]
    return " | ".join([*head, "MISSING", *(["None"] if "None" in parts else [])])


def server_arguments(op: ir.Operation) -> list[Argument]:
    """Keyword-only arguments of the Protocol method the user implements."""
    args = []
    for p in op.parameters:
        missing = not p.required and p.default is None
        text = annotation(p.type, _MODELS, missing)
        args.append(Argument(p.name, text, "", p.description))
    if op.bodies:
        text = body_type(op)
        required = op.bodies[0].required
        args.append(Argument("body", text if required else _or_missing(text), "", op.bodies[0].description))
    return args


def plain_response(op: ir.Operation) -> ir.Response | None:
    """The response a plain return answers with: the first success, else `2XX`/`default`."""
    if op.success:
        return op.success[0]
    return next((r for r in op.responses if r.status in ("2XX", "default")), None)


@dataclass(frozen=True)
class ReplyClass:
    name: str
    response: ir.Response
    parameters: list[str]  # of __init__, after self
    call: str  # the arguments of super().__init__(...)

    @property
    def summary(self) -> str:
        return f"{self.response.status}: {self.response.description}".strip()


def _word(status: str) -> str:
    return "Default" if status == "default" else status


def reply_classes(op: ir.Operation) -> list[ReplyClass]:
    """One class per documented response: how the implementation returns that status."""
    out = []
    for r in op.responses:
        params: list[str] = []
        status = r.status if r.status.isdigit() else "status_code"
        if not r.status.isdigit():
            params.append("status_code: int")
        if r.type is not None:
            params.append(f"body: {_type(r.type)}")
        headers = []
        for h in r.headers:
            text = _type(h.type)
            if not h.required and not h.type.nullable:
                text += " | None"
            headers.append(f"{h.name}: {text}" + ("" if h.required else " = None"))
        if headers:
            params += ["*", *sorted(headers, key=lambda s: " = " in s)]
        names = ", ".join(f"{pystr(h.wire_name)}: {h.name}" for h in r.headers)
        call = f"{status}, {'body' if r.type is not None else 'None'}, {{{names}}}"
        out.append(ReplyClass(naming.pascal(op.name) + _word(r.status), r, params, call))
    return out


def server_return_type(op: ir.Operation, module: str = "") -> str:
    """A plain body for the first success, or any documented status's reply class
    (prefixed with `module`, e.g. `pets.`, outside its own module)."""
    plain = plain_response(op)
    types = []
    if plain is not None and plain.type is not None:
        nullable = plain.type.kind == "union" and ir.NONE in plain.type.args  # `None` goes last
        types.append(_type(ir.union(*(a for a in plain.type.args if a != ir.NONE)) if nullable else plain.type))
        types += ["None"] * nullable
    elif plain is not None:
        types.append("None")
    types += [module + c.name for c in reply_classes(op)]
    types = list(dict.fromkeys(types))
    if "None" in types:
        types = [t for t in types if t != "None"] + ["None"]
    return " | ".join(types) or "None"


# ---------------------------------------------------------------------- the runtime spec


def _param(api: ir.Api, p: ir.Parameter) -> str:
    args = [pystr(p.name), pystr(p.wire_name), pystr(p.location), pystr(p.style), str(p.explode),
            pystr(shape(api, p)), str(p.required), _lazy(p.type)]
    if p.default is not None:
        args.append(f"lambda: {default_literal(p, _MODELS)}")
    keys = keys_spec(api, p)
    if keys is not None:
        args.append(f"keys={keys}")
    return f"_runtime.Param({', '.join(args)})"


def _body(api: ir.Api, b: ir.Body) -> str:
    args = [pystr(b.media_type), pystr(b.kind), _lazy(b.type)]
    core = core_type(api, b.type)
    if b.kind in ("form", "multipart") and core.kind == "model":
        arrays = [f.wire_name for f in object_fields(api, core.name) if core_type(api, f.type).kind == "list"]
        if arrays:
            args.append(names_literal(arrays))
    return f"_runtime.Body({', '.join(args)})"


def _out(r: ir.Response) -> str:
    if r.type is None or r.media_type is None:
        return f"_runtime.Out({pystr(r.status)})"
    kind = ir.media_kind(r.media_type)
    kind = kind if kind in ("json", "text") else "binary"
    return f"_runtime.Out({pystr(r.status)}, {pystr(kind)}, {pystr(r.media_type)}, {_lazy(r.type)})"


def alternatives(api: ir.Api, op: ir.Operation) -> list[list[tuple[str, list[str]]]]:
    """The operation's security: alternatives of (scheme, required scopes), known schemes only."""
    raw = op.security_raw if op.security_raw is not None else api.security_raw
    known = {s.name for s in api.security_schemes}
    out = []
    for requirement in raw or ():
        if all(name in known for name in requirement):
            out.append([(name, list(scopes)) for name, scopes in requirement.items()])
    return out


def _alternatives_literal(api: ir.Api, op: ir.Operation) -> str:
    tup = tuple_literal
    return tup(
        tup(tup([pystr(name), tup(pystr(s) for s in scopes)]) for name, scopes in alternative)
        for alternative in alternatives(api, op)
    )


def _invalid(op: ir.Operation) -> ir.Response | None:
    """The spec's own response for an invalid request (422, else 400), when it has a body model
    other than FastAPI's `HTTPValidationError` (which the default answer already is)."""
    for status in ("422", "400"):
        for r in op.responses:
            if r.status == status and r.is_json and r.type is not None:
                if r.type.kind == "model" and r.type.name == "HTTPValidationError":
                    return None
                return r
    return None


def operation_spec(api: ir.Api, op: ir.Operation) -> str:
    """The `_runtime.Operation(...)` expression describing how `op` travels."""
    args = [pystr(op.operation_id)]
    if op.parameters:
        args.append("params=[" + ", ".join(_param(api, p) for p in op.parameters) + "]")
    if op.bodies:
        args.append("bodies=[" + ", ".join(_body(api, b) for b in op.bodies) + "]")
        if op.bodies[0].required:
            args.append("body_required=True")
    plain = plain_response(op)
    ordered = ([plain] if plain else []) + [r for r in op.responses if r is not plain]
    if ordered:
        args.append("responses=[" + ", ".join(_out(r) for r in ordered) + "]")
    if plain is None and ordered:
        args.append("plain=False")
    if alternatives(api, op):
        args.append(f"security={_alternatives_literal(api, op)}")
    invalid = _invalid(op)
    if invalid is not None:
        args.append(f"invalid={_out(invalid)}")
    return f"_runtime.Operation({', '.join(args)})"


def constant(op: ir.Operation) -> str:
    return "_" + op.name.upper()


def server_path(op: ir.Operation) -> str:
    """The route's path: Starlette binds path parameters by their Python names."""
    path = op.path
    for p in op.parameters:
        if p.location == "path":
            path = path.replace("{" + p.wire_name + "}", "{" + p.name + "}")
    return path


# ---------------------------------------------------------------------- security


def has_scopes(api: ir.Api, scheme: ir.SecurityScheme) -> bool:
    """Does this scheme's handler receive the required scopes? OAuth2 and OpenID Connect
    always; other schemes when some requirement lists scopes (roles) for them."""
    if scheme.kind in ("oauth2", "openid"):
        return True
    requirements = [*(api.security_raw or ())]
    for op in api.operations:
        requirements += op.security_raw or ()
    return any(r.get(scheme.name) for r in requirements)


def handler_parameters(api: ir.Api, scheme: ir.SecurityScheme) -> list[str]:
    params = {"basic": ["username: str", "password: str"], "unsupported": ["request: Request"]}
    out = ["self", *params.get(scheme.kind, ["credential: str"])]
    if has_scopes(api, scheme):
        out.append("scopes: tuple[str, ...]")
    return out


# ---------------------------------------------------------------------- imports


def tag_types(tag: ir.Tag) -> list[ir.TypeRef]:
    """Every type the server module for `tag` writes down."""
    types: list[ir.TypeRef] = []
    for op in tag.operations:
        types += [p.type for p in op.parameters]
        types += [b.type for b in op.bodies]
        for r in op.responses:
            types += [r.type] if r.type is not None else []
            types += [h.type for h in r.headers]
    return [t for top in types for t in all_of(top)]


def server_imports(tag: ir.Tag, used: dict[str, bool]) -> dict[str, list[str]]:
    """The names a server tag module imports, by module: exactly those it uses."""
    missing = any(
        (not p.required and p.default is None) for op in tag.operations for p in op.parameters
    ) or any(op.bodies and not op.bodies[0].required for op in tag.operations)
    typing = ["TYPE_CHECKING"] * uses_models(tag) + ["Annotated"] * used["annotated"]
    typing += ["Any"] * used["any"] + ["Literal"] * used["literal"] + ["Protocol"]
    return {
        "modules": [m for m in ("datetime", "uuid") if used[m]],
        "typing": typing,
        "pydantic": ["MISSING"] * missing + ["Field"] * used["field"],
    }


def uses_models(tag: ir.Tag) -> bool:
    return any(t.kind in ("model", "object", "binary") for t in tag_types(tag))


def document_json(api: ir.Api) -> str:
    """The document `openapi()` serves (package data beside app.py): the spec as read, one
    line per path and per component (diffs stay readable; json's C encoder writes it)."""
    document = api.document if api.document is not None else {}
    return _json_lines(document, 0) + "\n"


def _json_lines(value: object, depth: int, key: str = "") -> str:
    """Objects indented down to the paths and to each component; compact below."""
    levels = 3 if key == "components" else 2
    if not isinstance(value, dict) or not value or depth >= levels:
        return json.dumps(value, ensure_ascii=False, default=_json_value)
    pad = "  " * (depth + 1)
    items = [
        f"{pad}{json.dumps(_json_key(k), ensure_ascii=False)}: {_json_lines(v, depth + 1, key or _json_key(k))}"
        for k, v in value.items()
    ]
    return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"


def _json_key(key: object) -> str:
    """A YAML key as json.dumps writes it (`200` → "200", `true` → "true")."""
    return key if isinstance(key, str) else json.dumps(key)


def _json_value(value: object) -> str:
    """YAML values JSON has no type for (dates, timestamps) as their ISO text."""
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


def handler_names(api: ir.Api) -> list[str]:
    """Every method `create_app` requires of the implementation."""
    names = [op.name for op in api.operations]
    return names + [f"authenticate_{s.attribute}" for s in api.security_schemes]



def scaffold_imports(api: ir.Api, used: dict[str, bool]) -> dict[str, list[str]]:
    """The names a scaffolded implementation module imports."""
    tags = [t for t in api.tags if t.operations]
    missing = any(
        a.annotation.endswith("MISSING") or "| MISSING |" in a.annotation
        for op in api.operations for a in server_arguments(op)
    )
    typing = ["Annotated"] * used["annotated"] + ["Any"] * used["any"] + ["Literal"] * used["literal"]
    return {
        "modules": [m for m in ("datetime", "uuid") if used[m]],
        "typing": typing,
        "pydantic": ["MISSING"] * missing + ["Field"] * used["field"],
        "models": ["models"] * any(uses_models(t) for t in tags),
        "tags": sorted(t.module for t in tags if any(reply_classes(op) for op in t.operations)),
    }


def api_types(api: ir.Api) -> list[ir.TypeRef]:
    """Every type the server's tag modules write down."""
    return [t for tag in api.tags for t in tag_types(tag)]
