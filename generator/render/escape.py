"""Context-specific escaping: the only way spec text reaches generated code.

Each function returns source text that means exactly the given value in its context, and is
already in the form black would print (so output is black-stable by construction).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from generator import naming

# Characters that end a line for Python's tokenizer or for str.splitlines().
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _escape_char(ch: str, quote: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == quote:
        return "\\" + quote
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escaped(text: str, quote: str) -> str:
    """`text` with every character `_escape_char` changes escaped (whole-string passes
    for the characters that are common; one character at a time only for the rare rest)."""
    text = text.replace("\\", "\\\\")
    if quote:
        text = text.replace(quote, "\\" + quote)
    if text.isprintable():
        return text
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape_char(ch, quote) for ch in text)


@functools.lru_cache(maxsize=1 << 16)
def pystr(value: str) -> str:
    """A Python string literal for `value`, quoted the way black prefers."""
    # Like black: double quotes, unless single quotes need fewer escapes.
    quote = "'" if value.count('"') > value.count("'") else '"'
    return quote + _escaped(value, quote) + quote


@functools.lru_cache(maxsize=1 << 14)
def docstring(value: str | None, indent: str = "", first: bool = False, last: bool = False) -> str:
    """Text for a triple-quoted docstring (without the quotes), indented for its block.

    `first`/`last`: the text starts/ends the docstring, right against its quotes.

    Backslashes, quotes and control characters are escaped; trailing white space, which
    black would strip, is removed so the result is stable.
    """
    if not value:
        return ""
    lines = []
    text = _LINE_BREAKS.sub("\n", value.replace("\r\n", "\n").expandtabs(8))
    for line in text.split("\n"):
        escaped = _escaped(line, "").replace('"""', '\\"\\"\\"')
        lines.append(escaped.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return ""
    lines[0] = lines[0].lstrip()
    # Like black (and inspect.cleandoc), drop the indentation the later lines share.
    margin = min((len(ln) - len(ln.lstrip()) for ln in lines[1:] if ln), default=0)
    lines[1:] = [ln[margin:] for ln in lines[1:]]
    # As black does: a space keeps a quote off the delimiters it touches.
    if first and lines[0].startswith('"'):
        lines[0] = " " + lines[0]
    if lines[-1].endswith('"'):  # escaped: black would pad a final quote with a space
        body = lines[-1][:-1]
        if (len(body) - len(body.rstrip("\\"))) % 2:  # the quote is escaped already
            body = body[:-1]
        lines[-1] = body + ("\\x22" if last else '\\"')
    return "\n".join((indent + line if line and i else line) for i, line in enumerate(lines))


def comment(value: str | None) -> str:
    """Text safe inside a `#` comment: one line, no control characters."""
    if not value:
        return ""
    text = _LINE_BREAKS.sub(" ", value)
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def pyliteral(value: Any) -> str:
    """A Python literal for a JSON value (str, int, float, bool, None, list, dict)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # inf, -inf, nan: valid YAML numbers, spelled as calls
            return f'float("{value!r}")'
        return repr(value).replace("e+", "e")  # black's spelling: 1e20, not 1e+20
    if isinstance(value, str):
        return pystr(value)
    if isinstance(value, list):
        return "[" + ", ".join(pyliteral(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pystr(str(k))}: {pyliteral(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def ident(value: str) -> str:
    """Assert that a name decided by `naming` is a safe identifier (a last line of defence)."""
    if not naming.is_identifier(value):
        raise ValueError(f"unsafe identifier {value!r}")
    return value
