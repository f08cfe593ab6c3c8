"""Response metadata, errors, deprecation and the base URL of the generated client: against
the generated FastAPI server over a socket where it can express the case, else a recording
Starlette app. Sync and async."""

from __future__ import annotations

import importlib
import json
import warnings
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from client_support import MODES, Recorder, one, serve
from starlette.responses import Response


class Pets:
    """A test implementation of the generated server's pets operations."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.pets: list[Any] = []

    async def list_pets(self, *, limit: Any, ids: Any) -> list[Any]:
        return self.pets[:limit] if isinstance(limit, int) else self.pets  # absent: MISSING

    async def create_pet(self, *, body: Any) -> Any:
        pet = self.models.Pet(id=len(self.pets) + 1, **body.model_dump())
        self.pets.append(pet)
        return pet

    def __getattr__(self, name: str) -> Any:  # the other operations: not called by these tests
        async def not_called(**arguments: Any) -> Any:
            raise NotImplementedError(name)

        return not_called


@pytest.fixture(scope="module")
def fastapi_url(gen: SimpleNamespace) -> Iterator[str]:
    app_module = importlib.import_module(f"{gen.package}.server")
    with serve(app_module.create_app(Pets(gen.models))) as url:
        yield url


@pytest.mark.parametrize("mode", MODES)
def test_generated_server_round_trip_and_422_summary(
    gen: SimpleNamespace, fastapi_url: str, mode: str
) -> None:
    new_pet = gen.models.NewPet(name="Rex", tags=["good"])
    pet = one(mode, gen, lambda api: api.pets.create_pet(body=new_pet), base_url=fastapi_url)
    assert pet.name == "Rex" and pet.tags == ["good"]
    with pytest.raises(gen.client.UnprocessableEntityError) as caught:
        one(mode, gen, lambda api: api.pets.list_pets(limit=500), base_url=fastapi_url)
    text = str(caught.value)
    assert text.startswith(f"422 Unprocessable Entity for GET {fastapi_url}/pets?limit=500: ")
    assert text.endswith("query.limit: Input should be less than or equal to 100")


@pytest.mark.parametrize("mode", MODES)
def test_with_response_status_typed_headers_and_body(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    headers = {"Location": "/api/pets/9", "X-Rate-Remaining": "41"}
    body = json.dumps({"id": 9, "name": "Rex"})
    recorder.on("POST", "/api/pets", Response(body, 201, headers, media_type="application/json"))
    result = one(mode, gen, lambda api: api.pets.with_response.create_pet(name="Rex"),
                 base_url=url)
    assert isinstance(result, gen.client.ApiResponse) and result.ok
    assert result.status_code == 201 and result.headers["location"] == "/api/pets/9"
    headers_class = importlib.import_module(f"{gen.package}.client.pets").CreatePetHeaders
    assert result.declared_headers == headers_class(location="/api/pets/9", x_rate_remaining=41)
    assert result.data == gen.models.Pet(id=9, name="Rex") and result.unwrap() == result.data
    # The model instance instead of the fields, form-encoded: the overloads' runtime path.
    again = one(mode, gen, lambda api: api.pets.with_response.create_pet(
        body=gen.models.NewPet(name="Max"), content_type="application/x-www-form-urlencoded"),
        base_url=url)
    assert again.declared_headers == result.declared_headers
    assert recorder.last().body == b"name=Max"


@pytest.mark.parametrize("mode", MODES)
def test_declared_headers_are_typed_required_checked_and_raw_headers_kept(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    body = json.dumps({"id": 1, "name": "Rex"})

    def answer(headers: dict[str, str]) -> Response:
        return Response(body, 200, headers, media_type="application/json")

    recorder.then("PATCH", "/api/pets/1", answer({"ETag": '"v2"', "X-Tags": "1, 2,3"}),
                  answer({"ETag": '"v3"'}), answer({"X-Tags": "1"}),
                  answer({"ETag": '"v4"', "X-Tags": "1,two"}))
    headers_class = importlib.import_module(f"{gen.package}.client.pets").UpdatePetHeaders
    full, partial, missing, malformed = [
        one(mode, gen, lambda api: api.pets.with_response.update_pet(id=1), base_url=url)
        for _ in range(4)]
    assert full.ok and full.declared_headers == headers_class(e_tag='"v2"', x_tags=[1, 2, 3])
    assert full.headers["x-tags"] == "1, 2,3"  # the raw headers stay as they came
    assert partial.ok and partial.declared_headers == headers_class(e_tag='"v3"')
    assert partial.declared_headers.x_tags is None
    with pytest.raises(AttributeError, match="read-only"):
        partial.declared_headers.e_tag = "changed"
    assert repr(partial.declared_headers) == """UpdatePetHeaders(e_tag='"v3"', x_tags=None)"""
    for bad, reason in ((missing, "required header ETag is missing"),
                        (malformed, "header X-Tags does not match its schema")):
        assert not bad.ok and bad.data is None and bad.declared_headers is None
        assert isinstance(bad.error, gen.client.InvalidResponseError)
        assert reason in str(bad.error) and bad.status_code == 200
        with pytest.raises(gen.client.InvalidResponseError):
            bad.unwrap()
    # The plain call neither parses nor checks headers: it returns the body.
    recorder.then("PATCH", "/api/pets/1", answer({}))
    assert one(mode, gen, lambda api: api.pets.update_pet(id=1), base_url=url).name == "Rex"
    # An operation whose responses declare no headers has an empty headers object.
    recorder.on("GET", "/api/pets", Response("[]", 200, media_type="application/json"))
    empty = one(mode, gen, lambda api: api.pets.with_response.list_pets(), base_url=url)
    assert empty.ok and type(empty.declared_headers) is gen.client.Headers


@pytest.mark.parametrize("mode", MODES)
def test_a_streamed_response_has_typed_headers_too(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.then("GET", "/api/ticks",
                  Response(b'{"n": 1}\n{"n": 2}\n', headers={"X-Total": "2"},
                           media_type="application/x-ndjson"),
                  Response(b'{"n": 1}\n', headers={"X-Total": "many"},
                           media_type="application/x-ndjson"))

    def step(api: Any) -> Any:
        if mode == "sync":
            result = api.streams.with_response.ticks()
            return result, list(result.unwrap())

        async def run() -> Any:
            result = await api.streams.with_response.ticks()
            return result, [item async for item in result.unwrap()]

        return run()

    result, items = one(mode, gen, step, base_url=url)
    assert result.declared_headers.x_total == 2 and [i.n for i in items] == [1, 2]
    bad = one(mode, gen, lambda api: api.streams.with_response.ticks(), base_url=url)
    assert isinstance(bad.error, gen.client.InvalidResponseError) and bad.data is None
    assert bad.response.is_closed  # the stream it would have handed out is closed


@pytest.mark.parametrize("mode", MODES)
def test_with_response_does_not_raise_and_errors_summarise_the_body(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    detail = {"detail": [{"loc": ["body", "name"], "msg": "Field required"},
                         {"loc": ["body", "age"], "msg": "Not a number"}]}
    recorder.on("POST", "/api/pets", Response(json.dumps(detail), 422,
                                              media_type="application/json"))
    result = one(mode, gen, lambda api: api.pets.with_response.create_pet(name="Rex"),
                 base_url=url)
    assert not result.ok and result.status_code == 422 and result.data is None
    error = result.error
    assert isinstance(error, gen.client.UnprocessableEntityError)
    assert isinstance(error.parsed, gen.models.ValidationErrors)
    assert str(error) == (f"422 Unprocessable Entity for POST {url}/pets: "
                          "body.name: Field required (and 1 more)")
    with pytest.raises(gen.client.UnprocessableEntityError):
        result.unwrap()
    recorder.on("GET", "/api/flaky", Response("upstream down", 500))
    with pytest.raises(gen.client.InternalServerError) as caught:
        one(mode, gen, lambda api: api.ops.flaky_read(), base_url=url)
    assert str(caught.value) == (
        f"500 Internal Server Error for GET {url}/flaky: upstream down")


@pytest.mark.parametrize("mode", MODES)
def test_deprecated_operations_warn(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    _, url = server
    with pytest.warns(DeprecationWarning, match="legacy_list is deprecated"):
        one(mode, gen, lambda api: api.pets.legacy_list(), base_url=url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one(mode, gen, lambda api: api.pets.add_note(), base_url=url)  # not deprecated


def test_base_url_is_the_first_server_with_its_variables(gen: SimpleNamespace) -> None:
    client = gen.client
    assert client.DEFAULT_BASE_URL == "http://localhost:8080/api"
    assert client.server_url() == client.DEFAULT_BASE_URL
    assert client.server_url(host="pets.test", port="9000") == "http://pets.test:9000/api"
    for cls in (client.Client, client.AsyncClient):
        assert str(cls()._http.base_url) == "http://localhost:8080/api/"
        assert str(cls(client.server_url(port="1"))._http.base_url) == "http://localhost:1/api/"
