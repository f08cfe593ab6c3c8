"""The whole flow, one direction: load → resolve → normalize → parse → build → render → format.

`write` (the only other stage that touches the file system) is driven by the CLI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.build import build
from generator.diagnostics import Diagnostic, SpecError
from generator.front import depth, load, normalize, parse, resolve, swagger2
from generator.options import Options
from generator.render import format, render

#: What can be generated; `--only` picks a subset (models are always included).
PARTS = ("models", "client", "server")


@dataclass(frozen=True)
class Generated:
    """The output of one target, entirely in memory: nothing has been written yet."""

    files: dict[str, str]  # posix path relative to the output folder -> file text
    diagnostics: tuple[Diagnostic, ...]


def generate(
    spec: Path,
    package: str,
    only: frozenset[str] = frozenset(PARTS),
    options: Options | None = None,
) -> Generated:
    """Generate the package `package` from the document at `spec`.

    Raises `SpecError` for input that cannot be generated from.
    """
    loading: list[Diagnostic] = []
    loaded = load.load_document(spec, loading)
    converted = isinstance(loaded, dict) and "swagger" in loaded
    try:
        with depth.deep_stack():
            document = resolve.resolve(spec, loaded)
            document, repairs = normalize.normalize(spec, document)
            repairs = [*loading, *repairs]
            try:
                parsed = parse.parse(spec, document)
            except SpecError as error:
                if converted:  # name the node of the 2.0 file, not of the converted document
                    [diagnostic] = _with_lines(spec, [dataclasses.replace(error.diagnostic, line=None)], True)
                    raise SpecError(diagnostic) from None
                raise
            api, diagnostics = build(spec, parsed, options)
    except RecursionError:
        raise depth.too_deep(spec, loaded) from None
    files = render(api, package, only, options)
    formatted = {path: format.format_source(path, text) for path, text in files.items()}
    return Generated(formatted, _with_lines(spec, [*repairs, *diagnostics], converted))


def _with_lines(spec: Path, diagnostics: list[Diagnostic], swagger: bool = False) -> tuple[Diagnostic, ...]:
    """Add line:col to each diagnostic whose pointer names a node of the spec file itself.

    For a converted Swagger 2.0 document, pointers are mapped back to the file's nodes.
    """
    index = load.LineIndex(spec)
    out = []
    for d in diagnostics:
        if d.line is None and d.pointer and d.file == str(spec):
            pointer = swagger2.source_pointer(d.pointer) if swagger else d.pointer
            where = index.position(resolve.split_pointer(pointer), exact=not swagger)
            line, column = where or (None, None)
            d = dataclasses.replace(d, pointer=pointer, line=line, column=column)
        out.append(d)
    return tuple(out)
