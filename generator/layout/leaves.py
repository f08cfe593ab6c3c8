"""Tokens of one logical Python line, classified the way black's syntax tree would see them.

The layout pass only ever splits lines; it needs, per token, what black reads off its tree:
which brackets are calls or subscripts ("trailers") and which are displays ("atoms"), which
operators are binary, which `if`/`for`/`in` belong to comprehensions, where black puts its
invisible parentheses (around right-hand sides, return values, annotations, ternaries), and
which tokens are inside annotations.
"""

from __future__ import annotations

import itertools
import re

# Delimiter priorities, in black's order (higher splits first).
COMPREHENSION = 20
COMMA = 18
TERNARY = 16
LOGIC = 14
STRING_PRIO = 12
COMPARATOR = 10
MATH = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4}
MATH.update({"//": 4, "%": 4, "@": 4, "~": 3, "**": 2})
DOT_PRIO = 1

OPENING = frozenset("([{")
CLOSING = frozenset(")]}")
MATCH = {")": "(", "]": "[", "}": "{"}
COMPARATORS = frozenset(("<", ">", "==", "!=", "<=", ">="))
KEYWORDS = frozenset(
    ["and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"]
)
AUGASSIGN = frozenset(["+=", "-=", "*=", "@=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**=", "//="])
ASSIGN = AUGASSIGN | {"="}

_TOKEN = re.compile(
    r"""(?P<ws>[ \t]+)
    |(?P<comment>\#.*)
    |(?P<string>(?:[rRbBuUfFtT]{1,2})?(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))
    |(?P<number>0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)
    |(?P<name>\w+)
    |(?P<op>\*\*=|//=|>>=|<<=|->|:=|\*\*|//|==|!=|<=|>=|<<|>>|[-+*/%&|^@]=|[-+*/%&|^~<>()\[\]{},:;.=@!])
    """,
    re.X | re.S,
)


class Leaf:
    """One token. `value` of an invisible paren is "" until black would make it visible."""

    __slots__ = (
        "ann",
        "bp",
        "cond",
        "depth",
        "kind",
        "opening",
        "parented",
        "prefix",
        "type",
        "value",
        "vararg",
        "wsp",
    )

    def __init__(self, type_: str, value: str, prefix: str = "") -> None:
        self.type = type_  # NAME, NUMBER, STRING, COMMENT, or the operator itself
        self.value = value
        self.prefix = prefix  # the space before it (black's whitespace())
        self.wsp = prefix  # the original prefix (a copy gets it back)
        self.kind = ""  # brackets: atom | trailer | params | class | import
        self.bp = 0  # priority of a split before this leaf...
        self.cond = ""  # ...if this holds of the previous leaf (see split_before)
        self.depth = 0  # bracket depth on the line that last tracked it
        self.opening: Leaf | None = None  # closing brackets: their opening bracket
        self.parented = True  # False for leaves the split adds (black's parent is None)
        self.ann = ""  # "param" or "return" inside an annotation
        self.vararg = False

    def copy(self) -> Leaf:
        new = Leaf(self.type, self.value, self.wsp)
        new.kind, new.bp, new.cond = self.kind, self.bp, self.cond
        new.ann, new.vararg = self.ann, self.vararg
        return new

    def __repr__(self) -> str:
        return f"Leaf({self.type!r}, {self.value!r})"


def split_before(leaf: Leaf, previous: Leaf | None) -> int:
    """black's is_split_before_delimiter, from the leaf's classification."""
    if not leaf.bp:
        return 0
    cond = leaf.cond
    if not cond:
        return leaf.bp
    if cond == "closer":
        return leaf.bp if previous is None or previous.type in CLOSING else 0
    if previous is None:
        return 0
    if cond == "string":
        return leaf.bp if previous.type == "STRING" else 0
    if cond == "not_not":
        return 0 if previous.type == "NAME" and previous.value == "not" else leaf.bp
    if cond == "not_is":
        return 0 if previous.type == "NAME" and previous.value == "is" else leaf.bp
    return leaf.bp


def tokenize(text: str) -> list[Leaf] | None:
    """The leaves of one line of code, or None if it holds something this pass leaves alone."""
    leaves: list[Leaf] = []
    pos, end, space = 0, len(text), ""
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        kind = m.lastgroup
        value = m.group()
        pos = m.end()
        if kind == "ws":
            space = " "
            continue
        if kind == "comment" or value == ";" or value == "!":
            return None
        if kind == "string":
            if "\n" in value:
                return None
            leaves.append(Leaf("STRING", value, space))
        elif kind == "number":
            leaves.append(Leaf("NUMBER", value, space))
        elif kind == "name":
            leaves.append(Leaf("NAME", value, space))
        else:
            leaves.append(Leaf(value, value, space))
        space = ""
    return leaves


def _is_operand_end(leaf: Leaf | None) -> bool:
    """Does `leaf` end an operand (so a following `-`, `*`, `(` is binary / a trailer)?"""
    if leaf is None:
        return False
    t = leaf.type
    if t == "NAME":
        return leaf.value not in KEYWORDS
    return t in ("NUMBER", "STRING") or t in CLOSING


def _invisible_pair() -> tuple[Leaf, Leaf]:
    lpar, rpar = Leaf("(", ""), Leaf(")", "")
    lpar.kind = rpar.kind = "atom"
    return lpar, rpar


class _Structure:
    """Bracket matching of a token list: the partner of each bracket, by index."""

    def __init__(self, leaves: list[Leaf]) -> None:
        self.partner: dict[int, int] = {}
        self.level: list[int] = []
        stack: list[int] = []
        for i, leaf in enumerate(leaves):
            t = leaf.type
            if t in CLOSING:
                if not stack:
                    raise ValueError("unbalanced")
                j = stack.pop()
                self.partner[i] = j
                self.partner[j] = i
            self.level.append(len(stack))
            if t in OPENING:
                stack.append(i)
        if stack:
            raise ValueError("unbalanced")

    def top(self, start: int, stop: int) -> list[int]:
        """Indexes in [start, stop) at the nesting level of `start`."""
        if start >= stop:
            return []
        base = self.level[start]
        lev = self.level
        return [i for i in range(start, stop) if lev[i] == base]


def _is_atom_span(leaves: list[Leaf], st: _Structure, start: int, stop: int) -> bool:
    return (
        stop - start >= 2
        and leaves[start].type == "("
        and leaves[start].kind == "atom"
        and st.partner.get(start) == stop - 1
    )


def _keeps_parens(leaves: list[Leaf], st: _Structure, start: int, stop: int) -> bool:
    """black keeps these visible parens: empty, tuples, generators, yields."""
    inner = [i for i in st.top(start + 1, stop - 1)]
    if not inner:
        return True
    for i in inner:
        leaf = leaves[i]
        if leaf.type == "," or (leaf.type == "NAME" and leaf.value in ("for", "yield")):
            return True
    return False


def _wrap(leaves: list[Leaf], st: _Structure, spans: list[tuple[int, int]], start: int,
          stop: int) -> None:
    """Record invisible parens around [start, stop), as black's normalize_invisible_parens."""
    if start >= stop:
        return
    if _is_atom_span(leaves, st, start, stop):
        if not _keeps_parens(leaves, st, start, stop):
            leaves[start].value = leaves[stop - 1].value = ""
        return
    spans.append((start, stop))


def _insert(leaves: list[Leaf], spans: list[tuple[int, int]]) -> list[Leaf]:
    if not spans:
        return leaves
    opens: dict[int, int] = {}
    closes: dict[int, int] = {}
    for a, b in spans:
        opens[a] = opens.get(a, 0) + 1
        closes[b] = closes.get(b, 0) + 1
    out: list[Leaf] = []
    for i in range(len(leaves) + 1):
        for _ in range(closes.get(i, 0)):
            out.append(_invisible_pair()[1])
        if i < len(leaves):
            n = opens.get(i, 0)
            if n:
                first = leaves[i]
                for k in range(n):
                    lpar = _invisible_pair()[0]
                    lpar.prefix = lpar.wsp = first.prefix if k == 0 else ""
                    out.append(lpar)
                first.prefix = first.wsp = ""
            out.append(leaves[i])
    return out


def _colons(leaves: list[Leaf], indexes: list[int]) -> list[int]:
    """The `:` among `indexes` that are not a lambda's."""
    out, lambdas = [], 0
    for i in indexes:
        leaf = leaves[i]
        if leaf.type == "NAME" and leaf.value == "lambda":
            lambdas += 1
        elif leaf.type == ":":
            if lambdas:
                lambdas -= 1
            else:
                out.append(i)
    return out


def _segments(leaves: list[Leaf], st: _Structure, start: int, stop: int, sep: str
              ) -> list[tuple[int, int]]:
    out, begin = [], start
    for i in st.top(start, stop):
        if leaves[i].type == sep:
            out.append((begin, i))
            begin = i + 1
    out.append((begin, stop))
    return out


def _statement_parens(leaves: list[Leaf], st: _Structure) -> list[tuple[int, int]]:
    """Where black's statement visitors put invisible parens (linegen's parens_after)."""
    spans: list[tuple[int, int]] = []
    n = len(leaves)
    first = leaves[0]
    word = first.value if first.type == "NAME" else ""
    top = st.top(0, n)
    end_colon = n - 1 if leaves[-1].type == ":" else n
    if word == "async" and n > 1 and leaves[1].value == "def":
        word, first_index = "def", 1
    else:
        first_index = 0
    if word == "def":
        _def_parens(leaves, st, spans, first_index)
    elif word in ("return", "del"):
        _wrap(leaves, st, spans, 1, n)
    elif word == "assert":
        for a, b in _segments(leaves, st, 1, n, ","):
            _wrap(leaves, st, spans, a, b)
    elif word in ("if", "elif", "while"):
        _wrap(leaves, st, spans, 1, end_colon)
    elif word == "for":
        ins = [i for i in top if leaves[i].type == "NAME" and leaves[i].value == "in"]
        if ins:
            _wrap(leaves, st, spans, 1, ins[0])
            _wrap(leaves, st, spans, ins[0] + 1, end_colon)
    elif word == "except":
        as_ = [i for i in top if leaves[i].value == "as"]
        _wrap(leaves, st, spans, 1, as_[0] if as_ else end_colon)
    elif word == "from":
        imports = [i for i in top if leaves[i].value == "import"]
        if imports:
            _import_parens(leaves, st, spans, imports[0] + 1)
    elif word not in KEYWORDS and first.type != "@":
        _assignment_parens(leaves, st, spans, top)
    return spans


def _import_parens(leaves: list[Leaf], st: _Structure, spans: list[tuple[int, int]],
                   start: int) -> None:
    n = len(leaves)
    if start >= n or leaves[start].type == "*":
        return
    if _is_atom_span(leaves, st, start, n):
        leaves[start].value = leaves[n - 1].value = ""
        leaves[start].kind = leaves[n - 1].kind = "import"
        return
    spans.append((start, n))


def _assignment_parens(leaves: list[Leaf], st: _Structure, spans: list[tuple[int, int]],
                       top: list[int]) -> None:
    n = len(leaves)
    assigns = [i for i in top if leaves[i].type in ASSIGN]
    colons = _colons(leaves, top)
    if colons and (not assigns or colons[0] < assigns[0]):
        colon = colons[0]
        value_at = assigns[0] if assigns else n
        _wrap(leaves, st, spans, colon + 1, value_at)
        if assigns:
            _wrap(leaves, st, spans, value_at + 1, n)
        return
    if not assigns:
        return
    if any(leaves[i].type == "," for i in top if i < assigns[0]):
        spans.append((0, assigns[0]))
    bounds = [*assigns, n]
    for a, b in itertools.pairwise(bounds):
        _wrap(leaves, st, spans, a + 1, b)


def _def_parens(leaves: list[Leaf], st: _Structure, spans: list[tuple[int, int]],
                at: int) -> None:
    """Return annotation, and `|` unions as parameter annotations (black's visit_tname)."""
    n = len(leaves)
    if at + 2 >= n or leaves[at + 2].type != "(":
        return
    open_ = at + 2
    close = st.partner[open_]
    leaves[open_].kind = leaves[close].kind = "params"
    mark_params(leaves, st, open_ + 1, close, spans)
    for i in st.top(close + 1, n):
        if leaves[i].type == "->":
            # the annotation ends at the def's colon: the last one outside brackets (a stub
            # body, `: ...`, may follow it; a lambda in the annotation has its own colon)
            stop = max((j for j in st.top(i + 1, n) if leaves[j].type == ":"), default=n)
            for j in range(i + 1, stop):
                leaves[j].ann = "return"
            if _is_atom_span(leaves, st, i + 1, stop):
                if not _keeps_parens(leaves, st, i + 1, stop):
                    leaves[i + 1].value = leaves[stop - 1].value = ""
            else:
                spans.append((i + 1, stop))
            break


def mark_params(leaves: list[Leaf], st: _Structure, start: int, stop: int,
                spans: list[tuple[int, int]]) -> None:
    """Mark parameter annotations; wrap `|` unions (and parenthesized ones) in parens."""
    for a, b in _segments(leaves, st, start, stop, ","):
        colon = next(iter(_colons(leaves, st.top(a, b))), None)
        if colon is None or any(leaves[i].type == "=" for i in st.top(a, colon)):
            continue
        eq = next((i for i in st.top(colon, b) if leaves[i].type == "="), b)
        for j in range(colon + 1, eq):
            leaves[j].ann = "param"
        if _is_atom_span(leaves, st, colon + 1, eq):
            if not _keeps_parens(leaves, st, colon + 1, eq):
                leaves[colon + 1].value = leaves[eq - 1].value = ""
        elif _is_union(leaves, st.top(colon + 1, eq)):
            spans.append((colon + 1, eq))


_LOOSER = frozenset(("and", "or", "not", "if", "else", "lambda", "in", "is"))


def _is_union(leaves: list[Leaf], top: list[int]) -> bool:
    """Is this expression a `|` chain at its top (black's `expr` node)?"""
    union = False
    for i in top:
        leaf = leaves[i]
        if leaf.type == "|":
            union = True
        elif leaf.type in COMPARATORS or (leaf.type == "NAME" and leaf.value in _LOOSER):
            return False
    return union


_BACK_STOPS = ASSIGN | {",", ":", ":=", "->"}
_BACK_WORDS = frozenset(["return", "yield", "assert", "del", "raise", "with", "except", "lambda"])
_FORWARD_STOPS = ASSIGN | {",", ":", ":=", "->"}


def _roles(leaves: list[Leaf], st: _Structure, statement: bool) -> list[str]:
    """The role of each `for`/`in`/`if`/`else`/`async`: comp, for_in, stmt, ternary."""
    roles = [""] * len(leaves)
    seen_for: list[bool] = [False]
    awaiting_in: list[bool] = [False]
    for i, leaf in enumerate(leaves):
        t = leaf.type
        if t in CLOSING:
            seen_for.pop()
            awaiting_in.pop()
            continue
        if t in OPENING:
            seen_for.append(False)
            awaiting_in.append(False)
            continue
        if t != "NAME":
            continue
        v = leaf.value
        if v == "for":
            roles[i] = "stmt" if statement and i == 0 else "comp"
            if roles[i] == "comp":
                seen_for[-1] = True
            awaiting_in[-1] = True
        elif v == "in" and awaiting_in[-1]:
            roles[i] = "for_in"
            awaiting_in[-1] = False
        elif v in ("if", "elif", "while") and statement and i == 0:
            roles[i] = "stmt"
        elif v == "if":
            roles[i] = "comp" if seen_for[-1] else "ternary"
        elif v == "else":
            roles[i] = "ternary"
        elif v == "async" and i + 1 < len(leaves) and leaves[i + 1].value == "for":
            roles[i] = "async"
    return roles


def _ternary_spans(leaves: list[Leaf], st: _Structure, roles: list[str],
                   sole_in_paren: bool) -> list[tuple[int, int]]:
    """black's visit_test: invisible parens around each ternary not directly in `( )`."""
    spans: list[tuple[int, int]] = []
    lev, n = st.level, len(leaves)
    for k in range(n):
        if roles[k] != "ternary" or leaves[k].value != "if":
            continue
        depth = lev[k]
        i = k - 1
        while i >= 0 and lev[i] >= depth:
            if lev[i] == depth:
                leaf = leaves[i]
                if leaf.type in _BACK_STOPS or (leaf.type == "@" and i == 0):
                    break
                if leaf.type == "NAME" and (
                    leaf.value in _BACK_WORDS
                    or (leaf.value == "else" and roles[i] == "ternary")
                    or roles[i] in ("for_in", "stmt")
                ):
                    break
            i -= 1
        start = i + 1
        j = k + 1
        while j < n and not (lev[j] == depth and leaves[j].value == "else"):
            j += 1
        in_lambda = 0
        j += 1
        while j < n and lev[j] >= depth:
            if lev[j] == depth:
                leaf = leaves[j]
                if leaf.type == "NAME" and leaf.value == "lambda":
                    in_lambda += 1
                elif leaf.type == ":" and in_lambda:
                    in_lambda -= 1
                elif leaf.type in _FORWARD_STOPS or (
                    leaf.type == "NAME" and (roles[j] in ("comp", "async") or leaf.value == "as")
                ):
                    break
            j += 1
        stop = j
        if start > 0 and leaves[start - 1].type == "(" and st.partner.get(start - 1) == stop:
            continue
        if start == 0 and stop == n and sole_in_paren:
            continue
        spans.append((start, stop))
    return spans


def _priorities(leaves: list[Leaf], roles: list[str], imports: bool) -> None:
    previous: Leaf | None = None
    for i, leaf in enumerate(leaves):
        t = leaf.type
        unary = not _is_operand_end(previous)
        if t in MATH:
            if unary and t in ("*", "**", "/", "-", "+", "~"):
                leaf.vararg = t in ("*", "**", "/")
            elif t != "~":
                leaf.bp = MATH[t]
        elif t in COMPARATORS:
            leaf.bp = COMPARATOR
        elif t == ".":
            if not imports:
                leaf.bp, leaf.cond = DOT_PRIO, "closer"
        elif t == "STRING":
            leaf.bp, leaf.cond = STRING_PRIO, "string"
        elif t == "NAME":
            v, role = leaf.value, roles[i]
            if role == "async" or (role == "comp" and v == "for"):
                if not (previous is not None and previous.value == "async"):
                    leaf.bp = COMPREHENSION
            elif role == "comp":
                leaf.bp = COMPREHENSION
            elif role == "ternary":
                leaf.bp = TERNARY
            elif v == "is":
                leaf.bp = COMPARATOR
            elif v == "in" and role != "for_in":
                leaf.bp, leaf.cond = COMPARATOR, "not_not"
            elif v == "not" and i + 1 < len(leaves) and leaves[i + 1].value == "in":
                leaf.bp, leaf.cond = COMPARATOR, "not_is"
            elif v in ("and", "or"):
                leaf.bp = LOGIC
        previous = leaf


def _for_target_commas(leaves: list[Leaf], roles: list[str], st: _Structure) -> None:
    for i, role in enumerate(roles):
        if role in ("comp", "stmt") and leaves[i].value == "for":
            for j in st.top(i, len(leaves)):
                if roles[j] == "for_in":
                    break
                if leaves[j].type == ",":
                    leaves[j].cond = "forcomma"


def classify(leaves: list[Leaf], *, statement: bool, sole_in_paren: bool = False,
             params: bool = False) -> list[Leaf] | None:
    """Classify the leaves of one line and add black's invisible parens; None if unbalanced."""
    try:
        st = _Structure(leaves)
    except ValueError:
        return None
    for i, leaf in enumerate(leaves):
        if leaf.type in OPENING:
            prev = leaves[i - 1] if i else None
            before = leaves[i - 2] if i > 1 else None
            if leaf.type == "(" and before is not None and before.value == "class":
                kind = "class"
            elif _is_operand_end(prev):
                kind = "trailer"
            else:
                kind = "atom"
            leaf.kind = leaves[st.partner[i]].kind = kind
    spans: list[tuple[int, int]] = []
    if statement:
        spans = _statement_parens(leaves, st)
    elif params:
        mark_params(leaves, st, 0, len(leaves), spans)
    leaves = _insert(leaves, spans)
    st = _Structure(leaves)
    roles = _roles(leaves, st, statement)
    ternaries = _ternary_spans(leaves, st, roles, sole_in_paren)
    if ternaries:
        leaves = _insert(leaves, ternaries)
        st = _Structure(leaves)
        roles = _roles(leaves, st, statement)
    first = leaves[0]
    imports = statement and first.type == "NAME" and first.value in ("from", "import")
    if imports:
        first.kind = "import"
    _priorities(leaves, roles, imports)
    _for_target_commas(leaves, roles, st)
    return leaves
