"""prready's own data types: what flows from sources to store to analysis to renderers.
Those of the code side (tracked files, commits, modules, areas, the code map) are in
`prready.code_models`: mapping code loads those alone.

Plain dataclasses with no I/O. Times are ISO 8601 strings in UTC ("2026-11-21T10:00:00Z")
so that they round-trip through SQLite and JSON unchanged. Add optional fields freely;
do not rename existing ones (they are part of the JSON output schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

# Progress callback used by long steps (clone, sync, graph build): (label, done, total).
# total is None when unknown. The CLI passes a rich-backed one; libraries default to None.
ProgressFn = Callable[[str, int, "int | None"], None]

# The closed sets of words some fields hold (the JSON output spells them the same way).
IssueState = Literal["open", "closed"]
TakenState = Literal["fresh", "taken", "stale-claim", "done", "declined", "obsolete"]
StageKey = Literal["first-contact", "small-fix", "real-bug", "substantial"]
SetAsideKind = Literal[
    "tracking", "question", "rfc", "needs-repro", "hardware", "docs-closed", "fixed", "declined",
    "obsolete",
]


# --------------------------------------------------------------------------- GitHub side
class LabelKind(str, Enum):
    BEGINNER = "beginner"
    BUG = "bug"
    AREA = "area"
    TRIAGE = "triage"
    OTHER = "other"


@dataclass
class Label:
    name: str
    color: str = ""
    description: str = ""
    kind: LabelKind = LabelKind.OTHER
    # For AREA labels: the area's own name ("module: nn" -> "nn"); for TRIAGE: a status key.
    value: str | None = None
    # What the label says about an issue beyond its kind ("docs", "question",
    # "needs-repro", "hardware:mps", ...): see prready.analysis.labels.TRAITS.
    traits: tuple[str, ...] = ()


@dataclass(slots=True)
class Issue:
    """An issue or pull request as stored (pull requests carry is_pull_request=True)."""

    repo: str  # "owner/name"
    number: int
    title: str
    body: str
    state: IssueState
    labels: list[str]
    assignees: list[str]
    author: str
    comments: int
    reactions: int
    created_at: str
    updated_at: str
    closed_at: str | None
    url: str
    is_pull_request: bool = False
    # GitHub's reason for a closed issue ("completed", "not_planned", "duplicate", ...):
    # an open set GitHub extends, so kept as the text it sent.
    state_reason: str | None = None


@dataclass
class Comment:
    issue_number: int
    author: str
    body: str
    created_at: str


@dataclass
class CrossReference:
    """A pull request that mentions an issue (timeline `cross-referenced` event)."""

    issue_number: int
    pr_number: int
    pr_url: str
    pr_state: IssueState
    merged: bool
    author: str
    created_at: str
    repo: str = ""  # repository of the pull request ("owner/name"); may differ for forks


@dataclass(slots=True)
class TakenStatus:
    """Whether someone else is already on an issue, with the evidence."""

    state: TakenState
    evidence: list[str] = field(default_factory=list)

    @property
    def taken(self) -> bool:
        """Not free to take: someone is on it, it is fixed, its thread declined it, or the
        code it is about is gone."""
        return self.state in ("taken", "done", "declined", "obsolete")

    @property
    def pulls_unchecked(self) -> bool:
        """No claim was seen, but linked pull requests were never looked at (file data)."""
        return self.state == "fresh" and UNCHECKED_PULLS in self.evidence


# Evidence on a "done" status whose issue GitHub no longer has: gone, not fixed.
GONE_FROM_GITHUB = "gone from GitHub (deleted or moved)"

# Evidence on a "fresh" status whose issue came from a file: its timeline (the pull requests
# that reference it) was never fetched, so "free" cannot be promised.
UNCHECKED_PULLS = (
    "linked pull requests not checked: the issues came from a file (sync online to check)"
)


# --------------------------------------------------------------------------- planning
@dataclass(slots=True)
class ModuleMatch:
    name: str  # module or area name
    path: str
    score: float  # [0, 1]
    evidence: list[str]


@dataclass(slots=True)
class Difficulty:
    score: int  # 1..5
    reasons: list[str]


@dataclass
class SkillFit:
    required: list[str]
    matched: list[str]
    new: list[str]


@dataclass(frozen=True, slots=True)
class IssueKinds:
    """What kind of work an issue is, each kind with the evidence that made it so.

    `kinds` maps a kind ("bug", "feature", "docs", "tests", "performance", "tracking",
    "question", "rfc", "needs-repro") to a short reason; `hardware` maps what the issue
    needs to reproduce or test ("cuda", "mps", "multi-node", ...) to a reason."""

    kinds: dict[str, str] = field(default_factory=dict)
    hardware: dict[str, str] = field(default_factory=dict)

    def has(self, *names: str) -> bool:
        return any(name in self.kinds for name in names)


@dataclass(frozen=True, slots=True)
class IssueFeatures:
    """What every plan stage asks of an issue, worked out once per assessment: whether it
    waits on a design decision, has a reproduction, asks for a feature, carries a beginner
    label, its labels' traits ("small", "large"), the areas it maps to (best first), and
    whether the report names its faulty spot."""

    design: bool
    reproduction: bool
    feature_request: bool
    areas: tuple[str, ...] = ()
    beginner: bool = False
    traits: tuple[str, ...] = ()
    pinpointed: bool = False  # the report names its faulty spot: a local fix


@dataclass(slots=True)
class IssueAssessment:
    issue: Issue
    modules: list[ModuleMatch]
    difficulty: Difficulty
    skills: list[str]
    taken: TakenStatus
    kinds: IssueKinds | None = None  # None: not classified yet (the planner classifies it)
    features: IssueFeatures | None = None  # None: not worked out yet (the planner does it)


@dataclass
class PlanStep:
    stage: int  # 1..4
    issue: Issue
    modules: list[ModuleMatch]
    difficulty: Difficulty
    fit: SkillFit
    taken: TakenStatus
    why: list[str]
    start_reading: list[str]  # file paths
    tests: list[str]  # test file paths
    test_command: str
    reviewers: list[str]
    setup_notes: list[str]
    effort: str  # e.g. "1-2 days"
    # start_reading path -> the functions/classes the issue names there ("Tensor.cumsum")
    look_for: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Stage:
    number: int
    key: StageKey
    title: str
    goal: str
    steps: list[PlanStep]
    candidates: list[IssueAssessment] = field(default_factory=list)
    # Each candidate is listed once, under the stage it fits best; this maps its issue
    # number to the other stages it would also suit.
    also_fits: dict[int, list[int]] = field(default_factory=dict)
    # Why the stage holds no step, and what to do about it ("" when it has steps).
    note: str = ""


@dataclass
class SetAside:
    """An open issue the plan never offers as a step, with the reason: a tracking issue,
    a support question, an RFC, one awaiting a reproduction, or one needing hardware the
    user did not say they have."""

    issue: Issue
    kind: SetAsideKind
    reason: str


@dataclass
class ContributingSummary:
    source: str  # file it came from, "" if none
    build: list[str]
    lint: list[str]
    test: list[str]
    rules: list[str]
    # The guide's way to work on Python code without the native build (PyTorch's
    # `tools/nightly.py checkout -b NAME`), when it offers one.
    python_only: list[str] = field(default_factory=list)
    # Typical wait for review: median days from opening a pull request to its closing,
    # over `review_sample` recently closed ones (synced); 0 when unknown.
    review_days: float = 0.0
    review_sample: int = 0


@dataclass
class Plan:
    repo: str
    generated_at: str
    data_fetched_at: str
    skills: list[str]
    stages: list[Stage]
    contributing: ContributingSummary
    sample: bool = False  # True for the bundled demo data
    options: dict[str, Any] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)  # the first SET_ASIDE_SHOWN
    set_aside_total: int = 0  # how many were set aside in all
    web_host: str = "github.com"  # the repository's web host: every issue/PR link points here


# --------------------------------------------------------------------------- tracking
class StepStatus(str, Enum):
    PLANNED = "planned"
    STARTED = "started"
    PR_OPEN = "pr-open"
    MERGED = "merged"
    DROPPED = "dropped"
    REPLACED = "replaced"


@dataclass
class ProgressEntry:
    repo: str
    issue_number: int
    stage: int
    status: StepStatus
    created_at: str
    updated_at: str
    pr_url: str | None = None
    notes: list[str] = field(default_factory=list)
    title: str = ""
    skills: list[str] = field(default_factory=list)  # skills the step needs (from the plan)
    flag: str = ""  # why the issue looks unavailable ("closed", "taken: ..."), "" if fine
    replacement: int | None = None  # suggested issue number of the same stage and skills


@dataclass
class ProgressEvent:
    repo: str
    issue_number: int
    status: StepStatus
    at: str
    detail: str = ""
