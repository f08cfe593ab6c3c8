"""A plain (non-editable) install carries the templates and can generate."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_templates_and_generates(tmp_path: Path) -> None:
    def run(*args: str, **kwargs: object) -> None:
        result = subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
        assert result.returncode == 0, result.stdout + result.stderr

    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO))
    (wheel,) = tmp_path.glob("apismith-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    templates = {Path(n).name for n in names if n.startswith("generator/templates/")}
    source_templates = {p.name for p in (REPO / "templates").rglob("*.j2")}
    assert source_templates <= templates
    # Install it away from the checkout and generate with it (dependencies come from this env).
    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel))
    env = {**os.environ, "PYTHONPATH": str(site)}
    spec = REPO / "specs" / "ondayzero-token.openapi.json"
    run(sys.executable, "-m", "generator", "generate", str(spec), "-o", str(tmp_path / "out"),
        "--package", "dz", cwd=tmp_path, env=env)
    assert (tmp_path / "out" / "dz" / "server" / "app.py").is_file()
