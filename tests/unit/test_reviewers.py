"""Who reviews a step: code owners, then the areas' recent authors, each person once."""

from __future__ import annotations

from planfixtures import make_code_map
from prready.analysis.ownership import CodeOwners
from prready.analysis.reviewers import step_reviewers
from prready.code_models import AreaInfo


def _area(**fields: object) -> AreaInfo:
    return AreaInfo("lightning.pytorch", ["src/lightning/pytorch/"], [], {}, **fields)  # type: ignore[arg-type]


def test_a_login_in_another_case_is_the_same_person() -> None:
    # Lightning #17697: "@borda (code owner)" and "@Borda (6 recent commits here)" on one card.
    area = _area(owners=["@borda"], recent_logins=[("Borda", 6), ("awaelchli", 4)])
    people = step_reviewers([area], [], make_code_map(), CodeOwners([]))
    assert people == ["@borda (code owner)", "@awaelchli (4 recent commits here)"]


def test_logins_of_two_areas_in_two_cases_add_up_once() -> None:
    first = _area(recent_logins=[("Borda", 2)])
    second = _area(recent_logins=[("borda", 3)], recent_authors=[("Jirka B", 3)],
                   author_logins={"Jirka B": "BORDA"})  # fmt: skip
    assert step_reviewers([first, second], [], make_code_map(), CodeOwners([])) == [
        "@Borda (5 recent commits here)"
    ]
