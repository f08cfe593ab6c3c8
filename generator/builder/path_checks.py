"""The parameters an operation declares, checked as a validator would.

Operation parameters override path-item ones with the same name and location (as the spec
says); a parameter repeated in one list warns and the last one wins. Path parameters and the
path template must agree: a template variable without a declared parameter gets a required
`str` one (so a client never sends a literal `{id}`); a declared path parameter that is not in
the template is dropped. Each is a warning naming its JSON pointer.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from openapi_pydantic.v3 import v3_0, v3_1

from generator.front.parse import OpenAPI

#: A template variable: `{name}` (names as real documents spell them; other braces are literal).
_VARIABLE = re.compile(r"\{([A-Za-z0-9_.$-]+)\}")

Declared = dict[tuple[str, str], tuple[Any, str]]


class _Builder(Protocol):
    api: OpenAPI

    def warn(self, message: str, pointer: str) -> None: ...

    def deref(self, node: Any, pointer: str, kind: Any = None) -> tuple[Any, str]: ...


def template_variables(path: str) -> list[str]:
    """The `{name}`s of a path template, in order, once each."""
    return list(dict.fromkeys(_VARIABLE.findall(path)))


def declared(builder: _Builder, path: str, shared: list[tuple[Any, str]], own: list[tuple[Any, str]],
             pointer: str) -> Declared:
    """(wire name, location) → (parameter, its pointer), in declaration order."""
    by_key: Declared = {}
    where: dict[tuple[str, str], str] = {}  # where each was declared (the `$ref`, if any)
    for group in (shared, own):
        seen: dict[tuple[str, str], str] = {}
        for node, node_pointer in group:
            param, param_pointer = builder.deref(node, node_pointer, (v3_0.Parameter, v3_1.Parameter))
            if param is None:
                continue
            location = str(getattr(param.param_in, "value", param.param_in))
            key = (param.name, location)
            if key in seen:
                builder.warn(f"{location} parameter {param.name!r} is declared twice (also at {seen[key]}); "
                             "the last one is used", node_pointer)
            seen[key] = where[key] = node_pointer
            by_key[key] = (param, param_pointer)
    variables = template_variables(path)
    for key in [k for k in by_key if k[1] == "path" and k[0] not in variables]:
        builder.warn(f"path parameter {key[0]!r} is not in the path template {path!r}; dropped", where[key])
        del by_key[key]
    model = v3_1 if isinstance(builder.api, v3_1.OpenAPI) else v3_0
    for name in variables:
        if (name, "path") not in by_key:
            builder.warn(f"path template variable {{{name}}} has no declared path parameter; generated "
                         "as a required string parameter", pointer)
            param = model.Parameter.model_validate(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
            by_key[(name, "path")] = (param, pointer)
    return by_key
