"""The staged plan: each stage rule (taken/closed never picked, rising difficulty,
locality, pins, filters), the contents of a step, and determinism."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from planfixtures import LABELS, NOW, REPO, make_code_map, make_issue, sample_issues, sample_taken
from prready.analysis.issue_templates import template_text
from prready.analysis.planner import RankingMemo, assess_issues, issue_features, make_plan
from prready.errors import UsageError
from prready.models import GONE_FROM_GITHUB, Difficulty, IssueAssessment, ModuleMatch, TakenStatus

CODE_MAP = make_code_map()


def fake(
    number: int,
    module: str,
    difficulty: int,
    labels: tuple[str, ...] = ("bug",),
    *,
    skills: tuple[str, ...] = ("python",),
    taken: str = "fresh",
    state: str = "open",
    title: str = "",
) -> IssueAssessment:
    """An assessment with everything but the varied field held equal."""
    issue = make_issue(
        number, title or f"Issue {number}", "```python\nrepro()\n```", labels, state=state
    )
    return IssueAssessment(
        issue=issue,
        modules=[ModuleMatch(module, CODE_MAP.modules[module].path, 0.8, ["test evidence"])],
        difficulty=Difficulty(difficulty, [f"rated {difficulty}"]),
        skills=list(skills),
        taken=TakenStatus(taken),
    )


def numbers(plan) -> dict[int, list[int]]:
    return {s.number: [step.issue.number for step in s.steps] for s in plan.stages}


def plan_of(assessments, **kw):
    kw.setdefault("labels", LABELS)
    return make_plan(REPO, assessments, CODE_MAP, now=NOW, **kw)


def test_sample_plan_has_four_rising_stages() -> None:
    assessments = assess_issues(sample_issues(), CODE_MAP, LABELS, sample_taken(), now=NOW)
    # The sample's one substantial issue is a CUDA bug (#6): only for someone with a GPU.
    plan = plan_of(assessments, skills=["python", "docs"], hardware=["cuda"])
    assert [s.key for s in plan.stages] == ["first-contact", "small-fix", "real-bug", "substantial"]
    picked = [step for s in plan.stages for step in s.steps]
    assert all(1 <= len(s.steps) <= 2 for s in plan.stages)
    # First contact is beginner-labelled docs/typing work.
    assert {step.issue.number for step in plan.stages[0].steps} == {1, 2}
    # Difficulty never falls from one stage to the next.
    maxima = [max(st.difficulty.score for st in s.steps) for s in plan.stages]
    minima = [min(st.difficulty.score for st in s.steps) for s in plan.stages]
    assert all(minima[i + 1] >= maxima[i] for i in range(3))
    # Never a taken (#11), closed (#10) issue or a pull request (#12); never twice.
    chosen = [st.issue.number for st in picked]
    assert not {10, 11, 12} & set(chosen) and len(chosen) == len(set(chosen))
    for stage in plan.stages:
        assert not {10, 11, 12} & {c.issue.number for c in stage.candidates}
        assert not set(chosen) & {c.issue.number for c in stage.candidates}
    assert plan.contributing.build == ["pip install -e ."]
    assert plan.generated_at == NOW and plan.skills == ["python", "docs"]
    # The RFC (#7) is never a step: it is listed apart with its reason.
    assert [(x.issue.number, x.kind) for x in plan.set_aside] == [(7, "rfc")]
    assert "label 'RFC'" in plan.set_aside[0].reason


def test_sample_plan_without_a_gpu_sets_the_cuda_bug_aside() -> None:
    assessments = assess_issues(sample_issues(), CODE_MAP, LABELS, sample_taken(), now=NOW)
    plan = plan_of(assessments, skills=["python", "docs"])
    assert [(x.issue.number, x.kind) for x in plan.set_aside] == [(7, "rfc"), (6, "hardware")]
    assert "add hardware cuda if you have it" in plan.set_aside[1].reason  # no flag named
    # The substantial stage takes the feature (#8) instead; the CUDA bug is in no stage.
    assert [step.issue.number for step in plan.stages[3].steps] == [8]
    assert all(step.issue.number != 6 for s in plan.stages for step in s.steps)
    # With the easier stages asked to stay below 3, stage 4 has nothing and says why.
    easy = plan_of(assessments, skills=["python", "docs"], max_difficulty=2)
    assert easy.stages[3].steps == [] and "raise it to max difficulty 3" in easy.stages[3].note


def test_taken_issue_never_picked_even_when_best() -> None:
    best = fake(
        1, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",), taken="taken"
    )
    done = fake(2, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",), taken="done")
    worse = fake(3, "tinyml.optim.sgd", 2, ("good first issue",), skills=("docs",))
    plan = plan_of([best, done, worse], stages=[1], skills=["docs"])
    assert numbers(plan) == {1: [3]}
    assert plan.stages[0].candidates == []
    # The fixed one is listed apart, with its evidence; the one someone else is on is not,
    # nor one GitHub no longer has (gone, not fixed).
    assert [(x.issue.number, x.kind) for x in plan.set_aside] == [(2, "fixed")]
    gone = replace(done, taken=TakenStatus("done", [GONE_FROM_GITHUB]))
    assert plan_of([best, gone, worse], stages=[1], skills=["docs"]).set_aside == []
    # One step of the two asked for: the stage says why there is no second.
    assert plan.stages[0].note == (
        "Only 1 open beginner, docs, tests or typing issue rated difficulty 1-2 is free to take."
    )
    narrowed = plan_of([best, done, worse], stages=[1], skills=["docs"], max_difficulty=4)
    assert narrowed.stages[0].note.endswith("is free to take with the options given.")
    assert plan_of([best, done, worse], stages=[1], skills=["docs"], per_stage=1).stages[0].note == ""


def test_stale_claim_can_be_picked_but_ranks_lower() -> None:
    stale = fake(
        1, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",), taken="stale-claim"
    )
    fresh = fake(2, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",))
    plan = plan_of([stale, fresh], stages=[1], per_stage=2, skills=["docs"])
    assert numbers(plan) == {1: [2, 1]}
    assert any("earlier claim went quiet" in w for w in plan.stages[0].steps[1].why)


def test_closed_issue_never_picked() -> None:
    plan = plan_of(
        [fake(1, "tinyml.optim.sgd", 3, state="closed"), fake(2, "tinyml.optim.sgd", 3)], stages=[3]
    )
    assert numbers(plan) == {3: [2]}


def test_locality_breaks_a_tie_between_equal_candidates() -> None:
    first = fake(1, "tinyml.optim.lr_scheduler", 1, ("good first issue",), skills=("docs",))
    far = fake(2, "tinyml.data.sampler", 3)  # lower number: wins without locality
    near = fake(3, "tinyml.optim.sgd", 3)
    with_first = plan_of([first, far, near], stages=[1, 2], per_stage=1)
    assert numbers(with_first) == {1: [1], 2: [3]}
    assert "builds on step #1: both touch tinyml.optim" in with_first.stages[1].steps[0].why
    # Without the earlier step the tie falls back to the issue number.
    alone = plan_of([far, near], stages=[2], per_stage=1)
    assert numbers(alone) == {2: [2]}


def test_locality_counts_hops_in_the_area_graph() -> None:
    first = fake(1, "tinyml.optim.lr_scheduler", 1, ("good first issue",), skills=("docs",))
    two_hops = fake(2, "tinyml.linalg.decomp", 3)  # linalg -> tensor <- optim
    one_hop = fake(3, "tinyml.tensor.ops", 3)  # optim -> tensor
    plan = plan_of([first, two_hops, one_hop], stages=[1, 2], per_stage=1)
    assert numbers(plan) == {1: [1], 2: [3]}


def test_difficulty_rises_and_band_widens_only_to_the_floor() -> None:
    items = [
        fake(1, "tinyml.nn.functional", 1, ("good first issue",), skills=("docs",)),
        fake(2, "tinyml.optim.sgd", 3),
        fake(3, "tinyml.optim.adam", 2),
        fake(4, "tinyml.data.sampler", 5, ("enhancement",)),
        fake(5, "tinyml.data.dataloader", 4),
    ]
    plan = plan_of(items, per_stage=1)
    # Each stage prefers its own level: 1 for first contact, 2 for a small fix, ...
    assert numbers(plan) == {1: [1], 2: [3], 3: [2], 4: [4]}
    diffs = [s.steps[0].difficulty.score for s in plan.stages]
    assert diffs == sorted(diffs)
    # A stage that took a 3 (the user's skills pulled it there) sets the floor: the 2 is
    # never offered later, not even as a candidate.
    floor = [
        fake(2, "tinyml.linalg.decomp", 3, skills=("python", "numerics")),
        fake(3, "tinyml.optim.adam", 2),
        fake(5, "tinyml.data.dataloader", 4),
    ]
    plan = plan_of(floor, stages=[2, 3], per_stage=1, skills=["numerics"])
    assert numbers(plan) == {2: [2], 3: [5]}
    assert [c.issue.number for c in plan.stages[1].candidates] == []
    # The bands overlap (a real bug rated 2 is still a real bug), but never below the
    # floor: once stage 2 took a 3, stage 3 has nothing at 3-4 left; it stays empty and
    # says why rather than taking an easier issue or stage 4's.
    small = [
        fake(1, "tinyml.nn.functional", 1, ("good first issue",), skills=("docs",)),
        fake(2, "tinyml.optim.sgd", 2),
        fake(3, "tinyml.optim.adam", 2),
        fake(4, "tinyml.data.sampler", 5, ("enhancement",)),
    ]
    assert numbers(plan_of(small, per_stage=1)) == {1: [1], 2: [2], 3: [3], 4: [4]}
    raised = [fake(2, "tinyml.optim.sgd", 3), *small[2:]]
    plan = plan_of(raised, per_stage=2, stages=[2, 3])
    assert numbers(plan) == {2: [3, 2], 3: []}
    assert "steps of earlier stages already: try per-stage 1" in plan.stages[1].note


def test_a_report_that_names_its_faulty_spot_is_no_substantial_step() -> None:
    # timm #2272 ("Incorrect string 'map ' with an extra ' '?", a trailing space in one
    # comparison) was planned as the litmus test because its module is widely imported.
    one_char = fake(
        1, "tinyml.data.sampler", 4, title="Incorrect string 'map ' with a trailing space"
    )
    serious = fake(2, "tinyml.data.dataloader", 4)
    for a in (one_char, serious):
        a.features = issue_features(a.issue, a.modules, CODE_MAP, [])
    assert one_char.features is not None and one_char.features.pinpointed
    assert numbers(plan_of([one_char, serious], stages=[4], per_stage=1)) == {4: [2]}
    assert numbers(plan_of([one_char], stages=[4], per_stage=1)) == {4: []}
    # ...while it stays a real bug to fix.
    assert numbers(plan_of([one_char], stages=[3], per_stage=1)) == {3: [1]}


def test_pinned_issue_goes_first_even_if_taken() -> None:
    mine = fake(9, "tinyml.optim.adam", 3, taken="taken")
    other = fake(2, "tinyml.optim.sgd", 3)
    plan = plan_of([mine, other], stages=[3], per_stage=2, pinned=[(3, 9)])
    assert numbers(plan) == {3: [9, 2]}
    assert plan.stages[0].steps[0].why[0].startswith("kept from your earlier plan")
    # A pin for an issue no longer known is ignored, not an error.
    assert numbers(plan_of([other], stages=[3], pinned=[(3, 777)])) == {3: [2]}
    # A step started at a stage not planned this time stays there: never picked again
    # for another stage (diffusers #11724, started at stage 2, re-planned with --stages 3).
    fresh = fake(9, "tinyml.optim.adam", 3)
    assert numbers(plan_of([fresh, other], stages=[3], per_stage=2, pinned=[(2, 9)])) == {3: [2]}


def test_filters_exclude_label_module_and_max_difficulty() -> None:
    items = [
        fake(1, "tinyml.optim.sgd", 3, ("bug", "wontfix")),
        fake(2, "tinyml.data.sampler", 3),
        fake(3, "tinyml.nn.functional", 4),
    ]
    assert numbers(plan_of(items, stages=[3], per_stage=3, exclude_labels=["WontFix"])) == {
        3: [2, 3]
    }
    assert numbers(plan_of(items, stages=[3], per_stage=3, modules=["tinyml.nn"])) == {3: [3]}
    assert numbers(plan_of(items, stages=[3], per_stage=3, max_difficulty=3)) == {3: [1, 2]}


def test_per_stage_and_stage_selection_and_bad_options() -> None:
    items = [fake(n, "tinyml.optim.sgd", 3) for n in range(1, 6)]
    plan = plan_of(items, stages=[3], per_stage=3)
    assert numbers(plan) == {3: [1, 2, 3]}
    assert [c.issue.number for c in plan.stages[0].candidates] == [4, 5]
    # The CLI bounds the options; out of range here is a caller's bug, not the user's.
    for bad in ({"per_stage": 4}, {"stages": [0]}, {"stages": []}, {"max_difficulty": 9}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            plan_of(items, **bad)
    with pytest.raises(UsageError, match="unknown skill"):
        plan_of(items, skills=["basket weaving"])


def test_skill_fit_prefers_matching_issues() -> None:
    numeric = fake(5, "tinyml.linalg.decomp", 3, skills=("python", "numerics"))
    cuda = fake(4, "csrc/ops/conv_cuda.cu", 3, skills=("cpp", "cuda"))
    assert numbers(
        plan_of([numeric, cuda], stages=[3], per_stage=1, skills=["python", "numerics"])
    ) == {3: [5]}
    assert numbers(plan_of([numeric, cuda], stages=[3], per_stage=1, skills=["cuda", "cpp"])) == {
        3: [4]
    }


def test_step_carries_reading_tests_reviewers_setup_and_effort() -> None:
    plan = plan_of([fake(3, "tinyml.optim.adam", 3)], stages=[3], skills=["python"])
    step = plan.stages[0].steps[0]
    assert step.start_reading[0] == "tinyml/optim/adam.py"
    assert "tinyml/optim/optimizer.py" in step.start_reading  # nearest neighbour
    assert step.tests == ["tests/test_optim.py"]
    assert step.test_command == "python -m pytest tests/test_optim.py"
    # "Alan Turing" (6 recent commits) is @aturing: listed once, by login.
    assert step.reviewers == ["@optim-owner (code owner)", "@aturing (6 recent commits here)"]
    assert step.setup_notes[0].startswith("Python only")
    assert step.effort == "3-5 days"
    assert step.fit.matched == ["python"] and step.fit.new == []
    cuda = plan_of([fake(4, "csrc/ops/conv_cuda.cu", 5)], stages=[4]).stages[0].steps[0]
    assert "CUDA toolkit" in cuda.setup_notes[0] and "first build" in cuda.effort
    assert cuda.reviewers == ["@cpp-team (code owner)", "@kthompson (7 recent commits here)"]
    # No test file is tied to this kernel: no command rather than the whole suite.
    assert cuda.tests == [] and cuda.test_command == ""


def test_an_issue_below_every_floor_is_a_candidate_not_left_out() -> None:
    # torchmetrics: stage 1 took a 2/5 docs fix, so a 1/5 bug fits no stage's band; it is
    # listed under the stage its rule fits, never dropped from the plan.
    items = [
        fake(1, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",)),
        fake(2, "tinyml.optim.sgd", 3),
        fake(3, "tinyml.optim.adam", 1),
    ]
    plan = plan_of(items, stages=[1, 2], per_stage=1)
    assert numbers(plan) == {1: [1], 2: [2]}
    assert [c.issue.number for c in plan.stages[1].candidates] == [3]


def test_docs_work_above_every_band_that_takes_it_is_a_candidate_not_left_out() -> None:
    # jax #26219 "Document `jax.lax` APIs" rated 5/5: only the first two stages take docs
    # work and their bands end at 2 and 3; it is listed under the second, not dropped.
    items = [
        fake(1, "tinyml.nn.functional", 2, ("good first issue",), skills=("docs",)),
        fake(2, "tinyml.optim.sgd", 3),
        fake(4, "tinyml.optim.adam", 5, ("documentation",), title="Document the optim APIs"),
        fake(5, "tinyml.optim.adam", 4),
    ]
    plan = plan_of(items, per_stage=1)
    shown = {n for stage in plan.stages for n in [*(s.issue.number for s in stage.steps),
                                                  *(c.issue.number for c in stage.candidates)]}  # fmt: skip
    assert 4 in [c.issue.number for c in plan.stages[1].candidates]
    assert shown == {1, 2, 4, 5}
    # ...within the user's own limit.
    capped = plan_of(items, per_stage=1, max_difficulty=4)
    assert all(4 not in [c.issue.number for c in st.candidates] for st in capped.stages)


def test_an_issue_of_no_known_kind_is_a_code_step_that_says_so() -> None:
    unknown = fake(7, "tinyml.optim.sgd", 3, (), title="SGD momentum buffer and restarts")
    plan = plan_of([unknown], stages=[3], per_stage=1)
    (step,) = plan.stages[0].steps
    assert step.issue.number == 7
    assert "neither its labels nor its words say bug or feature: read it to be sure" in step.why


def test_same_inputs_same_plan_whatever_the_order() -> None:
    issues = sample_issues()
    a = plan_of(assess_issues(issues, CODE_MAP, LABELS, sample_taken(), now=NOW), skills=["python"])
    random.Random(7).shuffle(issues)
    b = plan_of(assess_issues(issues, CODE_MAP, LABELS, sample_taken(), now=NOW), skills=["python"])
    assert a == b


def test_prefers_fresh_and_reproducible_issues() -> None:
    stale = fake(1, "tinyml.optim.sgd", 3)
    stale.issue.updated_at = "2025-06-01T00:00:00Z"  # silent for over a year
    fresh = fake(2, "tinyml.optim.sgd", 3)
    assert numbers(plan_of([stale, fresh], stages=[3], per_stage=1)) == {3: [2]}
    no_repro = fake(3, "tinyml.optim.sgd", 3)
    no_repro.issue.body = "It is broken somehow."
    repro = fake(4, "tinyml.optim.sgd", 3)
    assert numbers(plan_of([no_repro, repro], stages=[3], per_stage=1)) == {3: [4]}


# --------------------------------------------------------------------------- read by a person
def test_each_candidate_is_listed_once_under_its_best_stage() -> None:
    # Difficulty-3 bugs fit both "a small fix" and "a real bug"; before, the same issue
    # showed up in both stages' candidate lists.
    pool = [fake(n, "tinyml.optim.sgd", 3) for n in range(10, 16)]
    pool += [fake(n, "tinyml.nn.functional", 4, ("bug", "enhancement")) for n in range(20, 23)]
    plan = plan_of(pool, stages=[2, 3, 4], per_stage=1)
    listed = [c.issue.number for s in plan.stages for c in s.candidates]
    assert listed and len(listed) == len(set(listed))
    also = {n: stages for s in plan.stages for n, stages in s.also_fits.items()}
    assert also, "issues that suit several stages say so"
    for stage in plan.stages:
        for number, others in stage.also_fits.items():
            assert number in {c.issue.number for c in stage.candidates}
            assert stage.number not in others and all(o in (2, 3, 4) for o in others)


def test_a_docs_step_reads_the_docs_file_first_and_asks_for_no_build() -> None:
    code_map = make_code_map()
    code_map.files = sorted([i.path for i in code_map.modules.values()] + ["docs/tensors.md"])
    code_map.codeowners = [("*", ["@everyone"]), ("/docs/", ["@docs-owner"])]
    issue = make_issue(
        7, "Typo in docs/tensors.md", "`docs/tensors.md` says togther.", ("good first issue",)
    )
    [assessment] = assess_issues([issue], code_map, LABELS, {}, now=NOW)
    plan = make_plan(REPO, [assessment], code_map, now=NOW, labels=LABELS, stages=[1])
    step = plan.stages[0].steps[0]
    assert step.start_reading == ["docs/tensors.md"]
    assert step.reviewers[0] == "@docs-owner (code owner)"
    assert step.setup_notes == [
        "Docs only: no install or compiler needed; preview the page before pushing."
    ]
    assert assessment.skills == ["docs"]
    assert any("documentation" in r or "docs or config" in r for r in step.difficulty.reasons)


def test_why_lines_add_to_the_card_instead_of_repeating_it() -> None:
    plan = plan_of([fake(3, "tinyml.optim.adam", 3)], stages=[3], skills=["python"])
    step = plan.stages[0].steps[0]
    # Difficulty reasons have their own list on the card; the why list does not copy them.
    assert not any(w.startswith("difficulty") for w in step.why)
    assert "uses only skills you have: python" in step.why
    assert any(w.startswith("touches tinyml.optim.adam (match 0.80 of 1)") for w in step.why)
    # The page-wide build/lint summary is not repeated in every Python step.
    assert step.setup_notes == ["Python only: an editable install is enough, no compiler needed."]


def test_a_test_file_the_issue_names_is_the_test_to_run() -> None:
    issue = make_issue(
        8,
        "Add tests for CosineAnnealingLR",
        "`tests/test_optim.py` only covers StepLR; add "
        "`tinyml.optim.lr_scheduler.CosineAnnealingLR` cases.",
        ("good first issue", "module: optim"),
    )
    [assessment] = assess_issues([issue], CODE_MAP, LABELS, {}, now=NOW)
    step = make_plan(REPO, [assessment], CODE_MAP, now=NOW, labels=LABELS, stages=[1])
    assert step.stages[0].steps[0].tests[0] == "tests/test_optim.py"


def test_a_memo_shared_by_re_plans_gives_the_plans_made_without_it() -> None:
    # What `plan` does: plan, learn who is on some issues, plan again with one memo.
    assessments = assess_issues(sample_issues(), CODE_MAP, LABELS, sample_taken(), now=NOW)
    memo = RankingMemo()
    first = plan_of(assessments, skills=["python"], memo=memo)
    assert first == plan_of(assessments, skills=["python"])
    assert memo.terms and memo.rules
    top = first.stages[0].steps[0].issue.number
    # A stale claim on the first pick (a penalty, not a bar): only that assessment is a
    # new object, and its terms are worked out again.
    taken = [
        IssueAssessment(a.issue, a.modules, a.difficulty, a.skills, TakenStatus("stale-claim"),
                        a.kinds, a.features)
        if a.issue.number == top
        else a
        for a in assessments
    ]  # fmt: skip
    again = plan_of(taken, skills=["python"], memo=memo)
    assert again == plan_of(taken, skills=["python"])
    assert again != first
    # Another user (other skills) or another time: the memo starts over, same plans.
    for kw in ({"skills": ["docs"]}, {"skills": ["python"], "now": "2027-06-01T00:00:00Z"}):
        now = kw.pop("now", NOW)
        assert make_plan(REPO, taken, CODE_MAP, now=now, labels=LABELS, memo=memo, **kw) == (
            make_plan(REPO, taken, CODE_MAP, now=now, labels=LABELS, **kw)
        )


def test_a_reused_ranking_assembles_the_plan_of_the_completed_assessments() -> None:
    # What `plan` does after completing the shown issues: their details rank nothing, so
    # the last ranking is reused and the plan assembled from the completed assessments.
    full = assess_issues(sample_issues(), CODE_MAP, LABELS, sample_taken(), now=NOW)
    bare = [
        IssueAssessment(a.issue, [ModuleMatch(m.name, m.path, m.score, []) for m in a.modules],
                        Difficulty(a.difficulty.score, []), a.skills, a.taken, a.kinds,
                        a.features)
        for a in full
    ]  # fmt: skip
    memo = RankingMemo()
    first = plan_of(bare, skills=["python"], memo=memo)
    assert memo.last is not None
    again = plan_of(full, skills=["python"], memo=memo, reuse_ranking=True)
    assert again == plan_of(full, skills=["python"])
    assert again != first  # the steps now carry their evidence and reasons
    assert numbers(again) == numbers(first)
    # Any other input ranks afresh, even when the caller offers the last ranking.
    for kw in ({"per_stage": 1}, {"exclude_labels": ["docs"]}, {"max_difficulty": 3}):
        got = plan_of(full, skills=["python"], memo=memo, reuse_ranking=True, **kw)
        assert got == plan_of(full, skills=["python"], **kw)
    fewer = full[1:]
    assert plan_of(fewer, skills=["python"], memo=memo, reuse_ranking=True) == plan_of(
        fewer, skills=["python"]
    )


def test_difficulty_skills_and_features_read_the_reporters_words_not_the_template() -> None:
    """Filed through the repository's template, with its prompts left in place and a
    collect_env report pasted, a pure-Python bug is neither "reproducible" nor a CUDA issue;
    steps written under the template's reproduction heading make it reproducible."""
    code_map = make_code_map()
    bug_md = (
        "**Describe the bug**\nA clear description of what the bug is.\n\n"
        "**To Reproduce**\nSteps to reproduce the behavior:\n1. Go to '...'\n2. See error\n\n"
        "**Environment**\n - CUDA/cuDNN version:\n - GPU models and configuration:\n"
    )
    code_map.issue_templates = template_text({".github/ISSUE_TEMPLATE/bug.md": bug_md})
    words = "`tinyml.optim.adam.Adam` skips the bias correction on the first step."
    filed = bug_md.replace("bug is.\n", f"bug is.\n{words}\n").replace(
        " - CUDA/cuDNN version:\n",
        " - CUDA/cuDNN version:\n```\nCollecting environment information...\n"
        "Is CUDA available: True\nGPU 0: NVIDIA A100-SXM4-80GB\n```\n",
    )
    plain = make_issue(20, "Adam skips bias correction", words)
    templated = make_issue(21, "Adam skips bias correction", filed)
    stepped = make_issue(22, "Adam skips bias correction", filed.replace(
        "2. See error", "2. Call `Adam(params).step()` once"
    ))  # fmt: skip
    a, b, c = assess_issues([plain, templated, stepped], code_map, LABELS, {}, now=NOW)
    assert b.skills == a.skills and "cuda" not in b.skills
    assert b.features is not None and a.features is not None
    assert not a.features.reproduction and not b.features.reproduction
    assert b.difficulty.score == a.difficulty.score
    assert not any("reproduction (-0.5)" in r for r in b.difficulty.reasons)
    assert c.features is not None and c.features.reproduction
    assert any("has a reproduction (-0.5)" in r for r in c.difficulty.reasons)
    assert b.issue.body == filed  # the page shows the issue as filed
