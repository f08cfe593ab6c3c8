"""Shaping options: include/exclude operations (with pruning), renames, type mapping,
the extra-fields policy and the client class name; each shown on generated code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.options import Options
from generator.output import write

SPEC = """
openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{id}:
    delete:
      operationId: deletePet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
  /orders:
    post:
      operationId: createOrder
      tags: [store]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Order"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {$ref: "#/components/schemas/Tag"}
    Tag:
      type: object
      properties: {label: {type: string}}
    Order:
      type: object
      required: [total, price]
      properties:
        total: {type: string, format: money}
        price: {$ref: "#/components/schemas/Money"}
        notes: {type: object, additionalProperties: true, properties: {x: {type: string}}}
    Money: {type: string, pattern: "^[0-9.]+$"}
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SPEC)
    return path


def generate(spec: Path, **options: object) -> dict[str, str]:
    return pipeline.generate(spec, "shop", options=Options(**options)).files  # type: ignore[arg-type]


def run_generated(tmp_path: Path, files: dict[str, str], code: str) -> str:
    """Write the package and run `code` against it in a fresh interpreter."""
    out = tmp_path / "out"
    write.write(out, "shop", files)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_defaults_keep_everything(spec: Path) -> None:
    files = generate(spec)
    assert {"shop/client/pets.py", "shop/client/store.py"} <= files.keys()
    for name in ("Pet", "Tag", "Order", "Money"):
        assert f"class {name}(" in files["shop/models.py"] or f"\n{name}: TypeAlias" in files[
            "shop/models.py"
        ]


def test_include_by_tag_prunes_unused_models(spec: Path) -> None:
    files = generate(spec, include=("tag:pets",))
    assert "shop/client/store.py" not in files and "shop/server/store.py" not in files
    models = files["shop/models.py"]
    assert "class Pet(" in models and "class Tag(" in models  # Tag: reached through Pet
    assert "class Order(" not in models and "Money" not in models


def test_exclude_by_id_and_path_glob(spec: Path) -> None:
    files = generate(spec, exclude=("deletePet", "path:/orders*"))
    pets = files["shop/client/pets.py"]
    assert "def list_pets(" in pets and "def delete_pet(" not in pets
    assert "shop/client/store.py" not in files
    assert "class Order(" not in files["shop/models.py"]
    by_method_name = generate(spec, include=("id:delete_*",))
    assert "def delete_pet(" in by_method_name["shop/client/pets.py"]
    assert "class Pet(" not in by_method_name["shop/models.py"]


def test_renames(spec: Path, tmp_path: Path) -> None:
    files = generate(
        spec,
        rename_models=(("Pet", "Animal"), ("Tag", "Label")),
        rename_operations=(("listPets", "all_pets"),),
    )
    models = files["shop/models.py"]
    assert "class Animal(_Model):" in models and "tag: Label | MISSING" in models
    assert "class Pet(" not in models
    assert re.search(r"def all_pets\(\s*self", files["shop/client/pets.py"])
    assert "-> list[models.Animal]" in files["shop/client/pets.py"]
    run_generated(tmp_path, files, "from shop.client import Client; Client.__init__")


def test_type_map_by_format_and_schema(spec: Path, tmp_path: Path) -> None:
    files = generate(
        spec,
        type_formats=(("money", "decimal.Decimal"),),
        type_schemas=(("Money", "decimal.Decimal"),),
    )
    models = files["shop/models.py"]
    assert "import decimal\n" in models
    assert "    total: decimal.Decimal\n" in models and "    price: decimal.Decimal\n" in models
    assert "Money" not in models  # the mapped schema is not generated
    out = run_generated(
        tmp_path,
        files,
        "from shop.models import Order\n"
        "o = Order.model_validate({'total': '12.50', 'price': '1.10'})\n"
        "print(type(o.total).__name__, o.total + o.price)",
    )
    assert out.split() == ["Decimal", "13.60"]


def test_type_map_to_a_user_module(spec: Path, tmp_path: Path) -> None:
    files = generate(spec, type_schemas=(("Money", "mytypes.money.Money"),))
    assert "import mytypes.money\n" in files["shop/models.py"]
    assert "price: mytypes.money.Money" in files["shop/models.py"]
    user = tmp_path / "out" / "mytypes"
    user.mkdir(parents=True)
    (user / "__init__.py").write_text("")
    (user / "money.py").write_text("from decimal import Decimal as Money\n")
    out = run_generated(
        tmp_path,
        files,
        "from shop.models import Order\n"
        "print(repr(Order.model_validate({'total': 'x', 'price': '2.5'}).price))",
    )
    assert out.strip() == "Decimal('2.5')"


def test_extra_policy(spec: Path, tmp_path: Path) -> None:
    assert 'extra="forbid"' not in generate(spec)["shop/models.py"]
    files = generate(spec, extra="forbid")
    models = files["shop/models.py"]
    assert models.count('model_config = ConfigDict(extra="forbid")') == 3  # Pet, Tag, Order
    assert 'ConfigDict(extra="allow")' in models  # notes: additionalProperties: true stays
    out = run_generated(
        tmp_path,
        files,
        "import pydantic\nfrom shop.models import Tag\n"
        "try:\n    Tag.model_validate({'label': 'a', 'oops': 1})\n"
        "except pydantic.ValidationError as e:\n    print(e.errors()[0]['type'])",
    )
    assert out.strip() == "extra_forbidden"


def test_client_class_name(spec: Path, tmp_path: Path) -> None:
    files = generate(spec, client_class="ShopClient")
    assert "class ShopClient:" in files["shop/client/_client.py"]
    assert "class AsyncShopClient:" in files["shop/client/_client.py"]
    init = files["shop/client/__init__.py"]
    assert "from ._client import DEFAULT_BASE_URL, AsyncShopClient, ShopClient" in init
    assert "class Client:" not in files["shop/client/_client.py"]
    out = run_generated(
        tmp_path,
        files,
        "from shop.client import ShopClient, AsyncShopClient\n"
        "with ShopClient('http://x') as c:\n    print(type(c.pets).__name__)",
    )
    assert out.strip() == "PetsApi"
