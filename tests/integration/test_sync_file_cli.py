"""`sync --from-file` through the CLI: the data is dated by the export (newest updatedAt or
--exported-at), a complete export closes the open issues it lacks, and plan steps from file
data say their linked pull requests were not checked instead of "Free to take"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from gitfixtures import commit_files
from planfixtures import MINI_SLUG as SLUG
from planfixtures import make_mini_repo
from prready.cli import cli
from prready.models import UNCHECKED_PULLS

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "plan.schema.json").read_text("utf-8")
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def gh_item(number: int, title: str, updated: str, labels: list[str]) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "body": "See mini/nn/functional.py",
        "state": "OPEN",
        "labels": [{"name": n} for n in labels],
        "assignees": [],
        "author": {"login": "reporter"},
        "url": f"https://github.com/{SLUG}/issues/{number}",
        "createdAt": "2026-01-10T10:00:00Z",
        "updatedAt": updated,
        "comments": [],
    }


def export_file(tmp_path: Path, *numbers: int) -> Path:
    items = {
        1: gh_item(
            1, "Typo in F.interpolate docstring", "2026-05-01T10:00:00Z", ["good first issue"]
        ),
        2: gh_item(2, "Adam raises KeyError", "2026-05-20T08:30:00Z", ["bug"]),
        8: gh_item(8, "relu docs", "2026-04-02T10:00:00Z", ["good first issue"]),
    }
    path = tmp_path / "issues.json"
    path.write_text(json.dumps([items[n] for n in numbers]), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_mini_repo(tmp_path)


def plan_json(repo: Path) -> dict[str, Any]:
    result = run("plan", SLUG, "--offline", "--checkout", str(repo), "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc


def test_file_data_is_dated_by_its_newest_update(repo: Path, tmp_path: Path) -> None:
    result = run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2, 8)))
    assert result.exit_code == 0, result.output
    assert "as of 2026-05-20T08:30:00Z" in result.stderr
    assert plan_json(repo)["data_fetched_at"] == "2026-05-20T08:30:00Z"
    # An older export adds what it holds; the data stays as new as the newest sync.
    older = tmp_path / "older.json"
    older.write_text(json.dumps([gh_item(30, "SGD ignores momentum", "2025-01-01T00:00:00Z", [])]))
    assert run("sync", SLUG, "--from-file", str(older)).exit_code == 0
    assert plan_json(repo)["data_fetched_at"] == "2026-05-20T08:30:00Z"


def test_exported_at_overrides_and_is_checked(repo: Path, tmp_path: Path) -> None:
    path = export_file(tmp_path, 1, 2, 8)
    stamp = "2026-06-01T12:00:00+02:00"
    assert run("sync", SLUG, "--from-file", str(path), "--exported-at", stamp).exit_code == 0
    assert plan_json(repo)["data_fetched_at"] == "2026-06-01T10:00:00Z"
    far = run("sync", SLUG, "--from-file", str(path), "--exported-at", "0001-01-01T00:00:00+01:00")
    assert far.exit_code == 2 and "not an ISO 8601 time" in far.output
    bad = run("sync", SLUG, "--from-file", str(path), "--exported-at", "last tuesday")
    assert bad.exit_code == 2 and "ISO 8601" in bad.output
    assert "Error: --exported-at 'last tuesday' is not an ISO 8601 time" in bad.output
    assert run("sync", SLUG, "--complete").exit_code == 2  # only with --from-file


def test_complete_export_closes_missing_open_issues(repo: Path, tmp_path: Path) -> None:
    partial = export_file(tmp_path, 1, 8)  # #2 is open in the store, missing here
    result = run("sync", SLUG, "--from-file", str(partial))
    assert result.exit_code == 0, result.output
    assert "add --complete" in result.stderr
    assert _open_numbers() == {1, 2, 8}
    result = run("sync", SLUG, "--from-file", str(partial), "--complete")
    assert result.exit_code == 0, result.output
    assert "1 closed" in result.stdout
    assert _open_numbers() == {1, 8}


def test_an_export_without_open_issues_never_closes_the_stored_ones(
    repo: Path, tmp_path: Path
) -> None:
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2, 8))).exit_code == 0
    empty = tmp_path / "empty.json"
    closed_only = tmp_path / "closed.json"
    empty.write_text("[]", encoding="utf-8")
    closed_only.write_text(
        json.dumps([dict(gh_item(2, "Adam raises KeyError", "2026-06-01T08:00:00Z", []), state="CLOSED")]),
        encoding="utf-8",
    )
    pulls_only = tmp_path / "pulls.json"
    pull = dict(gh_item(50, "Fix Adam", "2026-06-01T08:00:00Z", []), url=f"https://github.com/{SLUG}/pull/50")
    pulls_only.write_text(json.dumps([pull]), encoding="utf-8")
    for path in (empty, closed_only, pulls_only):
        result = run("sync", SLUG, "--from-file", str(path), "--complete")
        assert result.exit_code == 2, result.output
        assert "holds no open issue" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert _open_numbers() == {1, 2, 8}  # nothing was closed
    # Without --complete a closed-only export closes what it says is closed.
    assert run("sync", SLUG, "--from-file", str(closed_only)).exit_code == 0
    assert _open_numbers() == {1, 8}


def test_the_summary_counts_closed_issues_added_and_issues_back_open(
    repo: Path, tmp_path: Path
) -> None:
    fixed = [
        dict(gh_item(n, f"fixed {n}", "2026-03-01T08:00:00Z", []), state="CLOSED")
        for n in (40, 41)
    ]
    path = tmp_path / "closed.json"
    path.write_text(json.dumps(fixed), encoding="utf-8")
    result = run("sync", SLUG, "--from-file", str(path))
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated issues from file, 0 closed, 2 closed issues added;" in result.stdout
    # A complete export closes #2; the same copy of #2 open again is an update.
    both = export_file(tmp_path, 1, 2, 8)
    assert run("sync", SLUG, "--from-file", str(both)).exit_code == 0
    partial = tmp_path / "partial.json"
    partial.write_text(export_file(tmp_path, 1, 8).read_text(), encoding="utf-8")
    assert "1 closed" in run("sync", SLUG, "--from-file", str(partial), "--complete").stdout
    again = export_file(tmp_path, 1, 2, 8)
    result = run("sync", SLUG, "--from-file", str(again))
    assert "0 new, 1 updated issues from file, 0 closed;" in result.stdout
    assert _open_numbers() == {1, 2, 8}


def test_an_export_time_in_the_future_is_refused(repo: Path, tmp_path: Path) -> None:
    before = _open_numbers()
    path = export_file(tmp_path, 1, 2, 8)
    result = run("sync", SLUG, "--from-file", str(path), "--exported-at", "2999-01-01T00:00:00Z")
    assert result.exit_code == 2, result.output
    assert "in the future" in result.output
    assert 8 not in before and _open_numbers() == before  # nothing imported


def test_steps_from_file_data_do_not_promise_free(repo: Path, tmp_path: Path) -> None:
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2, 8))).exit_code == 0
    doc = plan_json(repo)
    steps = [st for stage in doc["stages"] for st in stage["steps"]]
    assert steps
    for step in steps:
        if step["taken"]["state"] == "fresh":
            assert UNCHECKED_PULLS in step["taken"]["evidence"]
    md = run("plan", SLUG, "--offline", "--checkout", str(repo), "--format", "md", "-o", "-")
    assert md.exit_code == 0, md.output
    assert "linked pull requests not checked" in md.stdout
    assert "Free to take" not in md.stdout
    # Offline, more issues come from a wider export, not a sync that needs GitHub.
    assert "--all-open` fetches" not in md.stdout
    assert "--from-file FILE --complete" in md.stdout
    table = run("plan", SLUG, "--offline", "--checkout", str(repo), "-o", str(tmp_path / "p.html"))
    assert "unchecked" in table.stdout


def test_a_complete_export_leaves_no_advice_to_export_more(repo: Path, tmp_path: Path) -> None:
    path = export_file(tmp_path, 1, 2, 8)
    assert run("sync", SLUG, "--from-file", str(path), "--complete").exit_code == 0
    md = run("plan", SLUG, "--offline", "--checkout", str(repo), "--format", "md", "-o", "-")
    assert md.exit_code == 0, md.output
    assert "--from-file FILE --complete" not in md.stdout and "--all-open" not in md.stdout
    # A later partial export is the newest data again: more may exist.
    later = tmp_path / "later.json"
    later.write_text(json.dumps([gh_item(2, "Adam raises KeyError", "2026-06-01T08:00:00Z", [])]))
    assert run("sync", SLUG, "--from-file", str(later)).exit_code == 0
    md = run("plan", SLUG, "--offline", "--checkout", str(repo), "--format", "md", "-o", "-")
    assert "--from-file FILE --complete" in md.stdout


def test_issues_maps_from_the_checkout_plan_last_used(repo: Path, tmp_path: Path) -> None:
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2, 8))).exit_code == 0
    before = run("issues", SLUG, "--format", "json")
    assert all(row["modules"] == [] for row in json.loads(before.stdout))
    assert "no code map yet" in run("issues", SLUG).output
    plan_json(repo)  # plan --checkout repo
    after = run("issues", SLUG, "--format", "json")
    assert any(row["modules"] for row in json.loads(after.stdout)), after.output
    assert f"mapped from {repo.resolve()}" in run("issues", SLUG).output
    # Another repository there now: said, and forgotten.
    other = make_mini_repo(tmp_path / "other")
    commit_files(other, {"pyproject.toml": '[project]\nname = "elsewhere"\n'}, "rename")
    repo.rename(tmp_path / "moved")
    other.rename(repo)
    listing = run("issues", SLUG).output
    assert "is not acme/mini now: not used" in listing and "no code map yet" in listing
    assert "checkout `plan` last used" not in run("issues", SLUG).output
    # Gone: as if never given.
    plan_json(tmp_path / "moved")
    (tmp_path / "moved").rename(tmp_path / "gone")
    assert "no code map yet" in run("issues", SLUG).output


def test_a_misspelt_repository_is_named_with_the_stored_one(repo: Path, tmp_path: Path) -> None:
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2))).exit_code == 0
    typo = SLUG.replace("mini", "minii")
    for args in (("plan", typo, "--offline"), ("issues", typo), ("sync", typo, "--offline")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert f"(did you mean {SLUG}?)" in result.output, args
    assert "did you mean" not in run("issues", "other/thing").output


def test_an_old_exports_issues_are_judged_as_of_its_date(repo: Path, tmp_path: Path) -> None:
    """Exported on 2024-03-01: an issue filed in 2021 was three years old then (not five), and
    a claim ten days before the export was fresh then (not stale)."""
    item = gh_item(20, "Adam raises KeyError on reload", "2024-03-01T00:00:00Z", ["bug"])
    item["createdAt"] = "2021-01-10T10:00:00Z"
    item["comments"] = [
        {"author": {"login": "helper"}, "body": "I'd like to work on this, can I take it?",
         "createdAt": "2024-02-20T00:00:00Z"},
    ]  # fmt: skip
    path = tmp_path / "old.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert run("sync", SLUG, "--from-file", str(path)).exit_code == 0
    rows = json.loads(run("issues", SLUG, "--format", "json").stdout)
    (row,) = [r for r in rows if r["number"] == 20]
    assert any("open for 3 year(s)" in r for r in row["difficulty_reasons"]), row
    assert row["taken_state"] == "taken", row["taken_evidence"]
    doc = plan_json(repo)
    steps = [st for stage in doc["stages"] for st in stage["steps"]]
    assert 20 not in {st["issue"]["number"] for st in steps}  # taken then: no step
    # ...and the plan says why it is missing, rather than dropping it without a word.
    told = run("plan", SLUG, "--offline", "--checkout", str(repo), "-o", str(tmp_path / "p.md"))
    assert told.exit_code == 0, told.output
    assert (
        f"1 open issue is left out because someone else is on them (a claim, an assignee or "
        f"an open pull request): `prready issues {SLUG}` lists them"
    ) in " ".join(told.output.split()), told.output


def _open_numbers() -> set[int]:
    result = run("issues", SLUG, "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["number"] for row in json.loads(result.stdout)}


def test_an_issue_the_checkout_fixed_after_its_last_update_is_no_step(
    repo: Path, tmp_path: Path
) -> None:
    # The export (#2 last updated 2026-05-20, #8 on 2026-04-02) is older than a fix of #2
    # in the checkout; #8's "fix" came before its last update (reopened: still to do).
    commit_files(repo, {"mini/optim/adam.py": "# fixed\n"}, "Fix #8 for good", date="2026-03-01T00:00:00Z")
    fix = commit_files(
        repo, {"mini/optim/adam.py": "# fixed again\n"}, "Adam: keep state keys\n\nFixes #2",
        date="2026-06-01T00:00:00Z",
    )  # fmt: skip
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2, 8))).exit_code == 0
    doc = plan_json(repo)
    before = {step["issue"]["number"] for st in doc["stages"] for step in st["steps"]}
    apart = {item["issue"]["number"]: item for item in doc["set_aside"]}
    assert apart[2]["kind"] == "fixed" and apart[2]["reason"].startswith(f"commit {fix[:9]}")
    listed = run("issues", SLUG, "--offline", "--checkout", str(repo), "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = {row["number"]: row for row in json.loads(listed.stdout)}
    assert rows[2]["taken_state"] == "done"
    assert rows[2]["taken_evidence"][0] == (
        f"commit {fix[:9]} of 2026-06-01 in the checkout closes it, after the issue data of "
        "2026-05-20: 'Adam: keep state keys'"
    )
    assert rows[8]["taken_state"] != "done" and rows[1]["taken_state"] != "done"
    assert 2 not in before and before  # planned from the rest
    # Exported after the commit existed and #2 still open: the commit closed nothing on
    # GitHub (a branch of one's own, a fork's): #2 is a step again.
    late = export_file(tmp_path, 1, 2, 8)
    assert run("sync", SLUG, "--from-file", str(late), "--exported-at", "2026-07-01T00:00:00Z").exit_code == 0
    after = {step["issue"]["number"] for st in plan_json(repo)["stages"] for step in st["steps"]}
    assert 2 in after


def test_an_export_with_times_or_labels_that_are_not_is_refused(repo: Path, tmp_path: Path) -> None:
    before = _open_numbers()
    good = gh_item(9, "Adam docs", "2026-05-01T12:00:00+02:00", ["bug"])
    for bad, said in (
        ({"createdAt": "yesterday"}, "has createdAt 'yesterday', not an ISO 8601 time"),
        ({"updatedAt": "2026-13-45T00:00:00Z"}, "has updatedAt '2026-13-45T00:00:00Z'"),
        ({"updatedAt": 1780000000}, "has updatedAt '1780000000'"),
        ({"labels": "bug"}, "has 'labels' that is not a list"),
        ({"createdAt": "0001-01-01T00:00:00+01:00"}, "not an ISO 8601 time"),  # (no UTC time)
        ({"updatedAt": "9999-12-31T23:59:59-01:00"}, "not an ISO 8601 time"),
        ({"updatedAt": "2099-01-01T00:00:00Z"}, "newest updatedAt, 2099-01-01T00:00:00Z, is in the future"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps([{**good, **bad}]), encoding="utf-8")
        result = run("sync", SLUG, "--from-file", str(path))
        assert result.exit_code == 2, result.output
        assert said in result.output and len(result.output.strip().splitlines()) == 1
    assert _open_numbers() == before  # nothing stored
    # A time with an offset is stored in UTC.
    path = tmp_path / "good.json"
    path.write_text(json.dumps([good]), encoding="utf-8")
    result = run("sync", SLUG, "--from-file", str(path))
    assert result.exit_code == 0, result.output
    assert "as of 2026-05-01T10:00:00Z" in result.stderr


def _plan_with_threads(
    repo: Path, tmp_path: Path, *threads: dict
) -> tuple[dict[int, dict], dict[int, dict]]:
    """Sync an export of a first-contact issue (so every stage has work) and `threads`, plan
    from it: the plan's set-aside items and `issues`' rows, by issue number."""
    one = json.loads(export_file(tmp_path, 1).read_text("utf-8"))
    path = tmp_path / "threads.json"
    path.write_text(json.dumps([*one, *threads]), encoding="utf-8")
    assert run("sync", SLUG, "--from-file", str(path)).exit_code == 0
    apart = {item["issue"]["number"]: item for item in plan_json(repo)["set_aside"]}
    rows = json.loads(run("issues", SLUG, "--format", "json").stdout)
    return apart, {row["number"]: row for row in rows}


def test_an_issue_its_thread_says_is_fixed_is_set_aside_with_the_words(
    repo: Path, tmp_path: Path
) -> None:
    """A maintainer wrote "Fixed in #31" on an issue still open in the export, and nobody
    said it still happens: the plan lists it apart as fixed, quoting the comment; a thread
    where the reporter answered "still happens" keeps its issue a step."""
    fixed = gh_item(2, "Adam raises KeyError", "2026-05-20T08:30:00Z", ["bug"])
    fixed["comments"] = [
        {"author": {"login": "maint"}, "body": "Fixed in #31, thanks for the report.",
         "createdAt": "2026-05-19T00:00:00Z"},
    ]  # fmt: skip
    disputed = gh_item(9, "SGD raises KeyError on reload", "2026-05-20T08:30:00Z", ["bug"])
    disputed["comments"] = [
        {"author": {"login": "maint"}, "body": "Fixed in #31.", "createdAt": "2026-05-18T00:00:00Z"},
        {"author": {"login": "reporter"}, "body": "It still happens on main for SGD.",
         "createdAt": "2026-05-19T00:00:00Z"},
    ]  # fmt: skip
    apart, rows = _plan_with_threads(repo, tmp_path, fixed, disputed)
    assert apart[2]["kind"] == "fixed"
    assert apart[2]["reason"] == (
        '@maint said on 2026-05-19 that it is fixed: "Fixed in #31, thanks for the report." '
        "(still open on GitHub: check, then ask for it to be closed)"
    )
    assert 9 not in apart
    assert rows[2]["taken_state"] == "done" and rows[9]["taken_state"] != "done"


def test_an_issue_its_thread_declined_is_set_aside_with_the_words(
    repo: Path, tmp_path: Path
) -> None:
    """A maintainer answered "This is expected behavior" on an issue still open in the
    export: the plan lists it apart as declined, quoting the comment, and `issues` says so;
    a thread where a later maintainer took it back ("you're right, a PR is welcome") keeps
    its issue a step."""
    settled = gh_item(2, "Adam ignores weight_decay=0", "2026-05-20T08:30:00Z", ["bug"])
    settled["comments"] = [
        {"author": {"login": "maint"}, "body": "This is expected behavior: `weight_decay=0` "
         "keeps the default schedule.", "createdAt": "2026-05-19T00:00:00Z"},
    ]  # fmt: skip
    reversed_ = gh_item(9, "SGD ignores momentum=0", "2026-05-20T08:30:00Z", ["bug"])
    reversed_["comments"] = [
        {"author": {"login": "maint"}, "body": "This is by design.", "createdAt": "2026-05-17T00:00:00Z"},
        {"author": {"login": "other-maint"}, "body": "You're right, a PR fixing it is welcome.",
         "createdAt": "2026-05-18T00:00:00Z"},
    ]  # fmt: skip
    apart, rows = _plan_with_threads(repo, tmp_path, settled, reversed_)
    assert apart[2]["kind"] == "declined"
    assert apart[2]["reason"] == (
        '@maint said on 2026-05-19 that it will not change here: "This is expected behavior: '
        '`weight_decay=0` keeps the default schedule." (a pull request for it would likely be '
        "closed: check the thread first)"
    )
    assert 9 not in apart
    assert rows[2]["taken_state"] == "declined" and rows[9]["taken_state"] == "fresh"


def test_a_checkouts_notes_for_agents_add_the_go_ahead_rule_to_the_plan(
    repo: Path, tmp_path: Path
) -> None:
    notes = (
        "# Notes for coding agents\n\nIf you plan to work on an existing issue, ask first and "
        "only proceed after maintainer approval.\n"
    )
    commit_files(repo, {"AGENTS.md": notes}, "Add AGENTS.md")
    assert run("sync", SLUG, "--from-file", str(export_file(tmp_path, 1, 2))).exit_code == 0
    rules = plan_json(repo)["contributing"]["rules"]
    assert any(r.startswith("Wait for a maintainer's go-ahead") and "(AGENTS.md: " in r for r in rules)
    page = tmp_path / "plan.html"
    result = run("plan", SLUG, "--offline", "--checkout", str(repo), "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "ask in a comment whether you may take it" in page.read_text("utf-8")


def test_a_docs_issue_starts_reading_at_the_page_it_is_about(repo: Path, tmp_path: Path) -> None:
    """A docs issue about a guide ("Quickstart tutorial forces platform to CPU") sends its
    reader to the guide's page, which no import graph shows, before the code; its page is
    read from the checkout and found again from the cache by a warm plan."""
    commit_files(
        repo,
        {
            "docs/quickstart.md": "# Quickstart\n\n```python\nimport mini\n"
            "mini.config.update('platform', 'cpu')\n```\n",
            "docs/installation.md": "# Installing mini\n\npip install mini\n",
            "CHANGELOG.md": "# Changes\n\nQuickstart tutorial fixed.\n",
        },
        "Add the docs",
    )
    guide = gh_item(3, "Quickstart tutorial forces platform to CPU", "2026-05-20T08:30:00Z",
                    ["documentation"])  # fmt: skip
    guide["body"] = "The quickstart sets the platform to cpu, so the GPU is never used."
    one = json.loads(export_file(tmp_path, 1).read_text("utf-8"))
    path = tmp_path / "docs-issue.json"
    path.write_text(json.dumps([*one, guide]), encoding="utf-8")
    assert run("sync", SLUG, "--from-file", str(path)).exit_code == 0
    for _ in range(2):  # cold, then warm
        steps = {
            step["issue"]["number"]: step
            for stage in plan_json(repo)["stages"]
            for step in stage["steps"]
        }
        assert steps[3]["start_reading"][0] == "docs/quickstart.md"
        assert "CHANGELOG.md" not in steps[3]["start_reading"]
        assert "its page: docs/quickstart.md (the title names it: quickstart)" in steps[3]["why"]


def test_an_issue_about_code_the_checkout_no_longer_has_is_set_aside(
    repo: Path, tmp_path: Path
) -> None:
    # #40's traceback runs through mini/optim/lamb.py, which the checkout no longer has
    # (nor any file of that name); #41's through adam.py, which it has.
    gone = gh_item(40, "Lamb raises KeyError on step", "2026-05-01T10:00:00Z", ["bug"])
    gone["body"] = (
        "Traceback (most recent call last):\n"
        '  File "/venv/site-packages/mini/optim/lamb.py", line 12, in step\n'
        "KeyError: 'exp_avg'\n"
    )
    kept = gh_item(41, "Adam raises KeyError on step", "2026-05-01T10:00:00Z", ["bug"])
    kept["body"] = gone["body"].replace("lamb.py", "adam.py")
    path = tmp_path / "gone.json"
    path.write_text(json.dumps([gone, kept, *json.loads(export_file(tmp_path, 1, 8).read_text())]))
    assert run("sync", SLUG, "--from-file", str(path)).exit_code == 0
    doc = plan_json(repo)
    apart = {item["issue"]["number"]: item for item in doc["set_aside"]}
    assert apart[40]["kind"] == "obsolete"
    assert apart[40]["reason"] == (
        "the code it names is gone from the checkout: `mini/optim/lamb.py` "
        "(ask whether it still applies)"
    )
    steps = {step["issue"]["number"] for st in doc["stages"] for step in st["steps"]}
    assert 41 not in apart and 40 not in steps
    # The Markdown page says so too.
    page = run("plan", SLUG, "--offline", "--checkout", str(repo), "--format", "md", "-o", "-")
    assert page.exit_code == 0, page.output
    line = next(row for row in page.stdout.splitlines() if "Lamb raises KeyError" in row)
    assert "its code is gone" in line and "mini/optim/lamb.py" in line
