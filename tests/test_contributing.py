"""Contributing-guide summary: commands in order and the rules contributors must follow."""

from __future__ import annotations

from planfixtures import CONTRIBUTING
from prready.analysis.contributing import summarise_contributing


def test_commands_and_rules_from_a_guide() -> None:
    s = summarise_contributing(CONTRIBUTING, "CONTRIBUTING.md")
    assert s.source == "CONTRIBUTING.md"
    assert s.build == ["pip install -e ."]
    assert s.lint == ["ruff check ."]
    assert s.test == ["python -m pytest tests/"]
    assert any(r.startswith("Sign the Contributor License Agreement") for r in s.rules)
    assert any(r.startswith("No pull requests written by AI tools or agents") for r in s.rules)
    assert not any(r.startswith("Disclose") for r in s.rules)


def test_pytorch_style_guide() -> None:
    text = """
Install from source:

```bash
$ git clone https://github.com/pytorch/pytorch
$ USE_CUDA=0 python setup.py develop
```

Lint with `lintrunner -a`. Run `python test/run_test.py -i test_nn` for tests.
Every commit must carry a Signed-off-by line (DCO), use git commit -s.
If you used an LLM to help, please disclose it in the PR description.
For big features, please open an issue first to discuss the design.
"""
    s = summarise_contributing(text, "CONTRIBUTING.md")
    assert s.build == ["USE_CUDA=0 python setup.py develop"]
    assert s.lint == ["lintrunner -a"]
    assert s.test == ["python test/run_test.py -i test_nn"]
    rules = " | ".join(s.rules)
    assert "DCO" in rules and "Disclose any AI assistance" in rules
    assert "Discuss in an issue before starting a large change" in rules
    assert "No pull requests written by AI" not in rules


def test_empty_or_benign_guide() -> None:
    empty = summarise_contributing("", "")
    assert (empty.source, empty.build, empty.lint, empty.test, empty.rules) == ("", [], [], [], [])
    benign = summarise_contributing("Thanks for helping! Be kind.", "CONTRIBUTING.md")
    assert benign.rules == [] and benign.source == "CONTRIBUTING.md"


def test_long_quotes_and_control_characters_are_bounded() -> None:
    text = "You must sign the CLA \x1b[31m" + "really " * 100 + "before merging."
    s = summarise_contributing(text, "C.md")
    assert len(s.rules) == 1 and "\x1b" not in s.rules[0] and len(s.rules[0]) < 300
