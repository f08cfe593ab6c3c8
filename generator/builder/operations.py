"""Operations: one per path and method, with their parameters and security requirements."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, cast

from openapi_pydantic.v3 import v3_0, v3_1

from generator import ir, naming
from generator.builder import path_checks
from generator.builder.context import child_pointer
from generator.builder.messages import CLIENT_OPTIONS, MessageBuilder
from generator.builder.schemas import fields_set
from generator.diagnostics import pointer_join

_STATUS = re.compile(r"[1-5](?:[0-9][0-9]|XX)|default")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Argument names the generated functions use themselves, or that would shadow their code.
_RESERVED_PARAMS = naming.METHOD_RESERVED | {"body", "request", "response", "implementation"}


class OperationBuilder(MessageBuilder):
    """Paths and methods to `ir.Operation`s (bodies and responses from `MessageBuilder`)."""

    def operations(self, scheme_names: set[str]) -> list[ir.Operation]:
        result: list[ir.Operation] = []
        first_use: dict[str, str] = {}  # operationId → pointer of the operation using it first
        for path, item in (self.api.paths or {}).items():
            item_pointer = pointer_join("paths", path)
            item, item_pointer = self.deref(item, item_pointer)
            if item is None:
                continue
            shared = [(node, child_pointer(item_pointer, "parameters", i))
                      for i, node in enumerate(item.parameters or [])]
            for method in METHODS:
                operation = getattr(item, method, None)
                if operation is not None:
                    op_pointer = child_pointer(item_pointer, method)
                    if operation.operationId is not None:
                        first = first_use.setdefault(operation.operationId, op_pointer)
                        if first != op_pointer:
                            self.warn(f"operationId {operation.operationId!r} is also used at {first}; "
                                      "operationIds must be unique (the method names are numbered)",
                                      child_pointer(op_pointer, "operationId"))
                    result.append(self.operation(path, method, operation, shared, op_pointer, scheme_names))
        return result

    def operation(self, path: str, method: str, op: Any, shared: list[tuple[Any, str]], pointer: str,
                  scheme_names: set[str]) -> ir.Operation:
        name = naming.operation_name(op.operationId, method, path)
        renames = dict(self.options.rename_operations)
        name = renames.get(op.operationId or "", renames.get(name, name))
        hint = naming.pascal(name)
        own = [(node, child_pointer(pointer, "parameters", i))
               for i, node in enumerate(op.parameters or [])]
        params = self.parameters(path_checks.declared(self, path, shared, own, pointer), pointer)
        bodies = self.bodies(op.requestBody, pointer, hint, {p.name for p in params})
        body = bodies[0] if bodies else None
        statuses = {}
        for status, response in (op.responses or {}).items():
            if _STATUS.fullmatch(str(status)):
                statuses[str(status)] = response
            else:
                where = child_pointer(pointer, "responses", str(status))
                self.warn(f"{status!r} is not an HTTP status code; response ignored", where)
        responses = tuple(
            self.response(status, response, pointer, hint, len(statuses) > 1)
            for status, response in statuses.items()
        )
        security = None
        raw_security = None
        if op.security is not None:
            raw_security = tuple(dict(r) for r in op.security)
            security = self.requirements(op.security, child_pointer(pointer, "security"), scheme_names)
        return ir.Operation(
            name=name,
            operation_id=op.operationId or naming.fastapi_operation_id(method, path, name),
            method=method,
            path=path,
            tag=(op.tags or ["default"])[0],
            summary=op.summary,
            description=op.description,
            parameters=params,
            body=body,
            responses=responses,
            security=security,
            security_raw=raw_security,
            tags=tuple(op.tags or ()),
            deprecated=bool(op.deprecated),
            pointer=pointer,
            bodies=bodies,
        )

    def requirements(self, requirements: Iterable[dict[str, list[str]]], pointer: str,
                     scheme_names: set[str]) -> tuple[tuple[str, ...], ...]:
        alternatives = []
        for requirement in requirements:
            unknown = [n for n in requirement if n not in scheme_names]
            if unknown:
                self.warn(f"security requirement names unknown scheme {unknown[0]!r}; ignored", pointer)
                continue
            alternatives.append(tuple(requirement))
        return tuple(alternatives)

    def parameters(self, by_key: dict[tuple[str, str], tuple[Any, str]], pointer: str
                   ) -> tuple[ir.Parameter, ...]:
        """The operation's parameters from `path_checks.declared` (by wire name and location)."""
        namer = naming.Namer(_RESERVED_PARAMS)
        result = []
        # Path parameters are named first: FastAPI matches them by their Python name.
        ordered = sorted(by_key.items(), key=lambda item: item[0][1] != "path")
        for (wire, location), (param, param_pointer) in ordered:
            schema = param.param_schema
            media_type = None
            if schema is None and param.content:
                media_type, media = next(iter(param.content.items()))
                schema = media.media_type_schema
            type_ = self.type_of(schema, child_pointer(param_pointer, "schema"), naming.pascal(wire))
            resolved, _ = self.deref(schema, param_pointer)
            default = None
            if isinstance(resolved, v3_0.Schema | v3_1.Schema) and "default" in fields_set(resolved):
                default = self.default(resolved.default, type_, param_pointer)
            style = getattr(param.style, "value", param.style) or ("form" if location in ("query", "cookie") else "simple")
            explode = param.explode if param.explode is not None else style == "form"
            structured = self.structured(type_)
            result.append(ir.Parameter(
                name=namer.claim(naming.identifier(naming.snake(wire), "param", _RESERVED_PARAMS | CLIENT_OPTIONS)),
                wire_name=wire,
                location=cast(Literal["path", "query", "header", "cookie"], location),
                type=type_,
                required=bool(param.required) or location == "path",
                default=default,
                description=param.description,
                style=style,
                explode=explode,
                deprecated=bool(param.deprecated),
                structured=structured,
                media_type=media_type,
            ))
        spec_order = list(by_key)
        result.sort(key=lambda p: (not p.required, spec_order.index((p.wire_name, p.location))))
        return tuple(result)
