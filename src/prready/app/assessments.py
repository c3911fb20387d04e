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
import marshal
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import prready
from prready import clock
from prready.analysis.difficulty import years_open, years_open_until
from prready.analysis.planner import assess_issues
from prready.app.retrieval import mapping_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.models import (
    Difficulty,
    Issue,
    IssueAssessment,
    IssueFeatures,
    IssueKinds,
    Label,
    ModuleMatch,
    TakenStatus,
)


@dataclass
class Assessed:
    """Every issue's assessment, in number order, and the issues assessed afresh."""

    assessments: list[IssueAssessment] = field(default_factory=list)
    assessed: list[int] = field(default_factory=list)  # the cache did not hold these
    # Loaded without their details (evidence, reasons): `with_details` completes them.
    bare: set[int] = field(default_factory=set)


def assess_cached(
    ws: Workspace,
    slug: str,
    issues: Sequence[Issue],
    code_map: CodeMap,
    labels: Sequence[Label],
    taken: Mapping[int, TakenStatus],
    *,
    now: str,
    details: bool = True,
    generation: str | None = None,
) -> Assessed:
    """`assess_issues` for every stored issue, from the cache where its key still holds;
    the rest are assessed (with the mapping index, built or loaded only then) and stored.
    With `details` False, cached assessments come without what only a shown issue needs
    (each module's evidence, the difficulty's reasons: empty lists), numbered in `bare`;
    they rank exactly as complete ones, and `with_details` completes those shown.

    `generation`: the caller vouches that `issues` are the repository's stored open issues
    as they stood at this generation of the store (issues_store.generation, read before
    they were loaded). Then the pool's keys are taken as they are while its stamp says
    they are current for that generation, the same context and a span of time holding
    `now` (no issue's key can have moved); otherwise every key is worked out."""
    wanted = sorted((i for i in issues if not i.is_pull_request), key=lambda i: i.number)
    by_number = {issue.number: issue for issue in wanted}
    keys: dict[int, str] = {}
    known: dict[int, IssueAssessment] = {}
    bare: set[int] = set()
    pool: dict[int, tuple[str, Any]] = {}
    pooled: dict[int, Any] = {}  # number -> its rank value, from the pool
    stamp: str | None = None  # the pool's stamp once its keys are known to be current
    if code_map.key:
        context = assessment_context(code_map, labels)
        if not details:
            pool = ws.assessments.load_pool(slug)
            if generation is not None and _stamp_holds(
                ws.assessments.pool_stamp(slug), generation, context, now, pool, by_number
            ):
                keys = {number: entry[0] for number, entry in pool.items()}
                pooled = {number: entry[1] for number, entry in pool.items()}
        if not keys:
            keys, until = issue_keys_until(context, wanted, now)
            if generation is not None:
                stamp = pool_stamp(generation, context, now, until)
            for number, key in keys.items() if pool else ():
                entry = pool.get(number)
                if entry is not None and entry[0] == key:
                    pooled[number] = entry[1]
        shared: dict[Any, Any] = {}  # one copy of each text, bare match and features value
        for number, rank in list(pooled.items()):
            status = taken.get(number) or TakenStatus("fresh")
            try:
                known[number] = assessment_from_plain(
                    by_number[number], rank, None, shared, status
                )
            except (TypeError, ValueError):  # a damaged entry: the row, else assessed again
                del pooled[number]
        rest = {number: key for number, key in keys.items() if number not in pooled}
        for number, rank, detail in ws.assessments.load(slug, rest, details=details):
            status = taken.get(number) or TakenStatus("fresh")
            try:
                known[number] = assessment_from_plain(
                    by_number[number], rank, detail, shared, status
                )
            except (TypeError, ValueError):  # a damaged row: assessed again (and replaced)
                continue
        if not details:
            bare = set(known)
    todo = [issue for issue in wanted if issue.number not in known]
    if todo:
        for a in _assess_and_store(ws, slug, todo, code_map, labels, now, keys):
            a.taken = taken.get(a.issue.number) or TakenStatus("fresh")
            known[a.issue.number] = a
    if keys and not details and (len(pooled) != len(keys) or len(pool) != len(keys)):
        # The pool missed some issue or holds others: the next plan's pool is this one's,
        # each text and module in it one object (written, and loaded, once).
        once: dict[Any, Any] = {}
        ws.assessments.save_pool(
            slug,
            {
                number: (
                    key,
                    pooled[number]
                    if number in pooled
                    else _shared(assessment_to_plain(known[number])[0], once),
                )
                for number, key in keys.items()
            },
            stamp,
        )
    elif stamp is not None and not details:
        ws.assessments.stamp_pool(slug, stamp)  # every key worked out is the pool's
    out = [known[issue.number] for issue in wanted]
    return Assessed(out, [issue.number for issue in todo], bare)


def _shared(value: Any, once: dict[Any, Any]) -> Any:
    """A plain value with one object for each equal text, tuple of texts and (module,
    path, score) across the values passed with the same `once` (marshal then writes each
    once); every other value keeps its type and value exactly."""
    kind = type(value)
    if kind is str:
        return once.setdefault(value, value)
    if kind is list:
        return [_shared(item, once) for item in value]
    if kind is dict:
        return {_shared(k, once): _shared(v, once) for k, v in value.items()}
    if kind is tuple:
        items = tuple(_shared(item, once) for item in value)
        if all(type(item) is str for item in items):  # areas, traits
            return once.setdefault(items, items)
        if len(items) == 3 and type(items[0]) is type(items[1]) is str and type(items[2]) is float:
            # A module, path and score: keyed by the score's exact value (0.0 is not -0.0,
            # nor an int equal to it).
            return once.setdefault((None, items[0], items[1], items[2].hex()), items)
        return items
    return value


def with_details(
    ws: Workspace,
    slug: str,
    assessments: Sequence[IssueAssessment],
    code_map: CodeMap,
    labels: Sequence[Label],
    *,
    now: str,
) -> dict[int, IssueAssessment]:
    """Complete assessments `assess_cached` gave without details: number -> the complete
    assessment (who is on it kept), from the cache, or assessed afresh where the cache no
    longer holds it (another run replaced it meanwhile)."""
    if not assessments:
        return {}
    by_number = {a.issue.number: a for a in assessments}
    keys: dict[int, str] = {}
    out: dict[int, IssueAssessment] = {}
    if code_map.key:
        keys = issue_keys(assessment_context(code_map, labels), [a.issue for a in assessments], now)
        for number, (rank, detail) in ws.assessments.load_details(slug, keys).items():
            out[number] = assessment_from_plain(by_number[number].issue, rank, detail)
    todo = [a.issue for n, a in sorted(by_number.items()) if n not in out]
    if todo:
        fresh = _assess_and_store(ws, slug, todo, code_map, labels, now, keys)
        out.update((a.issue.number, a) for a in fresh)
    for number, assessment in out.items():
        assessment.taken = by_number[number].taken
    return out


def _assess_and_store(
    ws: Workspace,
    slug: str,
    issues: list[Issue],
    code_map: CodeMap,
    labels: Sequence[Label],
    now: str,
    keys: Mapping[int, str],
) -> list[IssueAssessment]:
    """Assess `issues` afresh (the mapping index built or loaded only now) and cache the
    results under `keys` (none without keys: a map built by hand)."""
    index = mapping_index(ws, code_map)
    fresh = assess_issues(issues, code_map, labels, {}, now=now, index=index)
    if keys:
        rows = ((a.issue.number, keys[a.issue.number], *assessment_to_plain(a)) for a in fresh)
        ws.assessments.save(slug, rows)
    return fresh


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


# Every field of an issue, in Issue's order, as one tuple (a C-level getter).
_issue_fields = operator.attrgetter(*(f.name for f in fields(Issue)))


def issue_keys(context: str, issues: Sequence[Issue], now: str) -> dict[int, str]:
    """Number -> key of each issue: the shared context, every field of the issue, and how
    many years it has been open as of `now` (the only way time enters an assessment); the
    context is hashed and `now` parsed once."""
    return issue_keys_until(context, issues, now)[0]


def issue_keys_until(
    context: str, issues: Sequence[Issue], now: str
) -> tuple[dict[int, str], datetime | None]:
    """(`issue_keys`, the first moment after `now` when some issue's years open, and so
    its key, is another: None when no key moves with time, or `now` is not a time)."""
    moment = clock.parse_iso_or_none(now)
    start = hashlib.sha256((context + "\0").encode("utf-8", "surrogateescape"))
    keys: dict[int, str] = {}
    until: datetime | None = None
    for issue in issues:
        if moment is None:
            years, turn = years_open(issue, now), None
        else:
            years, turn = years_open_until(issue, moment)
            if turn is not None and (until is None or turn < until):
                until = turn
        # Serialised by marshal (C, unambiguous, no escaping of a body of tens of KB: half
        # the cost of repr for 20k issues). Format 2 writes no back-references and no
        # interning flags, so the bytes depend only on the values, never on which string
        # objects happen to be shared or interned.
        h = start.copy()
        h.update(marshal.dumps((years, _issue_fields(issue)), 2))
        keys[issue.number] = h.hexdigest()
    return keys, (until if moment is not None else None)


_STAMP = "keys 1"  # the form of a pool's stamp; another form never holds


def pool_stamp(generation: str, context: str, now: str, until: datetime | None) -> str | None:
    """What a pool's stamp says: its keys are every issue's key while the stored issues
    stand at `generation`, under `context`, from `now` until `until` (None: for good);
    None (no stamp) when `now` is not a time."""
    moment = clock.parse_iso_or_none(now)
    if moment is None:
        return None
    end = "" if until is None else clock.iso(until)
    return "\n".join((_STAMP, generation, context, clock.iso(moment), end))


def _stamp_holds(
    stamp: str | None,
    generation: str,
    context: str,
    now: str,
    pool: Mapping[int, tuple[str, Any]],
    by_number: Mapping[int, Issue],
) -> bool:
    """Whether `stamp` vouches for the pool's keys as every issue's key right now."""
    if stamp is None or len(pool) != len(by_number) or pool.keys() != by_number.keys():
        return False
    parts = stamp.split("\n")
    if len(parts) != 5 or parts[0] != _STAMP or parts[1] != generation or parts[2] != context:
        return False
    moment = clock.parse_iso_or_none(now)
    since = clock.parse_iso_or_none(parts[3])
    until = clock.parse_iso_or_none(parts[4]) if parts[4] else None
    if moment is None or since is None or moment < since:
        return False
    return until is None or moment < until


def assessment_to_plain(a: IssueAssessment) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What is cached of an assessment (everything but the issue and who is on it), as
    (rank, detail): what choosing steps reads, and what only a shown issue needs."""
    kinds = a.kinds or IssueKinds()
    features = a.features
    rank = (
        [(m.name, m.path, m.score) for m in a.modules],
        a.difficulty.score,
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
            features.pinpointed,
        ),
    )
    detail = ([list(m.evidence) for m in a.modules], list(a.difficulty.reasons))
    return rank, detail


def assessment_from_plain(
    issue: Issue,
    rank: Any,
    detail: Any = None,
    shared: dict[Any, Any] | None = None,
    taken: TakenStatus | None = None,
) -> IssueAssessment:
    """The assessment of `issue` from what `assessment_to_plain` kept (`taken`, else
    "fresh"); without `detail`, with no evidence and no reasons. `shared` keeps one copy
    of each text across assessments (thousands of issues name the same modules with the
    same evidence), and of each bare module match and each features value: those are
    never changed in place (a completed assessment gets new ones)."""
    modules, score, skills, (kinds, hardware), features = rank
    one = shared if shared is not None else {}
    get = one.setdefault
    if detail is None:
        # Bare (most of a plan's 20k issues): no evidence lists to build, and one match
        # object per distinct (module, path, score).
        matches = []
        for module in modules:
            match = one.get(module)
            if match is None:
                name, path, sc = module
                match = one[module] = ModuleMatch(get(name, name), get(path, path), sc, [])
            matches.append(match)
        why: list[str] = []
    else:
        evidence, reasons = detail
        matches = [
            ModuleMatch(get(name, name), get(path, path), sc, [get(text, text) for text in ev])
            for (name, path, sc), ev in zip(modules, evidence, strict=True)
        ]
        why = [get(text, text) for text in reasons]
    if features is not None:
        # IssueFeatures is frozen: equal values share one object.
        found = one.get(features)
        if found is None:
            found = one[features] = _features(*features)
        features = found
    # The lists and dicts are the decoded value's own, fresh on every load.
    return IssueAssessment(
        issue,
        matches,
        Difficulty(score, why),
        [get(skill, skill) for skill in skills],
        TakenStatus("fresh") if taken is None else taken,
        IssueKinds(kinds, hardware),
        features,
    )


def _features(
    design: bool,
    reproduction: bool,
    feature: bool,
    areas: Any,
    beginner: bool,
    traits: Any,
    pinpointed: bool = False,
) -> IssueFeatures:
    return IssueFeatures(
        design, reproduction, feature, tuple(areas), beginner, tuple(traits), pinpointed
    )


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
