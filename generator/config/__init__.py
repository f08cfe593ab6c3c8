"""Targets: what to generate, from `[tool.apismith]` in the nearest pyproject.toml, or from
the top level of an `apismith.toml` (same keys) for repositories without one.

[[tool.apismith.targets]]
spec = "specs/api.yaml"      # relative to the config file's folder
output = "src"               # folder that receives the package folder
package = "api"              # default: derived from the spec's file stem
only = ["models", "client"]  # default: everything; models are always included

Option keys (see `config_model.TargetOptions`) may also sit at the top level of the
section, as defaults for every target. The schema and its messages live in `config_model`.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from generator import naming
from generator.config.model import Config, TargetConfig, TargetOptions, describe
from generator.options import PARTS, Options, PackageMetadata

PYPROJECT = "pyproject.toml"
APISMITH_TOML = "apismith.toml"
#: Names client/__init__.py exports besides the client classes.
_CLIENT_EXPORTS = frozenset(
    {"DEFAULT_BASE_URL", "ApiError", "BadRequestError", "ClientError", "ConflictError"}
    | {"ForbiddenError", "InternalServerError", "InvalidResponseError", "NotFoundError"}
    | {"ServerError", "TooManyRequestsError", "UnauthorizedError", "UnexpectedStatusError"}
    | {"UnprocessableEntityError", "Mapping", "TracebackType", "httpx", "_core"}
    | {"ApiResponse", "ApiTimeoutError", "AsyncDownload", "AsyncEventStream", "AsyncJsonLines"}
    | {"ClientCredentials", "Download", "Error", "EventStream", "FileTypes", "JsonLines"}
    | {"OAuth2Flow", "Password", "Retry", "ServerSentEvent", "TokenError", "TransportError"}
)


class ConfigError(Exception):
    """A problem with the configuration or the options; the message is one line."""


@dataclass(frozen=True)
class Target:
    spec: Path
    output: Path
    package: str
    only: frozenset[str]
    options: Options = field(default_factory=Options)
    name: str = ""  # for --target; "" → the package

    @property
    def label(self) -> str:
        return self.name or self.package


@dataclass(frozen=True)
class Loaded:
    """A configuration file and what it defines."""

    path: Path
    targets: list[Target]
    defaults: Options  # the top-level options, for targets named on the command line


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


def find_config(start: Path | None = None) -> Path | None:
    """The nearest apismith.toml, or pyproject.toml with a [tool.apismith] section.

    In one folder apismith.toml wins; a pyproject.toml without the section is passed by.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / APISMITH_TOML).is_file():
            return folder / APISMITH_TOML
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "apismith" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def load(path: Path) -> Loaded:
    """Read and validate a configuration file; paths in it are made absolute."""
    data = _read(path)
    if path.name == APISMITH_TOML:
        section, where = data, ""
    else:
        tool = data.get("tool", {})
        section = tool.get("apismith", {}) if isinstance(tool, dict) else {}
        where = "[tool.apismith]"
    try:
        config = Config.model_validate(section)
    except pydantic.ValidationError as error:
        raise ConfigError(f"{path}: {describe(error, where)}") from None
    prefix = f"{path}: {where}" if where else f"{path}: "
    base = path.parent
    defaults = config.model_dump(exclude_unset=True, exclude={"targets"})
    targets = [
        _target(item, defaults, base, f"{prefix}{'.' if where else ''}targets[{i}]")
        for i, item in enumerate(config.targets)
    ]
    _check_distinct(targets, prefix.rstrip(": "))
    return Loaded(path, targets, _options(config, base, prefix))


def load_targets(config: Path) -> list[Target]:
    """The targets of a configuration file (at least one)."""
    loaded = load(config)
    if not loaded.targets:
        table = "[[targets]]" if config.name == APISMITH_TOML else "[[tool.apismith.targets]]"
        raise ConfigError(f"{config}: no targets; add a {table} table")
    return loaded.targets


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


def _target(item: TargetConfig, defaults: dict[str, Any], base: Path, where: str) -> Target:
    own = item.model_dump(exclude_unset=True)
    merged = TargetConfig.model_validate({**defaults, **own})
    spec = base / item.spec
    if not item.spec:
        raise ConfigError(f"{where}.spec: must be a non-empty string")
    if not spec.is_file():
        raise ConfigError(f"{where}.spec: spec not found: {spec}")
    try:
        package = check_package(item.package or default_package(spec))
        parts = parse_only(item.only)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    options = _options(merged, base, where)
    return Target(spec, base / item.output, package, parts, options, item.name or "")


def _options(config: TargetOptions, base: Path, where: str) -> Options:
    """The generation options a validated table describes."""
    name = config.client_class
    if not name.isidentifier() or keyword.iskeyword(name) or not name[0].isupper():
        raise ConfigError(f"{where}.client_class: must be a class name such as 'PetStore'")
    if {name, "Async" + name} & _CLIENT_EXPORTS:
        raise ConfigError(f"{where}.client_class: {name!r} is taken by the client package")
    for old, new in config.rename.models.items() | config.rename.operations.items():
        if not new.isidentifier() or keyword.iskeyword(new):
            raise ConfigError(f"{where}.rename: {old!r} → {new!r}: not an identifier")
    for key, path in config.type_map.formats.items() | config.type_map.schemas.items():
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", path):
            raise ConfigError(
                f"{where}.type_map: {key!r} → {path!r}: expected an import path "
                "such as 'decimal.Decimal'"
            )
    if config.templates and not (base / config.templates).is_dir():
        raise ConfigError(f"{where}.templates: not a folder: {base / config.templates}")
    metadata = config.package_metadata
    return Options(
        formatter=config.formatter,
        ref_roots=tuple(_folder(base / root, f"{where}.ref_roots") for root in config.ref_roots),
        enums=config.enums,
        include=tuple(config.include),
        exclude=tuple(config.exclude),
        rename_models=tuple(config.rename.models.items()),
        rename_operations=tuple(config.rename.operations.items()),
        type_formats=tuple(config.type_map.formats.items()),
        type_schemas=tuple(config.type_map.schemas.items()),
        extra=config.extra,
        templates=base / config.templates if config.templates else None,
        template_vars=tuple(sorted(config.template_vars.items())),
        client_class=config.client_class,
        package_metadata=(
            PackageMetadata(**metadata.model_dump())
            if not isinstance(metadata, bool)
            else PackageMetadata() if metadata else None
        ),
    )


def _folder(path: Path, where: str) -> Path:
    """`path` resolved (symlinks followed, as the resolver sees it); it must be a folder."""
    if not path.is_dir():
        raise ConfigError(f"{where}: ref_roots folder not found: {path}")
    return path.resolve()


def _check_distinct(targets: list[Target], where: str) -> None:
    """Two targets writing the same package folder would undo each other."""
    seen: set[Path] = set()
    for target in targets:
        folder = (target.output / target.package).resolve()
        if folder in seen:
            raise ConfigError(f"{where}: two targets write the same folder {folder}")
        seen.add(folder)
