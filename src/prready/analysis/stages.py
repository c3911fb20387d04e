"""The plan's four stages, defined once: their numbers, keys, titles, goals, difficulty
bands and the short names progress lines use. The planner, the stage rules, the progress
summary, the renderers and the plan options all read them from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the CLI's help reads this module, and stays cheap
    from prready.models import StageKey


@dataclass(frozen=True)
class StageSpec:
    number: int
    key: StageKey
    title: str  # a plan's heading
    goal: str
    low: int  # difficulty band
    high: int
    name: str  # in status and progress lines ("small fix")


STAGES: dict[int, StageSpec] = {
    1: StageSpec(
        1,
        "first-contact",
        "First contact",
        "Learn the workflow (build, lint, test, review) on a docs, tests or typing change.",
        1,
        2,
        "first contact",
    ),
    2: StageSpec(
        2,
        "small-fix",
        "A small fix",
        "Fix a small, well-understood problem in code you have started to read.",
        1,
        3,
        "small fix",
    ),
    3: StageSpec(
        3,
        "real-bug",
        "A real bug",
        "Reproduce, diagnose and fix a real bug, with a regression test.",
        2,
        4,
        "real bug",
    ),
    4: StageSpec(
        4,
        "substantial",
        "A substantial contribution",
        "The litmus test: a feature or serious bug fix that maintainers review in depth.",
        3,
        5,
        "substantial PR",
    ),
}
# The bands overlap (a real bug rated 2 is still a real bug); what keeps difficulty from
# falling is the floor: a stage never takes an issue easier than an earlier stage's step.

STAGE_NUMBERS: tuple[int, ...] = tuple(STAGES)  # (1, 2, 3, 4): every stage, in order
FIRST_STAGE, LAST_STAGE = STAGE_NUMBERS[0], STAGE_NUMBERS[-1]
# Each stage by what it is, for the rules that differ per stage.
FIRST_CONTACT, SMALL_FIX, REAL_BUG, SUBSTANTIAL = STAGE_NUMBERS
OUTSIDE_PLAN = 0  # the stage of an issue tracked without being a step of the plan
STAGE_NAMES: dict[int, str] = {OUTSIDE_PLAN: "outside the plan"} | {
    n: spec.name for n, spec in STAGES.items()
}


@dataclass(frozen=True)
class OptionNames:
    """What a plan's notes call the options a user can change (a note says "raise
    {max_difficulty} to 4"). Neutral words by default; the CLI passes its flags
    (`render.advice.PLAN_FLAGS`), so analysis never spells a command-line flag."""

    per_stage: str = "per-stage"
    max_difficulty: str = "max difficulty"
    exclude_label: str = "exclude-label"
    module: str = "module"
    hardware: str = "hardware"


OPTION_WORDS = OptionNames()
