"""A deterministic, Kubernetes-shaped Swagger 2.0 document of any size.

Shapes taken from the Kubernetes API description: `definitions` that reference each other
(`metadata`, `spec`, arrays and maps of other definitions), `x-nullable` and
`x-kubernetes-*` extensions, path-level parameters shared by the operations under a path,
`body` parameters, `consumes`/`produces`, tags by API group and an API-key security scheme.
apismith converts it to OpenAPI 3.0 first, so it measures the conversion at scale too.

    python benchmarks/kubelike.py OPERATIONS > kube.json
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

_TYPES = ("string", "integer", "boolean", "ref", "array", "map")


def _definition(rng: random.Random, index: int, count: int) -> dict[str, Any]:
    props: dict[str, Any] = {
        "apiVersion": {"type": "string", "description": "APIVersion defines the versioned schema."},
        "kind": {"type": "string"},
        "metadata": {"$ref": "#/definitions/ObjectMeta"},
        "spec": {"$ref": f"#/definitions/Def{rng.randrange(count)}Spec"},
    }
    for j in range(rng.randint(3, 12)):
        kind = rng.choice(_TYPES)
        if kind == "ref":
            props[f"f{j}"] = {"$ref": f"#/definitions/Def{rng.randrange(count)}Spec", "description": "a reference"}
        elif kind == "array":
            props[f"f{j}"] = {"type": "array", "items": {"$ref": f"#/definitions/Def{rng.randrange(count)}"}}
        elif kind == "map":
            props[f"f{j}"] = {"type": "object", "additionalProperties": {"type": "string"}}
        else:
            props[f"f{j}"] = {"type": kind, "x-nullable": rng.random() < 0.3,
                              "description": "field " * rng.randint(3, 30)}
    return {"type": "object", "properties": props, "required": ["kind"],
            "x-kubernetes-group-version-kind": [{"group": "", "kind": f"Def{index}", "version": "v1"}]}


def document(operations: int, seed: int = 0) -> dict[str, Any]:
    """Four operations (list, create, read, delete) per resource, one definition per two."""
    rng = random.Random(seed)
    count = max(2, operations // 2)
    definitions: dict[str, Any] = {}
    for i in range(count):
        definitions[f"Def{i}"] = _definition(rng, i, count)
        definitions[f"Def{i}Spec"] = {"type": "object", "properties": {
            "replicas": {"type": "integer", "format": "int32"},
            "selector": {"type": "object", "additionalProperties": {"type": "string"}}}}
    definitions["ObjectMeta"] = {"type": "object", "properties": {
        "name": {"type": "string"}, "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}
    paths: dict[str, Any] = {}
    for i in range(max(1, operations // 4)):
        ref = {"$ref": f"#/definitions/Def{rng.randrange(count)}"}
        tags = [f"group{i % 40}"]
        base = f"/apis/group{i}/v1/namespaces/{{namespace}}/things{i}"
        common = [{"name": "namespace", "in": "path", "required": True, "type": "string"},
                  {"name": "pretty", "in": "query", "type": "string", "uniqueItems": True}]
        paths[base] = {
            "parameters": common,
            "get": {"operationId": f"list{i}", "tags": tags, "produces": ["application/json", "application/yaml"],
                    "parameters": [{"name": "limit", "in": "query", "type": "integer"},
                                   {"name": "labelSelector", "in": "query", "type": "string"}],
                    "responses": {"200": {"description": "OK", "schema": {"type": "array", "items": ref}},
                                  "401": {"description": "Unauthorized"}}},
            "post": {"operationId": f"create{i}", "tags": tags, "consumes": ["*/*"],
                     "parameters": [{"name": "body", "in": "body", "required": True, "schema": ref},
                                    {"name": "dryRun", "in": "query", "type": "string"}],
                     "responses": {"200": {"description": "OK", "schema": ref},
                                   "201": {"description": "Created", "schema": ref}}},
        }
        paths[base + "/{name}"] = {
            "parameters": [*common, {"name": "name", "in": "path", "required": True, "type": "string"}],
            "get": {"operationId": f"read{i}", "tags": tags,
                    "responses": {"200": {"description": "OK", "schema": ref}}},
            "delete": {"operationId": f"delete{i}", "tags": tags,
                       "parameters": [{"name": "gracePeriodSeconds", "in": "query", "type": "integer"}],
                       "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/ObjectMeta"}}}},
        }
    return {"swagger": "2.0", "info": {"title": "Kubernetes-like", "version": "unversioned"},
            "host": "k8s.local", "basePath": "/", "schemes": ["https"],
            "securityDefinitions": {"BearerToken": {"type": "apiKey", "in": "header", "name": "authorization"}},
            "security": [{"BearerToken": []}], "paths": paths, "definitions": definitions}


if __name__ == "__main__":
    print(json.dumps(document(int(sys.argv[1])), indent=1))
