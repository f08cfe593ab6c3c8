"""The client fixture's generated package passes the gates (mypy --strict, ruff, black), and
so does code using it: the types a caller sees (streams, `with_response`, overloads)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from client_support import FIXTURES

from generator.pipeline import generate

REPO = Path(__file__).resolve().parent.parent

USAGE = textwrap.dedent(
    """
    from __future__ import annotations

    import asyncio

    from client_pkg import models
    from client_pkg.client import ApiResponse, AsyncClient, Client, ClientCredentials, Retry


    def use(api: Client) -> None:
        created: models.Pet = api.pets.create_pet(name="Rex", age=None)
        again: models.Pet = api.pets.create_pet(body=models.NewPet(name="Rex"))
        full = api.pets.with_response.create_pet(name="Rex")
        untyped: ApiResponse[models.Pet] = full  # the headers type parameter is optional
        by_model = api.pets.with_response.create_pet(body=models.NewPet(name="Rex"))
        api.pets.update_pet(id=1)  # an optional body whose fields are partly required
        print(by_model.declared_headers, api.pets.update_pet(id=1, name="Rex"))
        declared = full.declared_headers
        headers: str | None = declared.location if declared else None
        updated = api.pets.with_response.update_pet(id=1)
        if updated.declared_headers is not None:
            version: str = updated.declared_headers.e_tag  # required: never None
            tags: list[int] | None = updated.declared_headers.x_tags
            print(version, tags, updated.headers["etag"])
        api.labels.add_label(label=None)  # its module names models only in the overloads
        for event in api.streams.events():
            number: int = event.data.n
        for line in api.streams.log():
            text: str = line.data
        for tick in api.streams.ticks():
            count: int = tick.n
        with api.files.with_streaming_response.download() as download:
            chunks: list[bytes] = list(download.iter_bytes())
        api.ops.slow(timeout=1.5, retry=Retry(attempts=2))
        print(created, again, untyped, headers, number, text, count, chunks)


    async def use_async(api: AsyncClient) -> None:
        pet: models.Pet = await api.pets.create_pet(name="Rex")
        full: ApiResponse[models.Pet] = await api.pets.with_response.create_pet(name="R")
        by_model = await api.pets.with_response.create_pet(body=models.NewPet(name="R"))
        located: str | None = by_model.declared_headers.location if by_model.declared_headers else None
        await api.pets.update_pet(id=1)
        async for event in await api.streams.events():
            number: int = event.data.n
        ticks = await api.streams.with_response.ticks()
        total: int | None = ticks.declared_headers.x_total if ticks.declared_headers else None
        download = await api.files.with_streaming_response.download()
        async for chunk in download:
            size: int = len(chunk)
        print(pet, full, located, number, size, total)


    flow = ClientCredentials(client_id="id", client_secret="secret")
    use(Client(machine=flow, oidc=lambda: "token", browser="token"))
    asyncio.run(use_async(AsyncClient(retry=None)))
    """
)


#: Misuses of typed response headers; `# E` marks each line mypy must refuse.
MISUSE = textwrap.dedent(
    """
    from __future__ import annotations

    from client_pkg.client import AsyncClient, Client
    from client_pkg.client.pets import UpdatePetHeaders


    def misuse(api: Client) -> None:
        result = api.pets.with_response.update_pet(id=1)
        maybe: str = result.declared_headers.e_tag  # E: None until checked
        assert result.declared_headers is not None
        version: int = result.declared_headers.e_tag  # E: a str
        tags: list[int] = result.declared_headers.x_tags  # E: optional
        other = result.declared_headers.location  # E: another operation's header
        created = api.pets.with_response.create_pet(name="Rex").declared_headers
        assert created is not None
        remaining: str | None = created.x_rate_remaining  # E: an int
        reveal_type(result.declared_headers.x_tags)
        result.declared_headers.e_tag = "v2"  # E: frozen
        UpdatePetHeaders(x_tags=[1])  # E: e_tag is required
        UpdatePetHeaders(e_tag="v1", x_tags=["1"])  # E: list[int]
        api.pets.with_response.create_pet(nam="Rex")  # E: no such argument
        api.pets.with_response.create_pet(name="Rex", body=None)  # E: fields or body
        api.pets.import_pets(body=b"rows")  # E: bytes need their content_type
        api.pets.import_pets(body="rows", content_type="application/octet-stream")  # E: bytes
        api.pets.import_pets(body=b"rows", content_type="application/octet-stream")
        api.pets.import_pets(body="a,b", content_type="text/csv")
        api.pets.import_pets(name="Rex")
        print(maybe, version, tags, other, remaining)


    async def misuse_async(api: AsyncClient) -> None:
        ticks = await api.streams.with_response.ticks()
        assert ticks.declared_headers is not None
        total: str = ticks.declared_headers.x_total  # E: int | None
        print(total)
    """
)


def _run(*args: str, cwd: Path) -> None:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_client_and_its_use_type_check(tmp_path: Path) -> None:
    for path, text in generate(FIXTURES / "client.openapi.yaml", "client_pkg").files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "usage.py").write_text(USAGE)
    (tmp_path / "misuse.py").write_text(MISUSE)
    args = ("-m", "mypy", "--strict", "client_pkg/client", "usage.py", "misuse.py")
    result = subprocess.run((sys.executable, *args), cwd=tmp_path, capture_output=True,
                            text=True)
    report = result.stdout + result.stderr
    errors = {int(m[1]) for m in re.finditer(r"^misuse\.py:(\d+): error:", report, re.M)}
    expected = {n for n, line in enumerate(MISUSE.splitlines(), 1) if "# E" in line}
    # Only the misuses fail (the package and its proper use are clean), each of them does.
    assert result.returncode == 1 and errors == expected, report
    assert len(re.findall(r"^\S+: error:", report, re.M)) == len(expected), report
    assert 'Revealed type is "list[int] | None"' in report, report
    _run(sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"),
         "client_pkg/client", cwd=tmp_path)
    _run(sys.executable, "-m", "black", "--check", "--quiet", "client_pkg/client", cwd=tmp_path)
