"""A token service implementing the generated `ondayzero` server.

Hand-written (apismith does not generate or overwrite this file). `TokenService`
implements `ondayzero.server.Implementation`:

* `authenticate_bearer_auth` admits a request only when its bearer credential is one
  of the configured API tokens (`dz_...`). The generated guard answers every other
  request with 401 and `WWW-Authenticate: Bearer`.
* `get_token` issues, for the posted `user_email`:
  - `access_token`: a JWT signed with HS256 (PyJWT) carrying `sub` (the email as
    posted), `iat`, `exp` (`iat` + lifetime) and `jti` (a random id, unique per token);
  - `token_type`: "Bearer"; `expires_in`: the lifetime in seconds;
  - `refresh_token`: an opaque random string (`secrets.token_urlsafe(32)`). The spec
    has no refresh operation, so this service neither stores nor redeems it;
  - no `scope`: the spec defines no scopes, so the field stays `MISSING` and is
    absent from the response body.

Configuration (`TokenService.from_env`):

* `DAYZERO_API_TOKENS`: comma-separated API tokens. Entries are stripped; only those
  starting with `dz_` (and longer than the prefix) are accepted, others are ignored
  with a warning that names their count, never their value. At least one accepted
  token is required.
* `DAYZERO_JWT_SECRET`: the HS256 signing secret, required, at least 32 bytes (UTF-8).
* `DAYZERO_TOKEN_LIFETIME`: optional access-token lifetime in seconds (default 3600).

Misconfiguration raises `TokenServiceConfigError` naming the variable at fault.

Serving: `app` is a lazy module attribute (PEP 562 `__getattr__`). Importing this
module reads no environment and cannot fail; the first access to `token_service.app`
calls `create_service_app()`, which builds the app from the environment, and keeps
the result. So, from `generated_example/`, with the variables set:

    uvicorn token_service:app --host 127.0.0.1 --port 8000

`uvicorn --factory token_service:create_service_app` is equivalent (it calls the same
function).
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import time
from collections.abc import Mapping

import jwt
from fastapi import FastAPI
from ondayzero import models
from ondayzero.server import create_app

__all__ = [
    "API_TOKEN_PREFIX",
    "DEFAULT_LIFETIME",
    "JWT_ALGORITHM",
    "MIN_SECRET_BYTES",
    "TokenService",
    "TokenServiceConfigError",
    "create_service_app",
]

logger = logging.getLogger(__name__)

#: Every accepted API token starts with this prefix.
API_TOKEN_PREFIX = "dz_"
#: Access-token lifetime in seconds when none is configured.
DEFAULT_LIFETIME = 3600
#: The JWT signature algorithm.
JWT_ALGORITHM = "HS256"
#: Shortest accepted signing secret, in bytes (RFC 7518 section 3.2: a key at least as
#: long as the HS256 hash output).
MIN_SECRET_BYTES = 32

ENV_API_TOKENS = "DAYZERO_API_TOKENS"
ENV_JWT_SECRET = "DAYZERO_JWT_SECRET"
ENV_TOKEN_LIFETIME = "DAYZERO_TOKEN_LIFETIME"


class TokenServiceConfigError(ValueError):
    """The token service is misconfigured and refuses to start."""


def _is_api_token(token: str) -> bool:
    return token.startswith(API_TOKEN_PREFIX) and len(token) > len(API_TOKEN_PREFIX)


class TokenService:
    """Issues JWT access tokens to callers holding a configured API token.

    Implements `ondayzero.server.Implementation` (`OauthApi` + `SecurityHandlers`).
    """

    def __init__(
        self,
        api_tokens: frozenset[str],
        jwt_secret: str,
        lifetime: int = DEFAULT_LIFETIME,
    ) -> None:
        tokens = frozenset(api_tokens)
        if not tokens:
            raise TokenServiceConfigError("no API tokens configured")
        invalid = sum(1 for token in tokens if not _is_api_token(token))
        if invalid:
            raise TokenServiceConfigError(
                f"{invalid} API token(s) do not start with {API_TOKEN_PREFIX!r}"
            )
        if len(jwt_secret.encode()) < MIN_SECRET_BYTES:
            raise TokenServiceConfigError(
                f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes long"
            )
        if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime <= 0:
            raise TokenServiceConfigError(
                f"the token lifetime must be a positive number of seconds, got {lifetime!r}"
            )
        # Compared as bytes: `hmac.compare_digest` refuses non-ASCII `str`.
        self._api_tokens = tuple(token.encode() for token in sorted(tokens))
        self._jwt_secret = jwt_secret
        self.lifetime = lifetime

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TokenService:
        """A service configured from `environ` (default: `os.environ`); see the module doc."""
        env = os.environ if environ is None else environ

        secret = env.get(ENV_JWT_SECRET, "")
        if not secret:
            raise TokenServiceConfigError(
                f"{ENV_JWT_SECRET} is not set: the token service needs a JWT signing"
                f" secret of at least {MIN_SECRET_BYTES} bytes"
            )
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise TokenServiceConfigError(
                f"{ENV_JWT_SECRET} is too short: {len(secret.encode())} bytes, at least"
                f" {MIN_SECRET_BYTES} are required"
            )

        entries = [e.strip() for e in env.get(ENV_API_TOKENS, "").split(",")]
        accepted = [e for e in entries if _is_api_token(e)]
        ignored = sum(1 for e in entries if e) - len(accepted)
        if ignored:
            logger.warning(
                "%s: ignored %d entr%s not starting with %r",
                ENV_API_TOKENS,
                ignored,
                "y" if ignored == 1 else "ies",
                API_TOKEN_PREFIX,
            )
        if not accepted:
            raise TokenServiceConfigError(
                f"{ENV_API_TOKENS} holds no API token starting with"
                f" {API_TOKEN_PREFIX!r}: every request would be refused"
            )

        raw_lifetime = env.get(ENV_TOKEN_LIFETIME, "").strip()
        lifetime = DEFAULT_LIFETIME
        if raw_lifetime:
            try:
                lifetime = int(raw_lifetime)
            except ValueError:
                lifetime = 0
            if lifetime <= 0:
                raise TokenServiceConfigError(
                    f"{ENV_TOKEN_LIFETIME} must be a positive integer (seconds),"
                    f" got {raw_lifetime!r}"
                )

        return cls(frozenset(accepted), secret, lifetime)

    async def authenticate_bearer_auth(self, credential: str) -> bool:
        """True when `credential` is a configured API token.

        Every configured token is compared, each in constant time, so the answer's
        timing does not reveal which token (or how much of one) matched.
        """
        presented = credential.encode()
        accepted = False
        for token in self._api_tokens:
            accepted |= hmac.compare_digest(presented, token)
        return accepted

    async def get_token(
        self, *, body: models.Body_get_token_api_v1_oauth2_token_post
    ) -> models.OAuthTokenResponse:
        """Issue an access token for `body.user_email` and an opaque refresh token."""
        issued_at = int(time.time())
        claims = {
            "sub": body.user_email,
            "iat": issued_at,
            "exp": issued_at + self.lifetime,
            "jti": secrets.token_hex(16),
        }
        access_token = jwt.encode(claims, self._jwt_secret, algorithm=JWT_ALGORITHM)
        return models.OAuthTokenResponse(
            access_token=access_token,
            token_type="Bearer",
            expires_in=self.lifetime,
            refresh_token=secrets.token_urlsafe(32),
        )


def create_service_app(service: TokenService | None = None) -> FastAPI:
    """The FastAPI app serving `service` (default: `TokenService.from_env()`)."""
    return create_app(service if service is not None else TokenService.from_env())


def __getattr__(name: str) -> FastAPI:
    """Build `app` on first access (PEP 562), so that importing never fails."""
    if name == "app":
        app = create_service_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
