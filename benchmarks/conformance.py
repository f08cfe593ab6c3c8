"""Run apismith over folders of OpenAPI documents and check every generated package.

For each document (a `.json`, `.yaml` or `.yml` file that names `openapi` or `swagger`):
generate through the CLI, compile every module, import models/client/server and build the
FastAPI app with a stand-in implementation (`create_app(Stub()).openapi()`), and run
`mypy --strict` on the package (one run, one shared cache). Prints one table row each:

    document  result  warnings  compile  import  create_app  mypy  seconds

`result` is `ok`, `warnings`, `expected error` (a clean one-line refusal listed in
`--expect`) or `failed`; `seconds` is the generation time. Exit status 1 if any document
failed: a crash, an unlisted refusal, a listed refusal that generated, or a failed check.

    python benchmarks/conformance.py FOLDER... [--no-mypy] [--jobs N] [--expect FILE]

`--expect FILE`: lines `PATTERN<TAB>FRAGMENT`, PATTERN a glob on the document's path
relative to its folder, FRAGMENT a piece of the expected one-line error.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "pkg"
SUFFIXES = (".json", ".yaml", ".yml")
#: Builds the app (every route) and its OpenAPI document with a stand-in implementation.
SMOKE = (
    "import importlib, sys\n"
    "for part in ('models', 'client', 'server'):\n"
    "    try:\n"
    "        importlib.import_module('pkg.' + part)\n"
    "    except ModuleNotFoundError as error:\n"
    "        if error.name != 'pkg.' + part: raise\n"
    "print('IMPORTED', flush=True)\n"
    "server = sys.modules.get('pkg.server')\n"
    "class Stub:  # provides every operation and security handler (create_app checks)\n"
    "    def __getattr__(self, name): return lambda **kw: None\n"
    "if server is not None: server.create_app(Stub()).openapi()\n"
    "print('APP', flush=True)\n"
)
NOT_RUN = "-"


@dataclass
class Row:
    document: str
    result: str = "failed"
    warnings: int = 0
    compile: str = NOT_RUN
    imports: str = NOT_RUN
    create_app: str = NOT_RUN
    mypy: str = NOT_RUN
    seconds: float = 0.0
    detail: str = ""  # why it failed, one line
    checks: dict[str, float] = field(default_factory=dict)  # seconds of each check

    @property
    def failed(self) -> bool:
        return self.result == "failed"


def documents(folders: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, name relative to its folder) for every OpenAPI-looking file, sorted."""
    found: list[tuple[Path, str]] = []
    for folder in folders:
        if folder.is_file():
            found.append((folder, folder.name))
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and _looks_like_openapi(path):
                found.append((path, path.relative_to(folder).as_posix()))
    return found


def _looks_like_openapi(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    return b"openapi" in head or b"swagger" in head


def read_expectations(path: Path | None) -> list[tuple[str, str]]:
    if path is None:
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, _, fragment = line.partition("\t")
            pairs.append((pattern.strip(), fragment.strip()))
    return pairs


def expected_error(name: str, expectations: Sequence[tuple[str, str]]) -> str | None:
    for pattern, fragment in expectations:
        if fnmatch.fnmatchcase(name, pattern):
            return fragment
    return None


def _run(args: Sequence[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    try:
        return subprocess.run(
            list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(list(args), -1, "", f"timed out after {timeout:.0f} s")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def check_document(
    spec: Path,
    name: str,
    workdir: Path,
    *,
    expect: str | None = None,
    mypy: bool = True,
    mypy_cache: Path | None = None,
    timeout: float = 900,
) -> Row:
    """Generate `spec` once into `workdir` and run every check on that one output."""
    row = Row(name)
    start = time.perf_counter()
    generated = _run(
        [sys.executable, "-m", "generator", "generate", str(spec.resolve()), "-o", str(workdir),
         "--package", PACKAGE],
        workdir, timeout,
    )
    row.seconds = time.perf_counter() - start
    stderr = generated.stderr
    row.warnings = sum(": warning: " in line for line in stderr.splitlines())
    if generated.returncode != 0:
        clean = generated.returncode == 1 and "Traceback" not in stderr
        if clean and expect is not None and expect in stderr:
            row.result = "expected error"
        else:
            row.detail = _last_line(stderr) or f"exit status {generated.returncode}"
        return row
    if expect is not None:
        row.detail = f"generated, but an error was expected ({expect!r})"
        return row
    row.result = "warnings" if row.warnings else "ok"
    return check_output(workdir, row, mypy=mypy, mypy_cache=mypy_cache, timeout=timeout)


def check_output(
    workdir: Path, row: Row, *, mypy: bool = True, mypy_cache: Path | None = None, timeout: float = 900
) -> Row:
    """Compile, import, build the app and type-check the package `workdir/pkg`."""
    row.compile = _compile_all(workdir / PACKAGE, row)
    if row.compile != "ok":
        row.result = "failed"
        return row
    begin = time.perf_counter()
    smoke = _run([sys.executable, "-c", SMOKE], workdir, timeout)
    row.checks["smoke"] = time.perf_counter() - begin
    row.imports = "ok" if "IMPORTED" in smoke.stdout else "FAIL"
    row.create_app = "ok" if "APP" in smoke.stdout else ("FAIL" if row.imports == "ok" else NOT_RUN)
    if smoke.returncode != 0:
        row.result, row.detail = "failed", _last_line(smoke.stderr)
        return row
    if mypy:
        cache = mypy_cache or Path(tempfile.gettempdir()) / "apismith-conformance-mypy"
        begin = time.perf_counter()
        checked = _run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--no-error-summary",
             "-p", PACKAGE],
            workdir, timeout,
        )
        row.checks["mypy"] = time.perf_counter() - begin
        row.mypy = "ok" if checked.returncode == 0 else "FAIL"
        if checked.returncode != 0:
            row.result = "failed"
            row.detail = _last_line(checked.stdout + "\n" + checked.stderr)
    return row


def _compile_all(package: Path, row: Row) -> str:
    for path in sorted(package.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as error:
            row.detail = f"{path.relative_to(package.parent)}:{error.lineno}: {error.msg}"
            return "FAIL"
    return "ok"


HEADER = ("document", "result", "warnings", "compile", "import", "create_app", "mypy", "seconds")
WIDTHS = (14, 8, 7, 6, 10, 4, 7)


def format_row(row: Row, width: int) -> str:
    cells = (row.result, str(row.warnings), row.compile, row.imports, row.create_app, row.mypy,
             f"{row.seconds:.2f}")
    return f"{row.document:<{width}}  " + "  ".join(
        f"{cell:<{size}}" for cell, size in zip(cells, WIDTHS, strict=True)
    ).rstrip()


def format_header(width: int) -> str:
    return f"{HEADER[0]:<{width}}  " + "  ".join(
        f"{head:<{size}}" for head, size in zip(HEADER[1:], WIDTHS, strict=True)
    ).rstrip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")
    parser.add_argument("--no-mypy", action="store_true", help="skip mypy --strict")
    parser.add_argument("--jobs", type=int, default=1, help="documents checked at once")
    parser.add_argument("--expect", type=Path, help="TSV of PATTERN, expected error fragment")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per step")
    args = parser.parse_args(argv)
    expectations = read_expectations(args.expect)
    docs = documents(args.folders)
    if not docs:
        print("no OpenAPI documents found", file=sys.stderr)
        return 1
    width = max(len(name) for _, name in docs)
    print(format_header(width))
    with tempfile.TemporaryDirectory(prefix="apismith-conformance-") as scratch:
        cache = Path(scratch) / "mypy-cache"

        def one(item: tuple[int, tuple[Path, str]]) -> Row:
            index, (path, name) = item
            workdir = Path(scratch) / str(index)
            workdir.mkdir()
            return check_document(path, name, workdir, expect=expected_error(name, expectations),
                                  mypy=not args.no_mypy, mypy_cache=cache, timeout=args.timeout)

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            rows = []
            for row in pool.map(one, enumerate(docs)):
                print(format_row(row, width), flush=True)
                rows.append(row)
    failed = [row for row in rows if row.failed]
    counts = {result: sum(row.result == result for row in rows)
              for result in ("ok", "warnings", "expected error", "failed")}
    print(", ".join(f"{n} {result}" for result, n in counts.items()) + f" of {len(rows)} documents")
    for row in failed:
        print(f"FAILED {row.document}: {row.detail}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
