"""Unit tests for generator.render.escape: spec text reaching generated code.

hypothesis is not installed in the project's venv, so the round-trip properties run
over a fixed list of hostile strings plus a seeded pseudo-random corpus (deterministic).
"""

from __future__ import annotations

import ast
import inspect
import io
import math
import random
import re
import tokenize

import black
import pytest

from generator.render import escape

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)

HOSTILE = [
    "",
    "plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    'a"b"c\'d',
    "a'b'c\"d",
    '"""',
    "'''",
    '""""""',
    '"',
    "'",
    "\\",
    "\\\\",
    "ends with backslash \\",
    '\\"',
    "\\'",
    "\\n is not a newline",
    "line1\nline2",
    "cr\rlf\r\n",
    "tab\there",
    "nul\x00byte",
    "bell\x07 del\x7f esc\x1b",
    "line sep\u2028para sep\u2029",
    "vt\x0b ff\x0c fs\x1c gs\x1d rs\x1e nel\x85",
    "bidi \u202eevil\u202c and \u2066isolate\u2069",
    "zero width\u200b joiner\u200d bom\ufeff",
    "emoji 🙂 and \U0001d54f and 👩\u200d👩\u200d👧",
    "accents é ñ ü ß",
    "nbsp\xa0ideographic\u3000space",
    "lone surrogate \ud800 here",
    "{{ jinja }} {% raw %} ${shell} `tick`",
    "\"\"\"; __import__('os').system('echo PWNED') #",
    "'); __import__('os').system('x'); ('",
    "\\N{BULLET} and \\x41 and \\u0041",
    "f'{x}'",
]


def seeded_strings(alphabet: str, count: int, seed: int, max_len: int = 24) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, max_len))) for _ in range(count)]


def ids(values: list[str]) -> list[str]:
    """Short ASCII test ids: the corpus holds control characters."""
    return [f"{i}-{ascii(v)[1:21]}" for i, v in enumerate(values)]


PYSTR_ALPHABET = "ab '\"\\\n\r\t\x00\x01\x7f\x85\u2028\u2029\u202e\xa0\u3000🙂é\ud800{}#N"
PYSTR_CORPUS = HOSTILE + seeded_strings(PYSTR_ALPHABET, 400, seed=20240601)


def black_string_token(source: str) -> str:
    """The one STRING token black prints for `source`."""
    out = black.format_str(source, mode=MODE)
    tokens = [
        t.string
        for t in tokenize.generate_tokens(io.StringIO(out).readline)
        if t.type == tokenize.STRING
    ]
    assert len(tokens) == 1, out
    return tokens[0]


# ---------------------------------------------------------------------- pystr


@pytest.mark.parametrize("value", PYSTR_CORPUS, ids=ids(PYSTR_CORPUS))
def test_pystr_round_trips(value: str) -> None:
    literal = escape.pystr(value)
    assert ast.literal_eval(literal) == value
    # One physical line, and nothing but the string on it.
    assert "\n" not in literal and "\r" not in literal
    assert not any(ch in literal for ch in "\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    tree = ast.parse(f"x = {literal}\n")
    assert len(tree.body) == 1
    assert isinstance(tree.body[0], ast.Assign)
    assert isinstance(tree.body[0].value, ast.Constant)


@pytest.mark.parametrize("value", PYSTR_CORPUS, ids=ids(PYSTR_CORPUS))
def test_pystr_escapes_invisible_characters(value: str) -> None:
    """Bidi controls, zero-width and other non-printables never appear raw in source."""
    literal = escape.pystr(value)
    assert all(ch.isprintable() for ch in literal), ascii(literal)


@pytest.mark.parametrize(
    "value", [v for v in PYSTR_CORPUS if v.count('"') <= v.count("'") or "'" not in v]
)
def test_pystr_is_the_form_black_keeps(value: str) -> None:
    literal = escape.pystr(value)
    assert black_string_token(f"x = {literal}\n") == literal


@pytest.mark.parametrize("value", ['a"b"c\'d', '""\''])
def test_pystr_is_the_form_black_keeps_with_more_double_quotes(value: str) -> None:
    literal = escape.pystr(value)
    assert black_string_token(f"x = {literal}\n") == literal


def test_pystr_prefers_double_quotes() -> None:
    assert escape.pystr("abc") == '"abc"'
    assert escape.pystr("it's") == '"it\'s"'
    assert escape.pystr('say "hi"') == "'say \"hi\"'"


# ---------------------------------------------------------------------- docstring

# Line breaks as str.splitlines() sees them (the generator's own list is the same set).
BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def expected_docstring(value: str) -> str:
    """What `ast.get_docstring(clean=True)` should give for `value`.

    inspect.cleandoc of the value, with tabs expanded first (as cleandoc does), every
    line break (as str.splitlines() reads them) made `\\n`, and trailing spaces stripped
    from each line (black strips them; the generator does too).

    One documented difference from plain cleandoc: leading blank lines are dropped
    *before* cleandoc, because the first non-blank line becomes the summary line right
    after the opening quotes, so its own indentation is stripped (cleandoc would keep
    it relative to the following lines).

    A docstring that ends in a quote keeps it as its last character (escaped as `\\x22`, which
    black leaves alone; black would pad a bare quote with a space).
    """
    lines = [line.rstrip(" ") for line in value.expandtabs(8).splitlines()]
    while lines and not lines[0].strip(" "):
        lines.pop(0)
    cleaned = inspect.cleandoc("\n".join(lines))
    return cleaned


def compiled_docstring(value: str, indent: str) -> tuple[str | None, str]:
    body = escape.docstring(value, indent, first=True, last=True)
    if indent == "    ":
        source = f'def f():\n    """{body}"""\n'
        tree = ast.parse(source)
        node: ast.AST = tree.body[0]
        assert len(tree.body[0].body) == 1  # type: ignore[attr-defined]
    elif indent == "        ":
        source = f'class C:\n    def f(self):\n        """{body}"""\n'
        tree = ast.parse(source)
        node = tree.body[0].body[0]  # type: ignore[attr-defined]
        assert len(node.body) == 1  # type: ignore[attr-defined]
    else:
        assert indent == ""
        source = f'"""{body}"""\n\nx = 1\n'
        tree = ast.parse(source)
        node = tree
        assert len(tree.body) == 2  # the docstring and `x = 1`: nothing injected
    compile(source, "<docstring>", "exec")
    return ast.get_docstring(node, clean=True), source  # type: ignore[arg-type]


def _docstring_corpus() -> list[str]:
    # Left out: white space that is neither a space, a tab nor a line break (NBSP,
    # U+3000, \x1f, ...): the generator escapes it, so it is not white space for black or
    # cleandoc in source, while cleandoc of the raw value treats it as white space.
    alphabet = "ab  \t\n\r\"'\\\x0b\x0c\x1c\x85\u2028\u2029\u202e🙂é\x01\x7f{#\x00"
    values = HOSTILE + seeded_strings(alphabet, 500, seed=7)
    # The cases that once broke: CR LF pairs, and values ending in 3k quotes.
    values += [v.replace("\n", "\r\n") for v in seeded_strings(alphabet, 60, seed=8)]
    values += [v + '"' * k for v in seeded_strings(alphabet, 30, seed=9) for k in (3, 6)]
    return [v for v in values if not any(c in v for c in "\xa0\u3000\x1f\ufeff\u200b")]


DOCSTRING_CORPUS = _docstring_corpus()



@pytest.mark.parametrize("indent", ["", "    ", "        "])
@pytest.mark.parametrize("value", DOCSTRING_CORPUS, ids=ids(DOCSTRING_CORPUS))
def test_docstring_compiles_and_reads_back(value: str, indent: str) -> None:
    doc, source = compiled_docstring(value, indent)
    expected = expected_docstring(value)
    assert (doc or "") == expected, source


@pytest.mark.parametrize(
    "value",
    [
        'contains """ in the middle',
        'ends with a quote"',
        'ends with two quotes""',
        "ends with a backslash\\",
        "ends with two backslashes\\\\",
        "backslash then quote\\\"",
        "tabs\tinside\n\tand indented",
        "  leading blank\n\n    indented more\n  less\n",
        "trailing spaces   \nsecond   \n   ",
        "\n\n\nblank lines around\n\n\n",
        'four quotes """"',
        "para1\u2028para2\u2029para3\x85end",
        "bidi \u202e and emoji 🙂",
    ],
)
def test_docstring_edge_cases(value: str) -> None:
    doc, source = compiled_docstring(value, "    ")
    assert doc == expected_docstring(value), source


def test_docstring_of_empty_values() -> None:
    assert escape.docstring(None) == ""
    assert escape.docstring("") == ""
    assert escape.docstring("   \n\t\n  ") == ""


def test_docstring_indents_later_lines_only() -> None:
    assert escape.docstring("a\nb\n\nc", "    ") == "a\n    b\n\n    c"


@pytest.mark.parametrize("value", ['abc"""', '"""', 'x""""""'])
def test_docstring_ending_in_triple_quote(value: str) -> None:
    doc, source = compiled_docstring(value, "    ")
    assert doc == expected_docstring(value), source


def test_docstring_with_nul() -> None:
    doc, _ = compiled_docstring("a\x00b", "    ")
    assert doc == "a\x00b"


def test_docstring_crlf_is_one_line_break() -> None:
    doc, _ = compiled_docstring("first\r\nsecond\r\nthird", "    ")
    assert doc == "first\nsecond\nthird"


@pytest.mark.parametrize("value", ["plain", "a\n  b\n c", "tab\there", "a \nb  ", "it's"])
def test_docstring_is_the_form_black_keeps(value: str) -> None:
    source = f'def f():\n    """{escape.docstring(value, "    ", first=True, last=True)}"""\n'
    assert black.format_str(source, mode=MODE) == source


@pytest.mark.parametrize("value", ['ends with quote"', '"starts with quote'])
def test_docstring_with_edge_quote_is_the_form_black_keeps(value: str) -> None:
    source = f'def f():\n    """{escape.docstring(value, "    ", first=True, last=True)}"""\n'
    assert black.format_str(source, mode=MODE) == source


# ---------------------------------------------------------------------- comment

COMMENT_BREAKS = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", COMMENT_BREAKS)
def test_comment_has_no_line_break(brk: str) -> None:
    value = f"harmless{brk}__import__('os').system('echo PWNED'){brk}x = 1"
    text = escape.comment(value)
    assert not any(b in text for b in COMMENT_BREAKS)
    assert text.splitlines() == [text]
    source = f"#: {text}\ny = 2\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1  # only `y = 2`: the payload stayed in the comment
    assert len(source.splitlines()) == 2


@pytest.mark.parametrize("value", PYSTR_CORPUS, ids=ids(PYSTR_CORPUS))
def test_comment_is_one_printable_line(value: str) -> None:
    text = escape.comment(value)
    assert text.splitlines() in ([text], [])
    assert all(ch.isprintable() for ch in text)
    assert text == text.strip()
    ast.parse(f"#: {text}\n")


def test_comment_keeps_printable_text() -> None:
    assert escape.comment("A pet, é 🙂 \"quoted\" 'x' \\ #") == "A pet, é 🙂 \"quoted\" 'x' \\ #"
    assert escape.comment("two\nlines") == "two lines"
    assert escape.comment(None) == ""
    assert escape.comment("") == ""


# ---------------------------------------------------------------------- pyliteral


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -1,
        2**80,
        1.5,
        -0.0,
        1e308,
        5e-324,
        "",
        "x\"'\\\n\u2028",
        [],
        {},
        [1, "a", None, True, 2.5, [], {}],
        {"a": {"b": [1, {"c": None}]}, "": "", "k\"'": ["\x00"]},
        {"nested": [[[[{"deep": [True, False]}]]]]},
    ],
)
def test_pyliteral_round_trips(value: object) -> None:
    literal = escape.pyliteral(value)
    back = ast.literal_eval(literal)
    assert back == value
    assert type(back) is type(value)
    if isinstance(value, float):
        assert math.copysign(1, back) == math.copysign(1, value)


def test_pyliteral_keeps_bool_distinct_from_int() -> None:
    assert escape.pyliteral(True) == "True"
    assert escape.pyliteral([1, True]) == "[1, True]"
    assert ast.literal_eval(escape.pyliteral({"a": False}))["a"] is False


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1, math.nan]])
def test_pyliteral_spells_non_finite_floats_as_calls(value: object) -> None:
    source = escape.pyliteral(value)
    back = eval(source, {"__builtins__": {"float": float}})  # only float(...) calls inside
    assert repr(back) == repr(value)
    nodes = list(ast.walk(ast.parse(source, mode="eval").body))
    assert {n.id for n in nodes if isinstance(n, ast.Name)} <= {"float"}
    assert not [n for n in nodes if isinstance(n, ast.Attribute | ast.Subscript | ast.Lambda)]


@pytest.mark.parametrize("value", [(1, 2), {1, 2}, b"x", object()])
def test_pyliteral_rejects_non_json_values(value: object) -> None:
    with pytest.raises(TypeError):
        escape.pyliteral(value)


def test_pyliteral_nested_is_a_single_expression() -> None:
    payload = "\"]); __import__('os').system('x'); (["
    literal = escape.pyliteral({payload: [payload, {payload: payload}]})
    tree = ast.parse(f"x = {literal}\n")
    assert len(tree.body) == 1
    assert not any(isinstance(n, ast.Call | ast.Name) for n in ast.walk(tree.body[0].value))


# ---------------------------------------------------------------------- ident


@pytest.mark.parametrize("name", ["a", "_x", "Pet", "user_email", "A1"])
def test_ident_accepts_safe_names(name: str) -> None:
    assert escape.ident(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "1a",
        "a b",
        "a-b",
        "class",
        "match",
        "_",
        "True",
        "é",
        "__import__('os')",
        "a;b",
        "x\ny",
        "a.b",
        "None",  # a keyword: never a name the generator may bind
    ],
)
def test_ident_rejects_unsafe_names(name: str) -> None:
    with pytest.raises(ValueError, match="unsafe identifier"):
        escape.ident(name)


def test_ident_rejects_trailing_newline() -> None:
    with pytest.raises(ValueError):
        escape.ident("Pet\n")


def test_line_break_set_matches_str_splitlines() -> None:
    """The generator's line-break set is exactly what str.splitlines() splits on."""
    splitters = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2}
    assert splitters == set(BREAKS)
    assert re.fullmatch(escape._LINE_BREAKS.pattern + "+", BREAKS)


@pytest.mark.parametrize("value", ['ends with quote"', '"starts with quote', 'say "hi"'])
def test_docstring_piece_inside_a_docstring_is_the_form_black_keeps(value: str) -> None:
    """A piece that neither opens nor closes the docstring gets no padding, so no trailing
    white space (ruff W291) and nothing for black to change."""
    source = f'def f():\n    """Summary.\n\n    {escape.docstring(value, "    ")}\n    """\n'
    assert black.format_str(source, mode=MODE) == source
    assert not any(line != line.rstrip() for line in source.splitlines())
    doc = ast.get_docstring(ast.parse(source).body[0], clean=True)  # type: ignore[arg-type]
    assert doc is not None and doc.endswith(value.strip())
