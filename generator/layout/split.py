"""black's line splitting (its `linegen`), re-expressed over the leaves of `leaves`.

The functions follow black's transform order and rules one for one, including the side
effects black relies on (invisible parens turned visible stay visible; a second opinion with
forced optional parens), so that a long line comes out exactly as black prints it.
"""


from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.layout.leaves import CLOSING, COMMA, DOT_PRIO, OPENING, Leaf
from generator.layout.line import (
    CLOSE_OF,
    RHS,
    CannotSplit,
    Line,
    can_be_split,
    line_count,
    one_sequence_between,
    short_enough,
)
from generator.layout.parens import can_omit_invisible_parens, prefer_rhs_oop

Transform = Callable[["Splitter", Line, bool], list[Line]]


class Splitter:
    """Splits lines for one line length (black's transform_line and its transforms)."""

    def __init__(self, line_length: int) -> None:
        self.ll = line_length

    def transform_line(self, line: Line, force: bool = False) -> list[Line]:
        line_str = str(line)
        if not line.split_rhs and not line.magic and short_enough(line, self.ll, line_str):
            return [line]
        transforms: list[Transform]
        if line.is_def and not self._split_funcdef_with_rhs(line):
            transforms = [Splitter.left_hand_split]
        elif line.inside:
            transforms = [Splitter.delimiter_split, Splitter.rhs]
        else:
            transforms = [Splitter.rhs]
        for transform in transforms:
            try:
                return self._run(line, transform, force, line_str)
            except CannotSplit:
                continue
        return [line]

    def _run(self, line: Line, transform: Transform, force: bool, line_str: str
             ) -> list[Line]:
        optional = [b for b in line.invisible if b.depth == 0]
        result: list[Line] = []
        for split in transform(self, line, force):
            if str(split) == line_str:
                raise CannotSplit("unchanged")
            result.extend(self.transform_line(split, force))
        if (
            force
            or transform is not Splitter.rhs
            or not line.invisible
            or any(b.value for b in optional)
            or short_enough(result[0], self.ll)
            or any(not leaf.parented for leaf in line.leaves)
        ):
            return result
        copy = Line(line.depth, line.inside)
        copy.split_rhs, copy.magic = line.split_rhs, line.magic
        for old in line.leaves:
            new = old.copy()
            new.parented = old.parented
            old.parented = False
            copy.append(new)
        second = self._run(copy, transform, True, line_str)
        if all(short_enough(ln, self.ll) for ln in second):
            result = second
        return result

    def _split_funcdef_with_rhs(self, line: Line) -> bool:
        leaves: list[Leaf] = []
        inside = False
        for leaf in line.leaves:
            if leaf.type == ":":
                inside = False
            if inside:
                leaves.append(leaf)
            if leaf.type == "->":
                inside = True
        result = Line(line.depth)
        track = inside_matching_brackets(leaves)
        for leaf in leaves:
            result.append(leaf, preformatted=True, track=leaf in track)
        first = next((leaf for leaf in leaves if leaf.value), None)
        return result.magic is not None or (
            first is not None and first.type == "STRING" and not short_enough(result, self.ll)
        )

    # -- right hand split -------------------------------------------------------------

    def rhs(self, line: Line, force: bool) -> list[Line]:
        ll = self.ll
        first_lines: list[Line] | None = None
        prefix_lengths: dict[Leaf, int] = {}
        length = 4 * line.depth
        for leaf in line.leaves:
            prefix_lengths[leaf] = length
            length += len(leaf.prefix) + len(leaf.value)
        for omit in trailers_to_omit(line, ll):
            if omit:
                target: Leaf | None = None
                for leaf in reversed(line.leaves):
                    if leaf.type in CLOSING and leaf not in omit:
                        target = leaf.opening
                        break
                if target is not None and target.value and prefix_lengths.get(target, 0) > ll:
                    continue
            lines = self.right_hand_split(line, force, omit)
            if first_lines is None and not omit:
                first_lines = lines
            if short_enough(lines[0], ll):
                return lines
        if first_lines is not None:
            return first_lines
        return self.right_hand_split(line, force, set())

    def right_hand_split(self, line: Line, force: bool, omit: set[Leaf]) -> list[Line]:
        return self._maybe_omit_optional_parens(first_rhs(line, omit), line, force, omit)

    def _maybe_omit_optional_parens(self, rhs: RHS, line: Line, force: bool,
                                    omit: set[Leaf]) -> list[Line]:
        if (
            not force
            and rhs.opening.type == "("
            and not rhs.opening.value
            and rhs.closing.type == ")"
            and not rhs.closing.value
            and not line.is_import
            and can_omit_invisible_parens(rhs, self.ll)
        ):
            omit = {rhs.closing, *omit}
            try:
                rhs_oop = first_rhs(line, omit)
                if prefer_rhs_oop(rhs_oop, rhs, self.ll):
                    return self._maybe_omit_optional_parens(rhs_oop, line, force, omit)
            except CannotSplit:
                if line_count(line, "=") > 1:
                    pass
                elif not can_be_split(rhs.body) and not short_enough(rhs.body, self.ll):
                    raise
        ensure_visible(rhs.opening)
        ensure_visible(rhs.closing)
        return [part for part in (rhs.head, rhs.body, rhs.tail) if part]

    # -- left hand split and delimiter split --------------------------------------------

    def left_hand_split(self, line: Line, force: bool) -> list[Line]:
        matching: Leaf | None = None
        head: list[Leaf] = []
        body: list[Leaf] = []
        tail: list[Leaf] = []
        for leaf_type in ("(", "["):
            tail, body, head = [], [], []
            current = head
            matching = None
            depth = 0
            for index, leaf in enumerate(line.leaves):
                if index == 2 and leaf.type == "[":
                    depth += 1
                elif depth > 0:
                    if leaf.type == "[":
                        depth += 1
                    elif leaf.type == "]":
                        depth -= 1
                if (
                    current is body
                    and leaf.type in CLOSING
                    and leaf.opening is matching
                    and matching is not None
                    and not (leaf_type == "(" and depth > 0)
                ):
                    ensure_visible(leaf)
                    ensure_visible(matching)
                    current = tail if body else head
                current.append(leaf)
                if current is head and leaf.type == leaf_type and not (
                    leaf_type == "(" and depth > 0
                ):
                    matching = leaf
                    current = body
            if matching is not None and tail:
                break
        if matching is None or not tail:
            raise CannotSplit("no brackets")
        head_line = build_line(head, line, matching, "head")
        body_line = build_line(body, line, matching, "body")
        tail_line = build_line(tail, line, matching, "tail")
        succeeded_or_raise(head_line, body_line, tail_line)
        return [part for part in (head_line, body_line, tail_line) if part]

    def delimiter_split(self, line: Line, force: bool) -> list[Line]:
        if not line.leaves:
            raise CannotSplit("empty")
        last = line.leaves[-1]
        try:
            priority = line.max_priority(exclude=last)
        except ValueError:
            raise CannotSplit("no delimiters") from None
        if priority == DOT_PRIO and line.count_priority(priority) == 1:
            raise CannotSplit("a single attribute")
        out: list[Line] = []
        current = Line(line.depth, line.inside)
        delims = line.delims
        for leaf in line.leaves:
            current.append(leaf, preformatted=True)
            if delims.get(leaf) == priority:
                out.append(current)
                current = Line(line.depth, line.inside)
        if current:
            if priority == COMMA and current.leaves[-1].type != ",":
                comma = Leaf(",", ",")
                comma.parented = False
                current.append(comma)
            out.append(current)
        for part in out:
            part.leaves[0].prefix = ""
        return out


def ensure_visible(leaf: Leaf) -> None:
    if leaf.type in ("(", ")"):
        leaf.value = leaf.type


def trailers_to_omit(line: Line, line_length: int) -> Iterator[set[Leaf]]:
    """black's generate_trailers_to_omit (lazy: earlier splits may turn parens visible)."""
    omit: set[Leaf] = set()
    if not line.magic:
        yield omit
    length = 4 * line.depth
    opening: Leaf | None = None
    closing: Leaf | None = None
    inner: set[Leaf] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += len(leaf.prefix) + len(leaf.value)
        if length > line_length:
            break
        if opening:
            if leaf is opening:
                opening = None
            elif leaf.type in CLOSING:
                prev = leaves[index - 1] if index > 0 else None
                if (
                    prev is not None and prev.type == ","
                    and leaf.opening is not None
                    and not one_sequence_between(leaf.opening, leaf, leaves, "(")
                ):
                    break
                inner.add(leaf)
        elif leaf.type in CLOSING:
            prev = leaves[index - 1] if index > 0 else None
            if prev is not None and prev.type in OPENING:
                inner.add(leaf)
                continue
            if closing:
                omit.add(closing)
                omit.update(inner)
                inner.clear()
                yield omit
            if (
                prev is not None and prev.type == ","
                and leaf.opening is not None
                and not one_sequence_between(leaf.opening, leaf, leaves, "(")
            ):
                break
            if leaf.value:
                opening = leaf.opening
                closing = leaf


def first_rhs(line: Line, omit: set[Leaf]) -> RHS:
    """black's _first_right_hand_split: head, body, tail around the last bracket pair."""
    tail: list[Leaf] = []
    body: list[Leaf] = []
    head: list[Leaf] = []
    current = tail
    opening: Leaf | None = None
    closing: Leaf | None = None
    for leaf in reversed(line.leaves):
        if current is body and leaf is opening:
            current = head if body else tail
        current.append(leaf)
        if current is tail and leaf.type in CLOSING and leaf not in omit:
            opening = leaf.opening
            closing = leaf
            current = body
    if opening is None or closing is None or not head:
        raise CannotSplit("no brackets")
    tail.reverse()
    body.reverse()
    head.reverse()
    head_line = build_line(head, line, opening, "head")
    body_line = build_line(body, line, opening, "body")
    tail_line = build_line(tail, line, opening, "tail")
    succeeded_or_raise(head_line, body_line, tail_line)
    return RHS(head_line, body_line, tail_line, opening, closing)


def succeeded_or_raise(head: Line, body: Line, tail: Line) -> None:
    tail_len = len(str(tail).strip())
    if not body:
        if tail_len == 0:
            raise CannotSplit("same line")
        if tail_len < 3:
            raise CannotSplit("not worth it")


def _ensure_trailing_comma(leaves: list[Leaf], original: Line, opening: Leaf) -> bool:
    if not leaves:
        return False
    if original.is_import:
        return True
    if not original.is_def or opening.value != "(":
        return False
    if any(leaf.type == "," and not leaf.ann for leaf in leaves):
        return False
    with_parent = next((leaf for leaf in leaves if leaf.parented), None)
    if with_parent is None:
        return True
    return with_parent.ann != "return"


def build_line(leaves: list[Leaf], original: Line, opening: Leaf, component: str) -> Line:
    """black's bracket_split_build_line."""
    result = Line(original.depth)
    if component == "body":
        result.inside = True
        result.depth += 1
        if _ensure_trailing_comma(leaves, original, opening):
            for i in range(len(leaves) - 1, -1, -1):
                if leaves[i].type != ",":
                    comma = Leaf(",", ",")
                    comma.parented = False
                    leaves.insert(i + 1, comma)
                break
    track = inside_matching_brackets(leaves) if component == "head" else set()
    for leaf in leaves:
        result.append(leaf, preformatted=True, track=leaf in track)
    if component == "body" and should_split_line(result, opening):
        result.split_rhs = True
    return result


def should_split_line(line: Line, opening: Leaf) -> bool:
    if not (opening.parented and opening.value in "[{("):
        return False
    if not line.leaves:
        return False
    last = line.leaves[-1]
    trailing_comma = last.type == ","
    try:
        max_priority = line.max_priority(exclude=last if trailing_comma else None)
    except ValueError:
        return False
    return max_priority == COMMA and (trailing_comma or opening.kind in ("atom", "import"))


def inside_matching_brackets(leaves: list[Leaf]) -> set[Leaf]:
    start = next((i for i, leaf in enumerate(leaves) if leaf.type in OPENING), None)
    if start is None:
        return set()
    ids: set[Leaf] = set()
    stack: list[tuple[str, list[Leaf]]] = []
    for leaf in leaves[start:]:
        if leaf.type in OPENING:
            stack.append((CLOSE_OF[leaf.type], [leaf]))
        elif leaf.type in CLOSING:
            if stack and leaf.type == stack[-1][0]:
                _, level = stack.pop()
                level.append(leaf)
                ids.update(level)
            else:
                break
        elif stack:
            stack[-1][1].append(leaf)
    return ids
