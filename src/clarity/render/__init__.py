"""Renderers: turn reports into text for a terminal or JSON for programs."""

from __future__ import annotations

from clarity.render.json import SCHEMA_VERSION, render_json, result_dict
from clarity.render.text import line_col, render_text

__all__ = ["SCHEMA_VERSION", "line_col", "render_json", "render_text", "result_dict"]
