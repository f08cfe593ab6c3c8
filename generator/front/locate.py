"""Line and column of JSON pointers in a spec's source text, found only for the pointers asked.

Only diagnostics need positions, so nothing is indexed up front: one pass over the text
descends into the subtrees that hold an asked pointer and skips every other value at C speed
(JSON: the `json` scanner; YAML: libyaml's event stream, no node tree), stopping as soon as
every pointer is found. A mapping member is located at its key, a sequence item at its start.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import yaml

_Parts = tuple[str, ...]
_Trie = dict[str, "_Trie"]
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WS = re.compile(r"[ \t\n\r]*")


class _Done(Exception):
    """Every asked pointer is found: stop reading."""


class Positions:
    """1-based (line, column) of the nodes of one source text, by pointer parts."""

    def __init__(self, text: str, pointers: Iterable[_Parts]) -> None:
        self.found: dict[_Parts, tuple[int, int]] = {}
        trie: _Trie = {}
        for parts in pointers:
            node = trie
            for part in parts:
                node = node.setdefault(part, {})
        wanted = _count(trie)
        if text.lstrip().startswith(("{", "[")):
            offsets: dict[_Parts, int] = {}
            try:
                start = _WS.match(text).end()  # type: ignore[union-attr]
                _Json(text, offsets, wanted).value(start, trie, ())
            except _Done:
                pass
            except (ValueError, IndexError, StopIteration, RecursionError):
                offsets = {}  # not JSON after all (YAML flow style, say): read it as YAML
            self.found = _line_columns(text, offsets)
        if not self.found:
            with contextlib.suppress(_Done, StopIteration, yaml.YAMLError, RecursionError):
                _Yaml(text, self.found, wanted).document(trie)

    def exact(self, parts: Iterable[str]) -> tuple[int, int] | None:
        """The position of the node at `parts`, or None when there is none."""
        return self.found.get(tuple(parts))

    def nearest(self, parts: Iterable[str]) -> tuple[int, int] | None:
        """The position of the node at `parts`, or of its nearest ancestor that exists."""
        key = tuple(parts)
        for end in range(len(key), -1, -1):
            if key[:end] in self.found:
                return self.found[key[:end]]
        return None


def positions(path: Path, pointers: Iterable[_Parts]) -> Positions:
    """Positions of `pointers` in the file at `path` (none found if it cannot be read)."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    return Positions(text, pointers)


def _count(trie: _Trie) -> int:
    return 1 + sum(_count(child) for child in trie.values())  # the root counts too


def _line_columns(text: str, offsets: dict[_Parts, int]) -> dict[_Parts, tuple[int, int]]:
    """Turn character offsets into (line, column), counting newlines once."""
    starts = [0]
    if offsets:
        starts.extend(match.end() for match in re.finditer("\n", text))
    result = {}
    for parts, offset in offsets.items():
        line = bisect.bisect_right(starts, offset)
        result[parts] = (line, offset - starts[line - 1] + 1)
    return result


class _Json:
    """Descend a JSON text along a trie of pointers; skip other values with the C scanner."""

    def __init__(self, text: str, found: dict[_Parts, int], wanted: int) -> None:
        self.text = text
        self.found = found
        self.wanted = wanted
        self.skip = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]

    def note(self, parts: _Parts, offset: int) -> None:
        self.found[parts] = offset
        if len(self.found) >= self.wanted:
            raise _Done

    def value(self, pos: int, trie: _Trie | None, parts: _Parts) -> int:
        """Read the value at `pos` (no leading space); return the position after it."""
        if parts == ():
            self.note(parts, pos)
        if not trie:
            return int(self.skip(self.text, pos)[1])
        text, ws = self.text, _WS
        opener = text[pos]
        if opener not in "{[":
            return int(self.skip(text, pos)[1])
        closer = "}" if opener == "{" else "]"
        pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos] == closer:
            return pos + 1
        index = 0
        while True:
            start = pos
            if opener == "{":
                key, pos = scanstring(text, pos + 1)
                pos = ws.match(text, pos).end()  # type: ignore[union-attr]
                if text[pos] != ":":
                    raise ValueError("expected ':'")
                pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
            else:
                key = str(index)
                index += 1
            child = trie.get(key)
            if child is not None:
                here = (*parts, key)
                self.note(here, start)
                pos = self.value(pos, child, here)
            else:
                pos = int(self.skip(text, pos)[1])
            pos = ws.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == closer:
                return pos + 1
            if text[pos] != ",":
                raise ValueError("expected ','")
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]


class _Yaml:
    """Descend libyaml's event stream along a trie of pointers; other subtrees are skipped."""

    def __init__(self, text: str, found: dict[_Parts, tuple[int, int]], wanted: int) -> None:
        self.events: Iterator[yaml.Event] = iter(yaml.parse(text, Loader=_SafeLoader))
        self.found = found
        self.wanted = wanted

    def note(self, parts: _Parts, event: yaml.Event) -> None:
        mark = event.start_mark
        if mark is not None:
            self.found[parts] = (mark.line + 1, mark.column + 1)
        if len(self.found) >= self.wanted:
            raise _Done

    def document(self, trie: _Trie) -> None:
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                first = next(self.events)
                self.note((), first)
                self.node(first, trie, ())
                return

    def node(self, event: yaml.Event, trie: _Trie | None, parts: _Parts) -> None:
        if not trie:
            self.skip(event)
        elif isinstance(event, yaml.MappingStartEvent):
            while not isinstance(key := next(self.events), yaml.MappingEndEvent):
                name = key.value if isinstance(key, yaml.ScalarEvent) else None
                if name is None:
                    self.skip(key)
                child = trie.get(name) if isinstance(name, str) else None
                if child is not None:
                    self.note((*parts, name), key)  # type: ignore[arg-type]
                self.node(next(self.events), child, (*parts, str(name)))
        elif isinstance(event, yaml.SequenceStartEvent):
            index = 0
            while not isinstance(item := next(self.events), yaml.SequenceEndEvent):
                child = trie.get(str(index))
                if child is not None:
                    self.note((*parts, str(index)), item)
                self.node(item, child, (*parts, str(index)))
                index += 1

    def skip(self, event: yaml.Event) -> None:
        """Consume the rest of the node that `event` starts."""
        if not isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            return
        depth = 1
        for each in self.events:
            if isinstance(each, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
            elif isinstance(each, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
                if depth == 0:
                    return
