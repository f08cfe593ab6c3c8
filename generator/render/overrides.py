"""User template folders (`templates` option): which templates they override, and the
black formatting of what overridden templates produce (their layout is not ours to trust).
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
import jinja2.meta

from generator.options import Options


class TemplateProblem(Exception):
    """A user template cannot be rendered or formatted; the message is one line."""


def folder(options: Options) -> Path | None:
    return None if options.templates is None else options.templates.resolve()


@functools.cache
def names(user: Path | None) -> frozenset[str]:
    """The template names the folder provides (posix paths relative to it)."""
    if user is None:
        return frozenset()
    return frozenset(p.relative_to(user).as_posix() for p in user.rglob("*.j2") if p.is_file())


def uses(env: jinja2.Environment, template: jinja2.Template, overridden: frozenset[str]) -> bool:
    """Does `template` (or a template it includes, imports or extends) come from the user?"""
    return _reaches(env, template.name or "", overridden, frozenset())


def _reaches(env: jinja2.Environment, name: str, overridden: frozenset[str],
             seen: frozenset[str]) -> bool:
    if name in overridden:
        return True
    if name in seen or env.loader is None:
        return False
    source, _, _ = env.loader.get_source(env, name)
    referenced = jinja2.meta.find_referenced_templates(env.parse(source))
    return any(
        ref is not None and _reaches(env, ref, overridden, seen | {name}) for ref in referenced
    )


def black(template: str, text: str) -> str:
    """black-format the output of an overridden template."""
    try:
        import black as black_module
        from black.mode import TargetVersion
        from black.parsing import InvalidInput
    except ImportError:
        raise TemplateProblem(
            f"template {template} is overridden and its output is formatted with black, "
            "which is not installed: pip install black (or set formatter)"
        ) from None
    mode = black_module.Mode(target_versions={TargetVersion.PY311}, line_length=88)
    try:
        return black_module.format_str(text, mode=mode)
    except InvalidInput as error:
        raise TemplateProblem(
            f"template {template} (overridden) produced invalid Python: {error}"
        ) from None
