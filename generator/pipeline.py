"""The whole flow, one direction: load → resolve → parse → build → render → format.

`write` (the only other stage that touches the file system) is driven by the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import build, format, load, normalize, parse, render, resolve
from generator.diagnostics import Diagnostic, SpecError

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
    templates: Path | None = None,
) -> Generated:
    """Generate the package `package` from the document at `spec`.

    Raises `SpecError` for input that cannot be generated from.
    """
    try:
        document = resolve.resolve(spec, load.load_document(spec))
        document, repairs = normalize.normalize(spec, document)
        api, diagnostics = build.build(spec, parse.parse(spec, document))
    except RecursionError:
        raise SpecError(load.error(spec, "document nested too deeply").diagnostic) from None
    files = render.render(api, package, only, templates)
    formatted = {path: format.format_source(path, text) for path, text in files.items()}
    return Generated(formatted, (*repairs, *diagnostics))
