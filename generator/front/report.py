"""Collects the warnings of the front-end repairs, each with its JSON pointer."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, Severity, pointer_join


class Reporter:
    """Warnings about one document (`path`), in the order they are found."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def warn(self, message: str, parts: list[str]) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, pointer_join(*parts), str(self.path)))
