"""Render the IR into source files: templates for layout, Python spellings and escaping here
(`files.render`, `files.plan`)."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Templates ship inside the wheel (generator/templates); a source checkout keeps them at the top.
TEMPLATE_DIRS = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")

__all__ = ["TEMPLATE_DIRS"]
