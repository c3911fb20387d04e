"""Contributing-guide summary: commands in order and the rules contributors must follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from planfixtures import CONTRIBUTING
from prready.analysis.contributing import (
    DOCS_CLOSED_RULE,
    readme_contributing_section,
    summarise_contributing,
)


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


def test_tests_a_change_must_bring_not_what_running_them_requires() -> None:
    needs = summarise_contributing("- `expecttest` - required to run tests\n", "CONTRIBUTING.md")
    assert needs.rules == []
    rule = summarise_contributing("Every pull request must include tests.", "CONTRIBUTING.md")
    assert [r.split(" (")[0] for r in rule.rules] == ["Include tests with your change"]
    # A checklist's imperative (trl's, accelerate's, Lightning's): a rule too.
    for text in (
        "5. Add high-coverage tests. No quality testing = no merge.",
        "- [ ] Add/update the relevant tests!",
        "Write tests for new functionality.",
    ):
        rules = summarise_contributing(text, "CONTRIBUTING.md").rules
        assert [r.split(" (")[0] for r in rules] == ["Include tests with your change"], text
    # Advice on how to test is none ("first write a Python test script that ..."), nor a
    # sentence that only goes on to tests.
    for text in (
        "First write a test script that shows it.",
        "Add support for new models; see tests.",
    ):
        assert summarise_contributing(text, "x.md").rules == [], text
    single = summarise_contributing("Add a test for each fix.", "x.md").rules
    assert [r.split(" (")[0] for r in single] == ["Include tests with your change"]


def test_a_command_to_fill_in_is_no_command() -> None:
    """trl's `pytest tests/<TEST_TO_RUN>.py` is a template; a shell variable is set, not
    filled in (PyG's `torch-${TORCH}+${CUDA}.html`). `make precommit` runs the linters."""
    guide = (
        "```bash\n$ pytest tests/<TEST_TO_RUN>.py\n$ python -m pytest -sv ./tests\n"
        "$ make precommit\n$ pip install pyg-lib -f https://data.pyg.org/whl/torch-${TORCH}.html\n```\n"
    )
    summary = summarise_contributing(guide, "CONTRIBUTING.md")
    assert summary.test == ["python -m pytest -sv ./tests"]
    assert summary.lint == ["make precommit"]
    assert summary.build == ["pip install pyg-lib -f https://data.pyg.org/whl/torch-${TORCH}.html"]


def test_empty_or_benign_guide() -> None:
    empty = summarise_contributing("", "")
    assert (empty.source, empty.build, empty.lint, empty.test, empty.rules) == ("", [], [], [], [])
    benign = summarise_contributing("Thanks for helping! Be kind.", "CONTRIBUTING.md")
    assert benign.rules == [] and benign.source == "CONTRIBUTING.md"


def test_long_quotes_and_control_characters_are_bounded() -> None:
    text = "You must sign the CLA \x1b[31m" + "really " * 100 + "before merging."
    s = summarise_contributing(text, "C.md")
    assert len(s.rules) == 1 and "\x1b" not in s.rules[0] and len(s.rules[0]) < 300


def test_commands_come_from_code_blocks_of_every_markdown_shape() -> None:
    text = """\
## Build

~~~console
$ python setup.py develop   # the first build takes a while
~~~

Indented blocks are code too:

    pip install -e .

- In a list item:

  ```bash
  pytest tests/test_nn.py -k conv
  ```

```python
# make -j8 inside a Python block is not a command to type
import os; os.system("make -j8")
```

Run `lintrunner -a` (one-word spans such as `pytest` name a tool, not a command).
"""
    s = summarise_contributing(text, "CONTRIBUTING.md")
    assert s.build == ["python setup.py develop", "pip install -e ."]
    assert s.test == ["pytest tests/test_nn.py -k conv"]
    assert s.lint == ["lintrunner -a"]


def test_rules_are_read_in_prose_only() -> None:
    text = "```bash\n# sign the CLA: git commit -s\necho CLA\n```\n\nBe kind.\n"
    assert summarise_contributing(text, "C.md").rules == []


def test_the_python_only_fast_path_is_found() -> None:
    text = """\
## Nightly Checkout & Pull

```bash
./tools/nightly.py checkout -b my-nightly-branch
conda activate pytorch-deps
```

You can also pull with `./tools/nightly.py pull -n my-env`.
"""
    s = summarise_contributing(text, "CONTRIBUTING.md")
    assert s.python_only == [
        "./tools/nightly.py checkout -b my-nightly-branch",
        "./tools/nightly.py pull -n my-env",
    ]
    assert summarise_contributing("Run `pip install -e .`", "C.md").python_only == []


def test_linters_are_no_build_and_a_bare_pip_install_is_no_command() -> None:
    """accelerate's guide: `make style` / `make quality` run linters and `pip install
    pre-commit` installs one (lint, not build); "sans the `pip install` line" names
    nothing to install (no command at all)."""
    guide = (
        '```bash\n$ pip install -e ".[dev]"\n```\n\n```bash\n$ make style\n```\n\n'
        "```bash\n$ make quality\n```\n\n```bash\n$ pip install pre-commit\n"
        "$ pre-commit install\n```\n\n```bash\n$ python -m pytest -sv ./tests\n```\n\n"
        "That's how `make test` is implemented (sans the `pip install` line)!\n"
    )
    summary = summarise_contributing(guide, "CONTRIBUTING.md")
    assert summary.build == ['pip install -e ".[dev]"']
    assert summary.lint == ["make style", "make quality", "pip install pre-commit",
                            "pre-commit install"]  # fmt: skip
    assert summary.test == ["python -m pytest -sv ./tests", "make test"]


def test_a_readmes_contributing_section_is_the_guide() -> None:
    """tinygrad has no CONTRIBUTING file: its README's "Contributing" section (up to the
    next heading of its level, never a `#` line inside a code fence) is read as the guide,
    and its ban on docs-only pull requests is a house rule."""
    readme = (
        "# tinygrad\n\nIntro `pip install nothing-here`.\n\n## Contributing\n\n"
        "All docs and whitespace changes will be closed unless you are a well-known "
        "contributor.\n\n### Running tests\n\n```sh\n# not a heading\n"
        "python3 -m pytest test/\n```\n\n## License\n\nMIT, run `make install` too.\n"
    )
    section = readme_contributing_section(readme)
    assert section.startswith("All docs") and "python3 -m pytest test/" in section
    assert "License" not in section and "nothing-here" not in section
    summary = summarise_contributing(section, "README.md (Contributing)")
    assert summary.test == ["python3 -m pytest test/"] and summary.build == []
    assert summary.rules[0].startswith(DOCS_CLOSED_RULE)
    assert readme_contributing_section("# x\n\n## Install\n\npip install x\n") == ""
    plain = summarise_contributing("Docs fixes are welcome! Tests will be run in CI.", "C.md")
    assert not any(r.startswith(DOCS_CLOSED_RULE) for r in plain.rules)


@pytest.mark.slow
def test_pytorch_guide(pytorch_tree: Path) -> None:
    text = (pytorch_tree / "CONTRIBUTING.md").read_text(encoding="utf-8")
    s = summarise_contributing(text, "CONTRIBUTING.md")
    assert "python setup.py develop" in s.build
    assert s.python_only[0] == "./tools/nightly.py checkout -b my-nightly-branch"
    assert "python test/run_test.py" in s.test
    assert "pytest test/test_nn.py -k Loss -v" in s.test
    # "`expecttest` and `hypothesis` - required to run tests" is no rule to add tests.
    assert not any(r.startswith("Include tests") for r in s.rules), s.rules


def test_an_ai_folder_or_a_welcome_is_no_ban_and_a_go_ahead_rule_is_read() -> None:
    # diffusers' guide (paraphrased): a folder of agent files contributors must not edit,
    # AI help welcome under conditions, and a maintainer's go-ahead before any PR.
    text = """
The library offers state-of-the-art diffusion models for generative AI applications.

Please do not edit files under `.ai/` (or the generated `AGENTS.md`) in your PR.

AI-assisted contributions are welcome, but PRs that skip these steps may be closed.

Find or open an issue and wait for an explicit acknowledgment from a maintainer on it before opening a PR.
"""
    rules = [r.split(" (")[0] for r in summarise_contributing(text, "CONTRIBUTING.md").rules]
    assert rules == ["Wait for a maintainer's go-ahead on the issue before opening a pull request"]
    banned = summarise_contributing(
        "Pull requests written by AI agents will be closed.", "CONTRIBUTING.md"
    ).rules
    assert [r.split(" (")[0] for r in banned] == ["No pull requests written by AI tools or agents"]


def test_a_ban_in_a_sentences_other_clause_and_a_go_ahead_only_from_people() -> None:
    def rules(text: str) -> list[str]:
        return [r.split(" (")[0] for r in summarise_contributing(text, "CONTRIBUTING.md").rules]

    ban = "No pull requests written by AI tools or agents"
    assert rules("We welcome contributions, but AI-generated PRs will be closed.") == [ban]
    assert rules("PRs that are AI generated will be rejected; small AI help is welcome.") == [ban]
    assert rules("Before submitting a pull request, wait for CI to pass.") == []
    assert rules("Wait for CI to confirm the build before opening the pull request.") == []


def test_an_allowance_of_ai_tools_bans_nothing() -> None:
    # jax's docs/contributing.md: tools are allowed "as long as" the CLA holds.
    allowed = (
        "This doesn't prohibit the use of coding assistance tools, including tool-, AI-, or "
        "machine-generated code, as long as these submissions abide by the CLA's requirements."
    )
    rules = summarise_contributing(allowed, "CONTRIBUTING.md").rules
    assert not any(r.startswith("No pull requests written by AI") for r in rules), rules
    ai_written = "AI-written pull requests are not allowed and will be closed."
    assert summarise_contributing(ai_written, "CONTRIBUTING.md").rules[0].startswith(
        "No pull requests written by AI tools or agents"
    )


def test_the_guide_is_found_in_any_case_and_through_a_pointer_to_the_docs(
    tmp_path: Path,
) -> None:
    """flax keeps `contributing.md` (lower case) saying only "Please see https://.../
    contributing.html", and its guide in docs_nnx/contributing.md; jax's CONTRIBUTING.md
    points at docs/contributing.md the same way."""
    from prready.app.map import _contributing_guide

    guide = "# Contributing\n\n```bash\npip install -e '.[testing]'\npytest tests/\n```\n"
    files = {
        "contributing.md": "# How to Contribute\n\nPlease see "
        "https://flax.readthedocs.io/en/latest/contributing.html for more information.\n",
        "docs_nnx/contributing.md": guide,
        "examples/docs_demo/CONTRIBUTING.md": guide + "more words " * 50,  # (no docs)
        "docs/contributing.rst": "See https://example.org/contributing.html\n",  # (a pointer too)
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert _contributing_guide(tmp_path, set(files)) == ("docs_nnx/contributing.md", guide)
    # A guide of its own is the guide, however short.
    own = "# Contributing\n\nRun `pytest` before you open a pull request.\n"
    (tmp_path / "contributing.md").write_text(own, encoding="utf-8")
    assert _contributing_guide(tmp_path, set(files)) == ("contributing.md", own)
    assert _contributing_guide(tmp_path, {"docs_nnx/contributing.md"}) == ("", "")


def test_notes_for_agents_give_the_rules_that_bind_people_too() -> None:
    # peft's AGENTS.md: ask first; no one-off typo PRs (aimed at agents); AI disclosure.
    from prready.analysis.contributing import agent_rules

    notes = (
        "## Coordination before coding\n\n"
        "- If you plan to work on an existing issue, ask first and only proceed after "
        "maintainer approval to avoid duplicate work.\n"
        "- Do not open one-off PRs for tiny edits (single typo, isolated lint cleanup, etc.).\n"
        "- Disclose in the pull request that an AI agent wrote the code.\n"
    )
    assert agent_rules(notes, "AGENTS.md") == [
        "Wait for a maintainer's go-ahead on the issue before opening a pull request "
        '(AGENTS.md: "If you plan to work on an existing issue, ask first and only proceed after '
        'maintainer approval to avoid duplicate work.")'
    ]


def test_made_up_files_bare_options_and_copy_checks() -> None:
    guide = (
        "Run `make fix-copies` after editing copied code, then `pip install -e .[test]`.\n\n"
        "Run `RUN_SLOW=1 python -m pytest tests/test_my_new_model.py` for your model, or "
        "`pytest -k` with a name, or `pytest tests/test_models.py`.\n\n"
        "The use of an AI agent that autonomously writes code and submits pull requests is "
        "not permitted in the project.\n"
    )
    s = summarise_contributing(guide, "CONTRIBUTING.md")
    assert s.build == ["pip install -e .[test]"]
    assert s.lint == ["make fix-copies"]
    assert s.test == ["pytest tests/test_models.py"]
    assert s.rules[0].startswith("No pull requests written by AI tools or agents")
