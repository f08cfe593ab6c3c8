"""The format step: the built-in layout pass, or the user's own black or ruff.

By default no formatter runs: the templates print long statements in shapes black keeps
(`fit`), and `replay` lays out what is left exactly as black 26 (line length 88) would, so the
bytes depend only on apismith and the spec. `formatter =
"black"` or `"ruff"` runs whichever the user has installed, with the line length of the
project's `[tool.black]` / `[tool.ruff]` table (else 88), on the templates' raw output.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from generator.layout.replay import layout

DEFAULT_LINE_LENGTH = 88


class FormatterError(Exception):
    """The chosen formatter is missing or failed; the message is one line."""


def format_files(files: dict[str, str], formatter: str = "none") -> dict[str, str]:
    """Format the `.py` files of one generated package; other files pass through."""
    python = {p: t for p, t in files.items() if p.endswith(".py") and t.strip()}
    if formatter == "none":
        done = {p: layout(t) for p, t in python.items()}
    elif formatter == "black":
        done = _black(python, line_length("black"))
    elif formatter == "ruff":
        done = _ruff(python, line_length("ruff"))
    else:
        raise FormatterError(f"unknown formatter {formatter!r} (expected: none, black, ruff)")
    return {p: done.get(p, t) for p, t in files.items()}


def format_source(path: str, text: str) -> str:
    """One file through the built-in layout pass (`.py` files only)."""
    if not path.endswith(".py") or not text.strip():
        return text
    return layout(text)


def line_length(tool: str, start: Path | None = None) -> int:
    """`line-length` of `[tool.<tool>]` in the nearest pyproject.toml, else 88."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return DEFAULT_LINE_LENGTH
            value = data.get("tool", {}).get(tool, {}).get("line-length")
            return value if isinstance(value, int) and value > 0 else DEFAULT_LINE_LENGTH
    return DEFAULT_LINE_LENGTH


def _black(files: dict[str, str], length: int) -> dict[str, str]:
    try:
        black: Any = importlib.import_module("black")
    except ImportError:
        raise FormatterError(
            "formatter 'black' is not installed (pip install black)"
        ) from None
    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=length)
    out = {}
    for path, text in files.items():
        try:
            out[path] = black.format_str(text, mode=mode)
        except Exception as error:  # black's own errors: report, never half-format
            raise FormatterError(f"black cannot format {path}: {error}") from None
    return out


def _ruff_command() -> list[str]:
    found = shutil.which("ruff")
    if found:
        return [found]
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    raise FormatterError("formatter 'ruff' is not installed (pip install ruff)")


def _ruff(files: dict[str, str], length: int) -> dict[str, str]:
    command = _ruff_command()
    with tempfile.TemporaryDirectory(prefix="apismith-") as folder:
        root = Path(folder)
        for path, text in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        args = [*command, "format", "--isolated", "--no-cache", "--quiet",
                "--line-length", str(length), "--target-version", "py311", str(root)]
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            message = (result.stderr or result.stdout).strip().splitlines()
            first = message[0] if message else f"exit status {result.returncode}"
            raise FormatterError(f"ruff format failed: {first}")
        return {path: (root / path).read_text(encoding="utf-8") for path in files}
