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


def test_a_name_that_is_a_login_seen_in_the_issues_is_that_login() -> None:
    # flax: "vfdev-5 (no GitHub login)" while vfdev-5 writes in its issues; "Flax Team" is
    # no one to ask.
    area = _area(recent_authors=[("vfdev-5", 4), ("Cristian Garcia", 5), ("Flax Team", 9)])
    people = step_reviewers([area], [], make_code_map(), CodeOwners([]), {"VFDEV-5", "x"})
    assert people == [
        "Cristian Garcia (5 recent commits here; no GitHub login in the history)",
        "@VFDEV-5 (4 recent commits here)",
    ]
    # Without the issues' logins the name stays a name.
    alone = step_reviewers([area], [], make_code_map(), CodeOwners([]))
    assert "vfdev-5 (4 recent commits here; no GitHub login in the history)" in alone


def test_one_commit_authors_are_left_out_beside_regular_ones() -> None:
    # peft: one-off contributors listed next to the maintainers.
    area = _area(recent_logins=[("BenjaminBossan", 40), ("blipbyte", 1), ("Chessing234", 1)])
    assert step_reviewers([area], [], make_code_map(), CodeOwners([])) == [
        "@BenjaminBossan (40 recent commits here)"
    ]
    # ...and beside a code owner; alone they are all there is.
    owned = _area(owners=["@maint"], recent_logins=[("blipbyte", 1)])
    assert step_reviewers([owned], [], make_code_map(), CodeOwners([])) == ["@maint (code owner)"]
    only = _area(recent_logins=[("blipbyte", 1), ("Chessing234", 1)])
    assert len(step_reviewers([only], [], make_code_map(), CodeOwners([]))) == 2


def test_a_name_spelled_as_a_login_of_the_issues_is_that_login() -> None:
    # jax: "Peter Hawkins (no GitHub login)" while @hawkinsp writes in its issues; a first
    # name alone is no one in particular.
    area = _area(recent_authors=[("Peter Hawkins", 9), ("Sayak Paul", 4), ("Peter", 5)])
    known = {"hawkinsp", "SayakPaul", "peter"}
    assert step_reviewers([area], [], make_code_map(), CodeOwners([]), known) == [
        "@hawkinsp (9 recent commits here)",
        "Peter (5 recent commits here; no GitHub login in the history)",
        "@SayakPaul (4 recent commits here)",
    ]
