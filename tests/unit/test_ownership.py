"""One glob matching (gitignore semantics, by pathspec) for CODEOWNERS rules and label path rules."""

from __future__ import annotations

import pytest

from prready.analysis.ownership import CodeOwners, compile_glob, parse_codeowners, parse_labeler


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/torch/nn/", "torch/nn/modules/conv.py", True),  # a folder covers what is below it
        ("/torch/nn/", "torch/nnx.py", False),
        ("torch/nn", "torch/nn/functional.py", True),  # a slash inside anchors at the root
        ("nn/qat/", "torch/nn/qat/x.py", False),
        ("nn", "torch/nn/x.py", True),  # no slash: any depth
        ("setup.py", "pkg/setup.py", True),
        ("*.md", "docs/a/b.md", True),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/a/b.py", False),  # `*` stays within a folder
        ("docs/*", "docs/a/b.md", True),  # ... but matching the folder docs/a covers b.md
        ("src/**/test_*.py", "src/test_x.py", True),
        ("src/**/test_*.py", "src/a/b/test_x.py", True),
        ("a?c", "abc", True),
        ("[ab].py", "b.py", True),
    ],
)
def test_gitignore_semantics(pattern: str, path: str, expected: bool) -> None:
    assert compile_glob(pattern).matches(path) is expected


@pytest.mark.parametrize("pattern", ["", "# a comment", "!torch/", "[z-a]", "a\\"])
def test_unreadable_or_negated_patterns_match_nothing(pattern: str) -> None:
    glob = compile_glob(pattern)
    assert not glob.matches("a") and not glob.matches("torch/x.py")


def test_last_matching_codeowners_rule_wins() -> None:
    rules, labels = parse_codeowners(
        "* @everyone\n/torch/ @core\n# label: module: nn\n/torch/nn/ @nn-team me@example.com\n"
        "!/torch/nn/x.py @ignored\n"
    )
    owners = CodeOwners(rules)
    assert owners.owners_for("torch/nn/conv.py") == ["@nn-team", "me@example.com"]
    assert owners.owners_for("torch/optim/sgd.py") == ["@core"]
    assert owners.owners_for("README.md") == ["@everyone"]
    assert CodeOwners([]).owners_for("README.md") == []
    assert labels == {"module: nn": ["/torch/nn/"]}


def test_labeler_globs_match_like_codeowners_globs() -> None:
    rules = parse_labeler('"module: docs":\n  - docs/**\n  - "*.md"\nci:\n- changed-files:\n  - any-glob-to-any-file: [".github/*"]\n')
    assert rules == {"module: docs": ["docs/**", "*.md"], "ci": [".github/*"]}
    docs = [compile_glob(g) for g in rules["module: docs"]]
    assert [any(g.matches(p) for g in docs) for p in ("docs/a/b.rst", "x/README.md", "src/a.py")] == [
        True,
        True,
        False,
    ]
    assert compile_glob(".github/*").matches(".github/workflows/ci.yml")
