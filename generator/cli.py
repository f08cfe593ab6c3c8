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


def _generate_all(targets: list[Target]) -> _Results:
    """Run the pipeline for every target, in memory; print each diagnostic once."""
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
    for line in dict.fromkeys(map(str, diagnostics)):
        click.echo(line, err=True)
    if any(d.severity is Severity.ERROR for d in diagnostics):
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
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
) -> None:
    """Generate the package for SPEC, or for every configured target.

    Only files whose content changed are rewritten; files apismith generated
    before but no longer does are removed; other files are never touched.
    Nothing is written if any target fails.

    \b
    Example:
      apismith generate specs/api.yaml -o src --package api --only models,client
    """
    results = _generate_all(_targets(spec, output, package, only))
    try:
        plans = [
            (target, write.prepare(target.output, target.package, generated.files))
            for target, generated in results
        ]
        for target, plan in plans:
            report = write.apply(plan)
            click.echo(
                f"{target.package}: {len(report.written)} written, "
                f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
                f"→ {_shown(target.output)}"
            )
    except write.WriteError as error:
        raise _error(error) from None


@apismith.command()
@_target_options
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    only: frozenset[str] | None,
) -> None:
    """Exit 1 if the generated output is out of date; writes nothing.

    Names each stale, missing or extra file, with a short diff.

    \b
    Example (in CI):
      apismith check
    """
    outdated = False
    for target, generated in _generate_all(_targets(spec, output, package, only)):
        try:
            differences = write.compare(target.output, target.package, generated.files)
        except write.WriteError as error:
            raise _error(error) from None
        for difference in differences:
            click.echo(str(difference))
        outdated = outdated or bool(differences)
        if not differences:
            click.echo(f"{target.package}: up to date → {_shown(target.output)}")
    if outdated:
        click.echo("apismith: output is out of date; run `apismith generate`", err=True)
        raise click.exceptions.Exit(1)


@apismith.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(spec: Path) -> None:
    """Check that SPEC can be generated from, without writing anything.

    Prints warnings; exits 1 on an error.

    \b
    Example:
      apismith validate specs/api.yaml
    """
    target = Target(spec, Path("."), default_package(spec), frozenset(pipeline.PARTS))
    [(_, generated)] = _generate_all([target])
    click.echo(
        f"{spec}: OK ({len(generated.files)} files, "
        f"{len(generated.diagnostics)} warnings)"
    )


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
    """Console-script entry point."""
    apismith(prog_name="apismith")
