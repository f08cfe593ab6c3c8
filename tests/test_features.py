"""The generated client against the generated server (in process) for a document with many
shapes: parameter locations and styles, JSON, multipart and binary bodies, text and empty
responses, three security schemes, typed errors, server-variable base URLs."""

from __future__ import annotations

import asyncio
import base64
import importlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import MISSING

from generator.pipeline import generate

SPEC = Path(__file__).parent / "fixtures" / "features.openapi.yaml"


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("features")
    for path, text in generate(SPEC, "features").files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    sys.path.insert(0, str(root))
    try:
        yield SimpleNamespace(
            models=importlib.import_module("features.models"),
            client=importlib.import_module("features.client"),
            server=importlib.import_module("features.server"),
        )
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == "features" or n.startswith("features.")]:
            del sys.modules[name]


class Service:
    """Records what each operation received; answers from a small in-memory store."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.seen: dict[str, Any] = {}
        self.pets: dict[int, Any] = {}

    async def list_pets(self, **kwargs: Any) -> list[Any]:
        self.seen["list_pets"] = kwargs
        return list(self.pets.values())

    async def create_pet(self, *, body: Any) -> Any:
        self.seen["create_pet"] = body
        if any(p.name == body.name for p in self.pets.values()):
            raise HTTPException(409)
        pet = self.models.Pet(id=len(self.pets) + 1, **body.model_dump())
        self.pets[pet.id] = pet
        return pet

    async def get_pet(self, *, pet_id: int) -> Any:
        if pet_id not in self.pets:
            raise HTTPException(404)
        return self.pets[pet_id]

    async def delete_pet(self, *, pet_id: int) -> None:
        self.pets.pop(pet_id, None)

    async def upload_photo(self, *, pet_id: int, body: bytes | None) -> str:
        return f"pet {pet_id}: {len(body or b'')} bytes"

    async def create_owner(self, *, body: Any) -> Any:
        self.seen["create_owner"] = body
        return self.models.Owner(contact=body.name)

    async def authenticate_api_key(self, credential: str) -> bool:
        return credential == "key-1"

    async def authenticate_tenant(self, credential: str) -> bool:
        return credential == "acme"

    async def authenticate_basic(self, username: str, password: str) -> bool:
        return (username, password) == ("ada", "pw")

    async def authenticate_o_auth(self, credential: str, scopes: tuple[str, ...]) -> bool:
        return credential == "oauth-token"


@pytest.fixture
def world(gen: SimpleNamespace) -> Iterator[SimpleNamespace]:
    service = Service(gen.models)
    # Paths are relative to the server URL (https://eu.example.com/v2): mount the app there.
    site = FastAPI()
    site.mount("/v2", gen.server.create_app(service))
    http = TestClient(site, base_url="https://eu.example.com/v2")
    yield SimpleNamespace(gen=gen, service=service, http=http)
    http.close()


def client(world: SimpleNamespace, **credentials: Any) -> Any:
    if "api_key" in credentials:
        credentials.setdefault("tenant", "acme")  # the API key goes with a tenant (AND)
    return world.gen.client.Client(http_client=world.http, **credentials)


def test_default_base_url_takes_server_variable_defaults(gen: SimpleNamespace) -> None:
    assert gen.client.DEFAULT_BASE_URL == "https://eu.example.com/v2"


def test_json_body_flattened_into_keywords_and_aliases(world: SimpleNamespace) -> None:
    api = client(world, api_key="key-1").pets
    pet = api.create_pet(name="Rex", kind=world.gen.models.Kind.DOG, class_="good", extra={"a": 1})
    assert isinstance(pet, world.gen.models.Pet) and pet.id == 1
    body = world.service.seen["create_pet"]
    assert body.class_ == "good" and body.extra == {"a": 1}
    assert "weight" not in body.model_fields_set  # MISSING: not sent at all
    assert api.get_pet(pet_id=1).name == "Rex"


def test_query_header_cookie_parameters(world: SimpleNamespace) -> None:
    request_id = uuid.uuid4()
    client(world, api_key="key-1").pets.list_pets(
        limit=5, tags=["a", "b"], x_request_id=request_id, session="s1"
    )
    seen = world.service.seen["list_pets"]
    assert seen["limit"] == 5 and seen["tags"] == ["a", "b"]
    assert seen["x_request_id"] == request_id and seen["session"] == "s1"


def test_server_applies_its_default_when_the_client_sends_none(world: SimpleNamespace) -> None:
    client(world, api_key="key-1").pets.list_pets()
    assert world.service.seen["list_pets"]["limit"] == 20


def test_security_alternatives(world: SimpleNamespace) -> None:
    for good in ({"basic": ("ada", "pw")}, {"o_auth": "oauth-token"}, {"api_key": "key-1"}):
        assert client(world, **good).pets.list_pets() == []
    errors = world.gen.client
    bad: list[dict[str, Any]] = [{}, {"api_key": "wrong"}, {"basic": ("ada", "no")},
                                 {"api_key": "key-1", "tenant": "other"}]
    for credentials in bad:
        with pytest.raises(errors.UnauthorizedError):
            client(world, **credentials).pets.list_pets()
    # An operation with `security: []` needs nothing.
    client(world).pets.delete_pet(pet_id=99)


def test_typed_errors(world: SimpleNamespace) -> None:
    api = client(world, api_key="key-1").pets
    with pytest.raises(world.gen.client.NotFoundError) as missing:
        api.get_pet(pet_id=7)
    assert missing.value.status_code == 404
    api.create_pet(name="Rex")
    with pytest.raises(world.gen.client.ConflictError):
        api.create_pet(name="Rex")


def test_binary_body_and_text_response(world: SimpleNamespace) -> None:
    caption = client(world, api_key="key-1").photos.upload_photo(pet_id=3, body=b"\x89PNG....")
    assert caption == "pet 3: 8 bytes"


def test_multipart_body_with_a_file(world: SimpleNamespace) -> None:
    owner = client(world, api_key="key-1").default.create_owner(name="Ada", avatar=b"img")
    assert owner.contact == "Ada"
    body = world.service.seen["create_owner"]
    assert body.name == "Ada" and body.avatar == b"img"


def test_no_content_returns_none(world: SimpleNamespace) -> None:
    assert client(world).pets.delete_pet(pet_id=1) is None


def test_async_client(world: SimpleNamespace) -> None:
    app = world.http.app

    async def run() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://eu.example.com/v2") as http:
            api = world.gen.client.AsyncClient(http_client=http, api_key="key-1", tenant="acme")
            await api.pets.create_pet(name="Tom")
            return await api.pets.list_pets(limit=1)

    pets = asyncio.run(run())
    assert [p.name for p in pets] == ["Tom"]


def test_basic_credentials_are_encoded(world: SimpleNamespace) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(record), base_url="https://x")
    api = world.gen.client.Client(http_client=http, basic=("ada", "pw"), api_key="k", tenant="t")
    api.pets.list_pets(tags=["a", "b"], limit=MISSING)
    # The first alternative whose credentials are all configured: the API key and the tenant.
    assert sent[0].headers["X-Api-Key"] == "k" and sent[0].url.params["tenant"] == "t"
    assert "Authorization" not in sent[0].headers
    assert sent[0].url.params.get_list("tags") == ["a", "b"] and "limit" not in sent[0].url.params
    world.gen.client.Client(http_client=http, basic=("ada", "pw")).pets.list_pets()
    assert sent[1].headers["Authorization"] == "Basic " + base64.b64encode(b"ada:pw").decode()
