"""Compare two API surfaces (see `generator.commands.surface`): what changed, and for whom it breaks.

Breaking for a **client**: code written against the old version (or its generated client)
may fail against the new one. Breaking for a **server**: an implementation of the old
version does not satisfy the new one. Requests and responses are judged in opposite
directions: a request type that accepts less breaks clients; a response type that may
carry more breaks clients.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Data = dict[str, Any]

_LOWER = ("min_length", "ge", "gt", "min_items")  # a smaller bound accepts more
_UPPER = ("max_length", "le", "lt", "max_items")


@dataclass(frozen=True)
class Change:
    kind: str  # e.g. "field-removed"; see README's table
    where: str  # "GET /pets > query limit", "model Pet > name"
    detail: str
    client: bool  # breaking for clients
    server: bool  # breaking for servers

    @property
    def breaking(self) -> bool:
        return self.client or self.server

    def as_json(self) -> Data:
        return {
            "kind": self.kind,
            "where": self.where,
            "detail": self.detail,
            "breaking": {"client": self.client, "server": self.server},
        }


# ---------------------------------------------------------------------- types


def accepts(a: Data | None, b: Data | None) -> bool:
    """Does type `a` accept every value of type `b`? (Models compare by name.)"""
    if a is None or b is None:
        return a == b
    if a == b or a["k"] == "any":
        return True
    if b["k"] == "union":
        return all(accepts(a, option) for option in b["a"])
    if a["k"] == "union":
        return any(accepts(option, b) for option in a["a"])
    if b["k"] == "annotated":
        if a["k"] == "annotated":
            return accepts(a["a"][0], b["a"][0]) and _looser(a["c"], b["c"])
        return accepts(a, b["a"][0])
    if a["k"] == "annotated":
        return False
    if a["k"] == "literal" and b["k"] == "literal":
        return all(v in a["v"] for v in b["v"])
    if b["k"] == "literal":
        return all(accepts(a, _literal_type(v)) for v in b["v"])
    if a["k"] == "builtin" and b["k"] == "builtin":
        return bool(a["n"] == b["n"] or (a["n"] == "float" and b["n"] == "int"))
    if a["k"] == b["k"] and a["k"] in ("list", "dict"):
        return accepts(a["a"][0], b["a"][0])
    if {a["k"], b["k"]} == {"object", "dict"}:
        return bool(a["k"] == "object" or a["a"][0]["k"] == "any")
    return False


def _literal_type(value: Any) -> Data:
    name = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(value), "None")
    return {"k": "builtin", "n": name}


def _looser(a: Data, b: Data) -> bool:
    """Do constraints `a` allow everything constraints `b` allow?"""
    for key, value in a.items():
        other = b.get(key)
        if other is None:
            return False
        if key in _LOWER and not value <= other:
            return False
        if key in _UPPER and not value >= other:
            return False
        if key not in _LOWER + _UPPER and value != other:
            return False
    return True


def show(t: Data | None) -> str:
    """A type as its Python spelling, for messages."""
    if t is None:
        return "no body"
    k = t["k"]
    if k in ("builtin", "import", "model"):
        return str(t["n"])
    if k == "union":
        return " | ".join(show(a) for a in t["a"])
    if k == "literal":
        return f"Literal[{', '.join(map(repr, t['v']))}]"
    if k in ("list", "dict"):
        return f"{k}[{'str, ' if k == 'dict' else ''}{show(t['a'][0])}]"
    if k == "annotated":
        bounds = ", ".join(f"{key}={value!r}" for key, value in sorted(t["c"].items()))
        return f"{show(t['a'][0])} ({bounds})"
    return {"any": "Any", "object": "JsonObject", "binary": "bytes"}.get(k, str(k))


def _nullable(t: Data) -> bool:
    return t == {"k": "builtin", "n": "None"} or (
        t["k"] == "union" and any(_nullable(a) for a in t["a"])
    )


def _without_none(t: Data) -> Data:
    if t["k"] != "union":
        return t
    rest = [a for a in t["a"] if a != {"k": "builtin", "n": "None"}]
    return rest[0] if len(rest) == 1 else {**t, "a": rest}


def _models_in(t: Data | None) -> Iterator[str]:
    if t is None:
        return
    if t["k"] == "model":
        yield t["n"]
    for a in t.get("a", ()):
        yield from _models_in(a)


# ---------------------------------------------------------------------- the comparison


class _Differ:
    def __init__(self, old: Data, new: Data) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(self, kind: str, where: str, detail: str, client: bool, server: bool) -> None:
        self.changes.append(Change(kind, where, detail, client, server))

    def typed(self, kind: str, where: str, old: Data | None, new: Data | None,
              request: bool) -> None:
        """A type change, judged for the direction the value travels."""
        if old == new:
            return
        widened, narrowed = accepts(new, old), accepts(old, new)
        client = not widened if request else not narrowed
        server = not narrowed if request else not widened
        if old and new and old["k"] == new["k"] == "literal":
            self.enum_values(where, old["v"], new["v"], request)
            return
        how = "widened" if widened else "narrowed" if narrowed else "changed"
        self.add(kind, where, f"type {how}: {show(old)} → {show(new)}", client, server)

    def enum_values(self, where: str, old: list[Any], new: list[Any], request: bool) -> None:
        removed = [v for v in old if v not in new]
        added = [v for v in new if v not in old]
        if removed:
            self.add("enum-value-removed", where, f"values removed: {_values(removed)}",
                     request, not request)
        if added:
            self.add("enum-value-added", where, f"values added: {_values(added)}",
                     not request, request)

    # ------------------------------------------------------------------ operations

    def operations(self) -> None:
        old, new = self.old["operations"], self.new["operations"]
        for key in old.keys() - new.keys():
            self.add("operation-removed", key, f"operation {old[key]['name']} removed",
                     True, False)
        for key in new.keys() - old.keys():
            self.add("operation-added", key, f"operation {new[key]['name']} added",
                     False, True)
        for key in sorted(old.keys() & new.keys()):
            self.operation(key, old[key], new[key])

    def operation(self, key: str, old: Data, new: Data) -> None:
        if old["name"] != new["name"]:
            self.add("operation-renamed", key, f"renamed {old['name']} → {new['name']}",
                     True, True)
        self.security(key, old["security"], new["security"])
        self.parameters(key, old["parameters"], new["parameters"])
        self.body(key, old.get("body"), new.get("body"))
        self.responses(key, old["responses"], new["responses"])

    def security(self, key: str, old: list[list[str]], new: list[list[str]]) -> None:
        if sorted(old) == sorted(new):
            return
        # An old way to authenticate that no longer works breaks clients; a new one that
        # old servers do not offer breaks servers. No security at all accepts anything.
        client = bool(new) and (not old or any(alt not in new for alt in old))
        server = bool(old) and (not new or any(alt not in old for alt in new))
        self.add("security-changed", key, f"security {_alts(old)} → {_alts(new)}",
                 client, server)

    def parameters(self, key: str, old: Data, new: Data) -> None:
        for name in sorted(old.keys() - new.keys()):
            self.add("parameter-removed", f"{key} > {name}", "parameter removed", True, False)
        for name in sorted(new.keys() - old.keys()):
            required = new[name]["required"]
            self.add("parameter-added", f"{key} > {name}",
                     f"{'required' if required else 'optional'} parameter added",
                     required, False)
        for name in sorted(old.keys() & new.keys()):
            a, b, where = old[name], new[name], f"{key} > {name}"
            if a["required"] != b["required"]:
                self.add("parameter-required" if b["required"] else "parameter-optional",
                         where, f"became {'required' if b['required'] else 'optional'}",
                         b["required"], not b["required"])
            self.typed("parameter-type", where, a["type"], b["type"], request=True)

    def body(self, key: str, old: Data | None, new: Data | None) -> None:
        where = f"{key} > body"
        if old is None and new is not None:
            self.add("body-added", where, f"{'required' if new['required'] else 'optional'} "
                     "request body added", new["required"], False)
        elif old is not None and new is None:
            self.add("body-removed", where, "request body removed", True, False)
        elif old is not None and new is not None:
            if old["required"] != new["required"]:
                self.add("body-required" if new["required"] else "body-optional", where,
                         f"became {'required' if new['required'] else 'optional'}",
                         new["required"], not new["required"])
            if old["media_type"] != new["media_type"]:
                self.add("body-media-type", where,
                         f"media type {old['media_type']} → {new['media_type']}", True, True)
            self.typed("body-type", where, old["type"], new["type"], request=True)

    def responses(self, key: str, old: Data, new: Data) -> None:
        for status in sorted(old.keys() - new.keys()):
            self.add("response-removed", f"{key} > {status}", "response removed",
                     status.startswith("2"), False)
        for status in sorted(new.keys() - old.keys()):
            self.add("response-added", f"{key} > {status}", "response added",
                     status.startswith("2"), False)
        for status in sorted(old.keys() & new.keys()):
            a, b, where = old[status], new[status], f"{key} > {status}"
            if a["media_type"] != b["media_type"]:
                self.add("response-media-type", where,
                         f"media type {a['media_type']} → {b['media_type']}", True, True)
            self.typed("response-type", where, a["type"], b["type"], request=False)

    # ------------------------------------------------------------------ models

    def directions(self, surface: Data) -> dict[str, set[bool]]:
        """For each model: True if it travels in requests, False if in responses."""
        models = surface["models"]
        found: dict[str, set[bool]] = {}

        def visit(name: str, request: bool) -> None:
            if request in found.setdefault(name, set()) or name not in models:
                return
            found[name].add(request)
            model = models[name]
            types = [f["type"] for f in model.get("fields", {}).values()]
            types += [model.get("type"), model.get("extra")]
            for base in model.get("bases", ()):
                visit(base, request)
            for t in types:
                for ref in _models_in(t):
                    visit(ref, request)

        for op in surface["operations"].values():
            for t in [p["type"] for p in op["parameters"].values()] + [
                op.get("body", {}).get("type")
            ]:
                for ref in _models_in(t):
                    visit(ref, True)
            for response in op["responses"].values():
                for ref in _models_in(response["type"]):
                    visit(ref, False)
        return found

    def models(self) -> None:
        old, new = self.old["models"], self.new["models"]
        directions = self.directions(self.old)
        for name, sides in self.directions(self.new).items():
            directions.setdefault(name, set()).update(sides)
        for name in sorted(old.keys() - new.keys()):
            self.add("model-removed", f"model {name}", "model removed", True, False)
        for name in sorted(new.keys() - old.keys()):
            self.add("model-added", f"model {name}", "model added", False, False)
        for name in sorted(old.keys() & new.keys()):
            sides = directions.get(name) or {True, False}  # unused: judged both ways
            for request in sorted(sides, reverse=True):
                self.model(name, old[name], new[name], request)
        self.merge_sides()

    def model(self, name: str, old: Data, new: Data, request: bool) -> None:
        where = f"model {name}"
        if old["kind"] != new["kind"]:
            self.add("model-kind", where, f"{old['kind']} → {new['kind']}", True, True)
        elif old["kind"] == "enum":
            self.enum_values(where, old["values"], new["values"], request)
        elif old["kind"] == "alias":
            self.typed("model-type", where, old["type"], new["type"], request)
        else:
            if old.get("bases", []) != new.get("bases", []):
                self.add("model-bases", where,
                         f"bases {old.get('bases', [])} → {new.get('bases', [])}", True, True)
            self.fields(where, old["fields"], new["fields"], request)

    def fields(self, where: str, old: Data, new: Data, request: bool) -> None:
        for wire in sorted(old.keys() - new.keys()):
            self.add("field-removed", f"{where} > {wire}", "field removed", True, False)
        for wire in sorted(new.keys() - old.keys()):
            required = new[wire]["required"]
            detail = f"{'required' if required else 'optional'} field added"
            # Clients must send a new required request field; old servers never send a
            # new required response field.
            self.add("field-added", f"{where} > {wire}", detail,
                     required and request, required and not request)
        for wire in sorted(old.keys() & new.keys()):
            a, b, at = old[wire], new[wire], f"{where} > {wire}"
            if a["required"] != b["required"]:
                now = b["required"]
                self.add("field-required" if now else "field-optional", at,
                         f"became {'required' if now else 'optional'}",
                         now == request, now != request)
            if _nullable(a["type"]) != _nullable(b["type"]):
                now = _nullable(b["type"])
                self.add("field-nullable" if now else "field-not-nullable", at,
                         f"became {'nullable' if now else 'not nullable'}",
                         now != request, now == request)
            self.typed("field-type", at, _without_none(a["type"]), _without_none(b["type"]),
                       request)

    def merge_sides(self) -> None:
        """A model used both ways gives one change per side: keep one, breaking for both."""
        merged: dict[tuple[str, str, str], Change] = {}
        for change in self.changes:
            key = (change.kind, change.where, change.detail)
            if key in merged:
                seen = merged[key]
                change = Change(change.kind, change.where, change.detail,
                                seen.client or change.client, seen.server or change.server)
            merged[key] = change
        self.changes = list(merged.values())


def compare(old: Data, new: Data) -> list[Change]:
    """Every change from surface `old` to surface `new`, in a stable order."""
    differ = _Differ(old, new)
    differ.operations()
    differ.models()
    return sorted(differ.changes, key=lambda c: (not c.breaking, c.where, c.kind))


def _values(values: list[Any]) -> str:
    return ", ".join(map(repr, values))


def _alts(alternatives: list[list[str]]) -> str:
    if not alternatives:
        return "none"
    return " or ".join("+".join(alt) or "anonymous" for alt in alternatives)


def summary(changes: list[Change], limit: int = 5) -> str:
    """One paragraph: how many changes, how many break whom, the first few."""
    if not changes:
        return ""
    client = sum(c.client for c in changes)
    server = sum(c.server for c in changes)
    shown = "; ".join(f"{c.where}: {c.detail}" for c in changes[:limit])
    more = f"; and {len(changes) - limit} more" if len(changes) > limit else ""
    noun = "change" if len(changes) == 1 else "changes"
    return (f"{len(changes)} API {noun} ({client} breaking for clients, {server} for "
            f"servers): {shown}{more}.")
