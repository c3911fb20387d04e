"""The plan as one self-contained HTML page: inline CSS and script, no outside requests.

A strict Content-Security-Policy (scripts and styles allowed only by hash, nothing else
loadable) backs up the escaping and sanitizing done in view.py and sanitize.py.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup

from prready.models import Plan, ProgressEntry, ProgressEvent
from prready.paths import is_private_dir
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
    compiled: Path | None = None,
) -> str:
    """The plan page; `graph` is the code map's import graph (`svg.map_graph`, or a
    networkx graph; or None), `now` dates "N days ago". `compiled`: a private folder
    keeping the templates compiled, so a later run skips compiling them (each is
    recompiled when its text or the Jinja or Python version changes)."""
    view = build_view(plan, progress, events, now=now, with_bodies=True)
    svg = plan_graph_svg(plan, graph) if graph is not None else ""
    css = read_asset("plan.css")
    script = read_asset("plan.js")
    template = _environment(compiled).get_template("plan.html.j2")
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


def _environment(compiled: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if compiled is not None:
        with contextlib.suppress(OSError):
            compiled.mkdir(mode=0o700, parents=True, exist_ok=True)
    if compiled is not None and is_private_dir(compiled):
        # (Entries are unpickled and run: never from a folder someone else could write.)
        # What the compiled code depends on besides a template's text.
        settings = (
            jinja2.__version__, env.autoescape, env.undefined.__name__, env.trim_blocks,
            env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence,
        )  # fmt: skip
        env.bytecode_cache = _CompiledTemplates(compiled, repr(settings))
    return env


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in `folder` (a private folder), where a missing,
    unreadable or damaged entry is compiled afresh and a failed write only costs the
    compile next time. Each entry is checked against its template's text and the options
    it was compiled with (a checksum of both) and the Jinja and Python versions, and
    recompiled on any difference."""

    def __init__(self, folder: Path, settings: str) -> None:
        super().__init__(os.fspath(folder), "plan-%s.jinja")
        self.settings = settings

    def get_source_checksum(self, source: str) -> str:
        text = f"{self.settings}\0{source}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (pickle and marshal raise many kinds)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
