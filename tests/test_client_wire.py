"""What the generated client puts on the wire, asserted on the raw bytes a real server
received: every parameter style of the OpenAPI 3.1 style examples table, percent-encoding,
request bodies (media type choice, model or fields, optional, multipart). Sync and async."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from client_support import (
    MODES,
    Recorder,
    client_package,
    generated,
    one,
    recorder_app,
    serve,
)
from pydantic import MISSING

COLOR: dict[str, Any] = {
    "string": "blue",
    "array": ["blue", "black", "brown"],
    "object": {"R": 100, "G": 200, "B": 150},
}
SCHEMA: dict[str, Any] = {
    "string": {"type": "string"},
    "array": {"type": "array", "items": {"type": "string"}},
    "object": {"type": "object", "additionalProperties": {"type": "integer"}},
}
# The OpenAPI 3.1.1 style examples table (section 4.8.12.4; RFC 6570 for label), per
# location, style and explode: what a parameter named `color` is sent as.
TABLE: dict[tuple[str, str, bool], dict[str, str]] = {
    ("path", "simple", False): {"string": "blue", "array": "blue,black,brown",
                                "object": "R,100,G,200,B,150"},
    ("path", "simple", True): {"string": "blue", "array": "blue,black,brown",
                               "object": "R=100,G=200,B=150"},
    ("path", "label", False): {"string": ".blue", "array": ".blue,black,brown",
                               "object": ".R,100,G,200,B,150"},
    ("path", "label", True): {"string": ".blue", "array": ".blue.black.brown",
                              "object": ".R=100.G=200.B=150"},
    ("path", "matrix", False): {"string": ";color=blue", "array": ";color=blue,black,brown",
                                "object": ";color=R,100,G,200,B,150"},
    ("path", "matrix", True): {"string": ";color=blue",
                               "array": ";color=blue;color=black;color=brown",
                               "object": ";R=100;G=200;B=150"},
    ("query", "form", False): {"string": "color=blue", "array": "color=blue,black,brown",
                               "object": "color=R,100,G,200,B,150"},
    ("query", "form", True): {"string": "color=blue",
                              "array": "color=blue&color=black&color=brown",
                              "object": "R=100&G=200&B=150"},
    ("query", "spaceDelimited", False): {"array": "color=blue%20black%20brown",
                                         "object": "color=R%20100%20G%20200%20B%20150"},
    ("query", "pipeDelimited", False): {"array": "color=blue|black|brown",
                                        "object": "color=R|100|G|200|B|150"},
    ("query", "deepObject", True): {"object": "color[R]=100&color[G]=200&color[B]=150"},
    ("header", "simple", False): {"string": "blue", "array": "blue,black,brown",
                                  "object": "R,100,G,200,B,150"},
    ("header", "simple", True): {"string": "blue", "array": "blue,black,brown",
                                 "object": "R=100,G=200,B=150"},
    ("cookie", "form", False): {"string": "color=blue", "array": "color=blue,black,brown",
                                "object": "color=R,100,G,200,B,150"},
    ("cookie", "form", True): {"string": "color=blue",
                               "array": "color=blue; color=black; color=brown",
                               "object": "R=100; G=200; B=150"},
}
CASES = [(key, kind, wire) for key, row in TABLE.items() for kind, wire in row.items()]


def _op_id(location: str, style: str, explode: bool, kind: str) -> str:
    return f"{location}_{style.lower()}_{'x' if explode else 'n'}_{kind}"


def styles_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for (location, style, explode), kind, _ in CASES:
        op = _op_id(location, style, explode, kind)
        param = {"name": "color", "in": location, "style": style, "explode": explode,
                 "required": location == "path", "schema": SCHEMA[kind]}
        path = f"/{op}/{{color}}" if location == "path" else f"/{op}"
        paths[path] = {"get": {"operationId": op, "parameters": [param],
                               "responses": {"204": {"description": "ok"}}}}
    return {"openapi": "3.1.0", "info": {"title": "Styles", "version": "1"}, "paths": paths}


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[Recorder, str]]:
    recorder = Recorder()
    with serve(recorder_app(recorder)) as url:
        yield recorder, url


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("styles")
    spec = root / "styles.json"
    spec.write_text(json.dumps(styles_spec()))
    with generated(spec, "styles_pkg", root / "out") as gen:
        yield gen


@pytest.fixture(scope="module")
def gen() -> SimpleNamespace:
    return client_package()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("key", "kind", "wire"), CASES,
                         ids=[_op_id(*key, kind) for key, kind, _ in CASES])
def test_style_examples_table(styles: SimpleNamespace, recorder: tuple[Recorder, str],
                              mode: str, key: tuple[str, str, bool], kind: str, wire: str) -> None:
    server, url = recorder
    location = key[0]
    op = _op_id(*key, kind)
    one(mode, styles, lambda api: getattr(api.default, op)(color=COLOR[kind]), base_url=url)
    seen = server.last()
    if location == "path":
        assert seen.path == f"/{op}/{wire}"
    elif location == "query":
        assert seen.query == wire
    elif location == "header":
        assert seen.headers["color"] == wire
    else:
        assert seen.headers["cookie"] == wire


@pytest.mark.parametrize("mode", MODES)
def test_joining_commas_stay_literal_and_commas_in_items_are_encoded(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    server.on("GET", "/pets", lambda seen: _json([]))
    one(mode, gen, lambda api: api.pets.list_pets(ids=["1", "2,5", "a b/c&d"], limit=3),
        base_url=url)
    assert server.last("/pets").query == "limit=3&ids=1,2%2C5,a%20b%2Fc%26d"


@pytest.mark.parametrize("mode", MODES)
def test_absent_and_none_parameters_are_not_sent(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    server.on("GET", "/pets", lambda seen: _json([]))
    one(mode, gen, lambda api: api.pets.list_pets(limit=None, ids=MISSING), base_url=url)
    assert server.last("/pets").query == ""


def _json(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    from starlette.responses import Response

    return Response(json.dumps(value), status, headers, media_type="application/json")


PET = {"id": 1, "name": "Rex"}


@pytest.mark.parametrize("mode", MODES)
def test_body_by_fields_by_model_and_media_type_choice(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    server.on("POST", "/pets", lambda seen: _json(PET, 201))
    new_pet = gen.models.NewPet
    one(mode, gen, lambda api: api.pets.create_pet(name="Rex", age=None), base_url=url)
    seen = server.last("/pets")
    assert seen.headers["content-type"] == "application/json"
    assert json.loads(seen.body) == {"name": "Rex", "age": None}  # None is null; tags absent
    one(mode, gen, lambda api: api.pets.create_pet(body=new_pet(name="Tom", tags=["a", "b"])),
        base_url=url)
    assert json.loads(server.last("/pets").body) == {"name": "Tom", "tags": ["a", "b"]}
    one(mode, gen, lambda api: api.pets.create_pet(
        name="Ada Lovelace", tags=["x", "y"], content_type="application/x-www-form-urlencoded"),
        base_url=url)
    seen = server.last("/pets")
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen.body == b"name=Ada+Lovelace&tags=x&tags=y"
    with pytest.raises(TypeError, match="not both"):
        one(mode, gen, lambda api: api.pets.create_pet(body=new_pet(name="A"), name="B"),
            base_url=url)
    # Not validated on the client (as with every argument): the server reports what is wrong.
    one(mode, gen, lambda api: api.pets.create_pet(tags=["t"]), base_url=url)  # type: ignore
    assert json.loads(server.last("/pets").body) == {"tags": ["t"]}


@pytest.mark.parametrize("mode", MODES)
def test_media_types_of_other_schemas_are_sent_with_their_content_type(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    calls = [
        ({"name": "Rex"}, "application/json", b'{"name":"Rex"}'),
        ({"body": gen.models.ImportPetsBody(source="s3://x y"),
          "content_type": "application/x-www-form-urlencoded"},
         "application/x-www-form-urlencoded", b"source=s3%3A%2F%2Fx+y"),
        ({"body": "name\nRex\n", "content_type": "text/csv"}, "text/csv", b"name\nRex\n"),
        ({"body": b"\x00\xff", "content_type": "application/octet-stream"},
         "application/octet-stream", b"\x00\xff"),
    ]
    for arguments, media_type, wire in calls:
        one(mode, gen, lambda api, arguments=arguments: api.pets.import_pets(**arguments),
            base_url=url)
        seen = server.last("/import")
        assert (seen.headers["content-type"], seen.body) == (media_type, wire)


@pytest.mark.parametrize("mode", MODES)
def test_optional_bodies_can_be_omitted(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    server.on("PATCH", "/pets/7", lambda seen: _json(PET))
    one(mode, gen, lambda api: api.pets.update_pet(id=7), base_url=url)
    seen = server.last("/pets/7")
    assert seen.body == b"" and "content-type" not in seen.headers
    one(mode, gen, lambda api: api.pets.update_pet(id=7, name="Rex"), base_url=url)
    assert json.loads(server.last("/pets/7").body) == {"name": "Rex"}
    one(mode, gen, lambda api: api.pets.add_note(), base_url=url)
    assert server.last("/notes").body == b""
    one(mode, gen, lambda api: api.pets.add_note(body="héllo"), base_url=url)
    seen = server.last("/notes")
    assert seen.body == "héllo".encode() and seen.headers["content-type"] == "text/plain"


def _parts(seen: Any) -> list[tuple[dict[str, str], bytes]]:
    """The parts of a multipart/form-data body: (headers, content)."""
    boundary = re.search(r"boundary=([^;]+)", seen.headers["content-type"])
    assert boundary is not None
    out = []
    for chunk in seen.body.split(b"--" + boundary.group(1).encode())[1:-1]:
        head, _, content = chunk[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        out.append(({k.lower(): v for k, v in headers.items()}, content))
    return out


@pytest.mark.parametrize("mode", MODES)
def test_multipart_files_objects_and_encoding(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str, tmp_path: Path
) -> None:
    server, url = recorder
    photo = tmp_path / "cat.png"
    photo.write_bytes(b"\x89PNG-bytes")
    handle = io.BytesIO(b"from a file object")
    handle.name = "/somewhere/notes.txt"
    one(mode, gen, lambda api: api.files.upload(
        title="Cats", meta={"width": 640, "tags": ["a"]}, photo=photo,
        attachments=[b"raw", handle, ("report.csv", b"a,b\n", "text/csv")],
        labels=["x", "y"], note="# Hi"), base_url=url)
    parts = _parts(server.last("/upload"))
    by_name: dict[str, list[tuple[dict[str, str], bytes]]] = {}
    for headers, content in parts:
        name = re.search(r'name="([^"]+)"', headers["content-disposition"])
        assert name is not None
        by_name.setdefault(name.group(1), []).append((headers, content))
    title = by_name["title"][0]
    assert title[1] == b"Cats" and "filename" not in title[0]["content-disposition"]
    meta = by_name["meta"][0]
    assert meta[0]["content-type"] == "application/json"
    assert json.loads(meta[1]) == {"width": 640, "tags": ["a"]}
    photo_part = by_name["photo"][0]
    assert 'filename="cat.png"' in photo_part[0]["content-disposition"]
    assert photo_part[0]["content-type"] == "image/png" and photo_part[1] == b"\x89PNG-bytes"
    raw, file_object, tupled = by_name["attachments"]
    assert 'filename="attachments"' in raw[0]["content-disposition"] and raw[1] == b"raw"
    assert raw[0]["content-type"] == "application/octet-stream"
    assert 'filename="notes.txt"' in file_object[0]["content-disposition"]
    assert file_object[1] == b"from a file object"
    assert 'filename="report.csv"' in tupled[0]["content-disposition"]
    assert tupled[0]["content-type"] == "text/csv" and tupled[1] == b"a,b\n"
    assert [c for _, c in by_name["labels"]] == [b"x", b"y"]
    note = by_name["note"][0]
    assert note[0]["content-type"] == "text/markdown" and note[1] == b"# Hi"


@pytest.mark.parametrize("mode", MODES)
def test_multipart_body_as_model_instance(
    gen: SimpleNamespace, recorder: tuple[Recorder, str], mode: str
) -> None:
    server, url = recorder
    body = gen.models.UploadBody(photo=b"img", title="T")
    one(mode, gen, lambda api: api.files.upload(body=body), base_url=url)
    names = sorted(re.search(r'name="([^"]+)"', h["content-disposition"]).group(1)  # type: ignore[union-attr]
                   for h, _ in _parts(server.last("/upload")))
    assert names == ["photo", "title"]
