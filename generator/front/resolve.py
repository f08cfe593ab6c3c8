"""Follow `$ref`s: bundle relative-file references into the root document, check local ones.

The result is one document whose every `$ref` is local (`#/...`). Local references are kept
as references (never inlined), so recursive schemas stay named and finite.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import pointer_join
from generator.front.load import error, line_of, load_document


def split_pointer(fragment: str) -> list[str]:
    """`/a~1b/c` → `["a/b", "c"]` (RFC 6901, after URI percent-decoding)."""
    fragment = unquote(fragment)
    if not fragment:
        return []
    if not fragment.startswith("/"):
        raise ValueError(f"not a JSON pointer: {fragment!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/")]


def lookup(document: Any, parts: list[str]) -> Any:
    """The node at `parts`; `KeyError` when there is none."""
    node = document
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(part)
    return node


#: Nodes a document may have after expanding YAML aliases (the GitHub spec has about 2 million).
MAX_NODES = 20_000_000


class _Bundler:
    def __init__(self, root: Path, document: Any) -> None:
        self.given = root  # the root as the user named it, for messages
        self.root = root.resolve()
        # Referenced files must lie under the spec's folder or the folder apismith runs in,
        # so a crafted spec cannot pull other files (credentials, say) into generated code.
        self.allowed = (self.root.parent, Path.cwd().resolve())
        self.documents: dict[Path, Any] = {self.root: document}
        self.hoisted: dict[tuple[Path, str], str] = {}  # external target → local ref
        self.inlining: list[tuple[Path, str]] = []
        self.extra: dict[str, dict[str, Any]] = {}
        self.nodes = 0  # hoisted components, by kind and name

    def document(self, path: Path, referrer: Path, pointer: list[str]) -> Any:
        if path not in self.documents:
            if not path.is_file():
                where = [*pointer, "$ref"]
                raise error(referrer, f"$ref to a missing file {path.name!r}", pointer_join(*where),
                            line_of(referrer, where))
            self.documents[path] = load_document(path)
        return self.documents[path]

    def walk(self, node: Any, file: Path, pointer: list[str]) -> Any:
        """Rewrite the references in `node` (read from `file`) so they point into the root."""
        self.nodes += 1
        return self._walk(node, file, pointer)

    def _walk(self, node: Any, file: Path, pointer: list[str]) -> Any:
        """`walk` for a node already counted; its children are counted here, all at once."""
        if not isinstance(node, list | dict):
            return node
        if isinstance(node, dict) and isinstance(ref := node.get("$ref"), str):
            return self.reference(node, ref, file, pointer)
        self.nodes += len(node)
        if self.nodes > MAX_NODES:  # YAML aliases can make a small file expand enormously
            raise error(file, f"document has more than {MAX_NODES} nodes once YAML aliases are expanded")
        # Copy on write: a node whose children all stay as they are is returned itself.
        items = enumerate(node) if isinstance(node, list) else node.items()
        changed: Any = None
        for key, value in items:
            if isinstance(value, list | dict):
                new = self._walk(value, file, [*pointer, str(key)])
                if new is not value:
                    if changed is None:
                        changed = list(node) if isinstance(node, list) else dict(node)
                    changed[key] = new
        return node if changed is None else changed

    def reference(self, node: dict[str, Any], ref: str, file: Path, pointer: list[str]) -> Any:
        where = pointer_join(*pointer, "$ref")
        shown = self.given if file == self.root else file
        location, _, fragment = ref.partition("#")
        if "://" in location or location.startswith("//"):
            raise error(shown, f"remote $ref {ref!r} is not supported; download it beside the spec", where,
                        line_of(file, [*pointer, "$ref"]))
        target_file = (file.parent / unquote(location)).resolve() if location else file
        if not any(target_file.is_relative_to(folder) for folder in self.allowed):
            raise error(shown, f"$ref {ref!r} reaches outside the spec's folder and the working "
                        "folder", where, line_of(file, [*pointer, "$ref"]))
        try:
            parts = split_pointer(fragment)
            target = lookup(self.document(target_file, shown, pointer), parts)
        except (KeyError, ValueError):
            line = line_of(file, [*pointer, "$ref"])
            raise error(shown, f"$ref {ref!r} points at nothing", where, line) from None
        if target_file == self.root:
            return node  # local: kept as a reference
        key = (target_file, fragment)
        if key in self.hoisted:
            return {**node, "$ref": self.hoisted[key]}
        if (len(parts) == 3 and parts[0] == "components") or key in self.inlining:
            return {**node, "$ref": self.hoist(key, parts, target)}
        self.inlining.append(key)
        try:
            inlined = self.walk(copy.deepcopy(target), target_file, parts)
        finally:
            self.inlining.pop()
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**inlined, **siblings} if isinstance(inlined, dict) else inlined

    def hoist(self, key: tuple[Path, str], parts: list[str], target: Any) -> str:
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
        section[name] = self.walk(copy.deepcopy(target), key[0], parts)
        return local


def resolve(path: Path, document: Any, files: set[Path] | None = None) -> Any:
    """Bundle `document` (loaded from `path`) into one document with local refs only.

    `files`, when given, receives every file read (resolved paths, the root's included).
    """
    bundler = _Bundler(path, document)
    bundled = bundler.walk(document, bundler.root, [])
    if files is not None:
        files.update(bundler.documents)
    if bundler.extra and isinstance(bundled, dict):  # copies: `document` stays as it was
        components = bundled["components"] = dict(bundled.get("components", {}))
        for kind, items in sorted(bundler.extra.items()):
            components[kind] = {**components.get(kind, {}), **items}
    return bundled
