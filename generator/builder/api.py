"""Build the version-blind IR from a parsed OpenAPI document: operations, security, tags.

Schemas become types and models in `schemas.py`; this module adds the HTTP surface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, cast

from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.builder import path_checks, shape
from generator.builder.context import child_pointer
from generator.builder.schemas import SchemaBuilder, fields_set, ordered_models
from generator.diagnostics import Diagnostic, pointer_join
from generator.front.parse import OpenAPI
from generator.options import Options

_STATUS = re.compile(r"[1-5](?:[0-9][0-9]|XX)|default")
_NO_BODY = frozenset({"204", "205", "304"})  # statuses HTTP forbids a body for
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Argument names the generated functions use themselves, or that would shadow their code.
_RESERVED_PARAMS = naming.METHOD_RESERVED | {"body", "request", "response", "implementation"}
#: Per-call options every client method takes beside the operation's arguments.
_CLIENT_OPTIONS = frozenset({"content_type", "timeout", "retry"})
#: Accessors of every client tag class (an operation of that name is renamed).
_CLIENT_ACCESSORS = frozenset({"with_response", "with_streaming_response"})
_RESERVED_ATTRIBUTES = frozenset(
    {"self", "base_url", "timeout", "headers", "http_client", "send", "close", "aclose"}
)
#: Module names taken in client/ and server/, and names their code uses beside the tag modules.
_RESERVED_MODULES = frozenset(
    {"_core", "_client", "errors", "security", "app", "models", "implementation", "guard"}
    | {"_retry", "_auth", "_stream"}  # the client's runtime modules
    | {"settings", "options", "copy", "routes", "router", "openapi", "schema", "infer"}
    | {"create_app"}
)


class Builder(SchemaBuilder):
    """The whole IR: models (from `SchemaBuilder`) plus operations, security and tags."""

    # ------------------------------------------------------------------ operations

    def operations(self, scheme_names: set[str]) -> list[ir.Operation]:
        result: list[ir.Operation] = []
        first_use: dict[str, str] = {}  # operationId → pointer of the operation using it first
        for path, item in (self.api.paths or {}).items():
            item_pointer = pointer_join("paths", path)
            item, item_pointer = self.deref(item, item_pointer)
            if item is None:
                continue
            shared = [(node, child_pointer(item_pointer, "parameters", i))
                      for i, node in enumerate(item.parameters or [])]
            for method in METHODS:
                operation = getattr(item, method, None)
                if operation is not None:
                    op_pointer = child_pointer(item_pointer, method)
                    if operation.operationId is not None:
                        first = first_use.setdefault(operation.operationId, op_pointer)
                        if first != op_pointer:
                            self.warn(f"operationId {operation.operationId!r} is also used at {first}; "
                                      "operationIds must be unique (the method names are numbered)",
                                      child_pointer(op_pointer, "operationId"))
                    result.append(self.operation(path, method, operation, shared, op_pointer, scheme_names))
        return result

    def operation(self, path: str, method: str, op: Any, shared: list[tuple[Any, str]], pointer: str,
                  scheme_names: set[str]) -> ir.Operation:
        name = naming.operation_name(op.operationId, method, path)
        renames = dict(self.options.rename_operations)
        name = renames.get(op.operationId or "", renames.get(name, name))
        hint = naming.pascal(name)
        own = [(node, child_pointer(pointer, "parameters", i))
               for i, node in enumerate(op.parameters or [])]
        params = self.parameters(path_checks.declared(self, path, shared, own, pointer), pointer)
        bodies = self.bodies(op.requestBody, pointer, hint, {p.name for p in params})
        body = bodies[0] if bodies else None
        statuses = {}
        for status, response in (op.responses or {}).items():
            if _STATUS.fullmatch(str(status)):
                statuses[str(status)] = response
            else:
                where = child_pointer(pointer, "responses", str(status))
                self.warn(f"{status!r} is not an HTTP status code; response ignored", where)
        responses = tuple(
            self.response(status, response, pointer, hint, len(statuses) > 1)
            for status, response in statuses.items()
        )
        security = None
        raw_security = None
        if op.security is not None:
            raw_security = tuple(dict(r) for r in op.security)
            security = self.requirements(op.security, child_pointer(pointer, "security"), scheme_names)
        return ir.Operation(
            name=name,
            operation_id=op.operationId or naming.fastapi_operation_id(method, path, name),
            method=method,
            path=path,
            tag=(op.tags or ["default"])[0],
            summary=op.summary,
            description=op.description,
            parameters=params,
            body=body,
            responses=responses,
            security=security,
            security_raw=raw_security,
            tags=tuple(op.tags or ()),
            deprecated=bool(op.deprecated),
            pointer=pointer,
            bodies=bodies,
        )

    def requirements(self, requirements: Iterable[dict[str, list[str]]], pointer: str,
                     scheme_names: set[str]) -> tuple[tuple[str, ...], ...]:
        alternatives = []
        for requirement in requirements:
            unknown = [n for n in requirement if n not in scheme_names]
            if unknown:
                self.warn(f"security requirement names unknown scheme {unknown[0]!r}; ignored", pointer)
                continue
            alternatives.append(tuple(requirement))
        return tuple(alternatives)

    def parameters(self, by_key: dict[tuple[str, str], tuple[Any, str]], pointer: str
                   ) -> tuple[ir.Parameter, ...]:
        """The operation's parameters from `path_checks.declared` (by wire name and location)."""
        namer = naming.Namer(_RESERVED_PARAMS)
        result = []
        # Path parameters are named first: FastAPI matches them by their Python name.
        ordered = sorted(by_key.items(), key=lambda item: item[0][1] != "path")
        for (wire, location), (param, param_pointer) in ordered:
            schema = param.param_schema
            media_type = None
            if schema is None and param.content:
                media_type, media = next(iter(param.content.items()))
                schema = media.media_type_schema
            type_ = self.type_of(schema, child_pointer(param_pointer, "schema"), naming.pascal(wire))
            resolved, _ = self.deref(schema, param_pointer)
            default = None
            if isinstance(resolved, v3_0.Schema | v3_1.Schema) and "default" in fields_set(resolved):
                default = self.default(resolved.default, type_, param_pointer)
            style = getattr(param.style, "value", param.style) or ("form" if location in ("query", "cookie") else "simple")
            explode = param.explode if param.explode is not None else style == "form"
            structured = self.structured(type_)
            result.append(ir.Parameter(
                name=namer.claim(naming.identifier(naming.snake(wire), "param", _RESERVED_PARAMS | _CLIENT_OPTIONS)),
                wire_name=wire,
                location=cast(Literal["path", "query", "header", "cookie"], location),
                type=type_,
                required=bool(param.required) or location == "path",
                default=default,
                description=param.description,
                style=style,
                explode=explode,
                deprecated=bool(param.deprecated),
                structured=structured,
                media_type=media_type,
            ))
        spec_order = list(by_key)
        result.sort(key=lambda p: (not p.required, spec_order.index((p.wire_name, p.location))))
        return tuple(result)

    def body(self, node: Any, pointer: str, hint: str, taken: set[str]) -> ir.Body | None:
        bodies = self.bodies(node, pointer, hint, taken)
        return bodies[0] if bodies else None

    def bodies(self, node: Any, pointer: str, hint: str, taken: set[str]) -> tuple[ir.Body, ...]:
        """Every media type of a request body, in spec order after the one the client sends
        (JSON if any), which carries the media types of the same schema as its choices."""
        if node is None:
            return ()
        request, body_pointer = self.deref(node, child_pointer(pointer, "requestBody"),
                                           (v3_0.RequestBody, v3_1.RequestBody))
        if request is None or not request.content:
            return ()
        media_type, media = _pick_media(request.content)
        # The client sends the others too (`content_type=` with `body=` of their own type).
        choices = _media_choices(request.content, media_type)
        first = self.one_body(request, body_pointer, media_type, media, hint, taken,
                              choices if len(choices) > 1 else ())
        rest = [
            self.one_body(request, body_pointer, other, content, hint, taken, ())
            for other, content in request.content.items()
            if other != media_type
        ]
        return (first, *rest)

    def one_body(self, request: Any, body_pointer: str, media_type: str, media: Any, hint: str,
                 taken: set[str], choices: tuple[str, ...]) -> ir.Body:
        kind = ir.media_kind(media_type)
        schema_pointer = child_pointer(body_pointer, "content", media_type, "schema")
        type_ = self.type_of(media.media_type_schema, schema_pointer, f"{hint}Body")
        if kind == "binary":
            type_ = ir.TypeRef("builtin", "bytes")
        elif kind == "text":
            type_ = ir.TypeRef("builtin", "str")
        model = self.models.get(type_.name) if type_.kind == "model" else None
        flat: tuple[ir.Field, ...] = ()
        model_name = ""
        if isinstance(model, ir.ObjectModel) and not model.bases and model.extra != "allow" and not (
            {f.name for f in model.fields} & (taken | _CLIENT_OPTIONS | {"body"})
        ):
            flat, model_name = model.fields, model.name
        encoding = tuple(
            (name, item.contentType) for name, item in (media.encoding or {}).items() if item.contentType
        )
        return ir.Body(media_type, kind, type_, bool(request.required), request.description, flat, model_name,
                       choices, encoding)

    def response(self, status: str, node: Any, pointer: str, hint: str, many: bool) -> ir.Response:
        response, response_pointer = self.deref(node, child_pointer(pointer, "responses", status),
                                                (v3_0.Response, v3_1.Response))
        if response is None:
            return ir.Response(status, "", None, None)
        if response.content and status in _NO_BODY:
            self.warn(f"a {status} response has no body; its content is ignored", response_pointer)
        headers = self.response_headers(response, response_pointer, f"{hint}{status}")
        if not response.content or status in _NO_BODY:
            return ir.Response(status, response.description or "", None, None, headers)
        media_type, media = _pick_media(response.content)
        schema_pointer = child_pointer(response_pointer, "content", media_type, "schema")
        name = f"{hint}Response{status if many else ''}"
        kind = ir.media_kind(media_type)
        if kind == "json":
            type_ = self.type_of(media.media_type_schema, schema_pointer, name)
        else:
            type_ = ir.TypeRef("builtin", "str" if kind == "text" else "bytes")
        stream = ir.stream_kind(media_type)
        item = self.stream_item(stream, media.media_type_schema, schema_pointer, name) if stream else None
        return ir.Response(status, response.description or "", media_type, type_, headers, stream, item)

    def stream_item(self, stream: str, schema: Any, pointer: str, name: str) -> ir.TypeRef | None:
        """The type of each streamed event's data (None: text) or JSON line (any JSON)."""
        resolved, _ = self.deref(schema, pointer) if schema is not None else (None, pointer)
        if resolved is None:
            return None if stream == "sse" else ir.ANY
        kind = getattr(getattr(resolved, "type", None), "value", getattr(resolved, "type", None))
        if stream == "sse" and kind == "string":
            return None
        if stream == "jsonl" and kind == "array" and getattr(resolved, "items", None) is not None:
            return self.type_of(resolved.items, child_pointer(pointer, "items"), f"{name}Item")
        return self.type_of(schema, pointer, f"{name}Item" if stream == "jsonl" else f"{name}Event")

    def response_headers(self, response: Any, pointer: str, hint: str) -> tuple[ir.ResponseHeader, ...]:
        """The headers a response declares (`Content-Type` is the media type's, never one)."""
        reserved = naming.METHOD_RESERVED | {"body", "status_code", "headers"}
        namer = naming.Namer(reserved)
        out = []
        for wire, node in (response.headers or {}).items():
            if wire.lower() == "content-type":
                continue
            header, header_pointer = self.deref(node, child_pointer(pointer, "headers", wire))
            if header is None:
                continue
            schema = header.param_schema
            if schema is None and header.content:
                schema = next(iter(header.content.values())).media_type_schema
            type_ = self.type_of(schema, child_pointer(header_pointer, "schema"),
                                 naming.pascal(f"{hint} {wire}"))
            name = namer.claim(naming.identifier(naming.snake(wire), "header", reserved))
            out.append(ir.ResponseHeader(name, wire, type_, bool(header.required), header.description))
        return tuple(out)

    # ------------------------------------------------------------------ security and the rest

    def security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        schemes = (self.api.components.securitySchemes if self.api.components else None) or {}
        namer = naming.Namer(_RESERVED_ATTRIBUTES)
        result = []
        for name, node in schemes.items():
            pointer = pointer_join("components", "securitySchemes", name)
            scheme, _ = self.deref(node, pointer, (v3_0.SecurityScheme, v3_1.SecurityScheme))
            if scheme is None:
                continue
            raw = scheme.model_dump(mode="json", by_alias=True, exclude_unset=True)
            kind_name = getattr(scheme.type, "value", scheme.type)
            attribute = namer.claim(naming.identifier(naming.snake(name), "auth", _RESERVED_ATTRIBUTES))
            common = {"name": name, "attribute": attribute, "description": scheme.description, "raw": raw}
            if kind_name == "http" and (scheme.scheme or "").lower() in ("bearer", "basic"):
                http = cast(Literal["bearer", "basic"], scheme.scheme.lower())
                result.append(ir.SecurityScheme(kind=http, **common))
            elif kind_name == "apiKey":
                location = getattr(scheme.security_scheme_in, "value", scheme.security_scheme_in)
                result.append(ir.SecurityScheme(kind="api_key", location=location, parameter=scheme.name, **common))
            elif kind_name in ("oauth2", "openIdConnect"):
                token: Literal["oauth2", "openid"] = "oauth2" if kind_name == "oauth2" else "openid"
                result.append(ir.SecurityScheme(kind=token, **common))
            else:
                self.warn(f"security scheme type {kind_name!r} ({scheme.scheme}) is not supported yet", pointer)
                result.append(ir.SecurityScheme(kind="unsupported", **common))
        return tuple(result)

    def tags(self, operations: list[ir.Operation]) -> tuple[ir.Tag, ...]:
        declared = {t.name: t.description for t in self.api.tags or []}
        order = list(dict.fromkeys([*declared, *(op.tag for op in operations)]))
        classes = naming.Namer(naming.MODULE_NAMES)
        attributes = naming.Namer(_RESERVED_ATTRIBUTES)
        modules = naming.Namer(_RESERVED_MODULES, fold_case=True)  # file names
        result = []
        method_names = naming.Namer({"self"} | _CLIENT_ACCESSORS)  # one scope: the server's Implementation has all
        by_tag: dict[str, list[ir.Operation]] = {}
        for op in operations:
            by_tag.setdefault(op.tag, []).append(op)
        for tag in order:
            ops = by_tag.get(tag, [])
            if not ops:
                continue
            unique_ops = tuple(_renamed(op, method_names.claim(op.name)) for op in ops)
            base = naming.snake(tag) or "default"
            result.append(ir.Tag(
                name=tag,
                class_name=classes.claim(naming.identifier(naming.pascal(tag) + "Api", "Api"), "Async"),
                attribute=attributes.claim(naming.identifier(base, "api", _RESERVED_ATTRIBUTES)),
                module=modules.claim(naming.module_name(base, "api", _RESERVED_MODULES)),
                operations=unique_ops,
                description=declared.get(tag),
            ))
        return tuple(result)

    def shaped_models(self, operations: list[ir.Operation]) -> list[ir.Model]:
        models = ordered_models(self.break_alias_cycles())
        if self.options.include or self.options.exclude:  # prune what no kept one uses
            return shape.reachable(models, operations)
        return models

    def build(self) -> ir.Api:
        self.component_models()
        schemes = self.security_schemes()
        names = {s.name for s in schemes}
        operations = shape.kept(self.operations(names), self.options)
        global_security = self.requirements(self.api.security or [], "/security", names)
        info = self.api.info
        title = info.title.strip()
        if not title:
            title = "API"
            self.warn("info.title is empty; generated code calls the API 'API'", "/info/title")
        version = info.version
        if not version.strip():  # FastAPI, package metadata and users need one
            version = "0.0.0"
            self.warn("info.version is empty; generated code uses '0.0.0'", "/info/version")
        return ir.Api(
            title=title,
            version=version,
            description=info.description,
            servers=tuple(
                ir.Server(_server_url(s), s.description, s.model_dump(mode="json", by_alias=True, exclude_unset=True))
                for s in self.api.servers or []
                if "servers" in fields_set(self.api)
            ),
            models=tuple(self.shaped_models(operations)),
            tags=self.tags(operations),
            security_schemes=schemes,
            security=global_security,
            security_raw=tuple(dict(r) for r in self.api.security) if self.api.security is not None else None,
            source_name=self.path.name,
            openapi_tags=tuple(t.model_dump(mode="json", by_alias=True, exclude_unset=True) for t in self.api.tags or []),
        )


# ---------------------------------------------------------------------- small pure helpers


# ---------------------------------------------------------------------- small pure helpers


def _server_url(server: Any) -> str:
    """The server URL with each `{variable}` replaced by its default."""
    url = str(server.url)
    for name, variable in (server.variables or {}).items():
        url = url.replace("{" + name + "}", str(variable.default))
    return url


def _renamed(op: ir.Operation, name: str) -> ir.Operation:
    if name == op.name:
        return op
    return replace(op, name=name)


def _media_choices(content: dict[str, Any], primary: str) -> tuple[str, ...]:
    """The media types a caller may send the body as: the primary one, and those with the
    same schema whose kind the client encodes from the same value."""
    schema = content[primary].media_type_schema
    structured = ("json", "form", "multipart")
    same_kind = {ir.media_kind(primary)} if ir.media_kind(primary) not in structured else set(structured)
    return (primary, *(
        media for media, item in content.items()
        if media != primary and ir.media_kind(media) in same_kind and item.media_type_schema == schema
    ))


def _pick_media(content: dict[str, Any]) -> tuple[str, Any]:
    for media_type, media in content.items():
        if ir.media_kind(media_type) == "json":
            return media_type, media
    return next(iter(content.items()))


def build(
    path: Path, api: OpenAPI, options: Options | None = None
) -> tuple[ir.Api, list[Diagnostic]]:
    builder = Builder(path, api, options or Options())
    return builder.build(), builder.diagnostics
