"""Shared fixtures.

Token service (`generated_example/token_service.py` over the generated `ondayzero`
package), used by test_roundtrip.py and test_end_to_end.py; every fixture of this group
is named `generated_example_*` or `token_service_*`:

* `generated_example_on_path`: `generated_example/` on `sys.path` (session), so that
  `ondayzero` and `token_service` import as top-level modules.
* `token_service_module`: the imported `token_service` module.
* `token_service_settings`: the tokens, secret and lifetime the test service uses.
* `token_service_live`: the service served by uvicorn on 127.0.0.1, on a port the OS
  picks, in a background thread (one per test module); gives its base URL.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import uvicorn
from hypothesis import settings

# Property tests draw the same examples on every run, so that CI never meets a new one by
# chance: `HYPOTHESIS_PROFILE=explore` draws fresh ones (run it locally, then fix what it finds).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED_EXAMPLE_DIR = REPO_ROOT / "generated_example"
TOKEN_SERVICE_START_TIMEOUT = 10.0  # seconds
TOKEN_SERVICE_STOP_TIMEOUT = 10.0  # seconds


@dataclass(frozen=True)
class TokenServiceSettings:
    """What the test token service is configured with."""

    api_token: str  # an accepted token
    other_api_token: str  # another accepted token
    jwt_secret: str
    lifetime: int

    @property
    def api_tokens(self) -> frozenset[str]:
        return frozenset({self.api_token, self.other_api_token})


@dataclass(frozen=True)
class TokenServiceLive:
    """A running token service."""

    base_url: str
    settings: TokenServiceSettings


@pytest.fixture(scope="session")
def generated_example_on_path() -> Iterator[Path]:
    """`generated_example/` on `sys.path` for the session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(GENERATED_EXAMPLE_DIR))
        yield GENERATED_EXAMPLE_DIR


@pytest.fixture(scope="session")
def token_service_module(generated_example_on_path: Path) -> ModuleType:
    """The hand-written `token_service` module (importing it reads no environment)."""
    return importlib.import_module("token_service")


@pytest.fixture(scope="session")
def token_service_settings() -> TokenServiceSettings:
    return TokenServiceSettings(
        api_token="dz_test_token_0123456789abcdef",
        other_api_token="dz_second_token_fedcba9876543210",
        jwt_secret="test-secret-for-hs256-signing-0123456789abcdef",
        lifetime=1800,
    )


@pytest.fixture(scope="module")
def token_service_live(
    token_service_module: ModuleType, token_service_settings: TokenServiceSettings
) -> Iterator[TokenServiceLive]:
    """Serve the token service over a real socket for the duration of a test module."""
    settings = token_service_settings
    service = token_service_module.TokenService(
        settings.api_tokens, settings.jwt_secret, settings.lifetime
    )
    app = token_service_module.create_service_app(service)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, name="token-service-uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + TOKEN_SERVICE_START_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            pytest.fail("uvicorn exited before it started serving the token service")
        if time.monotonic() > deadline:
            server.should_exit = True
            thread.join(TOKEN_SERVICE_STOP_TIMEOUT)
            pytest.fail(
                f"uvicorn did not start within {TOKEN_SERVICE_START_TIMEOUT} seconds"
            )
        time.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield TokenServiceLive(f"http://{host}:{port}", settings)
    finally:
        server.should_exit = True
        thread.join(TOKEN_SERVICE_STOP_TIMEOUT)
        assert not thread.is_alive(), "uvicorn did not shut down in time"


# ---------------------------------------------------------------------- client tests
# The client test modules (test_client_*.py) share these: the generated package, and one
# recording server per module, reset before each test. A module's own fixture of the same
# name wins.


@pytest.fixture(scope="module")
def gen() -> SimpleNamespace:
    from client_support import client_package

    return client_package()


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[Any, str]]:
    from client_support import Recorder, recorder_app, serve

    recorder = Recorder()
    with serve(recorder_app(recorder)) as url:
        yield recorder, url + "/api"


@pytest.fixture
def server(live: tuple[Any, str]) -> Iterator[tuple[Any, str]]:
    live[0].reset()
    yield live


# ---------------------------------------------------------------------- reports
# test_roundtrip.py's corpus tests record `json_equal` (is the generated server's
# `openapi()` equal to the input as JSON?); the count is printed after the run (also with
# pytest-xdist: the properties travel with each test's report) and kept in the pytest
# cache (`pytest --cache-show 'apismith/*'`).

ROUND_TRIP_CACHE_KEY = "apismith/server-round-trip"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    results: dict[str, tuple[bool, str]] = {}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            properties = dict(getattr(report, "user_properties", ()))
            if getattr(report, "when", "") == "call" and "json_equal" in properties:
                results[report.nodeid] = (bool(properties["json_equal"]), outcome)
    if not results:
        return
    total = len(results)
    exact = sum(equal for equal, _ in results.values())
    semantic = sum(outcome == "passed" for _, outcome in results.values())
    terminalreporter.write_sep("-", "server round trip")
    terminalreporter.write_line(
        f"server round trip: {exact} of {total} corpus documents equal as JSON; "
        f"{semantic} of {total} equal semantically"
    )
    if config.option.verbose > 0:
        for nodeid, (equal, outcome) in sorted(results.items()):
            if not equal:
                terminalreporter.write_line(f"  not equal as JSON ({outcome}): {nodeid}")
    if getattr(config, "cache", None) is not None:
        config.cache.set(ROUND_TRIP_CACHE_KEY, {
            "json_equal": exact, "semantic": semantic, "documents": total,
            "results": {nodeid: {"json_equal": equal, "outcome": outcome}
                        for nodeid, (equal, outcome) in sorted(results.items())},
        })
