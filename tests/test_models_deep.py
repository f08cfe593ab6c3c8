"""A 150-level chain of models imports and validates in a fresh process at Python's default
recursion limit: the generated `_Model` builds the chain bottom-up on first use."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from generator.render.pycode import DEEP_BUILD
from tests.models_support import document

LEVELS = 150


def chain(levels: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for i in range(levels):
        props: dict[str, Any] = {"v": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}
        if i + 1 < levels:  # through an array and an alias every few levels, else a plain $ref
            target = {"$ref": f"#/components/schemas/{'Alias' if i % 7 == 3 else 'M'}{i + 1}"}
            props["child"] = {"type": "array", "items": target} if i % 5 == 2 else target
        schemas[f"M{i}"] = {"type": "object", "required": ["v"], "properties": props}
        if i % 7 == 3 and i + 1 < levels:
            schemas[f"Alias{i + 1}"] = {"$ref": f"#/components/schemas/M{i + 1}"}
    return schemas


CHECK = textwrap.dedent(
    """
    import json, sys
    import pydantic
    from deep import models
    assert sys.getrecursionlimit() == 1000
    levels = int(sys.argv[1])
    instance = json.loads(sys.stdin.read())
    if sys.argv[2] == "adapter":  # first use through a TypeAdapter, as the client and server do
        pydantic.TypeAdapter(list[models.M0]).validate_python([instance])
    model = models.M0.model_validate(instance)
    assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == instance
    node, depth = model, 1
    while "child" in node.model_fields_set:
        node = node.child[0] if isinstance(node.child, list) else node.child
        depth += 1
    assert depth == levels, depth
    try:
        models.M0.model_validate({"v": 0, "child": {"v": "x"}})
    except Exception as error:
        assert type(error).__name__ == "ValidationError", error
    else:
        raise AssertionError("accepted a bad instance")
    print("ok")
    """
)


def instance(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {"v": 0}
    node = root
    for i in range(1, levels):
        child: dict[str, Any] = {"v": i, "tags": [str(i)]}
        node["child"] = [child] if (i - 1) % 5 == 2 else child
        node = child
    return root


@pytest.mark.parametrize("first_use", ["model", "adapter"])
def test_a_150_level_chain_validates_at_the_default_recursion_limit(tmp_path: Path, first_use: str) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text(json.dumps(document(chain(LEVELS))), encoding="utf-8")
    generated = generate(spec, "deep", frozenset({"models"}))
    for rel, text in generated.files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    source = generated.files["deep/models.py"]
    assert "_BUILD_FIRST" in source and "setrecursionlimit" not in source
    result = subprocess.run([sys.executable, "-W", "error", "-c", CHECK, str(LEVELS), first_use], input=json.dumps(instance(LEVELS)),
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


def test_shallow_documents_get_no_build_table(tmp_path: Path) -> None:
    spec = tmp_path / "shallow.json"
    spec.write_text(json.dumps(document(chain(DEEP_BUILD - 1))), encoding="utf-8")
    source = generate(spec, "shallow", frozenset({"models"})).files["shallow/models.py"]
    assert "_BUILD_FIRST" not in source and "_BUILDING" not in source
