"""--timings, progress on a terminal, --quiet and the closing summary of the CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import apismith
from generator.timing import STAGES

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "specs/ondayzero-token.openapi.json"
PIPELINE_STAGES = [s for s in STAGES if s not in ("write", "locate")]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(apismith, [str(a) for a in args])


def target(tmp_path: Path) -> list[str | Path]:
    return [SPEC, "-o", tmp_path / "out", "--package", "ondayzero"]


def stage_lines(stderr: str) -> dict[str, tuple[float, float]]:
    found = {}
    for line in stderr.splitlines():
        match = re.fullmatch(r"apismith: (\w+) +(\d+\.\d\d) +(\d+\.\d\d)", line)
        if match:
            found[match[1]] = (float(match[2]), float(match[3]))
    return found


@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_timings_print_cpu_and_wall_seconds_per_stage(tmp_path: Path, command: str) -> None:
    args = [SPEC] if command == "validate" else target(tmp_path)
    result = run(command, *args, "--timings")
    assert result.exit_code in (0, 1), result.output
    stages = stage_lines(result.stderr)
    assert [*PIPELINE_STAGES, "total"] == [s for s in stages if s in (*PIPELINE_STAGES, "total")]
    if command != "validate":
        assert "write" in stages
    total_cpu = stages["total"][0]
    assert sum(cpu for name, (cpu, _) in stages.items() if name != "total") == pytest.approx(
        total_cpu, abs=0.02 * len(stages)
    )


def test_no_timings_without_the_flag(tmp_path: Path) -> None:
    result = run("generate", *target(tmp_path))
    assert result.exit_code == 0
    assert stage_lines(result.stderr) == {}


def test_summary_counts_files_warnings_and_seconds(tmp_path: Path) -> None:
    first = run("generate", *target(tmp_path))
    *_, summary = first.stderr.splitlines()
    assert re.fullmatch(
        r"apismith: (\d+) written, 0 unchanged, 0 removed, (\d+) warnings? in \d+\.\d\d s", summary
    ), summary
    written = int(summary.split()[1])
    assert written == len([p for p in (tmp_path / "out").rglob("*") if p.is_file()]) - 1
    *_, again = run("generate", *target(tmp_path)).stderr.splitlines()
    assert again.startswith(f"apismith: 0 written, {written} unchanged, 0 removed, ")
    *_, checked = run("check", *target(tmp_path)).stderr.splitlines()
    assert checked.startswith("apismith: 1 up to date, ")


def test_check_summary_names_out_of_date_targets(tmp_path: Path) -> None:
    assert run("generate", *target(tmp_path)).exit_code == 0
    (tmp_path / "out/ondayzero/models.py").write_text("# edited\n")
    result = run("check", *target(tmp_path))
    assert result.exit_code == 1
    assert "apismith: 1 of 1 out of date, " in result.stderr


def test_quiet_prints_only_diagnostics(tmp_path: Path) -> None:
    result = run("generate", *target(tmp_path), "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert all(": warning: " in line for line in result.stderr.splitlines())
    assert (tmp_path / "out/ondayzero/models.py").is_file()


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run("generate", *target(tmp_path))  # CliRunner's stderr is not a TTY
    assert "\r" not in result.stderr and "..." not in result.stderr


def test_progress_names_stages_and_counts_when_forced(tmp_path: Path) -> None:
    result = run("generate", *target(tmp_path), "--progress")
    assert result.exit_code == 0
    assert "apismith: ondayzero: build (" in result.stderr and " schema" in result.stderr
    assert "apismith: ondayzero: render (" in result.stderr
    assert "\r\x1b[K" in result.stderr
    last = result.stderr.rsplit("\r\x1b[K", 1)[1]
    assert "..." not in last  # cleared before the summary


def test_progress_follows_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from generator import cli

    shown = cli._Run(False, False, None)
    assert shown.stages.progress is None  # pytest's stderr is no terminal
    monkeypatch.setattr("sys.stderr", Terminal())
    assert cli._Run(False, False, None).stages.progress is not None
    assert cli._Run(False, True, None).stages.progress is None  # --quiet
    assert cli._Run(False, False, False).stages.progress is None  # --no-progress
