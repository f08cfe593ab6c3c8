"""Large APIs: models as a package of parts in dependency order, each imported on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import ir
from generator.pipeline import generate
from generator.render import model_parts

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "tests/fixtures/features.openapi.yaml"


def _ref(name: str) -> ir.TypeRef:
    return ir.TypeRef("model", name)


def _model(name: str, *refs: str) -> ir.ObjectModel:
    fields = tuple(ir.Field(f"f{i}", f"f{i}", _ref(r), True, None) for i, r in enumerate(refs))
    return ir.ObjectModel(name, name, fields)


def _api(*models: ir.Model) -> ir.Api:
    return ir.Api(title="t", version="1", description=None, servers=(), models=models, tags=(),
                  security_schemes=(), security=(), security_raw=None, source_name="t.json")


def test_a_cycle_stays_in_one_part_and_parts_import_only_earlier_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_parts, "PART_SIZE", 2)
    api = _api(_model("A", "B"), _model("B", "C"), _model("C", "B"), _model("D", "A"),
               _model("E"), _model("F", "E", "D"))
    parts = model_parts.parts(api)
    where = {m.name: n for n, p in enumerate(parts) for m in p.api.models}
    assert sorted(where) == ["A", "B", "C", "D", "E", "F"]
    assert where["B"] == where["C"]  # the cycle B <-> C
    for n, part in enumerate(parts):
        for module, names in part.imports:
            for name in names:
                assert where[name] < n and parts[where[name]].module == module
        assert part.api.tags == ()
    assert [p.module for p in parts] == sorted(p.module for p in parts)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The features fixture generated with parts of at most 3 models."""
    patch = pytest.MonkeyPatch()
    patch.setattr(model_parts, "SPLIT_AT", 3)
    patch.setattr(model_parts, "PART_SIZE", 3)
    try:
        files = generate(FEATURES, "features").files
    finally:
        patch.undo()
    root = tmp_path_factory.mktemp("parts")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def _run(root: Path, *args: str) -> str:
    result = subprocess.run(args, cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_package_imports_no_part_until_a_model_is_used(package: Path) -> None:
    parts = sorted(p.stem for p in (package / "features/models").glob("_part*.py"))
    assert len(parts) > 2
    out = _run(package, sys.executable, "-c", (
        "import sys, features.models as m\n"
        "loaded = lambda: sorted(k for k in sys.modules if k.startswith('features.models.'))\n"
        "print(loaded())\n"
        "for name in m.__all__:\n"
        "    value = getattr(m, name)\n"
        "    if hasattr(value, 'model_json_schema'):\n"
        "        value.model_json_schema()  # builds, resolving names across parts\n"
        "print(len(loaded()))\n"
    ))
    first, count = out.splitlines()
    assert first == "[]"
    assert int(count) >= len(parts)


def test_client_and_server_work_with_the_package(package: Path) -> None:
    _run(package, sys.executable, "-c", (
        "import features.client, features.server\n"
        "class Stub:\n"
        "    def __getattr__(self, name): return lambda **kw: None\n"
        "features.server.create_app(Stub()).openapi()\n"
    ))


def test_the_package_passes_the_gates(package: Path) -> None:
    _run(package, sys.executable, "-m", "mypy", "--strict", "features")
    _run(package, sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"),
         "features")
    _run(package, sys.executable, "-m", "black", "--check", "--quiet", "features")
