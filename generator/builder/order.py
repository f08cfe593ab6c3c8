"""The order models are emitted in, and the cycles Python cannot define."""

from __future__ import annotations

from collections.abc import Callable

from generator import ir


def break_alias_cycles(models: dict[str, ir.Model], warn: Callable[[str, str], None]) -> dict[str, ir.Model]:
    """Type aliases are evaluated eagerly: one that needs itself is typed as Any."""
    models = dict(models)

    def reaches(start: str, name: str, seen: set[str]) -> bool:
        model = models.get(name)
        if not isinstance(model, ir.AliasModel) or name in seen:
            return False
        seen.add(name)
        return any(dep == start or reaches(start, dep, seen) for dep in model.type.models())

    for name, model in models.items():
        if isinstance(model, ir.AliasModel) and reaches(name, name, set()):
            warn("recursive type alias not supported yet; typed as Any", model.pointer)
            models[name] = ir.AliasModel(name, model.wire_name, ir.ANY, model.description, model.pointer)
    return models


def ordered_models(models: dict[str, ir.Model]) -> list[ir.Model]:
    """Creation order, except that what a class needs at definition time comes first."""

    def needs(model: ir.Model) -> list[str]:
        if isinstance(model, ir.ObjectModel):
            enum_defaults = [f.default.enum_member.split(".")[0] for f in model.fields
                             if f.default and f.default.enum_member]
            return [*model.bases, *enum_defaults]
        if isinstance(model, ir.AliasModel):
            return sorted(model.type.models())
        return []

    done: dict[str, ir.Model] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in visiting or name not in models:
            return
        visiting.add(name)
        for dep in needs(models[name]):
            visit(dep)
        visiting.discard(name)
        done[name] = models[name]

    for name in models:
        visit(name)
    return list(done.values())
