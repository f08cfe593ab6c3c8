"""Round trip: the generated server, serving the token service, documents the seed spec.

`create_app(TokenService(...)).openapi()` must equal the spec it was generated from,
exactly: paths, schemas, servers, security schemes and the global security requirement.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

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


# ---------------------------------------------------------------------- every corpus document
#
# For each document: generate, build the app with a stand-in implementation, and compare.
# Exact: `openapi()` equals the input as JSON (required for FastAPI-made documents, counted
# for all: each test records `json_equal`, and conftest.py's terminal summary prints
# "server round trip: E of N corpus documents equal as JSON; ..." and keeps the per-document
# results in the pytest cache under `apismith/server-round-trip`). Semantic (required for
# all): per operation, the method, the path with the spec's parameter names, the operation
# id, the parameters (name, location, style, explode), the request media types, the
# response statuses and the security requirements are the same (a) in the input and in
# `openapi()`, and (b) in `openapi()` and in what the routes decode (serverkit.documented /
# serverkit.served describe the rules). APISMITH_CORPUS names another corpus folder.

CORPUS = Path(os.environ.get("APISMITH_CORPUS")
              or Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
_REFUSED = {
    "oai-examples/v2.0/petstore.yaml", "oai-examples/v2.0/uber.yaml",
    "openapi-python-client/documents_with_errors/missing-body-ref.yaml",
}


def _corpus() -> list[str]:
    import csv

    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r["file"] for r in rows if int(r["bytes"]) <= 2_000_000 and r["file"] not in _REFUSED]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", _corpus())
def test_corpus_document_round_trips(
    name: str, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    from serverkit import documented, imported, served_as_documented, write_package

    from generator.diagnostics import SpecError
    from generator.front import load, resolve

    spec = CORPUS / name
    raw = load.load_document(spec)
    try:
        write_package(spec, "roundtrip", tmp_path)
    except SpecError:
        pytest.skip("refused by the generator (tested in test_corpus.py)")
    with imported(tmp_path, "roundtrip", "roundtrip.server") as [server]:

        class Stub:
            def __getattr__(self, name: str) -> Any:
                return lambda **kwargs: None

        app = server.create_app(Stub())
        document = app.openapi()
        record_property("json_equal", document == raw)
        if name.startswith("fastapi-apps/"):
            assert document == raw
        bundled = raw if "swagger" in raw else resolve.resolve(spec, raw)
        if "swagger" not in raw:
            assert documented(bundled) == documented(document)
        assert served_as_documented(app, document) == documented(document)

