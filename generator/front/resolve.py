"""Follow `$ref`s: bundle relative-file references into the root document, check local ones.

The result is one document whose every `$ref` is local (`#/...`). Local references are kept
as references (never inlined), so recursive schemas stay named and finite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Severity, SpecError, pointer_join
from generator.front import bounds
from generator.front.load import error, line_of, load_document


def split_pointer(fragment: str) -> list[str]:
    """`/a~1b/c` → `["a/b", "c"]` (RFC 6901, after URI percent-decoding)."""
    if "%" in fragment:
        fragment = unquote(fragment)
    if not fragment:
        return []
    if not fragment.startswith("/"):
        raise ValueError(f"not a JSON pointer: {fragment!r}")
    parts = fragment[1:].split("/")
    return [p.replace("~1", "/").replace("~0", "~") for p in parts] if "~" in fragment else parts


def lookup(document: Any, parts: list[str]) -> Any:
    """The node at `parts`; `KeyError` when there is none."""
    node = document
    for part in parts:
        node = child(node, part)
    return node


def child(node: Any, part: str) -> Any:
    """The member a pointer token names in an object or array; `KeyError` when none."""
    if isinstance(node, dict):
        if part in node:
            return node[part]
    elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    raise KeyError(part)


#: Nodes that inlining the same external target again may add, in all (repeated inlining
#: of files that reference each other can grow exponentially, like YAML aliases).
MAX_INLINED_NODES = bounds.MAX_ALIAS_NODES
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # a URL scheme; one letter is a drive
_DRIVE = re.compile(r"^[A-Za-z]:")


class _Bundler:
    def __init__(self, root: Path, document: Any, ref_roots: tuple[Path, ...] = (),
                 warnings: list[Diagnostic] | None = None) -> None:
        self.given = root  # the root as the user named it, for messages
        self.root = root.resolve()
        # Referenced files must lie under the spec's folder or a folder the user named, so a
        # crafted spec cannot pull other files (credentials, say) into generated code.
        self.allowed = (self.root.parent, *(Path(r).resolve() for r in ref_roots))
        self.documents: dict[Path, Any] = {self.root: document}
        self.hoisted: dict[tuple[Path, str], str] = {}  # external target → local ref
        self.inlining: list[tuple[Path, str]] = []
        self.inlined: set[tuple[Path, str]] = set()
        self.extra: dict[str, dict[str, Any]] = {}  # hoisted components, by kind and name
        self.reinlined = 0  # nodes walked while inlining a target inlined before
        self.anchors: dict[Path, dict[str, list[str]]] = {}  # per file: anchor → pointer
        self.warnings = warnings if warnings is not None else []

    def document(self, path: Path, referrer: Path, pointer: list[str]) -> Any:
        if path not in self.documents:
            if not path.is_file():
                where = [*pointer, "$ref"]
                raise error(referrer, f"$ref to a missing file {path.name!r}", pointer_join(*where),
                            line_of(referrer, where))
            self.documents[path] = load_document(path)
        return self.documents[path]

    def shown(self, file: Path) -> Path:
        return self.given if file == self.root else file

    def fail(self, file: Path, message: str, pointer: list[str]) -> SpecError:
        return error(self.shown(file), message, pointer_join(*pointer), line_of(file, pointer))

    def walk(self, node: Any, file: Path, pointer: list[str], depth: int = 0) -> Any:
        """Rewrite the references in `node` (read from `file`) so they point into the root.

        `depth` counts nesting in the result, each `$ref` followed across files included:
        bounded, so that no later (recursive) stage runs out of stack.
        """
        if not isinstance(node, dict | list):
            return node
        if depth >= bounds.MAX_DEPTH:
            across = ", counting $refs followed across files" if self.inlining else ""
            raise self.fail(file, f"document {bounds.too_deep_message()}{across}", pointer)
        if self.inlining and self.inlining[-1] in self.inlined:
            self.reinlined += 1
            if self.reinlined > MAX_INLINED_NODES:
                raise self.fail(file, f"$refs to other files expand to more than "
                                f"{MAX_INLINED_NODES} extra nodes once inlined", pointer)
        if isinstance(node, list):
            return [self.walk(item, file, [*pointer, str(i)], depth + 1) for i, item in enumerate(node)]
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self.reference(node, ref, file, pointer, depth)
        return {key: self.walk(value, file, [*pointer, str(key)], depth + 1) for key, value in node.items()}

    def target_file(self, location: str, ref: str, file: Path, pointer: list[str]) -> Path:
        """The file a `$ref` names; refused unless a relative path inside the allowed folders."""
        where = [*pointer, "$ref"]
        if location.lower().startswith("file:"):
            raise self.fail(file, f"$ref {ref!r} is a file: URL; use a path relative to the spec", where)
        if "://" in location or location.startswith("//") or _SCHEME.match(location):
            raise self.fail(file, f"remote $ref {ref!r} is not supported; download it beside the spec", where)
        path = unquote(location)
        if "\\" in path or "\0" in path or _DRIVE.match(path):
            raise self.fail(file, f"$ref {ref!r} must be a relative path with forward slashes", where)
        if path.startswith("/"):
            raise self.fail(file, f"$ref {ref!r} is an absolute path; use a path relative to the spec", where)
        try:
            target = (file.parent / path).resolve()  # symlinks resolved before the check
        except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop
            raise self.fail(file, f"$ref {ref!r} names a path that cannot be resolved", where) from None
        if not any(target.is_relative_to(folder) for folder in self.allowed):
            raise self.fail(file, f"$ref {ref!r} reaches outside the spec's folder (allow more "
                            "folders with --ref-root or ref_roots)", where)
        return target

    def reference(self, node: dict[str, Any], ref: str, file: Path, pointer: list[str], depth: int) -> Any:
        shown = self.shown(file)
        location, _, fragment = ref.partition("#")
        target_file = self.target_file(location, ref, file, pointer) if location else file
        anchor = _ANCHOR.fullmatch(fragment) is not None
        rewrite = anchor  # the reference is rewritten to the JSON pointer it means
        if fragment and not anchor and not fragment.startswith("/") and "/" in fragment:
            where = [*pointer, "$ref"]
            self.warnings.append(Diagnostic(
                Severity.WARNING, f"$ref {ref!r}: a JSON pointer starts with '/'; read as "
                f"'{location}#/{fragment}'", pointer_join(*where), str(shown), line_of(file, where)))
            fragment, rewrite = "/" + fragment, True
        try:
            document = self.document(target_file, shown, pointer)
            parts = self.anchored(document, target_file, fragment) if anchor else split_pointer(fragment)
            target = lookup(document, parts)
        except (KeyError, ValueError):
            raise self.fail(file, f"$ref {ref!r} points at nothing", [*pointer, "$ref"]) from None
        except _Ambiguous:
            raise self.fail(file, f"$ref {ref!r} names an anchor defined more than once",
                            [*pointer, "$ref"]) from None
        if anchor:  # from here on, by its JSON pointer
            fragment = pointer_join(*parts)
        if target_file == self.root:  # local: kept as a reference
            return {**node, "$ref": "#" + fragment} if location or rewrite else node
        key = (target_file, fragment)
        if key in self.hoisted:
            return {**node, "$ref": self.hoisted[key]}
        if (len(parts) == 3 and parts[0] == "components") or key in self.inlining:
            return {**node, "$ref": self.hoist(key, parts, target, depth)}
        self.inlining.append(key)
        try:
            inlined = self.walk(target, target_file, parts, depth + 1)
        finally:
            self.inlining.pop()
        self.inlined.add(key)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**inlined, **siblings} if isinstance(inlined, dict) else inlined

    def anchored(self, document: Any, path: Path, name: str) -> list[str]:
        """The pointer to the schema of `document` that declares the anchor `name`."""
        if path not in self.anchors:
            self.anchors[path] = _anchors(document)
        found = self.anchors[path].get(name)
        if found is None:
            raise KeyError(name)
        if not found:
            raise _Ambiguous(name)
        return found

    def hoist(self, key: tuple[Path, str], parts: list[str], target: Any, depth: int) -> str:
        """Copy an external target into the root's components; return the local ref to it."""
        kind = parts[1] if len(parts) == 3 else "schemas"
        base = parts[-1] if parts else key[0].stem
        existing = self.documents[self.root].get("components", {}).get(kind, {})
        section = self.extra.setdefault(kind, {})
        name, n = base, 1
        while name in section or name in existing:
            n += 1
            name = f"{base}_{n}"
        local = "#" + pointer_join("components", kind, name)
        self.hoisted[key] = local
        section[name] = None  # reserve the name before walking (cycles)
        # `depth` goes on: a chain of hoists recurses like nesting does.
        section[name] = self.walk(target, key[0], parts, depth + 1)
        return local


#: A plain-name fragment (`#tag`): a JSON Schema anchor, not a JSON pointer.
_ANCHOR = re.compile(r"[A-Za-z_][-A-Za-z0-9._]*")
#: Keywords whose values are data, not schemas (an anchor there declares nothing).
_DATA = frozenset({"enum", "const", "default", "example", "examples"})


class _Ambiguous(Exception):
    """An anchor declared in two places of one document."""


def _anchors(document: Any) -> dict[str, list[str]]:
    """Each anchor a document declares (`$anchor`, `$dynamicAnchor`, or an older `$id:
    "#name"`) → the pointer parts of its schema; `[]` for one declared twice. Anchors are
    read document-wide (not scoped to embedded `$id` resources)."""
    found: dict[str, list[str]] = {}
    todo: list[tuple[Any, list[str]]] = [(document, [])]
    while todo:
        node, parts = todo.pop()
        if isinstance(node, list):
            todo.extend((item, [*parts, str(i)]) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        old_id = node.get("$id")
        for name in (node.get("$anchor"), node.get("$dynamicAnchor"),
                     old_id[1:] if isinstance(old_id, str) and old_id.startswith("#") else None):
            if isinstance(name, str) and name:
                found[name] = [] if name in found and found[name] != parts else parts
        todo.extend((value, [*parts, str(key)]) for key, value in node.items() if key not in _DATA)
    return found


def resolve(
    path: Path,
    document: Any,
    files: set[Path] | None = None,
    ref_roots: tuple[Path, ...] = (),
    warnings: list[Diagnostic] | None = None,
) -> Any:
    """Bundle `document` (loaded from `path`) into one document with local refs only.

    `$ref`s may reach files in the spec's folder (and below) and in `ref_roots`.
    `files`, when given, receives every file read (resolved paths, the root's included);
    `warnings`, the repairs made (a pointer without its leading `/`).
    """
    bundler = _Bundler(path, document, ref_roots, warnings)
    bundled = bundler.walk(document, bundler.root, [])
    if files is not None:
        files.update(bundler.documents)
    if bundler.extra and isinstance(bundled, dict):  # copies: `document` stays as it was
        components = bundled["components"] = dict(bundled.get("components", {}))
        for kind, items in sorted(bundler.extra.items()):
            components[kind] = {**components.get(kind, {}), **items}
    return bundled
