"""prready's own data types: what flows from sources to store to analysis to renderers.

Plain dataclasses with no I/O. Times are ISO 8601 strings in UTC ("2026-11-21T10:00:00Z")
so that they round-trip through SQLite and JSON unchanged. Add optional fields freely;
do not rename existing ones (they are part of the JSON output schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import networkx as nx  # only CodeMap holds a graph; importing models stays cheap

# Progress callback used by long steps (clone, sync, graph build): (label, done, total).
# total is None when unknown. The CLI passes a rich-backed one; libraries default to None.
ProgressFn = Callable[[str, int, "int | None"], None]

# The closed sets of words some fields hold (the JSON output spells them the same way).
IssueState = Literal["open", "closed"]
TakenState = Literal["fresh", "taken", "stale-claim", "done"]
FileKind = Literal["file", "symlink", "submodule", "special", "badname"]  # special: FIFO, device
Language = Literal["python", "c", "cpp", "cuda"]
StageKey = Literal["first-contact", "small-fix", "real-bug", "substantial"]
SetAsideKind = Literal["tracking", "question", "rfc", "needs-repro", "hardware", "docs-closed"]


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
        return self.state in ("taken", "done")

    @property
    def pulls_unchecked(self) -> bool:
        """No claim was seen, but linked pull requests were never looked at (file data)."""
        return self.state == "fresh" and UNCHECKED_PULLS in self.evidence


# Evidence on a "fresh" status whose issue came from a file: its timeline (the pull requests
# that reference it) was never fetched, so "free" cannot be promised.
UNCHECKED_PULLS = (
    "linked pull requests not checked: the issues came from a file (sync online to check)"
)


# --------------------------------------------------------------------------- code side
@dataclass
class CommitRecord:
    """One commit from a single `git log` pass (no per-commit calls)."""

    sha: str
    author_name: str
    author_email: str
    date: str
    files: list[str]
    message: str = ""
    lines: int | None = None  # added + deleted (git log --numstat); None when not read


@dataclass
class TrackedFile:
    """A file of the checkout as git sees it (`git ls-files -s` / `ls-tree -r -l`)."""

    path: str  # repository-relative, forward slashes
    blob: str  # git blob id: the parse-cache key
    size: int
    kind: FileKind = "file"


@dataclass
class HistoryCommit:
    """One commit to write when building a repository (demo sample, test fixtures)."""

    author_name: str
    author_email: str
    date: str  # ISO 8601
    message: str
    writes: dict[str, str] = field(default_factory=dict)  # path -> full new content
    deletes: list[str] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)  # old path -> new path


@dataclass
class ModuleInfo:
    """A node of the code map: a Python module or a native source file."""

    name: str  # dotted for Python ("torch.nn.functional"); repo path for native files
    path: str  # repository-relative, forward slashes
    language: Language
    lines: int
    package: str  # top-level package or native root ("torch", "aten")
    area: str = ""
    dependents: int = 0  # direct
    dependents_transitive: int = 0
    dependencies: int = 0
    centrality: float = 0.0
    is_test: bool = False


@dataclass
class AreaInfo:
    """A group of modules at a depth that suits the repository (e.g. "torch.nn")."""

    name: str
    paths: list[str]  # path prefixes the area covers
    modules: list[str]
    languages: dict[str, int]  # language -> files
    lines: int = 0
    dependents: int = 0  # direct dependent areas
    dependents_transitive: int = 0
    dependencies: int = 0
    centrality: float = 0.0
    churn: int = 0  # commits touching it in the last 12 months
    recent_authors: list[tuple[str, int]] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)  # test file paths
    test_command: str = ""
    owners: list[str] = field(default_factory=list)
    # GitHub logins of recent authors (from noreply e-mails), most commits first.
    recent_logins: list[tuple[str, int]] = field(default_factory=list)
    # Size of past fixes here (analysis.areas.past_change_sizes), {} without history.
    past_fixes: dict[str, Any] = field(default_factory=dict)


@dataclass
class CodeMap:
    """The analysed repository. `graph` nodes are ModuleInfo.name with attributes
    path/lines/package/language/area; edges carry kind ("import"|"include"|"binding") and
    conditional (True for imports inside functions or `if TYPE_CHECKING`). Until the
    graph is built (on first use), the include edges share one attribute dict; the graph
    gives every edge its own."""

    repo: str
    root: str  # local checkout path
    head: str  # commit sha the map was built from
    graph: nx.DiGraph
    modules: dict[str, ModuleInfo]
    areas: dict[str, AreaInfo]
    symbols: dict[str, str]  # public dotted name -> defining module name
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> paths
    label_paths: dict[str, list[str]] = field(default_factory=dict)  # label -> path globs
    codeowners: list[tuple[str, list[str]]] = field(default_factory=list)
    contributing: str = ""  # raw text of the contributing guide, if any
    contributing_source: str = ""  # the file it came from ("CONTRIBUTING.md")
    files: list[str] = field(default_factory=list)  # every tracked file path, sorted
    # Native build facts (analysis.build.BuildFacts as a dict): {} when not detected yet.
    build: dict[str, Any] = field(default_factory=dict)
    # A digest of everything the map was built from (tracked files' blobs, HEAD, options,
    # scanner versions): equal keys, equal maps. "" for a map built by hand.
    key: str = field(default="", compare=False)

    def area_of(self, module: str) -> str:
        info = self.modules.get(module)
        return info.area if info else ""

    def __getattr__(self, name: str) -> Any:
        """The graph of a map restored from its snapshot, built on first use (see
        `prready.analysis.snapshot`): a warm `prready map` that prints a summary never
        builds it, nor imports networkx."""
        pending = self.__dict__.pop("_pending_graph", None) if name == "graph" else None
        if pending is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        graph = self.__dict__["graph"] = pending.build()
        return graph


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
    label, its labels' traits ("small", "large"), and the areas it maps to (best first)."""

    design: bool
    reproduction: bool
    feature_request: bool
    areas: tuple[str, ...] = ()
    beginner: bool = False
    traits: tuple[str, ...] = ()


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
