"""The repository's own commits as labelled examples for the mapping.

Two clues come from one `git log --name-only` pass (`sources.git_repo.read_history`):

- similar commits: BM25 over past commit messages; an issue like past commits points at
  the files they changed (how an MPS issue reaches kernels no import graph shows);
- named changes: a pull request, issue or commit the reporter names (`since PR #2628`,
  `similar to #4816`, `commit e18a94f broke it`, a link to one) is looked up among the
  commits: the pull request's own commit (squash-merged: `Title (#2628)`; ghstack:
  `Pull Request resolved: .../pull/2628`; merged: `Merge pull request #2628 from ...`),
  the commit that says it fixes the named issue (`Fixes #4816`), or the commit with that
  id. A regression's report names what broke it, and what a similar issue's fix changed
  is where this one's goes. Which numbers and ids an issue names is
  `evidence.IssueEvidence.changes`'s business.

Pure: a caller passes the commits and, when ranking, the map's path -> unit table.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prready.analysis.layout import is_library_path
from prready.analysis.lexicon import BM25Index, query_terms
from prready.analysis.native import NATIVE_LANGUAGES
from prready.code_models import CommitRecord
from prready.slug import closing_references

HISTORY_DEPTH = 12  # similar commits considered per issue
HISTORY_MAX_FILES = 12  # a commit touching more library files says little about each
HISTORY_MAX_COMMITS = 20_000
# A change the reporter names is kept for lookup up to this many files (a large refactor
# still points at the unit the other clues agree on).
NAMED_MAX_FILES = 200
# A named change's library units share its weight (`mapping.Signals.named`): each gets
# weight / sqrt(units), so a one-file fix counts fully and a 60-file refactor little on
# its own. The commit fixing an issue the reporter names (a similar one) counts for less
# than a change named itself.
FIXED_SHARE = 0.75
SOURCE_SUFFIXES = (".py", ".pyx", ".m", *NATIVE_LANGUAGES)

# How a commit names its own pull request: GitHub's squash title `Fix x (#2628)`, and
# ghstack's (PyTorch's) `Pull Request resolved: https://github.com/o/r/pull/2628` line; a
# merge commit's title `Merge pull request #2628 from user/branch` (read with the files it
# changed against its first parent: `read_history(merges=True)`).
_OWN_PULL_TITLE = re.compile(r"\(#(\d{1,7})\)[ \t]*$")
_MERGED_PULL_TITLE = re.compile(r"Merge pull request #(\d{1,7}) from ")
_OWN_PULL_LINE = re.compile(
    r"^Pull Request resolved:[ \t]*https?://github\.com/[\w.-]+/[\w.-]+/pull/(\d{1,7})\b",
    re.MULTILINE,
)
# A trailer's key: capitalised, hyphenated (`Signed-off-by: ...`, `PiperOrigin-RevId: ...`).
_TRAILER = re.compile(r"[ \t]*[A-Z]\w*(?:-\w+)+:[ \t]")
# At most this many changes an issue names are looked up: more is a list or a log.
MAX_NAMED = 8
MIN_SHA = 7  # the shortest commit id git prints


@dataclass
class HistoryIndex:
    """Past commits as labelled examples: BM25 over their messages, and the files each
    one changed (resolved to units of the code map at query time, so one history index
    serves maps of different commits)."""

    search: BM25Index
    files: dict[str, list[str]]  # commit sha -> files it changed
    titles: dict[str, str]  # commit sha -> first line of its message
    dates: dict[str, str]  # commit sha -> author date (ISO, UTC)
    # A pull request's number -> its commits; an issue's number -> the commits saying
    # they fix it (both among `files`' commits).
    pulls: dict[int, list[str]] = field(default_factory=dict)
    fixes: dict[int, list[str]] = field(default_factory=dict)
    _shas: list[str] | None = field(default=None, repr=False)  # sorted, on first use

    def commit_named(self, written: str) -> str | None:
        """The commit whose id starts with `written` (7 to 40 hex digits), if one only."""
        if self._shas is None:
            self._shas = sorted(self.files)
        written = written.lower()
        at = bisect.bisect_left(self._shas, written)
        first, second = [*self._shas[at : at + 2], "", ""][:2]
        unique = first.startswith(written) and not second.startswith(written)
        return first if len(written) >= MIN_SHA and unique else None


def build_history(
    commits: Sequence[CommitRecord], *, limit: int = HISTORY_MAX_COMMITS, repo: str = ""
) -> HistoryIndex | None:
    """Index the messages of the newest `limit` commits that changed some library-looking
    source file and not too many files (bulk changes say little), and the pull requests
    and fixed issues every such commit names (up to NAMED_MAX_FILES files); `repo`
    ("owner/name") tells its issues' links from other repositories'."""
    docs: dict[str, dict[str, float]] = {}
    files: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    dates: dict[str, str] = {}
    pulls: dict[int, list[str]] = defaultdict(list)
    fixes: dict[int, list[str]] = defaultdict(list)
    splits: dict[str, tuple[str, ...]] = {}  # each token's words, split once
    library: dict[str, bool] = {}  # each path's `is_library_path`: commits share their paths

    def in_library(path: str) -> bool:
        known = library.get(path)
        if known is None:
            known = library[path] = is_library_path(path)
        return known

    for commit in commits[:limit]:
        if len(commit.files) > NAMED_MAX_FILES:
            continue
        if not any(f.endswith(SOURCE_SUFFIXES) and in_library(f) for f in commit.files):
            continue
        title, _, body = commit.message.partition("\n")
        named = False
        if commit.merge:  # (a merge is named by its pull request only, never searched)
            if merged := _MERGED_PULL_TITLE.match(title):
                pulls[int(merged.group(1))].append(commit.sha)
                named = True
        else:
            for number in _own_pulls(title, body):
                pulls[number].append(commit.sha)
                named = True
            message = commit.message[:4000]
            if "#" in message or "issues/" in message:
                for number in closing_references(message, repo):
                    fixes[number].append(commit.sha)
                    named = True
        searched = len(commit.files) <= HISTORY_MAX_FILES * 4 and not commit.merge
        if not (searched or named):
            continue
        if searched:
            docs[commit.sha] = query_terms(title, body[:2000], title_weight=1.0, splits=splits)
        # (A change kept for its name only keeps the files it may rank: fewer to store.)
        kept = commit.files if searched else [f for f in commit.files if in_library(f)]
        files[commit.sha] = list(kept)
        # (A merge's title names its branch; the pull request's own title follows it, unless
        # only trailers do: `PiperOrigin-RevId: 688513764`.)
        titles[commit.sha] = next(
            (
                line.strip()
                for line in body.splitlines()
                if commit.merge and line.strip() and not _TRAILER.match(line)
            ),
            title.strip(),
        )
        dates[commit.sha] = commit.date
    if not docs:
        return None
    return HistoryIndex(
        search=BM25Index.build(docs),
        files=files,
        titles=titles,
        dates=dates,
        pulls=dict(pulls),
        fixes=dict(fixes),
    )


# A commit that closes an issue: (sha, committer date: when it landed, title).
ClosingCommit = tuple[str, str, str]
_REVERTS = re.compile(r"This reverts commit ([0-9a-fA-F]{7,40})")


def closing_commits(commits: Sequence[CommitRecord], repo: str = "") -> dict[int, ClosingCommit]:
    """Issue number -> the newest of `commits` (newest first, as `read_history` gives them)
    whose message closes it with GitHub's closing keywords (`Fixes #12`), whatever files it
    changed (a typo's fix touches docs only). A revert closes nothing, and a reverted commit
    no longer does (`This reverts commit <sha>`, in the newer commit that reverts it)."""
    reverted: list[str] = []
    out: dict[int, ClosingCommit] = {}
    for commit in commits:
        message = commit.message[:4000]
        if "reverts commit" in message:
            reverted.extend(m.group(1).lower() for m in _REVERTS.finditer(message))
        title = message.partition("\n")[0].strip()
        if title.startswith("Revert") or not ("#" in message or "issues/" in message):
            continue
        if reverted and any(commit.sha.startswith(r) for r in reverted):
            continue
        for number in closing_references(message, repo):
            out.setdefault(number, (commit.sha, commit.committed or commit.date, title))
    return out


def _own_pulls(title: str, body: str) -> set[int]:
    found = {int(n) for n in _OWN_PULL_TITLE.findall(title)} if "(#" in title else set()
    if "Pull Request resolved:" in body:
        found.update(int(n) for n in _OWN_PULL_LINE.findall(body))
    return found


def similar_commit_clues(
    query: Mapping[str, float],
    history: HistoryIndex,
    path_to_module: Mapping[str, str],
    library: Container[str],
    weight: float,
    before: str = "",
) -> Iterable[tuple[str, float, str]]:
    """Library units the past commits most like the issue's words changed, by their
    votes (each commit's score over the best, shared among its units); `before` (an ISO
    date) ignores later commits."""
    hits = history.search.search(query, limit=HISTORY_DEPTH * 4, with_terms=False)
    votes: dict[str, float] = defaultdict(float)
    why: dict[str, tuple[float, str]] = {}
    best = 0.0
    used = 0
    for sha, score, _terms in hits:
        if before and history.dates[sha] >= before:
            continue
        units = _library_units(history.files[sha], path_to_module, library)
        if not units or len(units) > HISTORY_MAX_FILES:
            continue
        best = best or score
        share = (score / best) / len(units) ** 0.5
        for unit in units:
            votes[unit] += share
            if unit not in why or share > why[unit][0]:
                why[unit] = (
                    share,
                    f"similar past commit {sha[:9]}: '{_short(history, sha)}' changed it",
                )
        used += 1
        if used >= HISTORY_DEPTH:
            break
    if not votes:
        return
    top = max(votes.values())
    for unit, vote in votes.items():
        yield unit, weight * vote / top, why[unit][1]


def named_change_clues(
    changes: Sequence[str],
    history: HistoryIndex,
    path_to_module: Mapping[str, str],
    library: Container[str],
    weight: float,
    *,
    own_number: int = 0,
    before: str = "",
) -> Iterable[tuple[str, float, str]]:
    """Library units changed by the changes an issue names (`changes`: `#2628` for a pull
    request or issue, a commit id as written: `evidence.IssueEvidence.changes`; the first
    MAX_NAMED), each at `weight` / sqrt(the change's units). A unit gets its strongest
    change's clue only: several changes naming it are one clue, not evidence adding up.
    `own_number` is the issue's own (its fix is no evidence); `before` ignores later
    commits."""
    best: dict[str, tuple[float, str]] = {}
    seen: set[str] = set()
    for change in changes[:MAX_NAMED]:
        for sha, share, how in _commits_named(change, history, own_number):
            if sha in seen or sha not in history.files:
                continue
            seen.add(sha)
            if before and history.dates.get(sha, before) >= before:
                continue
            units = _library_units(history.files[sha], path_to_module, library)
            if not units:
                continue
            each = weight * share / len(units) ** 0.5
            lead = f"{how} commit" if how else "commit"
            why = f"the issue names {lead} {sha[:9]} ('{_short(history, sha)}'), which changed it"
            for unit in units:
                if unit not in best or each > best[unit][0]:
                    best[unit] = (each, why)
    for unit, (each, why) in best.items():
        yield unit, each, why


def _commits_named(
    change: str, history: HistoryIndex, own_number: int
) -> list[tuple[str, float, str]]:
    """(commit, share of the weight, how the issue names it) for one named change."""
    if not change.startswith("#"):
        sha = history.commit_named(change)
        return [(sha, 1.0, "")] if sha else []
    number = int(change[1:])
    if number == own_number:
        return []
    merged = [(sha, 1.0, f"{change}, merged as") for sha in history.pulls.get(number, ())]
    fixed = [(sha, FIXED_SHARE, f"{change}, fixed by") for sha in history.fixes.get(number, ())]
    return merged + fixed


def _library_units(
    files: Iterable[str], path_to_module: Mapping[str, str], library: Container[str]
) -> list[str]:
    return sorted({m for f in files if (m := path_to_module.get(f)) is not None and m in library})


def _short(history: HistoryIndex, sha: str) -> str:
    title = history.titles.get(sha, "")
    return title if len(title) <= 70 else title[:69] + "…"
