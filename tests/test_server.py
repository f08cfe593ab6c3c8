"""The generated server on shapes beyond the seed: raw (non-JSON) bodies, 204, path
parameters whose wire names are not identifiers, JSON-encoded query parameters."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from generator.pipeline import generate

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shapes", "version": "1"},
    "paths": {
        "/pages/{page-id}": {
            "get": {
                "operationId": "getPage",
                "parameters": [
                    {"name": "page-id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "filter", "in": "query", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}},
                ],
                "responses": {"200": {"description": "The page", "content": {"text/html": {
                    "schema": {"type": "string"}}}}},
            },
            "delete": {
                "operationId": "deletePage",
                "parameters": [{"name": "page-id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "Gone"}},
            },
        }
    },
}


class Service:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def get_page(self, *, page_id: int, filter: Any) -> str:
        self.calls.append(("get", (page_id, filter)))
        return f"<h1>page {page_id}</h1>"

    async def delete_page(self, *, page_id: int) -> None:
        self.calls.append(("delete", page_id))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("shapes")
    spec = root / "shapes.json"
    spec.write_text(json.dumps(SPEC))
    for path, text in generate(spec, "shapes").files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("shapes.server")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == "shapes" or n.startswith("shapes.")]:
            del sys.modules[name]


def test_text_response_is_sent_as_text(package: ModuleType) -> None:
    service = Service()
    client = TestClient(package.create_app(service))
    response = client.get("/pages/7", params={"filter": '{"q": "x"}'})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<h1>page 7</h1>"  # not a JSON-encoded string
    [(_, (page_id, filter))] = service.calls
    assert page_id == 7 and filter.q == "x"  # the JSON-encoded parameter arrives decoded


def test_no_content_response(package: ModuleType) -> None:
    service = Service()
    response = TestClient(package.create_app(service)).delete("/pages/3")
    assert response.status_code == 204 and response.content == b""
    assert service.calls == [("delete", 3)]


def test_document_keeps_wire_names_and_media_types(package: ModuleType) -> None:
    document = package.create_app(Service()).openapi()
    operation = document["paths"]["/pages/{page-id}"]["get"]
    assert operation["responses"]["200"]["content"] == {"text/html": {"schema": {"type": "string"}}}
    assert [p["name"] for p in operation["parameters"]] == ["page-id", "filter"]


def test_path_parameter_is_bound_by_python_name(package: ModuleType) -> None:
    assert Path(package.__file__).parent.joinpath("default.py").read_text().count("{page_id}") == 2


def test_yaml_dates_in_the_document_become_iso_text(tmp_path: Path) -> None:
    spec = tmp_path / "dated.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: Dated, version: '1'}\npaths:\n  /d:\n    get:\n"
        "      parameters: [{name: since, in: query, schema: {type: string, format: date},"
        " example: 2020-01-02}]\n      responses: {'204': {description: none}}\n"
    )
    document = json.loads(generate(spec, "dated").files["dated/server/openapi.json"])
    assert document["paths"]["/d"]["get"]["parameters"][0]["example"] == "2020-01-02"
