"""`apismith generate --watch`: what is watched, the loop, and the command end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.commands import watch

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "specs/ondayzero-token.openapi.json"
WAIT = 60.0  # seconds: a bound against hangs, not a timing assertion


def test_referenced_files_are_followed(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\npaths:\n  /a: {$ref: 'paths/a.yaml'}\n"
        "x: {$ref: '#/paths'}\ny: {$ref: 'https://example.com/remote.yaml'}\n"
    )
    (tmp_path / "paths").mkdir()
    (tmp_path / "paths/a.yaml").write_text("get: {$ref: '../common.yaml#/op'}\n")
    (tmp_path / "common.yaml").write_text("op: {responses: {}}\n")
    assert watch.referenced(tmp_path / "api.yaml") == {
        (tmp_path / name).resolve() for name in ("api.yaml", "paths/a.yaml", "common.yaml")
    }


def test_loop_runs_again_on_change_and_stops(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    other = tmp_path / "unrelated.txt"
    spec.write_text("v: 1\n")
    seen: list[str] = []
    first, second = threading.Event(), threading.Event()
    stop = threading.Event()

    def run() -> list[Path]:
        seen.append(spec.read_text())
        (second if first.is_set() else first).set()
        return [spec]

    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(watch.watch(run, debounce_ms=50, stop_event=stop))
    )
    thread.start()
    try:
        assert first.wait(WAIT)
        # The watcher starts right after the first run; write until it notices.
        for i in range(2, 200):
            other.write_text(str(i))  # not watched: never triggers a run
            spec.write_text(f"v: {i}\n")
            if second.wait(0.25):
                break
        assert second.is_set()
    finally:
        stop.set()
        thread.join(WAIT)
    assert not thread.is_alive()
    # Two runs, or three if a write landed while the second ran (it is then read again).
    assert result in ([2], [3]) and seen[0] == "v: 1\n" and seen[1] != "v: 1\n"


def test_without_watchfiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)
    with pytest.raises(watch.WatchUnavailable, match=r"pip install 'apismith\[watch\]'"):
        watch.watch(list)


def test_generate_watch_runs_once_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import apismith

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        apismith, ["generate", str(SEED), "-o", "out", "--watch", "--watch-runs", "1"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "apismith: watching 1 files; Ctrl-C ends"
    assert (tmp_path / "out/ondayzero_token_openapi/models.py").is_file()


@pytest.mark.slow
def test_generate_watch_end_to_end(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(SEED.read_text())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", "out",
               "--watch", "--watch-runs", "2"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("apismith: watching"):
                break
        document = json.loads(spec.read_text())
        document["paths"].popitem()  # remove an operation
        for i in range(200):
            if process.poll() is not None:
                break
            document["info"]["version"] = f"1.0.{i}"
            spec.write_text(json.dumps(document))
            try:
                process.wait(0.25)
            except subprocess.TimeoutExpired:
                continue
        rest, _ = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert output.count("apismith: watching 1 files") == 2
    assert "api: 0 written, " not in output.splitlines()[0]
    assert "breaking for clients" in output and "operation" in output
