"""The whole flow, one direction: load → resolve → normalize → parse → build → render → format.

`write` (the only other stage that touches the file system) is driven by the CLI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.build import build
from generator.diagnostics import Diagnostic, SpecError
from generator.front import load, normalize, parse, resolve
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
    try:
        document = resolve.resolve(spec, load.load_document(spec))
        document, repairs = normalize.normalize(spec, document)
        api, diagnostics = build(spec, parse.parse(spec, document), options)
        api = dataclasses.replace(api, document=document)  # served by the server's openapi()
    except RecursionError:
        raise SpecError(load.error(spec, "document nested too deeply").diagnostic) from None
    files = render(api, package, only, options)
    formatted = {path: format.format_source(path, text) for path, text in files.items()}
    return Generated(formatted, _with_lines(spec, [*repairs, *diagnostics]))


def _with_lines(spec: Path, diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Add the line to each diagnostic whose pointer names a node of the spec file itself."""
    index = load.LineIndex(spec)
    out = []
    for d in diagnostics:
        if d.line is None and d.pointer and d.file == str(spec):
            line = index.line(resolve.split_pointer(d.pointer), exact=True)
            d = dataclasses.replace(d, line=line)
        out.append(d)
    return tuple(out)
