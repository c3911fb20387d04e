"""The plan document (`prready plan` and `demo`): rendered as HTML, Markdown or JSON and
written to a file, or to standard output for '-'."""

from __future__ import annotations

import sys
from pathlib import Path

from prready.errors import UsageError
from prready.formats import STDOUT
from prready.paths import write_private_file
from prready.render.html import render_html
from prready.render.json_out import render_json
from prready.render.markdown import render_markdown
from prready.render.svg import map_graph
from prready.reports import PlanResult


def write_plan(result: PlanResult, compiled: Path | None = None) -> Path:
    """The plan rendered in its format and written to its output atomically (a failed
    write leaves any old file intact); `compiled`: where the HTML templates are kept
    compiled (see render_html)."""
    plan, entries, events, output = result.plan, result.entries, result.events, result.output
    if result.fmt == "html":
        graph = map_graph(result.code_map)
        text = render_html(plan, entries, events, graph, result.moment, compiled)
    elif result.fmt == "md":
        text = render_markdown(plan, entries, events)
    else:
        text = render_json(plan, entries, events)
    if output == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return output
    try:
        return write_private_file(output, text)
    except OSError as exc:
        raise UsageError(
            f"cannot write the plan to {output}: {exc.strerror or exc}", advice="other_output"
        ) from None
