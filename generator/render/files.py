"""Render the IR through Jinja templates into {relative path: source text}.

Templates decide layout only; every spec-derived value passes through a filter for its
context (`pystr`, `docstring`, `comment`, `ident`, `pyliteral`, `annotation`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from generator import ir
from generator.options import Options
from generator.render import escape, operations, pycode, server_ops

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Templates ship inside the wheel (generator/templates); a source checkout keeps them at the top.
TEMPLATE_DIRS = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")


@functools.cache
def _environment() -> jinja2.Environment:
    dirs = [str(d) for d in TEMPLATE_DIRS if d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pystr=escape.pystr,
        docstring=escape.docstring,
        comment=escape.comment,
        pyliteral=escape.pyliteral,
        ident=escape.ident,
        annotation=pycode.annotation,
        isort=pycode.isort,
        sort_all=pycode.sort_all,
        field_arguments=pycode.field_arguments,
        model_config=pycode.model_config,
        default_literal=pycode.default_literal,
    )
    env.tests["instanceof"] = isinstance
    env.globals.update(ops=operations, sops=server_ops, ir=ir, uses=pycode.uses)
    return env


def render(
    api: ir.Api, package: str, parts: frozenset[str], options: Options | None = None
) -> dict[str, str]:
    env = _environment()
    context: dict[str, Any] = {
        "api": api,
        "package": package,
        "parts": parts,
        "options": options or Options(),
    }

    def one(template: str, **extra: Any) -> str:
        return env.get_template(template).render(**context, **extra)

    files = {
        f"{package}/__init__.py": one("package/__init__.py.j2"),
        f"{package}/py.typed": "",
        f"{package}/models.py": one("models.py.j2", imports=pycode.model_imports(api)),
    }
    if "client" in parts:
        files[f"{package}/client/__init__.py"] = one("client/__init__.py.j2")
        files[f"{package}/client/_core.py"] = one("client/_core.py.j2")
        files[f"{package}/client/errors.py"] = one("client/errors.py.j2")
        files[f"{package}/client/_client.py"] = one("client/_client.py.j2")
        for tag in api.tags:
            files[f"{package}/client/{tag.module}.py"] = one("client/tag.py.j2", tag=tag)
    if "server" in parts:
        files[f"{package}/server/__init__.py"] = one("server/__init__.py.j2")
        files[f"{package}/server/security.py"] = one("server/security.py.j2")
        files[f"{package}/server/app.py"] = one("server/app.py.j2")
        files[f"{package}/server/_runtime.py"] = one("server/_runtime.py.j2")
        files[f"{package}/server/openapi.json"] = server_ops.document_json(api)
        for tag in api.tags:
            files[f"{package}/server/{tag.module}.py"] = one("server/tag.py.j2", tag=tag)
    return files


def render_template(template: str, api: ir.Api, package: str, **extra: Any) -> str:
    """One template rendered on its own (for commands that write a single file)."""
    context = {"api": api, "package": package, "parts": frozenset(), "options": Options()}
    return _environment().get_template(template).render(**context, **extra)
