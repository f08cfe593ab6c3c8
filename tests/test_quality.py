"""Static quality gates: mypy --strict, ruff and black on generator/ and the generated package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path = REPO) -> None:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_generator() -> None:
    _run(sys.executable, "-m", "mypy", "--strict", "generator")


def test_mypy_strict_on_generated_package_and_service() -> None:
    _run(sys.executable, "-m", "mypy", "--strict", "ondayzero", "token_service.py",
         cwd=REPO / "generated_example")


@pytest.mark.parametrize("target", ["generator", "generated_example", "tests"])
def test_ruff_check(target: str) -> None:
    _run(sys.executable, "-m", "ruff", "check", target)  # the ruff installed beside pytest


def test_black_check_on_generated_code() -> None:
    _run(sys.executable, "-m", "black", "--check", "--quiet", "generated_example/ondayzero")


def test_generated_package_for_many_shapes_type_checks(tmp_path: Path) -> None:
    """A broader document than the seed: every part compiles, imports and passes the gates."""
    from generator.pipeline import generate

    generated = generate(REPO / "tests/fixtures/features.openapi.yaml", "features")
    for path, text in generated.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    code = (
        "import features.client, features.server\n"
        "class Stub:  # provides every operation and security handler\n"
        "    def __getattr__(self, name): return lambda **kw: None\n"
        "features.server.create_app(Stub()).openapi()"
    )
    _run(sys.executable, "-c", code, cwd=tmp_path)
    _run(sys.executable, "-m", "mypy", "--strict", "features", cwd=tmp_path)
    _run(sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"), "features",
         cwd=tmp_path)
    _run(sys.executable, "-m", "black", "--check", "--quiet", "features", cwd=tmp_path)
