"""When black drops the optional parentheses of a right-hand split (its `rhs` omission rules)."""

from __future__ import annotations

from generator.layout.leaves import CLOSING, COMMA, DOT_PRIO, OPENING, Leaf
from generator.layout.line import BRACKETS, RHS, Line, line_count, short_enough


def prefer_rhs_oop(rhs_oop: RHS, rhs: RHS, ll: int) -> bool:
    head = rhs.head.leaves
    if not (len(head) >= 2 and head[-2].type == "="):
        return True
    if not any(leaf.type in BRACKETS for leaf in head[:-1]):
        return True
    if not short_enough(rhs.head, ll - 1):
        return True
    if rhs.head.magic is not None:
        return True
    head_equals = line_count(rhs.head, "=")
    if head_equals > 1 and head_equals > line_count(rhs_oop.head, "="):
        return False
    closing_after_assign = False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.type == "=":
            break
        if leaf.type in CLOSING:
            closing_after_assign = True
            break
    return closing_after_assign or (
        any(leaf.type == "=" for leaf in rhs_oop.head.leaves)
        and short_enough(rhs_oop.head, ll)
    )


def can_omit_invisible_parens(rhs: RHS, ll: int) -> bool:
    line = rhs.body
    if not line.delims:
        return True
    max_priority = line.max_priority()
    count = line.count_priority(max_priority)
    if count > 1:
        return False
    if count == 1 and max_priority == COMMA and _is_with(rhs.head):
        return False
    if max_priority == DOT_PRIO:
        return True
    first, second = line.leaves[0], line.leaves[1]
    if (
        first.type in OPENING
        and second.type not in CLOSING
        and _can_omit_opening_paren(line, first, ll)
    ):
        return True
    penultimate, last = line.leaves[-2], line.leaves[-1]
    if last.type in (")", "}") or (last.type == "]" and last.kind != "trailer"):
        if penultimate.type in OPENING:
            return False
        if _can_omit_closing_paren(line, last, ll):
            return True
    return False


def _can_omit_opening_paren(line: Line, first: Leaf, ll: int) -> bool:
    remainder = False
    length = 4 * line.depth
    index = -1
    for index, leaf in enumerate(line.leaves):  # noqa: B007 (read after the loop)
        if leaf.type in CLOSING and leaf.opening is first:
            remainder = True
        if remainder:
            length += len(leaf.prefix) + len(leaf.value)
            if length > ll:
                break
            if leaf.type in OPENING:
                remainder = False
    else:
        if len(line.leaves) == index + 1:
            return True
    return False


def _can_omit_closing_paren(line: Line, last: Leaf, ll: int) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for leaf in line.leaves:
        length += len(leaf.prefix) + len(leaf.value)
        if leaf is last.opening:
            if seen_other_brackets or length <= ll:
                return True
        elif leaf.type in OPENING:
            seen_other_brackets = True
    return False


def _is_with(line: Line) -> bool:
    leaves = line.leaves
    if not leaves or leaves[0].type != "NAME":
        return False
    return leaves[0].value == "with" or (
        leaves[0].value == "async" and len(leaves) > 1 and leaves[1].value == "with"
    )
