"""OAuth2 and token credentials of the generated client against a real token endpoint:
client-credentials and password flows (client authentication, scopes, caching, refresh
before expiry and after a 401), caller-supplied tokens and providers, and no token sent to
an operation that does not declare its scheme. Sync and async."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import pytest
from client_support import (
    MODES,
    Recorder,
    Seen,
    one,
    run,
)
from starlette.responses import Response


class TokenEndpoint:
    """Issues tok-1, tok-2, ... with the given lifetime and (optionally) refresh tokens."""

    def __init__(self, expires_in: int = 3600, refresh: bool = False) -> None:
        self.issued = 0
        self.expires_in = expires_in
        self.refresh = refresh

    def __call__(self, seen: Seen) -> Response:
        self.issued += 1
        body: dict[str, Any] = {"access_token": f"tok-{self.issued}", "token_type": "Bearer",
                                "expires_in": self.expires_in}
        if self.refresh:
            body["refresh_token"] = f"ref-{self.issued}"
        return Response(json.dumps(body), media_type="application/json")


def form(seen: Seen) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}


def token_requests(recorder: Recorder) -> list[Seen]:
    return [s for s in recorder.seen if s.path == "/api/oauth/token"]


def api_requests(recorder: Recorder, path: str) -> list[Seen]:
    return [s for s in recorder.seen if s.path == path]


@pytest.mark.parametrize("mode", MODES)
def test_client_credentials_basic_auth_scopes_and_cache(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint())
    flow = gen.client.ClientCredentials(client_id="app id", client_secret="s3:cret")
    call = lambda api: api.secure.with_client_credentials()  # noqa: E731
    run(mode, gen, call, call, base_url=url, machine=flow)
    (token,) = token_requests(recorder)  # one token for both calls: cached
    assert token.method == "POST"
    assert token.headers["content-type"] == "application/x-www-form-urlencoded"
    # client_secret_basic: both parts form-encoded, then base64 (RFC 6749 section 2.3.1)
    expected = base64.b64encode(b"app%20id:s3%3Acret").decode()
    assert token.headers["authorization"] == f"Basic {expected}"
    assert form(token) == {"grant_type": "client_credentials", "scope": "pets:read"}
    calls = api_requests(recorder, "/api/secure/cc")
    assert [c.headers["authorization"] for c in calls] == ["Bearer tok-1", "Bearer tok-1"]


@pytest.mark.parametrize("mode", MODES)
def test_client_secret_post_and_explicit_scopes(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint())
    flow = gen.client.ClientCredentials(client_id="app", client_secret="pw", client_auth="post",
                                        scopes=["pets:read", "pets:admin"],
                                        extra={"audience": "pets"})
    one(mode, gen, lambda api: api.secure.with_client_credentials(), base_url=url, machine=flow)
    (token,) = token_requests(recorder)
    assert "authorization" not in token.headers
    assert form(token) == {"grant_type": "client_credentials", "client_id": "app",
                           "client_secret": "pw", "scope": "pets:read pets:admin",
                           "audience": "pets"}


@pytest.mark.parametrize("mode", MODES)
def test_password_flow_public_client(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint())
    flow = gen.client.Password(username="ada", password="p&ss", client_id="cli")
    one(mode, gen, lambda api: api.secure.with_password(), base_url=url, user=flow)
    (token,) = token_requests(recorder)
    assert "authorization" not in token.headers
    assert form(token) == {"grant_type": "password", "username": "ada", "password": "p&ss",
                           "client_id": "cli", "scope": "pets:write"}
    assert api_requests(recorder, "/api/secure/password")[0].headers["authorization"] == (
        "Bearer tok-1")


@pytest.mark.parametrize("mode", MODES)
def test_token_renewed_before_expiry_with_the_refresh_token(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint(expires_in=0, refresh=True))
    flow = gen.client.ClientCredentials(client_id="app", client_secret="pw")
    call = lambda api: api.secure.with_client_credentials()  # noqa: E731
    run(mode, gen, call, call, base_url=url, machine=flow)
    first, second = token_requests(recorder)  # expired at once: renewed for the second call
    assert form(first)["grant_type"] == "client_credentials"
    assert form(second) == {"grant_type": "refresh_token", "refresh_token": "ref-1"}
    calls = api_requests(recorder, "/api/secure/cc")
    assert [c.headers["authorization"] for c in calls] == ["Bearer tok-1", "Bearer tok-2"]


@pytest.mark.parametrize("mode", MODES)
def test_a_401_renews_the_token_once(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint(refresh=True))
    recorder.then("GET", "/api/secure/cc", Response(status_code=401), Response(status_code=204))
    flow = gen.client.ClientCredentials(client_id="app", client_secret="pw")
    one(mode, gen, lambda api: api.secure.with_client_credentials(), base_url=url, machine=flow)
    first, second = token_requests(recorder)
    assert form(first)["grant_type"] == "client_credentials"
    assert form(second) == {"grant_type": "refresh_token", "refresh_token": "ref-1"}
    calls = api_requests(recorder, "/api/secure/cc")
    assert [c.headers["authorization"] for c in calls] == ["Bearer tok-1", "Bearer tok-2"]
    # A second 401 in a row is the caller's: raised, after a single renewal.
    recorder.reset()
    recorder.on("POST", "/api/oauth/token", TokenEndpoint())
    recorder.on("GET", "/api/secure/cc", Response(status_code=401))
    with pytest.raises(gen.client.UnauthorizedError):
        one(mode, gen, lambda api: api.secure.with_client_credentials(), base_url=url,
            machine=flow)
    assert len(api_requests(recorder, "/api/secure/cc")) == 2
    assert len(token_requests(recorder)) == 2


@pytest.mark.parametrize("mode", MODES)
def test_token_endpoint_refusal_is_a_token_error(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    refusal = json.dumps({"error": "invalid_client"})
    recorder.on("POST", "/api/oauth/token", Response(refusal, 401, media_type="application/json"))
    flow = gen.client.ClientCredentials(client_id="app", client_secret="bad")
    with pytest.raises(gen.client.TokenError) as caught:
        one(mode, gen, lambda api: api.secure.with_client_credentials(), base_url=url,
            machine=flow)
    assert isinstance(caught.value, gen.client.Error)
    assert "401" in str(caught.value) and "invalid_client" in str(caught.value)
    assert api_requests(recorder, "/api/secure/cc") == []


@pytest.mark.parametrize("mode", MODES)
def test_caller_tokens_and_providers_for_code_and_openid(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    handed: list[str] = []

    def provider() -> str:
        handed.append(f"oidc-{len(handed) + 1}")
        return handed[-1]

    async def async_provider() -> str:
        return provider()

    oidc = async_provider if mode == "async" else provider
    code = lambda api: api.secure.with_code()  # noqa: E731
    openid = lambda api: api.secure.with_oidc()  # noqa: E731
    run(mode, gen, code, openid, openid, base_url=url, browser="code-token", oidc=oidc)
    assert api_requests(recorder, "/api/secure/code")[0].headers["authorization"] == (
        "Bearer code-token")
    calls = api_requests(recorder, "/api/secure/oidc")
    assert [c.headers["authorization"] for c in calls] == ["Bearer oidc-1", "Bearer oidc-2"]


@pytest.mark.parametrize("mode", MODES)
def test_tokens_never_reach_operations_without_their_scheme(
    gen: SimpleNamespace, server: tuple[Recorder, str], mode: str
) -> None:
    recorder, url = server
    recorder.on("POST", "/api/oauth/token", TokenEndpoint())
    flows = {"machine": gen.client.ClientCredentials(client_id="m", client_secret="x"),
             "user": gen.client.Password(username="u", password="p", client_id="c"),
             "browser": "code-token", "oidc": "oidc-token"}
    run(mode, gen, lambda api: api.secure.public(), lambda api: api.pets.add_note(),
        lambda api: api.secure.with_code(), base_url=url, **flows)
    assert token_requests(recorder) == []  # no operation needed a fetched token
    assert "authorization" not in api_requests(recorder, "/api/public")[0].headers
    assert "authorization" not in api_requests(recorder, "/api/notes")[0].headers
    assert api_requests(recorder, "/api/secure/code")[0].headers["authorization"] == (
        "Bearer code-token")
