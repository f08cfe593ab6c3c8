"""`apismith generate --watch`: regenerate whenever a spec, a file it `$ref`s or the
configuration changes (changes within the debounce interval make one run)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from generator.diagnostics import SpecError
from generator.front import load

DEBOUNCE_MS = 300


class WatchUnavailable(Exception):
    """watchfiles is not installed."""


class Event(Protocol):
    def is_set(self) -> bool: ...


def referenced(spec: Path) -> set[Path]:
    """`spec` and every local file it reaches through `$ref`s (unreadable ones included,
    so that fixing them triggers a run)."""
    seen: set[Path] = set()
    todo = [spec.resolve()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            document = load.load_document(path)
        except SpecError:
            continue
        for ref in _refs(document):
            location = ref.partition("#")[0]
            if location and "://" not in location and not location.startswith("//"):
                todo.append((path.parent / unquote(location)).resolve())
    return seen


def _refs(document: Any) -> Iterator[str]:
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _only(files: frozenset[Path]) -> Callable[[object, str], bool]:
    return lambda _change, path: Path(path).resolve() in files


def watch(
    run: Callable[[], Iterable[Path]],
    debounce_ms: int = DEBOUNCE_MS,
    max_runs: int | None = None,
    stop_event: Event | None = None,
) -> int:
    """Call `run` now and after every change to the files it returns; return the number
    of runs when stopped (Ctrl-C, `stop_event`, or `max_runs` reached)."""
    try:
        import watchfiles
    except ImportError:
        raise WatchUnavailable(
            "--watch needs watchfiles: pip install 'apismith[watch]' (or watchfiles)"
        ) from None
    watched, stale = _run(run, set())
    runs = 1
    while max_runs is None or runs < max_runs:
        if stale and not (stop_event and stop_event.is_set()):  # changed during the run
            watched, stale = _run(run, watched)
            runs += 1
            continue
        folders = sorted({p.parent for p in watched if p.parent.is_dir()})
        if not folders:
            return runs
        changes = watchfiles.watch(
            *folders,
            watch_filter=_only(frozenset(watched)),
            debounce=debounce_ms,
            stop_event=stop_event,
            raise_interrupt=False,
            recursive=False,
        )
        changed = next(changes, None)
        changes.close()
        if changed is None:  # stopped
            return runs
        watched, stale = _run(run, watched)
        runs += 1
    return runs


def _run(run: Callable[[], Iterable[Path]], previous: set[Path]) -> tuple[set[Path], bool]:
    """Run once; also say whether a file it read changed meanwhile."""
    before = {p: _mtime(p) for p in previous}
    watched = {p.resolve() for p in run()}
    return watched, any(_mtime(p) != mtime for p, mtime in before.items())


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
