"""`package_metadata`: an installable project around the generated package.

The package moves one level down (`<package>/<package>/...`) and `<package>/` receives a
pyproject.toml (dependency ranges for the parts generated, a PEP 440 version) and a
README.md with usage examples per tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from generator import ir
from generator.options import PackageMetadata
from generator.render.escape import pystr

#: Ranges the generated code is tested with, by part.
DEPENDENCIES = {
    "models": ("pydantic>=2.12,<3",),
    "client": ("httpx>=0.27,<1", "typing-extensions>=4.12"),  # _core: TypeVar defaults
    "server": ("fastapi>=0.115,<1",),
}
_MULTIPART = "python-multipart>=0.0.9"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\\"]")


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    description: str
    dependencies: tuple[str, ...]


def version(raw: str) -> str:
    """`raw` as a PEP 440 version; otherwise 0.0.0 with it as the local part."""
    try:
        return str(Version(raw.strip()))
    except InvalidVersion:
        local = ".".join(re.findall(r"[A-Za-z0-9]+", raw))
        return f"0.0.0+{local}" if local else "0.0.0"


def project(api: ir.Api, package: str, parts: frozenset[str], meta: PackageMetadata) -> Project:
    dependencies = [d for part in ("models", "client", "server") if part in parts
                    for d in DEPENDENCIES[part]]
    if "server" in parts and any(
        op.body is not None and op.body.kind in ("form", "multipart") for op in api.operations
    ):
        dependencies.append(_MULTIPART)
    summary = " ".join(f"Python bindings for {api.title} {api.version}".split())
    return Project(
        name=meta.name or package.replace("_", "-").strip("-") or package,
        version=version(meta.version or api.version),
        description=meta.description or summary,
        dependencies=tuple(sorted(dependencies)),
    )


def tomlstr(value: str) -> str:
    """A TOML basic string for `value`."""

    def escape(match: re.Match[str]) -> str:
        ch = match.group()
        return "\\" + ch if ch in '\\"' else f"\\u{ord(ch):04x}"

    return '"' + _CONTROL.sub(escape, value) + '"'


def mdtext(value: str | None) -> str:
    """Spec text as one line of plain Markdown text: no HTML, code spans or line breaks."""
    if not value:
        return ""
    text = " ".join(value.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", text)


def mdstr(value: str) -> str:
    """A Python string literal that cannot end a Markdown code fence (no backticks)."""
    return pystr(value).replace("`", "\\x60")


def wrap(files: dict[str, str], api: ir.Api, package: str, parts: frozenset[str],
         meta: PackageMetadata, render: Callable[..., str]) -> dict[str, str]:
    """The files of the installable project: the package one folder down, plus metadata."""
    info = project(api, package, parts, meta)
    nested = {f"{package}/{key}": text for key, text in files.items()}
    nested[f"{package}/pyproject.toml"] = render("project/pyproject.toml.j2", project=info)
    nested[f"{package}/README.md"] = render("project/README.md.j2", project=info)
    return nested
