"""Small plans and progress entries built in code for the tracking tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from prready.models import (
    ContributingSummary,
    Difficulty,
    Issue,
    IssueAssessment,
    Plan,
    PlanStep,
    ProgressEntry,
    SkillFit,
    Stage,
    StepStatus,
    TakenStatus,
)

REPO = "acme/widgets"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
STAGE_KEYS = {1: "first-contact", 2: "small-fix", 3: "real-bug", 4: "substantial"}


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def issue(number: int, title: str = "", repo: str = REPO, state: str = "open") -> Issue:
    return Issue(
        repo=repo,
        number=number,
        title=title or f"issue {number}",
        body="",
        state=state,
        labels=[],
        assignees=[],
        author="someone",
        comments=0,
        reactions=0,
        created_at="2026-10-01T00:00:00Z",
        updated_at="2026-10-01T00:00:00Z",
        closed_at=None,
        url=f"https://github.com/{repo}/issues/{number}",
    )


def step(stage: int, number: int, skills: list[str], repo: str = REPO) -> PlanStep:
    return PlanStep(
        stage=stage,
        issue=issue(number, repo=repo),
        modules=[],
        difficulty=Difficulty(stage, []),
        fit=SkillFit(skills, skills, []),
        taken=TakenStatus("fresh"),
        why=[],
        start_reading=[],
        tests=[],
        test_command="",
        reviewers=[],
        setup_notes=[],
        effort="1 day",
    )


def make_plan(
    steps: dict[int, list[tuple[int, list[str]]]],
    candidates: dict[int, list[tuple[int, list[str]]]] | None = None,
    repo: str = REPO,
) -> Plan:
    """A plan with the given (number, skills) steps and spare candidates per stage."""
    stages = []
    for number in range(1, 5):
        stage_steps = [step(number, n, s, repo) for n, s in steps.get(number, [])]
        cands = [
            IssueAssessment(
                issue(n, repo=repo), [], Difficulty(number, []), s, TakenStatus("fresh")
            )
            for n, s in (candidates or {}).get(number, [])
        ]
        stages.append(Stage(number, STAGE_KEYS[number], f"stage {number}", "", stage_steps, cands))
    return Plan(
        repo=repo,
        generated_at="2026-11-01T09:00:00Z",
        data_fetched_at="2026-11-01T09:00:00Z",
        skills=["python"],
        stages=stages,
        contributing=ContributingSummary("", [], [], [], []),
        options={"skills": ["python"]},
    )


def entry(
    number: int,
    stage: int,
    status: StepStatus,
    *,
    flag: str = "",
    skills: list[str] | None = None,
    created: int = 0,
    repo: str = REPO,
    replacement: int | None = None,
) -> ProgressEntry:
    stamp = at(created).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ProgressEntry(
        repo=repo,
        issue_number=number,
        stage=stage,
        status=status,
        created_at=stamp,
        updated_at=stamp,
        title=f"issue {number}",
        skills=skills or [],
        flag=flag,
        replacement=replacement,
    )
