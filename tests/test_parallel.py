"""Rendering in worker processes: the same bytes for any number of processes, the jobs
really run elsewhere, a job's error surfaces as itself, and `--jobs` reaches the pipeline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli, parallel, pipeline
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.options import Options
from generator.render.files import plan

REPO = Path(__file__).resolve().parent.parent
linux = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _spec(tmp_path: Path, operations: int) -> Path:
    """A document with `operations` operations over five tags, each with its own models."""
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for n in range(operations):
        name = f"Thing{n}"
        schemas[name] = {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "label": {"type": "string", "description": f"The label of thing {n}."},
                "kind": {"type": "string", "enum": ["a", "b", f"k{n}"]},
            },
        }
        paths[f"/things{n}/{{id}}"] = {
            "get": {
                "operationId": f"get_thing_{n}",
                "tags": [f"tag{n % 5}"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
                },
            }
        }
    spec = tmp_path / "many.json"
    spec.write_text(json.dumps({
        "openapi": "3.1.0",
        "info": {"title": "Many", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
    return spec


def _pid() -> int:
    return os.getpid()


def _fail() -> int:
    raise SpecError(Diagnostic(Severity.ERROR, "broken in a worker", "/x", "spec.json"))


@linux
def test_jobs_run_in_other_processes_and_come_back_in_order() -> None:
    jobs = [_pid] * 6 + [lambda: 7]
    weights = [parallel.MIN_WEIGHT] * 7
    results = parallel.run(jobs, weights, 2)
    assert results[-1] == 7
    assert os.getpid() not in results[:-1]
    assert parallel.run(jobs, weights, 1)[:-1] == [os.getpid()] * 6


def test_small_work_stays_in_this_process() -> None:
    assert parallel.run([_pid, _pid], [1, 1], 2) == [os.getpid()] * 2


@linux
def test_a_job_error_is_raised_as_itself() -> None:
    with pytest.raises(SpecError) as raised:
        parallel.run([_pid, _fail], [parallel.MIN_WEIGHT] * 2, 2)
    assert raised.value.diagnostic.message == "broken in a worker"


def test_workers_defaults_to_the_cpus_this_process_may_use() -> None:
    assert parallel.workers(3) == 3
    expected = len(os.sched_getaffinity(0)) if sys.platform == "linux" else 1
    assert parallel.workers() == expected


@linux
@pytest.mark.parametrize("formatter", ["none", "black"])
def test_the_output_does_not_depend_on_the_number_of_processes(
    tmp_path: Path, formatter: str
) -> None:
    spec = _spec(tmp_path, 110)
    options = Options(formatter="black") if formatter == "black" else Options()
    one = pipeline.generate(spec, "many", options=options, processes=1)
    assert one.api is not None
    jobs = plan(one.api, "many", frozenset(pipeline.PARTS), options).jobs
    assert sum(job.weight for job in jobs) >= parallel.MIN_WEIGHT  # two processes really run
    two = pipeline.generate(spec, "many", options=options, processes=2)
    assert list(two.files) == list(one.files)
    assert two.files == one.files


@linux
def test_jobs_option_reaches_the_pipeline_and_keeps_the_bytes(tmp_path: Path) -> None:
    spec = _spec(tmp_path, 160)
    runner = CliRunner()
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(cli.apismith, ["generate", str(spec), "-o", str(out), "-j", jobs,
                                              "--timings"])
        assert result.exit_code == 0, result.output
        assert "render" in result.output
    one, two = tmp_path / "out1", tmp_path / "out2"
    names = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    result = runner.invoke(cli.apismith, ["check", str(spec), "-o", str(one), "-j", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli.apismith, ["generate", str(spec), "-o", str(one), "-j", "0"])
    assert result.exit_code == 2


def _killed() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


@linux
def test_a_worker_that_dies_is_one_clear_error() -> None:
    with pytest.raises(parallel.WorkerDied, match="--jobs 1"):
        parallel.run([_pid, _killed, _pid], [parallel.MIN_WEIGHT] * 3, 2)


_FOREVER = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from generator import parallel

def job():
    open(os.path.join(sys.argv[2], str(os.getpid())), "w").close()
    while True:  # only an interrupt ends it
        time.sleep(0.05)

try:
    parallel.run([job] * 4, [parallel.MIN_WEIGHT] * 4, 2)
except KeyboardInterrupt:
    print("interrupted")
"""


@linux
def test_ctrl_c_ends_the_workers_and_the_run(tmp_path: Path) -> None:
    started = tmp_path / "started"
    started.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", _FOREVER, str(REPO), str(started)],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as on a terminal
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(started.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(started.iterdir())) == 2  # both workers are in a job
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
        out, _ = process.communicate(timeout=60)  # a worker left running would hang here
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert out.strip() == "interrupted"
    for pid in (int(p.name) for p in started.iterdir()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_used_says_how_many_processes_run() -> None:
    heavy = [parallel.MIN_WEIGHT] * 3
    assert parallel.used(heavy, 1) == 1
    assert parallel.used([1, 1], 2) == 1  # too light to fork
    assert parallel.used([parallel.MIN_WEIGHT], 2) == 1  # one job
    assert parallel.used(heavy, 8) == (3 if sys.platform == "linux" else 1)


@linux
@pytest.mark.parametrize("where", ["pool", "fork"])
def test_without_process_support_the_jobs_run_here(
    monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import concurrent.futures
    import multiprocessing.context

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    if where == "pool":  # no semaphores for the pool's queues (no /dev/shm)
        monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    else:  # the system refuses to fork
        monkeypatch.setattr(multiprocessing.context.ForkProcess, "_Popen", refuse)
    results = parallel.run([_pid] * 3, [parallel.MIN_WEIGHT] * 3, 2)
    assert results == [os.getpid()] * 3
