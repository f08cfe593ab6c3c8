"""The `apismith` command line: generate, check and validate.

Expected errors (bad spec, bad configuration, unwritable output) print one line to
stderr and exit 1; click's usage errors exit 2.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from generator import __version__, pipeline, write
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
from generator.diagnostics import report as report_lines

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


def _diagnostic_options(command: _F) -> _F:
    """--strict and --quiet, shared by `generate`, `check` and `validate`."""
    command = click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Print errors only: no warnings, no summary.",
    )(command)
    return click.option(
        "--strict",
        is_flag=True,
        help="Exit 1 if there is any warning (nothing is written).",
    )(command)


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


def _generate_all(
    targets: list[Target], strict: bool = False, quiet: bool = False
) -> _Results:
    """Run the pipeline for every target, in memory; print each diagnostic once.

    Exits 1 on an error, or with `strict` on a warning.
    """
    results: _Results = []
    for target in targets:
        try:
            generated = pipeline.generate(
                target.spec, target.package, target.only, target.options
            )
        except SpecError as error:
            raise _Failed(str(_locate(error.diagnostic, target.spec))) from None
        results.append((target, generated))
    diagnostics = [_locate(d, t.spec) for t, g in results for d in g.diagnostics]
    for line in report_lines(diagnostics, quiet):
        click.echo(line, err=True)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise click.exceptions.Exit(1)
    if strict and diagnostics:
        click.echo("apismith: error: warnings are errors with --strict", err=True)
        raise click.exceptions.Exit(1)
    return results


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
@_diagnostic_options
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Generate the package for SPEC, or for every configured target.

    Only files whose content changed are rewritten; files apismith generated
    before but no longer does are removed; other files are never touched.
    Nothing is written if any target fails.

    \b
    Example:
      apismith generate specs/api.yaml -o src --package api --only models,client
    """
    results = _generate_all(_targets(spec, output, package, only), strict, quiet)
    try:
        plans = [
            (target, write.prepare(target.output, target.package, generated.files))
            for target, generated in results
        ]
        for target, plan in plans:
            report = write.apply(plan)
            if not quiet:
                click.echo(
                    f"{target.package}: {len(report.written)} written, "
                    f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
                    f"→ {_shown(target.output)}"
                )
    except write.WriteError as error:
        raise _error(error) from None


@apismith.command()
@_target_options
@_diagnostic_options
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Exit 1 if the generated output is out of date; writes nothing.

    Names each stale, missing or extra file, with a short diff.

    \b
    Example (in CI):
      apismith check
    """
    outdated = False
    targets = _targets(spec, output, package, only)
    for target, generated in _generate_all(targets, strict, quiet):
        try:
            differences = write.compare(target.output, target.package, generated.files)
        except write.WriteError as error:
            raise _error(error) from None
        for difference in differences:
            click.echo(str(difference))
        outdated = outdated or bool(differences)
        if not differences and not quiet:
            click.echo(f"{target.package}: up to date → {_shown(target.output)}")
    if outdated:
        click.echo("apismith: output is out of date; run `apismith generate`", err=True)
        raise click.exceptions.Exit(1)


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_diagnostic_options
def validate(spec: Path, strict: bool, quiet: bool) -> None:
    """Check that SPEC can be generated from, without writing anything.

    Prints warnings; exits 1 on an error.

    \b
    Example:
      apismith validate specs/api.yaml
    """
    target = Target(spec, Path("."), default_package(spec), frozenset(pipeline.PARTS))
    [(_, generated)] = _generate_all([target], strict, quiet)
    if not quiet:
        click.echo(
            f"{spec}: OK ({len(generated.files)} files, "
            f"{len(generated.diagnostics)} warnings)"
        )


def main() -> None:
    """Console-script entry point."""
    apismith(prog_name="apismith")
