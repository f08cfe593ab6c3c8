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
    TEMPLATE_DIRS,
    escape,
    model_parts,
    operations,
    overrides,
    project,
    pycode,
    server_ops,
    strict,
)


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


@dataclasses.dataclass(frozen=True)
class Job:
    """One independent unit of rendering: the files of one template (or of a few that
    depend on each other), and a rough cost for scheduling (operations and models)."""

    weight: int
    run: Callable[[], dict[str, str]]


@dataclasses.dataclass(frozen=True)
class Plan:
    """The jobs of one package in output order, and what to do with their joined files."""

    jobs: list[Job]
    finish: Callable[[dict[str, str]], dict[str, str]]
    prepare: Callable[[], None]  # compiles every template now (before forking workers)


def render(
    api: ir.Api, package: str, parts: frozenset[str], options: Options | None = None
) -> dict[str, str]:
    """Every file of the package, rendered in this process."""
    planned = plan(api, package, parts, options)
    files: dict[str, str] = {}
    for job in planned.jobs:
        files.update(job.run())
    return planned.finish(files)


def plan(
    api: ir.Api, package: str, parts: frozenset[str], options: Options | None = None
) -> Plan:
    """The rendering of the package as independent jobs (the pipeline may run them in
    parallel); joining their files in order and calling `finish` gives `render`'s result."""
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

    jobs: list[Job] = []

    def add(path: str, template: str, weight: int = 1, **extra: Any) -> None:
        jobs.append(Job(weight, lambda: {path: one(template, **extra)}))

    add(f"{package}/__init__.py", "package/__init__.py.j2")
    jobs.append(Job(0, lambda: {f"{package}/py.typed": ""}))
    if model_parts.split(api):
        jobs.extend(_model_package(api, package, one))
    else:
        jobs.append(Job(len(api.models), lambda: {f"{package}/models.py": one(
            "models.py.j2", **pycode.models_context(api))}))
    if "client" in parts:
        for name in ("__init__", "_core", "_retry", "_auth", "_stream", "errors", "_client"):
            add(f"{package}/client/{name}.py", f"client/{name}.py.j2")
        for tag in api.tags:
            add(f"{package}/client/{tag.module}.py", "client/tag.py.j2", 2 * len(tag.operations),
                tag=tag)
    if "server" in parts:
        for name in ("__init__", "security", "app", "_runtime"):
            add(f"{package}/server/{name}.py", f"server/{name}.py.j2")
        jobs.append(Job(len(api.operations) // 4, lambda: {
            f"{package}/server/openapi.json": server_ops.document_json(api)}))
        for tag in api.tags:
            add(f"{package}/server/{tag.module}.py", "server/tag.py.j2", len(tag.operations),
                tag=tag)
    metadata = options.package_metadata

    def finish(files: dict[str, str]) -> dict[str, str]:
        return files if metadata is None else project.wrap(
            files, api, package, parts, metadata, one)

    def prepare() -> None:
        if user is None:  # a user's templates fail inside the job, where errors are reported
            for name in env.list_templates(extensions=["j2"]):
                env.get_template(name)

    return Plan(jobs, finish, prepare)


def _model_package(api: ir.Api, package: str, one: Callable[..., str]) -> list[Job]:
    """`models/` for a large API: its parts, the helpers only operations use (`_shared`),
    and the façade that imports a part when one of its names is first used."""
    parts = model_parts.parts(api)

    def part_job(part: model_parts.Part) -> Job:
        return Job(len(part.api.models), lambda: {f"{package}/models/{part.module}.py": one(
            "models.py.j2", api=part.api, part_imports=part.imports, **pycode.models_context(part.api))})

    def rest() -> dict[str, str]:
        rest = dataclasses.replace(api, models=())
        shared = one("models.py.j2", api=rest, **pycode.models_context(rest))
        names = model_parts.defined(shared)
        files = {f"{package}/models/_shared.py": shared} if names else {}
        files[f"{package}/models/__init__.py"] = one(
            "models/package.py.j2", parts=parts, shared=names)
        return files

    return [*(part_job(part) for part in parts), Job(len(parts), rest)]


def render_template(template: str, api: ir.Api, package: str, **extra: Any) -> str:
    """One template rendered on its own (for commands that write a single file)."""
    context = {"api": api, "package": package, "parts": frozenset(), "options": Options()}
    return _environment().get_template(template).render(**context, **extra)
