"""Round trip: the generated server, serving the token service, documents the seed spec.

`create_app(TokenService(...)).openapi()` must equal the spec it was generated from,
exactly: paths, schemas, servers, security schemes and the global security requirement.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import TokenServiceSettings

SPEC = Path(__file__).resolve().parent.parent / "specs/ondayzero-token.openapi.json"


def test_openapi_document_equals_the_seed_spec(
    generated_example_on_path: Path,
    token_service_module: ModuleType,
    token_service_settings: TokenServiceSettings,
) -> None:
    server = importlib.import_module("ondayzero.server")
    settings = token_service_settings
    service = token_service_module.TokenService(
        settings.api_tokens, settings.jwt_secret, settings.lifetime
    )
    app = server.create_app(service)

    expected = json.loads(SPEC.read_text(encoding="utf-8"))
    document = app.openapi()

    assert document == expected
    # Spelled out, since these come from `_document_security` rather than the routes.
    assert document["servers"] == expected["servers"]
    assert document["components"]["securitySchemes"] == {
        "BearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "API Token",
            "description": "API token authentication. Format: `Bearer dz_...`",
        }
    }
    assert document["security"] == [{"BearerAuth": []}]


def test_openapi_document_is_stable_across_calls(
    generated_example_on_path: Path,
    token_service_module: ModuleType,
    token_service_settings: TokenServiceSettings,
) -> None:
    settings = token_service_settings
    service = token_service_module.TokenService(
        settings.api_tokens, settings.jwt_secret, settings.lifetime
    )
    app = token_service_module.create_service_app(service)
    first = json.dumps(app.openapi(), sort_keys=True)
    assert json.dumps(app.openapi(), sort_keys=True) == first
    assert app.openapi() == json.loads(SPEC.read_text(encoding="utf-8"))
