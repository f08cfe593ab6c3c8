"""The `fit` filter: a statement the templates print on one line, in a shape black keeps.

A statement that fits stays whole. A longer one is exploded at its last bracket pair (a
call, a signature or a collection literal): one element a line with a magic trailing comma,
which black never joins back, and each element line fitted the same way. This keeps the
layout pass (`layout`, which replays black's own splitting and is far slower) for the few
lines this cannot shape (a head or tail that is too long, comments, comprehensions), or for
just the one element line of an exploded statement it cannot shape.
"""

from __future__ import annotations

import re

from generator.layout.line import str_width

LINE_LENGTH = 88
_QUOTE_OR_HASH = re.compile(r"""#|\"\"\"|'''|"|'""")
_BRACKET = re.compile(r"[()\[\]{}]")
_CALLER = re.compile(r"[\w)\]]")
_YIELD = re.compile(r"\byield\b")
_IMPORT = re.compile(r"from [\w.]+ import ")
_DEF = re.compile(r"(?:async )?def ")
_RETURNS = re.compile(r"\) -> ([^:]+)(:(?: \.\.\.)?)")
_ATOM_ASSIGNMENT = re.compile(r"[\w.]+(?:: [^=()\[\]{}]+)? = ([\w.]+|[rbuRBU]?\"x*\")")
_CONCATENATED = re.compile(r"[\"'] *[rbuRBUfF]{0,2}[\"']")  # "a" "b": black splits there
_ANNOTATED = re.compile(r"\w+: (.+)")
_NAME = re.compile(r"[\w.]+")
_ASSIGN = re.compile(r"(?<![=!<>:+\-*/%&|^@]) = ")
_OPERATOR = re.compile(
    r"[-+*/%@|&^~<>]|==|!=|\b(?:if|else|and|or|not|in|is|lambda|for)\b|:="
)
_PARAMETER = re.compile(r"(\w+): ([^=]+?)((?: = [^=]+)?,)")
_SUBSCRIPT = re.compile(r"([\w.]+)\[.*\]")
_CLOSE = {"(": ")", "[": "]", "{": "}"}
_TOP_PAIR = re.compile(r"[(\[{] *[)\]}]")


_MEMO: dict[tuple[str, int, int], str] = {}  # big APIs repeat statements (sync and async)


def fit(text: str, indent: int, line_length: int = LINE_LENGTH) -> str:
    """`text` (printed after `indent` spaces) as lines that fit, continuation lines indented."""
    text = str(text)
    if indent + len(text) <= line_length and text.isascii():
        return text
    key = (text, indent, line_length)
    done = _MEMO.get(key)
    if done is None:
        if len(_MEMO) > 200_000:
            _MEMO.clear()
        done = _MEMO[key] = "\n".join(_fit(text, indent, line_length))
    return done


def _has_operator(mask: str) -> bool:
    """An operator or operator keyword in `mask` (runs of spaces collapsed first: the
    regular expression is slow on the long blank runs of masks)."""
    return _OPERATOR.search(" ".join(mask.split())) is not None


def _unsplittable(mask: str) -> bool:
    """A comprehension, a lambda with parameters, a yield or a walrus in `mask`: what makes a
    top-level comma not an element separator (or an element unable to take one)."""
    return (" for " in mask or "lambda " in mask or ":=" in mask
            or ("yield" in mask and _YIELD.search(mask) is not None))


def _assign(mask: str) -> re.Match[str] | None:
    """The first top-level ` = ` of an assignment in `mask`."""
    return _ASSIGN.search(mask) if " = " in mask else None


def _width(line: str) -> int:
    return len(line) if line.isascii() else str_width(line)


def _fit(text: str, indent: int, line_length: int, statement: bool = True,
         known: str | None = None) -> list[str]:
    if indent + _width(text) <= line_length:
        return [text]
    mask = known if known is not None else _mask(text)
    if mask is None:
        return [text]
    top = _top_level(mask, 0, len(mask))
    if _has_operator(_value(top) if statement else top):
        return [text]  # black would split at an operator (in parentheses it adds)
    imported = _IMPORT.match(mask)
    if imported is not None and "(" not in mask:  # black wraps the names in parentheses
        cut = imported.end()
        text, mask = f"{text[:cut]}({text[cut:]})", f"{mask[:cut]}({mask[cut:]})"
        top = _top_level(mask, 0, len(mask))
    signature = _DEF.match(text) is not None
    pair = _split_point(mask, top, signature)
    if pair is None:
        return _parenthesized(text, mask, indent, line_length)
    start, end = pair
    equals = _assign(top) if statement else None
    if equals is not None and start < equals.end():
        return [text]  # black splits the value first, never the target or annotation
    head, tail = text[: start + 1], text[end:]
    if _unsplittable(mask[start:end]) and _unsplittable(_top_level(mask, start + 1, end)):
        return [text]
    heads = [head]
    if indent + _width(head) > line_length:
        shaped = _annotated_call(text, mask, top, equals, pair, indent, line_length)
        if shaped is None:
            return [text]
        done, heads = shaped
        if done:
            return heads
    tails = [tail]
    if indent + _width(tail) > line_length:
        tails = _return_annotation(tail, mask[end:], indent, line_length) if signature else []
        if not tails:
            return [text]
    grouping = mask[start] == "(" and _CALLER.match(mask[start - 1] if start else " ") is None
    count, body = _element_lines(text[start + 1:end], mask[start + 1:end], indent + 4,
                                 line_length, signature)
    if not count or (grouping and count < 2 and imported is None):
        return [text]  # a trailing comma would make a parenthesized expression a tuple
    if body is None:
        return [text]  # an element only black's own rules can split: all to the layout pass
    return [*heads, *body, *(" " * indent + line for line in tails)]


_BODIES: dict[tuple[str, int, int, bool], tuple[int, list[str] | None]] = {}


def _element_lines(text: str, mask: str, inner: int, line_length: int, signature: bool
                   ) -> tuple[int, list[str] | None]:
    """The elements of an exploded bracket pair's content, one a line, each fitted: their
    number, and the lines (None: one is too long to shape here). Memoized: the sync and async
    forms of a statement, and a call repeated, share their arguments."""
    key = (text, inner, line_length, signature)
    done = _BODIES.get(key)
    if done is not None:
        return done
    if len(_BODIES) > 100_000:
        _BODIES.clear()
    elements = _elements(text, mask, 0, len(text))
    pad = " " * inner
    lines: list[str] = []
    shaped = True
    for element, element_mask in elements:
        line = element + ","
        if inner + _width(line) <= line_length:
            lines.append(pad + line)
            continue
        line_mask = element_mask + ","
        fitted = _fit(line, inner, line_length, False, line_mask)
        if signature and fitted == [line]:
            fitted = _parameter(line, line_mask, inner, line_length)
        elif fitted == [line] and element_mask.startswith("lambda: "):  # a thunk: its body
            fitted = _expression(element, element_mask, inner, line_length, ",") or fitted
        if fitted == [line] and not _replayable(line_mask, signature):
            shaped = False
            break
        lines.append(pad + fitted[0])
        lines.extend(fitted[1:])
    done = _BODIES[key] = (len(elements), lines if shaped else None)
    return done


def _annotated_call(text: str, mask: str, top: str, equals: re.Match[str] | None,
                    pair: tuple[int, int], indent: int, line_length: int
                    ) -> tuple[bool, list[str]] | None:
    """`name: T = call(...)` whose head up to `call(` is too long. When `name: T = (` fits,
    black puts the call in parentheses of its own: (True, all the lines). Else it
    parenthesizes a union `T`: (False, the head lines `name: (`, `T`, `) = call(`), the
    arguments to follow. None for other shapes."""
    start, end = pair
    found = _ANNOTATED.fullmatch(top, 0, equals.start()) if equals is not None else None
    if (equals is None or found is None or end != len(text) - 1
            or _NAME.fullmatch(mask, equals.end(), start) is None):
        return None
    annotation = top[found.start(1):found.end(1)]
    if " | " not in annotation and _BRACKET.search(annotation) is None:
        return None
    opened = text[:equals.end()] + "("
    if indent + _width(opened) <= line_length:
        inner = _fit(text[equals.end():], indent + 4, line_length, False, mask[equals.end():])
        if len(inner) == 1 and indent + 4 + _width(inner[0]) > line_length:
            return None
        return True, [opened, " " * (indent + 4) + inner[0], *inner[1:], " " * indent + ")"]
    if " | " not in annotation:
        return None  # black would split a bracket of the annotation instead
    hint = text[found.start(1):found.end(1)]
    closing = ") = " + text[equals.end():start + 1]
    if indent + 4 + _width(hint) > line_length or indent + _width(closing) > line_length:
        return None
    return False, [text[:found.start(1)] + "(", " " * (indent + 4) + hint, " " * indent + closing]


def _return_annotation(tail: str, mask: str, indent: int, line_length: int) -> list[str]:
    """`) -> A | B:` too long: black parenthesizes the annotation, on one line if it fits,
    else one union member a line (lines relative to `indent`; none if that cannot fit)."""
    found = _RETURNS.fullmatch(mask)
    if found is None:
        return []
    start, end = found.span(1)
    annotation, rest = tail[start:end], tail[end:]
    top = _top_level(mask, start, end)
    bars = top.count(" | ")
    if bars < 2 and (bars == 0 or _BRACKET.search(top) is not None):
        return []  # black would split a bracket of the annotation rather than add parentheses
    room = line_length - indent - 4
    if _width(annotation) <= room:
        return [") -> (", "    " + annotation, ")" + rest]
    members, last = [], start
    for bar in re.finditer(r" \| ", mask[start:end]):
        cut = start + bar.start()
        if _depth(mask[start:cut]) == 0:
            members.append(tail[last:cut])
            last = cut + 3
    members.append(tail[last:end])
    body = ["    " + members[0], *("    | " + member for member in members[1:])]
    if len(members) < 2 or any(_width(line) > room + 4 for line in body):
        return []
    return [") -> (", *body, ")" + rest]


def _depth(mask: str) -> int:
    return sum(mask.count(c) for c in "([{") - sum(mask.count(c) for c in ")]}")


def _parenthesized(text: str, mask: str, indent: int, line_length: int) -> list[str]:
    """`name: T = VALUE` with no brackets to split at: black puts VALUE (one atom) inside
    parentheses on a line of its own."""
    found = _ATOM_ASSIGNMENT.fullmatch(mask)
    if found is None:
        return [text]
    head, value = text[: found.start(1)] + "(", text[found.start(1):]
    if indent + _width(head) > line_length or indent + 4 + _width(value) > line_length:
        return [text]
    return [head, " " * (indent + 4) + value, " " * indent + ")"]


def _parameter(line: str, mask: str, indent: int, line_length: int) -> list[str]:
    """A parameter line too long (`mask`: its mask): black parenthesizes a union annotation
    (`name: (A | B) = default,`) and explodes a lone subscript (`name: Literal[...],`)."""
    found = _PARAMETER.fullmatch(mask)
    if found is None:
        return [line]
    start, end = found.span(2)
    name, annotation, rest = line[: found.end(1)], line[start:end], line[end:]
    top = _top_level(mask, start, end)
    if " | " in top:
        if indent + _width(rest) + 1 > line_length:
            return [line]
        if indent + 4 + _width(annotation) <= line_length:
            return [f"{name}: (", " " * (indent + 4) + annotation, " " * indent + ")" + rest]
        members = _union(annotation, mask[start:end], indent + 4, line_length)
        return [line] if members is None else [f"{name}: (", *members, " " * indent + ")" + rest]
    subscript = _SUBSCRIPT.fullmatch(mask, start, end)
    if subscript is None or rest != ",":
        return [line]
    opened = subscript.end(1)
    if _unsplittable(_top_level(mask, opened + 1, end - 1)):
        return [line]
    items = _elements(line, mask, opened + 1, end - 1)
    head = line[:opened + 1]
    body = [" " * (indent + 4) + item + "," for item, _ in items]
    if len(items) < 2 or any(_width(row) > line_length for row in [head, *body]):
        return [line]  # a one-element subscript's trailing comma is not magic
    return [head, *body, " " * indent + "],"]


def _union(text: str, mask: str, indent: int, line_length: int) -> list[str] | None:
    """A union too long for one line, as black splits it inside parentheses: a member a line,
    the later ones led by `| `, each too long one split at its brackets (`_expression`).
    Every line indented; None if a member cannot be shaped here."""
    top = _top_level(mask, 0, len(mask))
    lines, last = [], 0
    for cut in [*(bar.start() for bar in re.finditer(r" \| ", top)), len(text)]:
        lead = "| " if last else ""
        shaped = _expression(lead + text[last:cut], lead + mask[last:cut], indent, line_length)
        if shaped is None:
            return None
        lines.append(" " * indent + shaped[0])
        lines.extend(shaped[1:])
        last = cut + 3
    return lines


def _expression(text: str, mask: str, indent: int, line_length: int, suffix: str = ""
                ) -> list[str] | None:
    """An expression inside brackets, followed by `suffix` (its trailing comma, if any), as
    black's right-hand split lays it out: split at its last bracket pair, a call or subscript
    that ends it (after `| ` or `lambda: ` at most); the content on one line if it fits, else
    an element a line with a trailing comma (a single element: split again, no comma). First
    line unindented."""
    if indent + _width(text) + len(suffix) <= line_length:
        return [text + suffix]
    top = _top_level(mask, 0, len(mask))
    pairs = _pairs(top)
    if not pairs or pairs[-1][1] != len(text) - 1:
        return None
    start, end = pairs[-1]
    lead = 2 if top.startswith("| ") else 8 if top.startswith("lambda: ") else 0
    if start <= lead or _NAME.fullmatch(top, lead, start) is None:
        return None  # a display or a parenthesized expression: black's other rules
    head = text[:start + 1]
    if indent + _width(head) > line_length:
        return None
    inner_top = _top_level(mask, start + 1, end)
    if _unsplittable(inner_top):
        return None
    elements = _elements(text, mask, start + 1, end, inner_top)
    closer = " " * indent + text[end] + suffix
    inner = indent + 4
    if len(elements) == 1:
        element, element_mask = elements[0]
        body = _expression(element, element_mask, inner, line_length)
        return None if body is None else [head, " " * inner + body[0], *body[1:], closer]
    if not elements:
        return None
    joined = ", ".join(element for element, _ in elements)
    if inner + _width(joined) <= line_length:
        return [head, " " * inner + joined, closer]
    lines = [head]
    for element, element_mask in elements:
        shaped = _expression(element, element_mask, inner, line_length, ",")
        if shaped is None:
            return None
        lines.append(" " * inner + shaped[0])
        lines.extend(shaped[1:])
    return [*lines, closer]


def _replayable(mask: str, signature: bool) -> bool:
    """An element line left too long (`mask`: its mask) that the layout pass lays out as
    black does in its place: a parameter of a signature, or an element with no operator
    outside brackets (`lambda: ...` without parameters included)."""
    if signature and _PARAMETER.fullmatch(mask) is not None:
        return True
    top = _top_level(mask, 0, len(mask))
    return not _has_operator(top[8:] if top.startswith("lambda: ") else top)  # or a thunk


def atomic(element: str) -> bool:
    """An element line black leaves long as it is: no brackets and no operators (say
    `description="..."`), so nothing to split at but its own trailing comma."""
    mask = _mask(element)
    return (mask is not None and _BRACKET.search(mask) is None
            and not _has_operator(mask) and _CONCATENATED.search(mask) is None)


def _value(mask: str) -> str:
    """The part of a statement black may put in invisible parentheses: after `return` or
    the first top-level `=` (the whole of a bare expression has none)."""
    if mask.startswith("return "):
        return mask[7:]
    equals = _assign(mask)
    return mask[equals.end():] if equals is not None else ""


def _split_point(mask: str, top: str, signature: bool) -> tuple[int, int] | None:
    """The last top-level bracket pair that is not a subscript: black splits there first
    when it holds a magic trailing comma (single-element subscripts have none). In a
    signature, its parameters (none: nothing to explode). `top`: the mask's top level."""
    pairs = _pairs(top)
    if signature:
        opened = mask.find("(")
        return next((pair for pair in pairs if pair[0] == opened), None)
    for start, end in reversed(pairs):
        before = mask[start - 1] if start else " "
        if mask[start] == "(" or _CALLER.match(before) is None:
            return start, end  # a call, a signature, a tuple or a list/dict/set display
    return None


def _mask(text: str) -> str | None:
    """`text` with string contents replaced by `x` (positions kept); None with a comment
    or an unterminated string."""
    if "#" not in text and '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        found = _QUOTE_OR_HASH.search(text, pos)
        if found is None:
            out.append(text[pos:])
            return "".join(out)
        mark = found.group()
        if mark == "#":
            return None
        opened = found.end()
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
        before = end
        while before > start and text[before - 1] == "\\":
            before -= 1
        if (end - before) % 2 == 0:
            return end
        pos = end + 1


def _top_level(mask: str, start: int, end: int) -> str:
    """`mask[start:end]` with everything inside nested brackets blanked."""
    out, depth, last = [], 0, start
    for found in _BRACKET.finditer(mask, start, end):
        pos = found.start()
        if found.group() in _CLOSE:
            if depth == 0:
                out.append(mask[last:pos + 1])
                last = pos + 1
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                out.append(" " * (pos - last))
                last = pos
    out.append(mask[last:end] if depth == 0 else "")
    return "".join(out)


def _pairs(top: str) -> list[tuple[int, int]]:
    """The top-level bracket pairs that are not empty, read off the top-level view of a
    mask (`_top_level`: each shows as its brackets around blanks); none if they do not match."""
    pairs = []
    for found in _TOP_PAIR.finditer(top):
        start, end = found.span()
        if _CLOSE[top[start]] != top[end - 1]:
            return []
        if end - start > 2:
            pairs.append((start, end - 1))
    return pairs


def _elements(text: str, mask: str, start: int, end: int, top: str | None = None
              ) -> list[tuple[str, str]]:
    """The comma-separated elements between `start` and `end`, each with its mask (none:
    an empty one). `top`: that range's top level, if known."""
    if top is None:
        top = _top_level(mask, start, end)  # commas inside nested brackets blanked
    cuts, begin = [], 0
    comma = top.find(",")
    while comma >= 0:
        cuts.append((start + begin, start + comma))
        begin = comma + 1
        comma = top.find(",", begin)
    if top[begin:].strip():
        cuts.append((start + begin, end))
    parts = []
    for first, last in cuts:
        piece = text[first:last]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if lead >= trail:
            return []
        parts.append((piece[lead:trail], mask[first + lead:first + trail]))
    return parts
