"""A deterministic, Microsoft-Graph-shaped OpenAPI 3.0 document of any size.

Shapes taken from large real APIs: an `entity` base that most schemas extend through `allOf`,
nullable properties, string enums as components, arrays of references (navigation
properties), nested inline objects, `$ref`'d shared parameters (`$top`, `$filter`, `$select`
as an array of enum strings, ...), collection responses with `value` and `@odata.nextLink`,
an error response, one tag per entity set, long descriptions.

    python benchmarks/graphlike.py OPERATIONS > graph.json
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

_TEXT = """user group message event calendar drive item site list team channel chat member owner
device policy role assignment contact folder attachment mail plan task bucket note section page
notebook photo location schedule shift invitation subscription report"""
_WORDS = _TEXT.split()
_FORMATS = ("date-time", "uuid", "date", None, None, None, "email", "uri")


def _name(rng: random.Random, n: int = 2) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    return words[0] + "".join(w.title() for w in words[1:])


def _description(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 40))]
    return " ".join(words).capitalize() + ". Read-only. Supports $filter (eq, ne, in)."


def document(operations: int, seed: int = 0) -> dict[str, Any]:
    """About 2 KB of JSON per operation; one entity set per 4 operations."""
    rng = random.Random(seed)
    sets = max(1, operations // 4)
    enums = max(1, sets // 6)
    schemas: dict[str, Any] = {
        "microsoft.graph.entity": {
            "type": "object",
            "properties": {"id": {"type": "string", "description": "The unique identifier."}},
        },
        "odata.error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"},
                "innerError": {"type": "object", "additionalProperties": {"type": "string"}},
            }}},
        },
    }
    enum_names = [f"microsoft.graph.{_name(rng)}Kind{i}" for i in range(enums)]
    for name in enum_names:
        schemas[name] = {"type": "string", "enum": [_name(rng, 1) + str(i) for i in range(rng.randint(3, 12))]}
    entity_names = [f"microsoft.graph.{_name(rng)}{i}" for i in range(sets)]
    for i, name in enumerate(entity_names):
        properties: dict[str, Any] = {}
        for p in range(rng.randint(6, 14)):
            prop = f"{_name(rng)}{p}"
            kind = rng.random()
            if kind < 0.35:
                fmt = rng.choice(_FORMATS)
                properties[prop] = {"type": "string", "nullable": rng.random() < 0.5,
                                    **({"format": fmt} if fmt else {})}
            elif kind < 0.5:
                properties[prop] = {"type": "integer", "format": "int32", "minimum": -2147483648,
                                    "maximum": 2147483647, "nullable": True}
            elif kind < 0.6:
                properties[prop] = {"anyOf": [{"$ref": f"#/components/schemas/{rng.choice(enum_names)}"},
                                              {"type": "object", "nullable": True}]}
            elif kind < 0.75 and i:
                target = entity_names[rng.randrange(i)]
                properties[prop] = {"type": "array", "items": {"$ref": f"#/components/schemas/{target}"},
                                    "description": _description(rng)}
            elif kind < 0.85:
                properties[prop] = {"type": "object", "properties": {
                    "displayName": {"type": "string", "nullable": True},
                    "count": {"type": "integer", "format": "int64"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                }}
            else:
                properties[prop] = {"type": "boolean", "description": _description(rng)}
        properties["@odata.type"] = {"type": "string", "default": "#" + name}
        schemas[name] = {"allOf": [
            {"$ref": "#/components/schemas/microsoft.graph.entity"},
            {"title": name.split(".")[-1], "type": "object", "description": _description(rng),
             "properties": properties},
        ]}
        schemas[f"{name}CollectionResponse"] = {"type": "object", "properties": {
            "@odata.nextLink": {"type": "string", "nullable": True},
            "value": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
        }}
    parameters = {
        "top": {"name": "$top", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        "skip": {"name": "$skip", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        "filter": {"name": "$filter", "in": "query", "schema": {"type": "string"}},
        "count": {"name": "$count", "in": "query", "schema": {"type": "boolean"}},
    }
    error = {"description": "error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/odata.error"}}}}
    paths: dict[str, Any] = {}
    made = 0
    for name in entity_names:
        short = name.split(".")[-1]
        ref = {"$ref": f"#/components/schemas/{name}"}
        body = {"required": True, "content": {"application/json": {"schema": ref}}}
        one = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        select = {"name": "$select", "in": "query", "style": "form", "explode": False, "schema": {
            "type": "array", "uniqueItems": True, "items": {"type": "string", "enum": sorted(
                schemas[name]["allOf"][1]["properties"])}}}
        key = {"name": f"{short}-id", "in": "path", "required": True, "schema": {"type": "string"},
               "description": f"The unique identifier of {short}"}
        common = {"tags": [f"{short}s.{short}"], "responses": {"4XX": error, "5XX": error}}
        paths[f"/{short}s"] = {
            "get": {**common, "operationId": f"{short}s.List{short}", "summary": _description(rng),
                    "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters] + [select],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{name}CollectionResponse"}}}},
                        **common["responses"]}},
            "post": {**common, "operationId": f"{short}s.Create{short}", "requestBody": body,
                     "responses": {"201": one, **common["responses"]}},
        }
        paths[f"/{short}s/{{{short}-id}}"] = {
            "parameters": [key],
            "get": {**common, "operationId": f"{short}s.Get{short}", "parameters": [select],
                    "responses": {"200": one, **common["responses"]}},
            "patch": {**common, "operationId": f"{short}s.Update{short}", "requestBody": body,
                      "responses": {"204": {"description": "Success"}, **common["responses"]}},
        }
        made += 4
        if made >= operations:
            break
    return {
        "openapi": "3.0.4",
        "info": {"title": "Graph-like", "version": "v1.0", "description": _description(rng)},
        "servers": [{"url": "https://graph.example.com/v1.0"}],
        "paths": paths,
        "components": {"schemas": schemas, "parameters": parameters,
                       "securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {
                           "tokenUrl": "https://login.example.com/token", "scopes": {}}}}}},
        "security": [{"oauth": []}],
    }


if __name__ == "__main__":
    json.dump(document(int(sys.argv[1])), sys.stdout, indent=2)
