"""Assess issues (modules, difficulty, skills, taken) and pick a staged plan: first contact,
a small fix, a real bug, a substantial contribution. Deterministic: no randomness, ties
broken by issue number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from prready import clock
from prready.analysis.contributing import closes_docs_prs, summarise_contributing
from prready.analysis.difficulty import (
    assess_difficulty,
    dependents_ranks,
    has_reproduction,
    is_feature_request,
    needs_design,
    parse_time,
    pinpoints_the_fault,
)
from prready.analysis.docs_pages import DocsPages
from prready.analysis.issue_templates import TemplateText, as_reported
from prready.analysis.kinds import (
    classify_issue,
    is_beginner_labelled,
    parse_hardware,
)
from prready.analysis.locality import AreaDistances
from prready.analysis.mapping import (
    MapIndex,
    build_index,
    map_issue_to_modules,
    rank_areas,
    strong_areas,
)
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.skills import match_skills, normalize_skills, skills_for_issue
from prready.analysis.stage_rules import (
    available,
    empty_stage_note,
    issue_traits,
    kinds_of,
    open_and_free,
    set_aside,
    short_stage_note,
    stage_rule,
)
from prready.analysis.stages import (
    FIRST_CONTACT,
    OPTION_WORDS,
    REAL_BUG,
    SMALL_FIX,
    STAGE_NUMBERS,
    STAGES,
    SUBSTANTIAL,
    OptionNames,
    StageSpec,
)
from prready.analysis.steps import describe_step, map_facts
from prready.code_models import CodeMap
from prready.models import (
    ContributingSummary,
    Issue,
    IssueAssessment,
    IssueFeatures,
    Label,
    LabelKind,
    ModuleMatch,
    Plan,
    SetAside,
    SetAsideKind,
    Stage,
    TakenStatus,
)

# Ranking weights within a stage (sum 1.0 before penalties). Skill fit matters most: the
# plan is for this user. Stage fit keeps each stage's character, and the level term its
# difficulty (the easiest first contact, the most ambitious litmus test). Locality makes
# knowledge compound across stages. Confidence, freshness and a reproduction do the rest.
W_FIT, W_KIND, W_LEVEL, W_LOCAL, W_CONF, W_FRESH, W_REPRO = 0.25, 0.20, 0.10, 0.15, 0.10, 0.10, 0.10
TARGET_LEVEL = {FIRST_CONTACT: 1.0, SMALL_FIX: 2.0, REAL_BUG: 3.0, SUBSTANTIAL: 4.5}
STALE_CLAIM_PENALTY = 0.1
DESIGN_PENALTY = 0.15  # before the substantial stage, open design stalls a newcomer's PR
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
    """Map, rate, classify and tag every issue (pull requests skipped), in number order.
    Difficulty, skills and features read the issue as its reporter wrote it (`as_reported`:
    no template prompts, HTML comments or pasted environment); its kinds read it as filed
    (a template's headings say which template was used)."""
    index = index if index is not None and index.code_map is code_map else build_index(code_map)
    by_name = {label.name: label for label in labels}
    ranks = dependents_ranks(code_map)
    template = index.issue_template
    out = []
    for issue in sorted(issues, key=lambda i: i.number):
        if issue.is_pull_request:
            continue
        matches = map_issue_to_modules(issue, code_map, labels, index=index)
        reported = as_reported(issue, template)
        repro = has_reproduction(reported, issue.body, template)
        out.append(
            IssueAssessment(
                issue=issue,
                modules=matches,
                difficulty=assess_difficulty(
                    reported, matches, code_map, labels, now, ranks=ranks, reproduction=repro
                ),
                skills=skills_for_issue(reported, matches, code_map),
                taken=taken.get(issue.number) or TakenStatus("fresh"),
                kinds=classify_issue(issue, by_name),
                features=issue_features(
                    issue, matches, code_map, labels, by_name, reported=(reported, repro)
                ),
            )
        )
    return out


def issue_features(
    issue: Issue,
    matches: Sequence[ModuleMatch],
    code_map: CodeMap,
    labels: Sequence[Label],
    by_name: Mapping[str, Label] | None = None,
    *,
    reported: tuple[Issue, bool] | None = None,
) -> IssueFeatures:
    """The per-issue facts every stage's ranking reads, worked out once (`by_name`: the
    labels by name, when the caller has them), from `issue` as its reporter wrote it
    (`reported`: that issue and `has_reproduction` of it, when the caller has them; else
    worked out with the code map's templates)."""
    by_name = by_name if by_name is not None else {label.name: label for label in labels}
    if reported is None:
        template = TemplateText.from_plain(code_map.issue_templates)
        mine = as_reported(issue, template)
        reported = mine, has_reproduction(mine, issue.body, template)
    issue, reproduction = reported
    return IssueFeatures(
        design=needs_design(issue, labels),
        reproduction=reproduction,
        feature_request=is_feature_request(issue),
        areas=strong_areas(rank_areas(matches, code_map)),
        beginner=is_beginner_labelled(issue, by_name),
        traits=tuple(sorted(issue_traits(issue, by_name))),
        pinpointed=bool(pinpoints_the_fault(issue)),
    )


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
    stages: Sequence[int] = STAGE_NUMBERS,
    per_stage: int = 2,
    exclude_labels: Sequence[str] = (),
    modules: Sequence[str] = (),
    max_difficulty: int = 5,
    hardware: Sequence[str] = (),
    pinned: Sequence[tuple[int, int]] = (),
    sample: bool = False,
    max_candidates: int = 10,
    wider_sync: str = "",
    option_names: OptionNames = OPTION_WORDS,
    distances: AreaDistances | None = None,
    test_names: NamesInTests | None = None,
    memo: RankingMemo | None = None,
    reuse_ranking: bool = False,
    known_logins: frozenset[str] = frozenset(),
    docs: DocsPages | None = None,
) -> Plan:
    """Pick up to `per_stage` issues per stage among those its rule admits; pinned
    (stage, number) pairs stay first in their stage. `wider_sync` says how to fetch more
    issues ("" when every open issue was fetched), for the note of an empty stage;
    `option_names` what those notes call the options to change (the CLI: its flags).
    `distances` over `code_map` may be shared by several plans of one run (its area
    graph is built once); `test_names` (the names each test file uses) helps find each
    step's tests; `memo` keeps each issue's ranking terms for the next plan of the run.
    With `reuse_ranking` the caller vouches that the assessments rank exactly as those of
    the memo's last plan (only their details were completed): its ranking is reused when
    every other input is the same, and the plan assembled from these assessments.
    `known_logins` (who wrote in the repository's issues) names reviewers the history
    knows by a name only; `docs` (the repository's documentation pages) sends a docs
    step to the page it is about."""
    chosen_stages = _check_options(stages, per_stage, max_difficulty)
    user_skills = normalize_skills(skills)
    have = parse_hardware(hardware)
    label_map = {label.name: label for label in labels}
    assessments = [_complete(a, code_map, label_map, labels) for a in assessments]
    label_kinds = {label.name: label.kind for label in labels}
    excluded = {name.strip().lower() for name in exclude_labels if name.strip()}
    if distances is None or distances.code_map is not code_map:
        distances = AreaDistances(code_map)
    memo = memo if memo is not None else RankingMemo()
    terms = memo.terms_for((tuple(user_skills), tuple(sorted(label_kinds.items())), now, labels))
    by_number = {a.issue.number: a for a in assessments}
    contributing = contributing or summarise_contributing(
        code_map.contributing, code_map.contributing_source or "contributing guide"
    )
    docs_closed = closes_docs_prs(contributing)
    signature = (
        repo, tuple(chosen_stages), per_stage, tuple(sorted(excluded)), tuple(modules),
        max_difficulty, tuple(have), tuple(pinned), docs_closed, max_candidates, wider_sync,
        option_names, tuple(by_number),
    )  # fmt: skip
    ranking = memo.last if reuse_ranking else None
    if ranking is None or ranking.signature != signature or ranking.code_map is not code_map:
        ranking = _rank(
            repo, assessments, by_number, code_map, chosen_stages, per_stage, excluded,
            modules, max_difficulty, have, pinned, docs_closed, max_candidates, wider_sync,
            option_names, user_skills, label_kinds, label_map, labels, distances, now, terms, memo,
        )  # fmt: skip
        ranking.signature = signature
        memo.last = ranking
    picked = {
        stage_no: [by_number[n] for n in numbers] for stage_no, numbers in ranking.picked.items()
    }
    pinned_numbers = ranking.pinned
    steps_by_stage = {}
    facts = replace(map_facts(code_map), known_logins=known_logins)
    for stage_no in chosen_stages:
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
                test_names=test_names,
                facts=facts,
                hardware=have,
                docs=docs,
            )
            for a in picked[stage_no]
        ]
    rankings = {
        stage_no: [(by_number[n], score) for n, score in items]
        for stage_no, items in ranking.candidates.items()
    }
    notes = ranking.notes
    aside = [
        SetAside(by_number[n].issue, kind, reason)
        for n, kind, reason in ranking.aside[:SET_ASIDE_SHOWN]
    ]
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
        set_aside=aside,
        set_aside_total=len(ranking.aside),
    )


# --------------------------------------------------------------------------- selection
@dataclass
class _Ranking:
    """What ranking chose, by issue number: a plan is assembled from it with the
    assessments of those numbers (the same ones, or the same completed with details)."""

    code_map: CodeMap
    pinned: set[int]
    picked: dict[int, list[int]]  # stage -> its steps
    candidates: dict[int, list[tuple[int, float]]]  # stage -> its further candidates
    aside: list[tuple[int, SetAsideKind, str]]  # (number, kind, reason)
    notes: dict[int, str]
    signature: tuple[object, ...] = ()


def _rank(
    repo: str,
    assessments: Sequence[IssueAssessment],
    by_number: Mapping[int, IssueAssessment],
    code_map: CodeMap,
    chosen_stages: Sequence[int],
    per_stage: int,
    excluded: set[str],
    modules: Sequence[str],
    max_difficulty: int,
    have: Sequence[str],
    pinned: Sequence[tuple[int, int]],
    docs_closed: bool,
    max_candidates: int,
    wider_sync: str,
    option_names: OptionNames,
    user_skills: Sequence[str],
    label_kinds: Mapping[str, LabelKind],
    label_map: Mapping[str, Label],
    labels: Sequence[Label],
    distances: AreaDistances,
    now: str,
    terms: dict[int, tuple[IssueAssessment, StageTerms, tuple[str, ...]]],
    memo: RankingMemo,
) -> _Ranking:
    """Each stage's steps and further candidates, the issues set aside, and why a stage
    stays empty."""
    pins: dict[int, list[IssueAssessment]] = {}
    for stage_no, number in pinned:
        if stage_no in chosen_stages and number in by_number:
            pins.setdefault(stage_no, []).append(by_number[number])
    pinned_numbers = {a.issue.number for group in pins.values() for a in group}
    aside = set_aside(
        assessments, have, pinned_numbers, docs_closed=docs_closed, names=option_names
    )
    aside_numbers = {item.issue.number for item in aside}
    open_pool = [a for a in assessments if open_and_free(a) and a.issue.number not in aside_numbers]
    # A step of a stage not planned this time (started at stage 2, re-planned with
    # --stages 3,4) stays where it is: never picked again for another stage.
    elsewhere = {number for _, number in pinned}
    eligible = [
        a
        for a in open_pool
        if a.issue.number not in pinned_numbers
        and a.issue.number not in elsewhere
        and available(a, excluded, max_difficulty, modules, code_map)
    ]

    # Each issue's stage_rule verdicts, looked up once here rather than once per stage.
    verdicts = {a.issue.number: memo.rules_of(a, label_map) for a in eligible}
    picked: dict[int, list[IssueAssessment]] = {}
    floors: dict[int, int] = {}
    ranked_by_stage: dict[int, list[tuple[IssueAssessment, float]]] = {}
    used: set[int] = set(pinned_numbers)
    floor = 1
    for stage_no in chosen_stages:
        earlier = [a for s in chosen_stages if s < stage_no for a in picked[s]]
        steps = list(pins.get(stage_no, []))
        pool = [a for a in eligible if a.issue.number not in used]
        floors[stage_no] = floor
        ranked = _rank_for_stage(
            STAGES[stage_no], pool, floor, earlier, user_skills, label_kinds, label_map, labels,
            distances, now, terms, verdicts, memo.fits, memo.heads,
        )  # fmt: skip
        ranked_by_stage[stage_no] = ranked
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

    candidates: dict[int, list[tuple[int, float]]] = {}
    notes: dict[int, str] = {}
    for stage_no in chosen_stages:
        # The further candidates: the stage's ranking as picked (its floor and earlier
        # steps are final by then), without the issues any stage took.
        candidates[stage_no] = [
            (a.issue.number, score)
            for a, score in ranked_by_stage[stage_no]
            if a.issue.number not in used
        ][:max_candidates]
    listed = used | {n for items in candidates.values() for n, _ in items}
    for stage_no in chosen_stages:
        spec = STAGES[stage_no]
        if len(candidates[stage_no]) >= max_candidates or floors[stage_no] <= spec.low:
            continue
        # Then the issues no stage lists that its rule takes below its floor (a 1/5 bug
        # once the first stage took a 2/5 docs fix): no step, since difficulty never
        # falls, but shown rather than left out of the plan.
        below = [
            a
            for a in eligible
            if a.issue.number not in listed and a.difficulty.score < floors[stage_no]
        ]
        earlier = [a for s in chosen_stages if s < stage_no for a in picked[s]]
        ranked = _rank_for_stage(
            spec, below, spec.low, earlier, user_skills, label_kinds, label_map, labels,
            distances, now, terms, verdicts, memo.fits, memo.heads,
        )  # fmt: skip
        room = max_candidates - len(candidates[stage_no])
        candidates[stage_no] += [(a.issue.number, score) for a, score in ranked[:room]]
        listed |= {a.issue.number for a, _ in ranked[:room]}
    # Last, the issues rated above the band of the last stage whose rule takes them (jax's
    # "Document `jax.lax` APIs", docs work rated 5/5, which only the first two stages take):
    # listed among that stage's further candidates, never left out of the plan unsaid.
    for stage_no in reversed(chosen_stages):
        spec = STAGES[stage_no]
        room = max_candidates - len(candidates[stage_no])
        if room <= 0:
            continue
        later = [s - 1 for s in chosen_stages if s > stage_no]
        above = [
            a
            for a in eligible
            if a.issue.number not in listed
            and a.difficulty.score > spec.high
            and not verdicts[a.issue.number][stage_no - 1]
            and all(verdicts[a.issue.number][at] for at in later)
        ]
        if not above:
            continue
        earlier = [a for s in chosen_stages if s < stage_no for a in picked[s]]
        ranked = _rank_for_stage(
            replace(spec, high=5), above, spec.high + 1, earlier, user_skills,
            label_kinds, label_map, labels, distances, now, terms, verdicts, memo.fits, memo.heads,
        )  # fmt: skip
        candidates[stage_no] += [(a.issue.number, score) for a, score in ranked[:room]]
        listed |= {a.issue.number for a, _ in ranked[:room]}
    for stage_no in chosen_stages:
        if not picked[stage_no]:
            notes[stage_no] = empty_stage_note(
                STAGES[stage_no], open_pool, aside, assessments, label_map, floors[stage_no],
                used, excluded, max_difficulty, modules, code_map, repo, labels, wider_sync,
                option_names,
            )  # fmt: skip
        elif len(picked[stage_no]) < per_stage:
            narrowed = bool(excluded or modules or max_difficulty < 5)
            notes[stage_no] = short_stage_note(
                STAGES[stage_no], len(picked[stage_no]), floors[stage_no], narrowed, wider_sync
            )
    return _Ranking(
        code_map=code_map,
        pinned=pinned_numbers,
        picked={s: [a.issue.number for a in steps] for s, steps in picked.items()},
        candidates=candidates,
        aside=[(item.issue.number, item.kind, item.reason) for item in aside],
        notes=notes,
    )


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


def _complete(
    a: IssueAssessment,
    code_map: CodeMap,
    label_map: Mapping[str, Label],
    labels: Sequence[Label],
) -> IssueAssessment:
    """The assessment with its kinds and features, working out what it lacks."""
    if a.kinds is None:
        a = replace(a, kinds=classify_issue(a.issue, label_map))
    if a.features is None:
        a = replace(a, features=issue_features(a.issue, a.modules, code_map, labels, label_map))
    return a


def _check_options(stages: Sequence[int], per_stage: int, max_difficulty: int) -> list[int]:
    """The stages chosen, in order. The CLI bounds every option (`--stages`, `--per-stage`,
    `--max-difficulty`) before a plan is made: out-of-range values here are a caller's bug."""
    chosen = sorted(set(stages))
    if not chosen or any(s not in STAGES for s in chosen):
        raise ValueError(f"stages must be some of {list(STAGE_NUMBERS)}, not {list(stages)}")
    if not 1 <= per_stage <= 3:
        raise ValueError(f"per_stage must be 1, 2 or 3, not {per_stage}")
    if not 1 <= max_difficulty <= 5:
        raise ValueError(f"max_difficulty must be between 1 and 5, not {max_difficulty}")
    return chosen


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
    terms: dict[int, tuple[IssueAssessment, StageTerms, tuple[str, ...]]],
    rules: Mapping[int, tuple[str, ...]],
    fits: dict[tuple[str, ...], tuple[float, float]] | None = None,
    heads: dict[tuple[object, ...], tuple[tuple[float, ...], tuple[float, ...]]] | None = None,
) -> list[tuple[IssueAssessment, float]]:
    """The issues the stage's rule admits within its difficulty band (never below the
    floor set by earlier stages), best first. An empty band stays empty: an issue that
    does not fit a stage is never put there to fill it. `terms` (issue number -> the
    assessment, its StageTerms and its top areas) is filled as issues are met and shared by the plan's
    stages; an entry counts only for that very assessment. `rules` gives an issue's
    stage_rule verdicts by number, stage 1 first; `fits` the skill fit shares by an issue's
    skills."""
    low, high, at = max(spec.low, floor), spec.high, spec.number - 1
    band = [
        a for a in pool if low <= a.difficulty.score <= high and not rules[a.issue.number][at]
    ]
    # Closeness depends only on an issue's top areas: thousands of issues share a few.
    near: dict[tuple[str, ...], float] = {}
    scored = []
    stage = spec.number
    moment = clock.parse_iso_or_none(now)  # parsed once, not once per issue
    for a in band:
        number = a.issue.number
        known = terms.get(number)
        if known is None or known[0] is not a:
            known = terms[number] = (
                a,
                stage_terms(
                    a,
                    user_skills,
                    label_kinds,
                    labels,
                    distances.code_map,
                    freshness(a.issue, moment),
                    fits,
                    heads,
                ),
                tuple(distances.areas_of(a)),
            )
        areas = known[2]
        closeness = near.get(areas)
        if closeness is None:
            closeness = near[areas] = distances.closeness(a, earlier)
        scored.append((a, known[1].score(stage, closeness)))
    scored.sort(key=lambda item: (-round(item[1], 6), item[0].issue.number))
    return scored


@dataclass
class RankingMemo:
    """Each issue's StageTerms and stage_rule verdicts, kept across the plans of one run
    (`plan` plans again after checking who is on the shortlisted issues, and most
    assessments stay the same objects). An entry is used only for the very assessment
    object it was worked out for (assessments are not changed in place while a run
    plans), and only while the user's skills, the labels and the time are the ones it
    was worked out under."""

    context: tuple[object, ...] = ()
    terms: dict[int, tuple[IssueAssessment, StageTerms, tuple[str, ...]]] = field(
        default_factory=dict
    )
    rules: dict[int, tuple[IssueAssessment, tuple[str, ...]]] = field(default_factory=dict)
    # stage_rule reads only an issue's kinds (which ones), beginner label, traits and
    # whether it names its faulty spot: thousands of issues share a few such signatures.
    verdicts: dict[tuple[object, ...], tuple[str, ...]] = field(default_factory=dict)
    # The skill fit shares (first contact, later stages) by an issue's skills.
    fits: dict[tuple[str, ...], tuple[float, float]] = field(default_factory=dict)
    # The character and level terms by an issue's signature (see stage_terms).
    heads: dict[tuple[object, ...], tuple[tuple[float, ...], tuple[float, ...]]] = field(
        default_factory=dict
    )
    # The last plan's ranking (make_plan's `reuse_ranking`).
    last: _Ranking | None = None

    def terms_for(
        self, context: tuple[object, ...]
    ) -> dict[int, tuple[IssueAssessment, StageTerms, tuple[str, ...]]]:
        """The terms worked out under `context`; a new context starts over."""
        if context != self.context:
            self.context, self.terms, self.rules = context, {}, {}
            self.verdicts, self.fits, self.heads, self.last = {}, {}, {}, None
        return self.terms

    def rules_of(self, a: IssueAssessment, label_map: Mapping[str, Label]) -> tuple[str, ...]:
        """stage_rule of `a` at every stage (`label_map`: the labels of the context)."""
        known = self.rules.get(a.issue.number)
        if known is None or known[0] is not a:
            features = a.features
            if features is None:
                verdict = tuple(stage_rule(stage, a, label_map) for stage in STAGE_NUMBERS)
            else:
                signature = (
                    tuple(kinds_of(a).kinds),
                    features.beginner,
                    features.traits,
                    features.pinpointed,
                )
                found = self.verdicts.get(signature)
                if found is None:
                    found = self.verdicts[signature] = tuple(
                        stage_rule(stage, a, label_map) for stage in STAGE_NUMBERS
                    )
                verdict = found
            known = self.rules[a.issue.number] = (a, verdict)
        return known[1]


@dataclass(frozen=True)
class StageTerms:
    """An issue's ranking terms at each stage (index 0 is stage 1), all but locality,
    which moves with the earlier stages' picks: worked out once per issue and plan."""

    head: tuple[float, ...]  # skill fit + stage character + difficulty level, weighted
    confidence: float
    fresh: float
    reproducible: tuple[float, ...]
    stale: bool
    design: bool

    def score(self, stage: int, locality: float) -> float:
        """How well the issue suits `stage` for this user, with `locality` (closeness to
        the earlier steps): fit, stage character, level, locality, mapping confidence,
        freshness, reproduction; minus stale claims and open design questions."""
        score = (
            self.head[stage - 1]
            + W_LOCAL * locality
            + W_CONF * self.confidence
            + W_FRESH * self.fresh
            + W_REPRO * self.reproducible[stage - 1]
        )
        if self.stale:
            score -= STALE_CLAIM_PENALTY
        if self.design:
            score -= DESIGN_PENALTY if stage < SUBSTANTIAL else DESIGN_PENALTY / 2
        return score


def stage_terms(
    a: IssueAssessment,
    user_skills: Sequence[str],
    label_kinds: Mapping[str, LabelKind],
    labels: Sequence[Label],
    code_map: CodeMap,
    fresh: float,
    fits: dict[tuple[str, ...], tuple[float, float]] | None = None,
    heads: dict[tuple[object, ...], tuple[tuple[float, ...], tuple[float, ...]]] | None = None,
) -> StageTerms:
    """What `StageTerms.score` weighs, for every stage at once (`fresh`: its freshness;
    `fits`: the skill fit shares already worked out for these user skills, by skills;
    `heads`: the character and level terms already worked out, by signature)."""
    features = a.features or issue_features(a.issue, a.modules, code_map, labels)
    kinds_seen = kinds_of(a).kinds
    # The stage character and level terms follow from the issue's labels, skills, kinds,
    # feature and reproduction signals and difficulty: thousands of issues share a few
    # such signatures, worked out once per plan context (with `fits`).
    signature = (
        tuple(a.issue.labels), tuple(a.skills), tuple(kinds_seen), features.feature_request,
        features.reproduction, a.difficulty.score,
    )  # fmt: skip
    known = heads.get(signature) if heads is not None else None
    if known is None:
        known = _head_terms(a, features, user_skills, label_kinds, fits)
        if heads is not None:
            heads[signature] = known
    head, reproducible = known
    return StageTerms(
        head=head,
        confidence=a.modules[0].score if a.modules else 0.0,
        fresh=fresh,
        reproducible=reproducible,
        stale=a.taken.state == "stale-claim",
        design=features.design,
    )


def _head_terms(
    a: IssueAssessment,
    features: IssueFeatures,
    user_skills: Sequence[str],
    label_kinds: Mapping[str, LabelKind],
    fits: dict[tuple[str, ...], tuple[float, float]] | None,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(head, reproducible) of StageTerms for stages 1-4."""
    learning = bool(set(a.skills) & _LEARNING_SKILLS)
    skills = tuple(a.skills)
    shares = fits.get(skills) if fits is not None else None
    if shares is None:
        # Docs, tests and typing are what first contact teaches: never held against it.
        shares = (
            _fit_share([s for s in skills if s not in _LEARNING_SKILLS], user_skills),
            _fit_share(skills, user_skills),
        )
        if fits is not None:
            fits[skills] = shares
    first, later = shares
    kinds = {label_kinds.get(name, LabelKind.OTHER) for name in a.issue.labels}
    character = _Character(
        beginner=LabelKind.BEGINNER in kinds,
        bug=LabelKind.BUG in kinds or kinds_of(a).has("bug"),
        feature=features.feature_request or kinds_of(a).has("feature"),
        learning=learning or kinds_of(a).has("docs", "tests"),
        reproduction=features.reproduction,
    )
    head = tuple(
        W_FIT * (first if stage == FIRST_CONTACT else later)
        + W_KIND * character.fit(stage)
        + W_LEVEL * (1.0 - min(1.0, abs(a.difficulty.score - TARGET_LEVEL[stage]) / 4))
        for stage in STAGE_NUMBERS
    )
    # A docs, test or typing task needs no reproduction.
    reproducible = tuple(
        1.0 if features.reproduction or (stage == FIRST_CONTACT and learning) else 0.0
        for stage in STAGE_NUMBERS
    )
    return head, reproducible


@dataclass(frozen=True)
class _Character:
    """What kind of work an issue is, as the stages weigh it."""

    beginner: bool
    bug: bool
    feature: bool
    learning: bool
    reproduction: bool

    def fit(self, stage: int) -> float:
        if stage == FIRST_CONTACT:
            return (
                1.0
                if self.beginner and self.learning
                else 0.8
                if self.beginner or self.learning
                else 0.2
            )
        if stage == SMALL_FIX:
            return 1.0 if self.bug or self.beginner else 0.6 if self.learning else 0.4
        if stage == REAL_BUG:
            return 1.0 if self.bug else 0.7 if self.reproduction else 0.3
        return 1.0 if self.feature else 0.8 if self.bug else 0.4


def _fit_share(required: Sequence[str], user_skills: Sequence[str]) -> float:
    fit = match_skills(required, user_skills)
    share = len(fit.matched) / len(fit.required) if user_skills and fit.required else 0.5
    if user_skills and not fit.required:
        share = 1.0
    return share


def freshness(issue: Issue, now: str | datetime | None) -> float:
    """1.0 for an issue active in the last month, falling to 0 at a year of silence (`now`:
    ISO text, or already parsed; None: unknown)."""
    updated = parse_time(issue.updated_at)
    current = now if isinstance(now, datetime) else parse_time(now)
    if updated is None or current is None:
        return 0.0
    days = (current - updated).days
    if days <= _FRESH_DAYS:
        return 1.0
    if days >= _OLD_DAYS:
        return 0.0
    return 1.0 - (days - _FRESH_DAYS) / (_OLD_DAYS - _FRESH_DAYS)
