"""Configuration: apismith.toml, validation messages, the shipped JSON Schema, --target,
command-line overrides and the exact command the stale-output hint prints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import apismith
from generator.config import ConfigError, find_config, load, load_targets
from generator.config import model as config_model
from generator.options import PackageMetadata

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "specs/ondayzero-token.openapi.json"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(apismith, [str(a) for a in args])


def project(root: Path, text: str, name: str = "apismith.toml") -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, root / "specs/token.json")
    (root / name).write_text(text)
    return root / name


def error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_shipped_schema_is_current() -> None:
    """Regenerate with `apismith config-schema > generator/schema/apismith-config.schema.json`."""
    assert config_model.SCHEMA_FILE.read_text() == config_model.json_schema()
    schema = json.loads(config_model.json_schema())
    target = schema["$defs"]["TargetConfig"]
    assert target["additionalProperties"] is False
    assert {"spec", "output"} <= set(target["required"])
    for key in ("formatter", "ref_roots", "enums", "include", "exclude", "rename", "type_map",
                "extra", "templates", "template_vars", "client_class", "package_metadata"):
        assert key in target["properties"] and key in schema["properties"]


def test_config_schema_command() -> None:
    assert run("config-schema").stdout == config_model.json_schema()


def test_apismith_toml_with_every_option(tmp_path: Path) -> None:
    path = project(tmp_path, """
formatter = "black"          # a default for every target
extra = "forbid"

[[targets]]
name = "tokens"
spec = "specs/token.json"
output = "src"
only = ["models", "client"]
ref_roots = ["shared"]
enums = "open"
include = ["tag:oauth"]
exclude = ["path:/internal/*"]
rename = { models = { Token = "AccessToken" }, operations = { getToken = "token" } }
type_map = { formats = { money = "decimal.Decimal" }, schemas = { Money = "a.b.Money" } }
templates = "."
template_vars = { author = "Ada", year = 2026 }
client_class = "Tokens"
package_metadata = { version = "2.0.0" }
""")
    (tmp_path / "shared").mkdir()  # a ref root must be a folder
    [target] = load_targets(path)
    options = target.options
    assert (target.name, target.package, target.output) == ("tokens", "token", tmp_path / "src")
    assert target.only == {"models", "client"}
    assert options.formatter == "black" and options.extra == "forbid"  # from the top level
    assert options.ref_roots == ((tmp_path / "shared").resolve(),)
    assert options.enums == "open"
    assert options.include == ("tag:oauth",) and options.exclude == ("path:/internal/*",)
    assert options.rename_models == (("Token", "AccessToken"),)
    assert options.rename_operations == (("getToken", "token"),)
    assert options.type_formats == (("money", "decimal.Decimal"),)
    assert options.type_schemas == (("Money", "a.b.Money"),)
    assert options.templates == tmp_path
    assert options.template_vars == (("author", "Ada"), ("year", 2026))
    assert options.client_class == "Tokens"
    assert options.package_metadata == PackageMetadata(version="2.0.0")


def test_target_overrides_top_level_defaults(tmp_path: Path) -> None:
    path = project(tmp_path, """
enums = "open"
[[targets]]
spec = "specs/token.json"
output = "a"
[[targets]]
spec = "specs/token.json"
output = "b"
enums = "strict"
""")
    assert [t.options.enums for t in load_targets(path)] == ["open", "strict"]


PY = "[tool.apismith]\n[[tool.apismith.targets]]\nspec = 'specs/token.json'\noutput = 'src'\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PY + "outptu = 1", "[tool.apismith].targets[0]: unknown key 'outptu'; did you mean 'output'?"),
        (PY + "only = ['models', 1]", "[tool.apismith].targets[0].only[1]: input should be a valid string (got 1)"),
        (PY + "formater = 'ruff'", "[tool.apismith].targets[0]: unknown key 'formater'; did you mean 'formatter'?"),
        (PY + "formatter = 'yapf'", "[tool.apismith].targets[0].formatter: input should be 'none', 'black' or 'ruff' (got 'yapf')"),
        (PY + "rename = { model = {} }", "[tool.apismith].targets[0].rename: unknown key 'model'; did you mean 'models'?"),
        (PY + "rename = { models = { A = 1 } }", "[tool.apismith].targets[0].rename.models.A: input should be a valid string (got 1)"),
        (PY + "rename = { models = { A = 'not ok' } }", "[tool.apismith].targets[0].rename: 'A' → 'not ok': not an identifier"),
        (PY + "type_map = { formats = { money = 'Decimal' } }", "expected an import path such as 'decimal.Decimal'"),
        (PY + "package_metadata = { vesion = '1' }", "[tool.apismith].targets[0].package_metadata: unknown key 'vesion'; did you mean 'version'?"),
        (PY + "client_class = 'ApiError'", "[tool.apismith].targets[0].client_class: 'ApiError' is taken"),
        (PY + "client_class = 'lower'", "client_class: must be a class name"),
        ("[tool.apismith]\ntargts = []\n", "[tool.apismith]: unknown key 'targts'; did you mean 'targets'?"),
        ("[tool.apismith]\nextra = 'none'\n", "[tool.apismith].extra: input should be 'ignore', 'forbid' or 'allow'"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    message = error(project(tmp_path, text, "pyproject.toml"))
    assert expected in message and message.startswith(str(tmp_path / "pyproject.toml"))


def test_apismith_toml_errors_have_no_section(tmp_path: Path) -> None:
    text = "[[targets]]\nspec = 'specs/token.json'\noutput = 'o'\nonly = 'models'\n"
    assert error(project(tmp_path, text)).endswith(
        "apismith.toml: targets[0].only: input should be a valid list (got 'models')"
    )
    assert "top level: unknown key 'x'" in error(project(tmp_path, "x = 1\n"))


def test_find_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None
    (tmp_path.parent / "apismith.toml").write_text("")
    try:
        assert find_config(tmp_path) == tmp_path.parent / "apismith.toml"  # passes pyproject
        (tmp_path / "pyproject.toml").write_text("[tool.apismith]\n")
        assert find_config(tmp_path) == tmp_path / "pyproject.toml"
        (tmp_path / "apismith.toml").write_text("")
        assert find_config(tmp_path) == tmp_path / "apismith.toml"  # wins in one folder
    finally:
        (tmp_path.parent / "apismith.toml").unlink()


TWO = """
[[targets]]
spec = "specs/token.json"
output = "out"
package = "alpha"
client_class = "Alpha"
[[targets]]
name = "second"
spec = "specs/other.json"
output = "out"
package = "beta"
"""


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project(tmp_path, TWO)
    shutil.copy(SEED, tmp_path / "specs/other.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_target_picks_by_name_or_package(two: Path) -> None:
    result = run("generate", "--target", "second")
    assert result.exit_code == 0, result.output
    assert (two / "out/beta").is_dir() and not (two / "out/alpha").exists()
    assert run("generate", "--target", "alpha").exit_code == 0
    assert (two / "out/alpha").is_dir()
    wrong = run("generate", "--target", "secnd")
    assert wrong.exit_code == 1
    assert "no target named 'secnd'; did you mean 'second'?" in wrong.stderr


def test_generate_spec_uses_its_configured_target(two: Path) -> None:
    assert run("generate", "specs/token.json").exit_code == 0
    client = (two / "out/alpha/client/_client.py").read_text()
    assert "class Alpha:" in client  # the target's options, not the defaults
    assert not (two / "token").exists()


def test_flags_override_config(two: Path) -> None:
    result = run("generate", "--target", "alpha", "-o", "elsewhere", "--only", "models")
    assert result.exit_code == 0, result.output
    assert (two / "elsewhere/alpha/models.py").is_file()
    assert not (two / "elsewhere/alpha/client").exists()
    several = run("generate", "--package", "x")
    assert several.exit_code == 1
    assert "apply to one target, not 2 (alpha, second); pick one with --target NAME" in (
        several.stderr
    )


def test_stale_hint_prints_the_exact_command(two: Path) -> None:
    assert run("generate", "--only", "models,client").exit_code == 0
    (two / "specs/other.json").write_text(
        (two / "specs/other.json").read_text().replace('"version":"', '"version":"2.')
    )
    result = run("check", "--only", "models,client")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "apismith: output is out of date; run: "
        "apismith generate --only models,client --target second"
    )
    by_spec = run("check", "specs/other.json", "-o", "out")
    assert by_spec.stderr.splitlines()[-1].endswith(
        "run: apismith generate specs/other.json --output out"
    )
