"""`prready plan`: acquire and map the code, sync the issues, assess, plan, track, render.

The one pipeline behind both `prready plan` and `prready demo`: the demo differs only in
where the code and issues come from (a local sample repository and the sample issues
already in the store), never in how they are analysed or rendered.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from prready import clock
from prready.analysis.contributing import (
    agent_rules,
    readme_contributing_section,
    summarise_contributing,
)
from prready.analysis.difficulty import is_feature_request, review_wait
from prready.analysis.kinds import parse_hardware
from prready.analysis.locality import AreaDistances
from prready.analysis.obsolete import CheckoutNames
from prready.analysis.planner import RankingMemo, make_plan
from prready.analysis.progress import replan_pins
from prready.analysis.skills import normalize_skills
from prready.analysis.stages import LAST_STAGE, STAGE_NUMBERS
from prready.app.assessments import assess_cached, with_details
from prready.app.docs_pages import docs_pages
from prready.app.inputs import check_modules
from prready.app.issues import (
    as_of_data,
    did_you_mean,
    fixed_in_checkout,
    gone_from_checkout,
    load_stored,
    note_unchecked_pulls,
)
from prready.app.map import build_code_map, gc_paused, read_no_follow
from prready.app.names_in_tests import names_in_tests
from prready.app.retrieval import prefetch_index
from prready.app.sync import SyncScope, refresh_taken, sync_repo
from prready.app.track import sync_tracked
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.config import server_clone_url, web_host
from prready.errors import OfflineError, UsageError
from prready.formats import PLAN_FORMATS, PLAN_SUFFIX, STDOUT, PlanFormat
from prready.models import ContributingSummary, IssueAssessment, Plan, TakenStatus
from prready.paths import Paths
from prready.render.advice import PLAN_FLAGS, wider_sync_text
from prready.reports import PlanResult
from prready.slug import parse_slug
from prready.store import issues_store
from prready.store.progress_store import (
    load_events,
    load_progress,
    record_plan,
)

# Issues whose comments and timeline are fetched to tell whether someone is on them:
# the chosen steps plus this many further candidates per stage, never the whole store.
TAKEN_CHECK_PER_STAGE = 6
TAKEN_CHECK_ROUNDS = 4  # re-plans after checking; each round checks only new issues


P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class PlanOptions:
    """What the user asked for; defaults give a four-stage plan with two issues each."""

    skills: Sequence[str] = ()
    stages: Sequence[int] = STAGE_NUMBERS
    per_stage: int = 2
    exclude_labels: Sequence[str] = ()
    modules: Sequence[str] = ()
    max_difficulty: int = 5
    fmt: PlanFormat = "html"
    output: Path | None = None
    scope: SyncScope = field(default_factory=SyncScope)  # what to sync first (never a file)
    hardware: Sequence[str] = ()  # what the user has (cuda, mps, ...); () -> the profile's
    fresh: bool = False  # start over: keep no step of the earlier plan pinned


@dataclass
class Source:
    """Where code and issues come from (how to reach GitHub is the workspace's)."""

    github: bool = True  # False: issues come from the store only (the demo's sample)
    checkout: Path | None = None
    git_url: str | None = None


def _collector_paused(run: Callable[P, R]) -> Callable[P, R]:
    """`run` with the cyclic garbage collector paused (see app.map.gc_paused): a plan
    loads tens of thousands of issues and their assessments, objects that live as long
    as the plan and sit in no reference cycle, and every collection their allocation
    triggered re-walked them all and the code map (a third of a warm 20k-issue plan)."""

    @functools.wraps(run)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return run(*args, **kwargs)

    return paused


@_collector_paused
def run_plan(
    ws: Workspace,
    slug: str,
    options: PlanOptions,
    source: Source,
    *,
    sample: bool = False,
) -> PlanResult:
    """Build the plan for `slug`, record it in the progress store and write it to a file."""
    slug = parse_slug(slug)
    if options.fmt not in PLAN_FORMATS:  # a library caller's mistake; the CLI offers a choice
        raise UsageError(
            f"the plan format must be one of {', '.join(PLAN_FORMATS)}, not {options.fmt!r}"
        )
    paths, config, api_url = ws.paths, ws.config, ws.github.api_url
    # A skill or hardware no plan knows is said before any clone is made or mapped.
    skills = list(options.skills) or list(config.skills)
    normalize_skills(skills)
    hardware = parse_hardware(list(options.hardware) or list(config.hardware))
    # A typo (hugingface/datasets): said before any clone is looked for.
    offline = ws.offline or not source.github
    if (
        offline
        and not issues_store.count_issues(ws.cache, slug)
        and (hint := did_you_mean(ws, slug))
    ):
        raise OfflineError(f"no issues of {slug} are stored{hint}: run `prready sync {slug}` first")
    moment = clock.as_utc(ws.now).replace(microsecond=0)
    iso = clock.iso(moment)
    output = _output_path(paths, slug, options)
    notes: list[str] = []

    code_map = build_code_map(
        ws,
        slug,
        checkout=source.checkout,
        # The clone follows the API host (GitHub Enterprise): hardening, issue 14 item 3.
        git_url=source.git_url or server_clone_url(slug, api_url),
        on_sources=ws.hold(prefetch_index(paths.cache_db)),  # issues are mapped next
    )
    check_modules(options.modules, code_map)
    if source.checkout is not None:  # `issues` maps from it later (no cached clone exists)
        issues_store.record_checkout(ws.cache, slug, str(Path(source.checkout).resolve()), iso)
    client = None
    report = None
    online = source.github and not ws.offline
    if online:
        client = ws.client()
        report = sync_repo(ws.at(moment), slug, options.scope)
        notes.extend(report.notes)
        if report.repo and report.repo != slug:
            # GitHub renamed the repository (or spells it otherwise): sync stored the
            # issues under GitHub's name.
            if report.repo.lower() != slug.lower():
                notes.append(f"{slug} is now {report.repo} on GitHub; planning under the new name")
            slug = report.repo

    # Read before the issues: a write after it moves it on, so a stamp made with it never
    # vouches for issues newer than those loaded.
    generation = issues_store.generation(ws.cache)
    # Ages and claims are judged as of the issues' data (an old export's issues are as old
    # as they were then); the plan itself is dated now.
    judged = as_of_data(ws, slug, iso)
    issues, labels, taken = load_stored(ws, slug, state="open", now=judged)
    # Every issue ranks from its assessment without details (evidence, reasons); only the
    # issues a plan shows are completed, before the plan that is kept.
    assessed = assess_cached(
        ws, slug, issues, code_map, labels, taken, now=judged, details=False, generation=generation
    )
    assessments, bare = assessed.assessments, set(assessed.bare)
    del issues, assessed
    # What the checkout's history fixed after the issue's data was fetched is no step.
    fixed = fixed_in_checkout(ws, slug, code_map, assessments)
    assessments = [_updated(a, fixed, {}) for a in assessments]
    tests_used = names_in_tests(code_map, ws.parse_cache)
    pages = docs_pages(code_map, ws.parse_cache)
    exclude = [*config.exclude_labels, *options.exclude_labels]
    from_file = issues_store.repo_source(ws.cache, slug) == "file"
    # A complete export synced last holds every open issue: there are no more to fetch.
    every_open = from_file and issues_store.holds_every_open_issue(ws.cache, slug)
    wider = "" if every_open else _wider_sync(slug, options, source, online, from_file)

    conn = ws.progress_store
    tracking = None
    if client is not None:
        tracking = sync_tracked(ws.at(moment), slug)
    decision = replan_pins(load_progress(conn, slug), fresh=options.fresh)
    if decision.moved_up:
        notes.append(
            f"stage {decision.current_stage - 1} is done: on to stage {decision.current_stage}"
        )
    contributing = _contributing(ws, code_map, slug, iso)
    excluded = set(decision.excluded)
    usable = [a for a in assessments if a.issue.number not in excluded]
    fetched_at = issues_store.last_synced_at(ws.cache, slug) or iso
    distances = AreaDistances(code_map)  # one area graph for every plan of this run
    memo = RankingMemo()  # each issue's ranking terms, for every plan of this run
    logins = issues_store.known_logins(ws.cache, slug)  # names reviewers known by name only

    def plan_from(pool: list[IssueAssessment], *, completed_only: bool = False) -> Plan:
        """The plan from `pool`; `completed_only`: the pool is the last plan's with some
        assessments completed (details rank nothing), so its ranking holds."""
        plan = make_plan(
            slug,
            pool,
            code_map,
            now=iso,
            skills=skills,
            labels=labels,
            data_fetched_at=fetched_at,
            stages=options.stages,
            per_stage=options.per_stage,
            exclude_labels=exclude,
            modules=options.modules,
            max_difficulty=options.max_difficulty,
            hardware=hardware,
            pinned=decision.pins,
            sample=sample,
            contributing=contributing,
            wider_sync=wider,
            option_names=PLAN_FLAGS,
            distances=distances,
            test_names=tests_used,
            docs=pages,
            memo=memo,
            reuse_ranking=completed_only,
            known_logins=logins,
        )
        # Links in every output point at the repository's own host (GitHub Enterprise).
        return replace(plan, web_host=web_host(api_url))

    def completed(numbers: set[int]) -> dict[int, IssueAssessment]:
        """The complete assessments of `numbers` (shown by a plan, loaded bare)."""
        wanted = [a for a in usable if a.issue.number in numbers]
        full = with_details(ws, slug, wanted, code_map, labels, now=judged)
        bare.difference_update(numbers)
        return {n: _updated(a, fixed, {}) for n, a in full.items()}

    plan = plan_from(usable)
    # Only the issues that could reach the plan get the extra requests (timeline,
    # comments) that tell whether someone else is already on them; offline, the
    # stored comments and cross-references are judged as of `now`. Then plan again,
    # until every issue the plan shows has been checked: a plan never rests on an
    # unchecked issue, so two runs on the same data give the same plan. The issues
    # it shows are completed on the way (their details rank nothing).
    checked: set[int] = set()
    names: CheckoutNames | None = None  # (gathered when an issue is first checked)
    for _round in range(TAKEN_CHECK_ROUNDS):
        numbers = [n for n in _shortlist(plan) if n not in checked]
        shown = _shown(plan) & bare
        if not numbers and not shown:
            break
        status: dict[int, TakenStatus] = {}
        if numbers:
            # (Fetched now when online; else judged as of the stored data, as above.)
            at = moment if online else clock.parse_iso(judged)
            status = refresh_taken(ws.at(at), slug, numbers, fetch=online)
            checked.update(numbers)
            status = note_unchecked_pulls(ws, slug, status)
            status = {n: fixed.get(n, st) for n, st in status.items()}
            # Free, but about code the checkout no longer has.
            names = names or CheckoutNames.of_map(code_map)
            checked_now = [a.issue for a in usable if a.issue.number in status]
            status.update(gone_from_checkout(names, checked_now, status))
        full = completed(shown) if shown else {}
        # Only the issues whose status moved or that were completed become new
        # objects: the memo keeps the rest.
        moved = {
            a.issue.number
            for a in usable
            if a.issue.number in status and status[a.issue.number] != a.taken
        }
        if not moved and not full:
            continue  # the same pool gives the same plan
        usable = [_updated(a, status, full) for a in usable]
        plan = plan_from(usable, completed_only=not moved)
    shown = _shown(plan) & bare
    if shown:
        # Out of rounds with issues still bare: completing them moves no ranking.
        full = completed(shown)
        usable = [_updated(a, {}, full) for a in usable]
        plan = plan_from(usable, completed_only=True)
    if code_map.root:
        plan = look_for_in_checkout(plan, code_map.root)
    record_plan(conn, plan, moment)
    entries = load_progress(conn, slug)
    events = load_events(conn, slug)

    hint = feature_scope_hint(plan, options, online)
    if hint:
        notes.append(hint)
    if others := taken_by_others(usable, plan):
        notes.append(others)
    return PlanResult(
        plan,
        output,
        options.fmt,
        code_map,
        moment,
        report,
        tracking,
        decision,
        notes,
        entries=entries,
        events=events,
    )


def feature_scope_hint(plan: Plan, options: PlanOptions, synced: bool) -> str:
    """A note when the substantial stage holds no feature request because the default sync
    scope (beginner and bug labels) never fetched any: the litmus test may be a feature."""
    if not synced or options.scope.wider:
        return ""
    last = next((stage for stage in plan.stages if stage.number == LAST_STAGE), None)
    if last is None or not last.steps:
        return ""
    pool = [step.issue for step in last.steps] + [a.issue for a in last.candidates]
    if any(is_feature_request(issue) for issue in pool):
        return ""
    return (
        f"stage {LAST_STAGE} holds bug fixes only: the default sync fetches issues with "
        "beginner, bug, docs, tests and feature labels, and none was a feature; for one, "
        + wider_sync_text("run_again_for_one")
    )


def _wider_sync(
    slug: str, options: PlanOptions, source: Source, online: bool, from_file: bool = False
) -> str:
    """How to fetch more issues than this plan saw ("" when it saw every open one): for
    issues that came from a file, a wider export (no network is needed)."""
    if options.scope.all_open or not source.github:
        return ""
    if from_file and not online:
        return wider_sync_text("file", slug)
    return wider_sync_text("run_again" if online else "sync_command", slug)


def _output_path(paths: Paths, slug: str, options: PlanOptions) -> Path:
    if options.output is not None:
        if Path(options.output) == STDOUT:
            return STDOUT
        out = Path(options.output).expanduser()
        if out.is_dir():
            raise UsageError(f"the plan's output {out} is a directory: give a file name")
        return out
    return paths.plans / (slug.replace("/", "__") + PLAN_SUFFIX[options.fmt])


def _shown(plan: Plan) -> set[int]:
    """The issues whose assessment a plan shows in full: its steps and candidates."""
    numbers: set[int] = set()
    for stage in plan.stages:
        numbers.update(step.issue.number for step in stage.steps)
        numbers.update(a.issue.number for a in stage.candidates)
    return numbers


def _updated(
    a: IssueAssessment, status: dict[int, TakenStatus], full: dict[int, IssueAssessment]
) -> IssueAssessment:
    """`a` completed (from `full`) and with its new status (from `status`), if any."""
    number = a.issue.number
    if number in full:
        a = full[number]
    if number in status and status[number] != a.taken:
        a = replace(a, taken=status[number])
    return a


def look_for_in_checkout(plan: Plan, root: str) -> Plan:
    """The plan with each step's names to look for kept only where the file holds them:
    a snake_case name the title writes in backticks that the map cannot place is looked
    for in the first match unchecked (peft's `unmerge_adapters`, which no file defines)."""
    texts: dict[str, str | None] = {}

    def holds(path: str, name: str) -> bool:
        if path not in texts:
            data = read_no_follow(os.path.join(root, path), limit=MAX_LOOK_FOR_READ)
            texts[path] = data.decode("utf-8", "replace") if data is not None else None
        text = texts[path]
        last = name.rpartition(".")[2]
        return text is None or re.search(rf"(?<!\w){re.escape(last)}(?!\w)", text) is not None

    stages = []
    for stage in plan.stages:
        steps = [
            replace(
                step,
                look_for={
                    path: [n for n in names if holds(path, n)]
                    for path, names in step.look_for.items()
                },
            )
            if step.look_for
            else step
            for step in stage.steps
        ]
        stages.append(replace(stage, steps=steps))
    return replace(plan, stages=stages)


def _shortlist(plan: Plan) -> list[int]:
    numbers: list[int] = []
    for stage in plan.stages:
        numbers.extend(step.issue.number for step in stage.steps)
        numbers.extend(a.issue.number for a in stage.candidates[:TAKEN_CHECK_PER_STAGE])
    return sorted(set(numbers))


README = "README.md"
MAX_README = 512 * 1024
MAX_LOOK_FOR_READ = 4_000_000  # a file to read for a step's names to look for


def taken_by_others(assessments: Sequence[IssueAssessment], plan: Plan) -> str:
    """A note of the open issues left out because someone else is on them (a claim, an
    assignee, an open pull request), which no other part of the plan names; "" if none."""
    shown = _shown(plan)
    taken = sum(
        1
        for a in assessments
        if a.taken.state == "taken"
        and a.issue.state == "open"
        and not a.issue.is_pull_request
        and a.issue.number not in shown
    )
    if not taken:
        return ""
    one = "issue is" if taken == 1 else "issues are"
    return (
        f"{taken} open {one} left out because someone else is on them (a claim, an "
        f"assignee or an open pull request): `prready issues {plan.repo}` lists them"
    )


AGENTS = "AGENTS.md"


def _rule_names(summary: ContributingSummary) -> set[str]:
    return {rule.split(" (")[0] for rule in summary.rules}


def _contributing(ws: Workspace, code_map: CodeMap, slug: str, now: str) -> ContributingSummary:
    """The contributing guide's summary, with the typical wait for review from the
    synced pull requests when there are enough of them."""
    text, source = code_map.contributing, code_map.contributing_source or "contributing guide"
    if not text.strip() and README in code_map.files:
        # No CONTRIBUTING file: the README's "Contributing" section is the guide (tinygrad).
        data = read_no_follow(os.path.join(code_map.root, README), limit=MAX_README)
        text = readme_contributing_section(data.decode("utf-8", "replace") if data else "")
        source = f"{README} (Contributing)"
    summary = summarise_contributing(text, source)
    if AGENTS in code_map.files and code_map.root:
        # The maintainers' notes for coding agents hold their newest house rules ("ask
        # first and only proceed after maintainer approval": peft), for people as well.
        data = read_no_follow(os.path.join(code_map.root, AGENTS), limit=MAX_README)
        extra = agent_rules(data.decode("utf-8", "replace") if data else "", AGENTS)
        known = _rule_names(summary)
        for rule in extra:
            if (name := rule.split(" (")[0]) not in known:
                summary.rules.append(rule)
                known.add(name)
    wait = review_wait(issues_store.load_pulls(ws.cache, slug, "closed"), now)
    if wait is not None:
        summary.review_days, summary.review_sample = wait
    return summary
