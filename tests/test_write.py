"""The write stage, with hand-made file sets (no pipeline)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from generator.output import write
from generator.output.write import MANIFEST, WriteError, build_manifest, compare

PKG = "pkg"
FILES = {
    "pkg/__init__.py": "",
    "pkg/models.py": "class A:\n    pass\n",
    "pkg/client/__init__.py": "from pkg.client.api import Client\n",
    "pkg/client/api.py": "class Client:\n    pass\n",
}
OLD_NS = 1_000_000_000_000_000_000  # a fixed past mtime, far from "now"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by posix path relative to it."""
    if not root.exists():
        return {}
    files = (p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def age(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_NS, OLD_NS))


def test_writes_files_and_manifest(tmp_path: Path) -> None:
    report = write.write(tmp_path, PKG, FILES)
    assert report.written == sorted(FILES)
    assert (report.unchanged, report.removed) == ([], [])
    on_disk = tree(tmp_path)
    assert on_disk.pop(f"pkg/{MANIFEST}") == build_manifest(PKG, FILES).encode()
    assert on_disk == {key: text.encode() for key, text in FILES.items()}


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, FILES)
    age(tmp_path)
    inodes = {key: (tmp_path / key).stat().st_ino for key in FILES}
    report = write.write(tmp_path, PKG, {**FILES, "pkg/models.py": "class B: ...\n"})
    assert report.written == ["pkg/models.py"]
    assert report.unchanged == sorted(set(FILES) - {"pkg/models.py"})
    for key in FILES:
        stat = (tmp_path / key).stat()
        rewritten = key == "pkg/models.py"
        assert (stat.st_mtime_ns != OLD_NS) is rewritten, key
        assert (stat.st_ino != inodes[key]) is rewritten, key


def test_unchanged_output_is_not_touched_at_all(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, FILES)
    age(tmp_path)
    report = write.write(tmp_path, PKG, FILES)
    assert (report.written, report.removed) == ([], [])
    assert {p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == {
        OLD_NS
    }


def test_bytes_are_written_exactly(tmp_path: Path) -> None:
    files = {"pkg/a.py": "x = 'é'\n", "pkg/b.txt": "keep\r\nas is\n"}
    write.write(tmp_path, PKG, files)
    assert (tmp_path / "pkg/a.py").read_bytes() == "x = 'é'\n".encode()
    assert (tmp_path / "pkg/b.txt").read_bytes() == b"keep\r\nas is\n"


def test_files_no_longer_generated_are_removed_with_their_empty_folders(
    tmp_path: Path,
) -> None:
    write.write(tmp_path, PKG, {**FILES, "pkg/server/deep/app.py": "app = 1\n"})
    report = write.write(tmp_path, PKG, FILES)
    assert report.removed == ["pkg/server/deep/app.py"]
    assert not (tmp_path / "pkg/server").exists()
    assert set(tree(tmp_path)) == {*FILES, f"pkg/{MANIFEST}"}


def test_user_files_are_never_touched(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, {**FILES, "pkg/server/app.py": "app = 1\n"})
    user = {
        "README.md": b"mine\n",
        "pkg/custom.py": b"mine\n",
        "pkg/server/hooks.py": b"mine\n",
        "pkg/client/extra/notes.txt": b"mine\n",
    }
    for key, content in user.items():
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(content)
    age(tmp_path)

    report = write.write(tmp_path, PKG, {**FILES, "pkg/models.py": "changed = 1\n"})

    assert report.removed == ["pkg/server/app.py"]
    for key, content in user.items():
        assert (tmp_path / key).read_bytes() == content
        assert (tmp_path / key).stat().st_mtime_ns == OLD_NS
    assert compare(tmp_path, PKG, {**FILES, "pkg/models.py": "changed = 1\n"}) == []


def test_refuses_to_overwrite_a_file_it_did_not_generate(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/models.py").write_text("hand written\n")
    with pytest.raises(WriteError, match=r"pkg/models\.py"):
        write.write(tmp_path, PKG, FILES)
    assert tree(tmp_path) == {"pkg/models.py": b"hand written\n"}


def test_adopts_an_identical_file(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/models.py").write_text(FILES["pkg/models.py"])
    report = write.write(tmp_path, PKG, FILES)
    assert "pkg/models.py" in report.unchanged
    assert "models.py" in (tmp_path / "pkg" / MANIFEST).read_text()


@pytest.mark.parametrize(
    "key",
    [
        "../x.py",
        "/abs.py",
        "pkg/../../x",
        "pkg/a/../../../x",
        "pkg/../x.py",
        "pkg//x.py",
        "pkg/./x.py",
        "pkg/",
        "pkg\\x.py",
        "C:/x.py",
        "c:x.py",
        "pkg/x\0.py",
        "other/x.py",
        "x.py",
        f"pkg/{MANIFEST}",
    ],
)
def test_unsafe_paths_are_rejected_before_anything_is_written(
    tmp_path: Path, key: str
) -> None:
    output = tmp_path / "out"
    with pytest.raises(WriteError, match="unsafe path"):
        write.write(output, PKG, {**FILES, key: "x = 1\n"})
    assert not output.exists()
    assert tree(tmp_path) == {}


def test_a_file_that_is_also_a_folder_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="folder"):
        write.write(tmp_path, PKG, {"pkg/a": "", "pkg/a/b.py": ""})
    assert tree(tmp_path) == {}


@pytest.mark.parametrize("link", ["pkg/escape", "pkg"])
def test_symlinks_escaping_the_output_folder_are_rejected(
    tmp_path: Path, link: str
) -> None:
    output, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (output / link).parent.mkdir(parents=True, exist_ok=True)
    try:
        (output / link).symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks are not available")
    with pytest.raises(WriteError, match="outside the output folder"):
        write.write(output, PKG, {**FILES, "pkg/escape/x.py": "x = 1\n"})
    assert tree(outside) == {}
    assert [p for p in output.rglob("*") if p.is_file()] == []


def test_a_file_symlink_escaping_the_output_folder_is_rejected(tmp_path: Path) -> None:
    output, victim = tmp_path / "out", tmp_path / "victim.py"
    victim.write_text("precious\n")
    (output / "pkg").mkdir(parents=True)
    try:
        (output / "pkg/models.py").symlink_to(victim)
    except OSError:
        pytest.skip("symlinks are not available")
    with pytest.raises(WriteError, match="outside the output folder"):
        write.write(output, PKG, FILES)
    assert victim.read_text() == "precious\n"


def test_an_escaping_manifest_entry_is_rejected(tmp_path: Path) -> None:
    victim = tmp_path / "victim.py"
    victim.write_text("precious\n")
    write.write(tmp_path / "out", PKG, FILES)
    manifest = tmp_path / "out/pkg" / MANIFEST
    manifest.write_text(manifest.read_text() + "0" * 64 + "  ../../victim.py\n")
    with pytest.raises(WriteError):
        write.write(tmp_path / "out", PKG, FILES)
    assert victim.read_text() == "precious\n"


def test_a_corrupt_manifest_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / MANIFEST).write_text("not a manifest line\n")
    with pytest.raises(WriteError, match="corrupt manifest"):
        write.write(tmp_path, PKG, FILES)


def test_manifest_is_deterministic_and_sorted() -> None:
    text = build_manifest(PKG, FILES)
    assert text == build_manifest(PKG, dict(reversed(FILES.items())))
    header, *lines = text.splitlines()
    assert header.startswith("#")
    expected = [
        f"{hashlib.sha256(FILES[key].encode()).hexdigest()}  {key.removeprefix('pkg/')}"
        for key in sorted(FILES)
    ]
    assert lines == expected
    assert text.endswith("\n")


@pytest.mark.parametrize(
    ("failure", "raised"),
    [(OSError(28, "No space left on device"), WriteError), (KeyboardInterrupt(), None)],
)
def test_failure_while_staging_leaves_the_old_output_intact(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    raised: type[BaseException] | None,
) -> None:
    write.write(tmp_path, PKG, FILES)
    before = tree(tmp_path)
    real_stage = write._stage
    staged: list[str] = []

    def flaky_stage(change: write.Change) -> Path:
        staged.append(change.path)
        if change.path == "pkg/server/app.py":  # in a new folder, after 4 others
            raise failure
        return real_stage(change)

    monkeypatch.setattr(write, "_stage", flaky_stage)
    new = {key: text + "# v2\n" for key, text in FILES.items()}
    new["pkg/server/app.py"] = "app = 1\n"
    with pytest.raises(raised or type(failure)):
        write.write(tmp_path, PKG, new)
    assert len(staged) == 5
    assert tree(tmp_path) == before  # no temp files left
    assert not (tmp_path / "pkg/server").exists()  # nor new folders


def test_compare_reports_stale_missing_and_extra(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, {**FILES, "pkg/old.py": "old = 1\n"})
    (tmp_path / "pkg/user.py").write_text("mine\n")
    (tmp_path / "pkg/client/api.py").unlink()
    new = {key: v for key, v in FILES.items() if key != "pkg/__init__.py"}
    new["pkg/models.py"] = "class A:\n    x = 1\n"

    differences = compare(tmp_path, PKG, new)

    assert [(d.kind, d.path) for d in differences] == [
        ("missing", "pkg/client/api.py"),
        ("stale", "pkg/models.py"),
        ("extra", "pkg/__init__.py"),
        ("extra", "pkg/old.py"),
    ]
    stale = differences[1]
    assert "+    x = 1" in stale.diff and "-    pass" in stale.diff
    assert str(stale).startswith("stale: pkg/models.py\n--- a/pkg/models.py")
    assert tree(tmp_path)["pkg/user.py"] == b"mine\n"


def test_compare_writes_nothing_and_is_clean_after_write(tmp_path: Path) -> None:
    assert [d.kind for d in compare(tmp_path, PKG, FILES)] == ["missing"] * len(FILES)
    assert not tmp_path.joinpath("pkg").exists()
    write.write(tmp_path, PKG, FILES)
    assert compare(tmp_path, PKG, FILES) == []


def test_compare_reports_a_missing_manifest(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, FILES)
    (tmp_path / "pkg" / MANIFEST).unlink()
    assert [(d.kind, d.path) for d in compare(tmp_path, PKG, FILES)] == [
        ("missing", f"pkg/{MANIFEST}")
    ]


def test_compare_diff_is_capped(tmp_path: Path) -> None:
    write.write(tmp_path, PKG, {"pkg/big.py": "".join(f"a{i}\n" for i in range(200))})
    new = {"pkg/big.py": "".join(f"b{i}\n" for i in range(200))}
    [difference] = compare(tmp_path, PKG, new)
    lines = difference.diff.splitlines()
    assert len(lines) == 41
    assert lines[-1].startswith("... (") and "more diff lines" in lines[-1]


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_staged_files_reach_the_disk_before_any_replaces_a_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    """Durable before visible: every staged file is flushed (one `sync()` on Linux, where it
    waits; a fsync per file elsewhere) before the first rename, so a crash cannot leave a
    target that names an unwritten file."""
    write.write(tmp_path, PKG, FILES)
    events: list[str] = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(write.sys, "platform", platform)
    monkeypatch.setattr(write.os, "sync", lambda: events.append("sync"))

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "fsync", fsync)
    monkeypatch.setattr(write.os, "replace", replace)
    write.write(tmp_path, PKG, {key: text + "# v2\n" for key, text in FILES.items()})
    first = events.index("replace")
    flushes = events[:first]
    if platform == "linux":
        assert flushes == ["sync"]
    else:
        assert flushes == ["fsync"] * (len(FILES) + 1)  # and the manifest
    assert events.count("replace") == len(FILES) + 1
    assert tree(tmp_path)[f"{PKG}/models.py"].endswith(b"# v2\n")
    events.clear()
    write.write(tmp_path, PKG, {key: text + "# v2\n" for key, text in FILES.items()})
    assert events == []  # nothing staged: no flush at all (on Linux, no system-wide sync)
