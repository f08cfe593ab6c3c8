"""Options: how one target is generated, beyond its spec, package name and parts.

Every option has a default that keeps today's output; the config (`[tool.apismith]`) and the
CLI fill them in, and every stage that needs one reads it from here. Document each option in
the README's option table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Pairs = tuple[tuple[str, str], ...]  # an ordered, hashable mapping
#: What can be generated; `--only` picks a subset (models are always included).
PARTS = ("models", "client", "server")
#: The `formatter` option's values: the built-in layout, or the user's black or ruff.
FORMATTERS = ("none", "black", "ruff")


@dataclass(frozen=True)
class PackageMetadata:
    """What `package_metadata` adds around the package: an installable project."""

    name: str = ""  # distribution name; "" → the package name with `-` for `_`
    version: str = ""  # "" → info.version normalized to PEP 440 (0.0.0 if it is not one)
    description: str = ""  # "" → from info.title


@dataclass(frozen=True)
class Options:
    """Generation options of one target (frozen: part of the generation's inputs)."""

    formatter: Literal["none", "black", "ruff"] = "none"
    ref_roots: tuple[Path, ...] = ()
    enums: Literal["strict", "open"] = "strict"
    #: Operation selectors (`tag:NAME`, `path:GLOB`, `id:GLOB` or a bare operation id glob).
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: Model renames (component schema name or class name → class name).
    rename_models: Pairs = ()
    #: Operation renames (operationId or method name → method name).
    rename_operations: Pairs = ()
    #: String formats and component schemas typed as a user type (`decimal.Decimal`).
    type_formats: Pairs = ()
    type_schemas: Pairs = ()
    #: Extra-fields policy of object models whose spec leaves additionalProperties unset.
    extra: Literal["ignore", "forbid", "allow"] | None = None
    templates: Path | None = None  # folder of templates overriding the built-in ones
    #: Extra template variables (values may be lists or tables: left out of the hash).
    template_vars: tuple[tuple[str, Any], ...] = field(default=(), hash=False)
    client_class: str = "Client"  # the async one is `Async` + this
    package_metadata: PackageMetadata | None = None
