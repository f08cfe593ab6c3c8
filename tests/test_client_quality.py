"""The client fixture's generated package passes the gates (mypy --strict, ruff, black), and
so does code using it: the types a caller sees (streams, `with_response`, overloads)."""

from __future__ import annotations

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
        full: ApiResponse[models.Pet] = api.pets.with_response.create_pet(name="Rex")
        headers: object = full.declared_headers.get("Location")
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
        print(created, again, headers, number, text, count, chunks)


    async def use_async(api: AsyncClient) -> None:
        pet: models.Pet = await api.pets.create_pet(name="Rex")
        full: ApiResponse[models.Pet] = await api.pets.with_response.create_pet(name="R")
        async for event in await api.streams.events():
            number: int = event.data.n
        download = await api.files.with_streaming_response.download()
        async for chunk in download:
            size: int = len(chunk)
        print(pet, full, number, size)


    flow = ClientCredentials(client_id="id", client_secret="secret")
    use(Client(machine=flow, oidc=lambda: "token", browser="token"))
    asyncio.run(use_async(AsyncClient(retry=None)))
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
    _run(sys.executable, "-m", "mypy", "--strict", "client_pkg/client", "usage.py", cwd=tmp_path)
    _run(sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"),
         "client_pkg/client", cwd=tmp_path)
    _run(sys.executable, "-m", "black", "--check", "--quiet", "client_pkg/client", cwd=tmp_path)
