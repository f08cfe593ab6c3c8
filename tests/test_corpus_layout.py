"""The layout pass over every corpus document (no size cap): each generated `.py` file is
exactly what the pinned black prints for it (`black --check` passes).

Slow: black itself takes minutes on the largest documents. One test per document, smallest
first, so `pytest -n 2` spreads them and the largest come last.
"""

from __future__ import annotations

import csv
import difflib
import os
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.pipeline import generate

#: The shared corpus beside the repository (APISMITH_CORPUS names another folder).
CORPUS = Path(
    os.environ.get(
        "APISMITH_CORPUS", Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    )
)


def _documents() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["file"] for row in sorted(rows, key=lambda row: int(row["bytes"]))]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent"),
]


@pytest.mark.parametrize("name", _documents())
def test_generated_python_is_what_black_prints(name: str) -> None:
    import black

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)
    try:
        files = generate(CORPUS / name, "pkg").files
    except SpecError:
        pytest.skip("not generated from (test_corpus checks the message)")
    differences = []
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            expected = black.format_str(text, mode=mode)
            if expected != text:
                diff = difflib.unified_diff(
                    expected.splitlines(), text.splitlines(), "black", path, n=1, lineterm=""
                )
                differences.append("\n".join(list(diff)[:40]))
    assert not differences, "\n".join(differences[:5])
