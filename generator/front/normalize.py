"""Lenient repairs before parsing: what real documents get wrong, converted to what we parse.

Swagger 2.0 is converted to OpenAPI 3.0 first (`swagger2`); the object model is repaired in
`repairs`, schemas in `schema_repairs`. Each repair is a warning naming its JSON pointer; only
what cannot be understood at all is left for `parse` to report as an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.front import swagger2
from generator.front.repairs import DocumentRepairs
from generator.front.report import Reporter


def normalize(path: Path, document: Any) -> tuple[Any, list[Diagnostic]]:
    """The repaired document (a new object; `document` is not changed) and the warnings."""
    report = Reporter(path)
    if not isinstance(document, dict):
        return document, []
    if "swagger" in document:
        document = swagger2.convert(document, report)
        if "swagger" in document:  # not a 2.0 we can convert: `parse` says why
            return document, report.diagnostics
    return DocumentRepairs(report).run(document), report.diagnostics
