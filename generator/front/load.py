"""Read a spec file (JSON or YAML) into plain data; find line numbers for JSON pointers on demand."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from generator.diagnostics import Diagnostic, Severity, SpecError, pointer_join
from generator.front import bounds, locate
from generator.front.lenient_json import loads_lenient

# PyYAML's C loader is several times faster; fall back to the pure-Python one.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CoreLoader(_SafeLoader):  # type: ignore[misc]
    """YAML 1.2's core schema, which OpenAPI recommends, instead of PyYAML's YAML 1.1: `NO`,
    `yes`, `on` and `off` stay strings (country codes, enum values, schema names), `010` is
    ten, and `1:20` and `2024-01-31` stay strings. Merge keys (`<<`) still merge."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Keys as written: OpenAPI's keys are strings (`200:` is "200", `1.10:` "1.10")."""
        self.flatten_mapping(node)  # merge keys
        mapping: dict[Any, Any] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found a key that is not a string",
                    key.start_mark)
            mapping[key.value] = self.construct_object(value, deep=deep)
        return mapping


for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", list("-+0123456789.")),
    ("merge", r"<<", ["<"]),
):
    _CoreLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"),
                                      _first)


def _core_int(loader: Any, node: Any) -> int:
    text: str = loader.construct_scalar(node)
    if text[:2] in ("0o", "0x"):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _core_float(loader: Any, node: Any) -> float:
    text: str = loader.construct_scalar(node).lower()
    if text.lstrip("+-") in (".inf", ".nan"):
        return float(text.replace(".", ""))
    return float(text)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _core_int)
_CoreLoader.add_constructor("tag:yaml.org,2002:float", _core_float)

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
            raise _too_deep(path, text, _json_line(text)) from None
        if commas and warnings is not None:
            (row, col), more = commas[0], len(commas) - 1
            also = f" (and {more} more)" if more else ""
            warnings.append(Diagnostic(Severity.WARNING, f"trailing comma in JSON{also}; ignored", "",
                                       str(path), row, col))
        return data
    try:
        document = yaml.load(text, Loader=_CoreLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where: tuple[int | None, int | None] = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "nesting depth" in str(exc.problem):  # libyaml's own limit
            raise _too_deep(path, text, _yaml_line(text) or where[0]) from None
        raise error(path, f"invalid YAML: {exc.problem or exc}", "", *where) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[: exc.position].count("\n") + 1
        raise error(path, f"not JSON or YAML text: {exc.reason} at character {exc.position}", line=line) from None
    except RecursionError:
        raise _too_deep(path, text, _yaml_line(text)) from None
    except yaml.YAMLError as exc:
        raise error(path, f"invalid YAML: {exc}") from None
    if bounds.may_have_aliases(text):
        try:
            bounds.check_expansion(document)
        except bounds.BoundError as exc:
            raise error(path, str(exc), pointer_join(*exc.pointer_parts),
                        line_of(path, exc.pointer_parts)) from None
    return document


def _too_deep(path: Path, text: str, line: int | None) -> SpecError:
    """The parser ran out of recursion: say so, and where, in one line."""
    return error(path, f"document {bounds.too_deep_message()}", line=line)


def _json_line(text: str) -> int | None:
    offset = bounds.json_depth_position(text, bounds.MAX_DEPTH)
    return None if offset is None else text.count("\n", 0, offset) + 1


def _yaml_line(text: str) -> int | None:
    """The line where nesting passes the limit (the event stream is flat: no recursion)."""
    depth, limit = 0, bounds.MAX_DEPTH
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1 if event.start_mark else None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def line_of(path: Path, pointer_parts: list[str]) -> int | None:
    """The line of the node at `pointer_parts`, or of its nearest ancestor that exists."""
    return position_of(path, pointer_parts)[0]


def position_of(path: Path, pointer_parts: list[str]) -> tuple[int | None, int | None]:
    """(line, column) of the node at `pointer_parts` or its nearest existing ancestor."""
    position = locate.positions(path, [tuple(pointer_parts)]).nearest(pointer_parts)
    return position or (None, None)
