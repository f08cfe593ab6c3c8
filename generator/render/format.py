"""Format generated Python source with the pinned black."""

from __future__ import annotations

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)


def format_source(path: str, text: str) -> str:
    """black-format a `.py` file's text; other files pass through unchanged."""
    if not path.endswith(".py") or not text.strip():
        return text
    try:
        return black.format_str(text, mode=MODE)
    except InvalidInput as exc:  # a template bug, never the spec's fault
        raise RuntimeError(f"generated {path} is not valid Python: {exc}") from exc
