"""Over every corpus document (slow): models.py has one class or alias per component schema,
imports, validates on first use, and no construct the models support is warned about."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import ir
from generator.builder import build
from generator.diagnostics import SpecError
from generator.front import load, normalize, parse, resolve
from generator.render.files import render
from tests.test_corpus import CORPUS as _DEFAULT_CORPUS
from tests.test_corpus import REFUSED

#: The shared corpus beside the checkout (or where APISMITH_CORPUS points).
CORPUS = Path(os.environ.get("APISMITH_CORPUS", str(_DEFAULT_CORPUS)))


def _documents() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["file"] for row in rows]  # every document, GitHub and Stripe included


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent"),
]
#: Constructs the models enforce: a warning naming one of them is a regression.
SUPPORTED = ("not", "uniqueItems", "minProperties", "maxProperties", "dependentRequired", "if", "then",
             "else", "patternProperties", "const", "contains", "propertyNames", "discriminator not enforced")


@pytest.mark.parametrize("name", [n for n in _documents() if n not in REFUSED])
def test_models_cover_every_component_schema_and_import(name: str, tmp_path: Path) -> None:
    spec = CORPUS / name
    try:
        document = resolve.resolve(spec, load.load_document(spec))
        document, _ = normalize.normalize(spec, document)
        api, diagnostics = build(spec, parse.parse(spec, document))
    except SpecError as error:
        pytest.fail(str(error))
    components = list((document.get("components") or {}).get("schemas") or {})
    named = {m.wire_name: m for m in api.models if m.pointer.startswith("/components/schemas/")}
    assert [c for c in components if c not in named] == []
    for diagnostic in diagnostics:
        if "not enforced yet" in diagnostic.message:
            keywords = diagnostic.message.split(":", 1)[1].replace(",", " ").split()
            assert not set(keywords) & set(SUPPORTED), str(diagnostic)
        assert "discriminator not enforced" not in diagnostic.message
    files = render(api, "pkg", frozenset({"models"}))
    for path, text in files.items():  # models.py, or models/ for a large API
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    classes = [m.name for m in api.models if isinstance(m, ir.ObjectModel)][:50]
    code = (
        "import pkg.models as m\n"
        f"for name in {classes!r}:\n"
        "    getattr(m, name).model_json_schema()  # builds (and resolves) the deferred model\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
