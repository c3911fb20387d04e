"""What app/ functions hand to render/: plain dataclasses, one per command's result.

They live below both layers so that a renderer names its input without importing the
application (and, through it, the stores and sources): app fills them, render shows them.
`prready map`'s summary is in `prready.map_report`: a map loads that alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from prready.analysis.backtest import BacktestReport
    from prready.analysis.progress import NextAction, ReplanDecision, StageSummary
    from prready.code_models import CodeMap
    from prready.formats import PlanFormat
    from prready.models import IssueAssessment, Plan, ProgressEntry, ProgressEvent


@dataclass(frozen=True)
class Setting:
    key: str
    value: object
    # "config.toml", "PRREADY_HOME", "default", an environment variable... or, for the
    # token, its origin's neutral word (config.TokenOrigin), which render/ names
    source: str


@dataclass
class ConfigReport:
    """`prready config show`: every setting as resolved, and the config file's warnings."""

    config_file: str
    exists: bool
    settings: list[Setting]
    warnings: list[str]


@dataclass
class RepoStatus:
    repo: str
    stages: list[StageSummary]
    next: list[NextAction]
    entries: list[ProgressEntry]
    events: list[ProgressEvent] = field(default_factory=list)  # newest first


@dataclass
class StatusReport:
    """`prready status`: per tracked repository, its stages, next actions and events."""

    repos: list[RepoStatus]
    asked: str | None = None  # the repository asked for, if any


@dataclass
class BacktestRun:
    """`prready backtest`: the scored cases, where their fixes were found, and notes."""

    report: BacktestReport
    sources: dict[str, int] = field(default_factory=dict)  # "commits"/"pull requests" -> cases
    notes: list[str] = field(default_factory=list)


@dataclass
class IssuesResult:
    """`prready issues`: the stored issues assessed against the code map."""

    repo: str
    assessments: list[IssueAssessment]
    total: int  # stored issues in the chosen state, before the label filter and limit
    head: str  # commit the code map was built from ("" without a code map)
    notes: list[str] = field(default_factory=list)
    mapped: bool = True  # False: no clone yet, so no modules were mapped


@dataclass
class LabelRow:
    """One row of the label listing of `prready issues`."""

    name: str
    kind: str
    value: str | None
    open_issues: int
    description: str = ""


@dataclass
class ProfileProposal:
    """`prready profile`: the skills proposed from one author's commits."""

    root: str
    author: str  # the email analysed
    author_guessed: bool  # True when no author was given
    commits: int
    files: int
    skills: list[tuple[str, list[str]]]  # skill key -> evidence, strongest first

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.skills]


@dataclass
class SyncReport:
    """What a sync did, for `prready sync`'s summary line and for `plan`."""

    repo: str
    source: Literal["api", "file", "offline"] = "api"
    queries: int = 0
    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    issues_new: int = 0
    issues_new_closed: int = 0  # closed issues stored for the first time (backtest's)
    issues_updated: int = 0
    issues_closed: int = 0
    pulls: int = 0
    labels: int = 0
    stored_open: int = 0
    rate_limit: int | None = None
    rate_remaining: int | None = None
    renamed_from: str | None = None
    synced_at: str | None = None
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class TrackedIssue:
    """What `track_issue` recorded, and why starting that issue may be a wrong pick."""

    entry: ProgressEntry
    warnings: list[str] = field(default_factory=list)


@dataclass
class TrackingUpdate:
    """What `sync_tracked` changed in the user's tracked steps."""

    login: str | None
    events: list[ProgressEvent] = field(default_factory=list)  # status changes written
    flagged: dict[int, str] = field(default_factory=dict)  # issue -> why it is unavailable
    replacements: dict[int, int] = field(default_factory=dict)  # issue -> suggested issue
    cleared: list[int] = field(default_factory=list)  # flags removed (available again)
    checked: int = 0  # tracked steps looked at


@dataclass(frozen=True)
class ProgressExport:
    """A progress export (`prready track`): everything the progress store holds, as the
    versioned, JSON-ready document an import reads back (render writes it out)."""

    document: dict[str, Any]

    @property
    def steps(self) -> int:
        return len(self.document["steps"])


@dataclass
class ImportSummary:
    """A progress import (`prready track`): what the merge of an export changed."""

    added: int = 0  # steps new to this machine
    updated: int = 0  # steps whose imported state was newer
    kept: int = 0  # steps whose local state was as new or newer
    notes: int = 0  # notes added
    events: int = 0  # events added


@dataclass
class PlanResult:
    """`prready plan` and `demo`: the plan, where and how to write it (`output`, `fmt`), the
    map and moment its page draws on, what the sync and tracking did on the way, and the
    user's tracked steps and history (shown with it)."""

    plan: Plan
    output: Path
    fmt: PlanFormat
    code_map: CodeMap
    moment: datetime
    sync: SyncReport | None = None
    tracking: TrackingUpdate | None = None
    decision: ReplanDecision | None = None
    notes: list[str] = field(default_factory=list)
    entries: list[ProgressEntry] = field(default_factory=list)  # tracked steps, for display
    events: list[ProgressEvent] = field(default_factory=list)
