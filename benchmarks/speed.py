"""apismith's speed and memory beside its peers and the floor, side by side in one run.

Every measurement is a fresh process (CPU = user + system seconds of that process, wall =
elapsed; peak RSS from its rusage); the tools alternate within each round and the median of
the rounds is reported. Printed: a markdown table of ratios, each target's verdict (in CPU
and in wall seconds), the memory/scaling curve on a synthetic Microsoft-Graph-sized document
(`graphlike.py`; in one process, so that its peak RSS is the whole footprint; and its wall
time with workers).

- floor: `json.load` + `openapi_pydantic.parse_obj` of the document, in a fresh process
- apismith: `apismith generate` (models + client + server), into an empty folder, with its
  default workers (one per CPU); `apismith -j 1` the same in one process. CPU includes the
  workers' (they are waited for), peak RSS is the largest single process
- no-change: `apismith generate` and `apismith check` again on that output
- openapi-python-client: `openapi-python-client generate` (its client, its default settings)
- datamodel-code-generator: its Pydantic v2 models (documents under 5 MiB unless --all-peers)

    python benchmarks/speed.py --install-peers     # once: peers into benchmarks/.venv
    python benchmarks/speed.py [--rounds 3] [--quick] [SPEC ...]

No assertions: machines are noisy; the verdicts compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: The shared corpus beside the checkout (or beside the folder of worktrees).
CORPUS = next(
    (p for p in (REPO.parent / "shared" / "corpus", REPO.parent.parent / "shared" / "corpus")
     if p.is_dir()),
    REPO.parent / "shared" / "corpus",
)
PEERS_VENV = HERE / ".venv"
PEERS = ("openapi-python-client", "datamodel-code-generator")
DEFAULT_SPECS = ("github/api.github.com.json", "stripe/spec3.json", "apis-guru/bitbucket.org.json")
GRAPH_SIZES = (1250, 2500, 5000, 10000)
#: datamodel-code-generator takes minutes on GitHub's 13 MB; `--all-peers` runs it anyway.
DMCG_MAX_BYTES = 5 * 2**20
ALL_PEERS = False
#: Runs apismith's CLI; on a branch where generation still runs black, with black off.
APISMITH = """
import sys
sys.path.insert(0, sys.argv.pop(1))  # this checkout, whatever the working folder
from generator.options import Options
from generator.layout import format
if "formatter" not in Options.__dataclass_fields__ and hasattr(format, "format_source"):
    format.format_source = lambda path, text: text
from generator.cli import main
sys.argv[0] = "apismith"
main()
"""
FLOOR = """
import json, sys
from openapi_pydantic import parse_obj
with open(sys.argv[1], encoding="utf-8") as f:
    parse_obj(json.load(f))
"""


@dataclass(frozen=True)
class Sample:
    cpu: float
    wall: float
    rss_mib: float
    ok: bool


def measure(command: Sequence[str | Path], cwd: Path | None = None) -> Sample:
    """Run one process to its end: its own CPU seconds, wall seconds and peak RSS."""
    # Bytecode caches on, as users have them: with PYTHONDONTWRITEBYTECODE every run of
    # every tool (and of the floor) would compile its imports from source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO)
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(c) for c in command], cwd=cwd, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return Sample(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, status == 0)


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.cpu for s in samples),
        statistics.median(s.wall for s in samples),
        max(s.rss_mib for s in samples),
        all(s.ok for s in samples),
    )


def peer_bin(name: str) -> Path | None:
    path = PEERS_VENV / "bin" / name
    return path if path.exists() else None


def install_peers() -> None:
    """Create benchmarks/.venv (gitignored) and install the peers into it."""
    if not (PEERS_VENV / "bin" / "python").exists():
        venv.create(PEERS_VENV, with_pip=True)
    subprocess.run([PEERS_VENV / "bin" / "python", "-m", "pip", "install", "-q", *PEERS], check=True)


def apismith(*args: str | Path) -> list[str | Path]:
    return [sys.executable, "-c", APISMITH, REPO, *args]


def tools_for(spec: Path, work: Path) -> dict[str, Callable[[int], Sample]]:
    """Each measured command for `spec`, by name; the argument is the round number."""
    fixed = work / "nochange"
    tools: dict[str, Callable[[int], Sample]] = {
        "floor": lambda r: measure([sys.executable, "-c", FLOOR, spec]),
        "apismith": lambda r: measure(apismith(
            "generate", spec, "-o", work / f"full{r}", "--package", "pkg", "--quiet")),
        "apismith -j 1": lambda r: measure(apismith(
            "generate", spec, "-o", work / f"one{r}", "--package", "pkg", "--quiet", "-j", "1")),
        "no-change generate": lambda r: measure(apismith(
            "generate", spec, "-o", fixed, "--package", "pkg", "--quiet")),
        "no-change check": lambda r: measure(apismith(
            "check", spec, "-o", fixed, "--package", "pkg", "--quiet")),
    }
    opc = peer_bin("openapi-python-client")
    if opc:
        tools["openapi-python-client"] = lambda r: measure(
            [opc, "generate", "--path", spec, "--output-path", work / f"opc{r}", "--overwrite"])
    dmcg = peer_bin("datamodel-codegen")
    if dmcg and (ALL_PEERS or spec.stat().st_size < DMCG_MAX_BYTES):
        tools["datamodel-code-generator"] = lambda r: measure(
            [dmcg, "--input", spec, "--input-file-type", "openapi", "--output", work / f"dm{r}.py",
             "--output-model-type", "pydantic_v2.BaseModel"])
    return tools


def bench_spec(spec: Path, rounds: int) -> dict[str, Sample]:
    with tempfile.TemporaryDirectory(prefix="apismith-bench-") as tmp:
        work = Path(tmp)
        tools = tools_for(spec, work)
        measure(apismith("generate", spec, "-o", work / "nochange", "--package", "pkg", "--quiet"))
        samples: dict[str, list[Sample]] = {name: [] for name in tools}
        for r in range(rounds):
            for name, run in tools.items():  # alternate: one of each per round
                samples[name].append(run(r))
                print(f"  {spec.name} round {r + 1}: {name} {samples[name][-1].cpu:.2f} s cpu",
                      file=sys.stderr, flush=True)
        return {name: median(s) for name, s in samples.items()}


Curve = list[tuple[int, float, Sample, Sample]]  # operations, MiB, one process, workers


def bench_graph(sizes: Sequence[int], rounds: int) -> Curve:
    sys.path.insert(0, str(HERE))
    import graphlike

    curve = []
    with tempfile.TemporaryDirectory(prefix="apismith-graph-") as tmp:
        for size in sizes:
            spec = Path(tmp) / f"graph{size}.json"
            spec.write_text(json.dumps(graphlike.document(size), indent=1), encoding="utf-8")
            mib = spec.stat().st_size / 2**20
            # in one process (-j 1): its peak RSS is then the whole footprint
            samples = [measure(apismith("generate", spec, "-o", Path(tmp) / f"out{size}-{r}",
                                        "--package", "graph", "--quiet", "-j", "1"))
                       for r in range(rounds)]
            workers = [measure(apismith("generate", spec, "-o", Path(tmp) / f"par{size}-{r}",
                                        "--package", "graph", "--quiet")) for r in range(rounds)]
            curve.append((size, mib, median(samples), median(workers)))
            print(f"  graph {size} ops: {curve[-1][2].cpu:.2f} s cpu, {curve[-1][3].wall:.2f} s wall "
                  "with workers", file=sys.stderr, flush=True)
    return curve


def ratio(a: Sample | None, b: Sample | None) -> str:
    if a is None or b is None or not (a.ok and b.ok) or b.cpu == 0:
        return "n/a"
    return f"{a.cpu / b.cpu:.2f}"


def report(results: dict[str, dict[str, Sample]], curve: Curve) -> str:
    lines = ["| document | tool | CPU s | wall s | peak MiB | CPU ÷ floor | CPU ÷ apismith |",
             "|---|---|---:|---:|---:|---:|---:|"]
    verdicts = []
    for spec, tools in results.items():
        floor, ours = tools.get("floor"), tools.get("apismith")
        for name, s in tools.items():
            flag = "" if s.ok else " (failed)"
            lines.append(f"| {spec} | {name}{flag} | {s.cpu:.2f} | {s.wall:.2f} | {s.rss_mib:.0f} "
                         f"| {ratio(s, floor)} | {ratio(s, ours)} |")
        if spec.startswith("api.github.com") and floor and ours:
            peer = tools.get("openapi-python-client")
            for clock in ("cpu", "wall"):
                mine, low = getattr(ours, clock), getattr(floor, clock)
                theirs = getattr(peer, clock) if peer is not None and peer.ok else None
                verdicts.append(_verdict(
                    f"GitHub: apismith ≥ 5x faster than openapi-python-client ({clock})",
                    theirs is not None and theirs >= 5 * mine,
                    f"{theirs / mine:.1f}x" if theirs is not None and mine else "n/a"))
                verdicts.append(_verdict(f"GitHub: apismith within 3x of the floor ({clock})",
                                         mine <= 3 * low, f"{mine / low:.2f}x"))
            for name in ("no-change generate", "no-change check"):
                s = tools[name]
                verdicts.append(_verdict(f"GitHub: {name} within 1.5x of the floor",
                                         s.ok and s.cpu <= 1.5 * floor.cpu, f"{s.cpu / floor.cpu:.2f}x"))
    if curve:
        lines += ["", "| Graph-like operations | MiB | CPU s | wall s | peak MiB | CPU ms / operation "
                  "| wall s, workers |", "|---:|---:|---:|---:|---:|---:|---:|"]
        for size, mib, s, w in curve:
            lines.append(f"| {size} | {mib:.1f} | {s.cpu:.2f} | {s.wall:.2f} | {s.rss_mib:.0f} "
                         f"| {1000 * s.cpu / size:.2f} | {w.wall:.2f} |")
        size, _, largest, _ = curve[-1]
        verdicts.append(_verdict(f"Graph-like {size} operations: peak memory under 2 GiB",
                                 largest.ok and largest.rss_mib < 2048, f"{largest.rss_mib:.0f} MiB"))
        per_op = [s.cpu / n for n, _, s, _ in curve]
        verdicts.append(_verdict("Graph-like: time grows no worse than linearly",
                                 per_op[-1] <= 1.25 * min(per_op),
                                 f"{1000 * per_op[0]:.2f} → {1000 * per_op[-1]:.2f} ms per operation"))
    return "\n".join([*lines, "", *verdicts])


def _verdict(target: str, met: bool, value: str) -> str:
    return f"- {'met' if met else 'NOT met'}: {target} ({value})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", type=Path, help="documents (default: GitHub, Stripe, Bitbucket)")
    parser.add_argument("--install-peers", action="store_true", help="install the peers first")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="one round, smaller Graph-like curve")
    parser.add_argument("--no-graph", action="store_true", help="skip the Graph-like memory/scaling run")
    parser.add_argument("--all-peers", action="store_true",
                        help="also run datamodel-code-generator on documents over 5 MiB")
    args = parser.parse_args()
    global ALL_PEERS
    ALL_PEERS = args.all_peers
    if args.install_peers:
        install_peers()
    rounds = 1 if args.quick else args.rounds
    specs = args.specs or [CORPUS / s for s in DEFAULT_SPECS if (CORPUS / s).exists()]
    if not specs:
        print(f"no documents: pass SPECs, or put the corpus at {CORPUS}", file=sys.stderr)
    results = {spec.name: bench_spec(spec, rounds) for spec in specs}
    sizes = GRAPH_SIZES[:2] if args.quick else GRAPH_SIZES
    curve = [] if args.no_graph else bench_graph(sizes, rounds)
    print(report(results, curve))


if __name__ == "__main__":
    main()
