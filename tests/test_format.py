"""The format step: the built-in layout equals black's output; the `formatter` option runs
the user's own black or ruff, with the project's line length, in generate and check."""

from __future__ import annotations

import builtins
from pathlib import Path

import black
import pytest
from click.testing import CliRunner

from generator import cli, pipeline
from generator.builder import build
from generator.front import load, normalize, parse, resolve
from generator.layout import format
from generator.layout.replay import layout
from generator.options import Options
from generator.render.files import render

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "specs" / "ondayzero-token.openapi.json"
FEATURES = REPO / "tests" / "fixtures" / "features.openapi.yaml"
MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def raw_files(spec: Path, options: Options | None = None) -> dict[str, str]:
    """The templates' output for `spec`, before any formatting."""
    document = resolve.resolve(spec, load.load_document(spec))
    document, _ = normalize.normalize(spec, document)
    api, _ = build(spec, parse.parse(spec, document))
    return render(api, "pkg", frozenset(pipeline.PARTS), options)


@pytest.mark.parametrize("spec", [SEED, FEATURES], ids=["seed", "features"])
def test_layout_equals_black_on_the_raw_output(spec: Path) -> None:
    for path, text in raw_files(spec).items():
        if path.endswith(".py") and text.strip():
            assert layout(text) == black.format_str(text, mode=MODE), path


@pytest.mark.parametrize("spec", [SEED, FEATURES], ids=["seed", "features"])
def test_generated_output_passes_black_check(spec: Path) -> None:
    for path, text in pipeline.generate(spec, "pkg").files.items():
        if path.endswith(".py"):
            assert black.format_str(text, mode=MODE) == text, path


def test_generation_does_not_import_black(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_black(name: str, *args: object, **kwargs: object) -> object:
        if name == "black" or name.startswith("black."):
            raise ImportError("black is not installed")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_black)
    files = pipeline.generate(SEED, "pkg").files
    assert files["pkg/models.py"].startswith('"""')


def test_docstring_closing_quotes_move_when_too_long() -> None:
    text = 'def f():\n    """Summary.\n\n    ' + "word " * 16 + 'end."""\n'
    assert layout(text) == black.format_str(text, mode=MODE)
    assert layout(text).endswith('end.\n    """\n')


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(table)
    return tmp_path


def test_black_formatter_uses_the_project_line_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, "[tool.black]\nline-length = 120\n"))
    files = pipeline.generate(SEED, "pkg", options=Options(formatter="black")).files
    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=120)
    raw = raw_files(SEED, Options(formatter="black"))
    for path, text in files.items():
        if path.endswith(".py") and text.strip():
            assert text == black.format_str(raw[path], mode=mode), path
    assert max(len(line) for line in files["pkg/client/oauth.py"].splitlines()) > 88


def test_ruff_formatter_uses_the_project_line_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ruff")
    monkeypatch.chdir(_project(tmp_path, "[tool.ruff]\nline-length = 100\n"))
    files = pipeline.generate(SEED, "pkg", options=Options(formatter="ruff")).files
    models = files["pkg/models.py"]
    assert max(len(line) for line in models.splitlines()) <= 100
    assert models != pipeline.generate(SEED, "pkg").files["pkg/models.py"]
    compile(models, "models.py", "exec")


def test_line_length_defaults_to_88(tmp_path: Path) -> None:
    assert format.line_length("black", _project(tmp_path, "[project]\nname = 'x'\n")) == 88
    assert format.line_length("ruff", _project(tmp_path, "[tool.ruff]\nline-length = 99\n")) == 99


def test_missing_formatter_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(format.shutil, "which", lambda name: None)
    monkeypatch.setattr(format.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(format.FormatterError, match=r"^formatter 'ruff' is not installed"):
        pipeline.generate(SEED, "pkg", options=Options(formatter="ruff"))
    result = CliRunner().invoke(cli.apismith, ["check", str(SEED), "--formatter", "ruff"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "apismith: error: formatter 'ruff' is not installed (pip install ruff)"
    )


def test_check_applies_the_same_formatter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path, "[tool.black]\nline-length = 100\n"))
    runner = CliRunner()
    args = [str(SEED), "-o", "out", "--package", "pkg", "--formatter", "black"]
    assert runner.invoke(cli.apismith, ["generate", *args]).exit_code == 0
    assert runner.invoke(cli.apismith, ["check", *args]).exit_code == 0
    stale = runner.invoke(cli.apismith, ["check", *args[:-2]])
    assert stale.exit_code == 1


def test_formatter_config_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(SEED.read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.apismith.targets]]\nspec = "api.json"\noutput = "out"\nformatter = "black"\n'
    )
    from generator.config import ConfigError, load_targets

    (target,) = load_targets(tmp_path / "pyproject.toml")
    assert target.options.formatter == "black"
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.apismith.targets]]\nspec = "api.json"\noutput = "out"\nformatter = "yapf"\n'
    )
    with pytest.raises(ConfigError, match="formatter: input should be 'none', 'black' or 'ruff'"):
        load_targets(tmp_path / "pyproject.toml")


@pytest.mark.parametrize("value", [1e20, 1.5e-7, 0.1, 123456789.0, -2.5e300])
def test_float_literals_are_spelled_as_black_prints_them(value: float) -> None:
    from generator.render.escape import pyliteral

    source = f"x = {pyliteral(value)}\n"
    assert black.format_str(source, mode=MODE) == source
    assert float(pyliteral(value)) == value


def test_docstring_ending_in_a_quote_when_too_long() -> None:
    text = 'class A:\n    """Summary.\n\n    see "' + "x" * 80 + '"."""\n\n    a: int\n'
    assert layout(text) == black.format_str(text, mode=MODE)
