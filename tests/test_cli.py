"""The `apismith` CLI: fake pipelines for the plumbing, the real one end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import __version__, cli, pipeline
from generator.cli import apismith
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.options import Options
from generator.output.write import MANIFEST

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "specs/ondayzero-token.openapi.json"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(apismith, [str(a) for a in args])


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def pyproject(root: Path, *targets: tuple[str, str, str]) -> None:
    """Write a pyproject with (spec, output, package) targets into `root`."""
    text = "[tool.apismith]\n" + "".join(
        f'[[tool.apismith.targets]]\nspec = "{s}"\noutput = "{o}"\npackage = "{p}"\n'
        for s, o, p in targets
    )
    (root / "pyproject.toml").write_text(text)


# ------------------------------------------------------------ without the pipeline

WARNING = Diagnostic(Severity.WARNING, "something odd", "/paths")
SHARED = Diagnostic(Severity.WARNING, "shared oddity", "/x", "common.yaml", 3)


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Specs named `bad*` fail; others give two modules and two warnings."""

    def generate(
        spec: Path,
        package: str,
        only: frozenset[str],
        options: Options | None = None,
        stages: object = None,
        processes: int = 1,
        extra: object = None,  # no IR here: no extra files
    ) -> pipeline.Generated:
        if spec.name.startswith("bad"):
            raise SpecError(Diagnostic(Severity.ERROR, "broken", "/openapi", str(spec)))
        models = f"# {spec.name}\n"
        files = {f"{package}/__init__.py": "", f"{package}/models.py": models}
        return pipeline.Generated(files, (WARNING, SHARED))

    monkeypatch.setattr(pipeline, "generate", generate)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"apismith, version {__version__}\n"


def test_main_module_runs() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, f"apismith, version {__version__}\n")


def test_the_process_ends_with_the_commands_status_and_all_its_output(tmp_path: Path) -> None:
    """`main` ends the process at once (`os._exit`): the status is the command's, and what
    it printed is flushed first, through a pipe too."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def module(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                              text=True, env=env, check=False)

    helped = module("generate", "--help")
    words = run("generate", "--help").output.split()  # wrapped to another width, maybe
    assert (helped.returncode, helped.stdout.split()) == (0, words)
    missing = module("generate", str(tmp_path / "missing.json"), "-o", str(tmp_path / "out"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    (tmp_path / "bad.json").write_text('{"openapi": "3.0.3", "paths": {', encoding="utf-8")
    failed = module("generate", str(tmp_path / "bad.json"), "-o", str(tmp_path / "out"))
    assert failed.returncode == 1 and "bad.json" in failed.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), ("a message", 1)])
def test_exit_status_is_what_sys_exit_would_end_with(
        code: object, status: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli._exit_status(code) == status
    assert capsys.readouterr().err == ("a message\n" if isinstance(code, str) else "")


@pytest.mark.parametrize("command", [[], ["generate"], ["check"], ["validate"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "apismith " in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["generate", str(SPEC), "--only", "models,docs"],
        ["generate", str(SPEC), "--package", "my-package"],
        ["generate", "does-not-exist.yaml"],
        ["validate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_targets_from_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline: None
) -> None:
    (tmp_path / "a.yaml").write_text("")
    (tmp_path / "b.yaml").write_text("")
    pyproject(tmp_path, ("a.yaml", "out", "alpha"), ("b.yaml", "out", "beta"))
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")

    result = run("generate")

    assert result.exit_code == 0, result.output
    out = tmp_path / "out"  # outside the cwd: shown in full
    assert result.stdout.splitlines() == [
        f"alpha: 2 written, 0 unchanged, 0 removed → {out}",
        f"beta: 2 written, 0 unchanged, 0 removed → {out}",
    ]
    # Warnings name their file; the same one from both targets is printed once.
    *warnings, summary = stderr_lines(result)
    assert summary.startswith("apismith: 4 written, 0 unchanged, 0 removed, 3 warnings in ")
    assert warnings == [
        f"{tmp_path / 'a.yaml'}: warning: something odd [/paths]",
        "common.yaml:3: warning: shared oddity [/x]",
        f"{tmp_path / 'b.yaml'}: warning: something odd [/paths]",
        "3 warnings, 0 errors",
    ]
    assert (out / "beta/models.py").read_text() == "# b.yaml\n"
    monkeypatch.chdir(tmp_path)
    assert run("check").stdout.splitlines() == [
        "alpha: up to date → out",
        "beta: up to date → out",
    ]


def test_nothing_is_written_when_any_target_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline: None
) -> None:
    (tmp_path / "good.yaml").write_text("")
    (tmp_path / "bad.yaml").write_text("")
    pyproject(tmp_path, ("good.yaml", "out", "good"), ("bad.yaml", "out", "bad"))
    monkeypatch.chdir(tmp_path)

    result = run("generate")

    assert result.exit_code == 1
    assert stderr_lines(result) == [f"{tmp_path / 'bad.yaml'}: error: broken [/openapi]"]
    assert not (tmp_path / "out").exists()


def test_write_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evil = pipeline.Generated({"../evil.py": "x = 1\n"}, ())
    monkeypatch.setattr(pipeline, "generate", lambda *args: evil)
    result = run("generate", SPEC, "-o", tmp_path / "out")
    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert line.startswith("apismith: error: unsafe path '../evil.py'")
    assert not (tmp_path / "evil.py").exists()


def test_config_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.apismith]\nspecs = []\n")
    monkeypatch.chdir(tmp_path)
    for command in ("generate", "check"):
        result = run(command)
        assert result.exit_code == 1
        [line] = stderr_lines(result)
        assert line.startswith("apismith: error: ") and "unknown key 'specs'" in line


def test_error_diagnostics_fail_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = Diagnostic(Severity.ERROR, "bad", "/x")
    monkeypatch.setattr(
        pipeline, "generate", lambda *args: pipeline.Generated({}, (WARNING, error))
    )
    result = run("validate", SPEC)
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"{SPEC}: warning: something odd [/paths]",
        f"{SPEC}: error: bad [/x]",
        "1 warning, 1 error",
    ]


# ------------------------------------------------------------ with the real pipeline


def test_generate_then_check(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("generate", SPEC, "-o", out, "--package", "ondayzero")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ondayzero: ")
    assert (out / "ondayzero/models.py").is_file()
    assert (out / "ondayzero" / MANIFEST).is_file()

    result = run("check", SPEC, "-o", out, "--package", "ondayzero")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout

    result = run("generate", SPEC, "-o", out, "--package", "ondayzero")
    assert result.exit_code == 0, result.output
    assert " 0 written, " in result.stdout


def test_check_fails_after_the_spec_changes(tmp_path: Path) -> None:
    spec, out = tmp_path / SPEC.name, tmp_path / "out"
    shutil.copy(SPEC, spec)
    args = (spec, "-o", out, "--package", "ondayzero")
    assert run("generate", *args).exit_code == 0

    document = json.loads(spec.read_text())
    schema = document["components"]["schemas"]["OAuthTokenResponse"]
    schema["properties"]["access_token"]["description"] = "A brand new description"
    spec.write_text(json.dumps(document))

    before = {p: p.read_bytes() for p in files_in(out)}
    result = run("check", *args)
    assert result.exit_code == 1
    assert "stale: ondayzero/models.py" in result.stdout
    assert "+" in result.stdout and "A brand new description" in result.stdout
    assert {p: p.read_bytes() for p in files_in(out)} == before  # check writes nothing

    assert run("generate", *args).exit_code == 0
    result = run("check", *args)
    assert result.exit_code == 0, result.output


def test_validate_ok() -> None:
    result = run("validate", SPEC)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{SPEC}: OK")


def test_generate_the_configured_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SPEC, tmp_path / "api.json")
    pyproject(tmp_path, ("api.json", "generated", "ondayzero"))
    monkeypatch.chdir(tmp_path)
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "generated/ondayzero/models.py").is_file()
    assert run("check").exit_code == 0


def dangling_ref() -> str:
    document = json.loads(SPEC.read_text())
    schema = document["components"]["schemas"]["HTTPValidationError"]
    schema["properties"]["detail"]["items"]["$ref"] = "#/components/schemas/Nope"
    return json.dumps(document)


BAD_INPUTS = {
    "garbage.yaml": "openapi: [3.1\n  - : :\n",
    "not-openapi.json": '{"hello": "world"}',
    "dangling.json": dangling_ref(),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, name: str, command: str
) -> None:
    spec, out = tmp_path / name, tmp_path / "out"
    spec.write_text(BAD_INPUTS[name])
    options: list[str | Path] = ["-o", out] if command != "validate" else []
    result = run(command, spec, *options)
    assert result.exit_code not in (0, 2), result.output
    [line] = stderr_lines(result)
    assert line.strip() and name in line
    assert files_in(out) == []
