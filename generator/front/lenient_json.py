"""JSON as real documents write it: trailing commas are accepted (with their line:col)."""

from __future__ import annotations

import json
import re
from typing import Any

_STRING_OR_TRAILING_COMMA = re.compile(r'"(?:[^"\\\n]|\\.)*"|,(?=\s*[}\]])')


def loads_lenient(text: str) -> tuple[Any, list[tuple[int, int]]]:
    """Parse `text`, dropping commas before `}` or `]`; return the data and where they were.

    Raises `json.JSONDecodeError` (of the strict parse) when that does not make it valid JSON.
    """
    found: list[int] = []

    def drop(match: re.Match[str]) -> str:
        before = text[: match.start()].rstrip()[-1:]
        if match[0] == "," and before not in ("{", "[", ","):  # `{,}` is no trailing comma
            found.append(match.start())
            return ""
        return match[0]

    try:
        return json.loads(text), []
    except json.JSONDecodeError as strict:
        repaired = _STRING_OR_TRAILING_COMMA.sub(drop, text)
        if not found:
            raise
        try:
            data = json.loads(repaired)
        except json.JSONDecodeError:
            raise strict from None
    places = []
    for offset in found:
        line = text.count("\n", 0, offset) + 1
        places.append((line, offset - text.rfind("\n", 0, offset)))
    return data, places
