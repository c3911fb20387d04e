"""Backtest scoring (pure) and closing-reference parsing."""

from __future__ import annotations

from planfixtures import ADAM_TRACE, LABELS, REPO, make_code_map, make_issue

from prready.analysis.backtest import BacktestCase, closing_references, score_backtest


def test_closing_references_in_bodies_and_commit_messages() -> None:
    text = (
        "Fixes #12, closes prready-demo/tinyml#13 and resolves "
        "https://github.com/prready-demo/tinyml/issues/14. Also fixed: #15. "
        "Refs #16; fixes other/repo#17; prefix#18"
    )
    assert closing_references(text, REPO) == [12, 13, 14, 15]
    assert closing_references("FIXES #3\nfix #3") == [3]
    assert closing_references("") == []


def test_scores_top1_top3_and_file_hits() -> None:
    code_map = make_code_map()
    closed = dict(state="closed")
    cases = [
        # mapped right at the top: area and file
        BacktestCase(make_issue(1, "Adam amsgrad KeyError", ADAM_TRACE, **closed),
                     ["tinyml/optim/adam.py", "tests/test_optim.py"], "pull request #21"),
        # mapping's best guess is nn, the fix was in the C++ kernel: top-3 only
        BacktestCase(make_issue(2, "conv2d wrong", "F.conv2d(x) and nn.Conv2d give wrong values; maybe the conv kernel", ("module: nn",), **closed),
                     ["csrc/ops/conv.cpp"], "commit 1234567"),
        # nothing in the text: a miss
        BacktestCase(make_issue(3, "It is broken", "please help", **closed), ["tinyml/data/sampler.py"], "pull request #23"),
        # fix touched only docs: skipped, not counted
        BacktestCase(make_issue(4, "Typo", "", **closed), ["docs/index.md"], "pull request #24"),
    ]
    report = score_backtest(REPO, cases, code_map, LABELS)
    assert report.cases == 3
    assert report.skipped == [(4, "its fix changed no file of the code map")]
    rows = {r.number: r for r in report.rows}
    assert rows[1].top1 and rows[1].top3 and rows[1].file_hit
    assert rows[1].true_files == ["tinyml/optim/adam.py"]  # the regression test is dropped
    assert rows[1].true_areas == ["tinyml.optim"]
    assert not rows[2].top1 and rows[2].top3 and not rows[2].file_hit
    assert not (rows[3].top1 or rows[3].top3 or rows[3].file_hit)
    assert (report.top1, report.top3, report.file_hits) == (1, 2, 1)
    assert round(report.rate(report.top3), 3) == 0.667


def test_only_tests_changed_then_tests_are_the_truth() -> None:
    code_map = make_code_map()
    case = BacktestCase(make_issue(5, "flaky test_nn", "tests/test_nn.py fails", state="closed"),
                        ["tests/test_nn.py"], "pull request #25")
    report = score_backtest(REPO, [case], code_map, LABELS)
    assert report.rows[0].true_areas == ["tests"] and report.rows[0].top1
