"""Resource bounds on loaded documents: YAML alias expansion, nesting depth.

YAML aliases share one Python object between many places, so a 1 KB "billion laughs"
document loads instantly but would expand to billions of nodes in every later stage.
`check_expansion` measures the expanded size on the shared graph (each distinct object
once, O(distinct nodes)) and refuses the document before anything is expanded.
"""

from __future__ import annotations

import re
from typing import Any

#: Nodes YAML aliases may add to a document once expanded (beyond its distinct nodes).
MAX_ALIAS_NODES = 1_000_000
#: Containers nested deeper than this are refused (later stages recurse per level; a schema
#: level is two containers, `properties` and the property's schema).
MAX_DEPTH = 2000

# A YAML alias (`*name`) after a separator: a cheap test before measuring anything.
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]", re.MULTILINE)


class BoundError(Exception):
    """A bound was exceeded; `pointer_parts` locates the node, when known."""

    def __init__(self, message: str, pointer_parts: list[str] | None = None) -> None:
        super().__init__(message)
        self.pointer_parts = pointer_parts or []


def may_have_aliases(text: str) -> bool:
    return _ALIAS.search(text) is not None


def _children(node: Any) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [(str(k), v) for k, v in node.items() if isinstance(v, dict | list)]
    if isinstance(node, list):
        return [(str(i), v) for i, v in enumerate(node) if isinstance(v, dict | list)]
    return []


def _size(node: Any) -> int:
    return 1 + (len(node) if isinstance(node, dict | list) else 0)


def check_expansion(document: Any, max_added: int = MAX_ALIAS_NODES) -> int:
    """The expanded node count of `document`; raise `BoundError` past the bound or on a cycle.

    Iterative post-order over distinct containers, memoized by identity: shared (aliased)
    subtrees are measured once, so the cost is that of the document as written.
    """
    expanded: dict[int, int] = {}  # id -> expanded node count (scalars counted in parents)
    distinct = 0
    on_path: set[int] = set()
    stack: list[tuple[Any, list[str], bool]] = [(document, [], False)]
    while stack:
        node, parts, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = _size(node) + sum(expanded[id(child)] - 1 for _, child in _children(node))
            expanded[key] = total
            distinct += _size(node)
            # The extra nodes of a subtree never exceed those of the whole: stop early.
            if total > distinct + max_added:
                raise BoundError(
                    f"document has more than {max_added} extra nodes once YAML aliases are "
                    f"expanded ({total} nodes from {distinct} written); aliases of aliases "
                    "(a 'billion laughs' document) are refused",
                    parts,
                )
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise BoundError("YAML alias refers to a node that contains it (a cycle)", parts)
        on_path.add(key)
        stack.append((node, parts, True))
        for name, child in _children(node):
            if id(child) in on_path:
                raise BoundError(
                    "YAML alias refers to a node that contains it (a cycle)", [*parts, name]
                )
            if id(child) not in expanded:
                stack.append((child, [*parts, name], False))
    return expanded.get(id(document), 1)


def too_deep_message(limit: int = MAX_DEPTH) -> str:
    return f"nested too deeply: more than {limit} levels of objects and arrays (the limit)"


def json_depth_position(text: str, limit: int) -> int | None:
    """The offset of the first `[` or `{` at nesting level `limit + 1`, outside strings."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None
