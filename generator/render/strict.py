"""Autoescape-by-context for user templates: spec text cannot reach the output unescaped.

When a target has a `templates` folder, every template renders in an environment where a
string is *trusted* only if it is a template literal, the output of an escaping filter
(`pystr`, `docstring`, `comment`, `pyliteral`, `ident`, `annotation`, ...) or of a
generator helper (`ops.*`), or a concatenation/join of trusted strings. Any other string
(a description, a summary, a template variable) may only be output when it is plainly
harmless (letters, digits, `_ .,|[]` and spaces); otherwise rendering stops with an error
naming the template and the fix, so `{{ model.description }}` cannot inject code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import jinja2
import jinja2.runtime
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS as DEFAULT_FILTERS

#: What an untrusted string may contain and still be output: no quotes, newlines, `#`,
#: backslashes, parentheses or `;`, so it cannot end a literal, a line or start a call.
_HARMLESS = re.compile(r"[A-Za-z0-9_ .,|\[\]]*")


class Trusted(str):
    """Text that is already right for its place in the generated code."""

    __slots__ = ()


class UnsafeOutput(jinja2.TemplateError):
    """A user template outputs spec text without escaping it."""


#: Modules whose result objects (`Argument`, `ReplyClass`, ...) hold code text.
_HELPER_MODULES = frozenset({"generator.render.operations", "generator.render.server_ops"})
#: Attributes of helper results that hold spec text as it is (still to be escaped).
_RAW_ATTRIBUTES = frozenset({"description", "summary", "title"})


class TrustedView:
    """A helper's result object (such as `ops.Argument`): its code text trusted, its
    spec text (description, summary, title) left raw."""

    def __init__(self, target: object) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        return value if name in _RAW_ATTRIBUTES else trust(value)

    def __str__(self) -> str:
        return Trusted(str(self._target))

    def __bool__(self) -> bool:
        return bool(self._target)


def trust(value: Any) -> Any:
    """Mark helper results as trusted: strings, strings inside lists and dicts, and the
    code text of the helpers' own result objects (never IR objects: those hold spec text)."""
    if isinstance(value, str):
        return Trusted(value)
    if isinstance(value, list | tuple):
        return [trust(v) for v in value]
    if isinstance(value, dict):
        return {k: trust(v) for k, v in value.items()}
    if type(value).__module__ in _HELPER_MODULES:
        return TrustedView(value)
    return value


def trusting(function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return trust(function(*args, **kwargs))

    wrapper.__name__ = getattr(function, "__name__", "helper")
    return wrapper


class TrustedModule:
    """A module of helpers whose string results are trusted (`ops` in templates)."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        return trusting(value) if callable(value) and not isinstance(value, type) else value


def _is_trusted(value: Any) -> bool:
    if isinstance(value, Trusted | TrustedView | jinja2.Undefined):
        return True  # Undefined: `x if c` without else
    if isinstance(value, str):
        return _HARMLESS.fullmatch(value) is not None
    return value is None or isinstance(value, bool | int | float)


def concat(parts: Iterable[Any]) -> str:
    """`a ~ b`: trusted when every part is."""
    items = list(parts)
    text = "".join(map(str, items))
    return Trusted(text) if all(_is_trusted(p) for p in items) else text


def join(value: Iterable[Any], separator: str = "", attribute: str | None = None) -> str:
    """The `join` filter: trusted when the separator and every item are."""
    items = [getattr(v, attribute) if attribute else v for v in value]
    return concat(_interleave(items, separator))


def _interleave(items: list[Any], separator: str) -> Iterable[Any]:
    for i, item in enumerate(items):
        if i:
            yield separator
        yield item


@jinja2.pass_context
def finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    if _is_trusted(value):
        return value
    shown = str(value)[:40]
    raise UnsafeOutput(
        f"template {context.name}: {shown!r} is spec or config text output without "
        "escaping; pass it through the filter for its place: pystr (string literal), "
        "docstring, comment, pyliteral (Python value) or ident (name)"
    )


class TrustedMacro(jinja2.runtime.Macro):
    """A macro whose output is trusted: every `{{ ... }}` inside it passed `finalize`."""

    def _invoke(self, arguments: list[Any], autoescape: bool) -> str:
        return Trusted(super()._invoke(arguments, autoescape))


class Generator(CodeGenerator):
    """Compiles string literals as trusted, `~` through `concat`, macros as `TrustedMacro`."""

    def macro_def(self, macro_ref: Any, frame: Frame) -> None:
        arg_tuple = ", ".join(repr(x.name) for x in macro_ref.node.args)
        name = getattr(macro_ref.node, "name", None)
        if len(macro_ref.node.args) == 1:
            arg_tuple += ","
        self.write(
            f"environment.macro(environment, macro, {name!r}, ({arg_tuple}),"
            f" {macro_ref.accesses_kwargs!r}, {macro_ref.accesses_varargs!r},"
            f" {macro_ref.accesses_caller!r}, context.eval_ctx.autoescape)"
        )

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        value = node.as_const(frame.eval_ctx)
        if isinstance(value, str):
            self.write(f"environment.trusted({value!r})")
        else:
            super().visit_Const(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class StrictEnvironment(jinja2.Environment):
    code_generator_class = Generator
    trusted = Trusted
    macro = TrustedMacro
    concat = staticmethod(concat)


def keeping_trust(function: Callable[..., str]) -> Callable[..., str]:
    """A context filter that only reshapes text (`fit`): its result is trusted when its
    input is."""

    @jinja2.pass_context
    def wrapper(context: Any, value: Any, *args: Any, **kwargs: Any) -> str:
        text = function(context, value, *args, **kwargs)
        return Trusted(text) if _is_trusted(value) else text

    wrapper.__name__ = getattr(function, "__name__", "filter")
    return wrapper


#: Filters that reshape their input rather than escape it.
_RESHAPING = frozenset({"join", "fit"})


def harden(env: jinja2.Environment) -> None:
    """Make an environment's filters and helpers produce trusted text (in place)."""
    for name in list(env.filters):
        if name not in _RESHAPING and name not in DEFAULT_FILTERS:
            env.filters[name] = trusting(env.filters[name])
    env.filters["join"] = join
    env.filters["fit"] = keeping_trust(env.filters["fit"])
