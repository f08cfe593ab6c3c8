"""Build the version-blind IR from a parsed OpenAPI document: operations, security, tags.

Schemas become types and models in `schemas.py`, operations in `operations.py` (their bodies and
responses in `messages.py`); this module adds security schemes and tags, and assembles the `ir.Api`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, cast

from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.builder import shape
from generator.builder.operations import OperationBuilder
from generator.builder.schemas import fields_set, ordered_models
from generator.diagnostics import Diagnostic, pointer_join
from generator.front.parse import OpenAPI
from generator.options import Options

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


class Builder(OperationBuilder):
    """The whole IR: models (`SchemaBuilder`), operations (`OperationBuilder`), security and tags."""

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


def build(
    path: Path, api: OpenAPI, options: Options | None = None
) -> tuple[ir.Api, list[Diagnostic]]:
    builder = Builder(path, api, options or Options())
    return builder.build(), builder.diagnostics
