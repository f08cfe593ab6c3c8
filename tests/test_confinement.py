"""`$ref` confinement: a spec may reach files in its own folder (and below) and in folders
the user names (`Options.ref_roots`, config `ref_roots`, CLI `--ref-root`), nothing else."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import apismith
from generator.config import ConfigError, load_targets
from generator.diagnostics import SpecError
from generator.options import Options
from generator.pipeline import generate

SECRET = "s3cr3t-token-value"


def spec_with_ref(ref: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Leak": {"type": "object", "properties": {"x": {"$ref": ref}}}}},
    }


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """tmp/secret.json (outside), tmp/project/api/ (the spec's folder), tmp/shared/ok.json."""
    (tmp_path / "secret.json").write_text(json.dumps({"type": "string", "default": SECRET}))
    (tmp_path / "project" / "api" / "sub").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "ok.json").write_text(json.dumps({"type": "string", "description": "shared"}))
    (tmp_path / "project" / "api" / "inner.json").write_text(json.dumps({"type": "integer"}))
    return tmp_path


def write_spec(folder: Path, doc: dict[str, Any]) -> Path:
    # indent: the $ref sits on its own line, so the error can name that line
    spec = folder / "api.json"
    spec.write_text(json.dumps(doc, indent=2))
    return spec


def assert_refused(spec: Path, ref: str, fragment: str, options: Options | None = None) -> str:
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg", options=options)
    message = str(caught.value)
    assert "\n" not in message
    assert spec.name in message
    assert "/components/schemas/Leak/properties/x/$ref" in message
    assert repr(ref) in message
    assert fragment in message
    assert SECRET not in message
    line = re.search(r"api\.json:(\d+):", message)
    assert line is not None, message
    assert ref in spec.read_text().splitlines()[int(line.group(1)) - 1].replace("\\\\", "\\")
    return message


HOSTILE_REFS = {
    "dotdot": ("../../secret.json", "reaches outside"),
    "dotdot-after-descending": ("sub/../../../secret.json", "reaches outside"),
    "encoded-dotdot": ("%2e%2e/%2e%2e/secret.json", "reaches outside"),
    "encoded-slash": ("..%2F..%2Fsecret.json", "reaches outside"),
    "absolute": ("/etc/passwd", "absolute path"),
    "file-url": ("file:///etc/passwd", "file: URL"),
    "file-url-no-slashes": ("file:secret.json", "file: URL"),
    "file-url-upper": ("FILE:///etc/hostname", "file: URL"),
    "windows-drive-backslash": ("C:\\Windows\\win.ini", "relative path with forward slashes"),
    "windows-drive-slash": ("c:/secret.json", "relative path with forward slashes"),
    "unc": ("\\\\server\\share\\secret.json", "relative path with forward slashes"),
    "backslash-dotdot": ("..\\..\\secret.json", "relative path with forward slashes"),
    "nul": ("inner.json%00.png", "relative path with forward slashes"),
    "remote": ("https://example.com/secret.json", "remote $ref"),
    "scheme": ("urn:secret", "remote $ref"),
}


@pytest.mark.parametrize("case", list(HOSTILE_REFS))
def test_hostile_refs_are_refused_with_one_clear_line(layout: Path, case: str) -> None:
    ref, fragment = HOSTILE_REFS[case]
    spec = write_spec(layout / "project" / "api", spec_with_ref(ref))
    assert_refused(spec, ref, fragment)


def test_the_working_folder_grants_nothing(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(layout)  # secret.json is under the working folder
    spec = write_spec(layout / "project" / "api", spec_with_ref("../../secret.json"))
    assert_refused(spec, "../../secret.json", "--ref-root")


def test_refs_inside_the_spec_folder_may_use_dotdot(layout: Path) -> None:
    spec = write_spec(layout / "project" / "api", spec_with_ref("sub/../inner.json"))
    models = generate(spec, "pkg").files["pkg/models.py"]
    assert "x: int | MISSING" in models


def test_symlink_pointing_outside_is_refused(layout: Path) -> None:
    folder = layout / "project" / "api"
    os.symlink(layout / "secret.json", folder / "link.json")
    os.symlink(layout, folder / "up")
    for ref in ("link.json", "up/secret.json"):
        spec = write_spec(folder, spec_with_ref(ref))
        assert_refused(spec, ref, "reaches outside")


def test_symlink_loop_is_a_spec_error(layout: Path) -> None:
    folder = layout / "project" / "api"
    os.symlink(folder / "loop2.json", folder / "loop1.json")
    os.symlink(folder / "loop1.json", folder / "loop2.json")
    spec = write_spec(folder, spec_with_ref("loop1.json"))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    assert "\n" not in str(caught.value) and "loop1.json" in str(caught.value)


def test_a_referenced_file_cannot_reach_further_out(layout: Path) -> None:
    folder = layout / "project" / "api"
    (folder / "hop.json").write_text(json.dumps({"type": "object", "properties": {"y": {"$ref": "../../secret.json"}}}))
    spec = write_spec(folder, spec_with_ref("hop.json"))
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    message = str(caught.value)
    assert "hop.json" in message and "reaches outside" in message and "/properties/y/$ref" in message
    assert SECRET not in message


def test_ref_roots_option_widens_the_allowed_folders(layout: Path) -> None:
    spec = write_spec(layout / "project" / "api", spec_with_ref("../../shared/ok.json"))
    assert_refused(spec, "../../shared/ok.json", "reaches outside")
    models = generate(spec, "pkg", options=Options(ref_roots=(layout / "shared",))).files["pkg/models.py"]
    assert '"shared"' in models
    # Only that folder: its sibling stays refused.
    spec = write_spec(layout / "project" / "api", spec_with_ref("../../secret.json"))
    assert_refused(spec, "../../secret.json", "reaches outside", Options(ref_roots=(layout / "shared",)))


def test_ref_roots_symlinked_folder_is_resolved(layout: Path) -> None:
    os.symlink(layout / "shared", layout / "shared-link")
    spec = write_spec(layout / "project" / "api", spec_with_ref("../../shared/ok.json"))
    assert generate(spec, "pkg", options=Options(ref_roots=(layout / "shared-link",))).files


def test_config_ref_roots_are_relative_to_the_config_file(layout: Path) -> None:
    project = layout / "project"
    write_spec(project / "api", spec_with_ref("../../shared/ok.json"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        '[[tool.apismith.targets]]\nspec = "api/api.json"\noutput = "out"\nref_roots = ["../shared"]\n'
    )
    [target] = load_targets(pyproject)
    assert target.options.ref_roots == ((layout / "shared").resolve(),)
    assert generate(target.spec, target.package, target.only, target.options).files


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"../shared"', "ref_roots: input should be a valid list"), ('["missing"]', "ref_roots folder not found"),
     ("[1]", r"ref_roots\[0\]: input should be a valid string")],
)
def test_config_ref_roots_errors(layout: Path, value: str, expected: str) -> None:
    project = layout / "project"
    write_spec(project / "api", spec_with_ref("inner.json"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(f'[[tool.apismith.targets]]\nspec = "api/api.json"\noutput = "out"\nref_roots = {value}\n')
    with pytest.raises(ConfigError, match=expected):
        load_targets(pyproject)


@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_cli_ref_root_flag(layout: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(layout)
    spec = write_spec(layout / "project" / "api", spec_with_ref("../../shared/ok.json"))
    out = ["-o", str(layout / "out")] if command != "validate" else []
    refused = CliRunner().invoke(apismith, [command, str(spec), *out])
    assert refused.exit_code == 1 and "reaches outside" in refused.stderr
    allowed = CliRunner().invoke(apismith, [command, str(spec), *out, "--ref-root", "shared", "--ref-root", "project"])
    # check exits 1 (nothing generated yet) but no longer for the $ref
    assert "reaches outside" not in allowed.stderr, allowed.stderr
    assert allowed.exit_code == (1 if command == "check" else 0), allowed.output


def test_cli_ref_root_extends_configured_targets(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = layout / "project"
    write_spec(project / "api", spec_with_ref("../../shared/ok.json"))
    (project / "pyproject.toml").write_text('[[tool.apismith.targets]]\nspec = "api/api.json"\noutput = "out"\n')
    monkeypatch.chdir(project)
    assert CliRunner().invoke(apismith, ["generate"]).exit_code == 1
    result = CliRunner().invoke(apismith, ["generate", "--ref-root", "../shared"])
    assert result.exit_code == 0, result.output
    assert (project / "out" / "api" / "models.py").is_file()
