"""The `apismith` command line: generate, check and validate.

Expected errors (bad spec, bad configuration, unwritable output) print one line to
stderr and exit 1; click's usage errors exit 2.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from generator import __version__, fastpath, pipeline, write
from generator.config import (
    ConfigError,
    Target,
    check_package,
    default_package,
    find_pyproject,
    load_targets,
    parse_only,
)
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.timing import Stages

_F = TypeVar("_F", bound=Callable[..., Any])
_Results = list[tuple[Target, pipeline.Generated]]


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

    def __init__(self, timings: bool, quiet: bool, progress: bool | None) -> None:
        self.started = time.perf_counter()
        self.timings = timings
        self.quiet = quiet
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


def _run_options(command: _F) -> _F:
    """--timings, --quiet and --progress, shared by generate, check and validate."""
    decorators: tuple[Callable[[Any], Any], ...] = (
        click.option(
            "--timings", is_flag=True, help="Print CPU and wall seconds per stage (on stderr)."
        ),
        click.option(
            "-q", "--quiet", is_flag=True, help="Print only errors and warnings: no progress or summary."
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Show the running stage on stderr (default: when stderr is a terminal).",
        ),
    )
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


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
            "--force",
            is_flag=True,
            help="Run the whole pipeline even when no input changed since the last run.",
        ),
    )
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _targets(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
) -> list[Target]:
    """The one target named on the command line, or those of the nearest pyproject."""
    if spec is not None:
        return [
            Target(
                spec,
                output or Path("."),
                package or default_package(spec),
                only or frozenset(pipeline.PARTS),
            )
        ]
    if output is not None or package is not None or only is not None:
        raise click.UsageError("--output, --package and --only need a SPEC")
    try:
        return load_targets(find_pyproject())
    except ConfigError as error:
        raise _error(error) from None


def _locate(diagnostic: Diagnostic, spec: Path) -> Diagnostic:
    """Name the spec file in diagnostics that do not say where they come from."""
    if diagnostic.file:
        return diagnostic
    return dataclasses.replace(diagnostic, file=str(spec))


def _generate_all(targets: list[Target], run: _Run | None = None) -> _Results:
    """Run the pipeline for every target, in memory; print each diagnostic once."""
    run = run or _Run(False, True, False)
    results: _Results = []
    for target in targets:
        run.target = target.package
        try:
            generated = pipeline.generate(
                target.spec, target.package, target.only, target.options, run.stages
            )
        except SpecError as error:
            run.clear()
            raise _Failed(str(_locate(error.diagnostic, target.spec))) from None
        results.append((target, generated))
    run.clear()
    diagnostics = [_locate(d, t.spec) for t, g in results for d in g.diagnostics]
    shown = dict.fromkeys(map(str, diagnostics))
    for line in shown:
        click.echo(line, err=True)
    run.warnings += len(shown)
    if any(d.severity is Severity.ERROR for d in diagnostics):
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

    Without a SPEC, `generate` and `check` work on every target listed under
    [[tool.apismith.targets]] in the nearest pyproject.toml.

    \b
    Examples:
      apismith generate specs/api.yaml -o src --package api
      apismith generate        # every target in pyproject.toml
      apismith check           # in CI: exit 1 if the output is out of date
      apismith validate specs/api.yaml
    """


@apismith.command()
@_target_options
@_run_options
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    force: bool,
    timings: bool,
    quiet: bool,
    progress: bool | None,
) -> None:
    """Generate the package for SPEC, or for every configured target.

    Only files whose content changed are rewritten; files apismith generated
    before but no longer does are removed; other files are never touched.
    Nothing is written if any target fails. When no input changed since the
    last run and no generated file was edited, the pipeline is skipped.

    \b
    Example:
      apismith generate specs/api.yaml -o src --package api --only models,client
    """
    run = _Run(timings, quiet, progress)
    fresh, stale = _split_fresh(_targets(spec, output, package, only), force, run)
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
            reports = [(target, write.apply(plan)) for target, _, plan in plans]
            for target, generated, _ in plans:
                fastpath.record(target, generated.inputs, _distinct(generated.diagnostics))
    except write.WriteError as error:
        raise _error(error) from None
    for target, report in reports:
        run.echo(
            f"{target.package}: {len(report.written)} written, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
            f"→ {_shown(target.output)}"
        )
        written, unchanged = written + len(report.written), unchanged + len(report.unchanged)
        removed += len(report.removed)
    run.finish(f"{written} written, {unchanged} unchanged, {removed} removed, "
               f"{_warnings(run.warnings)}")


@apismith.command()
@_target_options
@_run_options
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    force: bool,
    timings: bool,
    quiet: bool,
    progress: bool | None,
) -> None:
    """Exit 1 if the generated output is out of date; writes nothing.

    Names each stale, missing or extra file, with a short diff.

    \b
    Example (in CI):
      apismith check
    """
    run = _Run(timings, quiet, progress)
    fresh, stale = _split_fresh(_targets(spec, output, package, only), force, run)
    outdated = 0
    run.warnings = sum(known.warnings for _, known in fresh)
    for target, _ in fresh:
        run.echo(f"{target.package}: up to date → {_shown(target.output)}")
    for target, generated in _generate_all(stale, run):
        try:
            with run.stages("write"):
                differences = write.compare(target.output, target.package, generated.files)
        except write.WriteError as error:
            raise _error(error) from None
        for difference in differences:
            click.echo(str(difference))
        outdated += bool(differences)
        if not differences:
            fastpath.record(target, generated.inputs, _distinct(generated.diagnostics))
            run.echo(f"{target.package}: up to date → {_shown(target.output)}")
    total = len(fresh) + len(stale)
    state = f"{outdated} of {total} out of date" if outdated else f"{total} up to date"
    run.finish(f"{state}, {_warnings(run.warnings)}")
    if outdated:
        click.echo("apismith: output is out of date; run `apismith generate`", err=True)
        raise click.exceptions.Exit(1)


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_run_options
def validate(spec: Path, timings: bool, quiet: bool, progress: bool | None) -> None:
    """Check that SPEC can be generated from, without writing anything.

    Prints warnings; exits 1 on an error.

    \b
    Example:
      apismith validate specs/api.yaml
    """
    run = _Run(timings, quiet, progress)
    target = Target(spec, Path("."), default_package(spec), frozenset(pipeline.PARTS))
    [(_, generated)] = _generate_all([target], run)
    click.echo(
        f"{spec}: OK ({len(generated.files)} files, "
        f"{len(generated.diagnostics)} warnings)"
    )
    run.finish(f"{len(generated.files)} files checked, {_warnings(run.warnings)}")


def main() -> None:
    """Console-script entry point."""
    apismith(prog_name="apismith")
