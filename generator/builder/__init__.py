"""Build the version-blind IR from the parsed document: schemas, operations, security, tags."""

from generator.builder.api import build

__all__ = ["build"]
