"""`apismith diff OLD NEW`: how the generated API surface changes between two versions
of a spec, and which changes break clients or servers (exit 1 when any does).

OLD and NEW are files, or git revisions such as `main:specs/api.yaml`. For a revision, the
spec's whole folder is taken from that revision, so relative `$ref`s resolve as they did.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Literal

from generator import pipeline
from generator.commands import surface
from generator.commands.apidiff import Change
from generator.options import Options

Format = Literal["text", "json", "markdown"]
FailOn = Literal["any", "client", "server", "none"]


class DiffError(Exception):
    """A version cannot be read; one line."""


@contextlib.contextmanager
def materialize(version: str, cwd: Path | None = None) -> Iterator[Path]:
    """The spec file for `version`: a path as is, or `REV:PATH` checked out of git."""
    path = Path(version)
    if path.is_file() or ":" not in version:
        if not path.is_file():
            raise DiffError(f"{version}: no such file")
        yield path
        return
    revision, _, name = version.partition(":")
    where = cwd or Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], where).decode().strip())
    # git reads `REV:path` from the top, and `REV:./path` relative to the current folder.
    if name.startswith(("./", "../")):
        name = (where.resolve() / name).resolve().relative_to(top.resolve()).as_posix()
    spec = PurePosixPath(name)
    folder = spec.parent.as_posix()
    archive = _git(["archive", "--format=tar", revision, "--", folder], top)
    with tempfile.TemporaryDirectory(prefix="apismith-diff-") as temp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(temp, filter="data")
        target = Path(temp) / spec
        if not target.is_file():
            raise DiffError(f"{version}: not a file at {revision}")
        yield target


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as error:
        raise DiffError(f"cannot run git: {error}") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def surface_of(version: str, options: Options | None = None) -> dict[str, object]:
    """The API surface of one version (raises `SpecError` or `DiffError`)."""
    with materialize(version) as spec:
        api, _ = pipeline.build_api(spec, options)
    return surface.of(api)


def breaks(changes: list[Change], fail_on: FailOn) -> bool:
    if fail_on == "none":
        return False
    return any(
        (c.client and fail_on in ("any", "client")) or (c.server and fail_on in ("any", "server"))
        for c in changes
    )


def render(changes: list[Change], form: Format, old: str, new: str) -> str:
    client = sum(c.client for c in changes)
    server = sum(c.server for c in changes)
    if form == "json":
        data = {
            "old": old,
            "new": new,
            "changes": [c.as_json() for c in changes],
            "breaking": {"client": client, "server": server},
        }
        return json.dumps(data, indent=2, ensure_ascii=False)
    if form == "markdown":
        return _markdown(changes, client, server, old, new)
    lines = [f"{_label(c)}: {c.where}: {c.detail}" for c in changes]
    lines.append(
        f"{len(changes)} changes: {client} breaking for clients, {server} for servers"
        if changes
        else "no API changes"
    )
    return "\n".join(lines)


def _label(change: Change) -> str:
    sides = [side for side, hit in (("clients", change.client), ("servers", change.server)) if hit]
    return f"breaking for {' and '.join(sides)}" if sides else "compatible"


def _markdown(changes: list[Change], client: int, server: int, old: str, new: str) -> str:
    lines = [f"### API changes: `{_md(old)}` → `{_md(new)}`", ""]
    if not changes:
        return "\n".join([*lines, "No API changes."])
    lines += [
        f"{len(changes)} changes: **{client} breaking for clients**, "
        f"**{server} breaking for servers**.",
        "",
        "| | Where | Change | Client | Server |",
        "|---|---|---|---|---|",
    ]
    for c in changes:
        mark = "🔴" if c.breaking else "🟢"
        lines.append(
            f"| {mark} | `{_md(c.where)}` | {_md(c.detail)} | "
            f"{'breaking' if c.client else 'ok'} | {'breaking' if c.server else 'ok'} |"
        )
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe in a markdown table cell or code span: no pipes, backticks or newlines."""
    text = text.replace("|", "\\|").replace("`", "'").replace("<", "&lt;")
    return " ".join(text.split())
