"""Random nested statements, laid out by the layout pass and by black: always the same."""

from __future__ import annotations

import black
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.layout.replay import layout

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)

names = st.sampled_from(
    ["a", "value", "models.Item", "self._client", "some_rather_long_name", "x1", "None"]
)
strings = st.sampled_from(['"s"', '"a longer string literal"', '"' + "w" * 70 + '"'])
numbers = st.sampled_from(["0", "42", "3.5", "-1"])
atoms = st.one_of(names, strings, numbers)


def _join(items: list[str]) -> str:
    return ", ".join(items)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    args = st.lists(inner, min_size=0, max_size=4)
    kwargs = st.lists(st.tuples(st.sampled_from(["key", "description", "x"]), inner),
                      max_size=3)
    return st.one_of(
        st.builds(lambda f, a, k: f"{f}({_join(a + [f'{n}={v}' for n, v in k])})",
                  names, args, kwargs),
        st.builds(lambda f, a: f"{f}(*{a})", names, inner),
        st.builds(lambda v, i: f"{v}[{i}]", names, inner),
        st.builds(lambda v, i: f"{v}[{_join(i)}]", names, st.lists(inner, min_size=2, max_size=3)),
        st.builds(lambda a: f"[{_join(a)}]", args),
        st.builds(lambda a: f"({_join(a)},)" if len(a) == 1 else f"({_join(a)})", args),
        st.builds(lambda k: "{" + _join([f"{a}: {b}" for a, b in k]) + "}",
                  st.lists(st.tuples(strings, inner), max_size=4)),
        st.builds(lambda a, b: f"{a} | {b}", inner, inner),
        st.builds(lambda a, b: f"{a} + {b}", inner, inner),
        st.builds(lambda a, b: f"{a} and {b}", inner, inner),
        st.builds(lambda a, b: f"{a} == {b}", inner, inner),
        st.builds(lambda a, b: f"{a} not in {b}", inner, inner),
        st.builds(lambda a, b, c: f"{a} if {b} else {c}", inner, inner, inner),
        st.builds(lambda a, b: f"[{a} for item in {b}]", inner, inner),
        st.builds(lambda a: f"lambda item: {a}", inner),
        st.builds(lambda a: f"not {a}", inner),
        st.builds(lambda a: f"{a}.method()", names),
    )


expressions = st.recursive(atoms, _extend, max_leaves=25)
targets = st.sampled_from(["x", "self.value", "result[0]", "name: SomeType | None"])


@st.composite
def statements(draw: st.DrawFn) -> str:
    value = draw(expressions)
    kind = draw(st.sampled_from(["assign", "return", "expr", "def", "ann"]))
    level = draw(st.integers(0, 2))
    indent = "    " * level
    head = "".join("    " * d + f"class C{d}:\n" for d in range(level))
    if kind == "assign":
        line = f"{draw(targets)} = {value}"
    elif kind == "return":
        line = f"return {value}"
    elif kind == "expr":
        # Bare expression statements other than calls (templates never emit them) are not
        # parenthesized as black does: a known limit of the layout pass, so they are called.
        line = value if not value.startswith(("-", "lambda", "not", "{", '"', "'")) else f"f({value})"
    elif kind == "ann":
        line = f"name: {draw(expressions)} = {value}"
    else:
        params = draw(st.lists(st.tuples(st.sampled_from(["a", "body", "query"]), expressions),
                               max_size=3, unique_by=lambda p: p[0]))
        sig = ", ".join(f"{n}: {t}" for n, t in params)
        return f"{head}{indent}def f({sig}) -> {value}:\n{indent}    pass\n"
    return f"{head}{indent}def g():\n{indent}    {line}\n"


def deterministic(examples: int) -> settings:
    """The same examples on every run (CI never meets a new one by chance); a failure is
    reported as drawn, without shrinking (the shrinker can take gigabytes here)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@deterministic(100)
@given(statements())
def test_random_statement_matches_black(source: str) -> None:
    try:
        expected = black.format_str(source, mode=MODE)
    except black.InvalidInput:
        return  # not Python (say a starred subscript somewhere black rejects)
    assert layout(source) == expected
