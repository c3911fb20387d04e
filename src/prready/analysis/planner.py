"""Assess issues (modules, difficulty, skills, taken) and pick a staged plan: first contact,
a small fix, a real bug, a substantial contribution. Deterministic: no randomness, ties
broken by issue number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from prready.analysis.contributing import summarise_contributing
from prready.analysis.difficulty import (
    assess_difficulty,
    has_reproduction,
    is_feature_request,
    needs_design,
    parse_time,
)
from prready.analysis.kinds import (
    SET_ASIDE_KINDS,
    classify_issue,
    hardware_reason,
    is_beginner_labelled,
    missing_hardware,
    parse_hardware,
    set_aside_reason,
)
from prready.analysis.labels import label_traits, newcomer_labels
from prready.analysis.locality import AreaDistances
from prready.analysis.mapping import MapIndex, build_index, map_issue_to_modules, rank_areas
from prready.analysis.skills import match_skills, normalize_skills, skills_for_issue
from prready.analysis.steps import describe_step
from prready.errors import UsageError
from prready.models import (
    CodeMap,
    ContributingSummary,
    Issue,
    IssueAssessment,
    IssueKinds,
    Label,
    LabelKind,
    Plan,
    SetAside,
    Stage,
    TakenStatus,
)


@dataclass(frozen=True)
class StageSpec:
    number: int
    key: str
    title: str
    goal: str
    low: int  # difficulty band
    high: int


STAGES: dict[int, StageSpec] = {
    1: StageSpec(
        1,
        "first-contact",
        "First contact",
        "Learn the workflow (build, lint, test, review) on a docs, tests or typing change.",
        1,
        2,
    ),
    2: StageSpec(
        2,
        "small-fix",
        "A small fix",
        "Fix a small, well-understood problem in code you have started to read.",
        1,
        3,
    ),
    3: StageSpec(
        3,
        "real-bug",
        "A real bug",
        "Reproduce, diagnose and fix a real bug, with a regression test.",
        2,
        4,
    ),
    4: StageSpec(
        4,
        "substantial",
        "A substantial contribution",
        "The litmus test: a feature or serious bug fix that maintainers review in depth.",
        3,
        5,
    ),
}
# The bands overlap (a real bug rated 2 is still a real bug); what keeps difficulty from
# falling is the floor: a stage never takes an issue easier than an earlier stage's step.

# Ranking weights within a stage (sum 1.0 before penalties). Skill fit matters most: the
# plan is for this user. Stage fit keeps each stage's character, and the level term its
# difficulty (the easiest first contact, the most ambitious litmus test). Locality makes
# knowledge compound across stages. Confidence, freshness and a reproduction do the rest.
W_FIT, W_KIND, W_LEVEL, W_LOCAL, W_CONF, W_FRESH, W_REPRO = 0.25, 0.20, 0.10, 0.15, 0.10, 0.10, 0.10
TARGET_LEVEL = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.5}
STALE_CLAIM_PENALTY = 0.1
DESIGN_PENALTY = 0.15  # before stage 4, an open design question stalls a newcomer's PR
_FRESH_DAYS, _OLD_DAYS = 30, 365
_LEARNING_SKILLS = {"docs", "testing", "typing"}
SET_ASIDE_SHOWN = 50  # set-aside issues listed in a plan (the total is kept apart)


def assess_issues(
    issues: Sequence[Issue],
    code_map: CodeMap,
    labels: Sequence[Label],
    taken: Mapping[int, TakenStatus],
    *,
    now: str,
    index: MapIndex | None = None,
) -> list[IssueAssessment]:
    """Map, rate, classify and tag every issue (pull requests skipped), in number order."""
    index = index if index is not None and index.code_map is code_map else build_index(code_map)
    by_name = {label.name: label for label in labels}
    out = []
    for issue in sorted(issues, key=lambda i: i.number):
        if issue.is_pull_request:
            continue
        matches = map_issue_to_modules(issue, code_map, labels, index=index)
        out.append(
            IssueAssessment(
                issue=issue,
                modules=matches,
                difficulty=assess_difficulty(issue, matches, code_map, labels, now),
                skills=skills_for_issue(issue, matches, code_map),
                taken=taken.get(issue.number) or TakenStatus("fresh"),
                kinds=classify_issue(issue, by_name),
            )
        )
    return out


def make_plan(
    repo: str,
    assessments: Sequence[IssueAssessment],
    code_map: CodeMap,
    *,
    now: str,
    skills: Sequence[str] = (),
    labels: Sequence[Label] = (),
    contributing: ContributingSummary | None = None,
    data_fetched_at: str = "",
    stages: Sequence[int] = (1, 2, 3, 4),
    per_stage: int = 2,
    exclude_labels: Sequence[str] = (),
    modules: Sequence[str] = (),
    max_difficulty: int = 5,
    hardware: Sequence[str] = (),
    pinned: Sequence[tuple[int, int]] = (),
    sample: bool = False,
    max_candidates: int = 10,
    wider_sync: str = "",
) -> Plan:
    """Pick up to `per_stage` issues per stage among those its rule admits; pinned
    (stage, number) pairs stay first in their stage. `wider_sync` says how to fetch more
    issues ("" when every open issue was fetched), for the note of an empty stage."""
    chosen_stages = _check_options(stages, per_stage, max_difficulty)
    user_skills = normalize_skills(skills)
    have = parse_hardware(hardware)
    label_map = {label.name: label for label in labels}
    assessments = [
        a if a.kinds is not None else replace(a, kinds=classify_issue(a.issue, label_map))
        for a in assessments
    ]
    label_kinds = {label.name: label.kind for label in labels}
    excluded = {name.strip().lower() for name in exclude_labels if name.strip()}
    distances = AreaDistances(code_map)
    by_number = {a.issue.number: a for a in assessments}
    pins: dict[int, list[IssueAssessment]] = {}
    for stage_no, number in pinned:
        if stage_no in chosen_stages and number in by_number:
            pins.setdefault(stage_no, []).append(by_number[number])
    pinned_numbers = {a.issue.number for group in pins.values() for a in group}
    aside = _set_aside(assessments, have, pinned_numbers)
    aside_numbers = {item.issue.number for item in aside}
    open_pool = [
        a for a in assessments if _open_and_free(a) and a.issue.number not in aside_numbers
    ]
    eligible = [
        a
        for a in open_pool
        if a.issue.number not in pinned_numbers
        and _available(a, excluded, max_difficulty, modules, code_map)
    ]

    picked: dict[int, list[IssueAssessment]] = {}
    floors: dict[int, int] = {}
    used: set[int] = set(pinned_numbers)
    floor = 1
    for stage_no in chosen_stages:
        earlier = [a for s in chosen_stages if s < stage_no for a in picked[s]]
        steps = list(pins.get(stage_no, []))
        pool = [a for a in eligible if a.issue.number not in used]
        floors[stage_no] = floor
        ranked = _rank_for_stage(
            STAGES[stage_no], pool, floor, earlier, user_skills, label_kinds, label_map, labels,
            distances, now,
        )  # fmt: skip
        # Picks within a stage are ranked against earlier stages only, so a stage's
        # choices do not depend on each other's order.
        for assessment, _score in ranked[: max(0, per_stage - len(steps))]:
            steps.append(assessment)
            used.add(assessment.issue.number)
        picked[stage_no] = steps
        # Difficulty never falls: later stages never go below the hardest issue this one
        # picked (pins are the user's own work in progress and do not move the floor).
        floor = max(
            [floor, *(a.difficulty.score for a in steps if a.issue.number not in pinned_numbers)]
        )

    contributing = contributing or summarise_contributing(
        code_map.contributing, code_map.contributing_source or "contributing guide"
    )
    rankings: dict[int, list[tuple[IssueAssessment, float]]] = {}
    steps_by_stage = {}
    notes: dict[int, str] = {}
    for stage_no in chosen_stages:
        spec = STAGES[stage_no]
        earlier = [a for s in chosen_stages if s < stage_no for a in picked[s]]
        steps_by_stage[stage_no] = [
            describe_step(
                stage_no,
                a,
                match_skills(a.skills, user_skills),
                code_map,
                contributing,
                near=distances.nearest(a, earlier),
                pinned=a.issue.number in pinned_numbers,
            )
            for a in picked[stage_no]
        ]
        pool = [a for a in eligible if a.issue.number not in used]
        rankings[stage_no] = _rank_for_stage(
            spec, pool, floors[stage_no], earlier, user_skills, label_kinds, label_map, labels,
            distances, now,
        )[:max_candidates]  # fmt: skip
        if not picked[stage_no]:
            notes[stage_no] = _empty_stage_note(
                spec, open_pool, aside, assessments, label_map, floors[stage_no], used,
                excluded, max_difficulty, modules, code_map, repo, labels, wider_sync,
            )  # fmt: skip
    home, also = _candidate_homes(rankings)
    stage_objs = [
        Stage(
            number=STAGES[stage_no].number,
            key=STAGES[stage_no].key,
            title=STAGES[stage_no].title,
            goal=STAGES[stage_no].goal,
            steps=steps_by_stage[stage_no],
            candidates=[a for a, _ in rankings[stage_no] if home[a.issue.number] == stage_no],
            also_fits={
                a.issue.number: also[a.issue.number]
                for a, _ in rankings[stage_no]
                if home[a.issue.number] == stage_no and also[a.issue.number]
            },
            note=notes.get(stage_no, ""),
        )
        for stage_no in chosen_stages
    ]
    return Plan(
        repo=repo,
        generated_at=now,
        data_fetched_at=data_fetched_at,
        skills=user_skills,
        stages=stage_objs,
        contributing=contributing,
        sample=sample,
        options={
            "stages": list(chosen_stages),
            "per_stage": per_stage,
            "exclude_labels": sorted(excluded),
            "modules": list(modules),
            "max_difficulty": max_difficulty,
            "hardware": have,
            "pinned": [list(p) for p in pinned],
        },
        set_aside=aside[:SET_ASIDE_SHOWN],
        set_aside_total=len(aside),
    )


def kinds_of(a: IssueAssessment) -> IssueKinds:
    """The assessment's kinds (empty when it was never classified)."""
    return a.kinds if a.kinds is not None else IssueKinds()


def stage_rule(stage: int, a: IssueAssessment, labels: Mapping[str, Label]) -> str:
    """ "" when the issue's kind suits the stage, else why not. The difficulty band is
    checked apart (it moves with the floor that earlier stages set)."""
    kinds = kinds_of(a)
    beginner = is_beginner_labelled(a.issue, labels)
    traits = {t for name in a.issue.labels for t in _traits(name, a.issue.repo, labels)}
    upkeep = kinds.has("docs", "tests")
    code = kinds.has("bug", "feature", "performance")
    if stage == 1:
        if beginner or (upkeep and not kinds.has("feature", "performance")):
            return ""
        return "first contact takes docs, tests or typing work, or a beginner-labelled change"
    if stage == 2:
        if "large" in traits:
            return "labelled large by its maintainers"
        if beginner or kinds.has("bug", "docs", "tests", "performance"):
            return ""
        return "a small fix is a bug, docs, tests or performance change, or a beginner label"
    if "small" in traits:
        return "labelled small by its maintainers"
    if upkeep:
        return "docs, tests and typing work belong to the first two stages"
    if stage == 3:
        return "" if kinds.has("bug", "performance") else "a real bug stage takes bug reports"
    return "" if code else "the substantial stage takes a feature or a serious bug"


# --------------------------------------------------------------------------- selection
def _set_aside(
    assessments: Sequence[IssueAssessment], have: Sequence[str], pinned: set[int]
) -> list[SetAside]:
    """Open, free issues that are never steps: tracking, questions, RFCs, awaiting a
    reproduction, or needing hardware the user does not have. Pins stay (the user chose)."""
    out: list[SetAside] = []
    for a in assessments:
        if not _open_and_free(a) or a.issue.number in pinned:
            continue
        kinds = kinds_of(a)
        reason = set_aside_reason(kinds)
        if reason is not None:
            out.append(SetAside(a.issue, reason[0], reason[1]))
            continue
        missing = missing_hardware(kinds, have)
        if missing:
            out.append(SetAside(a.issue, "hardware", hardware_reason(kinds, missing)))
    order = {kind: i for i, kind in enumerate((*SET_ASIDE_KINDS, "hardware"))}
    out.sort(key=lambda item: (order[item.kind], item.issue.number))
    return out


def _open_and_free(a: IssueAssessment) -> bool:
    issue = a.issue
    return not issue.is_pull_request and issue.state == "open" and not a.taken.taken


def _empty_stage_note(
    spec: StageSpec,
    open_pool: Sequence[IssueAssessment],
    aside: Sequence[SetAside],
    assessments: Sequence[IssueAssessment],
    labels: Mapping[str, Label],
    floor: int,
    used: set[int],
    excluded: set[str],
    max_difficulty: int,
    focus: Sequence[str],
    code_map: CodeMap,
    repo: str,
    all_labels: Sequence[Label],
    wider_sync: str,
) -> str:
    """Why a stage holds no step, and the one thing to do about it."""
    band = f"difficulty {max(spec.low, floor)}-{spec.high}"
    if max(spec.low, floor) > spec.high:
        return (
            f"nothing fits: earlier stages already reach difficulty {floor}, above this "
            f"stage's band ({spec.low}-{spec.high}); land those first and plan again"
        )
    fits = [a for a in open_pool if not stage_rule(spec.number, a, labels)]
    if not fits:
        by_number = {a.issue.number: a for a in assessments}
        held = [
            item
            for item in aside
            if item.kind == "hardware"
            and not stage_rule(spec.number, by_number[item.issue.number], labels)
        ]
        if held:
            return (
                f"the {len(held)} issue(s) of this kind need hardware you did not list: "
                f"{held[0].reason}"
            )
        if spec.number == 1:
            pointer = newcomer_labels(repo, all_labels)
            where = (
                f"; its maintainers point newcomers to issues labelled "
                f"{' or '.join(repr(p) for p in pointer)}"
                if pointer
                else ""
            )
            widen = f" ({wider_sync})" if wider_sync else ""
            return (
                f"this repository has no open beginner issues, nor docs, tests or typing work "
                f"free to take{where}: watch for new ones, or fix a docs problem you found "
                f"yourself{widen}"
            )
        what = {2: "small bug, docs or tests issue", 3: "bug report", 4: "feature request or bug"}
        if wider_sync:
            return f"no open {what[spec.number]} among the synced issues: {wider_sync}"
        return f"this repository has no open {what[spec.number]} that is free to take"
    in_band = [a for a in fits if max(spec.low, floor) <= a.difficulty.score <= spec.high]
    if not in_band:
        return (
            f"none of the {len(fits)} issue(s) of this kind is rated {band} "
            f"(after the steps of earlier stages); {wider_sync or 'try again after a sync'}"
        )
    free = [a for a in in_band if a.issue.number not in used]
    if not free:
        return "the issues that fit are steps of earlier stages already: try --per-stage 1"
    if all(a.difficulty.score > max_difficulty for a in free):
        return (
            f"this stage needs {band} and --max-difficulty is {max_difficulty}: raise it to "
            f"--max-difficulty {max(a.difficulty.score for a in free)} to fill it"
        )
    if excluded and all(any(n.lower() in excluded for n in a.issue.labels) for a in free):
        return "every issue that fits carries an --exclude-label label: drop that option"
    if focus and not any(_available(a, set(), 5, focus, code_map) for a in free):
        return f"none of the issues that fit is inside --module {' '.join(focus)}: widen it"
    return f"no issue of this kind within {band} is free: relax --max-difficulty or --module"


def _traits(name: str, repo: str, labels: Mapping[str, Label]) -> tuple[str, ...]:
    known = labels.get(name)
    return known.traits if known is not None and known.traits else label_traits(name, repo)


def _candidate_homes(
    rankings: Mapping[int, Sequence[tuple[IssueAssessment, float]]],
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """(issue -> the stage it fits best, issue -> the other stages it fits) over the
    stages' candidate lists: the highest stage score wins, the earlier stage on a tie, so
    each further candidate is listed once."""
    best: dict[int, tuple[float, int]] = {}
    fits: dict[int, list[int]] = {}
    for stage_no in sorted(rankings):
        for a, score in rankings[stage_no]:
            number = a.issue.number
            fits.setdefault(number, []).append(stage_no)
            if number not in best or round(score, 6) > round(best[number][0], 6):
                best[number] = (score, stage_no)
    home = {number: stage for number, (_, stage) in best.items()}
    also = {number: [s for s in stages if s != home[number]] for number, stages in fits.items()}
    return home, also


def _check_options(stages: Sequence[int], per_stage: int, max_difficulty: int) -> list[int]:
    chosen = sorted(set(stages))
    if not chosen or any(s not in STAGES for s in chosen):
        raise UsageError("--stages takes stage numbers 1-4, e.g. --stages 1,2")
    if not 1 <= per_stage <= 3:
        raise UsageError("--per-stage must be 1, 2 or 3")
    if not 1 <= max_difficulty <= 5:
        raise UsageError("--max-difficulty must be between 1 and 5")
    return chosen


def _available(
    a: IssueAssessment,
    excluded: set[str],
    max_difficulty: int,
    focus: Sequence[str],
    code_map: CodeMap,
) -> bool:
    """Never a pull request, a closed issue or one someone else is on."""
    issue = a.issue
    if issue.is_pull_request or issue.state != "open" or a.taken.taken:
        return False
    if excluded and any(name.lower() in excluded for name in issue.labels):
        return False
    if a.difficulty.score > max_difficulty:
        return False
    if focus:
        names = {m.name for m in a.modules} | {area for area, _ in rank_areas(a.modules, code_map)}
        return any(_in_focus(name, f) for name in names for f in focus)
    return True


def _in_focus(name: str, focus: str) -> bool:
    focus = focus.strip().rstrip("./")
    return (
        name == focus or name.startswith((focus + ".", focus + "/")) or name.endswith("." + focus)
    )


def _rank_for_stage(
    spec: StageSpec,
    pool: Sequence[IssueAssessment],
    floor: int,
    earlier: Sequence[IssueAssessment],
    user_skills: Sequence[str],
    label_kinds: Mapping[str, LabelKind],
    label_map: Mapping[str, Label],
    labels: Sequence[Label],
    distances: AreaDistances,
    now: str,
) -> list[tuple[IssueAssessment, float]]:
    """The issues the stage's rule admits within its difficulty band (never below the
    floor set by earlier stages), best first. An empty band stays empty: an issue that
    does not fit a stage is never put there to fill it."""
    low = max(spec.low, floor)
    band = [
        a
        for a in pool
        if low <= a.difficulty.score <= spec.high and not stage_rule(spec.number, a, label_map)
    ]
    scored = [
        (a, stage_score(spec.number, a, earlier, user_skills, label_kinds, labels, distances, now))
        for a in band
    ]
    scored.sort(key=lambda item: (-round(item[1], 6), item[0].issue.number))
    return scored


def stage_score(
    stage: int,
    a: IssueAssessment,
    earlier: Sequence[IssueAssessment],
    user_skills: Sequence[str],
    label_kinds: Mapping[str, LabelKind],
    labels: Sequence[Label],
    distances: AreaDistances,
    now: str,
) -> float:
    """How well an issue suits a stage for this user: fit, stage character, locality,
    mapping confidence, freshness, reproduction; minus stale claims and open design."""
    required = a.skills
    learning = bool(set(a.skills) & _LEARNING_SKILLS)
    if stage == 1:
        # Docs, tests and typing are what first contact teaches: never held against it.
        required = [s for s in a.skills if s not in _LEARNING_SKILLS]
    fit = match_skills(required, user_skills)
    fit_share = len(fit.matched) / len(fit.required) if user_skills and fit.required else 0.5
    if user_skills and not fit.required:
        fit_share = 1.0
    confidence = a.modules[0].score if a.modules else 0.0
    locality = distances.closeness(a, earlier)
    level = 1.0 - min(1.0, abs(a.difficulty.score - TARGET_LEVEL[stage]) / 4)
    # A docs, test or typing task needs no reproduction.
    reproducible = has_reproduction(a.issue) or (stage == 1 and learning)
    score = (
        W_FIT * fit_share
        + W_KIND * stage_kind_fit(stage, a, label_kinds)
        + W_LEVEL * level
        + W_LOCAL * locality
        + W_CONF * confidence
        + W_FRESH * freshness(a.issue, now)
        + W_REPRO * (1.0 if reproducible else 0.0)
    )
    if a.taken.state == "stale-claim":
        score -= STALE_CLAIM_PENALTY
    if needs_design(a.issue, labels):
        score -= DESIGN_PENALTY if stage < 4 else DESIGN_PENALTY / 2
    return score


def stage_kind_fit(stage: int, a: IssueAssessment, label_kinds: Mapping[str, LabelKind]) -> float:
    """0-1: how much an issue has the character of the stage (beginner/docs, bug, feature)."""
    kinds = {label_kinds.get(name, LabelKind.OTHER) for name in a.issue.labels}
    beginner = LabelKind.BEGINNER in kinds
    bug = LabelKind.BUG in kinds or kinds_of(a).has("bug")
    feature = is_feature_request(a.issue) or kinds_of(a).has("feature")
    learning = bool(set(a.skills) & _LEARNING_SKILLS) or kinds_of(a).has("docs", "tests")
    if stage == 1:
        return 1.0 if beginner and learning else 0.8 if beginner or learning else 0.2
    if stage == 2:
        return 1.0 if bug or beginner else 0.6 if learning else 0.4
    if stage == 3:
        return 1.0 if bug else 0.7 if has_reproduction(a.issue) else 0.3
    return 1.0 if feature else 0.8 if bug else 0.4


def freshness(issue: Issue, now: str) -> float:
    """1.0 for an issue active in the last month, falling to 0 at a year of silence."""
    updated, current = parse_time(issue.updated_at), parse_time(now)
    if updated is None or current is None:
        return 0.0
    days = (current - updated).days
    if days <= _FRESH_DAYS:
        return 1.0
    if days >= _OLD_DAYS:
        return 0.0
    return 1.0 - (days - _FRESH_DAYS) / (_OLD_DAYS - _FRESH_DAYS)
