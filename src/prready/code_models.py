"""prready's data types of the code side: what git lists and logs (tracked files, commits)
and what the code map is made of (modules, areas, the map itself).

Plain dataclasses with no I/O, apart from `prready.models` (issues, plans, progress): a
command that only maps code (`prready map`) loads these, not those. Times are ISO 8601
UTC strings. ModuleInfo's and AreaInfo's fields are those of the map's exports (`prready
map --format json`): add optional fields freely, never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import networkx as nx  # only CodeMap holds a graph; importing this module stays cheap

FileKind = Literal["file", "symlink", "submodule", "special", "badname"]  # special: FIFO, device
Language = Literal["python", "c", "cpp", "cuda"]


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
    merge: bool = False  # a merge commit (more than one parent)
    committed: str = ""  # committer date (ISO, UTC): when it landed where it is


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
    generated: bool = False  # written by a tool (`pyscan.looks_generated`, an autogen folder)


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
    # The login each of `recent_authors` committed under, when some commit of theirs here
    # carried one (a noreply address): the same person, not two.
    author_logins: dict[str, str] = field(default_factory=dict)
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
    # What the issue templates write into an issue (analysis.issue_templates.template_text).
    issue_templates: dict[str, list[str]] = field(default_factory=dict)
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
