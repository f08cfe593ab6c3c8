"""Resource bounds: alias bombs, inlining bombs, deep nesting and deep `$ref` chains end in
one clear line naming the limit (or a bounded result), never a traceback or a hang.

Nothing here measures time: each input would blow up (billions of nodes, RecursionError)
without its bound, and the tests assert the bound's own error or count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import SpecError
from generator.front import bounds, resolve
from generator.front.load import load_document
from generator.pipeline import generate

HEAD = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def laughs(levels: int, width: int = 9) -> str:
    text = "openapi: 3.1.0\ninfo: {title: Lol, version: '1'}\npaths: {}\n"
    text += "x-a: &a [" + ", ".join(["lol"] * width) + "]\n"
    previous = "a"
    for name in "bcdefghijklmnop"[:levels]:
        text += f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]\n"
        previous = name
    return text


def naive_count(node: Any) -> int:
    """Nodes once expanded, counted the slow way (for small documents only)."""
    if isinstance(node, dict):
        return 1 + sum(naive_count(v) for v in node.values())
    if isinstance(node, list):
        return 1 + sum(naive_count(v) for v in node)
    return 1


def one_line_error(spec: Path) -> str:
    with pytest.raises(SpecError) as caught:
        generate(spec, "pkg")
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_expansion_is_measured_exactly_without_expanding() -> None:
    document = yaml.safe_load(laughs(3))
    assert bounds.check_expansion(document) == naive_count(document)
    assert naive_count(document) > 7000  # 9**4 leaves from 4 lines


def test_expansion_bound_stops_before_the_expanded_size() -> None:
    document = yaml.safe_load(laughs(3))
    with pytest.raises(bounds.BoundError) as caught:
        bounds.check_expansion(document, max_added=1000)
    assert "1000 extra nodes" in str(caught.value)
    assert caught.value.pointer_parts[0].startswith("x-")


@pytest.mark.parametrize("levels", [8, 12])
def test_billion_laughs_is_refused_at_load(tmp_path: Path, levels: int) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(laughs(levels))
    assert spec.stat().st_size < 2048  # 9**9 and 9**13 leaves once expanded
    message = one_line_error(spec)
    assert "bomb.yaml:" in message and "YAML aliases" in message
    assert f"{bounds.MAX_ALIAS_NODES} extra nodes" in message
    assert "[/x-" in message  # the pointer of the subtree that passed the bound


def test_small_alias_use_is_kept(tmp_path: Path) -> None:
    """Ordinary anchors (a shared schema) stay well under the bound and generate."""
    spec = tmp_path / "anchors.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: &shared {type: object, properties: {n: {type: string, description: kept}}}\n"
        "    B: *shared\n"
    )
    models = generate(spec, "pkg").files["pkg/models.py"]
    assert "class A(_Model)" in models and "class B(_Model)" in models
    assert models.count('"kept"') == 2


@pytest.mark.parametrize("text", ["x-a: &a [1, *a]\n", "x-a: &a {b: {c: *a}}\n"])
def test_recursive_yaml_alias_is_a_clear_error(tmp_path: Path, text: str) -> None:
    spec = tmp_path / "cycle.yaml"
    spec.write_text("openapi: 3.1.0\n" + text)
    message = one_line_error(spec)
    assert "cycle" in message and "cycle.yaml:2:" in message and "[/x-a/" in message


def test_inlining_bomb_across_files_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """f0 refers 9 times to f1, which refers 9 times to f2, ...: 9**6 copies once inlined."""
    levels = 6
    for i in range(levels):
        item = {"$ref": f"f{i + 1}.json#/x"} if i + 1 < levels else {"type": "string"}
        (tmp_path / f"f{i}.json").write_text(json.dumps({"x": {"type": "array", "prefixItems": [item] * 9}}))
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps({**HEAD, "components": {"schemas": {"S": {"$ref": "f0.json#/x"}}}}))
    monkeypatch.setattr(resolve, "MAX_INLINED_NODES", 5000)
    message = one_line_error(spec)
    assert "5000 extra nodes once inlined" in message and ".json" in message


def test_deep_external_ref_chain_is_a_clear_error(tmp_path: Path) -> None:
    depth = 5000
    for i in range(depth):
        (tmp_path / f"f{i}.json").write_text(json.dumps({"$ref": f"f{i + 1}.json"}))
    (tmp_path / f"f{depth}.json").write_text(json.dumps({"type": "string"}))
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps({**HEAD, "components": {"schemas": {"S": {"$ref": "f0.json"}}}}))
    message = one_line_error(spec)
    assert f"more than {bounds.MAX_DEPTH} levels" in message and "counting $refs" in message


def test_deep_chain_of_external_components_is_a_clear_error(tmp_path: Path) -> None:
    depth = 5000
    for i in range(depth):
        target = {"$ref": f"c{i + 1}.json#/components/schemas/C{i + 1}"} if i + 1 < depth else {"type": "string"}
        (tmp_path / f"c{i}.json").write_text(json.dumps({"components": {"schemas": {f"C{i}": target}}}))
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps({**HEAD, "components": {"schemas": {"S": {"$ref": "c0.json#/components/schemas/C0"}}}}))
    message = one_line_error(spec)
    assert f"more than {bounds.MAX_DEPTH} levels" in message and "/components/schemas/C" in message


def test_deep_local_ref_chain_is_a_bounded_result(tmp_path: Path) -> None:
    """A0 → A1 → ... → A2000 (each a bare $ref): every alias is a type, none recurses."""
    depth = 2000
    schemas: dict[str, Any] = {f"A{i}": {"$ref": f"#/components/schemas/A{i + 1}"} for i in range(depth)}
    schemas[f"A{depth}"] = {"type": "string"}
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps({**HEAD, "components": {"schemas": schemas}}))
    files = generate(spec, "pkg").files  # so many models: a package of parts
    models = "\n".join(text for path, text in files.items() if path.startswith("pkg/models/"))
    assert f"A{depth}: TypeAlias = str" in models and "\nA0: TypeAlias = " in models


def test_deep_allof_chain_names_the_limit_and_a_pointer(tmp_path: Path) -> None:
    depth = 5000
    schemas: dict[str, Any] = {
        f"A{i}": {"allOf": [{"$ref": f"#/components/schemas/A{i + 1}"}], "properties": {f"p{i}": {"type": "string"}}}
        for i in range(depth)
    }
    schemas[f"A{depth}"] = {"type": "object"}
    spec = tmp_path / "allof.json"
    spec.write_text(json.dumps({**HEAD, "components": {"schemas": schemas}}))
    try:
        files = generate(spec, "pkg").files
        models = "\n".join(text for path, text in files.items() if path.startswith("pkg/models"))
    except SpecError as error:  # or a bounded result, should the builder stop recursing
        message = str(error)
        assert "\n" not in message and "nested too deeply" in message and "deeper than apismith follows" in message
        assert "[/components/schemas/A" in message
    else:
        assert f"class A{depth - 1}(A{depth})" in models


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("arrays.json", '{"openapi": "3.1.0",\n"x": ' + "[" * 5000 + "]" * 5000 + "}", 2),
        ("objects.json", '{"openapi": "3.1.0",\n"x": ' + '{"a":' * 5000 + "1" + "}" * 5000 + "}", 2),
        ("flow.yaml", "openapi: 3.1.0\nx: " + "[" * 5000 + "]" * 5000 + "\n", 2),
    ],
)
def test_very_deep_documents_name_the_limit_and_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    spec = tmp_path / name
    spec.write_text(text)
    message = one_line_error(spec)
    assert f"{name}:{line}:" in message
    assert "nested" in message and f"{bounds.MAX_DEPTH} levels" in message


def test_depth_just_past_the_limit_is_refused_with_its_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    depth = bounds.MAX_DEPTH
    # written as text: the test's own json module would run out of stack on this depth
    spec.write_text(json.dumps(HEAD)[:-1] + ', "x-deep": ' + "[" * depth + "]" * depth + "}")
    message = one_line_error(spec)
    assert f"more than {depth} levels" in message
    assert "/x-deep/" + "/".join(["0"] * (depth - 2)) in message


def test_depth_under_the_limit_generates(tmp_path: Path) -> None:
    depth = bounds.MAX_DEPTH - 10
    schema = '{"type": "array", "items": ' * (depth // 2) + '{"type": "string"}' + "}" * (depth // 2)
    spec = tmp_path / "deep.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, '
                    '"components": {"schemas": {"Deep": ' + schema + "}}}")
    assert "pkg/models.py" in generate(spec, "pkg").files


def test_loaded_json_is_not_expanded_or_copied(tmp_path: Path) -> None:
    """The expansion check only runs when the text may hold an alias (JSON never does)."""
    spec = tmp_path / "a.json"
    spec.write_text(json.dumps({**HEAD, "x": "*not-an-alias"}))
    assert not bounds.may_have_aliases(spec.read_text())
    assert load_document(spec)["x"] == "*not-an-alias"
    assert bounds.may_have_aliases("a: *x\n") and bounds.may_have_aliases("a: [*x]\n")
