"""Diagnostics output: `file:line:col: severity: message [pointer]`, grouped by file in document
order with a count; --strict makes warnings fail; --quiet prints errors only."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import apismith
from generator.diagnostics import Diagnostic, Severity, report
from generator.pipeline import generate

W = Severity.WARNING
E = Severity.ERROR


def test_one_diagnostic_per_line() -> None:
    assert str(Diagnostic(W, "odd\nthing", "/a/b", "api.yaml", 3, 7)) == "api.yaml:3:7: warning: odd thing [/a/b]"
    assert str(Diagnostic(E, "bad", "/a", "api.yaml", 3)) == "api.yaml:3: error: bad [/a]"
    assert str(Diagnostic(W, "odd", "", "api.yaml")) == "api.yaml: warning: odd"


def test_report_groups_by_file_in_document_order_and_counts() -> None:
    diagnostics = [
        Diagnostic(W, "late", "/z", "a.yaml", 9, 1),
        Diagnostic(W, "other file", "/x", "b.yaml", 1, 1),
        Diagnostic(E, "early", "/y", "a.yaml", 2, 5),
        Diagnostic(W, "same line, left", "/w", "a.yaml", 2, 1),
        Diagnostic(W, "late", "/z", "a.yaml", 9, 1),  # repeated: printed once
    ]
    assert report(diagnostics) == [
        "a.yaml:2:1: warning: same line, left [/w]",
        "a.yaml:2:5: error: early [/y]",
        "a.yaml:9:1: warning: late [/z]",
        "b.yaml:1:1: warning: other file [/x]",
        "3 warnings, 1 error",
    ]
    assert report(diagnostics, quiet=True) == ["a.yaml:2:5: error: early [/y]", "3 warnings, 1 error"]
    assert report([Diagnostic(W, "x")], quiet=True) == []
    assert report([]) == []


def _minified(tmp_path: Path) -> Path:
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": 2},
           "paths": {"/a": {"get": {"responses": {"200": {}}}}}}
    path = tmp_path / "min.json"
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return path


def test_columns_in_minified_json(tmp_path: Path) -> None:
    path = _minified(tmp_path)
    text = path.read_text()
    positions = {d.pointer: (d.line, d.column) for d in generate(path, "pkg").diagnostics}
    assert positions["/info/version"] == (1, text.index('"version"') + 1)
    assert positions["/paths/~1a/get/responses/200"] == (1, text.index('"200"') + 1)


def test_cli_prints_the_report(tmp_path: Path) -> None:
    path = _minified(tmp_path)
    result = CliRunner().invoke(apismith, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    *lines, count, summary = result.stderr.splitlines()
    assert count == "2 warnings, 0 errors"
    assert summary.startswith("apismith: 1") and summary.endswith(" s")  # files checked, time
    assert lines and all(line.startswith(f"{path}:1:") for line in lines)


def test_strict_turns_warnings_into_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    path = _minified(tmp_path)
    out = tmp_path / "out"
    for command in (["generate", str(path), "-o", str(out)], ["check", str(path), "-o", str(out)],
                    ["validate", str(path)]):
        result = CliRunner().invoke(apismith, [*command, "--strict"])
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[-1] == "apismith: error: warnings are errors with --strict"
    assert not out.exists()
    assert CliRunner().invoke(apismith, ["generate", str(path), "-o", str(out)]).exit_code == 0


def test_quiet_prints_no_warnings(tmp_path: Path) -> None:
    path = _minified(tmp_path)
    result = CliRunner().invoke(apismith, ["generate", str(path), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "out" / "min" / "models.py").is_file()
    # Errors are still printed.
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"
                   "components: {securitySchemes: {key: {in: header, name: X-Key}}}\n")
    result = CliRunner().invoke(apismith, ["validate", str(bad), "-q"])
    assert result.exit_code == 1 and "error: invalid OpenAPI" in result.stderr
