"""`apismith scaffold` and `apismith mock`, end to end: the scaffold type-checks against the
generated package and is never overwritten; the mock serves every operation over a socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from serverkit import FIXTURES, WIDGETS_SPEC, write_package

from generator.cli import apismith

REPO = Path(__file__).resolve().parent.parent


def _mypy(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", *targets], cwd=folder,
                          capture_output=True, text=True)


def test_scaffold_writes_once_and_type_checks(tmp_path: Path) -> None:
    write_package(WIDGETS_SPEC, "widgets", tmp_path)
    target = tmp_path / "service.py"
    runner = CliRunner()
    result = runner.invoke(apismith, ["scaffold", str(WIDGETS_SPEC), "-o", str(target), "--package", "widgets"])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.count("raise NotImplementedError") == 12  # 8 operations, 4 security handlers
    assert "app = create_app(Service())" in text
    checked = _mypy(tmp_path, "service.py")
    assert checked.returncode == 0, checked.stdout
    target.write_text(text + "# mine\n")
    again = runner.invoke(apismith, ["scaffold", str(WIDGETS_SPEC), "-o", str(target), "--package", "widgets"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert target.read_text().endswith("# mine\n")


def test_scaffolded_methods_raise_not_implemented(tmp_path: Path) -> None:
    write_package(WIDGETS_SPEC, "widgets", tmp_path)
    target = tmp_path / "service.py"
    assert CliRunner().invoke(apismith, ["scaffold", str(WIDGETS_SPEC), "-o", str(target),
                                         "--package", "widgets"]).exit_code == 0
    code = ("import asyncio, service\n"
            "try:\n    asyncio.run(service.Service().simple_path(ids=[1], point=None))\n"
            "except NotImplementedError:\n    print('not implemented')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == "not implemented", out.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("spec", [WIDGETS_SPEC, FIXTURES / "features.openapi.yaml"])
def test_mock_serves_examples_and_minimal_instances_over_a_socket(spec: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "mock", str(spec), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "mock did not start"
                time.sleep(0.2)
        if spec == WIDGETS_SPEC:
            widget = httpx.get(base + "/widgets/1")
            assert widget.status_code == 200 and widget.json() == {"name": "string"}
            point = httpx.get(base + "/simple/1,2/x=1,y=2")
            assert point.status_code == 200 and point.json() == {}
            bad = httpx.get(base + "/simple/x/x=1,y=2")
            assert bad.status_code == 422
            refused = httpx.put(base + "/widgets/1", json={"name": "n"})
            assert refused.status_code == 401
            text = httpx.get(base + "/secure/basic", auth=("any", "thing"))
            assert text.status_code == 200 and text.text == "string"
        else:
            headers = {"X-Api-Key": "k"}
            pets = httpx.get(base + "/pets", params={"tenant": "t"}, headers=headers)
            assert pets.status_code == 200 and pets.json() == []
            created = httpx.post(base + "/pets", params={"tenant": "t"}, headers=headers, json={"name": "Rex"})
            assert created.status_code == 201 and created.json()["id"] == 0
    finally:
        process.terminate()
        process.wait(10)
    # stopped by SIGTERM, it removes the package it generated
    assert process.returncode == 128 + signal.SIGTERM and list(tmp_path.iterdir()) == []
