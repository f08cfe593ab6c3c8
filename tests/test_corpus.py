"""Conformance over ../shared/corpus: every OpenAPI 3.x document generates, compiles and imports;
documents that cannot be generated from fail with a clear one-line error. The generated packages
pass mypy --strict and ruff like the committed example."""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.pipeline import generate

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
#: Documents that must be refused, with a fragment of the expected message.
REFUSED = {
    "oai-examples/v2.0/petstore.yaml": "Swagger 2.0 is not supported",
    "oai-examples/v2.0/uber.yaml": "Swagger 2.0 is not supported",
    "openapi-python-client/documents_with_errors/missing-body-ref.yaml": "points at nothing",
}
#: Larger than this, a document is left to the benchmark (generation takes minutes with black).
MAX_BYTES = 2_000_000


def _documents() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["file"] for row in rows if int(row["bytes"]) <= MAX_BYTES]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent"),
]


@pytest.mark.parametrize("name", _documents())
def test_document_generates_and_imports(name: str, tmp_path: Path) -> None:
    spec = CORPUS / name
    if name in REFUSED:
        with pytest.raises(SpecError) as info:
            generate(spec, "pkg")
        message = str(info.value)
        assert "\n" not in message and REFUSED[name] in message and spec.name in message
        return
    generated = generate(spec, "pkg")
    for path, text in generated.files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if path.endswith(".py"):
            compile(text, path, "exec")
    for diagnostic in generated.diagnostics:
        assert diagnostic.pointer.startswith("/") and "\n" not in str(diagnostic)
    # Build the app (every route) and its OpenAPI document with a stand-in implementation.
    code = (
        "import pkg.models, pkg.client, pkg.server\n"
        "class Stub:  # provides every operation and security handler\n"
        "    def __getattr__(self, name): return lambda **kw: None\n"
        "pkg.server.create_app(Stub()).openapi()"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    for check in _CHECKS:
        result = subprocess.run([*check, "pkg"], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


#: Every generated package type-checks and lints as the committed example does.
_CHECKS = [
    [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(Path(tempfile.gettempdir()) / "apismith-mypy")],
    [sys.executable, "-m", "ruff", "check", "--config", str(Path(__file__).resolve().parent.parent / "pyproject.toml"),
     "--extend-ignore", "RUF001,RUF002,RUF003"],
]
