"""The plan's file formats, in one place: their names, the suffix a plan file gets, and the
format a file name's suffix stands for."""

from __future__ import annotations

from typing import Literal

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
