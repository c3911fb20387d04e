"""The bundled demo sample for tests: served by the loopback GitHub server, cloned from its
shipped bundle, and the generator that writes both (tools/demo_sample, not shipped)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from prready.demo import SAMPLE_SLUG, sample_bundle, sample_payloads
from prready.sources.git_repo import clone_bundle

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def serve_sample(dataset: Any, payloads: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load the sample's repo, labels, issues, pulls, comments and timelines into a
    ghserver Dataset (whose `load_rest_payloads` names its keys a little differently)."""
    payloads = payloads or sample_payloads()
    repo = payloads["repo"]
    dataset.add_repo(SAMPLE_SLUG, description=repo["description"], owner_type=repo["owner"]["type"])
    dataset.load_rest_payloads(
        SAMPLE_SLUG,
        {
            "labels": payloads["labels"],
            "issues": payloads["issues"],
            "pulls": list(payloads["pulls"].values()),
            "comments": payloads["comments"],
            "files": payloads["pull_files"],
            "timeline": payloads["timelines"],
        },
    )
    return payloads


def clone_sample(dest: Path) -> str:
    """A working clone of the sample repository at `dest`; returns its HEAD sha."""
    return clone_bundle(sample_bundle(), dest)


def generator(module: str) -> ModuleType:
    """A module of the sample's generator, tools/demo_sample (say "sample_history")."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module(f"demo_sample.{module}")
