"""Issue assessments, cached in the cache DB: a warm plan re-assesses only the issues that
changed, and builds the mapping index only when some issue needs it.

An assessment (mapped modules, difficulty, skills, kinds, features) is a pure function of
the issue, the code map (its mapping index is built from the same files and HEAD, so the
map's key covers both), the repository's classified labels, the years the issue has been
open, and prready's own code. Its key digests all of these, so an edited issue, a new
comment (it moves `updated_at` and the count), another code map, relabelled labels or a
new prready each miss the cache; who is on an issue is not part of it (it is attached
afresh on every plan). A map built by hand (no key) is never cached against.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import prready
from prready.analysis.difficulty import years_open
from prready.analysis.planner import assess_issues
from prready.app.retrieval import mapping_index
from prready.models import (
    CodeMap,
    Difficulty,
    Issue,
    IssueAssessment,
    IssueFeatures,
    IssueKinds,
    Label,
    ModuleMatch,
    ProgressFn,
    TakenStatus,
)
from prready.store.assessment_cache import AssessmentCache


@dataclass
class Assessed:
    """Every issue's assessment, in number order, and the issues assessed afresh."""

    assessments: list[IssueAssessment] = field(default_factory=list)
    assessed: list[int] = field(default_factory=list)  # the cache did not hold these


def assess_cached(
    slug: str,
    issues: Sequence[Issue],
    code_map: CodeMap,
    labels: Sequence[Label],
    taken: Mapping[int, TakenStatus],
    *,
    now: str,
    cache_db: Path,
    progress: ProgressFn | None = None,
) -> Assessed:
    """`assess_issues` for every stored issue, from the cache where its key still holds;
    the rest are assessed (with the mapping index, built or loaded only then) and stored."""
    wanted = sorted((i for i in issues if not i.is_pull_request), key=lambda i: i.number)
    by_number = {issue.number: issue for issue in wanted}
    keys: dict[int, str] = {}
    known: dict[int, IssueAssessment] = {}
    if code_map.key:
        context = assessment_context(code_map, labels)
        keys = {issue.number: issue_key(context, issue, now) for issue in wanted}
        shared: dict[str, str] = {}  # one copy of each module name, path and evidence text
        with AssessmentCache(cache_db) as cache:
            for number, value in cache.load(slug, keys):
                known[number] = assessment_from_plain(by_number[number], value, shared)
    todo = [issue for issue in wanted if issue.number not in known]
    if todo:
        index = mapping_index(code_map, cache_db, progress=progress)
        fresh = assess_issues(todo, code_map, labels, {}, now=now, index=index)
        known.update((a.issue.number, a) for a in fresh)
        if keys:
            with AssessmentCache(cache_db) as cache:
                rows = (
                    (a.issue.number, keys[a.issue.number], assessment_to_plain(a)) for a in fresh
                )
                cache.save(slug, rows)
    out = []
    for issue in wanted:
        assessment = known[issue.number]
        assessment.taken = taken.get(issue.number) or TakenStatus("fresh")
        out.append(assessment)
    return Assessed(out, [issue.number for issue in todo])


def assessment_context(code_map: CodeMap, labels: Sequence[Label]) -> str:
    """The part of every issue's key shared by all issues of one plan: prready's code, the
    code map's key and the classified labels."""
    h = hashlib.sha256()
    for part in (
        _code_digest(),
        code_map.repo,
        code_map.key,
        repr(sorted((label.name, repr(label)) for label in labels)),
    ):
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def issue_key(context: str, issue: Issue, now: str) -> str:
    """One issue's key: the shared context, every field of the issue, and how many years
    it has been open as of `now` (the only way time enters an assessment)."""
    fields = (
        issue.repo, issue.number, issue.title, issue.body, issue.state, issue.labels,
        issue.assignees, issue.author, issue.comments, issue.reactions, issue.created_at,
        issue.updated_at, issue.closed_at, issue.url, issue.is_pull_request,
        issue.state_reason, years_open(issue, now),
    )  # fmt: skip
    text = context + "\0" + repr(fields)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def assessment_to_plain(a: IssueAssessment) -> tuple[Any, ...]:
    """What is cached of an assessment: everything but the issue and who is on it."""
    kinds = a.kinds or IssueKinds()
    features = a.features
    return (
        [(m.name, m.path, m.score, list(m.evidence)) for m in a.modules],
        (a.difficulty.score, list(a.difficulty.reasons)),
        list(a.skills),
        (dict(kinds.kinds), dict(kinds.hardware)),
        None
        if features is None
        else (
            features.design,
            features.reproduction,
            features.feature_request,
            features.areas,
            features.beginner,
            features.traits,
        ),
    )


def assessment_from_plain(
    issue: Issue, value: Any, shared: dict[str, str] | None = None
) -> IssueAssessment:
    """The assessment of `issue` from what `assessment_to_plain` kept (taken: "fresh"
    until the caller says otherwise). `shared` keeps one copy of each text across
    assessments (thousands of issues name the same modules with the same evidence)."""
    modules, (score, reasons), skills, (kinds, hardware), features = value
    one = shared if shared is not None else {}
    return IssueAssessment(
        issue=issue,
        modules=[
            ModuleMatch(
                one.setdefault(name, name),
                one.setdefault(path, path),
                sc,
                [one.setdefault(text, text) for text in ev],
            )
            for name, path, sc, ev in modules
        ],
        difficulty=Difficulty(score, [one.setdefault(text, text) for text in reasons]),
        skills=[one.setdefault(skill, skill) for skill in skills],
        taken=TakenStatus("fresh"),
        kinds=IssueKinds(dict(kinds), dict(hardware)),
        features=None if features is None else _features(*features),
    )


def _features(
    design: bool, reproduction: bool, feature: bool, areas: Any, beginner: bool, traits: Any
) -> IssueFeatures:
    return IssueFeatures(design, reproduction, feature, tuple(areas), beginner, tuple(traits))


def _code_digest() -> str:
    """A digest of prready's own source: a new version or a local edit of the analysis
    makes every cached assessment stale, with no version number to remember to bump."""
    h = hashlib.sha256()
    package = Path(prready.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()
