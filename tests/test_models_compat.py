"""The lowest supported pydantic (2.12.0, see README) imports and validates generated models.

Slow: builds a virtualenv and installs pydantic from the package index."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from generator.pipeline import generate

LOWEST = "2.12.0"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "features.openapi.yaml"

pytestmark = pytest.mark.slow


def test_generated_models_work_with_the_lowest_supported_pydantic(tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", f"pydantic=={LOWEST}"],
                             capture_output=True, text=True)
    if install.returncode != 0:
        pytest.skip(f"cannot install pydantic {LOWEST}: {install.stderr[-300:]}")
    import json

    from tests.models_support import document
    from tests.test_models_faithful import CONSTRUCTS

    specs = {"features": FIXTURE}
    constructs = tmp_path / "constructs.json"
    constructs.write_text(json.dumps(document(CONSTRUCTS)), encoding="utf-8")
    specs["constructs"] = constructs
    for package, spec in specs.items():
        for path, text in generate(spec, package, frozenset({"models"})).files.items():
            target = tmp_path / "out" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    code = (
        "import pydantic, features.models as f, constructs.models as c\n"
        f"assert pydantic.VERSION == {LOWEST!r}, pydantic.VERSION\n"
        "for name in f.__all__:\n"
        "    obj = getattr(f, name)\n"
        "    if isinstance(obj, type) and issubclass(obj, pydantic.BaseModel):\n"
        "        obj.model_json_schema()\n"
        "ta = pydantic.TypeAdapter(c.Record)\n"
        "r = ta.validate_python({'id': 1})\n"
        "assert ta.dump_python(r, by_alias=True, exclude_unset=True) == {'id': 1}\n"
        "try:\n"
        "    ta.validate_python({'id': 'x'})\n"
        "except pydantic.ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('not rejected')\n"
        "assert type(pydantic.TypeAdapter(c.Tagged).validate_python({'kind': 'b'})).__name__ != 'dict'\n"
        "pydantic.TypeAdapter(c.NotTwo).validate_python(3)\n"
    )
    result = subprocess.run([str(python), "-c", code], cwd=tmp_path / "out", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
