"""Property-based: random small specs with hostile text in every text field.

Each example is built from the supported constructs (objects, arrays, enums, allOf, oneOf,
refs, parameters in every location, bodies, responses, tags, security) and must generate;
every module must compile; the package must import and build its app in a subprocess
without side effects (no sentinel file, nothing printed); and every string value the
output keeps (field descriptions, titles and defaults, enum values, operation and tag
texts, the API's title and description) must equal the spec's exactly.

A long-lived worker subprocess imports each example's package (fresh name each time),
so examples stay cheap and hypothesis can still shrink a failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ir
from generator.builder import build
from generator.front.load import load_document
from generator.front.parse import parse
from generator.front.resolve import resolve
from generator.pipeline import generate

SENTINEL = "PWNED"
TOUCH = f"__import__('pathlib').Path('{SENTINEL}').touch()"
FRAGMENTS = [
    '"', "'", '"""', "'''", "\\", "\\n", "\n", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x1c", "\x85",
    "\u2028", "\u2029", "\x00", "\x7f", "{{ 7 * 7 }}", "{% if true %}", "{% endraw %}", "{# c #}",
    "{{", "}}", "{%", "%}", TOUCH, "__import__('os')", f'"""; {TOUCH} #', f"'); {TOUCH} #",
    f"\n{TOUCH}\n", "%s", "%(x)s", "{0}", "${x}", "../../etc/passwd", "..\\..\\x", "/abs", "C:\\x",
    "\u202e", "\u200f", "\u2066", "\ufeff", "\U0001f600", "\U00010348", "# comment", "*/", "-->",
    "\\N{BULLET}", "\\u0041", "\\x41", "None", "True", "class", "import", " ", "  lead", "trail  ",
]
LONG = "x" * 3000 + TOUCH

hostile_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=5).map("".join),
    st.just(LONG),
)
name_text = st.one_of(
    st.sampled_from(["con", "Model", "BaseModel", "a b", "__init__", "1x", "class", "self", "x-y", "Ä"]),
    hostile_text.map(lambda t: t[:40]),
).filter(lambda t: t.strip() != "")


def ref_to(name: str) -> dict[str, str]:
    return {"$ref": "#/components/schemas/" + quote(name.replace("~", "~0").replace("/", "~1"), safe="")}


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(name_text, min_size=4, max_size=6, unique=True))
    text = lambda: draw(hostile_text)  # noqa: E731
    examples = lambda: draw(st.lists(hostile_text, max_size=2))  # noqa: E731
    schemas: dict[str, Any] = {}
    enum_name, alias_name, alias_alias_name, object_names = names[0], names[1], names[2], names[3:]
    schemas[enum_name] = {
        "type": "string",
        "enum": draw(st.lists(hostile_text, min_size=1, max_size=4, unique=True)),
        "description": text(),
    }
    schemas[alias_name] = {**ref_to(enum_name), "description": text()}  # an alias of the enum
    schemas[alias_alias_name] = ref_to(alias_name)  # an alias of the alias
    for index, name in enumerate(object_names):
        props = draw(st.lists(name_text, min_size=1, max_size=3, unique=True))
        properties: dict[str, Any] = {}
        for prop in props:
            kind = draw(st.sampled_from(["string", "enum", "alias", "array", "ref", "oneOf", "integer"]))
            if kind == "string":
                schema: dict[str, Any] = {"type": "string", "default": text(), "title": text()}
                if draw(st.booleans()):
                    schema["examples"] = examples()
            elif kind == "enum":
                schema = ref_to(enum_name)
            elif kind == "alias":
                schema = ref_to(draw(st.sampled_from([alias_name, alias_alias_name])))
            elif kind == "array":
                schema = {"type": "array", "items": {"type": "string", "enum": draw(
                    st.lists(hostile_text, min_size=1, max_size=3, unique=True))}}
            elif kind == "ref" and index > 0:
                schema = ref_to(object_names[0])
            elif kind == "oneOf" and index > 0:
                schema = {"oneOf": [ref_to(object_names[0]), {"type": "integer"}]}
            else:
                schema = {"type": "integer", "default": draw(st.integers(-5, 5))}
            schema["description"] = text()
            properties[prop] = schema
        body: dict[str, Any] = {"type": "object", "properties": properties, "description": text()}
        if draw(st.booleans()):
            body["required"] = [props[0]]
        if index > 0 and draw(st.booleans()):
            body = {"allOf": [ref_to(object_names[0]), body], "description": text()}
        if draw(st.booleans()):
            body["examples"] = [{props[0]: example} for example in examples()]
        schemas[name] = body
    scheme = draw(name_text)
    tags = draw(st.lists(name_text, min_size=1, max_size=2, unique=True))
    operation_ids = draw(st.lists(name_text, min_size=2 * len(tags), max_size=2 * len(tags), unique=True))
    paths: dict[str, Any] = {}
    for i, tag in enumerate(tags):
        target = ref_to(draw(st.sampled_from(object_names)))
        paths[f"/r{i}/{{id}}"] = {
            "get": {
                "operationId": operation_ids[2 * i],
                "summary": text(),
                "description": text(),
                "tags": [tag],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "description": text()},
                    {"name": draw(name_text), "in": "query", "description": text(),
                     "schema": {"type": "string", "default": text()}},
                    {"name": f"X-H{i}", "in": "header", "description": text(), "schema": {"type": "string"}},
                    {"name": f"c{i}", "in": "cookie", "description": text(), "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {"description": text(), "content": {"application/json": {"schema": target}}},
                    "404": {"description": text()},
                },
                "security": [{scheme: []}],
            },
            "post": {
                "operationId": operation_ids[2 * i + 1],
                "tags": [tag],
                "requestBody": {"required": True, "description": text(),
                                "content": {"application/json": {"schema": target}}},
                "responses": {"204": {"description": text()}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": text(), "version": "1" + text(), "description": text()},
        "tags": [{"name": tag, "description": text()} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {scheme: {"type": "apiKey", "in": "header", "name": "X-Key", "description": text()}},
        },
    }


def _declared_enums(schemas: dict[str, Any], source: dict[str, Any], wire: str,
                    prop: dict[str, Any]) -> list[list[Any]]:
    """The item enums a property is declared with: its own, and its allOf base's if the
    base declares it too (a value must satisfy both: the field takes the narrowest)."""
    declared = [prop["items"]["enum"]]
    if "allOf" in source:
        base_name = unquote(source["allOf"][0]["$ref"].rsplit("/", 1)[-1])
        base = schemas[base_name.replace("~1", "/").replace("~0", "~")]
        enum = (base.get("properties") or {}).get(wire, {}).get("items", {}).get("enum")
        if enum is not None:
            declared.append(enum)
    return declared


def _narrowest(declared: list[list[Any]]) -> list[list[Any]]:
    """The declarations whose values every other declaration allows (all, if none is)."""
    narrow = [d for d in declared if all(all(v in other for v in d) for other in declared)]
    return narrow or declared


WORKER = textwrap.dedent(
    """
    import contextlib, enum, importlib, io, json, pathlib, sys, traceback, typing
    import pydantic
    real_stdout = sys.stdout
    class Stub:  # every operation and security handler (create_app checks)
        def __getattr__(self, name): return lambda **kw: None
    for line in sys.stdin:
        request = json.loads(line)
        sys.path.insert(0, request["dir"])
        # each example as in a fresh process: typing caches unions by equality, and Literals
        # are equal whatever their order, so `Literal["a", "b"] | X` of an earlier example
        # would stand in for this one's `Literal["b", "a"] | X` (its schema listing a, b)
        for clear in typing._cleanups:
            clear()
        printed = io.StringIO()
        reply = {"printed": "", "error": None, "models": {}, "enums": {}, "enum_schemas": {}, "openapi": None}
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                package = request["package"]
                models = importlib.import_module(package + ".models")
                importlib.import_module(package + ".client")
                server = importlib.import_module(package + ".server")
                reply["openapi"] = server.create_app(Stub()).openapi()
                for name, value in vars(models).items():
                    if getattr(value, "__module__", None) != models.__name__ or not isinstance(value, type):
                        continue
                    if issubclass(value, enum.Enum):
                        reply["enums"][name] = [member.value for member in value]
                        reply["enum_schemas"][name] = pydantic.TypeAdapter(value).json_schema()
                    elif hasattr(value, "model_json_schema"):
                        reply["models"][name] = value.model_json_schema(by_alias=True)
        except BaseException:
            reply["error"] = traceback.format_exc()
        reply["printed"] = printed.getvalue()
        reply["sentinel"] = pathlib.Path("PWNED").exists()
        real_stdout.write(json.dumps(reply, default=repr) + "\\n")
        real_stdout.flush()
    """
)


def enum_name_of(doc: dict[str, Any]) -> str:
    """The one enum component of an example (the first schema)."""
    return next(iter(doc["components"]["schemas"]))


class Worker:
    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8",
        )

    def check(self, folder: Path, package: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"dir": str(folder), "package": package}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the import worker died"
        reply: dict[str, Any] = json.loads(line)
        return reply

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Worker, Path]]:
    root = tmp_path_factory.mktemp("property")
    (root / "cwd").mkdir()
    running = Worker(root / "cwd")
    yield running, root
    running.close()


def _field_schemas(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """The properties of model `name` in a pydantic JSON schema (own and inherited)."""
    definitions = schema.get("$defs", {})
    own = definitions.get(name, schema) if schema.get("title") != name or "$defs" in schema else schema
    return dict(own.get("properties", {}))


def check_example(doc: dict[str, Any], worker: Worker, root: Path, number: int) -> None:
    folder = root / f"ex{number}"
    folder.mkdir()
    spec = folder / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    package = f"pkg{number}"
    generated = generate(spec, package)
    for key, text in generated.files.items():
        if key.endswith(".py"):
            compile(text, key, "exec")
        target = folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    reply = worker.check(folder, package)
    assert reply["error"] is None, reply["error"]
    assert reply["printed"] == "", reply["printed"]
    assert not reply["sentinel"], "a payload ran on import"
    api, diagnostics = build(spec, parse(spec, resolve(spec, load_document(spec))))
    schemas = doc["components"]["schemas"]
    for model in api.models:
        source = schemas.get(model.wire_name)
        if source is None:
            continue
        if isinstance(model, ir.EnumModel):
            assert reply["enums"][model.name] == source["enum"]
            described = reply["enum_schemas"][model.name].get("description", "")
            assert described == source["description"], (model.name, described)
        elif isinstance(model, ir.AliasModel):  # an alias (of an alias) of the enum: the enum, not Any
            assert reply["enums"].get(model.name) == schemas[enum_name_of(doc)]["enum"], model.name
        elif isinstance(model, ir.ObjectModel):
            own = source["allOf"][1] if "allOf" in source else source
            model_schema = reply["models"][model.name]
            own_schema = model_schema.get("$defs", {}).get(model.name, model_schema) if "$defs" in model_schema \
                and model_schema.get("title") != model.name else model_schema
            assert own_schema.get("description", "") == source["description"], (model.name, own_schema)
            if "examples" in source:
                assert own_schema["examples"] == source["examples"], (model.name, own_schema)
            properties = _field_schemas(model_schema, model.name)
            for wire, prop in own["properties"].items():
                kept = properties[wire]
                described = kept.get("description", "")
                if "$ref" in kept and "description" not in kept:  # pydantic drops what equals its target's
                    described = model_schema["$defs"][kept["$ref"].rsplit("/", 1)[-1]].get("description", "")
                assert described == prop["description"], (model.name, wire, kept)
                if "examples" in prop:
                    assert kept.get("examples") == prop["examples"], (model.name, wire, kept)
                for key in ("title", "default"):
                    if key in prop and key == "default" and kept.get(key) != prop[key] and "allOf" in source:
                        # the base declares the property too, and its schema rules the default out
                        base_name = unquote(source["allOf"][0]["$ref"].rsplit("/", 1)[-1])
                        base = schemas[base_name.replace("~1", "/").replace("~0", "~")]
                        assert wire in base["properties"], (model.name, wire, key)
                        assert any(f"default {prop[key]!r} does not match the type" in d.message for d in diagnostics)
                    elif key in prop:
                        assert kept.get(key) == prop[key], (model.name, wire, key)
                if "items" in prop:
                    kept_items = kept["items"]
                    if "$ref" in kept_items:  # a generated enum class
                        name = kept_items["$ref"].rsplit("/", 1)[-1]
                        kept_items = reply["models"][model.name]["$defs"][name]
                    values = kept_items["enum"] if "enum" in kept_items else [kept_items.get("const")]
                    assert values in _narrowest(_declared_enums(schemas, source, wire, prop)), (
                        model.name, wire, kept_items)
    served = reply["openapi"]
    # The server's openapi() serves the document as read: every text exactly.
    assert served["info"]["title"] == doc["info"]["title"], served["info"]
    assert served["info"].get("description", "") == doc["info"]["description"], served["info"]
    assert {t["name"]: t.get("description") for t in served.get("tags", [])} == {
        t["name"]: t["description"] for t in doc["tags"]
    }
    for path, item in doc["paths"].items():
        for method, op in item.items():
            kept_op = served["paths"][path][method]
            for key in ("summary", "description", "operationId"):
                if key in op:
                    assert kept_op.get(key) == op[key], (path, method, key)
            kept_params = {(p["name"], p["in"]): p for p in kept_op.get("parameters", [])}
            for param in op.get("parameters", []):
                kept_param = kept_params[(param["name"], param["in"])]
                assert kept_param.get("description", "") == param["description"], (param, kept_param)
                if "default" in param["schema"]:
                    assert kept_param["schema"].get("default") == param["schema"]["default"]
            for status, response in op["responses"].items():
                kept_response = kept_op["responses"][status]
                assert kept_response["description"] == response["description"], (status, kept_response)



_counter = iter(range(1_000_000))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=specs())
def test_random_hostile_specs_generate_import_and_keep_their_text(
    doc: dict[str, Any], worker: tuple[Worker, Path]
) -> None:
    check_example(doc, worker[0], worker[1], next(_counter))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=specs())
def test_random_hostile_specs_many_examples(doc: dict[str, Any], worker: tuple[Worker, Path]) -> None:
    check_example(doc, worker[0], worker[1], next(_counter))
