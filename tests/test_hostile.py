"""Crafted specs must not inject code, escape the output folder, or crash the generator.

Every payload is planted in every place spec text reaches generated code. The output
must compile, have exactly the structure the same spec with harmless text produces,
import, and build the FastAPI app without ever running the payload (which would
create a file called PWNED in the importing process's working folder).

The import checks run in subprocesses (started in parallel, once per module).
"""

from __future__ import annotations

import ast
import collections
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pytest

from generator import ir
from generator.builder import build
from generator.diagnostics import SpecError
from generator.front.load import load_document
from generator.front.parse import parse
from generator.front.resolve import resolve
from generator.output import write
from generator.pipeline import Generated, generate

PACKAGE = "pkg"
TOUCH = "__import__('pathlib').Path('PWNED').touch()"
SUBPROCESS_TIMEOUT = 120  # seconds; a generous bound for importing fastapi & co.
BOMB_TIMEOUT = 180  # seconds; a hang guard for the YAML alias bomb, far above its need

PAYLOADS = {
    "triple-double": f'"""; {TOUCH} #',
    "triple-single": f"'''; {TOUCH} #",
    "newline": f"\n{TOUCH}\n#",
    "other-line-breaks": f"\u2028{TOUCH}\u2029x\x85y\r{TOUCH}\x0c\x0b z\x1c",
    "backslash-quote": f'\\"); {TOUCH} #',
    "concat": f"x\" + {TOUCH} + \"' + {TOUCH} + '",
    "trailing-backslash": f"*/ --> {TOUCH} # \\",
    "trailing-quote": f'{TOUCH} "',
    "template-syntax": "{{ 7 * 7 }}{% raw %}" + TOUCH + "{% endraw %}{# c #}{" + TOUCH + "}%s%(x)s",
    "bidi": f"\u202e{TOUCH}\u202c\u2066",
}
BENIGN = " benign-text"  # not an identifier either: the same aliases and titles appear


def hostile_spec(p: str) -> dict[str, Any]:
    """A spec with `p` planted in every place spec text reaches generated code."""
    ref_name = "S" + p
    escaped = ref_name.replace("~", "~0").replace("/", "~1")
    from urllib.parse import quote

    schema_ref = "#/components/schemas/" + quote(escaped, safe="")
    return {
        "openapi": "3.1.0",
        "info": {"title": "T" + p, "version": "1" + p, "description": "D" + p},
        "servers": [{"url": "https://x.example/" + p, "description": p}],
        "tags": [{"name": p, "description": p}],
        "paths": {
            "/items/{id}" + p: {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "operationId": "op" + p,
                    "summary": p,
                    "description": p,
                    "tags": [p],
                    "parameters": [
                        {
                            "name": "q" + p,
                            "in": "query",
                            "description": p,
                            "schema": {"type": "string", "default": p, "pattern": re.escape(p)},
                        },
                        {"name": "h" + p, "in": "header", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": p,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        },
                        "404": {"description": p},
                    },
                    "security": [{"k" + p: []}],
                },
                "post": {
                    "operationId": "../../post" + p,
                    "tags": ["../../etc" + p],
                    "summary": p,
                    "requestBody": {
                        "required": True,
                        "description": p,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "responses": {"204": {"description": p}},
                },
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "title": p,
                    "description": p,
                    "required": ["p" + p],
                    "properties": {
                        "p" + p: {"type": "string", "description": p, "title": p, "default": p},
                        "pat": {"type": "string", "pattern": re.escape(p)},
                        "e": {"type": "string", "enum": [p, "z" + p]},
                        "ref": {"$ref": schema_ref},
                        "c": {"const": p},
                    },
                },
                ref_name: {"type": "string", "enum": [p, "z" + p], "description": p},
                "../../../evil" + p: {"type": "object", "properties": {"x": {"type": "integer", "default": 1}}},
                "Alias" + p: {"type": "array", "items": {"type": "string"}, "description": p},
            },
            "securitySchemes": {"k" + p: {"type": "apiKey", "in": "header", "name": p, "description": p}},
        },
        "security": [{"k" + p: []}],
    }


# ---------------------------------------------------------------------- helpers


def write_spec(folder: Path, doc: dict[str, Any], name: str = "spec.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def write_files(folder: Path, files: dict[str, str]) -> None:
    for key, text in files.items():
        target = folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def assert_safe_key(key: str) -> None:
    posix = PurePosixPath(key)
    assert not posix.is_absolute(), key
    assert ".." not in posix.parts, key
    assert posix.parts[0] == PACKAGE, key
    assert len(posix.parts) >= 2, key
    assert "\\" not in key and "\x00" not in key and ":" not in key, key
    assert not PureWindowsPath(key).is_absolute() and not PureWindowsPath(key).drive, key
    assert all(part.isascii() and part not in ("", ".") for part in posix.parts), key
    # code, the typed marker, and one data file: the document the server's openapi() serves
    assert key.endswith((".py", "py.typed")) or key == f"{PACKAGE}/server/openapi.json", key


def _exact_description(node: ast.AST) -> bool:
    """`json_schema_extra={"description": "..."}`: emitted when a docstring would not keep the
    text byte for byte, so its presence depends on the text; it holds string constants only."""
    return (
        isinstance(node, ast.keyword)
        and node.arg == "json_schema_extra"
        and isinstance(node.value, ast.Dict)
        and all(isinstance(v, ast.Constant) for v in [*node.value.keys, *node.value.values])
    )


def _exact_enum_description(node: ast.AST) -> bool:
    """The same for an enum: `__get_pydantic_json_schema__ = _described("...")` and its helper."""
    if isinstance(node, ast.FunctionDef):
        return node.name == "_described"
    return (
        isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["__get_pydantic_json_schema__"]
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) == "_described"
        and all(isinstance(a, ast.Constant) for a in node.value.args)
    )


def shape(tree: ast.AST) -> list[str]:
    """The module's structure: node types in walk order (constants and names ignored), without
    the exact-description parts (their presence depends on the text) and the `Any` import
    `_described` needs."""
    out: list[str] = []
    todo = collections.deque([tree])
    while todo:  # ast.walk's order, not descending into skipped nodes
        node = todo.popleft()
        if _exact_description(node) or _exact_enum_description(node):
            continue
        if isinstance(node, ast.alias) and node.name == "Any":
            continue
        out.append(type(node).__name__)
        todo.extend(ast.iter_child_nodes(node))
    return out


def imported_modules(tree: ast.AST) -> list[str]:
    """Absolute imports by name; relative ones (tag modules have derived names) by level."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append("." * node.level if node.level else node.module or "")
    return sorted(out)


DANGEROUS = {"__import__", "eval", "exec", "compile", "system", "touch", "os", "pathlib", "subprocess", "open"}


def dangerous_names(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in DANGEROUS:
            found.append(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in DANGEROUS:
            found.append(node.attr)
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in DANGEROUS:
            found.append(node.name)
    return found


SMOKE = textwrap.dedent(
    """
    import asyncio, importlib, json, pathlib, sys, traceback
    sys.path.insert(0, ".")
    plan = json.load(open("smoke.json"))
    results = {}


    def smoke(case):
        package = case["package"]
        models = importlib.import_module(package + ".models")
        client = importlib.import_module(package + ".client")
        server = importlib.import_module(package + ".server")

        class Impl:
            pass

        for op in case["ops"]:
            async def handler(self, **kwargs):
                return None
            setattr(Impl, op["name"], handler)
        for attr in case["schemes"]:
            async def accept(self, *args):
                return True
            setattr(Impl, "authenticate_" + attr, accept)

        app = server.create_app(Impl())
        document = app.openapi()
        assert document["info"]["title"] == case["title"], document["info"]
        client.Client("http://t").close()
        asyncio.run(client.AsyncClient("http://t").aclose())
        if not case["requests"]:
            return
        import httpx
        from fastapi.testclient import TestClient

        served = TestClient(app)
        auth = {"Authorization": "Bearer t"}
        for op in case["ops"]:
            response = served.request(
                op["method"].upper(), op["path"],
                params={w: "v" for w in op["query"]},
                content=b"x" if op["body"] else None, headers=auth,
            )
            assert response.status_code == 204, (op["name"], response.status_code, response.text)

        def reply(request):
            return httpx.Response(204)

        for cls, http in ((client.Client, httpx.Client), (client.AsyncClient, httpx.AsyncClient)):
            instance = cls(
                "http://t",
                http_client=http(transport=httpx.MockTransport(reply), base_url="http://t"),
                **{attr: "token" for attr in case["schemes"]},
            )
            for op in case["ops"]:
                kwargs = {name: "v" for name in op["args"]}
                if op["body"]:
                    kwargs["body"] = b"x"
                result = getattr(getattr(instance, op["api"]), op["name"])(**kwargs)
                if cls is client.AsyncClient:
                    assert asyncio.iscoroutine(result), (op["api"], op["name"], result)
                    result = asyncio.run(result)
                assert result is None, result


    for name, case in plan.items():
        try:
            smoke(case)
            results[name] = "OK"
        except BaseException:
            results[name] = traceback.format_exc()
        if pathlib.Path("PWNED").exists():
            results[name] = "PWNED: the payload ran " + results[name]
            pathlib.Path("PWNED").unlink()
    print("RESULTS " + json.dumps(results))
    """
)


def smoke_plan(spec_path: Path, package: str, requests: bool) -> dict[str, Any]:
    document = resolve(spec_path, load_document(spec_path))
    api, _ = build(spec_path, parse(spec_path, document))
    ops = [
        {
            "name": op.name,
            "api": tag.attribute,
            "method": op.method,
            "path": op.path,
            "query": [p.wire_name for p in op.parameters if p.location == "query"],
            "args": [p.name for p in op.parameters],
            "body": op.body is not None,
        }
        for tag in api.tags
        for op in tag.operations
    ]
    return {
        "package": package,
        "ops": ops,
        "schemes": [s.attribute for s in api.security_schemes],
        "title": document["info"]["title"],  # the server's openapi() serves the spec's text
        "requests": requests,
    }


@dataclass
class Run:
    """One case: what generate made (or raised), and what the smoke script reported."""

    package: str
    generated: Generated | None
    error: BaseException | None
    smoke: str = "not run"  # "OK", or the traceback / failure

    def describe(self) -> str:
        if self.error is not None:
            return f"generate raised {type(self.error).__name__}: {self.error}"
        return self.smoke


def run_all(root: Path, docs: dict[str, dict[str, Any]], requests: bool) -> dict[str, Run]:
    """Generate each case as its own package under `root/out`, then smoke-test them all
    in one subprocess (cwd `root/out`), each case isolated by try/except."""
    out = root / "out"
    out.mkdir(parents=True)
    runs: dict[str, Run] = {}
    plan: dict[str, Any] = {}
    for i, (name, doc) in enumerate(docs.items()):
        package = f"case{i}"
        spec_path = write_spec(root / f"spec{i}", doc)
        try:
            generated = generate(spec_path, package)
        except Exception as exc:  # recorded; each test asserts what it needs
            runs[name] = Run(package, None, exc)
            continue
        write_files(out, generated.files)
        runs[name] = Run(package, generated, None)
        plan[name] = smoke_plan(spec_path, package, requests)
    (out / "smoke.json").write_text(json.dumps(plan), encoding="utf-8")
    (out / "smoke.py").write_text(SMOKE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "smoke.py"],
        cwd=out,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        timeout=SUBPROCESS_TIMEOUT,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULTS ")]
    assert result.returncode == 0 and lines, result.stderr[-3000:]
    for name, outcome in json.loads(lines[-1].removeprefix("RESULTS ")).items():
        runs[name].smoke = outcome
    assert not (out / "PWNED").exists()
    return runs


def generated_of(run: Run) -> Generated:
    assert run.error is None, run.describe()
    assert run.generated is not None
    return run.generated


def package_key(run: Run, key: str) -> str:
    """A generated file's key with the case's package renamed to PACKAGE."""
    assert key.startswith(run.package + "/"), key
    return PACKAGE + key.removeprefix(run.package)


# ---------------------------------------------------------------------- payload runs


@pytest.fixture(scope="module")
def payload_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    docs = {name: hostile_spec(p) for name, p in PAYLOADS.items()}
    docs["<benign>"] = hostile_spec(BENIGN)
    yield run_all(tmp_path_factory.mktemp("hostile"), docs, requests=False)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_payload_output_stays_inside_the_package(payload_runs: dict[str, Run], payload: str) -> None:
    run = payload_runs[payload]
    generated = generated_of(run)
    for key in generated.files:
        assert_safe_key(package_key(run, key))
    assert f"{run.package}/models.py" in generated.files


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_payload_output_compiles_with_the_benign_structure(payload_runs: dict[str, Run], payload: str) -> None:
    hostile = generated_of(payload_runs[payload])
    benign = generated_of(payload_runs["<benign>"])
    assert len(hostile.files) == len(benign.files)
    for (key, text), (benign_key, benign_text) in zip(hostile.files.items(), benign.files.items(), strict=True):
        if key.endswith(".json"):  # the document the server's openapi() serves
            assert isinstance(json.loads(text), dict)
            assert key.split("/", 1)[1] == benign_key.split("/", 1)[1] == "server/openapi.json"
            continue
        if not key.endswith(".py"):
            assert text == benign_text == ""
            continue
        compile(text, key, "exec")
        tree, benign_tree = ast.parse(text), ast.parse(benign_text)
        assert shape(tree) == shape(benign_tree), (key, benign_key)
        assert imported_modules(tree) == imported_modules(benign_tree), key
        assert dangerous_names(tree) == [], key
        assert not any(ch in text for ch in "\x00\u2028\u2029\u202e\u2066\x85"), key


@pytest.mark.parametrize("payload", [*PAYLOADS, "<benign>"])
def test_payload_package_imports_without_running_it(payload_runs: dict[str, Run], payload: str) -> None:
    run = payload_runs[payload]
    generated_of(run)
    assert run.smoke == "OK", run.describe()


def test_payload_text_survives_verbatim_in_the_app(payload_runs: dict[str, Run]) -> None:
    """The smoke script checked the served title; check the models keep values too."""
    generated = generated_of(payload_runs["triple-double"])
    p = PAYLOADS["triple-double"]
    literals = {
        node.value
        for node in ast.walk(ast.parse(generated.files[f"{payload_runs['triple-double'].package}/models.py"]))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert {p, "z" + p, "p" + p, re.escape(p)} <= literals


# ---------------------------------------------------------------------- escaping the folder


PATHY = ["../../etc", "..", ".", "/abs/olute", "C:\\win", "a/../../b", "__init__", "\x00nul", "pkg/../.."]


def test_tags_and_names_cannot_leave_the_package(tmp_path: Path) -> None:
    paths = {
        f"/p{i}": {"get": {"operationId": name, "tags": [name], "responses": {"204": {"description": "ok"}}}}
        for i, name in enumerate(PATHY)
    }
    schemas = {name: {"type": "object", "properties": {name: {"type": "string"}}} for name in PATHY}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    spec = write_spec(tmp_path, doc)
    generated = generate(spec, PACKAGE)
    for key in generated.files:
        assert_safe_key(key)
    modules = [k for k in generated.files if k.startswith(f"{PACKAGE}/client/") and not k.endswith(("/_core.py", "/_client.py", "/errors.py", "/__init__.py", "/_retry.py", "/_auth.py", "/_stream.py"))]
    assert len(modules) == len(PATHY)  # one module per tag, none dropped or merged
    out = tmp_path / "out"
    write.write(out, PACKAGE, generated.files)
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert on_disk == {"spec.json"} | {f"out/{k}" for k in generated.files} | {f"out/{PACKAGE}/{write.MANIFEST}"}


# ---------------------------------------------------------------------- names the templates use themselves

SECURED = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}


def _op(op_id: str, tag: str = "t", query: tuple[str, ...] = (), binary_body: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "tags": [tag], "responses": {"204": {"description": "ok"}}}
    if query:
        op["parameters"] = [{"name": q, "in": "query", "required": True, "schema": {"type": "string"}} for q in query]
    if binary_body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    return op


def _collision_spec(paths: dict[str, Any], scheme: str = "bearer") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Collide", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {scheme: {"type": "http", "scheme": "bearer"}},
            "schemas": {"Err": {"type": "object", "properties": {"m": {"type": "string"}}}},
        },
        "security": [{scheme: []}],
    }


def _with_error_model(op: dict[str, Any]) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Err"}
    return {**op, "responses": {**op["responses"], "404": {"description": "no", "content": {"application/json": {"schema": ref}}}}}


COLLISIONS: dict[str, dict[str, Any]] = {
    # Controls: names the generator already reserves.
    "tags-reserved": _collision_spec(
        {f"/{t}": {"get": _op(f"op_{t}", t)} for t in ["models", "security", "app", "errors", "close", "headers", "_core"]}
    ),
    "params-reserved": _collision_spec({"/a": {"get": _op("a", query=("self", "body", "models", "cast", "MISSING", "Any"))}}),
    "ops-reserved": _collision_spec({"/a": {"get": _op("self")}, "/b": {"get": _op("send")}, "/c": {"get": _op("close")}}),
    "scheme-base-url": _collision_spec({"/a": {"get": _op("a")}}, scheme="base_url"),
    # Names that generated modules use for their own imports, locals and attributes.
    "tag-copy": _collision_spec({"/a": {"get": _op("a", "copy")}}),
    "tag-create-app": _collision_spec({"/a": {"get": _op("a", "create app")}}),
    "tag-implementation": _collision_spec({"/a": {"get": _op("a", "implementation")}}),
    "tag-guard": _collision_spec({"/a": {"get": _op("a", "guard")}}),
    "tag-settings": _collision_spec({"/a": {"get": _op("a", "settings")}}),
    "tag-send": _collision_spec({"/a": {"get": _op("a", "send")}}),
    "tags-more-template-locals": _collision_spec(
        {f"/{t}": {"get": _op(f"op_{t}", t)} for t in ["options", "routes", "router", "aclose", "infer", "schema"]}
    ),
    "tags-foo-and-async-foo": _collision_spec({"/a": {"get": _op("a", "foo")}, "/b": {"get": _op("b", "async foo")}}),
    "op-routes": _collision_spec({"/a": {"get": _op("routes")}, "/b": {"get": _op("b")}}),
    "op-implementation": _collision_spec({"/a": {"get": _op("implementation")}, "/b": {"get": _op("b")}}),
    "op-guard": _collision_spec({"/a": {"get": _op("guard")}, "/b": {"get": _op("b")}}),
    "op-models": _collision_spec({"/a": {"get": _op("models")}, "/b": {"get": _with_error_model(_op("b"))}}),
    "param-implementation": _collision_spec({"/a": {"get": _op("a", query=("implementation",))}}),
    "param-request-with-binary-body": _collision_spec({"/a": {"post": _op("a", query=("request",), binary_body=True)}}),
    "scheme-self": _collision_spec({"/a": {"get": _op("a")}}, scheme="self"),
}


@pytest.fixture(scope="module")
def collision_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    yield run_all(tmp_path_factory.mktemp("collide"), COLLISIONS, requests=True)


@pytest.mark.parametrize("case", list(COLLISIONS))
def test_names_the_templates_use_do_not_break_generated_code(collision_runs: dict[str, Run], case: str) -> None:
    """Generate, compile, import, serve every route, and call every client method."""
    run = collision_runs[case]
    generated = generated_of(run)
    for key, text in generated.files.items():
        if key.endswith(".py"):
            compile(text, key, "exec")
    assert run.smoke == "OK", run.describe()


# ---------------------------------------------------------------------- malformed input


def _expect_spec_error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        generate(path, PACKAGE)
    assert "\n" not in str(caught.value)
    assert path.name in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("arrays.json", "[" * 5000 + "]" * 5000),
        ("objects.json", '{"a":' * 5000 + "1" + "}" * 5000),
        ("mixed.json", '{"openapi": "3.1.0", "x": ' + "[" * 5000 + "]" * 5000 + "}"),
        ("flow.yaml", "openapi: 3.1.0\nx: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("block.yaml", "openapi: 3.1.0\nx:\n" + "".join("  " * i + "-\n" for i in range(1, 3000))),
        ("mapping.yaml", "openapi: 3.1.0\n" + "".join("  " * i + f"k{i}:\n" for i in range(3000))),
    ],
)
def test_deeply_nested_documents_are_spec_errors(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _expect_spec_error(path)


def _nested_items_json(depth: int) -> str:
    """A spec whose one schema is `depth` arrays deep (built as text: json.dumps recurses)."""
    schema = '{"type": "array", "items": ' * depth + '{"type": "string"}' + "}" * depth
    return (
        '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, '
        '"components": {"schemas": {"Deep": ' + schema + "}}}"
    )


@pytest.mark.parametrize("depth", [300, 400, 800])
def test_deep_schema_that_loads_generates_code_that_compiles(tmp_path: Path, depth: int) -> None:
    """Deep but valid: generated (long type expressions are split into named aliases)."""
    path = tmp_path / "deep.json"
    path.write_text(_nested_items_json(depth), encoding="utf-8")
    models = generate(path, PACKAGE).files[f"{PACKAGE}/models.py"]
    compile(models, "models.py", "exec")
    assert models.count("list[") == depth


def test_schema_too_deep_to_load_is_a_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_nested_items_json(2000), encoding="utf-8")
    assert "nested too deeply" in str(_expect_spec_error(path))


def test_moderately_nested_schema_generates(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_nested_items_json(40), encoding="utf-8")
    tree = ast.parse(generate(path, PACKAGE).files[f"{PACKAGE}/models.py"])
    [alias] = [
        node
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "Deep"
    ]
    assert alias.value is not None
    assert ast.unparse(alias.value) == "list[" * 40 + "str" + "]" * 40


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("latin1.yaml", "openapi: 3.1.0\ninfo: {title: Caf\xe9, version: '1'}\npaths: {}\n".encode("latin-1")),
        ("bad.json", b'{"openapi": "3.1.0", "info": {"title": "\xff\xfe", "version": "1"}, "paths": {}}'),
        ("utf16.json", '{"openapi": "3.1.0"}'.encode("utf-16")),
        ("binary.yaml", bytes(range(256))),
    ],
)
def test_non_utf8_files_are_spec_errors(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    error = _expect_spec_error(path)
    assert "UTF-8" in str(error)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}')
    assert f"{PACKAGE}/models.py" in generate(path, PACKAGE).files


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch PWNED']",
        "!!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['PWNED']]",
        "!!python/name:os.system",
    ],
)
def test_yaml_python_tags_are_refused(tmp_path: Path, tag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.yaml"
    path.write_text(f"openapi: 3.1.0\ninfo:\n  title: {tag}\n  version: '1'\npaths: {{}}\n", encoding="utf-8")
    _expect_spec_error(path)
    assert not (tmp_path / "PWNED").exists()


def _laughs(levels: int) -> str:
    text = "openapi: 3.1.0\ninfo: {title: Lol, version: '1'}\npaths: {}\n"
    text += "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for name in "bcdefghijk"[:levels]:
        text += f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_small_yaml_alias_bomb_completes(tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text(_laughs(5), encoding="utf-8")  # about 600 000 nodes once expanded
    try:
        generate(path, PACKAGE)
    except SpecError as error:
        assert "lol.yaml" in str(error)


BOMB_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    limit = 3 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pathlib import Path
    from generator.diagnostics import SpecError
    from generator.pipeline import generate
    try:
        generate(Path(sys.argv[1]), "pkg")
        print("GENERATED")
    except SpecError as error:
        print("SPEC ERROR", error)
    """
)


@pytest.mark.slow
def test_yaml_billion_laughs_completes_or_errors(tmp_path: Path) -> None:
    """The real thing: under 1 KB, 9**9 leaves once expanded.

    Bounded so that a regression cannot hang the suite: a subprocess with a 3 GiB
    address-space limit and a generous timeout (a guard, not a speed requirement).
    """
    path = tmp_path / "bomb.yaml"
    path.write_text(_laughs(8), encoding="utf-8")
    assert path.stat().st_size < 1024
    repo = Path(__file__).resolve().parent.parent
    try:
        result = subprocess.run(
            [sys.executable, "-c", BOMB_SCRIPT, str(path)],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=BOMB_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"generate did not finish within {BOMB_TIMEOUT} s on a 1 KB YAML alias bomb")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(("GENERATED", "SPEC ERROR")), result.stdout
    if result.stdout.startswith("SPEC ERROR"):
        assert "bomb.yaml" in result.stdout


# ---------------------------------------------------------------------- text that crashes generation

# Each of these once crashed generate (RuntimeError from black) or produced source that
# does not compile: a class name ending in a newline (naming.is_identifier used `$`), a
# docstring ending in three quotes, and a NUL in a docstring or the title.
CRASHERS = {
    "schema-name-trailing-newline": ({"Pet\n": {"type": "object", "properties": {"a": {"type": "string"}}}}, "T"),
    "description-ending-in-triple-quote": (
        {"Pet": {"type": "object", "description": 'abc"""', "properties": {"a": {"type": "string"}}}},
        "T",
    ),
    "description-with-nul": (
        {"Pet": {"type": "object", "description": "a\x00b", "properties": {"a": {"type": "string"}}}},
        "T",
    ),
    "title-with-nul": ({}, "a\x00b"),
    "title-ending-in-quotes": ({}, 'title ends ""'),
    "title-with-crlf-and-tabs": ({}, "one\r\n\ttwo\\"),
}


@pytest.mark.parametrize("case", list(CRASHERS))
def test_hostile_text_generates_compilable_code_or_a_spec_error(tmp_path: Path, case: str) -> None:
    schemas, title = CRASHERS[case]
    doc = {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    path = write_spec(tmp_path, doc)
    try:
        generated = generate(path, PACKAGE)
    except SpecError:
        return
    for key, text in generated.files.items():
        if key.endswith(".py"):
            compile(text, key, "exec")


def test_ir_names_are_identifiers_for_hostile_spec(tmp_path: Path) -> None:
    """Every Python name in the IR is a safe identifier, whatever the spec says."""
    from generator.naming import is_identifier

    for i, p in enumerate(PAYLOADS.values()):
        spec = write_spec(tmp_path / f"case{i}", hostile_spec(p))
        api, _ = build(spec, parse(spec, resolve(spec, load_document(spec))))
        names: list[str] = []
        for m in api.models:
            names.append(m.name)
            if isinstance(m, ir.ObjectModel):
                names += [f.name for f in m.fields]
            if isinstance(m, ir.EnumModel):
                names += [member.name for member in m.members]
        for tag in api.tags:
            names += [tag.class_name, tag.attribute, tag.module]
            for op in tag.operations:
                names.append(op.name)
                names += [param.name for param in op.parameters]
        names += [s.attribute for s in api.security_schemes]
        bad = [n for n in names if not is_identifier(n) or not n.isascii() or "\n" in n]
        assert bad == [], (p, bad)
