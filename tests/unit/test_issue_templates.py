"""What a repository's issue templates put into an issue's text, and taking it out: the
Markdown templates' prompts and comments, the forms' labels and checkboxes, title prefixes."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from prready.analysis.issue_templates import (
    TemplateText,
    answered,
    as_reported,
    normalize,
    reporter_text,
    template_paths,
    template_text,
    without_comments,
    without_template,
)
from prready.models import Issue

# A Markdown template in the shape many repositories use (front matter, bold prompts, a
# field list answered on the same line, HTML comments).
MARKDOWN = """---
name: Bug report
about: Something is broken
title: "[BUG] "
labels: bug
---

<!-- Search the open issues before filing a new one. -->

**Describe the bug**
A clear description of what the bug is.

**To Reproduce**
Steps to reproduce the behaviour:
1. Load '...'
2. See error

**Screenshots**
If applicable, add screenshots to help explain your problem.

## Environment
- Operating System:
- Compiler version:
"""

# An issue form: labels become headings, checkbox options are written `- [X] label`, a
# dropdown's options are the reporter's choice.
FORM = """name: Bug report
description: File a bug
title: "[Bug]: "
body:
  - type: markdown
    attributes:
      value: Thanks for taking the time to fill out this report!
  - type: textarea
    id: description
    attributes:
      label: Describe the bug
      description: Tell us what went wrong, with a minimal example.
      placeholder: A clear and concise description
    validations:
      required: true
  - type: checkboxes
    attributes:
      label: Checklist
      options:
        - label: I searched the existing issues
          required: true
  - type: dropdown
    attributes:
      label: Backend
      options:
        - CUDA
        - MPS
"""


def _template() -> TemplateText:
    return TemplateText.from_plain(
        template_text(
            {".github/ISSUE_TEMPLATE/bug.md": MARKDOWN, ".github/ISSUE_TEMPLATE/bug.yml": FORM}
        )
    )


def test_template_files_are_where_github_looks_for_them() -> None:
    files = [
        ".github/ISSUE_TEMPLATE/bug-report.yml",
        ".github/ISSUE_TEMPLATE/config.yml",  # the chooser: no text reaches an issue
        ".github/ISSUE_TEMPLATE/FEATURE.md",
        ".github/ISSUE_TEMPLATE/nested/old.md",
        ".github/issue_template.md",
        ".github/workflows/ci.yml",
        "docs/ISSUE_TEMPLATE.md",
        "src/pkg/issue_template.md",
    ]
    assert template_paths(files) == [
        ".github/ISSUE_TEMPLATE/FEATURE.md",
        ".github/ISSUE_TEMPLATE/bug-report.yml",
        ".github/issue_template.md",
        "docs/ISSUE_TEMPLATE.md",
    ]


def test_template_text_reads_markdown_prompts_form_fields_and_titles() -> None:
    plain = template_text(
        {".github/ISSUE_TEMPLATE/bug.md": MARKDOWN, ".github/ISSUE_TEMPLATE/bug.yml": FORM}
    )
    lines = set(plain["lines"])
    assert {"describe the bug", "to reproduce", "screenshots", "environment"} <= lines
    assert "if applicable, add screenshots to help explain your problem." in lines
    assert {"checklist", "i searched the existing issues"} <= lines
    # A field's description and placeholder, and the form's markdown, stay on the form.
    assert not {"tell us what went wrong, with a minimal example."} & lines
    assert not {"thanks for taking the time to fill out this report!", "file a bug"} & lines
    assert "backend" in lines and not {"cuda", "mps"} & lines  # a dropdown's options are answers
    assert "name: bug report" not in lines  # front matter is no issue text
    assert {"operating system", "steps to reproduce the behaviour"} <= set(plain["labels"])
    assert plain["titles"] == ["[bug]", "[bug]:"]
    assert template_text({}) == {}
    # A form with no field gives nothing.
    assert template_text({".github/ISSUE_TEMPLATE/x.yml": "body: [unclosed"}) == {}
    assert template_text({".github/ISSUE_TEMPLATE/x.yml": "- a\n- b\n"}) == {}


def test_a_forms_block_and_quoted_values_are_read_as_yaml_gives_them() -> None:
    """The form is read line by line (no YAML library); every real form tried (34, of the
    development set's repositories and PyTorch 1.13.1) gives the lines PyYAML gives."""
    form = (
        "name: 'Bug'\n"
        'title: "[Bug]: "\n'
        "body:\n"
        "  - type: markdown\n"
        "    attributes:\n"
        "      value: >\n"
        "        Shown on the form only.\n"
        "  - type: textarea\n"
        "    attributes:\n"
        "      label: 'It''s broken'\n"
        "      value: |\n"
        "        ```python\n"
        "        # Paste your code here\n"
        "        ```\n"
        "      description: |-\n"
        "        Also on the form only.\n"
        '  - type: "checkboxes"\n'
        "    attributes:\n"
        "      label: Checks  # a comment\n"
        "      options:\n"
        '        - label: "I read the \\"FAQ\\""\n'
        "          required: true\n"
    )
    plain = template_text({".github/ISSUE_TEMPLATE/bug.yml": form})
    assert plain["lines"] == [
        "checks",
        'i read the "faq"',
        "it's broken",
        "paste your code here",
        "python",
    ]
    assert plain["titles"] == ["[bug]:"]
    assert plain["blocks"] == ["paste your code here"]


def test_reading_a_hostile_template_is_linear() -> None:
    """A checkout's templates are untrusted: a 400 KB line of spaces in a key's value or a
    front matter's title, or a flood of marks, is read in linear time."""
    spaces = " " * 400_000
    start = time.perf_counter()
    form = f"body:\n  - type: input\n    attributes:\n      label: a{spaces}b\n"
    assert template_text({".github/ISSUE_TEMPLATE/x.yml": form}) == {}  # (no prompt so long)
    titled = template_text({".github/ISSUE_TEMPLATE/x.md": f"---\ntitle: a{spaces}b\n---\n"})
    assert titled["titles"] == [f"a{spaces}b"]
    assert template_text({".github/ISSUE_TEMPLATE/x.md": "> - [ ] " * 100_000}) == {}
    valued = template_text({".github/ISSUE_TEMPLATE/x.yml": "  - value: |\n" + "      x y\n" * 99})
    assert valued["lines"] == ["x y"]
    assert time.perf_counter() - start < 3.0


def test_normalize_ignores_marks_emphasis_case_and_a_closing_colon() -> None:
    assert normalize("  ### 🐛 **Describe the bug**: ") == "🐛 describe the bug"
    assert normalize("- [X] I searched the existing issues") == "i searched the existing issues"
    assert normalize("> 1. `Load` the model") == "load the model"
    assert normalize("#include <x.h>") == "#include <x.h>"  # no heading without a space


def test_without_template_keeps_only_the_reporters_words() -> None:
    body = (
        "**Describe the bug**\n"
        "A clear description of what the bug is.\n"
        "`load_shard` drops the last shard when the count is odd.\n\n"
        "**Screenshots**\n"
        "If applicable, add screenshots to help explain your problem.\n\n"
        "### Checklist\n\n- [X] I searched the existing issues\n\n"
        "### Backend\n\nMPS\n\n"
        "### Logs\n\n_No response_\n\n"
        "- Operating System: Ubuntu 22.04\n"
        "```python\n# Describe the bug\nload_shard(path)\n```\n"
    )
    title, kept = without_template("[Bug]: load_shard loses a shard", body, _template())
    assert title == "load_shard loses a shard"
    assert "drops the last shard" in kept
    for gone in ("Describe the bug**", "clear description", "Screenshots", "searched", "_No"):
        assert gone not in kept.split("```")[0], gone
    assert "\nMPS\n" in kept  # a dropdown's answer is the reporter's
    assert "Ubuntu 22.04" in kept and "Operating System" not in kept  # the answer stays
    assert "# Describe the bug\nload_shard(path)" in kept  # code blocks are the reporter's
    # A title that is only the prefix, or another repository's tag, stays as written.
    assert without_template("[Bug]:", "", _template())[0] == "[Bug]:"
    assert without_template("[MPS] conv is wrong", "", _template())[0] == "[MPS] conv is wrong"
    # Without templates only the form's `_No response_` goes.
    assert without_template("t", "a\n_No response_\nb", TemplateText()) == ("t", "a\nb")


def test_without_comments_drops_closed_comments_only_and_is_linear() -> None:
    assert without_comments("a <!-- hidden\nprompt --> b <!-- c --> d") == "a  b  d"
    assert without_comments("a <!-- never closed b") == "a <!-- never closed b"
    start = time.perf_counter()
    without_comments("<!--" * 200_000 + "x")
    without_comments("<!-- -->" * 200_000)
    assert time.perf_counter() - start < 2.0


def test_code_blocks_are_kept_whole_however_fenced_and_the_work_is_linear() -> None:
    template = _template()
    body = (
        "**Describe the bug**\n~~~\n**Describe the bug**\n- Operating System: x\n~~~\n"
        "Describe the bug\n```python\nprint('A clear description of what the bug is.')\n"
        "A clear description of what the bug is.\n"  # (the block is never closed)
    )
    kept = without_template("t", body, template)[1]
    assert kept == (
        "~~~\n**Describe the bug**\n- Operating System: x\n~~~\n"
        "```python\nprint('A clear description of what the bug is.')\n"
        "A clear description of what the bug is.\n"
    )
    # The template's own example block, left in place, is the template's.
    example = "**To Reproduce**\n```python\nimport tinyml\nprint(tinyml.ones(3))\n```\n"
    with_example = TemplateText.from_plain(template_text({"bug.md": example}))
    kept = without_template(
        "t", example + "My code:\n```python\nimport tinyml\n```\n", with_example
    )
    assert kept[1] == "My code:\n```python\nimport tinyml\n```\n"
    start = time.perf_counter()
    without_template("t", "**Describe the bug**\n```\n- Operating System: a\n" * 50_000, template)
    without_template("t", "- [ ] " * 200_000 + ":" * 100_000, template)
    assert time.perf_counter() - start < 3.0


_REPRODUCE = re.compile("reproduc")


def test_answered_sees_the_reporters_words_under_a_templates_section() -> None:
    template = _template()
    prompts_only = "**To Reproduce**\nSteps to reproduce the behaviour:\n1. Load '...'\n2. See error\n"
    assert not answered(prompts_only + "**Screenshots**\nMy words.\n", template, _REPRODUCE)
    steps = prompts_only.replace("2. See error", "2. Call `load_shard(path)` twice")
    assert answered(steps, template, _REPRODUCE)
    # Under a heading no other section follows: to the end; `_No response_` is nothing.
    form = "### Describe the bug\n\nIt fails.\n\n### To Reproduce\n\n_No response_\n"
    assert not answered(form, template, _REPRODUCE)
    assert answered(form + "`load_shard(p)`\n", template, _REPRODUCE)
    # Without a template, or when a sentence asks for the reproduction, no section opens.
    assert not answered(steps, TemplateText(), _REPRODUCE)
    prose = (
        "Please:\n- [ ] Provide a complete example of how to reproduce the bug, wrapped in "
        "triple backticks like this:\n\n```python\nimport tinyml\n```\n"
    )
    sentence = TemplateText.from_plain(template_text({"bug.md": prose}))
    assert not answered(prose + "\nAll of my report.\n", sentence, _REPRODUCE)


def test_as_reported_keeps_the_title_and_leaves_out_prompts_environment_and_empty_code() -> None:
    issue = Issue(
        repo="o/r", number=1, title="[BUG] load_shard loses a shard",
        body=(
            "**Describe the bug**\nA clear description of what the bug is.\nIt drops one.\n\n"
            "**To Reproduce**\nSteps to reproduce the behaviour:\n```\n```\n\n"
            "## Environment\n```\nCollecting environment information...\n"
            "Is CUDA available: True\n```\n"
        ),
        state="open", labels=[], assignees=[], author="a", comments=0, reactions=0,
        created_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z",
        closed_at=None, url="",
    )  # fmt: skip
    reported = as_reported(issue, _template())
    assert reported.title == issue.title  # a template's prefix says what kind of change
    assert reported.body.split() == ["It", "drops", "one."]
    plain = replace(issue, body="It drops one.")
    assert as_reported(plain, _template()) is plain


def test_a_reproduction_field_answered_on_its_labels_line_is_answered() -> None:
    template = _template()
    filed = "**To Reproduce**\nSteps to reproduce the behaviour: call `load_shard(p)` twice\n"
    assert answered(filed, template, _REPRODUCE)
    assert not answered("Operating System: Ubuntu\n", template, _REPRODUCE)
    # A code block of the reporter's in the section is an answer; the template's is not.
    block = "**To Reproduce**\n```python\nload_shard(p)\n```\n**Screenshots**\nA picture.\n"
    assert answered(block, template, _REPRODUCE)
    assert not answered(block.replace("load_shard(p)\n", ""), template, _REPRODUCE)


def test_windows_line_ends_unclosed_and_empty_blocks_and_a_hostile_heading() -> None:
    template = _template()
    steps = "**To Reproduce**\r\nSteps to reproduce the behaviour:\r\n1. Call `load_shard(p)`\r\n"
    assert answered(steps, template, _REPRODUCE)
    assert not answered("**To Reproduce**\r\n1. Load '...'\r\n**Screenshots**\r\nA.\r\n", template, _REPRODUCE)
    crlf = "**Describe the bug**\r\nA clear description of what the bug is.\r\nIt drops one.\r\n"
    assert reporter_text("t", crlf, template)[1].split() == ["It", "drops", "one."]
    # An unclosed block's one line is the reporter's code, not an empty block.
    unclosed = "### Describe the bug\n\nno crash\n\n```python\nimport tinyml; tinyml.solve(a)"
    assert "tinyml.solve(a)" in reporter_text("t", unclosed, template)[1]
    # An empty block is nothing written, with or without a template.
    assert reporter_text("t", "It crashes.\n\n```\n```\n", TemplateText())[1].strip() == "It crashes."
    # A bold line followed by a flood of spaces is read in linear time.
    start = time.perf_counter()
    answered("**Screenshots**" + " " * 200_000 + "::\n", template, _REPRODUCE)
    assert time.perf_counter() - start < 2.0
