"""User template folders: overriding by file name, template variables, black formatting of
overridden output, and autoescape-by-context (spec text cannot reach code unescaped)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import apismith
from generator.options import Options
from generator.render.overrides import TemplateProblem

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "tests/fixtures/features.openapi.yaml"
HOSTILE = 'x"""\nimport os; os.system("echo pwned")  # \\'


def hostile_spec(folder: Path) -> Path:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": HOSTILE,
                    "properties": {"a": {"type": "string", "description": HOSTILE}},
                }
            }
        },
    }
    path = folder / "api.json"
    path.write_text(json.dumps(document))
    return path


def templates(folder: Path, files: dict[str, str]) -> Path:
    root = folder / "templates"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    root.mkdir(exist_ok=True)
    return root


def generate(spec: Path, folder: Path, **options: object) -> dict[str, str]:
    return pipeline.generate(spec, "pkg", options=Options(templates=folder, **options)).files  # type: ignore[arg-type]


def test_builtin_templates_render_the_same_under_strict_escaping(tmp_path: Path) -> None:
    """With an empty folder every built-in template renders in the strict mode, unchanged."""
    plain = pipeline.generate(FEATURES, "pkg").files
    assert generate(FEATURES, templates(tmp_path, {})) == plain


def test_override_by_name_with_vars_and_black(tmp_path: Path) -> None:
    header = (
        '"""{{ summary }}\n\nCopyright {{ vars.owner|docstring }}, {{ vars.year }}.\n"""\n'
        "__licence__={{ vars.licence|pystr }}\n"  # not black's layout: black fixes it
    )
    folder = templates(tmp_path, {"_header.j2": header})
    files = generate(
        FEATURES, folder,
        template_vars=(("licence", "MIT"), ("owner", 'Ada "the" Lovelace'), ("year", 2026)),
    )
    models = files["pkg/models.py"]
    assert 'Copyright Ada "the" Lovelace, 2026.\n"""\n\n__licence__ = "MIT"\n' in models
    assert models.startswith('"""Pydantic models for ')
    assert "Copyright" in files["pkg/client/_client.py"]  # every file includes the header
    ast.parse(models)


def test_override_of_one_file(tmp_path: Path) -> None:
    folder = templates(tmp_path, {"client/errors.py.j2": "X=1\n"})
    files = generate(FEATURES, folder)
    assert files["pkg/client/errors.py"] == "X = 1\n"
    assert files["pkg/models.py"] == pipeline.generate(FEATURES, "pkg").files["pkg/models.py"]


@pytest.mark.parametrize(
    "expression",
    [
        "{{ model.description }}",
        "{{ 'x' ~ model.description }}",
        "{{ model.description|upper }}",
        "{{ [model.description]|join(', ') }}",
        "{{ '%s'|format(model.description) }}",
        "{{ vars.evil }}",
        "{% set d = model.description %}{{ d }}",
        "{% with summary = model.description %}{% include '_header.j2' %}{% endwith %}",
    ],
)
def test_unescaped_spec_text_is_refused(tmp_path: Path, expression: str) -> None:
    template = "{% for model in api.models %}\n" + expression + "\n{% endfor %}\n"
    folder = templates(tmp_path, {"models.py.j2": template})
    with pytest.raises(TemplateProblem, match=r"without escaping; pass it through"):
        generate(hostile_spec(tmp_path), folder, template_vars=(("evil", HOSTILE),))


def test_escaped_spec_text_is_safe(tmp_path: Path) -> None:
    template = (
        "{% for model in api.models %}\n"
        "# {{ model.description|comment }}\n"
        "DESCRIPTION = {{ model.description|pystr }}\n"
        "def f() -> None:\n"
        '    """{{ model.description|docstring("    ", True, True) }}"""\n'
        "{% endfor %}\n"
    )
    folder = templates(tmp_path, {"models.py.j2": template})
    models = generate(hostile_spec(tmp_path), folder)["pkg/models.py"]
    tree = ast.parse(models)
    assert not any(isinstance(node, ast.Import | ast.Call) for node in ast.walk(tree))
    namespace: dict[str, object] = {}
    exec(compile(tree, "models.py", "exec"), namespace)
    assert namespace["DESCRIPTION"] == HOSTILE


def test_template_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = hostile_spec(tmp_path)
    folder = templates(tmp_path, {"models.py.j2": "{% for x in %}\n"})
    out = tmp_path / "out"
    (tmp_path / "apismith.toml").write_text(
        f'[[targets]]\nspec = "api.json"\noutput = "out"\ntemplates = "{folder.name}"\n'
    )
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(apismith, ["generate", str(spec)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("apismith: error: ") and "models.py.j2:1:" in line
    assert not out.exists()
    (folder / "models.py.j2").write_text("{{ api.models[0].description }}\n")
    refused = runner.invoke(apismith, ["generate", str(spec)])
    assert refused.exit_code == 1
    [line] = refused.stderr.splitlines()  # the hostile text is shown as a one-line repr
    assert "template models.py.j2: " in line and "without escaping" in line
