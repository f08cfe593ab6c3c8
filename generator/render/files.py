"""Render the IR through Jinja templates into {relative path: source text}.

Templates decide layout only; every spec-derived value passes through a filter for its
context (`pystr`, `docstring`, `comment`, `ident`, `pyliteral`, `annotation`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from generator import ir
from generator.layout import fit
from generator.options import Options
from generator.render import (
    escape,
    model_parts,
    operations,
    overrides,
    project,
    pycode,
    server_ops,
    strict,
)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Templates ship inside the wheel (generator/templates); a source checkout keeps them at the top.
TEMPLATE_DIRS = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")


@jinja2.pass_context
def _fit_filter(context: Any, text: str, indent: int) -> str:
    """`fit` for the built-in layout; unchanged when the user's own formatter runs (so
    its line length decides what is joined)."""
    options: Options = context["options"]
    return fit.fit(text, indent) if options.formatter == "none" else text


@functools.cache
def _environment(user: Path | None = None) -> jinja2.Environment:
    """The built-in templates; with `user`, that folder's templates first, rendered with
    autoescape-by-context (see `strict`)."""
    dirs = [str(d) for d in TEMPLATE_DIRS if d.is_dir()]
    if user is not None:
        dirs.insert(0, str(user))
    kind = jinja2.Environment if user is None else strict.StrictEnvironment
    env = kind(
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
        exact_description=pycode.exact_description,
        default_literal=pycode.default_literal,
        check_calls=pycode.check_calls,
        fit=_fit_filter,
        reexport=pycode.reexport,
        tomlstr=project.tomlstr,
        mdtext=project.mdtext,
        mdstr=project.mdstr,
    )
    env.tests["instanceof"] = isinstance
    env.tests["overloaded"] = lambda op: bool(operations.overloads(op))
    env.globals.update(ops=operations, sops=server_ops, ir=ir, uses=pycode.uses)
    if user is not None:
        env.finalize = strict.finalize
        strict.harden(env)
        env.globals["ops"] = strict.TrustedModule(operations)
        env.globals["sops"] = strict.TrustedModule(server_ops)
    return env


def render(
    api: ir.Api, package: str, parts: frozenset[str], options: Options | None = None
) -> dict[str, str]:
    options = options or Options()
    user = overrides.folder(options)
    env = _environment(user)
    context: dict[str, Any] = {
        "api": api,
        "package": package,
        "parts": parts,
        "options": options,
        "vars": dict(options.template_vars),
    }
    overridden = overrides.names(user)

    def one(template: str, **extra: Any) -> str:
        if user is None:
            return env.get_template(template).render({**context, **extra})
        try:
            loaded = env.get_template(template)
            text = loaded.render({**context, **extra})
            if template.endswith(".py.j2") and overrides.uses(env, loaded, overridden):
                text = overrides.black(template, text)
        except jinja2.TemplateError as error:
            where = f"{error.filename}:{error.lineno}: " if isinstance(
                error, jinja2.TemplateSyntaxError) else ""
            raise overrides.TemplateProblem(f"{where}{error.message or error}") from None
        return text

    files = {
        f"{package}/__init__.py": one("package/__init__.py.j2"),
        f"{package}/py.typed": "",
    }
    if model_parts.split(api):
        files.update(_model_package(api, package, one))
    else:
        files[f"{package}/models.py"] = one("models.py.j2", imports=pycode.model_imports(api), helpers=pycode.helpers(api),
                                            build_first=pycode.build_first(api))
    if "client" in parts:
        files[f"{package}/client/__init__.py"] = one("client/__init__.py.j2")
        files[f"{package}/client/_core.py"] = one("client/_core.py.j2")
        files[f"{package}/client/_retry.py"] = one("client/_retry.py.j2")
        files[f"{package}/client/_auth.py"] = one("client/_auth.py.j2")
        files[f"{package}/client/_stream.py"] = one("client/_stream.py.j2")
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
    if options.package_metadata is not None:
        return project.wrap(files, api, package, parts, options.package_metadata, one)
    return files


def _model_package(api: ir.Api, package: str, one: Callable[..., str]) -> dict[str, str]:
    """`models/` for a large API: its parts, the helpers only operations use (`_shared`),
    and the façade that imports a part when one of its names is first used."""
    files = {}
    parts = model_parts.parts(api)
    for part in parts:
        files[f"{package}/models/{part.module}.py"] = one(
            "models.py.j2", api=part.api, imports=pycode.model_imports(part.api),
            helpers=pycode.helpers(part.api), part_imports=part.imports,
            build_first=pycode.build_first(part.api))
    rest = dataclasses.replace(api, models=())
    shared = one("models.py.j2", api=rest, imports=pycode.model_imports(rest),
                 helpers=pycode.helpers(rest), build_first=[])
    names = model_parts.defined(shared)
    if names:
        files[f"{package}/models/_shared.py"] = shared
    files[f"{package}/models/__init__.py"] = one("models/package.py.j2", parts=parts, shared=names)
    return files


def render_template(template: str, api: ir.Api, package: str, **extra: Any) -> str:
    """One template rendered on its own (for commands that write a single file)."""
    context = {"api": api, "package": package, "parts": frozenset(), "options": Options()}
    return _environment().get_template(template).render(**context, **extra)
