"""`apismith scaffold`: write a starting implementation of the generated server, once."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from generator import ir
from generator.builder import build
from generator.diagnostics import Diagnostic
from generator.front import load, normalize, parse, resolve
from generator.layout import format
from generator.options import Options
from generator.render import server_ops
from generator.render.files import render_template
from generator.render.pycode import uses


class ScaffoldError(Exception):
    """The scaffold cannot be written (the file exists, or its folder is missing)."""


def read_api(spec: Path, options: Options | None = None) -> tuple[ir.Api, list[Diagnostic]]:
    """The IR of `spec` (the front end and build, without rendering)."""
    document = resolve.resolve(spec, load.load_document(spec))
    document, repairs = normalize.normalize(spec, document)
    api, diagnostics = build(spec, parse.parse(spec, document), options)
    return dataclasses.replace(api, document=document), [*repairs, *diagnostics]


def scaffold_text(api: ir.Api, package: str) -> str:
    """The module: a `Service` class with every method raising NotImplementedError."""
    imports = server_ops.scaffold_imports(api, uses(server_ops.api_types(api)))
    text = render_template("scaffold.py.j2", api, package, imports=imports)
    return format.format_source("scaffold.py", text)


def write_scaffold(target: Path, text: str) -> None:
    """Create `target` with `text`; never overwrite (the file is the user's)."""
    if target.exists():
        raise ScaffoldError(f"{target} already exists; scaffold never overwrites a file")
    if not target.parent.is_dir():
        raise ScaffoldError(f"{target.parent} is not a folder")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{target} already exists; scaffold never overwrites a file") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
