"""The generated client's cost, side by side with a hand-written httpx call.

1. Call overhead: `client.pets.list_pets(limit=20)` of a generated sync client against a
   local server (its own process), versus a hand-written `httpx.Client.get(...)` doing the
   same request and the same Pydantic parsing (`TypeAdapter(list[Pet]).validate_json`),
   on the same `httpx.Client`. Alternating rounds; the median per-call CPU and wall time of
   each, and their ratio (target: at most 1.2).
2. Import time: `import PKG.client` in a fresh interpreter (median CPU and wall), for
   packages already generated (`--import DIR:PKG`, repeatable), e.g. GitHub's and Stripe's.

    python benchmarks/client_bench.py [--rounds 5] [--calls 300] [--import DIR:PKG ...]

No assertions: machines are noisy. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "fixtures" / "client.openapi.yaml"
PETS = [{"id": i, "name": f"pet {i}", "age": i % 7, "tags": ["a", "b"]} for i in range(20)]
SERVER = """
import json, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
body = json.dumps(json.loads(sys.argv[1]))
async def pets(request):
    return Response(body, media_type="application/json")
app = Starlette(routes=[Route("/pets", pets)])
config = uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
uvicorn.Server(config).run()
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _serve() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, json.dumps(PETS), str(port)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/pets")
            return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the benchmark server did not start")


def _measure(call: Callable[[], Any], calls: int) -> tuple[float, float]:
    """(CPU, wall) seconds per call."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    return (time.process_time() - cpu) / calls, (time.perf_counter() - wall) / calls


def overhead(rounds: int, calls: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        for path, text in generate(SPEC, "bench_pkg").files.items():
            (Path(out) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(out) / path).write_text(text)
        sys.path.insert(0, out)
        client_module: Any = importlib.import_module("bench_pkg.client")
        models: Any = importlib.import_module("bench_pkg.models")
        process, url = _serve()
        try:
            with httpx.Client(base_url=url) as http:
                generated = client_module.Client(http_client=http, retry=None)
                pets = pydantic.TypeAdapter(list[models.Pet])

                def by_hand() -> Any:
                    response = http.get("/pets", params={"limit": 20})
                    response.raise_for_status()
                    return pets.validate_json(response.content)

                def by_client() -> Any:
                    return generated.pets.list_pets(limit=20)

                assert by_hand() == by_client()
                _measure(by_hand, calls // 5), _measure(by_client, calls // 5)  # warm up
                hand: list[tuple[float, float]] = []
                ours: list[tuple[float, float]] = []
                for _ in range(rounds):
                    hand.append(_measure(by_hand, calls))
                    ours.append(_measure(by_client, calls))
        finally:
            process.kill()
    print(f"call overhead: median of {rounds} rounds x {calls} calls (per call)")
    print(f"{'':22} {'CPU µs':>10} {'wall µs':>10}")
    rows = {"hand-written httpx": hand, "generated client": ours}
    medians = {}
    for name, samples in rows.items():
        cpu = statistics.median(s[0] for s in samples) * 1e6
        wall = statistics.median(s[1] for s in samples) * 1e6
        medians[name] = (cpu, wall)
        print(f"{name:22} {cpu:10.1f} {wall:10.1f}")
    (hand_cpu, hand_wall), (our_cpu, our_wall) = medians.values()
    print(f"{'ratio':22} {our_cpu / hand_cpu:10.2f} {our_wall / hand_wall:10.2f}")


def import_time(folder: str, package: str, runs: int) -> None:
    code = (
        "import time; c = time.process_time(); w = time.perf_counter()\n"
        f"import {package}.client\n"
        "print(time.process_time() - c, time.perf_counter() - w)"
    )
    samples = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], cwd=folder, check=True,
                                capture_output=True, text=True)
        cpu, wall = (float(x) for x in result.stdout.split())
        samples.append((cpu, wall))
    cpu = statistics.median(s[0] for s in samples)
    wall = statistics.median(s[1] for s in samples)
    print(f"import {package}.client: CPU {cpu:.3f} s, wall {wall:.3f} s (median of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--import", dest="imports", action="append", default=[],
                        metavar="DIR:PKG", help="a generated package to time `import PKG.client` of")
    args = parser.parse_args()
    overhead(args.rounds, args.calls)
    for item in args.imports:
        folder, _, package = item.rpartition(":")
        import_time(folder, package, max(3, args.rounds))


if __name__ == "__main__":
    main()
