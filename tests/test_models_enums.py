"""Open enums (`enums = "open"`): unknown values are kept, known members stay typed."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pydantic
import pytest
from click.testing import CliRunner

from generator.cli import apismith
from generator.config import ConfigError, load_targets
from generator.options import Options
from tests.models_support import document, generate_models

SCHEMAS: dict[str, Any] = {
    "Color": {"type": "string", "enum": ["red", "green"]},
    "Level": {"type": "integer", "enum": [1, 2]},
    "Paint": {
        "type": "object",
        "properties": {
            "color": {"$ref": "#/components/schemas/Color"},
            "level": {"$ref": "#/components/schemas/Level"},
            "finish": {"type": "string", "enum": ["matte", "gloss"]},
        },
    },
}


def test_strict_enums_reject_unknown_values(tmp_path: Path) -> None:
    m, _, _ = generate_models(tmp_path, SCHEMAS)
    assert m.Paint.model_validate({"color": "red"}).color is m.Color.RED
    for bad in ({"color": "blue"}, {"level": 3}, {"finish": "satin"}):
        with pytest.raises(pydantic.ValidationError):
            m.Paint.model_validate(bad)


def test_open_enums_keep_unknown_values_and_type_known_ones(tmp_path: Path) -> None:
    m, _, _ = generate_models(tmp_path, SCHEMAS, options=Options(enums="open"))
    known = m.Paint.model_validate({"color": "red", "level": 1, "finish": "matte"})
    assert known.color is m.Color.RED and known.level is m.Level.V1
    data = {"color": "blue", "level": 3, "finish": "satin"}
    paint = m.Paint.model_validate_json(pydantic.TypeAdapter(Any).dump_json(data))
    assert isinstance(paint.color, m.Color) and paint.color == "blue" and paint.color.value == "blue"
    assert isinstance(paint.level, m.Level) and paint.level == 3
    assert paint.finish == "satin"
    assert paint.model_dump(mode="json", by_alias=True, exclude_unset=True) == data
    assert list(m.Color) == [m.Color.RED, m.Color.GREEN]  # unknown values are not members
    assert isinstance(m.Color.RED, enum.Enum)
    with pytest.raises(pydantic.ValidationError):  # still typed: an int is no Color
        m.Paint.model_validate({"color": 5})
    with pytest.raises(pydantic.ValidationError):
        m.Paint.model_validate({"level": "x"})


def test_enums_option_from_config_and_cli(tmp_path: Path) -> None:
    import json

    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document(SCHEMAS)), encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[[tool.apismith.targets]]\nspec = "api.json"\noutput = "out"\nenums = "open"\n', encoding="utf-8"
    )
    assert load_targets(pyproject)[0].options.enums == "open"
    pyproject.write_text(
        '[[tool.apismith.targets]]\nspec = "api.json"\noutput = "out"\nenums = "loose"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="enums"):
        load_targets(pyproject)
    runner = CliRunner()
    result = runner.invoke(apismith, ["generate", str(spec), "-o", str(tmp_path / "cli"), "--only", "models", "--enums", "open"])
    assert result.exit_code == 0, result.output
    assert "def _missing_" in (tmp_path / "cli" / "api" / "models.py").read_text(encoding="utf-8")
    result = runner.invoke(apismith, ["check", str(spec), "-o", str(tmp_path / "cli"), "--only", "models", "--enums", "open"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(apismith, ["check", str(spec), "-o", str(tmp_path / "cli"), "--only", "models"])
    assert result.exit_code == 1
    assert runner.invoke(apismith, ["generate", str(spec), "--enums", "loose"]).exit_code == 2
