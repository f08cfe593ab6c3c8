"""The whole flow, one direction: load → resolve → normalize → parse → build → render → format.

`write` (the only other stage that touches the file system) is driven by the CLI.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import ir, parallel
from generator.builder import build
from generator.diagnostics import Diagnostic, SpecError
from generator.front import depth, load, locate, normalize, parse, resolve, swagger2
from generator.gcpause import gc_paused
from generator.layout import format
from generator.options import PARTS, Options
from generator.render.files import plan
from generator.timing import Stages, count

#: Files made from the IR and a package name, beside the rendered ones.
Extra = Callable[[ir.Api, str], dict[str, str]]


@dataclass(frozen=True)
class Generated:
    """The output of one target, entirely in memory: nothing has been written yet."""

    files: dict[str, str]  # posix path relative to the output folder -> file text
    diagnostics: tuple[Diagnostic, ...]
    inputs: tuple[Path, ...] = ()  # every file read: the spec and the files it `$ref`s
    api: ir.Api | None = None  # the IR it was rendered from


def generate(
    spec: Path,
    package: str,
    only: frozenset[str] = frozenset(PARTS),
    options: Options | None = None,
    stages: Stages | None = None,
    processes: int = 1,
    extra: Extra | None = None,
) -> Generated:
    """Generate the package `package` from the document at `spec`.

    Raises `SpecError` for input that cannot be generated from. `stages` receives the
    time spent in each stage. Rendering and the layout pass run in `processes` processes
    (see `parallel`); the output is the same for any number. `extra` adds files made from
    the IR (the CLI's API surface), rendered beside the others.
    """
    stage = stages or Stages()
    with gc_paused():
        front = _front(spec, options, stage)
        api = front.api
        formatted = _render(api, package, only, options or Options(), stage, processes, extra)
        with stage("locate"):  # line:column of the diagnostics' pointers
            located = _with_positions(spec, front.diagnostics, front.converted)
    return Generated(formatted, located, front.inputs, api)


def _render(api: ir.Api, package: str, only: frozenset[str], options: Options, stage: Stages,
            processes: int, extra: Extra | None = None) -> dict[str, str]:
    """render → format, file by file: each job of the render plan is laid out where it
    was rendered (in parallel when `processes` > 1). A formatter of the user's own runs
    once over all files afterwards."""
    builtin = options.formatter == "none"

    def job(run: Callable[[], dict[str, str]]) -> tuple[dict[str, str], float, float]:
        started = time.process_time()
        files = run()
        rendered = time.process_time()
        if builtin:
            files = format.format_files(files)
        return files, rendered - started, time.process_time() - rendered

    cpu, wall = _cpu(), time.perf_counter()
    planned = plan(api, package, only, options)
    runs = [item.run for item in planned.jobs]
    weights = [item.weight for item in planned.jobs]
    if extra is not None:
        runs.append(functools.partial(extra, api, package))
        weights.append((len(api.operations) + len(api.models)) // 4)
    jobs = [functools.partial(job, run) for run in runs]
    if stage.progress is not None:
        used = parallel.used(weights, processes)
        stage.progress("render", f"{count(len(api.models), 'model')}, "
                                 f"{count(len(jobs), 'file job')}, {count(used, 'process')}")
    results = parallel.run(jobs, weights, processes, planned.prepare)
    files: dict[str, str] = {}
    for part, _, _ in results:
        files.update(part)
    files = planned.finish(files)
    # this process's CPU and its workers', shared by the two stages as the jobs measured it
    spent, elapsed = _cpu() - cpu, time.perf_counter() - wall
    rendering, laying_out = sum(r[1] for r in results), sum(r[2] for r in results)
    share = rendering / (rendering + laying_out) if rendering + laying_out else 1.0
    stage.add("render", spent * share, elapsed * share)
    stage.add("format", spent * (1 - share), elapsed * (1 - share))
    if not builtin:
        with stage("format", count(len(files), "file")):
            files = format.format_files(files, options.formatter)
    return files


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def build_api(
    spec: Path, options: Options | None = None
) -> tuple[ir.Api, tuple[Diagnostic, ...]]:
    """The front and build stages: the IR of the document at `spec`, and diagnostics."""
    with gc_paused():
        front = _front(spec, options, Stages())
        return front.api, _with_positions(spec, front.diagnostics, front.converted)


@dataclass(frozen=True)
class _Front:
    api: ir.Api
    diagnostics: list[Diagnostic]  # not located yet
    inputs: tuple[Path, ...]
    converted: bool  # from Swagger 2.0


def _front(spec: Path, options: Options | None, stage: Stages) -> _Front:
    """load → resolve → normalize → parse → build, each timed by `stage`."""
    inputs: set[Path] = set()
    loading: list[Diagnostic] = []
    converted = False
    loaded: Any = None
    try:
        with depth.deep_stack():
            with stage("load"):
                loaded = load.load_document(spec, loading)
            converted = isinstance(loaded, dict) and "swagger" in loaded
            with stage("resolve"):
                document = resolve.resolve(
                    spec, loaded, inputs, (options or Options()).ref_roots, loading
                )
            with stage("normalize"):
                document, repairs = normalize.normalize(spec, document)
            with stage("parse"):
                parsed = parse.parse(spec, document)
            with stage("build", _size(parsed)):
                api, diagnostics = build(spec, parsed, options)
            api = dataclasses.replace(api, document=document)  # served by the server's openapi()
    except RecursionError:
        raise depth.too_deep(spec, loaded) from None
    except SpecError as error:
        if converted:  # name the node of the 2.0 file, not of the converted document
            error = SpecError(dataclasses.replace(error.diagnostic, line=None, column=None))
        [fatal] = _with_positions(spec, [error.diagnostic], converted)
        raise SpecError(fatal) from None
    return _Front(api, [*loading, *repairs, *diagnostics], tuple(sorted(inputs)), converted)


def _size(parsed: parse.OpenAPI) -> str:
    schemas = (parsed.components.schemas if parsed.components else None) or {}
    return f"{count(len(parsed.paths or {}), 'path')}, {count(len(schemas), 'schema')}"


def _with_positions(
    spec: Path, diagnostics: list[Diagnostic], swagger: bool = False
) -> tuple[Diagnostic, ...]:
    """Add line and column to each diagnostic whose pointer names a node of the spec itself.

    Only the pointers of these diagnostics are looked up, in one pass over the source. For
    a converted Swagger 2.0 document, pointers are mapped back to the file's own nodes.
    """
    if swagger:
        diagnostics = [
            dataclasses.replace(d, pointer=swagger2.source_pointer(d.pointer))
            if d.pointer and d.file == str(spec) else d
            for d in diagnostics
        ]
    wanted: dict[Diagnostic, tuple[str, ...]] = {}
    for d in diagnostics:
        if d.column is None and d.pointer and d.file == str(spec):
            with contextlib.suppress(ValueError):
                wanted[d] = tuple(resolve.split_pointer(d.pointer))
    if not wanted:
        return tuple(diagnostics)
    try:
        with depth.deep_stack():
            found = locate.positions(spec, wanted.values())
    except RecursionError:  # deeper than even the deep stack: report without positions
        return tuple(diagnostics)
    out = []
    for d in diagnostics:
        where = found.nearest if swagger else found.exact
        position = where(wanted[d]) if d in wanted else None
        if position is not None and d.line in (None, position[0]):
            d = dataclasses.replace(d, line=position[0], column=position[1])
        out.append(d)
    return tuple(out)
