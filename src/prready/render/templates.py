"""Find the Jinja2 templates and static assets, in a wheel or in a source checkout.

An installed wheel ships them at prready/templates (hatch force-include, see
pyproject.toml); an editable or source checkout reads the repository's top-level
templates/ folder.
"""

from __future__ import annotations

from pathlib import Path

from prready.errors import PrreadyError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../prready


def templates_dir() -> Path:
    """The folder holding plan.html.j2; PrreadyError if the installation lacks it."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent.parent / "templates"):
        if (candidate / "plan.html.j2").is_file():
            return candidate
    raise PrreadyError(
        "prready's HTML templates are missing from this installation: reinstall prready"
    )


def read_asset(name: str) -> str:
    """The text of a file next to the templates (the page's CSS and script)."""
    return (templates_dir() / name).read_text(encoding="utf-8")
