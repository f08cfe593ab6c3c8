"""Options: how one target is generated, beyond its spec, package name and parts.

Every option has a default that keeps today's output; the config (`[tool.apismith]`) and the
CLI fill them in, and every stage that needs one reads it from here. Document each option in
the README's option table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Options:
    """Generation options of one target (frozen: part of the generation's inputs)."""

    formatter: str = "none"  # "none" (built-in layout, black-identical) | "black" | "ruff"
    #: Folders (absolute) that `$ref`s may reach besides the spec's own folder and below.
    ref_roots: tuple[Path, ...] = ()
    #: "strict": an enum accepts only its members; "open": unknown values are kept as they come.
    enums: Literal["strict", "open"] = "strict"
