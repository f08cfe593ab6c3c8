"""Targets: what to generate, from `[tool.apismith]` in the nearest pyproject.toml.

[[tool.apismith.targets]]
spec = "specs/api.yaml"      # relative to the pyproject's folder
output = "src"               # folder that receives the package folder
package = "api"              # default: derived from the spec's file stem
only = ["models", "client"]  # default: everything; models are always included
ref_roots = ["../shared"]    # more folders `$ref`s may reach (relative to the pyproject)
"""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import naming
from generator.options import Options
from generator.pipeline import PARTS
from generator.render.format import FORMATTERS

PYPROJECT = "pyproject.toml"
_TARGET_KEYS = ("spec", "output", "package", "only", "formatter", "ref_roots", "enums")
ENUM_MODES = ("strict", "open")


class ConfigError(Exception):
    """A problem with the configuration or the options; the message is one line."""


@dataclass(frozen=True)
class Target:
    spec: Path
    output: Path
    package: str
    only: frozenset[str]
    options: Options = field(default_factory=Options)


def default_package(spec: Path) -> str:
    """The package name for `spec`: its lowercased stem, non-identifier chars → `_`."""
    name = re.sub(r"[^a-z0-9_]", "_", spec.stem.lower()) or "_"
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) or naming.is_device_name(name) else name


def check_package(name: str) -> str:
    """Return `name` if it can be imported as a top-level package, else raise."""
    if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name):
        raise ConfigError(f"bad package name {name!r}: must be a Python identifier")
    if naming.is_device_name(name):
        raise ConfigError(f"bad package name {name!r}: a reserved device name on Windows")
    return name


def parse_only(parts: Iterable[str]) -> frozenset[str]:
    """The parts to generate; models are always included."""
    chosen = frozenset(parts)
    unknown = sorted(chosen - set(PARTS))
    if unknown:
        raise ConfigError(
            f"unknown part {', '.join(map(repr, unknown))} in only "
            f"(expected: {', '.join(PARTS)})"
        )
    return chosen | {"models"}


def find_pyproject(start: Path | None = None) -> Path:
    """The nearest pyproject.toml in `start` (default: the cwd) or its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PYPROJECT).is_file():
            return folder / PYPROJECT
    raise ConfigError(f"no {PYPROJECT} found in {here} or any parent folder")


def load_targets(pyproject: Path) -> list[Target]:
    """The targets of `[tool.apismith]` in `pyproject`, paths made absolute."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read: {error}") from None
    tool = data.get("tool", {})
    section = tool.get("apismith", {}) if isinstance(tool, dict) else {}
    where = f"{pyproject}: [tool.apismith]"
    _check_keys(section, ("targets",), where)
    raw = section.get("targets", [])
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: no targets; add a [[tool.apismith.targets]] table")
    targets = [
        _target(item, pyproject.parent, f"{where}.targets[{index}]")
        for index, item in enumerate(raw)
    ]
    _check_distinct(targets, where)
    return targets


def _target(item: Any, base: Path, where: str) -> Target:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    _check_keys(item, _TARGET_KEYS, where)
    for key in ("spec", "output"):
        if key not in item:
            raise ConfigError(f"{where}: missing key {key!r}")
    spec = base / _string(item, "spec", where)
    if not spec.is_file():
        raise ConfigError(f"{where}: spec not found: {spec}")
    only = item.get("only", PARTS)
    if not isinstance(only, list | tuple) or not all(isinstance(p, str) for p in only):
        raise ConfigError(f"{where}: 'only' must be a list of strings")
    try:
        package = check_package(
            _string(item, "package", where)
            if "package" in item
            else default_package(spec)
        )
        parts = parse_only(only)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    formatter = item.get("formatter", "none")
    if formatter not in FORMATTERS:
        raise ConfigError(
            f"{where}: 'formatter' must be one of {', '.join(FORMATTERS)}, not {formatter!r}"
        )
    roots = item.get("ref_roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) and r for r in roots):
        raise ConfigError(f"{where}: 'ref_roots' must be a list of folder names")
    folders = tuple((base / r).resolve() for r in roots)
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{where}: ref_roots folder not found: {folder}")
    enums = item.get("enums", "strict")
    if enums not in ENUM_MODES:
        raise ConfigError(f"{where}: 'enums' must be one of {', '.join(map(repr, ENUM_MODES))}")
    options = Options(formatter=formatter, ref_roots=folders, enums=enums)
    return Target(spec, base / _string(item, "output", where), package, parts, options)


def _string(item: dict[str, Any], key: str, where: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value


def _check_keys(table: Any, allowed: tuple[str, ...], where: str) -> None:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {', '.join(map(repr, unknown))} "
            f"(expected: {', '.join(allowed)})"
        )


def _check_distinct(targets: list[Target], where: str) -> None:
    """Two targets writing the same package folder would undo each other."""
    seen: set[Path] = set()
    for target in targets:
        folder = (target.output / target.package).resolve()
        if folder in seen:
            raise ConfigError(f"{where}: two targets write the same folder {folder}")
        seen.add(folder)
