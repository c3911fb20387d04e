"""Label taxonomy: spellings, areas, triage keys and config overrides."""

from __future__ import annotations

import pytest

from prready.analysis.labels import (
    classify_label,
    classify_labels,
    complete_labels,
    normalize_label,
    validate_overrides,
)
from prready.errors import UsageError
from prready.models import Label, LabelKind


@pytest.mark.parametrize(
    "name",
    [
        "good first issue", "Good First Issue", "good-first-issue", "good_first_issue",
        "GOOD FIRST ISSUE 🙋", "beginner", "easy", "starter", "newcomer", "small", "bootcamp",
        "Good Second Issue", "contributions welcome", "help wanted", "Help-Wanted",
        "OSS contribution wanted", "module: bootcamp",
    ],
)  # fmt: skip
def test_beginner_spellings(name: str) -> None:
    assert classify_label(name)[0] is LabelKind.BEGINNER


def test_beginner_value_is_canonical() -> None:
    assert classify_label("Good-First_Issue")[1] == "good-first-issue"
    assert classify_label("help wanted")[1] == "help-wanted"


@pytest.mark.parametrize(
    "name", ["bug", "Bug", "type: bug", "kind/bug", "Type: Bug 🐛", "bug report"]
)
def test_bug_spellings(name: str) -> None:
    assert classify_label(name) == (LabelKind.BUG, "bug")


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("module: nn", "nn"), ("Module: CUDA", "CUDA"), ("area/x", "x"), ("component: x", "x"),
        ("comp:x", "x"), ("oncall: distributed", "distributed"), ("module: sparse tensors", "sparse tensors"),
    ],
)  # fmt: skip
def test_area_labels_keep_their_area_name(name: str, area: str) -> None:
    assert classify_label(name) == (LabelKind.AREA, area)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("triaged", "triaged"), ("actionable", "actionable"),
        ("needs reproduction", "needs-reproduction"), ("Needs-Repro", "needs-reproduction"),
        ("stale", "stale"), ("wontfix", "wontfix"), ("won't fix", "wontfix"),
        ("high priority", "high-priority"), ("priority: high", "high-priority"),
    ],
)  # fmt: skip
def test_triage_labels(name: str, key: str) -> None:
    assert classify_label(name) == (LabelKind.TRIAGE, key)


@pytest.mark.parametrize(
    "name", ["enhancement", "compile", "module", "docs", "feature request", ""]
)
def test_other_labels(name: str) -> None:
    assert classify_label(name) == (LabelKind.OTHER, None)


def test_normalize_ignores_case_and_punctuation() -> None:
    assert normalize_label("  Good--First__Issue!! ") == "good first issue"


def test_overrides_add_and_replace_mappings() -> None:
    overrides = {
        "Needs Love": "beginner",
        "module: bootcamp": "other",
        "compiler-stuff": "area:inductor",
        "ci": "area",
        "P0": "triage",
        "enhancement": "bug",
    }
    assert classify_label("needs love", overrides)[0] is LabelKind.BEGINNER
    assert classify_label("Module: Bootcamp", overrides) == (LabelKind.OTHER, None)
    assert classify_label("Compiler Stuff", overrides) == (LabelKind.AREA, "inductor")
    assert classify_label("ci", overrides) == (LabelKind.AREA, "ci")
    assert classify_label("P0", overrides) == (LabelKind.TRIAGE, "p0")
    assert classify_label("enhancement", overrides) == (LabelKind.BUG, "bug")
    assert classify_label("good first issue", overrides)[0] is LabelKind.BEGINNER


def test_unknown_override_kind_is_one_line_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        validate_overrides({"x": "newbie"})
    assert "newbie" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(UsageError):
        classify_label("x", {"x": "newbie"})


def test_classify_labels_accepts_dicts_labels_and_names() -> None:
    out = classify_labels(
        [
            {"name": "module: nn", "color": "fff", "description": "nn things"},
            Label("bug", "f00"),
            "good first issue",
            {"name": ""},
        ]
    )
    assert [(x.name, x.kind, x.value) for x in out] == [
        ("module: nn", LabelKind.AREA, "nn"),
        ("bug", LabelKind.BUG, "bug"),
        ("good first issue", LabelKind.BEGINNER, "good-first-issue"),
    ]
    assert out[0].color == "fff" and out[0].description == "nn things"


def test_complete_labels_adds_the_names_issues_carry_once() -> None:
    stored = [Label("bug", color="d73a4a"), Label("docs")]
    out = complete_labels(stored, ["zeta", "bug", "good first issue", "zeta"], {"zeta": "area:z"})
    assert [(x.name, x.kind) for x in out] == [
        ("bug", LabelKind.BUG),
        ("docs", LabelKind.OTHER),
        ("good first issue", LabelKind.BEGINNER),
        ("zeta", LabelKind.AREA),
    ]
    assert out[0].color == "d73a4a" and out[3].value == "z"
