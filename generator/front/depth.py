"""Deeply nested documents: enough stack for valid ones, a clear error naming the limit otherwise.

The stages walk documents recursively; a few hundred nested schemas (valid, and seen in real
documents) need more than Python's default 1,000 frames. Python-to-Python calls use no C
stack (3.11+), so the limit is raised while the front end and build run.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.diagnostics import SpecError, pointer_join
from generator.front.load import error, position_of

#: Python frames allowed while a document is resolved, repaired, parsed and built.
STACK_FRAMES = 12_000


@contextlib.contextmanager
def deep_stack() -> Iterator[None]:
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved, STACK_FRAMES))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def deepest(document: Any) -> list[str]:
    """The pointer parts of the most deeply nested node (iteratively: no recursion)."""
    best: list[str] = []
    stack: list[tuple[Any, list[str]]] = [(document, [])]
    while stack:
        node, parts = stack.pop()
        if len(parts) > len(best):
            best = parts
        if isinstance(node, dict):
            stack.extend((v, [*parts, str(k)]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*parts, str(i)]) for i, v in enumerate(node))
    return best


def too_deep(path: Path, document: Any) -> SpecError:
    """The error for a document nested deeper than the stages can follow."""
    parts = deepest(document)
    return error(path, "document nested too deeply: its schemas, $ref chains or allOf bases go "
                 f"deeper than apismith follows (about {STACK_FRAMES // 4} levels)", pointer_join(*parts),
                 *position_of(path, parts))
