"""Large APIs get their models as a package of parts, imported on first use.

Creating thousands of pydantic classes takes seconds, so an API with more than `SPLIT_AT`
models gets `models/` instead of `models.py`: a façade whose `__getattr__` imports the part
that defines a name when it is first used. Parts follow the models' dependency order: the
strongly connected components of "refers to" (a cycle stays within one part), packed in
topological order, so a part imports only from earlier parts and never in a cycle. Importing
a model loads its part and the parts it needs, which pydantic needs to validate it anyway.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator import ir
from generator.render import pycode

#: Above this many models, the package form (tests lower it).
SPLIT_AT = 400
#: Models per part, roughly (a cycle is never split).
PART_SIZE = 120


@dataclass(frozen=True)
class Part:
    module: str  # "_part03"
    api: ir.Api  # the API with only this part's models (and no operations)
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (earlier part, names it uses)


def split(api: ir.Api) -> bool:
    return len(api.models) > SPLIT_AT


def parts(api: ir.Api) -> list[Part]:
    """The parts, in dependency order (each imports only from earlier ones)."""
    index = {m.name: i for i, m in enumerate(api.models)}
    needs = [sorted({index[n] for n in _referenced(m) if n in index and n != m.name})
             for m in api.models]
    groups: list[list[int]] = [[]]
    for component in _components(needs):
        if groups[-1] and len(groups[-1]) + len(component) > PART_SIZE:
            groups.append([])
        groups[-1].extend(sorted(component))  # spec order within a cycle (aliases need it)
    where = {i: n for n, group in enumerate(groups) for i in group}
    width = len(str(len(groups)))  # `_part07`: modules sort as their numbers do
    out = []
    for n, group in enumerate(groups):
        earlier: dict[int, set[str]] = {}
        for i in group:
            for j in needs[i]:
                if where[j] != n:
                    earlier.setdefault(where[j], set()).add(api.models[j].name)
        models = tuple(api.models[i] for i in group)
        out.append(Part(
            f"_part{n + 1:0{width}}",
            dataclasses.replace(api, models=models, tags=()),
            tuple((f"_part{k + 1:0{width}}", tuple(sorted(names)))
                  for k, names in sorted(earlier.items())),
        ))
    return out


def defined(source: str) -> list[str]:
    """The names a (small) generated module defines at its top level, `__all__` aside."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            names += [t.id for t in targets if isinstance(t, ast.Name) and t.id != "__all__"]
    return names


def _referenced(model: ir.Model) -> Iterator[str]:
    """The model names a model's code refers to."""
    if isinstance(model, ir.ObjectModel):
        yield from model.bases
    for t in pycode.types_of(model):
        if t.kind == "model":
            yield t.name


def _components(needs: list[list[int]]) -> Iterable[list[int]]:
    """Tarjan's strongly connected components, iteratively; dependencies come first."""
    count = len(needs)
    order = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    counter = 0
    for root in range(count):
        if order[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            if edge < len(needs[node]):
                work.append((node, edge + 1))
                nxt = needs[node][edge]
                if order[nxt] < 0:
                    work.append((nxt, 0))
                elif on_stack[nxt]:
                    low[node] = min(low[node], order[nxt])
                continue
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                yield component
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
