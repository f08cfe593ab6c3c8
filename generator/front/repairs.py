"""Repairs of the OpenAPI object model (document, info, paths, operations, parameters, responses).

Walks the document along its object model, so a key is repaired only where the model gives it a
meaning (`required` of a parameter, not a property named "required"). Schemas are handed to
`SchemaRepairs`. Each repair is a warning naming its JSON pointer.
"""

from __future__ import annotations

import re
from typing import Any

from generator.front.report import Reporter
from generator.front.schema_repairs import DEEP_KEY, SchemaRepairs
from generator.front.values import as_bool, drop_incomplete, string_fields

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_VERSIONS = {0: ("3.0.0", "3.0.1", "3.0.2", "3.0.3", "3.0.4"), 1: ("3.1.0", "3.1.1", "3.1.2")}
_PARAMETER_BOOLS = ("required", "deprecated", "allowEmptyValue", "explode", "allowReserved")


def _schema_ref(node: dict[str, Any]) -> bool:
    """A `$ref` to a schema where another kind of object belongs (a common mistake)."""
    ref = node.get("$ref")
    return isinstance(ref, str) and ref.startswith("#/components/schemas/")


def _dict(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) else None


class DocumentRepairs:
    """Repairs one OpenAPI 3.x document (a mapping); `run` returns the repaired copy."""

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.schemas = SchemaRepairs(report, v30=True)

    def warn(self, message: str, parts: list[str]) -> None:
        self.report.warn(message, parts)

    def run(self, document: dict[str, Any]) -> dict[str, Any]:
        doc = dict(document)
        self.version(doc)
        version = doc.get("openapi")
        self.schemas.v30 = not (isinstance(version, str) and version.startswith("3.1"))
        self.info(doc)
        if doc.get("paths") is None:
            if "paths" in doc:
                self.warn("`paths` is null; read as no paths", ["paths"])
                doc["paths"] = {}
            elif self.schemas.v30:
                self.warn("no `paths` (required in OpenAPI 3.0); read as no paths", [])
                doc["paths"] = {}
        paths = doc.get("paths")
        if isinstance(paths, dict):
            for key in [k for k in paths if not str(k).startswith(("/", "x-"))]:
                self.warn(f"`paths` key {str(key)!r} is not a path (paths start with '/'); ignored",
                          ["paths", str(key)])
                del paths[key]
        self.map_of(doc, "paths", ["paths"], self.path_item)
        self.map_of(doc, "webhooks", ["webhooks"], self.path_item)
        components = _dict(doc.get("components"))
        if components is not None:
            doc["components"] = components
            here = ["components"]
            self.map_of(components, "schemas", [*here, "schemas"], self.schemas.schema)
            self.map_of(components, "parameters", [*here, "parameters"], self.parameter)
            self.map_of(components, "headers", [*here, "headers"], self.parameter)
            self.map_of(components, "responses", [*here, "responses"], self.response)
            self.map_of(components, "requestBodies", [*here, "requestBodies"], self.request_body)
            self.map_of(components, "pathItems", [*here, "pathItems"], self.path_item)
            self.map_of(components, "callbacks", [*here, "callbacks"], self.callback)
        self.list_of(doc, "tags", ("name", "description"))
        self.list_of(doc, "servers", ("url", "description"))
        if self.schemas.deep:
            doc[DEEP_KEY] = self.schemas.deep
        return doc

    def list_of(self, doc: dict[str, Any], key: str, strings: tuple[str, ...]) -> None:
        """Repair the string fields of each object in the list `doc[key]` (tags, servers)."""
        if isinstance(doc.get(key), list):
            doc[key] = [dict(item) if isinstance(item, dict) else item for item in doc[key]]
            for i, item in enumerate(doc[key]):
                if isinstance(item, dict):
                    string_fields(item, strings, [key, str(i)], self.report)
                    drop_incomplete(item, "externalDocs", "url", [key, str(i)], self.report)
                    if key == "servers":
                        self.server_variables(item, [key, str(i)])
            required = strings[0]  # a tag's name, a server's url
            kept = [item for item in doc[key] if isinstance(item, dict) and isinstance(item.get(required), str)]
            for i, item in enumerate(doc[key]):
                if not any(item is k for k in kept):
                    self.warn(f"{key[:-1]} without `{required}` (required); ignored", [key, str(i)])
            doc[key] = kept

    def server_variables(self, server: dict[str, Any], parts: list[str]) -> None:
        variables = server.get("variables")
        if not isinstance(variables, dict):
            return
        server["variables"] = variables = {k: dict(v) if isinstance(v, dict) else {} for k, v in variables.items()}
        for name, variable in variables.items():
            if not isinstance(variable.get("default"), str):
                enum = variable.get("enum")
                fill = variable.get("default", enum[0] if isinstance(enum, list) and enum else "")
                variable["default"] = str(fill)
                self.warn(f"server variable {name!r} has no string `default`; read as {variable['default']!r}",
                          [*parts, "variables", str(name)])

    @staticmethod
    def map_of(node: dict[str, Any], key: str, parts: list[str], repair: Any) -> None:
        """Repair each value of the mapping `node[key]` (keys become strings: YAML `200:`)."""
        value = node.get(key)
        if isinstance(value, dict):
            node[key] = {str(k): repair(v, [*parts, str(k)]) for k, v in value.items()}

    # ------------------------------------------------------------------ top level

    def version(self, doc: dict[str, Any]) -> None:
        raw = doc.get("openapi")
        if raw is None:
            if "openapi" in doc or any(k in doc for k in ("paths", "components", "info")):
                modern = any(k in doc for k in ("webhooks", "jsonSchemaDialect"))
                doc["openapi"] = "3.1.2" if modern else "3.0.4"
                self.warn(f"no `openapi` version; read as OpenAPI {doc['openapi']}", ["openapi"])
            return
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            return
        match = re.fullmatch(r"\s*3\.(\d+)(?:\.(\d+))?\s*(?:-?[A-Za-z].*)?", raw)
        if match is None:
            doc["openapi"] = raw
            return
        minor = int(match[1])
        known = _VERSIONS.get(minor, _VERSIONS[1])
        target = raw if raw in known else known[-1]
        if target != doc["openapi"]:
            if minor > 1:
                message = f"OpenAPI {raw} is newer than the versions supported; read as {target}"
            else:
                message = f"`openapi: {doc['openapi']!r}` is not a released version; read as {target}"
            self.warn(message, ["openapi"])
        doc["openapi"] = target

    def info(self, doc: dict[str, Any]) -> None:
        info = _dict(doc.get("info"))
        filled = info is None
        if info is None:
            if "info" not in doc:
                self.warn("no `info` object; title and version filled in", [])
            else:
                kind = "null" if doc["info"] is None else type(doc["info"]).__name__
                self.warn(f"`info` is {kind}, not an object; title and version filled in", ["info"])
            info = {}
        doc["info"] = info
        string_fields(info, ("title", "version", "description", "summary"), ["info"], self.report)
        drop_incomplete(info, "license", "name", ["info"], self.report)
        drop_incomplete(doc, "externalDocs", "url", [], self.report)
        stem = self.report.path.stem.split(".")[0]
        for key, fill in (("title", stem or "API"), ("version", "0.0.0")):
            if info.get(key) is None:
                if not filled:
                    problem = f"`info.{key}` is null" if key in info else f"no `info.{key}`"
                    self.warn(f"{problem}; read as {fill!r}", ["info", key] if key in info else ["info"])
                info[key] = fill

    # ------------------------------------------------------------------ paths and operations

    def reference(self, node: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        """A Reference object: only `summary` and `description` may stand beside `$ref`."""
        ignored = [k for k in node if k not in ("$ref", "summary", "description") and not k.startswith("x-")]
        if ignored:
            self.warn(f"keywords beside $ref are ignored: {', '.join(ignored)}", parts)
        return {k: v for k, v in node.items() if k not in ignored}

    def path_item(self, node: Any, parts: list[str]) -> Any:
        item = _dict(node)
        if item is None:
            return node
        if "$ref" in item:
            return self.reference(item, parts)
        self.parameters(item, parts)
        for method in METHODS:
            if isinstance(item.get(method), dict):
                item[method] = self.operation(item[method], [*parts, method])
        return item

    def callback(self, node: Any, parts: list[str]) -> Any:
        callback = _dict(node)
        if callback is None or "$ref" in callback:
            return node
        return {str(k): self.path_item(v, [*parts, str(k)]) for k, v in callback.items()}

    def operation(self, node: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        op = dict(node)
        string_fields(op, ("operationId", "summary", "description"), parts, self.report)
        drop_incomplete(op, "externalDocs", "url", parts, self.report)
        as_bool(op, "deprecated", parts, self.report)
        if isinstance(op.get("tags"), list) and any(isinstance(t, int | float) for t in op["tags"]):
            self.warn("tags must be strings; numbers read as their text", [*parts, "tags"])
            op["tags"] = [str(t) if isinstance(t, int | float) else t for t in op["tags"]]
        self.parameters(op, parts)
        if "requestBody" in op:
            op["requestBody"] = self.request_body(op["requestBody"], [*parts, "requestBody"])
        if op.get("responses") is None and self.schemas.v30:
            shown = "null" if "responses" in op else "missing"
            self.warn(f"`responses` is {shown} (required in OpenAPI 3.0); read as none declared",
                      [*parts, "responses"] if "responses" in op else parts)
            op["responses"] = {}
        self.map_of(op, "responses", [*parts, "responses"], self.response)
        self.map_of(op, "callbacks", [*parts, "callbacks"], self.callback)
        return op

    def parameters(self, node: dict[str, Any], parts: list[str]) -> None:
        if isinstance(node.get("parameters"), list):
            node["parameters"] = [self.parameter(p, [*parts, "parameters", str(i)])
                                  for i, p in enumerate(node["parameters"])
                                  if self.usable(p, [*parts, "parameters", str(i)])]

    def usable(self, node: Any, parts: list[str]) -> bool:
        """False (with a warning) for a parameter no request can carry."""
        if not isinstance(node, dict) or "$ref" in node:
            return True
        if node.get("in") == "querystring":
            self.warn("`in: querystring` (OpenAPI 3.2) is not supported; parameter ignored", [*parts, "in"])
            return False
        if not isinstance(node.get("name"), str | int | float) or node.get("name") in ("", True, False):
            self.warn("parameter without a `name`; ignored", parts)
            return False
        return True

    def parameter(self, node: Any, parts: list[str]) -> Any:
        """A Parameter or a Header object (a header is a parameter without `name` and `in`)."""
        param = _dict(node)
        if param is None:
            return node
        if "$ref" in param:
            return self.reference(param, parts)
        for key in _PARAMETER_BOOLS:
            as_bool(param, key, parts, self.report)
        string_fields(param, ("name", "description"), parts, self.report)
        if "schema" in param:
            param["schema"] = self.schemas.schema(param["schema"], [*parts, "schema"])
        self.content(param, parts)
        return param

    def request_body(self, node: Any, parts: list[str]) -> Any:
        body = _dict(node)
        if body is None:
            return node
        if "$ref" in body:
            if _schema_ref(body):
                self.warn("a request body `$ref` to a schema; read as a JSON body of that schema", parts)
                return {"required": True, "content": {"application/json": {"schema": {"$ref": body["$ref"]}}}}
            return self.reference(body, parts)
        as_bool(body, "required", parts, self.report)
        if body.get("content") is None:
            self.warn("request body without `content` (required); read as no media types", parts)
            body["content"] = {}
        self.content(body, parts)
        return body

    def response(self, node: Any, parts: list[str]) -> Any:
        response = _dict(node)
        if response is None:
            return node
        if "$ref" in response:
            if _schema_ref(response):
                self.warn("a response `$ref` to a schema; read as a JSON response of that schema", parts)
                return {"description": str(response.get("description", "")),
                        "content": {"application/json": {"schema": {"$ref": response["$ref"]}}}}
            return self.reference(response, parts)
        string_fields(response, ("description",), parts, self.report)
        if not isinstance(response.get("description"), str):
            self.warn("response has no `description` (required); read as empty", parts)
            response["description"] = ""
        self.map_of(response, "headers", [*parts, "headers"], self.parameter)
        self.content(response, parts)
        return response

    def content(self, node: dict[str, Any], parts: list[str]) -> None:
        content = node.get("content")
        if not isinstance(content, dict):
            return
        out = {}
        for media_type, media in content.items():
            here = [*parts, "content", str(media_type)]
            media = _dict(media)
            if media is not None:
                if "schema" in media:
                    media["schema"] = self.schemas.schema(media["schema"], [*here, "schema"])
                encoding = media.get("encoding")
                if isinstance(encoding, dict):
                    media["encoding"] = {
                        str(k): self._encoding(v, [*here, "encoding", str(k)]) for k, v in encoding.items()
                    }
            out[str(media_type)] = media if media is not None else content[media_type]
        node["content"] = out

    def _encoding(self, node: Any, parts: list[str]) -> Any:
        encoding = _dict(node)
        if encoding is not None:
            for key in ("explode", "allowReserved"):
                as_bool(encoding, key, parts, self.report)
            self.map_of(encoding, "headers", [*parts, "headers"], self.parameter)
        return encoding if encoding is not None else node
