"""`prready map` output: the summary as text, and the whole code map exported as JSON or
GraphML (to standard output or a file)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from prready.errors import UsageError
from prready.formats import MAP_EXPORTS
from prready.paths import write_private_file
from prready.text import inert_json, safe_line

if TYPE_CHECKING:
    import networkx as nx

    from prready.code_models import CodeMap
    from prready.map_report import MapSummary

def print_map_summary(summary: MapSummary) -> None:
    click.echo(map_summary_text(summary))


def map_summary_text(summary: MapSummary) -> str:
    """The text the `map` command prints (names from the repository made terminal-safe)."""
    out = [f"{safe_line(summary.repo, 140)} @ {safe_line(summary.head, 12)}"]
    langs = ", ".join(f"{n} {lang}" for lang, n in summary.files_by_language.items())
    out.append(f"files: {safe_line(langs, 300) or 'none'}")
    kinds = ", ".join(f"{n} {k}" for k, n in summary.edges_by_kind.items())
    out.append(
        f"modules: {summary.modules}  edges: {summary.edges} ({kinds or 'none'}; "
        f"{summary.conditional_edges} conditional)  areas: {summary.areas}  "
        f"symbols: {summary.symbols}"
    )
    cache = summary.cache
    if cache:
        out.append(f"scanned {cache['scanned']} files, {cache['cached']} from cache")
    out.append("")
    out.append(
        f"{'area':40} {'mods':>5} {'lines':>8} {'deps-in':>7} {'blast':>6} {'deps-out':>8} "
        f"{'central':>8} {'churn':>6} {'tests':>5}"
    )
    for a in summary.top_areas:
        out.append(
            f"{safe_line(a.name, 40):40} {a.modules:>5} {a.lines:>8} {a.dependents:>7} "
            f"{a.dependents_transitive:>6} {a.dependencies:>8} {a.centrality:>8.4f} "
            f"{a.churn:>6} {a.tests:>5}"
        )
    if summary.skipped:
        out.append("")
        out.append(
            "skipped: "
            + safe_line(", ".join(f"{n} {why}" for why, n in summary.skipped.items()), 400)
        )
    return "\n".join(out)


def export_map(cm: CodeMap, fmt: str, output: str | Path | None) -> None:
    """The whole map as JSON or GraphML: on standard output, or written to `output` (then
    a line on standard error says so)."""
    text = map_document(cm, fmt)
    if output is None:
        click.echo(text)
        return
    try:
        write_private_file(Path(output), text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {fmt} map of {cm.repo} to {output}", err=True)


def map_document(cm: CodeMap, fmt: str) -> str:
    """The whole map in `fmt`: "json" (terminal-inert) or "graphml"."""
    if fmt == "json":
        return inert_json(json.dumps(code_map_json(cm), indent=1, ensure_ascii=False))
    if fmt == "graphml":
        import networkx as nx

        return "\n".join(nx.generate_graphml(graphml_ready(cm.graph)))
    raise UsageError(f"unknown export format {fmt!r}: use {' or '.join(MAP_EXPORTS)}")


def code_map_json(cm: CodeMap) -> dict[str, Any]:
    """The whole map as JSON-ready data (nodes, edges, areas, symbols, skipped...)."""
    return {
        "repo": cm.repo,
        "head": cm.head,
        "modules": [asdict(info) for info in cm.modules.values()],
        "edges": [
            {"source": a, "target": b, "kind": d.get("kind"), "conditional": d.get("conditional")}
            for a, b, d in cm.graph.edges(data=True)
        ],
        "areas": [asdict(area) for area in cm.areas.values()],
        "symbols": cm.symbols,
        "skipped": cm.skipped,
        "label_paths": cm.label_paths,
        "codeowners": [[pattern, owners] for pattern, owners in cm.codeowners],
    }


def graphml_ready(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attribute values are GraphML scalars (str/int/float/bool only)."""
    import networkx as nx

    out = nx.DiGraph()
    out.add_nodes_from((n, _scalars(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((a, b, _scalars(d)) for a, b, d in graph.edges(data=True))
    return out


def _scalars(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if isinstance(value, (bool, int, float, str)):
            out[key] = value
        elif value is not None:
            out[key] = str(value)
    return out
