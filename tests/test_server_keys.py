"""Parameters whose value spreads over several query keys or cookies (tests/fixtures/
server_keys.openapi.yaml), served by uvicorn on 127.0.0.1 and called with raw httpx
requests: an exploded object takes only the keys no other parameter and no API key
claims (its declared properties, and undeclared ones only when it allows additional
properties); deepObject nests, wraps single array values and answers conflicts with 422;
cookies and delimited arrays keep every value sent."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from client_support import serve
from pydantic import MISSING, BaseModel
from serverkit import FIXTURES, imported, write_package

SPEC = FIXTURES / "server_keys.openapi.yaml"


def _shown(value: object) -> object:
    if value is MISSING:
        return "<missing>"
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True)
    return value


class Echo:
    """Answers every operation with what it received; records the credentials checked."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def __getattr__(self, name: str) -> Any:
        async def echo(**arguments: Any) -> dict[str, Any]:
            return {key: _shown(value) for key, value in arguments.items()}

        return echo

    async def authenticate_query_key(self, credential: str) -> object:
        self.keys.append(credential)
        return credential == "secret"

    async def authenticate_cookie_key(self, credential: str) -> object:
        self.keys.append(credential)
        return credential == "secret"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("keys")
    write_package(SPEC, "keys", root)
    with imported(root, "keys", "keys.server", "keys.client", "keys.models") as [server, client, models]:
        service = Echo()
        with serve(server.create_app(service)) as base, httpx.Client(base_url=base) as http:
            yield SimpleNamespace(http=http, base=base, service=service, client=client, models=models)


def get(live: SimpleNamespace, url: str, **kwargs: Any) -> Any:
    response = live.http.get(url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------------- exploded objects


def test_exploded_objects_leave_the_api_key_and_other_parameters(live: SimpleNamespace) -> None:
    live.service.keys.clear()
    seen = get(live, "/search?api_key=secret&limit=3&tags=a&tags=b&filter[kind]=cat"
                     "&filter[mine]=m&size=5&cursor=c&color=red&sort=new")
    assert live.service.keys == ["secret"]
    assert seen == {
        "limit": 3, "tags": ["a", "b"], "filter": {"kind": "cat"}, "filter_mine": "m",
        "attrs": {"color": "red"},  # not api_key, limit, tags, filter[...], size, cursor, sort
        "page": {"size": 5, "cursor": "c", "sort": ["new"]},  # not `limit`: its own parameter
    }


def test_the_api_key_is_no_property_where_the_operation_needs_none(live: SimpleNamespace) -> None:
    assert get(live, "/open?api_key=secret&color=red&api_key=again") == {"attrs": {"color": "red"}}
    assert get(live, "/open?api_key=secret") == {"attrs": "<missing>"}


def test_the_api_key_is_still_required_and_checked(live: SimpleNamespace) -> None:
    assert live.http.get("/search?color=red").status_code == 401
    assert live.http.get("/search?api_key=wrong&color=red").status_code == 401


def test_closed_object_takes_only_its_declared_properties(live: SimpleNamespace) -> None:
    """`additionalProperties: false`: an unrelated key (a cache buster) is no 422."""
    seen = get(live, "/labels?size=2&_=12345&sort=a&sort=b&x=1&x=2&y=3")
    assert seen["page"] == {"size": 2, "sort": ["a", "b"]}
    assert seen["labels"] == {"_": ["12345"], "x": ["1", "2"], "y": ["3"]}  # arrays: every value


def test_exploded_object_values_are_validated(live: SimpleNamespace) -> None:
    response = live.http.get("/labels?size=big")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page", "size"]


def test_generated_client_round_trips_exploded_objects_with_a_query_key(live: SimpleNamespace) -> None:
    models = live.models
    with live.client.Client(live.base, query_key="secret") as api:
        seen = api.default.search(limit=4, attrs={"color": "red", "shape": "round"},
                                  page=models.Page(size=1, cursor="c2"),
                                  filter=models.Filter(kind="dog"))
    assert seen == {
        "limit": 4, "tags": "<missing>", "filter": {"kind": "dog"}, "filter_mine": "<missing>",
        "attrs": {"color": "red", "shape": "round"}, "page": {"size": 1, "cursor": "c2"},
    }


# ---------------------------------------------------------------------- cookies and headers


def test_cookies_keep_repeats_and_spread_objects_leave_other_cookies(live: SimpleNamespace) -> None:
    cookie = "session=secret; ids=1; ids=2; theme=dark; lang=en; flat=a,1,b,2"
    seen = get(live, "/cookies", headers={"Cookie": cookie, "X-Dims": "w=3, h=4", "X-Pair": "w,5,h,6"})
    assert seen == {
        "ids": [1, 2],
        "prefs": {"theme": "dark", "lang": "en"},  # not session, ids or flat
        "flat": {"a": 1, "b": 2},
        "x_dims": {"w": 3, "h": 4},
        "x_pair": {"w": 5, "h": 6},
    }


def test_odd_name_value_pairs_are_422_not_truncated(live: SimpleNamespace) -> None:
    cookie = {"Cookie": "session=secret"}
    response = live.http.get("/cookies", headers={**cookie, "X-Pair": "w,5,h"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"], error["input"]) == ("value_error", ["header", "X-Pair"], "w,5,h")
    flat = live.http.get("/cookies", headers={"Cookie": "session=secret; flat=a,1,b"})
    assert flat.status_code == 422 and flat.json()["detail"][0]["loc"] == ["cookie", "flat"]


# ---------------------------------------------------------------------- delimited arrays


def test_delimited_arrays_keep_every_value(live: SimpleNamespace) -> None:
    seen = get(live, "/delimited?csv=1,2&csv=3&spaced=4%205&spaced=6&piped=7|8&piped=9&box=w|1|h|2")
    assert seen == {"csv": [1, 2, 3], "spaced": [4, 5, 6], "piped": [7, 8, 9], "box": {"w": 1, "h": 2}}
    assert get(live, "/delimited?spaced=4+5&piped=7%7C8") == {
        "csv": "<missing>", "spaced": [4, 5], "piped": [7, 8], "box": "<missing>"}
    assert get(live, "/delimited?csv=")["csv"] == []


# ---------------------------------------------------------------------- deepObject


def test_deep_object_nests_and_wraps_single_array_values(live: SimpleNamespace) -> None:
    seen = get(live, "/deep?where[name]=x&where[range][min]=1&where[range][max]=5&where[tags]=a"
                     "&where[raw][k]=v")
    assert seen == {"where": {"name": "x", "range": {"min": 1, "max": 5}, "tags": ["a"]},
                    "where_raw": {"k": "v"}}  # `where[raw][...]` is the other parameter's
    brackets = get(live, "/deep?where[tags][]=a&where[tags][]=b")
    assert brackets["where"] == {"tags": ["a", "b"]}


@pytest.mark.parametrize("query", [
    "where[name]=x&where[name][first]=y",  # a value, then an object under it
    "where[name][first]=y&where[name]=x",  # an object, then a value in its place
    "where[tags]=a&where[tags]=b&where[tags][0]=c",  # an object under a list
])
def test_deep_object_conflicts_are_422_not_500(live: SimpleNamespace, query: str) -> None:
    response = live.http.get("/deep?" + query)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == "value_error" and error["loc"] == ["query", "where"]
    assert error["input"].startswith("where[")


# ---------------------------------------------------------------------- matrix paths


def test_matrix_values_are_read_by_their_name(live: SimpleNamespace) -> None:
    assert get(live, "/matrix/;id=5/;ids=1;ids=2/;dims=w,1,h,2") == {
        "id": 5, "ids": [1, 2], "dims": {"w": 1, "h": 2}}


@pytest.mark.parametrize(("path", "name"), [
    ("/matrix/;other=5/;ids=1/;dims=w,1,h,2", "id"),  # another name
    ("/matrix/5/;ids=1/;dims=w,1,h,2", "id"),  # no `;id=`
    ("/matrix/;id=5;id=6/;ids=1/;dims=w,1,h,2", "id"),  # two values for one
    ("/matrix/;id=5/;ids=1;idz=2/;dims=w,1,h,2", "ids"),  # an exploded array's stray name
    ("/matrix/;id=5/;ids=1/;dims=w,1,h", "dims"),  # odd name,value pairs
])
def test_malformed_matrix_values_are_422(live: SimpleNamespace, path: str, name: str) -> None:
    response = live.http.get(path)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"]) == ("value_error", ["path", name])
