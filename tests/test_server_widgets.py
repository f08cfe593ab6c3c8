"""The generated server for tests/fixtures/server.openapi.yaml, in process, called with raw
requests: every parameter style decoded, several request media types, per-status replies
with headers, the spec's own 422 shape, security scopes, startup checks."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from serverkit import documented, imported, served, widgets_folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = widgets_folder(tmp_path_factory.mktemp("widgets"))
    with imported(root, "widgets", "widgets.server", "widgets.models", "widgets_service") as mods:
        server, models, service_module = mods
        service = service_module.WidgetService()
        app = server.create_app(service)
        with TestClient(app) as http:
            yield SimpleNamespace(server=server, models=models, module=service_module,
                                  service=service, app=app, http=http, root=root)


BEARER = {"Authorization": "Bearer good-token"}


def echo(world: SimpleNamespace, url: str, **kwargs: Any) -> Any:
    response = world.http.get(url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------------- parameter styles


def test_path_simple_label_matrix(world: SimpleNamespace) -> None:
    point = {"model": "Point", "x": 1, "y": 2}
    assert echo(world, "/simple/3,4,5/x=1,y=2") == {"ids": [3, 4, 5], "point": point}
    assert echo(world, "/labels/.3,4,5/.x=1.y=2") == {"ids": [3, 4, 5], "point": point}
    assert echo(world, "/matrix/;ids=3;ids=4;ids=5/;point=x,1,y,2") == {"ids": [3, 4, 5], "point": point}


def test_query_styles(world: SimpleNamespace) -> None:
    url = ("/query?exploded=1&exploded=2&csv=3,4&spaced=5%206&piped=7|8"
           "&point[x]=1&point[y]=2&flat=x,3,y,4&when=2024-02-29")
    assert echo(world, url) == {
        "exploded": [1, 2], "csv": [3, 4], "spaced": [5, 6], "piped": [7, 8],
        "point": {"model": "Point", "x": 1, "y": 2}, "flat": {"model": "Point", "x": 3, "y": 4},
        "when": {"date": "2024-02-29"}, "size": 10,
    }


def test_absent_optional_parameters_are_missing_and_defaults_apply(world: SimpleNamespace) -> None:
    seen = echo(world, "/query")
    assert seen["size"] == 10
    assert {k: v for k, v in seen.items() if k != "size"} == dict.fromkeys(
        ["exploded", "csv", "spaced", "piped", "point", "flat", "when"], "<missing>")


def test_header_and_cookie_arrays_and_objects(world: SimpleNamespace) -> None:
    world.http.cookies.set("prefs", "1,2,3")
    try:
        response = world.http.get("/widgets/1", headers={"X-Tags": "a, b,c", "X-Dims": "w=3,h=4"})
    finally:
        world.http.cookies.clear()
    assert response.status_code == 200
    seen = world.service.seen["get_widget"]
    assert seen["x_tags"] == ["a", "b", "c"] and seen["prefs"] == [1, 2, 3]
    assert seen["x_dims"] == world.models.Dims(w=3, h=4)


def test_absent_is_distinguished_from_null(world: SimpleNamespace) -> None:
    world.http.get("/widgets/1")
    assert world.service.seen["get_widget"]["meta"] is world.module.MISSING
    world.http.get("/widgets/1", params={"meta": "null"})
    assert world.service.seen["get_widget"]["meta"] is None
    world.http.get("/widgets/1", params={"meta": '{"a": 5}'})
    assert world.service.seen["get_widget"]["meta"] == world.models.Meta(a=5)


def test_invalid_parameters_answer_fastapi_422_shape(world: SimpleNamespace) -> None:
    response = world.http.get("/query?csv=1,x&size=99&point[x]=1")
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("int_parsing", ["query", "csv", 1]),
        ("missing", ["query", "point", "y"]),
        ("less_than_equal", ["query", "size"]),
    ] or sorted(e["loc"][1] for e in errors) == ["csv", "point", "size"]
    assert all({"type", "loc", "msg", "input"} <= set(e) for e in errors)
    path = world.http.get("/simple/1,a/x=1,y=2")
    assert path.status_code == 422 and path.json()["detail"][0]["loc"] == ["path", "ids", 1]


# ---------------------------------------------------------------------- request bodies


def test_request_body_media_types_dispatch_on_content_type(world: SimpleNamespace) -> None:
    http = world.http
    assert http.put("/widgets/7", json={"name": "json", "tags": ["a"]}, headers=BEARER).status_code == 201
    assert world.service.seen["put_widget"]["body"] == world.models.Widget(name="json", tags=["a"])
    form = http.put("/widgets/8", data={"name": "form", "tags": ["a", "b"]}, headers=BEARER)
    assert form.status_code == 201
    assert world.service.seen["put_widget"]["body"] == world.models.Widget(name="form", tags=["a", "b"])
    multi = http.put("/widgets/9", data={"name": "multi"}, files={"picture": ("p.png", b"\x89PNG")},
                     headers=BEARER)
    assert multi.status_code == 201
    body = world.service.seen["put_widget"]["body"]
    assert isinstance(body, world.models.PutWidgetBody) and body.picture == b"\x89PNG"
    other = http.put("/widgets/9", content=b"<x/>", headers={**BEARER, "Content-Type": "text/xml"})
    assert other.status_code == 415


def test_missing_and_invalid_body(world: SimpleNamespace) -> None:
    missing = world.http.put("/widgets/7", headers=BEARER)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body"]
    invalid = world.http.put("/widgets/7", json={"name": ""}, headers=BEARER)
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["body", "name"]


# ---------------------------------------------------------------------- responses


def test_reply_classes_carry_status_body_and_headers(world: SimpleNamespace) -> None:
    found = world.http.get("/widgets/1")
    assert found.status_code == 200 and found.json() == {"id": 1, "name": "one"}
    assert found.headers["X-Rate-Remaining"] == "41" and found.headers["X-Trace"] == "t-1"
    plain = world.http.get("/widgets/1", headers={"X-Tags": "plain"})
    assert plain.status_code == 200 and "X-Rate-Remaining" not in plain.headers
    missing = world.http.get("/widgets/404")
    assert missing.status_code == 404 and missing.json() == {"title": "No such widget", "status": 404}


def test_created_unchanged_and_range_statuses(world: SimpleNamespace) -> None:
    http = world.http
    created = http.put("/widgets/20", json={"name": "w"}, headers=BEARER)
    assert created.status_code == 201 and created.headers["Location"] == "/widgets/20"
    unchanged = http.put("/widgets/20", json={"name": "w"}, headers=BEARER)
    assert unchanged.status_code == 204 and unchanged.content == b""
    replaced = http.put("/widgets/20", json={"name": "v"}, headers=BEARER)
    assert replaced.status_code == 200 and replaced.json() == {"id": 20, "name": "v"}
    teapot = http.put("/widgets/20", json={"name": "teapot"}, headers=BEARER)
    assert teapot.status_code == 418 and teapot.json()["title"] == "I am a teapot"


def test_spec_error_model_answers_invalid_requests(world: SimpleNamespace) -> None:
    response = world.http.get("/widgets/notanumber")
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and "widgetId" in body["detail"] and body["title"]


def test_validation_error_hook_overrides_the_shape(world: SimpleNamespace) -> None:
    class Hooked(world.module.WidgetService):  # type: ignore[name-defined,misc]
        async def validation_error(self, errors: list[dict[str, Any]], request: Any) -> Any:
            return world.models.Problem(title="hooked", status=len(errors))

    with TestClient(world.server.create_app(Hooked())) as http:
        body = http.get("/widgets/x").json()
    assert body == {"title": "hooked", "status": 1}


# ---------------------------------------------------------------------- security


def test_bearer_and_basic_credentials_reach_the_implementation(world: SimpleNamespace) -> None:
    refused = world.http.put("/widgets/1", json={"name": "x"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    basic = base64.b64encode(b"ada:pw").decode()
    reply = world.http.get("/secure/basic", headers={"Authorization": f"Basic {basic}"})
    assert reply.status_code == 200 and reply.text == "hello ada"


def test_oauth_scopes_reach_the_handler_and_403_when_insufficient(world: SimpleNamespace) -> None:
    reader = echo(world, "/secure/read", headers={"Authorization": "Bearer reader"})
    assert reader == {"scheme": "oauth", "principal": "reader", "scopes": ["secrets:read"]}
    nobody = world.http.get("/secure/read", headers={"Authorization": "Bearer nobody"})
    assert nobody.status_code == 403
    assert nobody.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="secrets:read"'
    unknown = world.http.get("/secure/read", headers={"Authorization": "Bearer who"})
    assert unknown.status_code == 401


def test_second_alternative_matches(world: SimpleNamespace) -> None:
    world.http.cookies.set("key", "k1")
    try:
        seen = echo(world, "/secure/read")
    finally:
        world.http.cookies.clear()
    assert seen == {"scheme": "apiKey", "principal": "key-user", "scopes": []}


# ---------------------------------------------------------------------- startup and document


def test_create_app_lists_what_is_missing(world: SimpleNamespace) -> None:
    class Partial:
        async def get_widget(self, **kwargs: Any) -> None: ...

    with pytest.raises(TypeError) as info:
        world.server.create_app(Partial())
    message = str(info.value)
    assert message.startswith("Partial does not implement: put_widget, label_path")
    assert message.endswith("authenticate_api_key, authenticate_oauth")
    assert "get_widget" not in message


def test_openapi_documents_spec_names_styles_and_schemas(world: SimpleNamespace) -> None:
    document = world.app.openapi()
    operation = document["paths"]["/widgets/{widgetId}"]["get"]
    assert [(p["name"], p["in"]) for p in operation["parameters"]][:2] == [
        ("widgetId", "path"), ("X-Tags", "header")]
    matrix = document["paths"]["/matrix/{ids}/{point}"]["get"]["parameters"][0]
    assert (matrix["style"], matrix["explode"], matrix["schema"]["type"]) == ("matrix", True, "array")
    put = document["paths"]["/widgets/{widgetId}"]["put"]
    assert list(put["requestBody"]["content"]) == [
        "application/json", "application/x-www-form-urlencoded", "multipart/form-data"]


def test_routes_serve_what_the_document_describes(world: SimpleNamespace) -> None:
    """Every documented operation is routed, decoding the parameters the document lists."""
    assert served(world.app) == documented(world.app.openapi())


def test_server_import_is_lazy(world: SimpleNamespace) -> None:
    """Importing the server package does not import the models (they load on first use)."""
    import subprocess
    import sys

    code = "import sys, widgets.server; print('widgets.models' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=world.root, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
