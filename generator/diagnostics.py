"""Diagnostics are values: a severity, a message, a JSON pointer and, where known, file:line:col.

One diagnostic prints as `file:line:col: severity: message [pointer]`; `report` groups many
by file, in document order, and ends with a count.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    pointer: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        # One line, always: messages from parsers may carry newlines.
        message = " ".join(self.message.split())
        pointer = f" [{self.pointer}]" if self.pointer else ""
        return f"{where}: {self.severity.value}: {message}{pointer}"


def report(diagnostics: Iterable[Diagnostic], quiet: bool = False) -> list[str]:
    """The lines to print: each diagnostic once, grouped by file (in order of first mention),
    in document order within a file, then `N warnings, M errors` (nothing if there are none).

    `quiet` keeps only errors (and the count line).
    """
    unique = list(dict.fromkeys(diagnostics))
    files = {name: i for i, name in enumerate(dict.fromkeys(d.file or "" for d in unique))}
    ordered = sorted(unique, key=lambda d: (files[d.file or ""], d.line or 0, d.column or 0))
    warnings = sum(d.severity is Severity.WARNING for d in unique)
    errors = len(unique) - warnings
    if quiet:
        ordered = [d for d in ordered if d.severity is Severity.ERROR]
    if not ordered:
        return []
    count = f"{warnings} warning{'s' * (warnings != 1)}, {errors} error{'s' * (errors != 1)}"
    return [*map(str, ordered), count]


def pointer_join(*parts: str | int) -> str:
    """Build a JSON pointer (RFC 6901) from unescaped path segments."""
    return "".join([f"/{_escape_part(p)}" for p in parts])


def _escape_part(part: str | int) -> str:
    text = str(part)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


class SpecError(Exception):
    """A fatal problem with the input: generation stops and nothing is written."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic
