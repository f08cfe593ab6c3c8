"""benchmarks/conformance.py: the table, expected errors, and its exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import conformance  # noqa: E402

GOOD = {
    "openapi": "3.1.0",
    "info": {"title": "Good", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "a", "responses": {"204": {"description": "ok"}}}}},
}
BROKEN = {**GOOD, "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}}


def test_table_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.json").write_text(json.dumps(GOOD))
    (folder / "sub" / "broken.json").write_text(json.dumps(BROKEN))
    (folder / "notes.json").write_text('{"not": "a spec"}')  # not an OpenAPI document: skipped
    expect = tmp_path / "expect.tsv"
    expect.write_text("sub/*\tpoints at nothing\n")

    assert conformance.main([str(folder), "--no-mypy", "--expect", str(expect), "--jobs", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["document", "result", "warnings", "compile", "import", "create_app", "mypy", "seconds"]
    rows = {line.split()[0]: line for line in out[1:-1]}
    assert set(rows) == {"good.json", "sub/broken.json"}
    assert rows["good.json"].split()[1:7] == ["ok", "0", "ok", "ok", "ok", "-"]
    assert "expected error" in rows["sub/broken.json"]
    assert out[-1] == "1 ok, 0 warnings, 1 expected error, 0 failed of 2 documents"

    # Without the expectation, the refusal is a failure: exit status 1, the reason on stderr.
    assert conformance.main([str(folder), "--no-mypy"]) == 1
    captured = capsys.readouterr()
    assert "1 failed" in captured.out
    assert "FAILED sub/broken.json:" in captured.err and "points at nothing" in captured.err
