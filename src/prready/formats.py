"""The output formats, in one place: the plan's (their names, the suffix a plan file gets,
the format a file name's suffix stands for) and the code map's exports."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

STDOUT = Path("-")  # `--output -`: the document goes to standard output, no file is written

PlanFormat = Literal["html", "md", "json"]
PLAN_FORMATS: tuple[PlanFormat, ...] = ("html", "md", "json")
PLAN_SUFFIX: dict[str, str] = {"html": ".html", "md": ".md", "json": ".json"}
FORMAT_OF_SUFFIX: dict[str, PlanFormat] = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
}

MapExport = Literal["json", "graphml"]
MAP_EXPORTS: tuple[MapExport, ...] = ("json", "graphml")
EXPORT_OF_SUFFIX: dict[str, MapExport] = {".json": "json", ".graphml": "graphml"}
