"""The whole flow, one direction: load → resolve → normalize → parse → build → render → format.

`write` (the only other stage that touches the file system) is driven by the CLI.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.build import build
from generator.diagnostics import Diagnostic, SpecError
from generator.front import load, locate, normalize, parse, resolve
from generator.options import Options
from generator.render import format, render
from generator.timing import Stages, count

#: What can be generated; `--only` picks a subset (models are always included).
PARTS = ("models", "client", "server")


@dataclass(frozen=True)
class Generated:
    """The output of one target, entirely in memory: nothing has been written yet."""

    files: dict[str, str]  # posix path relative to the output folder -> file text
    diagnostics: tuple[Diagnostic, ...]
    inputs: tuple[Path, ...] = ()  # every file read: the spec and the files it `$ref`s


def generate(
    spec: Path,
    package: str,
    only: frozenset[str] = frozenset(PARTS),
    options: Options | None = None,
    stages: Stages | None = None,
) -> Generated:
    """Generate the package `package` from the document at `spec`.

    Raises `SpecError` for input that cannot be generated from. `stages` receives the
    time spent in each stage.
    """
    with _gc_paused():  # and every intermediate is freed before the collector resumes
        return _generate(spec, package, only, options, stages or Stages())


def _generate(
    spec: Path, package: str, only: frozenset[str], options: Options | None, stage: Stages
) -> Generated:
    inputs: set[Path] = set()
    try:
        with stage("load"):
            document = load.load_document(spec)
        with stage("resolve"):
            document = resolve.resolve(spec, document, inputs)
        with stage("normalize"):
            document, repairs = normalize.normalize(spec, document)
        with stage("parse"):
            parsed = parse.parse(spec, document)
        with stage("build", _size(parsed)):
            api, diagnostics = build(spec, parsed, options)
    except RecursionError:
        raise SpecError(load.error(spec, "document nested too deeply").diagnostic) from None
    except SpecError as error:
        [fatal] = _with_positions(spec, [error.diagnostic])
        raise SpecError(fatal) from None
    with stage("render", count(len(api.models), "model")):
        files = render(api, package, only, options)
    with stage("format", count(len(files), "file")):
        formatted = {path: format.format_source(path, text) for path, text in files.items()}
    with stage("locate"):  # line:column of the diagnostics' pointers
        located = _with_positions(spec, [*repairs, *diagnostics])
    return Generated(formatted, located, tuple(sorted(inputs)))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: the stages make millions of objects and few cycles, and
    each collection would walk the whole parsed document again (a third of the CPU time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _size(parsed: parse.OpenAPI) -> str:
    schemas = (parsed.components.schemas if parsed.components else None) or {}
    return f"{count(len(parsed.paths or {}), 'path')}, {count(len(schemas), 'schema')}"


def _with_positions(spec: Path, diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Add line and column to each diagnostic whose pointer names a node of the spec itself.

    Only the pointers of these diagnostics are looked up, in one pass over the source.
    """
    wanted: dict[Diagnostic, tuple[str, ...]] = {}
    for d in diagnostics:
        if d.column is None and d.pointer and d.file == str(spec):
            with contextlib.suppress(ValueError):
                wanted[d] = tuple(resolve.split_pointer(d.pointer))
    if not wanted:
        return tuple(diagnostics)
    found = locate.positions(spec, wanted.values())
    out = []
    for d in diagnostics:
        position = found.exact(wanted[d]) if d in wanted else None
        if position is not None and d.line in (None, position[0]):
            d = dataclasses.replace(d, line=position[0], column=position[1])
        out.append(d)
    return tuple(out)
