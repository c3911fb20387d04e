"""A map restored whole from its snapshot (the warm `prready map`) loads only what
restoring and summarising need: not the scanners, the assembly, the incremental update,
nor the libraries only they use (pathspec for CODEOWNERS, statistics for medians,
concurrent.futures for the scanning pool)."""

from __future__ import annotations

from pathlib import Path

from test_cli_startup import loaded_heavy

from mapfixtures import make_map_repo

NOT_ON_THE_WARM_PATH = (
    "prready.analysis.pyscan",
    "prready.analysis.native",
    "prready.analysis.layout",
    "prready.analysis.codemap",
    "prready.analysis.areas",
    "prready.analysis.incremental",
    "prready.analysis.ownership",
    "pathspec",
    "statistics",
    "concurrent.futures",
)


def test_a_warm_map_loads_neither_the_scanners_nor_the_assembly(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    args = ["map", "me/mylib", "--checkout", str(root)]
    home = tmp_path / "home"
    cold = loaded_heavy(args, home, NOT_ON_THE_WARM_PATH)
    assert "prready.analysis.pyscan" in cold  # the probe sees what a cold map loads
    assert loaded_heavy(args, home, NOT_ON_THE_WARM_PATH) == []
