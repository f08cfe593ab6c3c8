"""Request bodies, responses and response headers of an operation."""

from __future__ import annotations

from typing import Any

from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.builder.context import child_pointer
from generator.builder.schemas import SchemaBuilder

_NO_BODY = frozenset({"204", "205", "304"})  # statuses HTTP forbids a body for
#: Per-call options every client method takes beside the operation's arguments.
CLIENT_OPTIONS = frozenset({"content_type", "timeout", "retry"})


class MessageBuilder(SchemaBuilder):
    """What an operation sends and receives: bodies by media type, responses by status."""

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
            {f.name for f in model.fields} & (taken | CLIENT_OPTIONS | {"body"})
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
