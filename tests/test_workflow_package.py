"""`package_metadata`: an installable project around the generated package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from generator import pipeline
from generator.options import Options, PackageMetadata
from generator.output import write
from generator.render.project import version

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "tests/fixtures/features.openapi.yaml"
SEED = REPO / "specs/ondayzero-token.openapi.json"


def generate(spec: Path, only: frozenset[str] = frozenset(pipeline.PARTS),
             meta: PackageMetadata | None = None) -> dict[str, str]:
    options = Options(package_metadata=meta or PackageMetadata())
    return pipeline.generate(spec, "feat", only, options).files


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.0.0", "1.0.0"), ("v2.3", "2.3"), ("1.0-beta.1", "1.0b1"), ("2022-11-28", "0.0.0+2022.11.28"),
     ("  ", "0.0.0"), ("latest", "0.0.0+latest")],
)
def test_version_is_pep_440(raw: str, expected: str) -> None:
    assert version(raw) == expected


def test_layout_and_dependencies() -> None:
    files = generate(FEATURES)
    assert {"feat/pyproject.toml", "feat/README.md", "feat/feat/py.typed",
            "feat/feat/models.py", "feat/feat/client/_client.py"} <= files.keys()
    assert "feat/models.py" not in files
    project = tomllib.loads(files["feat/pyproject.toml"])["project"]
    assert project["name"] == "feat" and project["version"] == "2"
    assert project["dependencies"] == [
        "fastapi>=0.115,<1", "httpx>=0.27,<1", "pydantic>=2.12,<3", "python-multipart>=0.0.9",
        "typing-extensions>=4.12",
    ]
    only_models = tomllib.loads(generate(FEATURES, frozenset({"models"}))["feat/pyproject.toml"])
    assert only_models["project"]["dependencies"] == ["pydantic>=2.12,<3"]
    readme = files["feat/README.md"]
    assert "### pets" in readme and "    client.pets.create_pet(name=...)\n" in readme


def test_config_values_win() -> None:
    meta = PackageMetadata(name="feat-client", version="3.1.4", description="Our client")
    project = tomllib.loads(generate(FEATURES, meta=meta)["feat/pyproject.toml"])["project"]
    assert (project["name"], project["version"], project["description"]) == (
        "feat-client", "3.1.4", "Our client")


def test_hostile_info_stays_data(tmp_path: Path) -> None:
    title = 'x"\n[tool.evil]\nrun = "rm -rf /"\n<script>```'
    document = {"openapi": "3.1.0", "info": {"title": title, "version": '1"\n'},
                "servers": [{"url": "https://x/```\nimport os"}],
                "paths": {"/a": {"get": {"operationId": "a", "tags": ["t```<b>"],
                                         "responses": {"204": {"description": "x"}}}}}}
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document))
    files = generate(spec)
    data = tomllib.loads(files["feat/pyproject.toml"])
    assert set(data) == {"build-system", "project", "tool"} and set(data["tool"]) == {"hatch"}
    assert data["project"]["description"] == " ".join(f"Python bindings for {title} 1\"".split())
    readme = files["feat/README.md"]
    assert "<script>" not in readme and "<b>" not in readme
    fences = [line for line in readme.splitlines() if line.startswith("```")]
    assert len(fences) % 2 == 0 and all(f in ("```", "```sh", "```python") for f in fences)


@pytest.mark.slow
def test_installs_into_a_fresh_virtualenv(tmp_path: Path) -> None:
    """Build with pip (no build isolation, no network) and import from a fresh venv."""
    out = tmp_path / "out"
    write.write(out, "feat", generate(FEATURES))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # The dependencies (and the build backend) come from this interpreter's environment.
    (Path(purelib) / "host.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", str(out / "feat")],
        check=True, capture_output=True, text=True,
    )
    code = (
        "import importlib.metadata as m, pathlib, feat, feat.client, feat.server\n"
        "print(m.version('feat'))\n"
        "print(pathlib.Path(feat.__file__).parent.joinpath('py.typed').exists())\n"
        "from packaging.requirements import Requirement\n"
        "print(sorted(Requirement(r).name for r in m.requires('feat') or []))\n"
        "print('site-packages' in feat.__file__)\n"
    )
    done = subprocess.run([python, "-c", code], cwd=tmp_path, check=True,
                          capture_output=True, text=True)
    assert done.stdout.split("\n")[:4] == [
        "2", "True", "['fastapi', 'httpx', 'pydantic', 'python-multipart', 'typing-extensions']", "True"]


def test_from_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import apismith

    (tmp_path / "api.json").write_text(SEED.read_text())
    (tmp_path / "apismith.toml").write_text(
        '[[targets]]\nspec = "api.json"\noutput = "dist"\npackage = "tokens"\n'
        'package_metadata = { name = "tokens-client", version = "v1.2" }\n'
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(apismith, ["generate"]).exit_code == 0
    project = tomllib.loads((tmp_path / "dist/tokens/pyproject.toml").read_text())["project"]
    assert (project["name"], project["version"]) == ("tokens-client", "1.2")
    assert (tmp_path / "dist/tokens/tokens/client/_client.py").is_file()
    assert (tmp_path / "dist/tokens/README.md").read_text().startswith("# tokens-client\n")
    assert runner.invoke(apismith, ["check"]).exit_code == 0
