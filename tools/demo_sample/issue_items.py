"""The sample's issues and pull requests as plain records, before they get GitHub's shapes.

Texts may hold two kinds of placeholder, resolved when the REST payloads are built:
`#<key>` becomes `#N`, the number GitHub gave the item with that key (numbers follow
creation order, shared by issues and pull requests like on GitHub); and
`{{line:PATH:NEEDLE}}` becomes the line of PATH containing NEEDLE in the repository as it
was when the issue was filed, so tracebacks point at real lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The people who maintain tinyml: GitHub login -> (name, commit e-mail).
MAINTAINERS: dict[str, tuple[str, str]] = {
    "lfischer": ("Lena Fischer", "1048576+lfischer@users.noreply.github.com"),
    "priyar": ("Priya Raman", "2097152+priyar@users.noreply.github.com"),
    "jweber": ("Jonas Weber", "3145728+jweber@users.noreply.github.com"),
    "meichen": ("Mei Chen", "4194304+meichen@users.noreply.github.com"),
    "dalvarez": ("Diego Alvarez", "5242880+dalvarez@users.noreply.github.com"),
    "sokafor": ("Sam Okafor", "6291456+sokafor@users.noreply.github.com"),
}


@dataclass
class SampleItem:
    """One issue or pull request of the sample, with its discussion."""

    key: str
    title: str
    user: str
    created: str
    body: str
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    closed: str | None = None
    reason: str | None = None  # state_reason when closed: "completed" | "not_planned"
    closed_by: str | None = None
    assignees: list[str] = field(default_factory=list)
    assigned_at: str | None = None
    reactions: int = 0
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # (login, at, body)
    # Pull requests only.
    is_pull: bool = False
    merged: str | None = None  # merged_at
    refs: list[str] = field(default_factory=list)  # keys of the issues it references
    branch: str = ""
    files: list[tuple[str, str, int, int]] = field(default_factory=list)  # unmerged PRs only
