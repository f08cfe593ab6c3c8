"""Conformance over ../shared/corpus, every document whatever its size (GitHub and Stripe
included): each OpenAPI document generates all three parts, which compile, import, build
the FastAPI app, pass mypy --strict and ruff like the committed example; documents that
cannot be generated from fail with a clear one-line error.

One test per document (xdist spreads them, largest first); each generates once and runs
every check on that output; mypy runs once per document with a cache shared by all.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.output import write
from generator.pipeline import generate

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import conformance  # noqa: E402

#: The corpus beside the checkout; APISMITH_CORPUS names another folder.
CORPUS = Path(os.environ.get("APISMITH_CORPUS", REPO.parent / "shared" / "corpus"))
#: Documents that must be refused, with a fragment of the expected message.
REFUSED = {
    "openapi-python-client/documents_with_errors/missing-body-ref.yaml": "points at nothing",
}
MYPY_CACHE = Path(tempfile.gettempdir()) / "apismith-corpus-mypy"
TIMEOUT = 3600  # seconds per step: a hang guard for the largest documents, not a target


def _documents() -> list[str]:
    """Every document of the manifest, largest first (so parallel runs end together)."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["file"] for row in sorted(rows, key=lambda row: -int(row["bytes"]))]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent"),
]


@pytest.mark.parametrize("name", _documents())
def test_document_generates_and_passes_every_check(name: str, tmp_path: Path) -> None:
    spec = CORPUS / name
    if name in REFUSED:
        with pytest.raises(SpecError) as info:
            generate(spec, conformance.PACKAGE)
        message = str(info.value)
        assert "\n" not in message and REFUSED[name] in message and spec.name in message
        return
    generated = generate(spec, conformance.PACKAGE)
    for diagnostic in generated.diagnostics:
        assert "\n" not in str(diagnostic)
        # Every diagnostic names where: a pointer ("" for the whole document).
        assert diagnostic.pointer.startswith("/") or diagnostic.pointer == ""
    if name.startswith("oai-examples/v2.0/"):  # converted, and said so once
        assert [d.message for d in generated.diagnostics].count("Swagger 2.0 document converted to OpenAPI 3.0") == 1
    assert {f"{conformance.PACKAGE}/{part}/__init__.py" for part in ("client", "server")} <= generated.files.keys()
    write.write(tmp_path, conformance.PACKAGE, generated.files)
    row = conformance.check_output(
        tmp_path, conformance.Row(name), mypy=True, mypy_cache=MYPY_CACHE, timeout=TIMEOUT
    )
    assert (row.compile, row.imports, row.create_app, row.mypy) == ("ok",) * 4, row.detail
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"),
         "--extend-ignore", "RUF001,RUF002,RUF003", conformance.PACKAGE],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
