"""The Widgets server (tests/fixtures/widgets_service.py) served by uvicorn on 127.0.0.1,
called with the generated client and with raw httpx requests (the wire form checked
independently of our client); then the spec changes, the package is regenerated, the
implementation stays untouched and mypy reports the method that no longer matches."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import yaml
from click.testing import CliRunner
from client_support import serve
from serverkit import FIXTURES, WIDGETS_SPEC, imported, widgets_folder

from generator.cli import apismith


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = widgets_folder(tmp_path_factory.mktemp("live"))
    with imported(root, "widgets", "widgets.client", "widgets.models", "widgets_service") as mods:
        client, models, service = mods
        with serve(service.app) as base:
            yield SimpleNamespace(base=base, client=client, models=models, root=root)


def test_generated_client_against_the_live_server(live: SimpleNamespace) -> None:
    with live.client.Client(live.base, bearer="good-token") as api:
        widget = api.widgets.get_widget(widget_id=1)
        assert widget == live.models.Widget(id=1, name="one")
        put = api.widgets.put_widget(widget_id=31, name="thirty-one", tags=["x"])
        assert put == live.models.Widget(id=31, name="thirty-one", tags=["x"])
        echo = api.styles.query_styles(exploded=[1, 2], size=5)
        assert echo["exploded"] == [1, 2] and echo["size"] == 5
        with pytest.raises(live.client.ApiError) as info:
            api.widgets.get_widget(widget_id=404)
        assert info.value.status_code == 404


def test_raw_requests_against_the_live_server(live: SimpleNamespace) -> None:
    with httpx.Client(base_url=live.base) as http:
        label = http.get("/labels/.3,4/.x=1.y=2").json()
        assert label == {"ids": [3, 4], "point": {"model": "Point", "x": 1, "y": 2}}
        matrix = http.get("/matrix/;ids=3;ids=4/;point=x,1,y,2").json()
        assert matrix == label
        query = http.get("/query", params={"spaced": "5 6", "piped": "7|8", "point[x]": "1", "point[y]": "2"})
        assert query.json()["spaced"] == [5, 6] and query.json()["piped"] == [7, 8]
        found = http.get("/widgets/1", headers={"X-Tags": "a,b"})
        assert found.headers["X-Rate-Remaining"] == "41"
        created = http.put("/widgets/77", data={"name": "form"}, headers={"Authorization": "Bearer good-token"})
        assert created.status_code == 201 and created.headers["Location"] == "/widgets/77"
        invalid = http.get("/query", params={"size": "big"})
        assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["query", "size"]


def test_regeneration_keeps_the_implementation_and_mypy_reports_the_drift(tmp_path: Path) -> None:
    root = tmp_path / "project"
    generate = ["generate", "-o", str(root), "--package", "widgets"]
    assert CliRunner().invoke(apismith, [generate[0], str(WIDGETS_SPEC), *generate[1:]]).exit_code == 0
    service = root / "widgets_service.py"
    shutil.copy(FIXTURES / "widgets_service.py", service)
    before = service.read_bytes()
    mypy = [sys.executable, "-m", "mypy", "--strict", "widgets_service.py"]
    assert subprocess.run(mypy, cwd=root, capture_output=True).returncode == 0
    spec = yaml.safe_load(WIDGETS_SPEC.read_text())
    params = spec["paths"]["/simple/{ids}/{point}"]["get"]["parameters"]
    params.append({"name": "since", "in": "query", "required": True, "schema": {"type": "string"}})
    changed = tmp_path / "server.openapi.yaml"
    changed.write_text(yaml.safe_dump(spec))
    result = CliRunner().invoke(apismith, [generate[0], str(changed), *generate[1:]])
    assert result.exit_code == 0, result.output
    assert service.read_bytes() == before
    checked = subprocess.run(mypy, cwd=root, capture_output=True, text=True)
    assert checked.returncode == 1
    assert "simple_path" in checked.stdout and "since" in checked.stdout, checked.stdout
