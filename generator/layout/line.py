"""A logical line being laid out: its leaves, black's bracket-tracker state and the tests
black asks of it (width, counts, whether it can be split)."""

from __future__ import annotations

import unicodedata

from generator.layout.leaves import CLOSING, COMMA, OPENING, Leaf, split_before

CLOSE_OF = {"(": ")", "[": "]", "{": "}"}
BRACKETS = OPENING | CLOSING


class CannotSplit(Exception):
    """This transform does not apply to the line."""


def str_width(text: str) -> int:
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


class Line:
    """A line being laid out: leaves, depth and black's bracket tracker state."""

    __slots__ = (
        "bdepth",
        "delims",
        "depth",
        "for_depths",
        "inside",
        "invisible",
        "lambda_depths",
        "leaves",
        "magic",
        "match",
        "previous",
        "split_rhs",
    )

    def __init__(self, depth: int, inside: bool = False) -> None:
        self.depth = depth
        self.leaves: list[Leaf] = []
        self.inside = inside
        self.split_rhs = False
        self.magic: Leaf | None = None
        self.delims: dict[Leaf, int] = {}
        self.invisible: list[Leaf] = []
        self.bdepth = 0
        self.match: dict[tuple[int, str], Leaf] = {}
        self.previous: Leaf | None = None
        self.for_depths: list[int] = []
        self.lambda_depths: list[int] = []

    def append(self, leaf: Leaf, preformatted: bool = False, track: bool = False) -> None:
        leaves = self.leaves
        if leaves and not preformatted:
            leaf.prefix = leaf.wsp
        if self.inside or not preformatted or track:
            self._mark(leaf)
            if (
                leaves
                and leaves[-1].type == ","
                and leaf.type in CLOSING
                and self._has_magic_trailing_comma(leaf)
            ):
                self.magic = leaf
        leaves.append(leaf)

    def _mark(self, leaf: Leaf) -> None:
        t = leaf.type
        if self.bdepth == 0 and t in CLOSING and (0, t) not in self.match:
            return
        if (
            self.for_depths and self.for_depths[-1] == self.bdepth
            and t == "NAME" and leaf.value == "in"
        ):
            self.bdepth -= 1
            self.for_depths.pop()
        if self.lambda_depths and self.lambda_depths[-1] == self.bdepth and t == ":":
            self.bdepth -= 1
            self.lambda_depths.pop()
        if t in CLOSING:
            self.bdepth -= 1
            leaf.opening = self.match.pop((self.bdepth, t))
            if not leaf.value:
                self.invisible.append(leaf)
        leaf.depth = self.bdepth
        if self.bdepth == 0:
            previous = self.previous
            delim = split_before(leaf, previous)
            if delim and previous is not None:
                self.delims[previous] = delim
            elif t == "," and leaf.cond != "forcomma":
                self.delims[leaf] = COMMA
        if t in OPENING:
            self.match[(self.bdepth, CLOSE_OF[t])] = leaf
            self.bdepth += 1
            if not leaf.value:
                self.invisible.append(leaf)
        self.previous = leaf
        if t == "NAME":
            if leaf.value == "lambda":
                self.bdepth += 1
                self.lambda_depths.append(self.bdepth)
            elif leaf.value == "for":
                self.bdepth += 1
                self.for_depths.append(self.bdepth)

    def _has_magic_trailing_comma(self, closing: Leaf) -> bool:
        if not (closing.type in CLOSING and self.leaves and self.leaves[-1].type == ","):
            return False
        if closing.type == "}":
            return True
        if closing.type == "]":
            return not (
                closing.kind == "trailer"
                and closing.opening is not None
                and one_sequence_between(closing.opening, closing, self.leaves, "[")
            )
        if self.is_import:
            return True
        return closing.opening is not None and not one_sequence_between(
            closing.opening, closing, self.leaves, "("
        )

    @property
    def is_def(self) -> bool:
        leaves = self.leaves
        if not leaves or leaves[0].type != "NAME":
            return False
        first = leaves[0].value
        return first == "def" or (
            first == "async" and len(leaves) > 1 and leaves[1].value == "def"
        )

    @property
    def is_import(self) -> bool:
        return bool(self.leaves) and self.leaves[0].kind == "import"

    def max_priority(self, exclude: Leaf | None = None) -> int:
        """Highest delimiter priority (ValueError when there is none)."""
        return max(v for k, v in self.delims.items() if k is not exclude)

    def count_priority(self, priority: int) -> int:
        return sum(1 for p in self.delims.values() if p == priority)

    def __str__(self) -> str:
        leaves = self.leaves
        if not leaves:
            return ""
        first = leaves[0]
        rest = "".join([leaf.prefix + leaf.value for leaf in leaves[1:]])
        return first.prefix + "    " * self.depth + first.value + rest

    def __bool__(self) -> bool:
        return bool(self.leaves)


def one_sequence_between(opening: Leaf, closing: Leaf, leaves: list[Leaf], kind: str) -> bool:
    """black's is_one_sequence_between: at most one element before a trailing comma."""
    if opening.type != kind:
        return False
    depth = closing.depth + 1
    try:
        start = next(i for i, leaf in enumerate(leaves) if leaf is opening)
    except StopIteration:
        return False
    commas = 0
    arglist = opening.kind in ("trailer", "params", "class") and kind == "("
    for leaf in leaves[start + 1:]:
        if leaf is closing:
            break
        if leaf.depth == depth and leaf.type == ",":
            commas += 1
            if arglist:
                commas += 1
                break
    return commas < 2


def short_enough(line: Line, line_length: int, line_str: str | None = None) -> bool:
    text = str(line) if line_str is None else line_str
    return str_width(text) <= line_length


class RHS:
    __slots__ = ("body", "closing", "head", "opening", "tail")

    def __init__(self, head: Line, body: Line, tail: Line, opening: Leaf, closing: Leaf
                 ) -> None:
        self.head, self.body, self.tail = head, body, tail
        self.opening, self.closing = opening, closing


def line_count(line: Line, type_: str) -> int:
    return sum(1 for leaf in line.leaves if leaf.type == type_)


def can_be_split(line: Line) -> bool:
    leaves = line.leaves
    if len(leaves) < 2:
        return False
    if leaves[0].type == "STRING" and leaves[1].type == ".":
        calls = dots = 0
        nxt = leaves[-1]
        for leaf in leaves[-2::-1]:
            if leaf.type in OPENING:
                if nxt.type not in CLOSING:
                    return False
                calls += 1
            elif leaf.type == ".":
                dots += 1
            elif leaf.type == "NAME":
                if not (nxt.type == "." or nxt.type in OPENING):
                    return False
            elif leaf.type not in CLOSING:
                return False
            if dots > 1 and calls > 1:
                return False
    return True
