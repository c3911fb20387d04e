"""The plan document (`prready plan` and `demo`): rendered as HTML, Markdown or JSON and
written to a file, or to standard output for '-'."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from prready.errors import UsageError
from prready.models import CodeMap, Plan, ProgressEntry, ProgressEvent
from prready.paths import write_private_file
from prready.render.html import render_html
from prready.render.json_out import render_json
from prready.render.markdown import render_markdown
from prready.render.svg import map_graph

STDOUT = Path("-")  # `--output -`: the document goes to standard output, no file is written


def write_plan(
    output: Path,
    fmt: str,
    plan: Plan,
    entries: list[ProgressEntry],
    events: list[ProgressEvent],
    code_map: CodeMap,
    now: datetime,
    compiled: Path | None = None,
) -> Path:
    """Render in `fmt` and write atomically (a failed write leaves any old file intact);
    `compiled`: where the HTML templates are kept compiled (see render_html)."""
    if fmt == "html":
        text = render_html(plan, entries, events, map_graph(code_map), now, compiled)
    elif fmt == "md":
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
