"""The `apismith` command line: generate, check and validate.

Expected errors (bad spec, bad configuration, unwritable output) print one line to
stderr and exit 1; click's usage errors exit 2.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias, TypeVar

import click

from generator import __version__, parallel
from generator.commands import apidiff, surface
from generator.config import (
    ConfigError,
    Target,
    check_package,
    default_package,
    find_config,
    parse_only,
)
from generator.config import model as config_model
from generator.config import select as targets
from generator.diagnostics import Diagnostic, Severity, SpecError, report
from generator.gcpause import gc_paused
from generator.options import FORMATTERS, PARTS, Options
from generator.output import fastpath, write
from generator.timing import Stages

# The pipeline (openapi-pydantic, the builder, jinja2) is imported where a run needs it, so
# that a run with nothing to regenerate starts in a fraction of the time.
if TYPE_CHECKING:
    from generator import pipeline
    from generator.commands import diff as diff_command

_F = TypeVar("_F", bound=Callable[..., Any])
_Results: TypeAlias = "list[tuple[Target, pipeline.Generated]]"


class _Failed(click.ClickException):
    """An expected error: its message (one line) is all the user sees."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, err=True)


def _error(error: object) -> _Failed:
    return _Failed(f"apismith: error: {error}")


def _package_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    try:
        return None if value is None else check_package(value)
    except ConfigError as error:
        raise click.BadParameter(str(error)) from None


def _only_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> frozenset[str] | None:
    if value is None:
        return None
    try:
        return parse_only(part.strip() for part in value.split(",") if part.strip())
    except ConfigError as error:
        raise click.BadParameter(str(error)) from None


class _Run:
    """One command's run: timings, progress on a terminal, and the closing summary."""

    def __init__(
        self, timings: bool, quiet: bool, progress: bool | None, strict: bool = False,
        jobs: int | None = None,
    ) -> None:
        self.started = time.perf_counter()
        self.processes = parallel.workers(jobs)
        self.timings = timings
        self.quiet = quiet
        self.strict = strict
        if progress is None:
            progress = sys.stderr.isatty()
        self.target = ""
        self.shown = False
        self.warnings = 0  # diagnostics printed (or recorded by the last full run)
        self.stages = Stages(self._progress if progress and not quiet else None)

    def _progress(self, stage: str, detail: str) -> None:
        text = f"apismith: {self.target}: {stage}" + (f" ({detail})" if detail else "") + " ..."
        click.echo(f"\r\x1b[K{text}", err=True, nl=False, color=True)
        self.shown = True

    def clear(self) -> None:
        """Remove the progress line before anything else is printed."""
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False, color=True)
            self.shown = False

    def echo(self, line: str, err: bool = False) -> None:
        """Print a status line (silenced by --quiet)."""
        self.clear()
        if not self.quiet:
            click.echo(line, err=err)

    def finish(self, summary: str) -> None:
        """The per-stage table (with --timings), then the one-line summary."""
        self.clear()
        if self.timings:
            for line in self.stages.table():
                click.echo(f"apismith: {line}", err=True)
        seconds = time.perf_counter() - self.started
        self.echo(f"apismith: {summary} in {seconds:.2f} s", err=True)


_ref_root_option = click.option(
    "--ref-root",
    "ref_roots",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder $refs may reach besides the spec's own (repeatable).",
)


def _stacked(command: _F, decorators: tuple[Callable[[Any], Any], ...]) -> _F:
    """`command` under `decorators`, the first outermost (as if written above it in order)."""
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _run_options(command: _F) -> _F:
    """--timings, --quiet, --strict and --progress, shared by generate, check and validate."""
    decorators: tuple[Callable[[Any], Any], ...] = (
        click.option(
            "--timings", is_flag=True, help="Print CPU and wall seconds per stage (on stderr)."
        ),
        click.option(
            "-q", "--quiet", is_flag=True, help="Print only errors: no warnings, progress or summary."
        ),
        click.option(
            "--strict", is_flag=True, help="Exit 1 if there is any warning (nothing is written)."
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Show the running stage on stderr (default: when stderr is a terminal).",
        ),
    )
    return _stacked(command, decorators)


_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that render a big API (default: one per CPU on Linux, else 1). "
    "The output is the same for any number.",
)


def _target_options(command: _F) -> _F:
    """SPEC and its options, shared by `generate` and `check`."""
    decorators = (
        click.argument(
            "spec",
            required=False,
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder that receives the package folder (default: .).",
        ),
        click.option(
            "--package",
            callback=_package_option,
            help="Package name (default: the spec's file name, as an identifier).",
        ),
        click.option(
            "--only",
            callback=_only_option,
            metavar="PARTS",
            help="Comma-separated parts among models,client,server (models always).",
        ),
        click.option(
            "--target",
            "names",
            multiple=True,
            metavar="NAME",
            help="Only the configured target NAME (its name or package); repeatable.",
        ),
        click.option(
            "--formatter",
            type=click.Choice(FORMATTERS),
            help="Format with the built-in layout (none, the default: black-identical"
            " at line length 88) or your installed black / ruff, with your"
            " project's line length.",
        ),
        _ref_root_option,
        click.option(
            "--enums",
            type=click.Choice(["strict", "open"]),
            help="strict (default): enums accept only their members; open: unknown "
            "values are kept too (clients survive new server values).",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Run the whole pipeline even when no input changed since the last run.",
        ),
    )
    return _stacked(command, decorators)


def _targets(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    names: tuple[str, ...] = (),
    ref_roots: tuple[Path, ...] = (),
    **options: str | None,
) -> list[Target]:
    """The targets the command line names: SPEC (with its configured options when it is
    a configured target), `--target` names, or every configured target; flags override
    (`options`: Options fields given on the command line, None when not given)."""
    given = tuple((k, v) for k, v in options.items() if v is not None)
    try:
        return targets.select(
            spec, names, targets.Overrides(output, package, only, given, ref_roots)
        )
    except ConfigError as error:
        raise _error(error) from None


def _replay(ctx: click.Context, command: str, names: list[str] | None = None) -> str:
    """The command line that runs `command` with the options this one was given;
    `names` replaces the --target list."""
    words = ["apismith", command]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name == "names" and names is not None:
            value = tuple(names)
        if value is None or value is False or value == () or param.name == "watch":
            continue
        if isinstance(param, click.Argument):
            words.append(str(value))
            continue
        flag = max(param.opts, key=len)
        if isinstance(param, click.Option) and param.is_flag:
            words.append(flag)
        elif isinstance(value, frozenset):
            words += [flag, ",".join(p for p in PARTS if p in value)]
        elif isinstance(value, tuple | list):
            for item in value:
                words += [flag, str(item)]
        else:
            words += [flag, str(value)]
    return shlex.join(words)


def _locate(diagnostic: Diagnostic, spec: Path) -> Diagnostic:
    """Name the spec file in diagnostics that do not say where they come from."""
    if diagnostic.file:
        return diagnostic
    return dataclasses.replace(diagnostic, file=str(spec))


def _generate_all(targets: list[Target], run: _Run | None = None) -> _Results:
    """Run the pipeline for every target, in memory; print each diagnostic once."""
    if not targets:  # every target is up to date: not even the pipeline is imported
        return []
    from generator import pipeline
    from generator.layout.format import FormatterError
    from generator.render.overrides import TemplateProblem

    run = run or _Run(False, True, False)
    results: _Results = []
    for target in targets:
        run.target = target.package
        try:
            generated = pipeline.generate(
                target.spec, target.package, target.only, target.options, run.stages,
                run.processes, surface.files,
            )
        except SpecError as error:
            run.clear()
            raise _Failed(str(_locate(error.diagnostic, target.spec))) from None
        except (FormatterError, TemplateProblem, parallel.WorkerDied) as error:
            run.clear()
            raise _error(error) from None
        results.append((target, generated))
    run.clear()
    diagnostics = [_locate(d, t.spec) for t, g in results for d in g.diagnostics]
    for line in report(diagnostics, run.quiet):
        click.echo(line, err=True)
    warnings = {d for d in diagnostics if d.severity is Severity.WARNING}
    run.warnings += len(warnings)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise click.exceptions.Exit(1)
    if run.strict and warnings:
        click.echo("apismith: error: warnings are errors with --strict", err=True)
        raise click.exceptions.Exit(1)
    return results


def _split_fresh(
    targets: list[Target], force: bool, run: _Run
) -> tuple[list[tuple[Target, fastpath.Fresh]], list[Target]]:
    """Targets whose output is up to date with every input (see `fastpath`), and the rest."""
    fresh: list[tuple[Target, fastpath.Fresh]] = []
    stale: list[Target] = []
    for target in targets:
        run.target = target.package
        with run.stages("fastpath", "are the inputs unchanged?"):
            known = None if force else fastpath.fresh(target)
        if known is None:
            stale.append(target)
        else:
            fresh.append((target, known))
    return fresh, stale


def _distinct(diagnostics: tuple[Diagnostic, ...]) -> int:
    return len(set(map(str, diagnostics)))


def _warnings(count: int) -> str:
    return f"{count} warning{'' if count == 1 else 's'}"


def _shown(path: Path) -> str:
    """`path` relative to the cwd when inside it, for short messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apismith")
def apismith() -> None:
    """Generate Pydantic v2 models, an httpx client and FastAPI server stubs
    from OpenAPI 3.0/3.1 documents.

    Without a SPEC, `generate` and `check` work on every target configured in the
    nearest apismith.toml or pyproject.toml ([tool.apismith]); --target picks some.

    \b
    Examples:
      apismith generate specs/api.yaml -o src --package api
      apismith generate        # every target in pyproject.toml
      apismith check           # in CI: exit 1 if the output is out of date
      apismith validate specs/api.yaml
      apismith diff main:specs/api.yaml specs/api.yaml
    """


@apismith.command()
@_target_options
@_run_options
@_jobs_option
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: regenerate when a spec, a file it $refs or the config changes.",
)
@click.option("--watch-runs", type=int, hidden=True)  # tests: stop after N runs
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    names: tuple[str, ...],
    formatter: str | None,
    ref_roots: tuple[Path, ...],
    enums: str | None,
    force: bool,
    timings: bool,
    quiet: bool,
    strict: bool,
    progress: bool | None,
    jobs: int | None,
    watch: bool,
    watch_runs: int | None,
) -> None:
    """Generate the package for SPEC, or for every configured target.

    Only files whose content changed are rewritten; files apismith generated
    before but no longer does are removed; other files are never touched.
    Nothing is written if any target fails. When no input changed since the
    last run and no generated file was edited, the pipeline is skipped. When
    the output changes, a paragraph says how the API changed since the last
    generation.

    \b
    Example:
      apismith generate specs/api.yaml -o src --package api --only models,client
      apismith generate --watch        # regenerate on every change, Ctrl-C ends
    """

    def chosen() -> list[Target]:
        return _targets(
            spec, output, package, only, names, ref_roots, formatter=formatter, enums=enums
        )

    def run() -> _Run:
        return _Run(timings, quiet, progress, strict, jobs)

    if not watch:
        _generate_once(chosen(), run(), force)
        return
    from generator.commands import watch as watch_command

    watched: set[Path] = set()

    def once() -> set[Path]:
        nonlocal watched
        try:
            targets_now = chosen()
            watched = _inputs(targets_now)
            _generate_once(targets_now, run(), force)
        except click.ClickException as error:
            error.show()
        except click.exceptions.Exit:
            pass  # the diagnostics are printed
        click.echo(f"apismith: watching {len(watched)} files; Ctrl-C ends")
        return watched

    try:
        watch_command.watch(once, max_runs=watch_runs)
    except watch_command.WatchUnavailable as error:
        raise _error(error) from None


def _inputs(chosen: list[Target]) -> set[Path]:
    """The files a run reads: the specs, what they $ref, and the configuration."""
    from generator.commands import watch as watch_command

    found = find_config()
    paths = {found} if found else set()
    for target in chosen:
        paths |= watch_command.referenced(target.spec)
        if target.options.templates is not None:
            paths |= set(target.options.templates.rglob("*.j2"))
    return paths


@gc_paused()
def _generate_once(chosen: list[Target], run: _Run, force: bool) -> None:
    # --strict reruns the pipeline so that recorded warnings are shown again
    fresh, stale = _split_fresh(chosen, force or run.strict, run)
    results = _generate_all(stale, run)
    written = unchanged = removed = 0
    for target, known in fresh:
        run.echo(f"{target.package}: 0 written, {known.files} unchanged, 0 removed "
                 f"→ {_shown(target.output)} (no input changed)")
        unchanged, run.warnings = unchanged + known.files, run.warnings + known.warnings
    try:
        with run.stages("write"):
            plans = [
                (target, generated, write.prepare(target.output, target.package, generated.files))
                for target, generated in results
            ]
            reports = [(target, plan, write.apply(plan)) for target, _, plan in plans]
            for target, generated, _ in plans:
                fastpath.record(target, generated.inputs, _distinct(generated.diagnostics))
    except write.WriteError as error:
        raise _error(error) from None
    for target, plan, done in reports:
        run.echo(
            f"{target.package}: {len(done.written)} written, "
            f"{len(done.unchanged)} unchanged, {len(done.removed)} removed "
            f"→ {_shown(target.output)}"
        )
        changes = _api_changes(plan)
        if changes:
            run.echo(f"{target.package}: {changes}")
        written, unchanged = written + len(done.written), unchanged + len(done.unchanged)
        removed += len(done.removed)
    run.finish(f"{written} written, {unchanged} unchanged, {removed} removed, "
               f"{_warnings(run.warnings)}")


def _api_changes(plan: write.Plan) -> str:
    """The API changes since the surface recorded by the previous generation."""
    for change in plan.writes:
        if change.path.endswith("/" + surface.FILE) and change.old and change.new:
            old = surface.loads(change.old.decode("utf-8", "replace"))
            new = surface.loads(change.new.decode("utf-8"))
            if old is not None and new is not None:
                return apidiff.summary(apidiff.compare(old, new))
    return ""


@apismith.command()
@_target_options
@_run_options
@_jobs_option
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    names: tuple[str, ...],
    formatter: str | None,
    ref_roots: tuple[Path, ...],
    enums: str | None,
    force: bool,
    timings: bool,
    quiet: bool,
    strict: bool,
    progress: bool | None,
    jobs: int | None,
) -> None:
    """Exit 1 if the generated output is out of date; writes nothing.

    Names each stale, missing or extra file, with a short diff.

    \b
    Example (in CI):
      apismith check
    """
    run = _Run(timings, quiet, progress, strict, jobs)
    chosen = _targets(
        spec, output, package, only, names, ref_roots, formatter=formatter, enums=enums
    )
    fresh, stale_targets = _split_fresh(chosen, force or strict, run)
    run.warnings = sum(known.warnings for _, known in fresh)
    for target, _ in fresh:
        run.echo(f"{target.package}: up to date → {_shown(target.output)}")
    stale: list[str] = []
    for target, generated in _generate_all(stale_targets, run):
        try:
            with run.stages("write"), gc_paused():
                differences = write.compare(target.output, target.package, generated.files)
        except write.WriteError as error:
            raise _error(error) from None
        for difference in differences:
            click.echo(str(difference))
        if differences:
            stale.append(target.label)
        else:
            run.echo(f"{target.package}: up to date → {_shown(target.output)}")
    total = len(chosen)
    state = f"{len(stale)} of {total} out of date" if stale else f"{total} up to date"
    run.finish(f"{state}, {_warnings(run.warnings)}")
    if stale:
        ctx = click.get_current_context()
        every = spec is not None or len(stale) == total
        command = _replay(ctx, "generate", None if every else stale)
        click.echo(f"apismith: output is out of date; run: {command}", err=True)
        raise click.exceptions.Exit(1)


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_ref_root_option
@_run_options
def validate(
    spec: Path,
    ref_roots: tuple[Path, ...],
    timings: bool,
    quiet: bool,
    strict: bool,
    progress: bool | None,
) -> None:
    """Check that SPEC can be generated from, without writing anything.

    Prints warnings; exits 1 on an error.

    \b
    Example:
      apismith validate specs/api.yaml
    """
    run = _Run(timings, quiet, progress, strict)
    target = Target(spec, Path("."), default_package(spec), frozenset(PARTS))
    roots = tuple(p.resolve() for p in ref_roots)
    target = dataclasses.replace(target, options=dataclasses.replace(target.options, ref_roots=roots))
    [(_, generated)] = _generate_all([target], run)
    run.echo(f"{spec}: OK ({len(generated.files)} files, {_warnings(run.warnings)})")
    run.finish(f"{len(generated.files)} files checked, {_warnings(run.warnings)}")


@apismith.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a pull-request comment.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["any", "client", "server", "none"]),
    default="any",
    show_default=True,
    help="Which breaking changes make the exit code 1.",
)
def diff(old: str, new: str, form: diff_command.Format, fail_on: diff_command.FailOn) -> None:
    """How the generated API changes from OLD to NEW, each change marked breaking or
    not for clients and for servers; exit 1 on a breaking change.

    OLD and NEW are spec files or git revisions (REV:PATH, the spec's folder is read at
    that revision so its $refs resolve). When NEW is a configured target's spec, both
    are read with that target's options (renames, type maps, include/exclude).

    \b
    Examples:
      apismith diff main:specs/api.yaml specs/api.yaml
      apismith diff old.yaml new.yaml --format markdown --fail-on client
    """
    from generator.commands import diff as diff_command

    options = _options_for(Path(new))
    try:
        surfaces = [diff_command.surface_of(version, options) for version in (old, new)]
    except diff_command.DiffError as error:
        raise _error(error) from None
    except SpecError as error:
        raise _Failed(str(error.diagnostic)) from None
    changes = apidiff.compare(*surfaces)
    click.echo(diff_command.render(changes, form, old, new))
    if diff_command.breaks(changes, fail_on):
        raise click.exceptions.Exit(1)


def _options_for(spec: Path) -> Options | None:
    """The options of the configured target generating `spec`, if any (renames, type
    maps and filters shape the surface being compared)."""
    try:
        found = targets.select(spec) if spec.is_file() else []
    except ConfigError:
        return None
    return found[0].options if len(found) == 1 else None


@apismith.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of the configuration (apismith.toml, [tool.apismith]).

    \b
    Example (regenerate the shipped copy):
      apismith config-schema > generator/schema/apismith-config.schema.json
    """
    click.echo(config_model.json_schema(), nl=False)


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "target", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The module to write (never overwritten).")
@click.option("--package", callback=_package_option,
              help="The generated package it imports (default: from the spec's file name).")
def scaffold(spec: Path, target: Path, package: str | None) -> None:
    """Write a starting implementation of SPEC's server to FILE, once.

    Every operation and security handler raises NotImplementedError; the module
    type-checks against the generated package and ends with `app = create_app(...)`.

    \b
    Example:
      apismith scaffold specs/api.yaml -o service.py --package api
    """
    from generator.commands import scaffold as command

    try:
        api, _ = command.read_api(spec)
        command.write_scaffold(target, command.scaffold_text(api, package or default_package(spec)))
    except SpecError as error:
        raise _Failed(str(_locate(error.diagnostic, spec))) from None
    except command.ScaffoldError as error:
        raise _error(error) from None
    click.echo(f"{_shown(target)}: scaffold written")


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def mock(spec: Path, host: str, port: int) -> None:
    """Serve a working fake of SPEC's API until interrupted.

    Each operation answers with its first success response: the spec's example
    when it fits the response model, else a minimal valid instance of the schema.
    Any credential is accepted. Needs fastapi and uvicorn (`apismith[mock]`).

    \b
    Example:
      apismith mock specs/api.yaml --port 4010
    """
    try:
        from generator.commands import mock as command
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise _error(f"mock needs fastapi and uvicorn ({error.name} is missing)") from None
    try:
        command.serve(spec, host, port)
    except SpecError as error:
        raise _Failed(str(_locate(error.diagnostic, spec))) from None


def main() -> None:
    """Console-script entry point. The process ends here: after flushing its output it exits
    at once, with no final collection and no freeing of everything still alive (0.2-0.3 s
    after generating GitHub's API, 0.5 s after a 20 MB document). An unexpected exception
    still ends the usual way, with its traceback."""
    try:
        apismith(prog_name="apismith")
        code = 0
    except SystemExit as done:
        code = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream
            code = code or 1
    os._exit(code)


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` would end with (a message is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
