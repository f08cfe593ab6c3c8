"""Repairs of the OpenAPI object model: the top level here (version, info, tags, servers),
paths and components in `OperationRepairs`, schemas in `SchemaRepairs`.

Walks the document along its object model, so a key is repaired only where the model gives it a
meaning (`required` of a parameter, not a property named "required"). Each repair is a warning
naming its JSON pointer.
"""

from __future__ import annotations

import re
from typing import Any

from generator.front.operation_repairs import OperationRepairs, as_dict
from generator.front.schema_repairs import DEEP_KEY
from generator.front.values import drop_incomplete, string_fields

_VERSIONS = {0: ("3.0.0", "3.0.1", "3.0.2", "3.0.3", "3.0.4"), 1: ("3.1.0", "3.1.1", "3.1.2")}


class DocumentRepairs(OperationRepairs):
    """Repairs one OpenAPI 3.x document (a mapping); `run` returns the repaired copy."""

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
        components = as_dict(doc.get("components"))
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
        info = as_dict(doc.get("info"))
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
