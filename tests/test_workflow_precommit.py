"""The pre-commit hooks, run by pre-commit itself on a temporary git repository: the check
fails on missing and stale output and passes after the generate hook ran."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "specs/ondayzero-token.openapi.json"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV})
    return done.stdout


def snapshot(target: Path) -> Path:
    """This checkout as it is now (tracked and new files), committed in a fresh repository,
    so pre-commit installs exactly the code under test."""
    listed = git(REPO, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    return target


def test_hooks_file_is_valid() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["apismith-check", "apismith-generate"]
    for hook in hooks:
        assert hook["pass_filenames"] is False and hook["language"] == "python"
        assert hook["entry"] == f"apismith {hook['id'].removeprefix('apismith-')}"


    pattern = re.compile(hooks[0]["files"])
    for name in ("specs/api.yaml", "a.yml", "x/api.json", "pyproject.toml", "apismith.toml",
                 "templates/models.py.j2"):
        assert pattern.search(name), name
    for name in ("src/app.py", "README.md", "tox.ini"):
        assert not pattern.search(name), name


@pytest.mark.slow
@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is not installed")
def test_try_repo_check_fails_until_generate(tmp_path: Path) -> None:
    hooks = snapshot(tmp_path / "apismith")
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    shutil.copy(SEED, project / "specs/api.json")
    (project / "apismith.toml").write_text(
        '[[targets]]\nspec = "specs/api.json"\noutput = "gen"\npackage = "api"\n'
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "project")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONPATH", None)  # the hook runs the installed snapshot, not this checkout

    def try_repo(hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "try-repo", str(hooks), hook, "--all-files"],
            cwd=project, env=env, capture_output=True, text=True, check=False,
        )

    missing = try_repo("apismith-check")
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "missing: api/models.py" in missing.stdout
    assert "output is out of date; run: apismith generate" in missing.stdout

    # From here on as a user has it: the README's .pre-commit-config.yaml (its environment
    # is built once, where try-repo builds one per call).
    rev = git(hooks, "rev-parse", "HEAD").strip()
    config = {"repos": [{"repo": str(hooks), "rev": rev, "hooks": [
        {"id": "apismith-check"}, {"id": "apismith-generate"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(project, "add", "-A")

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "run", name, "--all-files"],
            cwd=project, env=env, capture_output=True, text=True, check=False,
        )

    generated = hook("apismith-generate")
    assert generated.returncode == 0, generated.stdout  # new files are not "modified"
    assert (project / "gen/api/models.py").is_file()
    git(project, "add", "-A")

    passed = hook("apismith-check")
    assert passed.returncode == 0, passed.stdout
    assert "Passed" in passed.stdout

    spec = project / "specs/api.json"
    spec.write_text(spec.read_text().replace('"version":"1.0.0"', '"version":"1.1.0"'))
    stale = hook("apismith-check")
    assert stale.returncode == 1 and "stale: api/models.py" in stale.stdout

    regenerated = hook("apismith-generate")
    assert regenerated.returncode == 1  # pre-commit fails a hook that changes tracked files
    assert "files were modified by this hook" in regenerated.stdout
    git(project, "add", "-A")
    assert hook("apismith-check").returncode == 0
