"""Golden files: regenerating specs/ gives generated_example/ byte for byte, on every run.

Regenerate with `apismith generate` (the targets in pyproject.toml) and read the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.commands import surface
from generator.config import load_targets
from generator.output.write import MANIFEST, build_manifest
from generator.pipeline import generate

REPO = Path(__file__).resolve().parent.parent


def test_generated_example_is_current() -> None:
    for target in load_targets(REPO / "pyproject.toml"):
        generated = generate(target.spec, target.package, target.only, extra=surface.files)
        package_dir = target.output / target.package
        on_disk = {
            path.relative_to(target.output).as_posix(): path.read_bytes()
            for path in package_dir.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.name != MANIFEST
        }
        expected = {path: text.encode() for path, text in generated.files.items()}
        assert sorted(on_disk) == sorted(expected)
        for path, data in expected.items():
            assert on_disk[path] == data, f"{path} differs: run `apismith generate`"
        manifest = (package_dir / MANIFEST).read_text()
        assert manifest == build_manifest(target.package, generated.files)


def _fingerprint(seed: str) -> str:
    code = (
        "import hashlib, pathlib\n"
        "from generator.pipeline import generate\n"
        "g = generate(pathlib.Path('specs/ondayzero-token.openapi.json'), 'ondayzero')\n"
        "h = hashlib.sha256()\n"
        "for p in sorted(g.files): h.update(p.encode() + b'\\0' + g.files[p].encode())\n"
        "print(h.hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_output_is_identical_across_hash_seeds() -> None:
    assert len({_fingerprint(seed) for seed in ("0", "1", "12345")}) == 1


def test_generated_python_is_black_stable() -> None:
    """The proof that output is black-formatted with the pinned black."""
    import black

    MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)

    generated = generate(REPO / "specs/ondayzero-token.openapi.json", "ondayzero")
    for path, text in generated.files.items():
        if path.endswith(".py"):
            assert black.format_str(text, mode=MODE) == text, path
