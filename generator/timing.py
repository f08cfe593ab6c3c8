"""Per-stage CPU and wall seconds (`--timings`) and the stage being run (progress).

The pipeline wraps each stage in `stages("build", "1,223 operations")`; whoever runs it decides
what to do with the numbers (the CLI prints them) and with the progress callback.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

#: Every stage, in pipeline order (the CLI prints them in this order).
STAGES = ("load", "resolve", "normalize", "parse", "build", "render", "format", "locate", "write")


@dataclass
class Stages:
    """CPU and wall seconds spent per stage, summed over every target of one run."""

    progress: Callable[[str, str], None] | None = None  # (stage, detail) when a stage starts
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def __call__(self, name: str, detail: str = "") -> Iterator[None]:
        if self.progress is not None:
            self.progress(name, detail)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.process_time() - cpu, time.perf_counter() - wall)

    def add(self, name: str, cpu: float, wall: float) -> None:
        """Seconds counted for stage `name` (also time measured elsewhere: in workers)."""
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu
        self.wall[name] = self.wall.get(name, 0.0) + wall

    def table(self) -> list[str]:
        """One line per stage that ran, then the total: `stage  cpu s  wall s`."""
        names = [s for s in STAGES if s in self.cpu] + [s for s in self.cpu if s not in STAGES]
        lines = [f"{'stage':<10} {'cpu s':>8} {'wall s':>8}"]
        lines += [f"{n:<10} {self.cpu[n]:8.2f} {self.wall[n]:8.2f}" for n in names]
        total_cpu, total_wall = sum(self.cpu.values()), sum(self.wall.values())
        lines.append(f"{'total':<10} {total_cpu:8.2f} {total_wall:8.2f}")
        return lines


def count(n: int, noun: str) -> str:
    """`1 file`, `1,223 operations`."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
