"""Time apismith against datamodel-code-generator on the same documents, side by side.

Reports seconds and the ratio (apismith / datamodel-codegen) per document. Models only on the
peer's side, everything (models, client, server) on ours. No assertions: machines are noisy.

    python benchmarks/generate_bench.py [SPEC ...]   # default: a few corpus documents
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.pipeline import generate

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
DEFAULT = [
    "oai-examples/v3.0/petstore-expanded.yaml",
    "fastapi-apps/full-stack-fastapi-template-pr2448.openapi.json",
    "apis-guru/apache.org__airflow.json",
    "apis-guru/bitbucket.org.json",
]


def _ours(spec: Path) -> float:
    start = time.perf_counter()
    generate(spec, "pkg")
    return time.perf_counter() - start


def _peer(spec: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "datamodel_code_generator", "--input", str(spec),
             "--input-file-type", "openapi", "--output", f"{out}/models.py",
             "--output-model-type", "pydantic_v2.BaseModel"],
            check=False, capture_output=True,
        )
        return time.perf_counter() - start


def main() -> None:
    specs = [Path(a) for a in sys.argv[1:]] or [CORPUS / name for name in DEFAULT]
    print(f"{'document':60} {'apismith':>9} {'dmcg':>9} {'ratio':>7}")
    for spec in specs:
        ours, peer = _ours(spec), _peer(spec)
        print(f"{spec.name[:60]:60} {ours:9.2f} {peer:9.2f} {ours / peer:7.2f}")


if __name__ == "__main__":
    main()
