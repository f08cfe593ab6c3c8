"""The no-change fast path: skips the pipeline only when no input and no output changed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import pipeline
from generator.cli import apismith
from generator.config import Target
from generator.output import fastpath
from generator.output.write import MANIFEST

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "common.yaml#/components/schemas/Pet"}
"""
COMMON = """\
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, description: The name}
"""


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("APISMITH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "api.yaml").write_text(SPEC)
    (tmp_path / "common.yaml").write_text(COMMON)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(apismith, [*args, "api.yaml", "-o", "out", "--package", "pets"])


def mtimes(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def pipeline_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record each real pipeline run."""
    calls: list[Path] = []
    real = pipeline.generate

    def counting(spec: Path, *args: object) -> pipeline.Generated:
        calls.append(spec)
        return real(spec, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "generate", counting)
    return calls


def test_no_change_generate_and_check_skip_the_pipeline_and_touch_nothing(
    project: Path, pipeline_calls: list[Path]
) -> None:
    assert run("generate").exit_code == 0
    assert len(pipeline_calls) == 1
    before = mtimes(project / "out")

    again = run("generate")
    assert again.exit_code == 0, again.output
    assert "0 written" in again.stdout and "(no input changed)" in again.stdout
    check = run("check")
    assert check.exit_code == 0, check.output
    assert "pets: up to date → out" in check.stdout
    assert len(pipeline_calls) == 1  # neither ran the pipeline
    assert mtimes(project / "out") == before


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "api.yaml").write_text(SPEC.replace("title: Pets", "title: Cats")),
        lambda root: (root / "common.yaml").write_text(COMMON.replace("The name", "Its name")),
        lambda root: (root / "out/pets/models.py").write_text("# edited by hand\n"),
        lambda root: (root / "out/pets/client/_core.py").unlink(),
        lambda root: (root / "out/pets" / MANIFEST).write_text(
            (root / "out/pets" / MANIFEST).read_text() + "# a comment\n"
        ),
        lambda root: [p.write_text("{") for p in (root / "cache").rglob("*.json")],
        lambda root: [p.unlink() for p in (root / "cache").rglob("*.json")],
    ],
    ids=["spec", "referenced-file", "edited-output", "deleted-output", "manifest", "corrupt-record",
         "no-record"],
)
def test_any_changed_input_or_output_runs_the_pipeline(
    project: Path, pipeline_calls: list[Path], change: object
) -> None:
    assert run("generate").exit_code == 0
    expected = {p: p.read_bytes() for p in (project / "out").rglob("*.py")}
    change(project)  # type: ignore[operator]
    assert run("check").exit_code in (0, 1)
    assert len(pipeline_calls) == 2  # check could not trust the output
    assert run("generate").exit_code == 0
    # check re-records output it found current; otherwise generate runs the pipeline too
    after = len(pipeline_calls)
    assert after in (2, 3)
    if "Cats" not in (project / "api.yaml").read_text() and "Its" not in (
        project / "common.yaml"
    ).read_text():  # output restored to what the inputs give
        assert {p: p.read_bytes() for p in (project / "out").rglob("*.py")} == expected
    assert run("generate").exit_code == 0
    assert len(pipeline_calls) == after  # and fresh again


def test_check_reports_a_hand_edited_file(project: Path) -> None:
    assert run("generate").exit_code == 0
    (project / "out/pets/models.py").write_text("# edited by hand\n")
    result = run("check")
    assert result.exit_code == 1
    assert "stale: pets/models.py" in result.stdout


def test_other_parts_package_or_force_run_the_pipeline(
    project: Path, pipeline_calls: list[Path]
) -> None:
    assert run("generate").exit_code == 0
    assert run("generate", "--only", "models").exit_code == 0
    assert run("generate", "--only", "models").exit_code == 0
    assert len(pipeline_calls) == 2
    assert run("generate", "--only", "models", "--force").exit_code == 0
    assert len(pipeline_calls) == 3


def test_a_new_apismith_runs_the_pipeline(
    project: Path, pipeline_calls: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("generate").exit_code == 0
    monkeypatch.setattr(fastpath, "_code_digest", lambda: "another apismith")
    assert run("generate").exit_code == 0
    assert len(pipeline_calls) == 2


def test_record_lists_inputs_relative_to_the_spec(project: Path, cache: Path) -> None:
    assert run("generate").exit_code == 0
    [record] = cache.rglob("*.json")
    data = json.loads(record.read_text())
    assert data["inputs"] == ["api.yaml", "common.yaml"]
    assert MANIFEST in data["outputs"] and "models.py" in data["outputs"]
    assert not [p for p in (project / "out").rglob("*") if "cache" in p.name]  # none in the repo


def test_a_tampered_output_with_a_matching_manifest_is_still_caught(project: Path) -> None:
    """A committed manifest can be edited along with the code; the record is not committed."""
    assert run("generate").exit_code == 0
    models = project / "out/pets/models.py"
    tampered = models.read_text() + "import os  # injected\n"
    models.write_text(tampered)
    manifest = project / "out/pets" / MANIFEST
    digest = hashlib.sha256(tampered.encode()).hexdigest()
    manifest.write_text("".join(
        f"{digest}  models.py\n" if ln.endswith("  models.py\n") else ln
        for ln in manifest.read_text().splitlines(keepends=True)
    ))
    result = run("check")
    assert result.exit_code == 1
    assert "stale: pets/models.py" in result.stdout


def test_inputs_outside_the_allowed_folders_are_never_read(project: Path, cache: Path) -> None:
    assert run("generate").exit_code == 0
    [record] = cache.rglob("*.json")
    record.write_text(record.read_text().replace('"common.yaml"', '"../../etc/passwd"'))
    target = Target(project / "api.yaml", Path("out"), "pets", frozenset(pipeline.PARTS))
    assert fastpath.fresh(target) is None


@dataclasses.dataclass(frozen=True)
class _TemplateOptions:
    templates: Path | None = None


def test_template_folder_contents_are_an_input(project: Path) -> None:
    folder = project / "templates"
    folder.mkdir()
    (folder / "models.py.j2").write_text("one")
    options = _TemplateOptions(folder)
    target = Target(project / "api.yaml", Path("out"), "pets", frozenset(), options)  # type: ignore[arg-type]
    base = project

    def fingerprint() -> str:
        return fastpath._fingerprint(target, base, ["api.yaml"])

    first = fingerprint()
    assert fingerprint() == first
    (folder / "models.py.j2").write_text("two")
    assert fingerprint() != first


def test_a_run_with_nothing_to_regenerate_does_not_import_the_pipeline(project: Path) -> None:
    """The fast path starts light: no openapi-pydantic, builder or templates (about half of
    a no-change run's time was importing them)."""
    assert run("generate").exit_code == 0
    script = (
        "import sys\n"
        "from generator.cli import apismith\n"
        "apismith(['generate', 'api.yaml', '-o', 'out', '--package', 'pets'], standalone_mode=False)\n"
        "print(sorted(m for m in ('openapi_pydantic', 'jinja2', 'generator.pipeline',"
        " 'generator.builder') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "no input changed" in done.stdout
    assert done.stdout.rstrip().endswith("[]")
