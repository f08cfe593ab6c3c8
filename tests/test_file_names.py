"""File names from spec text: short, stable, never a Windows device, never a case clash."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import naming
from generator.config import ConfigError, check_package, default_package
from generator.output import write
from generator.output.write import WriteError
from generator.pipeline import generate

DEVICES = ["con", "PRN", "Aux", "nul", "com1", "COM9", "lpt1", "Lpt9", "conin$", "com\u00b9"]


@pytest.mark.parametrize(
    "name",
    [*DEVICES, "con.py", "NUL.tar.gz", "aux ", "com1.txt", "LPT3.json"],
)
def test_device_names_are_recognised(name: str) -> None:
    assert naming.is_device_name(name)


@pytest.mark.parametrize("name", ["console", "com", "com10", "lpt0", "nullable", "auxiliary.py", "con_", "prn_2"])
def test_ordinary_names_are_not_devices(name: str) -> None:
    assert not naming.is_device_name(name)


@pytest.mark.parametrize("text", ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), "lpt5"])
def test_module_name_never_is_a_device(text: str) -> None:
    name = naming.module_name(text, "api")
    assert not naming.is_device_name(name) and name.isidentifier()
    assert name == text + "_"


def test_long_module_names_are_short_stable_and_distinct() -> None:
    a = naming.module_name("a" * 300, "api")
    b = naming.module_name("a" * 299 + "b", "api")
    assert len(a) <= naming.MAX_MODULE_LENGTH and len(b) <= naming.MAX_MODULE_LENGTH
    assert a != b and a == naming.module_name("a" * 300, "api")  # deterministic
    assert a.startswith("a" * 40) and a.isidentifier()
    assert naming.module_name("short_name", "api") == "short_name"  # unchanged below the limit


def test_namer_with_fold_case_never_hands_out_names_differing_only_by_case() -> None:
    namer = naming.Namer({"Models"}, fold_case=True)
    assert namer.claim("models") == "models_2"
    assert namer.claim("Foo") == "Foo"
    assert namer.claim("foo") == "foo_2"
    assert naming.Namer().claim("x") == "x"


def spec_with_tags(tmp_path: Path, tags: list[str], schema: str = "S") -> Path:
    paths: dict[str, Any] = {
        f"/p{i}": {
            "get": {
                "operationId": f"op{i}",
                "tags": [tag],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema}"}}}}},
            }
        }
        for i, tag in enumerate(tags)
    }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {schema: {"type": "object", "properties": {"a": {"type": "string"}}}}},
    }
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(doc))
    return spec


def test_long_tags_and_schema_names_generate_writable_importable_files(tmp_path: Path) -> None:
    long_tag = "Tag" + "x" * 400
    long_schema = "Schema" + "y" * 400
    tags = [long_tag, long_tag + "2", "\u00e9" * 200]
    spec = spec_with_tags(tmp_path, tags, long_schema)
    generated = generate(spec, "pkg")
    for key in generated.files:
        assert all(len(part.encode()) <= 100 for part in key.split("/")), key
    out = tmp_path / "out"
    write.write(out, "pkg", generated.files)
    # Identifiers keep the spec's names: only file names are shortened.
    assert re.search(rf"class {long_schema}\(\s*_Model\s*\)", generated.files["pkg/models.py"])
    client = generated.files["pkg/client/_client.py"]
    assert "Tag" + "X" * 400 + "Api" in client or "Tag" + "x" * 400 + "Api" in client
    code = "import pkg.client, pkg.server, pkg.models; print('OK')"
    result = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "OK", result.stderr[-2000:]
    # The same spec gives the same names again.
    assert generate(spec, "pkg").files.keys() == generated.files.keys()


def test_device_and_case_clashing_tags_get_distinct_portable_files(tmp_path: Path) -> None:
    tags = ["con", "CON", "Con", "aux", "nul", "com1", "lpt9", "Pets", "pets", "PETS"]
    generated = generate(spec_with_tags(tmp_path, tags), "pkg")
    modules = [k for k in generated.files if k.startswith("pkg/client/") and not k.split("/")[-1].startswith(("_", "errors"))]
    stems = [k.split("/")[-1].removesuffix(".py") for k in modules]
    assert not any(naming.is_device_name(s) for s in stems), stems
    folded = [s.casefold() for s in stems]
    assert len(set(folded)) == len(folded) == len(tags)
    write.write(tmp_path / "out", "pkg", generated.files)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pkg/con.py": ""}, "device name"),
        ({"pkg/sub/NUL.txt": ""}, "device name"),
        ({"pkg/a.py": "", "pkg/A.py": ""}, "case-insensitive"),
        ({"pkg/x/a.py": "", "pkg/X/b.py": ""}, "case-insensitive"),
        ({"pkg/" + "a" * 256 + ".py": ""}, "longer than 255 bytes"),
        ({"pkg/" + "/".join(["d" * 200] * 6) + "/a.py": ""}, "longer than 1024 bytes"),
    ],
)
def test_write_refuses_unportable_paths(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    with pytest.raises(WriteError, match=expected):
        write.write(tmp_path, "pkg", {"pkg/__init__.py": "", **files})
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize("name", ["con", "nul", "com1", "LPT1"])
def test_device_package_names_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="device name"):
        check_package(name)


def test_default_package_of_a_device_named_spec_is_not_a_device() -> None:
    assert default_package(Path("specs/CON.yaml")) == "con_"
