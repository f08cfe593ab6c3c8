"""The layout pass: generated Python laid out exactly as black (line length 88) prints it.

Templates print each dynamic statement as one physical line and static code already as black
prints it. This pass leaves every line that fits alone and re-lays out each line that does
not — a whole statement, or one element line inside brackets the template already exploded —
with black's splitting rules (`split`), and moves a docstring's closing quotes to their
own line where black would. It never imports black; the tests prove it agrees with black.
"""

from __future__ import annotations

import re

from generator.layout.fit import atomic
from generator.layout.leaves import classify, tokenize
from generator.layout.line import Line, str_width
from generator.layout.split import Splitter

LINE_LENGTH = 88

_STRINGS = re.compile(
    r"""[rRbBuUfFtT]{0,2}(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\#.*"""
)
_TRIPLE_OPEN = re.compile(r"""[rRbBuUfFtT]{0,2}(\"\"\"|''')""")
_DEF = re.compile(r"(?:async\s+)?def\s")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DOCSTRING_START = re.compile(r"""[rRuU]?(\"\"\"|''')""")


def _code(line: str) -> tuple[str, str | None]:
    """The line without its string literals and comment; and the quote of a string that
    stays open at its end (a triple-quoted string continuing on the next lines)."""
    if '"' not in line and "'" not in line and "#" not in line:
        return line, None
    pos, out = 0, []
    while True:
        m = _STRINGS.search(line, pos)
        if m is None:
            out.append(line[pos:])
            return "".join(out), None
        start = m.start()
        opener = _TRIPLE_OPEN.match(line, start)
        text = m.group()
        if opener is not None and not (len(text) >= 6 and text.endswith(opener.group(1))):
            out.append(line[pos:start])
            return "".join(out), opener.group(1)
        out.append(line[pos:start])
        out.append('""' if text[0] != "#" else "")
        pos = m.end()


def _delta(code: str) -> int:
    return (
        code.count("(") + code.count("[") + code.count("{")
        - code.count(")") - code.count("]") - code.count("}")
    )


def _closing(line: str, quote: str) -> int:
    """Where `quote` closes a string continued on this line (-1: it does not)."""
    start = 0
    while True:
        end = line.find(quote, start)
        if end < 0:
            return -1
        backslashes = len(line[:end]) - len(line[:end].rstrip("\\"))
        if backslashes % 2 == 0:
            return end
        start = end + 1


_UNTIDY = re.compile(r"[ \t]\n|\t|\\$")  # what black's docstring rules would change
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _after_docstring(lines: list[str], start: int, end: int, out: list[str]) -> None:
    """black leaves one empty line after a class docstring."""
    if (
        start
        and lines[start - 1].lstrip().startswith("class ")
        and end + 1 < len(lines)
        and lines[end + 1].strip()
    ):
        out.append("")


def _previous_code(lines: list[str], index: int) -> int:
    """The index of the nearest line before `index` that is neither blank nor a comment."""
    index -= 1
    while index >= 0:
        stripped = lines[index].lstrip()
        if stripped and stripped[0] != "#":
            return index
        index -= 1
    return -1


def _opener(lines: list[str], index: int, indent: int) -> int:
    """The line opening the bracket whose element at `indent` follows line `index`: the
    nearest code line indented less (the layout indents each bracket's elements one level
    deeper than the line that opens it, and an element's own lines no less than itself)."""
    while index >= 0:
        line = lines[index]
        stripped = line.lstrip()
        if stripped and stripped[0] != "#" and len(line) - len(stripped) < indent:
            return index
        index -= 1
    return -1


def _is_block_start(lines: list[str], index: int) -> bool:
    """Is the statement at `index` the first of its block (so a string there is a docstring)?"""
    before = _previous_code(lines, index)
    return before < 0 or lines[before].rstrip().endswith(":")


def _docstring(lines: list[str], line_length: int = LINE_LENGTH) -> list[str]:
    """A docstring statement as black prints it (twice when the first pass changes it)."""
    once = _docstring_once(lines, line_length)
    return once if once == lines else _docstring_once(once, line_length)


def _docstring_once(lines: list[str], line_length: int) -> list[str]:
    text = "\n".join(lines)
    stripped = text.lstrip()
    indent = text[: len(text) - len(stripped)]
    prefix = stripped[: len(stripped) - len(stripped.lstrip("rRuU"))]
    body = stripped[len(prefix):]
    if not body.startswith('"""') or not body.endswith('"""') or len(body) < 6:
        return lines
    if re.search(r"\\\s*\n", body) or prefix not in ("", "r", "R"):
        return lines
    content = body[3:-3]
    started_empty = not content
    content = _fix_multiline(content, indent) if "\n" in content else content.strip()
    trailing_backslash = False
    if content:
        if content[0] == '"':
            content = " " + content
        if content[-1] == '"':
            content += " "
        if content[-1] == "\\" and (len(content) - len(content.rstrip("\\"))) % 2:
            content += " "
            trailing_backslash = True
    elif not started_empty:
        content = " "
    parts = content.splitlines()
    last = len(parts[-1]) if content and not content.endswith("\n") else 0
    if (
        len(parts) > 1
        and last + 3 > line_length
        and len(indent) + 3 <= line_length
        and not trailing_backslash
    ):
        if body[-4] == "\n":
            value = '"""' + content + '"""'
        else:
            value = '"""' + content + "\n" + indent + '"""'
    else:
        value = '"""' + content + '"""'
    return (indent + prefix + value).split("\n")


def _fix_multiline(docstring: str, prefix: str) -> str:
    lines = []
    for line in _LINE_BREAK.split(docstring):
        body = line.lstrip()
        if body and body != line:
            line = line[: len(line) - len(body)].expandtabs(4) + body
        lines.append(line)
    indent = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()),
        default=-1,
    )
    trimmed = [lines[0].strip()]
    if indent >= 0:
        last = len(lines) - 2
        for i, line in enumerate(lines[1:]):
            rest = line[indent:].rstrip()
            trimmed.append(prefix + rest if rest or i == last else "")
    return "\n".join(trimmed)


class _Scanner:
    """Walks a file's lines, knowing which are statements, elements or string content."""

    def __init__(self, line_length: int) -> None:
        self.ll = line_length
        self.splitter = Splitter(line_length)
        self.cache: dict[tuple[str, bool, bool, bool], list[str] | None] = {}

    def layout(self, text: str) -> str:
        lines = text.split("\n")
        out: list[str] = []
        depth = 0  # open brackets carried over from previous lines
        openers: list[bool] = []  # per open bracket: was it a `def` line's?
        quote: str | None = None  # inside a multi-line string closed by this quote
        docstring = False
        block_start = True  # the next statement may be a docstring
        ll = self.ll
        pending: list[str] = []  # the lines of a docstring so far
        for index, line in enumerate(lines):
            if quote is not None:
                end = _closing(line, quote)
                if end < 0:
                    (pending if docstring else out).append(line)
                    continue
                rest = line[end + 3:]
                if docstring:
                    pending.append(line)
                    out.extend(_docstring(pending) if not rest.strip() else pending)
                    pending = []
                else:
                    out.append(line)
                quote = None
                docstring = False
                code, quote = _code(rest)
                depth += _delta(code)
                continue
            stripped = line.lstrip()
            if not stripped or stripped[0] == "#":
                out.append(line)
                continue
            code, quote = _code(line)
            delta = _delta(code)
            starts_docstring = (
                block_start and depth == 0 and _DOCSTRING_START.match(stripped) is not None
            )
            block_start = False
            if quote is not None:
                docstring = starts_docstring and quote == '"""'
                (pending if docstring else out).append(line)
                depth += delta
                continue
            if starts_docstring and stripped.startswith('"""') and code.strip() == '""':
                out.extend(_docstring([line]))
                continue
            if len(line) > ll or (not line.isascii() and str_width(line) > ll):
                new = None
                if delta == 0:
                    new = self._relayout(lines, index, line, stripped, depth, openers)
                if new is None:
                    out.append(line)
                else:
                    out.extend(new)
            else:
                out.append(line)
            if depth == 0:
                block_start = code.rstrip().endswith(":")
            if delta > 0:
                openers.extend([_DEF.match(stripped) is not None] * delta)
            elif delta < 0:
                del openers[len(openers) + delta:]
            depth += delta
        return "\n".join(out)

    def fast_layout(self, text: str) -> str | None:
        """The common case without a full scan: triple-quoted strings only as docstrings
        (opening a line), so every other line is code or inside brackets. None otherwise."""
        lines = text.split("\n")
        ll = self.ll
        wide = not text.isascii()
        out: list[str] = []
        doc_start = -1
        skip = -1
        count = len(lines)
        done = -1  # lines up to here are in `out` (or in the docstring being read)
        for index in self._candidates(lines, wide):
            start = done + 2 if done + 1 == skip else done + 1
            if doc_start < 0:
                out.extend(lines[start:index])  # lines that need nothing: as they are
            done = index
            line = lines[index]
            if index == skip:
                continue
            if doc_start >= 0:
                if '"""' not in line:
                    continue
                end = _closing(line, '"""')
                if end < 0 or line[end + 3:].strip():
                    return None
                doc = lines[doc_start:index + 1]
                if _is_block_start(lines, doc_start) and (
                    len(line) > ll
                    or not "".join(doc[1:]).strip(' "')
                    or _UNTIDY.search("\n".join(doc)) is not None
                ):
                    doc = _docstring(doc, ll)
                out.extend(doc)
                _after_docstring(lines, doc_start, index, out)
                doc_start = -1
                continue
            if '"""' in line:
                stripped = line.lstrip()
                if _DOCSTRING_START.match(stripped) is None:
                    if _code(line)[1] is not None:
                        return None
                else:
                    first = stripped.index('"""') + 3
                    end = _closing(stripped[first:], '"""')
                    if end < 0:
                        doc_start = index
                        continue
                    rest = stripped[first + end + 3:]
                    if rest.strip() or '"""' in rest:
                        return None
                    content = stripped[first:first + end]
                    if _is_block_start(lines, index) and (
                        content != content.strip()
                        or content[:1] == '"'
                        or content[-1:] in '"\\'
                    ):
                        out.extend(_docstring([line], ll))
                    else:
                        out.append(line)
                    _after_docstring(lines, index, index, out)
                    continue
            if line[-1:] in _OPENERS and index + 1 < count:
                after = lines[index + 1].lstrip()
                if after[:1] == _OPENERS[line[-1]]:
                    line = line + after  # black joins an empty bracket pair
                    skip = index + 1
            if len(line) > ll or (wide and not line.isascii() and str_width(line) > ll):
                new = self._fast_relayout(lines, index, line)
                if new is not None:
                    out.extend(new)
                    continue
            out.append(line)
        if doc_start >= 0:
            return None
        out.extend(lines[done + 2 if done + 1 == skip else done + 1:])
        return "\n".join(out)

    def _candidates(self, lines: list[str], wide: bool) -> list[int]:
        """The lines `fast_layout` must look at: too long (or wide), holding `\"\"\"`, or
        ending with an opening bracket. Every other line stays as it is."""
        ll = self.ll
        return [i for i, line in enumerate(lines) if len(line) > ll or '"""' in line
                or line[-1:] in _OPENERS or (wide and not line.isascii())]

    def _fast_relayout(self, lines: list[str], index: int, line: str) -> list[str] | None:
        stripped = line.lstrip()
        if stripped[0] == "#":
            return None
        before = _previous_code(lines, index)
        prev = lines[before].rstrip() if before >= 0 else ""
        statement = not (prev.endswith(("(", "[", "{", ",")))
        params = False
        if not statement:  # the line that opens the bracket this element is in
            opener = _opener(lines, before, len(line) - len(stripped))
            if opener >= 0:
                params = _DEF.match(lines[opener].lstrip()) is not None and lines[
                    opener
                ].rstrip().endswith("(")
        openers = [params] if not statement else []
        return self._relayout(lines, index, line, stripped, 0 if statement else 1, openers)

    def _relayout(self, lines: list[str], index: int, line: str, stripped: str, depth: int,
                  openers: list[bool]) -> list[str] | None:
        indent = len(line) - len(stripped)
        if indent % 4:
            return None
        statement = depth == 0
        if not statement and atomic(stripped):
            return None  # nothing black could split at
        sole = False
        params = bool(openers) and openers[-1]
        if not statement:
            before = lines[index - 1].rstrip() if index else ""
            after = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
            sole = before.endswith("(") and after.startswith(")") and not stripped.endswith(",")
        key = (line, statement, sole, params)
        if key in self.cache:
            return self.cache[key]
        result = self._split(stripped, indent // 4, statement, sole, params)
        self.cache[key] = result
        return result

    def _split(self, code: str, depth: int, statement: bool, sole: bool, params: bool
               ) -> list[str] | None:
        first = self._split_once(code, depth, statement, sole, params)
        if first is None or len(first) == 1:
            return first
        # black formats a changed file twice: trailing commas its first pass added are
        # magic in the second, and parens it made visible stay (where no rule hides them)
        joined = _join(first)
        if joined == code:
            return first
        again = self._split_once(joined, depth, statement, sole, params)
        return first if again is None else again

    def _split_once(self, code: str, depth: int, statement: bool, sole: bool, params: bool
                    ) -> list[str] | None:
        raw = tokenize(code)
        if not raw:
            return None
        leaves = classify(raw, statement=statement, sole_in_paren=sole, params=params)
        if leaves is None:
            return None
        line = Line(depth, inside=not statement)
        for leaf in leaves:
            line.append(leaf)
        return [str(part) for part in self.splitter.transform_line(line)]


def _join(lines: list[str]) -> str:
    """The one-line form of lines the splitter printed (what black's second pass reads)."""
    out = [lines[0].lstrip()]
    for line in lines[1:]:
        text = line.lstrip()
        glue = out[-1][-1:] in "([{" or text[:1] in ")]}."
        out.append(text if glue else " " + text)
    return "".join(out)


_CACHE: dict[int, _Scanner] = {}


def layout(text: str, line_length: int = LINE_LENGTH) -> str:
    """Lay out one generated Python file as black would (target py311)."""
    scanner = _CACHE.get(line_length)
    if scanner is None or len(scanner.cache) > 100_000:
        scanner = _CACHE[line_length] = _Scanner(line_length)
    if "\'\'\'" not in text:
        fast = scanner.fast_layout(text)
        if fast is not None:
            return fast
    return scanner.layout(text)
