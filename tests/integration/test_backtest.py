"""Backtest scoring (pure) and closing-reference parsing."""

from __future__ import annotations

import functools

from planfixtures import ADAM_TRACE, LABELS, REPO, make_code_map, make_issue
from prready.analysis.backtest import BacktestCase, score_backtest
from prready.slug import closing_references


def test_closing_references_in_bodies_and_commit_messages() -> None:
    text = (
        "Fixes #12, closes prready-demo/tinyml#13 and resolves "
        "https://github.com/prready-demo/tinyml/issues/14. Also fixed: #15. "
        "Refs #16; fixes other/repo#17; prefix#18"
    )
    assert closing_references(text, REPO) == [12, 13, 14, 15]
    assert closing_references("FIXES #3\nfix #3") == [3]
    # A list after one keyword; owners are not compared (a moved repository's old links
    # name its former owner), another name is another repository.
    listed = "Closes #20, #21 and #22 #23; fixes o/tinyml#24 other/lib#25"
    assert closing_references(listed, REPO) == [20, 21, 22, 23, 24]
    assert closing_references(listed, "tinyml") == [20, 21, 22, 23, 24]
    assert closing_references(listed) == [20, 21, 22, 23, 24, 25]
    assert closing_references("") == []


def test_scores_top1_top3_and_file_hits() -> None:
    code_map = make_code_map()
    closed = dict(state="closed")
    cases = [
        # mapped right at the top: area and file
        BacktestCase(
            make_issue(1, "Adam amsgrad KeyError", ADAM_TRACE, **closed),
            ["tinyml/optim/adam.py", "tests/test_optim.py"],
            "pull request #21",
        ),
        # mapping's best guess is nn, the fix was in the C++ kernel: top-3 only
        BacktestCase(
            make_issue(
                2,
                "conv2d wrong",
                "F.conv2d(x) and nn.Conv2d give wrong values; maybe the conv kernel",
                ("module: nn",),
                **closed,
            ),
            ["csrc/ops/conv.cpp"],
            "commit 1234567",
        ),
        # nothing in the text: a miss
        BacktestCase(
            make_issue(3, "It is broken", "please help", **closed),
            ["tinyml/data/sampler.py"],
            "pull request #23",
        ),
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
    assert not rows[2].top1 and not rows[2].file_hit
    assert not (rows[3].top1 or rows[3].top3 or rows[3].file_hit)
    assert (report.top1, report.file_hits, report.file_top1) == (1, 1, 1)
    assert report.top3 == 1 + rows[2].top3
    assert round(report.rate(report.top1), 3) == 0.333


def test_only_tests_changed_then_tests_are_the_truth() -> None:
    code_map = make_code_map()
    case = BacktestCase(
        make_issue(5, "flaky test_nn", "tests/test_nn.py fails", state="closed"),
        ["tests/test_nn.py"],
        "pull request #25",
    )
    report = score_backtest(REPO, [case], code_map, LABELS)
    row = report.rows[0]
    # The named test file still ranks first (no library file has evidence of its own); the
    # areas follow the nn files its name and words point at, the tests' area among them.
    assert row.true_areas == ["tests"] and row.file_top1 and row.top3


def test_backtest_online_takes_merged_pull_request_files(github_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Ground truth from the loopback server: a merged PR cross-referencing closed #6 wins
    over the commit; #5 has no PR and falls back to its "Fixes #5" commit."""
    from planfixtures import MINI_SLUG, make_mini_repo
    from prready.app.backtest import run_backtest
    from prready.app.workspace import GitHubAccess, Workspace
    from prready.paths import resolve_paths
    from prready.sources.github_api import GitHubClient

    repo = make_mini_repo(tmp_path)
    ds = github_server.dataset
    ds.add_repo(MINI_SLUG)
    ds.add_issue(
        MINI_SLUG, "relu returns -0.0", number=5, state="closed", created_at="2026-02-01T10:00:00Z"
    )
    ds.add_issue(
        MINI_SLUG,
        "Adam amsgrad KeyError",
        number=6,
        state="closed",
        created_at="2026-02-01T10:00:00Z",
    )
    unmerged = ds.add_pull(
        MINI_SLUG,
        "try something",
        state="closed",
        merged=False,
        references=[5],
        files=[
            {"filename": "mini/__init__.py", "status": "modified", "additions": 1, "deletions": 0}
        ],
        created_at="2026-03-01T10:00:00Z",
    )
    fix = ds.add_pull(
        MINI_SLUG,
        "Keep Adam state",
        body="Fixes #6",
        state="closed",
        merged=True,
        references=[6],
        files=[
            {
                "filename": "mini/optim/adam.py",
                "status": "modified",
                "additions": 3,
                "deletions": 1,
            },
            {
                "filename": "mini/optim/optimizer.py",
                "status": "modified",
                "additions": 1,
                "deletions": 0,
            },
        ],
        created_at="2026-04-01T10:00:00Z",
        merged_at="2026-04-02T10:00:00Z",
    )
    # Closed on GitHub but never synced: found by the search, fixed by a merged PR.
    unsynced = ds.add_issue(
        MINI_SLUG,
        "Optimizer crashes",
        body="`mini.optim.optimizer.Optimizer` fails",
        state="closed",
        created_at="2026-02-02T10:00:00Z",
    )
    ds.add_pull(
        MINI_SLUG,
        "Fix optimizer",
        state="closed",
        merged=True,
        references=[unsynced],
        files=[
            {
                "filename": "mini/optim/optimizer.py",
                "status": "modified",
                "additions": 1,
                "deletions": 1,
            }
        ],
        created_at="2026-04-03T10:00:00Z",
        merged_at="2026-04-03T11:00:00Z",
    )
    access = GitHubAccess(github_server.url, None)
    no_sleep = functools.partial(GitHubClient, sleep=lambda _s: None)
    with Workspace(resolve_paths(), github=access, client_factory=no_sleep) as ws:
        run = run_backtest(ws, MINI_SLUG, checkout=repo)
    rows = {r.number: r for r in run.report.rows}
    assert run.sources == {"pull requests": 2, "commits": 1}
    assert rows[unsynced].true_files == ["mini/optim/optimizer.py"] and rows[unsynced].file_top1
    assert rows[6].source == f"pull request #{fix}"
    assert rows[6].true_files == ["mini/optim/adam.py", "mini/optim/optimizer.py"]
    assert rows[6].top1 and rows[6].file_hit
    assert rows[5].source.startswith("commit ")  # the unmerged PR is not ground truth
    paths_asked = [r.path for r in github_server.requests]
    assert f"/repos/{MINI_SLUG}/pulls/{unmerged}/files" not in paths_asked
    assert f"/repos/{MINI_SLUG}/issues/7/timeline" not in paths_asked  # not planned: skipped
