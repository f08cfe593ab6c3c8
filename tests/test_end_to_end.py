"""End to end: the generated clients against the token service served by uvicorn.

The service runs on 127.0.0.1 over a real socket (fixture `token_service_live` in
conftest.py); the generated sync `Client` and async `AsyncClient` call it. Also: the
service's configuration from the environment, and `uvicorn token_service:app` run as a
command from `generated_example/`.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
from pydantic import MISSING

if TYPE_CHECKING:
    from conftest import TokenServiceLive, TokenServiceSettings

EMAIL = "a@example.com"
TIMEOUT = 10.0  # seconds, for every HTTP call and every wait below
ENV_VARS = ("DAYZERO_API_TOKENS", "DAYZERO_JWT_SECRET", "DAYZERO_TOKEN_LIFETIME")


@pytest.fixture(scope="module")
def gen(generated_example_on_path: Path) -> SimpleNamespace:
    """The generated package's modules."""
    return SimpleNamespace(
        models=importlib.import_module("ondayzero.models"),
        client=importlib.import_module("ondayzero.client"),
    )


def unauthorized_tokens(settings: TokenServiceSettings) -> list[str | None]:
    """Credentials the service must refuse: none, wrong, not `dz_`, a near miss."""
    return [None, "dz_wrong", "not_a_dz_token", settings.api_token[:-1]]


UNAUTHORIZED_IDS = ["missing", "dz_wrong", "non_dz", "truncated"]


def check_token_response(
    gen: SimpleNamespace,
    settings: TokenServiceSettings,
    result: object,
    before: float,
    after: float,
) -> dict[str, Any]:
    """Assert `result` is a valid token response for EMAIL; return the JWT claims."""
    assert isinstance(result, gen.models.OAuthTokenResponse)
    assert result.token_type == "Bearer"
    assert result.expires_in == settings.lifetime
    assert isinstance(result.refresh_token, str)
    assert len(result.refresh_token) >= 32
    assert result.scope is MISSING  # documented: the service grants no scope

    assert jwt.get_unverified_header(result.access_token)["alg"] == "HS256"
    claims: dict[str, Any] = jwt.decode(
        result.access_token,
        settings.jwt_secret,
        algorithms=["HS256"],
        options={"require": ["sub", "iat", "exp", "jti"]},
    )
    assert claims["sub"] == EMAIL
    assert int(before) <= claims["iat"] <= after
    assert claims["exp"] == claims["iat"] + settings.lifetime
    assert abs(claims["exp"] - (time.time() + settings.lifetime)) < 60
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            result.access_token,
            "some-other-secret-of-at-least-32-bytes!!",
            algorithms=["HS256"],
        )
    return claims


def check_unprocessable(gen: SimpleNamespace, error: Any) -> None:
    assert isinstance(error, gen.client.UnprocessableEntityError)
    assert error.status_code == 422
    assert isinstance(error.parsed, gen.models.HTTPValidationError)
    assert error.parsed.detail is not MISSING
    locs = [entry.loc for entry in error.parsed.detail]
    assert any(loc and loc[-1] == "user_email" for loc in locs), locs


def check_unauthorized(gen: SimpleNamespace, error: Any) -> None:
    assert isinstance(error, gen.client.UnauthorizedError)
    assert error.status_code == 401
    assert error.response.headers["www-authenticate"] == "Bearer"
    assert error.parsed is None  # the spec declares no 401 body


# --- sync client ---------------------------------------------------------------------


def test_sync_get_token(
    gen: SimpleNamespace, token_service_live: TokenServiceLive
) -> None:
    settings = token_service_live.settings
    with gen.client.Client(
        token_service_live.base_url, bearer_auth=settings.api_token, timeout=TIMEOUT
    ) as client:
        before = time.time()
        first = client.oauth.get_token(user_email=EMAIL)
        second = client.oauth.get_token(user_email=EMAIL)
        after = time.time()
    first_claims = check_token_response(gen, settings, first, before, after)
    second_claims = check_token_response(gen, settings, second, before, after)
    assert first.refresh_token != second.refresh_token
    assert first_claims["jti"] != second_claims["jti"]


def test_sync_get_token_with_another_configured_token(
    gen: SimpleNamespace, token_service_live: TokenServiceLive
) -> None:
    settings = token_service_live.settings
    with gen.client.Client(
        token_service_live.base_url,
        bearer_auth=settings.other_api_token,
        timeout=TIMEOUT,
    ) as client:
        before = time.time()
        result = client.oauth.get_token(user_email=EMAIL)
        after = time.time()
    check_token_response(gen, settings, result, before, after)


def test_sync_missing_user_email_is_422(
    gen: SimpleNamespace, token_service_live: TokenServiceLive
) -> None:
    settings = token_service_live.settings
    with (
        gen.client.Client(
            token_service_live.base_url, bearer_auth=settings.api_token, timeout=TIMEOUT
        ) as client,
        pytest.raises(gen.client.UnprocessableEntityError) as caught,
    ):
        # A caller bypassing the type checker: the client omits MISSING form values.
        client.oauth.get_token(user_email=MISSING)  # type: ignore[arg-type]
    check_unprocessable(gen, caught.value)


@pytest.mark.parametrize("which", range(4), ids=UNAUTHORIZED_IDS)
def test_sync_unauthorized(
    gen: SimpleNamespace, token_service_live: TokenServiceLive, which: int
) -> None:
    token = unauthorized_tokens(token_service_live.settings)[which]
    with (
        gen.client.Client(
            token_service_live.base_url, bearer_auth=token, timeout=TIMEOUT
        ) as client,
        pytest.raises(gen.client.UnauthorizedError) as caught,
    ):
        client.oauth.get_token(user_email=EMAIL)
    check_unauthorized(gen, caught.value)


def test_wire_response_omits_scope(token_service_live: TokenServiceLive) -> None:
    """`scope` stays MISSING, so it is absent from the JSON body (not null)."""
    response = httpx.post(
        f"{token_service_live.base_url}/api/v1/oauth2/token",
        data={"user_email": EMAIL},
        headers={"Authorization": f"Bearer {token_service_live.settings.api_token}"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
    }


# --- async client --------------------------------------------------------------------


def test_async_get_token(
    gen: SimpleNamespace, token_service_live: TokenServiceLive
) -> None:
    settings = token_service_live.settings

    async def scenario() -> tuple[Any, Any]:
        async with gen.client.AsyncClient(
            token_service_live.base_url,
            bearer_auth=settings.api_token,
            timeout=TIMEOUT,
        ) as client:
            return await asyncio.gather(
                client.oauth.get_token(user_email=EMAIL),
                client.oauth.get_token(user_email=EMAIL),
            )

    before = time.time()
    first, second = asyncio.run(scenario())
    after = time.time()
    first_claims = check_token_response(gen, settings, first, before, after)
    second_claims = check_token_response(gen, settings, second, before, after)
    assert first.refresh_token != second.refresh_token
    assert first_claims["jti"] != second_claims["jti"]


def test_async_missing_user_email_is_422(
    gen: SimpleNamespace, token_service_live: TokenServiceLive
) -> None:
    settings = token_service_live.settings

    async def scenario() -> None:
        async with gen.client.AsyncClient(
            token_service_live.base_url,
            bearer_auth=settings.api_token,
            timeout=TIMEOUT,
        ) as client:
            await client.oauth.get_token(user_email=MISSING)  # type: ignore[arg-type]

    with pytest.raises(gen.client.UnprocessableEntityError) as caught:
        asyncio.run(scenario())
    check_unprocessable(gen, caught.value)


@pytest.mark.parametrize("which", range(4), ids=UNAUTHORIZED_IDS)
def test_async_unauthorized(
    gen: SimpleNamespace, token_service_live: TokenServiceLive, which: int
) -> None:
    token = unauthorized_tokens(token_service_live.settings)[which]

    async def scenario() -> None:
        async with gen.client.AsyncClient(
            token_service_live.base_url, bearer_auth=token, timeout=TIMEOUT
        ) as client:
            await client.oauth.get_token(user_email=EMAIL)

    with pytest.raises(gen.client.UnauthorizedError) as caught:
        asyncio.run(scenario())
    check_unauthorized(gen, caught.value)


# --- configuration -------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No DAYZERO_* variable set (restored afterwards)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_refuses_to_start_without_a_secret(
    token_service_module: ModuleType, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("DAYZERO_API_TOKENS", "dz_present")
    with pytest.raises(
        token_service_module.TokenServiceConfigError, match="DAYZERO_JWT_SECRET"
    ):
        token_service_module.TokenService.from_env()
    with pytest.raises(
        token_service_module.TokenServiceConfigError, match="DAYZERO_JWT_SECRET"
    ):
        token_service_module.create_service_app()


def test_refuses_to_start_with_nothing_configured(
    token_service_module: ModuleType, clean_env: pytest.MonkeyPatch
) -> None:
    with pytest.raises(token_service_module.TokenServiceConfigError):
        token_service_module.TokenService.from_env()


def test_refuses_a_short_secret(token_service_module: ModuleType) -> None:
    environ = {"DAYZERO_API_TOKENS": "dz_a", "DAYZERO_JWT_SECRET": "x" * 31}
    with pytest.raises(token_service_module.TokenServiceConfigError, match="too short"):
        token_service_module.TokenService.from_env(environ)
    with pytest.raises(token_service_module.TokenServiceConfigError):
        token_service_module.TokenService(frozenset({"dz_a"}), "x" * 31)


def test_from_env_accepts_only_dz_tokens(
    token_service_module: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "DAYZERO_API_TOKENS": " dz_one , bearer_two,, dz_three,dz_ ,",
        "DAYZERO_JWT_SECRET": "s" * 32,
        "DAYZERO_TOKEN_LIFETIME": "60",
    }
    service = token_service_module.TokenService.from_env(environ)
    assert service.lifetime == 60

    async def accepted(credential: str) -> bool:
        result: bool = await service.authenticate_bearer_auth(credential)
        return result

    for credential, expected in [
        ("dz_one", True),
        ("dz_three", True),
        ("bearer_two", False),  # ignored: not dz_
        ("dz_", False),  # ignored: the bare prefix
        (" dz_one ", False),  # entries are stripped, credentials are not
        ("dz_onE", False),
        ("dz_one\u00e9", False),  # non-ASCII must not make compare_digest raise
        ("", False),
    ]:
        assert asyncio.run(accepted(credential)) is expected, credential
    assert "ignored 2 entries" in caplog.text
    assert "bearer_two" not in caplog.text  # tokens are never logged


@pytest.mark.parametrize("value", ["0", "-5", "soon", "1.5"])
def test_from_env_refuses_a_bad_lifetime(
    token_service_module: ModuleType, value: str
) -> None:
    environ = {
        "DAYZERO_API_TOKENS": "dz_a",
        "DAYZERO_JWT_SECRET": "s" * 32,
        "DAYZERO_TOKEN_LIFETIME": value,
    }
    with pytest.raises(
        token_service_module.TokenServiceConfigError, match="DAYZERO_TOKEN_LIFETIME"
    ):
        token_service_module.TokenService.from_env(environ)


def test_from_env_default_lifetime(token_service_module: ModuleType) -> None:
    environ = {"DAYZERO_API_TOKENS": "dz_a", "DAYZERO_JWT_SECRET": "s" * 32}
    service = token_service_module.TokenService.from_env(environ)
    assert service.lifetime == 3600


def test_module_app_is_lazy(
    token_service_module: ModuleType,
    token_service_settings: TokenServiceSettings,
    clean_env: pytest.MonkeyPatch,
) -> None:
    """Importing needs no environment; `app` is built on first access, as uvicorn does."""
    from fastapi import FastAPI
    from uvicorn.importer import import_from_string

    assert "app" not in vars(token_service_module)
    with pytest.raises(token_service_module.TokenServiceConfigError):
        import_from_string("token_service:app")
    assert "app" not in vars(token_service_module)

    settings = token_service_settings
    clean_env.setenv("DAYZERO_API_TOKENS", ",".join(sorted(settings.api_tokens)))
    clean_env.setenv("DAYZERO_JWT_SECRET", settings.jwt_secret)
    try:
        app = import_from_string("token_service:app")
        assert isinstance(app, FastAPI)
        assert token_service_module.app is app  # built once, then kept
        factory = import_from_string("token_service:create_service_app")
        assert isinstance(factory(), FastAPI)
    finally:
        vars(token_service_module).pop("app", None)


# --- the documented command ----------------------------------------------------------


@pytest.fixture
def uvicorn_command(
    generated_example_on_path: Path, token_service_settings: TokenServiceSettings
) -> Iterator[str]:
    """`python -m uvicorn token_service:app` run from generated_example/; its URL."""
    settings = token_service_settings
    env = {name: value for name, value in os.environ.items() if name not in ENV_VARS}
    env |= {
        "DAYZERO_API_TOKENS": f"{settings.api_token},not_dz",
        "DAYZERO_JWT_SECRET": settings.jwt_secret,
        "DAYZERO_TOKEN_LIFETIME": str(settings.lifetime),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "uvicorn", "token_service:app"]
    command += ["--host", "127.0.0.1", "--port", "0", "--no-access-log"]
    process = subprocess.Popen(
        command,
        cwd=generated_example_on_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        seen: list[str] = []
        deadline = time.monotonic() + TIMEOUT
        url = None
        while url is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"uvicorn did not start in time:\n{''.join(seen)}")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"uvicorn exited:\n{''.join(seen)}")
            seen.append(line)
            found = re.search(r"Uvicorn running on (http://\S+)", line)
            url = found.group(1) if found else None
        yield url
    finally:
        process.terminate()
        try:
            process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(TIMEOUT)


def test_uvicorn_command_serves_the_service(
    gen: SimpleNamespace,
    uvicorn_command: str,
    token_service_settings: TokenServiceSettings,
) -> None:
    settings = token_service_settings
    with gen.client.Client(
        uvicorn_command, bearer_auth=settings.api_token, timeout=TIMEOUT
    ) as client:
        before = time.time()
        result = client.oauth.get_token(user_email=EMAIL)
        after = time.time()
    check_token_response(gen, settings, result, before, after)
    with (
        gen.client.Client(
            uvicorn_command, bearer_auth="not_dz", timeout=TIMEOUT
        ) as client,
        pytest.raises(gen.client.UnauthorizedError),
    ):
        client.oauth.get_token(user_email=EMAIL)
