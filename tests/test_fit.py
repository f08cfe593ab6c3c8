"""The `fit` filter: long statements exploded into shapes black keeps, meaning unchanged."""

from __future__ import annotations

import ast

import black
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_layout_random import deterministic, expressions, targets

from generator.layout.fit import fit
from generator.layout.replay import layout

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def _nested(line: str, level: int, body: str = "") -> tuple[str, str]:
    """`line` (then `body`) inside `level` nested classes: as printed, and fitted."""
    head = "".join("    " * d + f"class C{d}:\n" for d in range(level))
    indent = "    " * level
    return f"{head}{indent}{line}{body}\n", f"{head}{indent}{fit(line, 4 * level)}{body}\n"


def _stable(source: str) -> None:
    assert black.format_str(source, mode=MODE) == source


def test_a_line_that_fits_is_kept() -> None:
    assert fit("x = f(a, b)", 4) == "x = f(a, b)"


def test_a_long_call_is_exploded_with_magic_commas() -> None:
    line = "response = self._client.send(" + ", ".join(f"argument_{i}=value_{i}" for i in range(8)) + ")"
    out = fit(line, 8)
    assert out.splitlines()[0] == "response = self._client.send("
    assert out.splitlines()[1] == "            argument_0=value_0,"
    assert out.endswith("\n        )")
    _stable(f"def f():\n    if x:\n        {out}\n")


def test_a_signature_with_a_long_union_return_is_parenthesized() -> None:
    members = " | ".join(f"models.SomeRatherLongResponseModelName{i}" for i in range(3))
    line = f"async def operation(self, *, enterprise: str) -> {members}:"
    out = fit(line, 4)
    assert ") -> (" in out and "        | models.SomeRatherLongResponseModelName1" in out
    _stable(f"class C:\n    {out}\n        pass\n")


def test_a_long_import_gets_parentheses() -> None:
    line = "from . import " + ", ".join(f"module_{i}" for i in range(12))
    out = fit(line, 0)
    assert out.startswith("from . import (\n    module_0,\n")
    _stable(out + "\n")


def test_an_atom_value_goes_inside_parentheses() -> None:
    line = "permissions: NullableRepositoryWebhooksTemplateRepositoryPermissions | MISSING = MISSING"
    out = fit(line, 4)
    assert out.splitlines() == [
        "permissions: NullableRepositoryWebhooksTemplateRepositoryPermissions | MISSING = (",
        "        MISSING",
        "    )",
    ]
    _stable(f"class C:\n    {out}\n")


@pytest.mark.parametrize(
    "line",
    [
        # a trailing comma would make a parenthesized expression a tuple
        "x = (" + " + ".join(f"'word number {i}'" for i in range(8)) + ")",
        # commas of lambda parameters and comprehensions are not element separators
        "x = f(lambda a, b: a + b, " + ", ".join(f"value_{i}" for i in range(10)) + ")",
        "x = f(item for item in " + "some_rather_long_iterable_name_" * 3 + ")",
        # a comment cannot move into the brackets
        "x = f(" + ", ".join(f"value_{i}" for i in range(12)) + ")  # note",
        # a subscript: a magic comma there is not always magic
        "x: Literal[" + ", ".join(f'"member_{i}"' for i in range(12)) + "]",
        # a long subscript return type: black splits its brackets, adding no parentheses
        "def f(self, *, owner: str) -> _core.ApiResponse[models.AgentTasksCreateTaskInRepoResponse201, _core.Headers]: ...",
    ],
)
def test_shapes_it_leaves_to_the_layout_pass(line: str) -> None:
    assert fit(line, 4) == line


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, str]:
    """A statement as a template prints it (one line), and the same statement fitted."""
    value = draw(expressions)
    kind = draw(st.sampled_from(["assign", "return", "def", "ann", "import"]))
    level = draw(st.integers(0, 2))
    if kind == "assign":
        line = f"{draw(targets)} = {value}"
    elif kind == "return":
        line = f"return {value}"
    elif kind == "ann":
        line = f"name: {draw(expressions)} = {value}"
    elif kind == "import":
        names = draw(st.lists(st.sampled_from(["alpha", "beta_module", "gamma_longer_name"]),
                              min_size=1, max_size=12))
        line = "from .package import " + ", ".join(names)
    else:
        params = draw(st.lists(st.tuples(st.sampled_from(["a", "body", "query"]), expressions),
                               max_size=3, unique_by=lambda p: p[0]))
        sig = ", ".join(f"{n}: {t}" for n, t in params)
        line = f"def f({sig}) -> {value}:"
    return _nested(line, level, f"\n{'    ' * (level + 1)}pass" if kind == "def" else "")


@deterministic(150)
@given(statements())
def test_fitted_statements_mean_the_same_and_black_keeps_them(pair: tuple[str, str]) -> None:
    original, fitted = pair
    if fitted == original:
        return  # left to the layout pass as it is (see test_layout_random)
    try:
        meaning = ast.dump(ast.parse(original))
        expected = black.format_str(fitted, mode=MODE)
    except (SyntaxError, black.InvalidInput):
        return  # not Python (say a starred subscript somewhere, or a lambda in a for)
    assert ast.dump(ast.parse(fitted)) == meaning
    # what fit shaped black keeps; what it left long, the layout pass lays out as black does
    assert layout(fitted) == expected


_NAMES = st.text("abcdefghij_", min_size=1, max_size=50).map(lambda s: "f" + s)
_MEMBERS = st.sampled_from([
    "MISSING", "None", "str", "JsonObject", "SomeRatherLongModelNameForAField",
    'Literal["read", "write"]', 'Literal["enabled", "disabled", "code_security", "not_set"]',
    'Annotated[str, Field(json_schema_extra={"format": "uri"})]',
    "Annotated[int, Field(ge=-2147483648, le=2147483647)]", "list[NestedItemModel]",
    "dict[str, Any]",
    # long nested subscripts (OData's `$select`, tagged unions): split at their brackets
    "Annotated[list[Literal[" + ", ".join(f'"property{i}Name"' for i in range(9))
    + "]], models._keywords(models._unique())]",
    "list[Literal[" + ", ".join(f'"member_{i}"' for i in range(14)) + "]]",
    'Annotated[Annotated[models.PrivateUser, models._Tag("private")] | Annotated['
    'models.PublicUser, models._Tag("public")], models._Discriminator(models._tag("kind"))]',
    'Annotated[str, Field(min_length=1, max_length=128, pattern="^[a-zA-Z0-9._-]+$")]',
])
_ARGUMENTS = st.sampled_from([
    "default=MISSING", "default=None", 'validation_alias="someWireName"',
    'serialization_alias="someWireName"', 'description="' + "word " * 6 + 'end"',
    'description="' + "longer text " * 9 + 'end"', 'examples=["git:git.example.com/a/b"]',
])


@st.composite
def fields(draw: st.DrawFn) -> tuple[str, str]:
    """A model field as the models template prints it (`name: T = Field(...)`), fitted."""
    members = draw(st.lists(_MEMBERS, min_size=1, max_size=4, unique=True))
    arguments = draw(st.lists(_ARGUMENTS, min_size=1, max_size=4, unique=True))
    call = draw(st.sampled_from(["Field", "models.Field", "_runtime.Param"]))
    line = f"{draw(_NAMES)}: {' | '.join(members)} = {call}({', '.join(arguments)})"
    return _nested(line, draw(st.integers(0, 2)))


@deterministic(300)
@given(fields())
def test_fitted_fields_mean_the_same_and_black_keeps_them(pair: tuple[str, str]) -> None:
    _kept(*pair)


@st.composite
def signatures(draw: st.DrawFn) -> tuple[str, str]:
    """A client method signature (`def name(self, *, a: T = MISSING, ...) -> R:`), fitted:
    union annotations of every length, so some parameters are shaped and others left long."""
    params = draw(st.lists(st.tuples(_NAMES, st.lists(_MEMBERS, min_size=1, max_size=3, unique=True),
                                     st.sampled_from(["", " = MISSING", " = None"])),
                           min_size=1, max_size=5, unique_by=lambda p: p[0]))
    returns = draw(st.sampled_from(["None", "models.SomeRatherLongResponseModelName",
                                    "_core.ApiResponse[models.Pet, _core.Headers]"]))
    rendered = ", ".join(f"{name}: {' | '.join(members)}{default}" for name, members, default in params)
    line = f"def {draw(_NAMES)}(self, *, {rendered}) -> {returns}:"
    head = "class C0:\n"
    return (f"{head}    {line}\n        pass\n", f"{head}    {fit(line, 4)}\n        pass\n")


@deterministic(200)
@given(signatures())
def test_fitted_signatures_mean_the_same_and_black_keeps_them(pair: tuple[str, str]) -> None:
    _kept(*pair)


@st.composite
def thunks(draw: st.DrawFn) -> tuple[str, str]:
    """A server route's parameter (`_runtime.Param(..., lambda: T, ...)`), fitted: a long
    thunk is split inside its body."""
    annotation = " | ".join(draw(st.lists(_MEMBERS, min_size=1, max_size=2, unique=True)))
    line = (f'{draw(_NAMES)} = _runtime.Param("{draw(_NAMES)}", "query", False, '
            f'lambda: {annotation}, lambda: None)')
    return _nested(line, draw(st.integers(0, 2)))


@deterministic(200)
@given(thunks())
def test_fitted_thunks_mean_the_same_and_black_keeps_them(pair: tuple[str, str]) -> None:
    _kept(*pair)


def test_a_long_union_parameter_is_split_at_its_bars_and_brackets() -> None:
    items = ", ".join(f'"property{i}Name"' for i in range(9))
    line = (f"def f(self, *, select: Annotated[list[Literal[{items}]], "
            "models._keywords(models._unique())] | MISSING = MISSING) -> None:")
    out = fit(line, 4)
    assert "        select: (\n            Annotated[\n                list[\n" in out
    assert "\n            | MISSING\n        ) = MISSING,\n" in out
    assert all(len(row) <= 88 for row in out.splitlines())
    _kept(f"class C0:\n    {line}\n        pass\n", f"class C0:\n    {out}\n        pass\n")


def _kept(original: str, fitted: str) -> None:
    """Fitted code means the same, and with the layout pass it is what black prints."""
    assert ast.dump(ast.parse(fitted)) == ast.dump(ast.parse(original))
    assert layout(fitted) == black.format_str(fitted, mode=MODE)
