"""`[tool.apismith]` targets from the nearest pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import (
    ConfigError,
    Target,
    check_package,
    default_package,
    find_pyproject,
    load_targets,
    parse_only,
)

ALL = frozenset({"models", "client", "server"})


def project(root: Path, toml: str) -> Path:
    """A project folder with `toml` as its pyproject and a spec file."""
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs/Pet-Store.v2.yaml").write_text("openapi: 3.1.0\n")
    (root / "pyproject.toml").write_text(toml)
    return root / "pyproject.toml"


def error(pyproject: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_targets(pyproject)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_targets_with_defaults(tmp_path: Path) -> None:
    pyproject = project(
        tmp_path,
        """
[tool.apismith]
[[tool.apismith.targets]]
spec = "specs/Pet-Store.v2.yaml"
output = "src"

[[tool.apismith.targets]]
spec = "specs/Pet-Store.v2.yaml"
output = "gen"
package = "pets"
only = ["client"]
""",
    )
    spec = tmp_path / "specs/Pet-Store.v2.yaml"
    assert load_targets(pyproject) == [
        Target(spec, tmp_path / "src", "pet_store_v2", ALL),
        Target(spec, tmp_path / "gen", "pets", frozenset({"models", "client"})),
    ]


def test_find_pyproject_walks_up(tmp_path: Path) -> None:
    pyproject = project(tmp_path, "")
    deep = tmp_path / "a/b/c"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == pyproject.resolve()


def test_no_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    with pytest.raises(ConfigError, match=r"no pyproject\.toml found"):
        find_pyproject(tmp_path)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("", "no targets"),
        ("[tool.apismith]\n", "no targets"),
        ("[tool.apismith]\ntargets = []\n", "no targets"),
        ("[tool.apismith]\ntarget = 1\n", "unknown key 'target'"),
        ("[tool.apismith\n", "cannot read"),
    ],
)
def test_bad_section(tmp_path: Path, toml: str, expected: str) -> None:
    assert expected in error(project(tmp_path, toml))


BASE = 'spec = "specs/Pet-Store.v2.yaml"\noutput = "src"\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('output = "src"', "missing key 'spec'"),
        ('spec = "specs/Pet-Store.v2.yaml"', "missing key 'output'"),
        ('spec = "nope.yaml"\noutput = "src"', "spec not found"),
        ('spec = 1\noutput = "src"', "targets[0].spec: input should be a valid string"),
        (BASE + "outptu = 'src'\nfoo = 1", "unknown key 'outptu'; did you mean 'output'?"),
        (BASE + "package = 'my-pkg'", "bad package name 'my-pkg'"),
        (BASE + "package = 'class'", "bad package name 'class'"),
        (BASE + "only = ['client', 'docs']", "unknown part 'docs'"),
        (BASE + "only = 'client'", "targets[0].only: input should be a valid list"),
    ],
)
def test_bad_target(tmp_path: Path, body: str, expected: str) -> None:
    message = error(project(tmp_path, f"[[tool.apismith.targets]]\n{body}\n"))
    assert expected in message
    assert "targets[0]" in message and "pyproject.toml" in message


def test_two_targets_writing_the_same_folder(tmp_path: Path) -> None:
    target = f"[[tool.apismith.targets]]\n{BASE}"
    assert "same folder" in error(project(tmp_path, target * 2))


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("ondayzero-token.openapi.json", "ondayzero_token_openapi"),
        ("Pet Store.yaml", "pet_store"),
        ("3d-api.json", "_3d_api"),
        ("class.yaml", "class_"),
        ("café.yaml", "caf_"),
    ],
)
def test_default_package(name: str, package: str) -> None:
    assert default_package(Path("specs") / name) == package
    assert check_package(package) == package


@pytest.mark.parametrize("name", ["", "1abc", "a-b", "a.b", "None", "café"])
def test_bad_package_names(name: str) -> None:
    with pytest.raises(ConfigError, match="bad package name"):
        check_package(name)


def test_parse_only_always_includes_models() -> None:
    assert parse_only([]) == {"models"}
    assert parse_only(["server"]) == {"models", "server"}
    assert parse_only(["models", "client", "server"]) == ALL
    with pytest.raises(ConfigError, match="unknown part 'docs'"):
        parse_only(["docs"])
