"""The plan's stages as rules: each stage's difficulty band and the kinds of work it admits,
the issues that are never steps (set aside with the reason), and why a stage nothing fits
stays empty. Pure; the planner ranks what these rules admit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from prready.analysis.kinds import (
    SET_ASIDE_KINDS,
    hardware_reason,
    is_beginner_labelled,
    set_aside_reason,
)
from prready.analysis.labels import newcomer_labels, traits_of
from prready.analysis.mapping import rank_areas
from prready.analysis.stages import (
    FIRST_CONTACT,
    OPTION_WORDS,
    REAL_BUG,
    SMALL_FIX,
    OptionNames,
    StageSpec,
)
from prready.code_models import CodeMap
from prready.models import (
    GONE_FROM_GITHUB,
    Issue,
    IssueAssessment,
    IssueKinds,
    Label,
    SetAside,
    SetAsideKind,
)

DOCS_CLOSED_WHY = (
    "docs-only work: the contributing guide closes docs-only pull requests from new "
    "contributors (ask on the issue first, or fold the fix into a code change)"
)


def docs_work(kinds: IssueKinds) -> bool:
    """Docs work, whatever words the title uses: docs and no code kind, or docs with a
    bug that only a title word suggests ("docstring example shows the wrong order")."""
    if not kinds.has("docs") or kinds.has("feature", "performance"):
        return False
    bug = kinds.kinds.get("bug")
    return bug is None or not bug.startswith("label ")


def kinds_of(a: IssueAssessment) -> IssueKinds:
    """The assessment's kinds (empty when it was never classified: the planner classifies
    every assessment before its stage rules run, since empty kinds admit an issue to the
    code stages)."""
    return a.kinds if a.kinds is not None else IssueKinds()


def stage_rule(stage: int, a: IssueAssessment, labels: Mapping[str, Label]) -> str:
    """ "" when the issue's kind suits the stage, else why not. The difficulty band is
    checked apart (it moves with the floor that earlier stages set)."""
    kinds = kinds_of(a)
    if a.features is not None:
        beginner, traits = a.features.beginner, set(a.features.traits)
    else:
        beginner, traits = is_beginner_labelled(a.issue, labels), issue_traits(a.issue, labels)
    upkeep = kinds.has("docs", "tests")
    # Neither labels nor words tell (`Params4bit.to` "is lost", "returns X instead of Y"):
    # such reports are bugs or requests about code, so the code stages take them.
    code = kinds.has("bug", "feature", "performance") or not kinds.kinds
    if stage == FIRST_CONTACT:
        if beginner or (upkeep and not kinds.has("feature", "performance")):
            return ""
        return "first contact takes docs, tests or typing work, or a beginner-labelled change"
    if stage == SMALL_FIX:
        if "large" in traits:
            return "labelled large by its maintainers"
        if beginner or kinds.has("bug", "docs", "tests", "performance"):
            return ""
        return "a small fix is a bug, docs, tests or performance change, or a beginner label"
    if "small" in traits:
        return "labelled small by its maintainers"
    if upkeep:
        return "docs, tests and typing work belong to the first two stages"
    if stage == REAL_BUG:
        if kinds.has("bug", "performance") or not kinds.kinds:
            return ""
        return "a real bug stage takes bug reports"
    if a.features is not None and a.features.pinpointed:
        return "the report names its faulty spot: a local fix, not a substantial one"
    return "" if code else "the substantial stage takes a feature or a serious bug"


# --------------------------------------------------------------------------- helpers
def set_aside(
    assessments: Sequence[IssueAssessment],
    have: Sequence[str],
    pinned: set[int],
    *,
    docs_closed: bool = False,
    names: OptionNames = OPTION_WORDS,
) -> list[SetAside]:
    """Open issues that are never steps: free ones that are tracking, questions, RFCs,
    awaiting a reproduction, needing hardware the user does not have, or docs-only work
    where the guide closes such pull requests from newcomers (`docs_closed`); ones
    already fixed (a merged pull request, a commit of the checkout) and ones their thread
    declined ("this is expected behavior"). Pins stay (the user chose)."""
    out: list[SetAside] = []
    owned = set(have)
    for a in assessments:
        if a.issue.number in pinned:
            continue
        settled = _SETTLED.get(a.taken.state)
        if (
            settled is not None
            and a.issue.state == "open"
            and not a.issue.is_pull_request
            and GONE_FROM_GITHUB not in a.taken.evidence
        ):
            # Open on GitHub, fixed or declined by what its evidence says (a merged pull
            # request, a commit of the checkout that closes it, its thread): said, with
            # the evidence, not silently left out.
            kind, why = settled
            out.append(SetAside(a.issue, kind, a.taken.evidence[0] if a.taken.evidence else why))
            continue
        if not open_and_free(a):
            continue
        kinds = kinds_of(a)
        reason = set_aside_reason(kinds)
        if reason is not None:
            out.append(SetAside(a.issue, reason[0], reason[1]))
            continue
        # missing_hardware, with the user's hardware made a set once for 20k issues.
        missing = [key for key in kinds.hardware if key not in owned] if kinds.hardware else []
        if missing:
            out.append(
                SetAside(a.issue, "hardware", hardware_reason(kinds, missing, names.hardware))
            )
        elif docs_closed and docs_work(kinds):
            out.append(SetAside(a.issue, "docs-closed", DOCS_CLOSED_WHY))
    order = {
        kind: i
        for i, kind in enumerate(
            (*SET_ASIDE_KINDS, "hardware", "docs-closed", "fixed", "declined", "obsolete")
        )
    }
    out.sort(key=lambda item: (order[item.kind], item.issue.number))
    return out


# Taken states a plan lists apart with their evidence: (set-aside kind, words without any).
_SETTLED: dict[str, tuple[SetAsideKind, str]] = {
    "done": ("fixed", "already fixed"),
    "declined": ("declined", "declined in its thread"),
    "obsolete": ("obsolete", "the code it is about is gone"),
}


def open_and_free(a: IssueAssessment) -> bool:
    issue = a.issue
    return not issue.is_pull_request and issue.state == "open" and not a.taken.taken


def empty_stage_note(
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
    names: OptionNames = OPTION_WORDS,
) -> str:
    """Why a stage holds no step, and the one thing to do about it (an option named as
    `names` says)."""
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
        closed = [item for item in aside if item.kind == "docs-closed"]
        if spec.number == FIRST_CONTACT and closed:
            return (
                f"the {len(closed)} docs issue(s) are listed apart: the contributing guide "
                f"closes docs-only pull requests from new contributors; start at stage {SMALL_FIX}, or "
                "ask the maintainers on a docs issue whether they would take your fix"
            )
        if spec.number == FIRST_CONTACT:
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
        return f"the issues that fit are steps of earlier stages already: try {names.per_stage} 1"
    if all(a.difficulty.score > max_difficulty for a in free):
        return (
            f"this stage needs {band} and {names.max_difficulty} is {max_difficulty}: raise it "
            f"to {names.max_difficulty} {max(a.difficulty.score for a in free)} to fill it"
        )
    if excluded and all(any(n.lower() in excluded for n in a.issue.labels) for a in free):
        return f"every issue that fits carries an {names.exclude_label} label: drop that option"
    if focus and not any(available(a, set(), 5, focus, code_map) for a in free):
        return f"none of the issues that fit is inside {names.module} {' '.join(focus)}: widen it"
    return (
        f"no issue of this kind within {band} is free: relax {names.max_difficulty} or "
        f"{names.module}"
    )


_STAGE_KINDS = {
    1: ("beginner, docs, tests or typing issue", "beginner, docs, tests or typing issues"),
    2: ("small bug, docs or tests issue", "small bug, docs or tests issues"),
    3: ("bug report", "bug reports"),
    4: ("feature request or bug", "feature requests or bugs"),
}


def short_stage_note(
    spec: StageSpec, steps: int, floor: int, narrowed: bool, wider_sync: str
) -> str:
    """Why a stage holds fewer steps than asked (`steps`, at least one): every free issue
    that fits it is a step already; `narrowed`: the user's options (--max-difficulty,
    --module, --exclude-label) left some out."""
    one, many = _STAGE_KINDS[spec.number]
    band = f"difficulty {max(spec.low, floor)}-{spec.high}"
    what = f"{steps} open {one} rated {band} is" if steps == 1 else f"{steps} open {many} rated {band} are"
    scope = " with the options given" if narrowed else ""
    more = f"; {wider_sync}" if wider_sync else ""
    return f"Only {what} free to take{scope}{more}."


def issue_traits(issue: Issue, labels: Mapping[str, Label]) -> set[str]:
    """The traits its maintainers' labels give an issue ("small", "large", ...)."""
    return {t for name in issue.labels for t in traits_of(name, issue.repo, labels)}


def available(
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
        areas = (
            a.features.areas
            if a.features is not None
            else [area for area, _ in rank_areas(a.modules, code_map)]
        )
        names = {m.name for m in a.modules} | set(areas)
        return any(_in_focus(name, f) for name in names for f in focus)
    return True


def _in_focus(name: str, focus: str) -> bool:
    focus = focus.strip().rstrip("./")
    return (
        name == focus or name.startswith((focus + ".", focus + "/")) or name.endswith("." + focus)
    )
