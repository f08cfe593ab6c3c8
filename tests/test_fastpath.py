"""The no-change fast path: skips the pipeline only when no input and no output changed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import fastpath, pipeline
from generator.cli import apismith
from generator.config import Target
from generator.write import MANIFEST

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
            (root / "out/pets" / MANIFEST).read_text().replace('"fingerprint": "', '"fingerprint": "0')
        ),
    ],
    ids=["spec", "referenced-file", "edited-output", "deleted-output", "stamp"],
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
    assert len(pipeline_calls) == 3
    if "Cats" not in (project / "api.yaml").read_text() and "Its" not in (
        project / "common.yaml"
    ).read_text():  # output restored to what the inputs give
        assert {p: p.read_bytes() for p in (project / "out").rglob("*.py")} == expected
    assert run("generate").exit_code == 0
    assert len(pipeline_calls) == 3  # and fresh again


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


def test_a_stale_stamp_alone_does_not_fail_check(project: Path) -> None:
    assert run("generate").exit_code == 0
    manifest = project / "out/pets" / MANIFEST
    lines = manifest.read_text().splitlines(keepends=True)
    manifest.write_text("".join(ln for ln in lines if not ln.startswith(fastpath.STAMP)))
    result = run("check")
    assert result.exit_code == 0, result.output


def test_stamp_lists_inputs_relative_to_the_spec(project: Path) -> None:
    assert run("generate").exit_code == 0
    text = (project / "out/pets" / MANIFEST).read_text()
    [line] = [ln for ln in text.splitlines() if ln.startswith(fastpath.STAMP)]
    record = json.loads(line.removeprefix(fastpath.STAMP))
    assert record["files"] == ["api.yaml", "common.yaml"]
    assert str(project) not in text  # no machine paths in a committed file


def test_inputs_outside_the_allowed_folders_are_never_read(project: Path) -> None:
    assert run("generate").exit_code == 0
    manifest = project / "out/pets" / MANIFEST
    manifest.write_text(manifest.read_text().replace('"common.yaml"', '"../../etc/passwd"'))
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
    first = fastpath.stamp(target, [], 0)
    assert fastpath.stamp(target, [], 0) == first
    (folder / "models.py.j2").write_text("two")
    assert fastpath.stamp(target, [], 0) != first
