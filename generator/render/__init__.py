"""Render the IR into source files: templates for layout, Python spellings and escaping here."""

from generator.render.files import TEMPLATE_DIRS, render

__all__ = ["TEMPLATE_DIRS", "render"]
