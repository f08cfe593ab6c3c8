"""Shaping options applied to the built IR: which operations to keep (`include`/`exclude`)
and, when some are dropped, pruning the models no kept operation reaches."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from generator import ir
from generator.options import Options


def matches(op: ir.Operation, selector: str) -> bool:
    """`tag:NAME`, `path:GLOB` (on the path; `*` crosses `/`), `id:GLOB` or a bare id glob.

    Operation ids match the spec's operationId or the method name.
    """
    kind, colon, value = selector.partition(":")
    if not colon or kind not in ("tag", "path", "id"):
        kind, value = "id", selector
    if kind == "tag":
        return value in (op.tags or (op.tag,))
    if kind == "path":
        return fnmatch.fnmatchcase(op.path, value)
    return fnmatch.fnmatchcase(op.operation_id, value) or fnmatch.fnmatchcase(op.name, value)


def kept(operations: Iterable[ir.Operation], options: Options) -> list[ir.Operation]:
    """The operations `include` selects (all when empty), minus those `exclude` selects."""
    result = []
    for op in operations:
        if options.include and not any(matches(op, s) for s in options.include):
            continue
        if any(matches(op, s) for s in options.exclude):
            continue
        result.append(op)
    return result


def _operation_types(op: ir.Operation) -> Iterable[ir.TypeRef]:
    yield from (p.type for p in op.parameters)
    if op.body is not None:
        yield op.body.type
    yield from (r.type for r in op.responses if r.type is not None)


def _needs(model: ir.Model) -> set[str]:
    """The models a model's definition names."""
    if isinstance(model, ir.ObjectModel):
        names = set(model.bases)
        for f in model.fields:
            names |= f.type.models()
            if f.default is not None and f.default.enum_member:
                names.add(f.default.enum_member.split(".")[0])
        if model.extra_type is not None:
            names |= model.extra_type.models()
        return names
    if isinstance(model, ir.AliasModel):
        return model.type.models()
    return set()


def reachable(models: Iterable[ir.Model], operations: Iterable[ir.Operation]) -> list[ir.Model]:
    """The models the operations reach over model references, in their original order."""
    by_name = {m.name: m for m in models}
    seen: set[str] = set()
    todo = [name for op in operations for t in _operation_types(op) for name in t.models()]
    todo += [
        p.default.enum_member.split(".")[0]
        for op in operations
        for p in op.parameters
        if p.default is not None and p.default.enum_member
    ]
    while todo:
        name = todo.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        todo.extend(_needs(by_name[name]))
    return [m for m in by_name.values() if m.name in seen]
