"""The shapes models.py emits (keyword checks, tagged unions, open enums, exact descriptions)
are black-stable by construction: black changes nothing but lines over 88 characters (the
layout pass's job)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from generator.builder import build
from generator.front import load, normalize, parse, resolve
from generator.options import Options
from generator.render.files import render
from tests.models_support import document
from tests.test_models_discriminators import SCHEMAS
from tests.test_models_faithful import CONSTRUCTS
from tests.test_models_keywords import CASES

black = pytest.importorskip("black")


@pytest.mark.parametrize("enums", ["strict", "open"])
def test_every_model_shape_is_what_black_prints(tmp_path: Path, enums: str) -> None:
    schemas = {**CONSTRUCTS, **{k: v[0] for k, v in CASES.items()}, **SCHEMAS}
    schemas["Described"] = {"type": "object", "description": 'a\rb "q"', "properties": {"p": {"type": "string"}}}
    schemas["Color"] = {"type": "string", "enum": ["red", "green"]}
    schemas["Shade"] = {"type": "string", "enum": ["dark"], "description": "  a\tb\r\n  " + "long " * 30}
    spec = tmp_path / "shapes.json"
    spec.write_text(json.dumps(document(schemas)), encoding="utf-8")
    doc, _ = normalize.normalize(spec, resolve.resolve(spec, load.load_document(spec)))
    options = Options(enums=enums)  # type: ignore[arg-type]
    api, _ = build(spec, parse.parse(spec, doc), options)
    text = render(api, "pkg", frozenset({"models"}), options)["pkg/models.py"]
    good = black.format_str(text, mode=black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88))
    ours, theirs = text.splitlines(), good.splitlines()
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    changed = [
        (ours[i1:i2], theirs[j1:j2])
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal" and not any(len(line) > 88 for line in ours[i1:i2])
    ]
    assert changed == []
