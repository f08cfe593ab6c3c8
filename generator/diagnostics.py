"""Diagnostics are values: a severity, a message, a JSON pointer and, where known, file:line:col."""

from __future__ import annotations

import enum
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
    column: int | None = None  # 1-based, with `line`

    def __str__(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f": {self.pointer}"
        # One line, always: messages from parsers may carry newlines.
        message = " ".join(self.message.split())
        return f"{where}: {self.severity.value}: {message}"


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
