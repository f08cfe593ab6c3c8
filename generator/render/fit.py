"""The `fit` filter: a statement the templates print on one line, in a shape black keeps.

A statement that fits stays whole. A longer one is exploded at its last bracket pair (a
call, a signature or a collection literal): one element a line with a magic trailing comma,
which black never joins back, and each element line fitted the same way. This keeps the
layout pass (`layout`, which replays black's own splitting and is far slower) for the few
lines this cannot shape: a head or tail that is too long, comments, comprehensions.
"""

from __future__ import annotations

import re

from generator.render.layout_split import str_width

LINE_LENGTH = 88
_QUOTE = re.compile(r"""[rRbBuUfF]{0,2}("""
                    r"""\"\"\"|'''|"|')""")
_CALLER = re.compile(r"[\w)\]]")
_UNSPLITTABLE = re.compile(r"\b(?:for|lambda|yield)\b|:=")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def fit(text: str, indent: int, line_length: int = LINE_LENGTH) -> str:
    """`text` (printed after `indent` spaces) as lines that fit, continuation lines indented."""
    return "\n".join(_fit(str(text), indent, line_length))


def _width(line: str) -> int:
    return len(line) if line.isascii() else str_width(line)


def _fit(text: str, indent: int, line_length: int) -> list[str]:
    if indent + _width(text) <= line_length:
        return [text]
    mask = _mask(text)
    if mask is None:
        return [text]
    pair = _split_point(mask)
    if pair is None:
        return [text]
    start, end = pair
    head, tail = text[: start + 1], text[end:]
    if _UNSPLITTABLE.search(mask, start, end):
        return [text]
    if indent + _width(head) > line_length or indent + _width(tail) > line_length:
        return [text]
    elements = _elements(text, mask, start + 1, end)
    if not elements:
        return [text]
    inner = indent + 4
    pad = " " * inner
    lines = [head]
    for element in elements:
        fitted = _fit(element + ",", inner, line_length)
        lines.append(pad + fitted[0])
        lines.extend(fitted[1:])
    lines.append(" " * indent + tail)
    return lines


def _split_point(mask: str) -> tuple[int, int] | None:
    """The last top-level call (or signature) or collection literal: black splits there
    first when it holds a magic trailing comma. Subscripts are not exploded."""
    for start, end in reversed(_pairs(mask)):
        before = mask[start - 1] if start else " "
        call = mask[start] == "(" and _CALLER.match(before) is not None
        literal = mask[start] in "[{" and _CALLER.match(before) is None
        if call or literal:
            return start, end
    return None


def _mask(text: str) -> str | None:
    """`text` with string contents replaced by `x` (positions kept); None with a comment
    or an unterminated string."""
    out: list[str] = []
    pos = 0
    while True:
        quote = _QUOTE.search(text, pos)
        hash_at = text.find("#", pos)
        if quote is None:
            return None if hash_at >= 0 else "".join(out) + text[pos:]
        if 0 <= hash_at < quote.start():
            return None
        mark = quote.group(1)
        opened = quote.end()
        close = _string_end(text, opened, mark)
        if close < 0:
            return None
        out.append(text[pos:opened])
        out.append("x" * (close - opened))
        out.append(mark)
        pos = close + len(mark)


def _string_end(text: str, start: int, mark: str) -> int:
    pos = start
    while True:
        end = text.find(mark, pos)
        if end < 0:
            return -1
        backslashes = end - len(text[:end].rstrip("\\"))
        if backslashes % 2 == 0:
            return end
        pos = end + 1


def _pairs(mask: str) -> list[tuple[int, int]]:
    """The top-level bracket pairs that are not empty (none if the brackets do not match)."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for pos, char in enumerate(mask):
        if char in _CLOSE:
            stack.append(pos)
        elif char in ")]}":
            if not stack:
                return []
            opened = stack.pop()
            if _CLOSE[mask[opened]] != char:
                return []
            if not stack and pos > opened + 1:
                pairs.append((opened, pos))
    return [] if stack else pairs


def _elements(text: str, mask: str, start: int, end: int) -> list[str]:
    """The comma-separated elements between `start` and `end` (none: an empty one)."""
    depth, begin, parts = 0, start, []
    for pos in range(start, end):
        char = mask[pos]
        if char in _CLOSE:
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[begin:pos].strip())
            begin = pos + 1
    rest = text[begin:end].strip()
    if rest:
        parts.append(rest)
    return parts if all(parts) else []
