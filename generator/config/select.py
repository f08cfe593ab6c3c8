"""Which targets a command line means: a SPEC, `--target` names and the nearest config,
with command-line values overriding configured ones."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import (
    ConfigError,
    Loaded,
    Target,
    default_package,
    find_config,
    load,
)
from generator.options import PARTS, Options


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line; None: not given."""

    output: Path | None = None
    package: str | None = None
    only: frozenset[str] | None = None
    #: Option values (`Options` field → value), e.g. {"formatter": "ruff"}.
    options: tuple[tuple[str, Any], ...] = ()
    #: Folders `$ref`s may also reach, added to each target's own.
    ref_roots: tuple[Path, ...] = ()

    @property
    def single(self) -> bool:
        """Values that make sense for one target only."""
        return self.output is not None or self.package is not None


def select(
    spec: Path | None,
    names: tuple[str, ...] = (),
    overrides: Overrides | None = None,
    start: Path | None = None,
) -> list[Target]:
    """The targets to work on; raises `ConfigError` with a one-line message."""
    overrides = overrides or Overrides()
    found = find_config(start)
    loaded = load(found) if found else None
    if spec is None and loaded is None:
        raise ConfigError(
            "no apismith.toml or pyproject.toml with [tool.apismith] found; "
            "name a SPEC or add a configuration"
        )
    configured = loaded.targets if loaded else []
    if names:
        configured = _named(configured, names, loaded)
    if spec is not None:
        matching = [t for t in configured if _same(t.spec, spec)]
        if names and not matching:
            raise ConfigError(f"no target named {', '.join(names)} generates {spec}")
        chosen = matching or [_adhoc(spec, loaded.defaults if loaded else Options())]
    else:
        chosen = configured
        if not chosen:
            assert loaded is not None
            raise ConfigError(f"{loaded.path}: no targets; add a targets table")
    if overrides.single and len(chosen) > 1:
        labels = ", ".join(t.label for t in chosen)
        raise ConfigError(
            f"--output and --package apply to one target, not {len(chosen)} ({labels}); "
            "pick one with --target NAME"
        )
    return [_override(target, overrides) for target in chosen]


def _named(targets: list[Target], names: tuple[str, ...], loaded: Loaded | None) -> list[Target]:
    labels = [t.label for t in targets]
    for name in names:
        if name not in labels:
            match = difflib.get_close_matches(name, labels, n=1)
            hint = f"; did you mean {match[0]!r}?" if match else (
                f" (configured: {', '.join(labels)})" if labels else ""
            )
            where = f"{loaded.path}: " if loaded else ""
            raise ConfigError(f"{where}no target named {name!r}{hint}")
    return [t for t in targets if t.label in names]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _adhoc(spec: Path, defaults: Options) -> Target:
    return Target(spec, Path("."), default_package(spec), frozenset(PARTS), defaults)


def _override(target: Target, overrides: Overrides) -> Target:
    options = dataclasses.replace(
        target.options,
        **dict(overrides.options),
        ref_roots=(*target.options.ref_roots, *(p.resolve() for p in overrides.ref_roots)),
    )
    return dataclasses.replace(
        target,
        output=target.output if overrides.output is None else overrides.output,
        package=target.package if overrides.package is None else overrides.package,
        only=target.only if overrides.only is None else overrides.only,
        options=options,
    )
