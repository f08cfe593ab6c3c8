"""Read a spec file (JSON or YAML) into plain data; find line numbers for JSON pointers on demand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.front import locate
from generator.front.lenient_json import loads_lenient

# PyYAML's C loader is several times faster; fall back to the pure-Python one.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The largest document we accept; a guard against accidental or hostile huge input.
MAX_BYTES = 256 * 1024 * 1024


def error(path: Path | str, message: str, pointer: str = "", line: int | None = None,
          column: int | None = None) -> SpecError:
    return SpecError(Diagnostic(Severity.ERROR, message, pointer, str(path), line, column))


def load_document(path: Path, warnings: list[Diagnostic] | None = None) -> Any:
    """Parse `path` as JSON (by content) or YAML; raise a one-line `SpecError` otherwise.

    Repairs made while loading (trailing commas in JSON) are appended to `warnings`.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise error(path, f"file is larger than {MAX_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise error(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(path, f"not UTF-8 text (byte {exc.start})") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            data, commas = loads_lenient(text)
        except json.JSONDecodeError as exc:
            raise error(path, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
        except RecursionError:
            raise error(path, "JSON nested too deeply") from None
        if commas and warnings is not None:
            (row, col), more = commas[0], len(commas) - 1
            also = f" (and {more} more)" if more else ""
            warnings.append(Diagnostic(Severity.WARNING, f"trailing comma in JSON{also}; ignored", "",
                                       str(path), row, col))
        return data
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where: tuple[int | None, int | None] = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise error(path, f"invalid YAML: {exc.problem or exc}", "", *where) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[: exc.position].count("\n") + 1
        raise error(path, f"not JSON or YAML text: {exc.reason} at character {exc.position}", line=line) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise error(path, f"invalid YAML: {exc}") from None


def line_of(path: Path, pointer_parts: list[str]) -> int | None:
    """The line of the node at `pointer_parts`, or of its nearest ancestor that exists."""
    return position_of(path, pointer_parts)[0]


def position_of(path: Path, pointer_parts: list[str]) -> tuple[int | None, int | None]:
    """(line, column) of the node at `pointer_parts` or its nearest existing ancestor."""
    position = locate.positions(path, [tuple(pointer_parts)]).nearest(pointer_parts)
    return position or (None, None)
