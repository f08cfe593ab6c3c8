"""Swagger 2.0 → OpenAPI 3.0: the document is converted before it is repaired and parsed.

Definitions, parameters (body and formData become a request body, `collectionFormat` a style),
responses (schema per `produces` media type, headers), security definitions, host/basePath/
schemes (servers), `x-nullable`, file types and `$ref`s are converted; one warning says so.
"""

from __future__ import annotations

import re
from typing import Any

from generator.front.report import Reporter

_REFS = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
#: Keywords of a 2.0 parameter or Items object that belong to its schema in 3.0.
_SCHEMA_KEYS = ("type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum",
                "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
                "uniqueItems", "enum", "multipleOf", "x-nullable")
#: collectionFormat → (style, explode) for query and for path/header parameters.
_QUERY_STYLES = {"csv": ("form", False), "ssv": ("spaceDelimited", False),
                 "pipes": ("pipeDelimited", False), "multi": ("form", True)}
_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_NOT_SCHEMA = frozenset({"example", "default", "enum", "x-example"})


def convert(doc: dict[str, Any], report: Reporter) -> dict[str, Any]:
    """The OpenAPI 3.0 equivalent of the Swagger 2.0 document `doc` (unchanged if not 2.x)."""
    if not str(doc.get("swagger", "")).startswith("2"):
        return doc
    report.warn("Swagger 2.0 document converted to OpenAPI 3.0", ["swagger"])
    return _Converter(doc, report).run()


def schema(node: Any) -> Any:
    """A 2.0 schema in 3.0 terms: `x-nullable`, `type: file`, discriminator strings, `$ref`s."""
    if isinstance(node, list):
        return [schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = rewrite_ref(value)
        elif key == "x-nullable":
            out["nullable"] = value
        elif key == "discriminator" and isinstance(value, str):
            out[key] = {"propertyName": value}
        elif key in _NOT_SCHEMA or str(key).startswith("x-"):
            out[key] = value
        elif key == "properties" and isinstance(value, dict):
            out[key] = {k: schema(v) for k, v in value.items()}
        else:
            out[key] = schema(value)
    if out.get("type") == "file":
        out["type"], out["format"] = "string", "binary"
    return out


_SOURCE = (
    (re.compile(r"^/components/(schemas)/"), "/definitions/"),
    (re.compile(r"^/components/(parameters)/"), "/parameters/"),
    (re.compile(r"^/components/(responses)/"), "/responses/"),
    (re.compile(r"^/components/(securitySchemes)/"), "/securityDefinitions/"),
    (re.compile(r"/requestBody(/content/[^/]+/schema)?(/properties/[^/]+)?"), "/parameters"),
    (re.compile(r"/content/[^/]+/schema"), "/schema"),
    (re.compile(r"/(parameters/\d+|headers/[^/]+)/schema"), r"/\1"),
)


def source_pointer(pointer: str) -> str:
    """Where in the Swagger 2.0 file a pointer into the converted document comes from
    (the nearest node: a request body is its parameters, a parameter's schema the parameter)."""
    for pattern, replacement in _SOURCE:
        pointer = pattern.sub(replacement, pointer, count=1)
    return pointer


def rewrite_ref(ref: str) -> str:
    for old, new in _REFS.items():
        if ref.startswith(old):
            return new + ref[len(old):]
    return ref


class _Converter:
    def __init__(self, doc: dict[str, Any], report: Reporter) -> None:
        self.doc = doc
        self.report = report
        self.consumes = _strings(doc.get("consumes"))
        self.produces = _strings(doc.get("produces"))
        shared = doc.get("parameters")
        self.shared: dict[str, Any] = shared if isinstance(shared, dict) else {}

    def run(self) -> dict[str, Any]:
        doc = self.doc
        out: dict[str, Any] = {"openapi": "3.0.3"}
        for key in ("info", "tags", "externalDocs", "security"):
            if key in doc:
                out[key] = doc[key]
        out.update({k: v for k, v in doc.items() if str(k).startswith("x-")})
        servers = self.servers()
        if servers:
            out["servers"] = servers
        paths = doc.get("paths")
        if isinstance(paths, dict):
            out["paths"] = {str(p): self.path_item(item, ["paths", str(p)]) for p, item in paths.items()}
        elif "paths" in doc:
            out["paths"] = paths
        out["components"] = self.components()
        return out

    def servers(self) -> list[dict[str, str]]:
        host, base = self.doc.get("host"), self.doc.get("basePath") or ""
        base = str(base)
        if base and not base.startswith("/"):
            base = "/" + base
        if not host:
            return [{"url": base}] if base else []
        schemes = _strings(self.doc.get("schemes")) or ["https"]
        return [{"url": f"{scheme}://{host}{base.rstrip('/')}"} for scheme in schemes]

    def components(self) -> dict[str, Any]:
        existing = self.doc.get("components")  # `$ref`s to other files are hoisted here
        components: dict[str, Any] = {}
        if isinstance(existing, dict):
            components = {k: dict(v) for k, v in existing.items() if isinstance(v, dict)}
        schemas = {k: schema(v) for k, v in components.get("schemas", {}).items()}
        definitions = self.doc.get("definitions")
        if isinstance(definitions, dict):
            schemas.update({str(k): schema(v) for k, v in definitions.items()})
        if schemas:
            components["schemas"] = schemas
        for name, param in self.shared.items():
            if isinstance(param, dict) and param.get("in") not in ("body", "formData"):
                converted = self.parameter(param, ["parameters", str(name)])
                components.setdefault("parameters", {})[str(name)] = converted
        responses = self.doc.get("responses")
        if isinstance(responses, dict):
            components["responses"] = {
                str(k): self.response(v, self.produces, ["responses", str(k)]) for k, v in responses.items()
            }
        schemes = self.doc.get("securityDefinitions")
        if isinstance(schemes, dict):
            components["securitySchemes"] = {
                str(k): self.security_scheme(v, ["securityDefinitions", str(k)]) for k, v in schemes.items()
            }
        return components

    # ------------------------------------------------------------------ operations

    def path_item(self, node: Any, parts: list[str]) -> Any:
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return {**node, "$ref": rewrite_ref(str(node["$ref"]))}
        shared: list[Any] = node["parameters"] if isinstance(node.get("parameters"), list) else []
        out: dict[str, Any] = {}
        plain = [p for p in shared if self.location(p) not in ("body", "formData")]
        if plain:
            out["parameters"] = [self.parameter(p, [*parts, "parameters", str(i)]) for i, p in enumerate(plain)]
        for key, value in node.items():
            if key == "parameters":
                continue
            if isinstance(value, dict) and key in ("get", "put", "post", "delete", "options", "head", "patch"):
                body_shared = [p for p in shared if self.location(p) in ("body", "formData")]
                out[key] = self.operation(value, body_shared, [*parts, key])
            else:
                out[key] = value
        return out

    def location(self, param: Any) -> Any:
        target = self.target(param)
        return target.get("in") if isinstance(target, dict) else None

    def target(self, param: Any) -> Any:
        """A parameter, following a `$ref` into the document's shared `parameters`."""
        if isinstance(param, dict) and isinstance(param.get("$ref"), str):
            ref = param["$ref"]
            if ref.startswith("#/parameters/"):
                return self.shared.get(ref[len("#/parameters/"):].replace("~1", "/").replace("~0", "~"))
        return param

    def operation(self, node: dict[str, Any], inherited: list[Any], parts: list[str]) -> dict[str, Any]:
        out = {k: v for k, v in node.items() if k not in ("consumes", "produces", "schemes", "parameters",
                                                           "responses")}
        consumes = _strings(node.get("consumes")) or self.consumes
        produces = _strings(node.get("produces")) or self.produces
        params: list[Any] = node["parameters"] if isinstance(node.get("parameters"), list) else []
        plain: list[Any] = []
        form: list[Any] = []
        body: Any = None
        for i, param in enumerate([*inherited, *params]):
            location, target = self.location(param), self.target(param)
            if location == "body":
                body = target
            elif location == "formData":
                form.append(target)
            else:
                index = i - len(inherited)
                plain.append(self.parameter(param, [*parts, "parameters", str(index)]))
        if plain:
            out["parameters"] = plain
        if body is not None:
            out["requestBody"] = self.body(body, consumes)
        elif form:
            out["requestBody"] = self.form(form, consumes)
        responses = node.get("responses")
        if isinstance(responses, dict):
            out["responses"] = {str(k): self.response(v, produces, [*parts, "responses", str(k)])
                                for k, v in responses.items()}
        elif "responses" in node:
            out["responses"] = responses
        return out

    def body(self, param: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
        media = {"schema": schema(param.get("schema", {}))}
        out: dict[str, Any] = {"content": {m: dict(media) for m in consumes or ["application/json"]}}
        for key in ("description", "required"):
            if key in param:
                out[key] = param[key]
        return out

    def form(self, params: list[Any], consumes: list[str]) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required = []
        for param in params:
            if not isinstance(param, dict):
                continue
            name = str(param.get("name", ""))
            properties[name] = self.param_schema(param)
            if param.get("description") is not None:
                properties[name]["description"] = param["description"]
            if param.get("required") is True:
                required.append(name)
        body_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            body_schema["required"] = required
        has_file = any(isinstance(p, dict) and p.get("type") == "file" for p in params)
        media_types = [m for m in consumes if m in (_FORM, _MULTIPART)]
        if not media_types:
            media_types = [_MULTIPART if has_file else _FORM]
        out: dict[str, Any] = {"content": {m: {"schema": dict(body_schema)} for m in media_types}}
        if required:
            out["required"] = True
        return out

    def parameter(self, param: Any, parts: list[str]) -> Any:
        if not isinstance(param, dict):
            return param
        if isinstance(param.get("$ref"), str):
            return {**param, "$ref": rewrite_ref(param["$ref"])}
        out = {k: v for k, v in param.items() if k not in (*_SCHEMA_KEYS, "collectionFormat")}
        out["schema"] = self.param_schema(param)
        if param.get("type") == "array":
            style = self.style(param, parts)
            if style is not None:
                out["style"], out["explode"] = style
        return out

    def style(self, param: dict[str, Any], parts: list[str]) -> tuple[str, bool] | None:
        fmt = param.get("collectionFormat", "csv")
        location = param.get("in")
        if location == "query":
            known = _QUERY_STYLES.get(fmt)
        else:
            known = ("simple", False) if fmt == "csv" else None
        if known is None:
            self.report.warn(f"collectionFormat {fmt!r} has no OpenAPI 3 equivalent for a {location} "
                             "parameter; read as comma-separated", [*parts, "collectionFormat"])
            known = ("form", False) if location == "query" else ("simple", False)
        return known

    def param_schema(self, param: dict[str, Any]) -> dict[str, Any]:
        out = {k: param[k] for k in _SCHEMA_KEYS if k in param}
        if isinstance(out.get("items"), dict):
            out["items"] = self.param_schema(out["items"])
        return dict(schema(out))

    def response(self, node: Any, produces: list[str], parts: list[str]) -> Any:
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return {**node, "$ref": rewrite_ref(node["$ref"])}
        out = {k: v for k, v in node.items() if k not in ("schema", "headers", "examples")}
        headers = node.get("headers")
        if isinstance(headers, dict):
            out["headers"] = {
                str(k): {**({"description": h["description"]} if "description" in h else {}),
                         "schema": self.param_schema(h)}
                for k, h in headers.items() if isinstance(h, dict)
            }
        if "schema" in node:
            examples: dict[str, Any] = node["examples"] if isinstance(node.get("examples"), dict) else {}
            content = {}
            for media_type in produces or ["application/json"]:
                media: dict[str, Any] = {"schema": schema(node["schema"])}
                if media_type in examples:
                    media["example"] = examples[media_type]
                content[media_type] = media
            out["content"] = content
        return out

    def security_scheme(self, node: Any, parts: list[str]) -> Any:
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        common = {k: v for k, v in node.items() if k == "description" or str(k).startswith("x-")}
        if kind == "basic":
            return {"type": "http", "scheme": "basic", **common}
        if kind == "apiKey":
            return {"type": "apiKey", "name": node.get("name"), "in": node.get("in"), **common}
        if kind == "oauth2":
            flow = _FLOWS.get(str(node.get("flow")))
            if flow is None:
                self.report.warn(f"unknown oauth2 flow {node.get('flow')!r}; read as implicit", [*parts, "flow"])
                flow = "implicit"
            spec: dict[str, Any] = {"scopes": node.get("scopes") or {}}
            for key in ("authorizationUrl", "tokenUrl"):
                if key in node:
                    spec[key] = node[key]
            return {"type": "oauth2", "flows": {flow: spec}, **common}
        return node


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
