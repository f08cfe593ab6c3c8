"""apismith: OpenAPI 3.0/3.1 → Pydantic v2 models, httpx client and FastAPI server stubs."""

__version__ = "0.1.0"
