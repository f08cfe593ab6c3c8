"""Helpers of the test_models_* tests: generate models.py from a few schemas and import it."""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.diagnostics import Diagnostic
from generator.options import Options
from generator.pipeline import generate

_COUNTER = itertools.count()


def document(schemas: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "Models", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def generate_models(
    tmp_path: Path,
    schemas: dict[str, Any] | str,
    version: str = "3.1.0",
    options: Options | None = None,
) -> tuple[ModuleType, tuple[Diagnostic, ...], str]:
    """Generate and import models.py; `schemas` may also be a whole document as YAML/JSON text."""
    package = f"models_case_{next(_COUNTER)}"
    spec = tmp_path / f"{package}.yaml"
    text = schemas if isinstance(schemas, str) else json.dumps(document(schemas, version))
    spec.write_text(text, encoding="utf-8")
    generated = generate(spec, package, frozenset({"models"}), options)
    out = tmp_path / "out"
    for rel, source in generated.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(out))
    return module, generated.diagnostics, generated.files[f"{package}/models.py"]


def warnings_of(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [f"{d.pointer}: {d.message}" for d in diagnostics]
