"""Repairs of paths, operations, parameters, bodies and responses (their schemas are handed to
`SchemaRepairs`). Each repair is a warning naming its JSON pointer."""

from __future__ import annotations

from typing import Any

from generator.front.report import Reporter
from generator.front.schema_repairs import SchemaRepairs
from generator.front.values import as_bool, drop_incomplete, string_fields

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER_BOOLS = ("required", "deprecated", "allowEmptyValue", "explode", "allowReserved")


def _schema_ref(node: dict[str, Any]) -> bool:
    """A `$ref` to a schema where another kind of object belongs (a common mistake)."""
    ref = node.get("$ref")
    return isinstance(ref, str) and ref.startswith("#/components/schemas/")


def as_dict(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) else None


class OperationRepairs:
    """Repairs the objects under `paths` and `components` (a path item down to its media types)."""

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.schemas = SchemaRepairs(report, v30=True)

    def warn(self, message: str, parts: list[str]) -> None:
        self.report.warn(message, parts)

    @staticmethod
    def map_of(node: dict[str, Any], key: str, parts: list[str], repair: Any) -> None:
        """Repair each value of the mapping `node[key]` (keys become strings: YAML `200:`)."""
        value = node.get(key)
        if isinstance(value, dict):
            node[key] = {str(k): repair(v, [*parts, str(k)]) for k, v in value.items()}

    def reference(self, node: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        """A Reference object: only `summary` and `description` may stand beside `$ref`."""
        ignored = [k for k in node if k not in ("$ref", "summary", "description") and not k.startswith("x-")]
        if ignored:
            self.warn(f"keywords beside $ref are ignored: {', '.join(ignored)}", parts)
        return {k: v for k, v in node.items() if k not in ignored}

    def referenced(self, node: dict[str, Any], parts: list[str], kind: str, noun: str,
                   filled: dict[str, Any]) -> dict[str, Any]:
        """A `$ref`'d request body or response; one to a schema (a common mistake) is read as
        JSON content of that schema, with the `filled` fields."""
        if not _schema_ref(node):
            return self.reference(node, parts)
        self.warn(f"a {kind} `$ref` to a schema; read as a JSON {noun} of that schema", parts)
        return {**filled, "content": {"application/json": {"schema": {"$ref": node["$ref"]}}}}

    def path_item(self, node: Any, parts: list[str]) -> Any:
        item = as_dict(node)
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
        callback = as_dict(node)
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
        param = as_dict(node)
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
        body = as_dict(node)
        if body is None:
            return node
        if "$ref" in body:
            return self.referenced(body, parts, "request body", "body", {"required": True})
        as_bool(body, "required", parts, self.report)
        if body.get("content") is None:
            self.warn("request body without `content` (required); read as no media types", parts)
            body["content"] = {}
        self.content(body, parts)
        return body

    def response(self, node: Any, parts: list[str]) -> Any:
        response = as_dict(node)
        if response is None:
            return node
        if "$ref" in response:
            filled = {"description": str(response.get("description", ""))}
            return self.referenced(response, parts, "response", "response", filled)
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
            media = as_dict(media)
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
        encoding = as_dict(node)
        if encoding is not None:
            for key in ("explode", "allowReserved"):
                as_bool(encoding, key, parts, self.report)
            self.map_of(encoding, "headers", [*parts, "headers"], self.parameter)
        return encoding if encoding is not None else node
