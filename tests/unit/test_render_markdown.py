"""GitHub-flavoured Markdown output: complete, literal for untrusted text, pings nobody."""

from __future__ import annotations

from dataclasses import replace

from markdown_it import MarkdownIt

from prready.render.markdown import md_code, md_text, render_markdown
from renderfixtures import sample_events, sample_plan, sample_progress


def gfm(text: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def test_document_has_every_section_and_step() -> None:
    md = render_markdown(sample_plan(), sample_progress(), sample_events())
    for heading in (
        "# Contribution plan: pytorch/pytorch",
        "## How this project takes contributions",
        "## Stage 1 · First contact",
        "## Stage 4 · Substantial PR",
        "## Progress",
        "### What you did",
        "## More candidates",
    ):
        assert heading in md
    assert md.count("\n### [#") == 5
    assert (
        "### [#201 interpolate: wrong shape with tuple scale\\_factor](<https://github.com/pytorch/pytorch/issues/201>)"
        in md
    )
    assert "**Difficulty:** 2/5, easy: touches one file; a test already exists nearby" in md
    assert "**Status:** Merged ([your PR](<https://github.com/pytorch/pytorch/pull/9001>))" in md
    assert "```sh\npython test/test_nn.py -k interpolate\n```" in md
    assert "| Overall | ▰▰▱▱▱▱▱▱▱▱ 1 of 5 merged, 1 PR open, 1 started |" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_candidates_table_renders_as_a_table_with_five_columns() -> None:
    plan = sample_plan()
    plan.stages[0].candidates[0].issue.title = "a | b | c"
    html = gfm(render_markdown(plan, [], []))
    table = html[html.index("<table>", html.index("More candidates")) :]
    body = table[table.index("<tbody>") :]
    first_row = body[: body.index("</tr>")]
    assert first_row.count("<td>") == 5
    assert "a | b | c" in first_row


def test_untrusted_text_stays_literal() -> None:
    assert md_text("*bold* _it_ [x](javascript:y) `c` <b>") == (
        "\\*bold\\* \\_it\\_ \\[x\\](javascript:y) \\`c\\` &lt;b&gt;"
    )
    for line in ("# heading", "- item", "1. item", "+ item", "---"):
        rendered = gfm(f"- {md_text(line)}")
        assert "<h1>" not in rendered and "<hr" not in rendered and rendered.count("<li>") == 1, (
            line
        )
    html = gfm(md_text("[x](javascript:alert(1)) <script>alert(1)</script> **b**"))
    assert "<a" not in html and "<script" not in html and "<strong>" not in html
    assert "[x](javascript:alert(1))" in html


def test_mentions_are_neutralised() -> None:
    out = md_text("ping @pytorch/core and @albanD, mail a@b.c")
    assert "@pytorch" not in out and "@albanD" not in out
    assert "@&#8203;pytorch/core" in out and "@&#8203;albanD" in out


def test_code_spans_hold_backticks() -> None:
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"
    assert "<code>`x`</code>" in gfm(md_code("`x`"))


def test_output_is_deterministic() -> None:
    assert render_markdown(sample_plan(), sample_progress(), sample_events()) == render_markdown(
        sample_plan(), sample_progress(), sample_events()
    )


def test_candidates_are_listed_once_with_the_other_stages_they_suit() -> None:
    md = render_markdown(sample_plan(), sample_progress(), sample_events())
    table = md[md.index("## More candidates") :]
    assert "Each issue is listed once, under the stage it fits best." in table
    assert table.count("#410 ") == 1
    assert "| 4 (also 3) | [#410 Support bfloat16 in addmm on CPU]" in table


def test_a_reviewer_with_a_long_login_is_never_cut() -> None:
    """Logins run to 39 characters: "(1 recent commit here)" after one stays whole."""
    plan = sample_plan()
    step = plan.stages[0].steps[0]
    long = "@Abdennacer-Badaoui-and-a-long-name-xx (123 recent commits here)"
    plan.stages[0].steps[0] = replace(step, reviewers=[long])
    text = render_markdown(plan, sample_progress(), sample_events())
    assert "Abdennacer-Badaoui-and-a-long-name-xx (123 recent commits here)" in text


def test_look_for_names_follow_a_path_shortened_or_cleaned_for_display() -> None:
    """Names to look for are found by the path as planned, not as shown: a long path
    (cut to 200 characters) or one with a control character keeps its names."""
    from dataclasses import replace

    from prready.render.view import build_view

    plan = sample_plan()
    long_path = "torch/" + "deep/" * 50 + "mod.py"
    odd_path = "torch/odd\x1bname.py"
    first = plan.stages[0].steps[0]
    plan.stages[0].steps[0] = replace(
        first,
        start_reading=[long_path, odd_path],
        look_for={long_path: ["Deep.call"], odd_path: ["odd_fn"]},
    )
    view = build_view(plan, [], [])
    shown = view.stages[0].steps[0]
    assert len(shown.start_reading) == 2 and len(shown.start_reading[0]) <= 200
    assert "\x1b" not in shown.start_reading[1]
    assert shown.look_for == [["Deep.call"], ["odd_fn"]]


def test_a_stage_with_fewer_steps_than_asked_says_why_in_every_format() -> None:
    import io

    from prready.render.console import make_console
    from prready.render.html import render_html
    from prready.render.terminal import render_plan_table
    from renderfixtures import NOW, sample_graph

    plan = sample_plan()
    note = "Only 1 open bug report rated difficulty 3-4 is free to take."
    stages = [replace(plan.stages[0], note=note), *plan.stages[1:]]
    plan = replace(plan, stages=stages)
    assert plan.stages[0].steps
    md = render_markdown(plan, sample_progress(), sample_events())
    assert f"_{md_text(note)}_" in md and md.index("## Stage 2") > md.index(md_text(note))
    page = render_html(plan, sample_progress(), sample_events(), sample_graph(), NOW)
    assert f'<p class="muted stage-note">{note}</p>' in page
    out = io.StringIO()
    render_plan_table(plan, sample_progress(), make_console(out))
    assert note in " ".join(out.getvalue().split())  # (folded to the console's width)
