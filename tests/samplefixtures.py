"""The bundled demo sample, served by the loopback GitHub server."""

from __future__ import annotations

from typing import Any

from prready.demo.sample_history import SAMPLE_SLUG
from prready.demo.sample_issues import sample_payloads


def serve_sample(dataset: Any, payloads: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load the sample's repo, labels, issues, pulls, comments and timelines into a
    ghserver Dataset (whose `load_rest_payloads` names its keys a little differently)."""
    payloads = payloads or sample_payloads()
    dataset.add_repo(SAMPLE_SLUG, description=payloads["repo"]["description"])
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
