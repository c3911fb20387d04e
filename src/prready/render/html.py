"""The plan as one self-contained HTML page: inline CSS and script, no outside requests.

A strict Content-Security-Policy (scripts and styles allowed only by hash, nothing else
loadable) backs up the escaping and sanitizing done in view.py and sanitize.py.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from prready.models import Plan, ProgressEntry, ProgressEvent
from prready.render.svg import ImportGraph, plan_graph_svg
from prready.render.templates import read_asset, templates_dir
from prready.render.view import build_view

if TYPE_CHECKING:
    import networkx as nx


def render_html(
    plan: Plan,
    progress: list[ProgressEntry],
    events: list[ProgressEvent],
    graph: ImportGraph | nx.DiGraph | None,
    now: datetime | str | None,
) -> str:
    """The plan page; `graph` is the code map's import graph (`svg.map_graph`, or a
    networkx graph; or None), `now` dates "N days ago"."""
    view = build_view(plan, progress, events, now=now, with_bodies=True)
    svg = plan_graph_svg(plan, graph) if graph is not None else ""
    css = read_asset("plan.css")
    script = read_asset("plan.js")
    template = _environment().get_template("plan.html.j2")
    return template.render(
        view=view,
        # Our own markup: the SVG escapes every name itself (see svg.py).
        svg=Markup(svg),
        css=Markup(css),
        script=Markup(script),
        csp=content_security_policy(css, script),
    )


def content_security_policy(css: str, script: str) -> str:
    """Allow only this page's own style and script (by hash); block every load."""
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(css)}'; "
        f"script-src '{_sha256(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
