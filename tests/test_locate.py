"""Line:column of JSON pointers, checked against positions PyYAML's node tree gives."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.front import locate
from generator.front.load import line_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"

Parts = tuple[str, ...]


def reference(text: str) -> dict[Parts, tuple[int, int]]:
    """Every node's position from a composed node tree: members at their key."""
    found: dict[Parts, tuple[int, int]] = {}

    def walk(node: yaml.Node, parts: Parts) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = (*parts, str(key.value))
                found.setdefault(here, (key.start_mark.line + 1, key.start_mark.column + 1))
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                here = (*parts, str(i))
                found[here] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, here)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    walk(root, ())
    return found


DOCUMENT = {
    "openapi": "3.1.0",
    "paths": {
        "/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}, {"name": "q"}]}},
        "/b~c": {"post": {"responses": {"200": {"description": "ok"}}}},
    },
    "components": {
        "schemas": {
            "Ünï": {"type": "object", "properties": {"a\"b": {"type": "string"}}},
            "List": {"type": "array", "items": [1, [2, {"deep": True}], "x"]},
            "Empty": {},
            "Nulls": {"enum": [None, False, 1.5e3, "é"]},
        }
    },
}


def texts() -> Iterator[tuple[str, str]]:
    yield "json-indented", json.dumps(DOCUMENT, indent=2)
    yield "json-ascii", json.dumps(DOCUMENT, indent=1, ensure_ascii=True)
    yield "json-compact", json.dumps(DOCUMENT, separators=(",", ":"))
    yield "json-spaced", json.dumps(DOCUMENT, indent=3).replace(": ", " :  ").replace(",", " ,")
    yield "yaml-block", yaml.safe_dump(DOCUMENT, allow_unicode=True, sort_keys=False)
    yield "yaml-flow", yaml.safe_dump(DOCUMENT, default_flow_style=True, width=60)
    yield "yaml-fixture", (FIXTURES / "features.openapi.yaml").read_text("utf-8")


@pytest.mark.parametrize(("name", "text"), list(texts()))
def test_every_pointer_matches_the_node_tree(name: str, text: str) -> None:
    expected = reference(text)
    found = locate.Positions(text, expected)
    assert found.found == expected


@pytest.mark.parametrize(("name", "text"), list(texts()))
def test_a_few_pointers_and_missing_ones(name: str, text: str) -> None:
    expected = reference(text)
    chosen = random.Random(name).sample(sorted(expected), 5)
    missing = [(*chosen[0], "nope"), ("nope",), (*chosen[1], "9999")]
    found = locate.Positions(text, [*chosen, *missing])
    for parts in chosen:
        assert found.exact(parts) == expected[parts]
    for parts in missing:
        assert found.exact(parts) is None
        assert found.nearest(parts) == expected[parts[:-1]]


def test_unreadable_or_broken_text_finds_nothing(tmp_path: Path) -> None:
    assert locate.positions(tmp_path / "absent.json", [("a",)]).exact(("a",)) is None
    broken = locate.Positions('{"a": {"b": [1, 2', [("a", "b", "1"), ("z",)])
    assert broken.exact(("a", "b", "1")) == (1, 17)
    assert broken.exact(("z",)) is None
    assert locate.Positions("a: [1, 2\nb: {", [("b",)]).exact(("b",)) is None


def test_line_of_uses_the_nearest_ancestor(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("\ufeffopenapi: 3.1.0\npaths:\n  /x:\n    get: {}\n", encoding="utf-8")
    assert line_of(spec, ["paths", "/x", "get"]) == 4
    assert line_of(spec, ["paths", "/x", "get", "responses"]) == 4
    assert line_of(spec, ["nope"]) == 1


SPEC_WITH_WARNINGS = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Odd:
      type: object
      properties:
        n:
          type: string
          default: 5
    Flagged: {oneOf: [{type: integer}], discriminator: {propertyName: kind}}
"""


def test_generated_warnings_carry_line_and_column(tmp_path: Path) -> None:
    from generator.pipeline import generate

    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC_WITH_WARNINGS, encoding="utf-8")
    located = {d.pointer: (d.line, d.column) for d in generate(spec, "pkg").diagnostics}
    assert located["/components/schemas/Odd/properties/n"] == (9, 9)
    assert located["/components/schemas/Flagged"] == (12, 5)


def test_fatal_errors_carry_line_and_column(tmp_path: Path) -> None:
    from generator.diagnostics import SpecError
    from generator.pipeline import generate

    spec = tmp_path / "spec.json"
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/nope"}}}}}}
    spec.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    expected = next(i for i, ln in enumerate(spec.read_text().splitlines(), 1) if "$ref" in ln)
    assert (caught.value.diagnostic.line, caught.value.diagnostic.column) == (expected, 13)
