"""The bundled demo sample: the shipped GitHub-shaped payloads and bundle, the generator's
history that builds the library, and the cross-links between them (fixing pull requests,
"Fixes #N" commits, tracebacks). Numbers keying comments, timelines, pulls and files are
strings in the shipped JSON."""

from __future__ import annotations

import ast
import copy
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prready.demo import SAMPLE_FETCHED_AT, SAMPLE_NOW, SAMPLE_SLUG, sample_payloads
from samplefixtures import clone_sample, generator, serve_sample

SPEC_PATH = Path(
    os.environ.get("PRREADY_GITHUB_OPENAPI") or "/work/shared/github-api/rest-subset.openapi.json"
)
FIXES = re.compile(r"\b(?:fixes|closes|resolves)\s+#(\d+)", re.IGNORECASE)


@pytest.fixture(scope="module")
def payloads() -> dict[str, Any]:
    return sample_payloads()


@pytest.fixture(scope="module")
def history():
    return generator("sample_history").sample_history()


@pytest.fixture(scope="module")
def tree() -> dict[str, str]:
    return generator("sample_history").sample_tree()


def merged_fixes() -> dict[int, int]:
    return generator("sample_issues").merged_fixes()


def tree_at(date: str) -> dict[str, str]:
    return generator("sample_history").tree_at(date)


# --------------------------------------------------------------------------- schemas
def _nullable_to_union(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` -> JSON Schema that also accepts null."""
    if isinstance(node, list):
        return [_nullable_to_union(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable_to_union(v) for k, v in node.items()}
    if out.pop("nullable", False):
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "$ref" in out or any(k in out for k in ("anyOf", "oneOf", "allOf")):
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def validator_for():
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT7

    if not SPEC_PATH.exists():
        pytest.skip(f"{SPEC_PATH} is missing")
    spec = _nullable_to_union(json.loads(SPEC_PATH.read_text()))
    registry = referencing.Registry().with_resource(
        "urn:github-spec", referencing.Resource.from_contents(spec, default_specification=DRAFT7)
    )

    def make(schema: dict[str, Any]):
        return jsonschema.Draft7Validator(schema, registry=registry)

    def by_name(name: str):
        return make({"$ref": f"urn:github-spec#/components/schemas/{name}"})

    by_name.user_response = make(  # type: ignore[attr-defined]
        {"$ref": "urn:github-spec#/paths/~1user/get/responses/200/content/application~1json/schema"}
    )
    return by_name


def _assert_valid(validator, instance: Any, what: str) -> None:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{what}: {errors[0].message} at {list(errors[0].path)}"


def test_repo_labels_issues_validate(payloads, validator_for):
    _assert_valid(validator_for("full-repository"), payloads["repo"], "repo")
    label_v = validator_for("label")
    for label in payloads["labels"]:
        _assert_valid(label_v, label, f"label {label['name']}")
    issue_v = validator_for("issue")
    for issue in payloads["issues"]:
        _assert_valid(issue_v, issue, f"issue #{issue['number']}")
    _assert_valid(validator_for.user_response, payloads["user"], "user")


def test_comments_and_timelines_validate(payloads, validator_for):
    comment_v = validator_for("issue-comment")
    for number, comments in payloads["comments"].items():
        for comment in comments:
            _assert_valid(comment_v, comment, f"comment on #{number}")
    specific = {
        "labeled": "labeled-issue-event",
        "commented": "timeline-comment-event",
        "cross-referenced": "timeline-cross-referenced-event",
        "assigned": "timeline-assigned-issue-event",
        "closed": "state-change-issue-event",
        "merged": "state-change-issue-event",
    }
    any_event = validator_for("timeline-issue-events")
    kinds = set()
    for number, events in payloads["timelines"].items():
        for event in events:
            kinds.add(event["event"])
            _assert_valid(any_event, event, f"timeline #{number}")
            _assert_valid(validator_for(specific[event["event"]]), event, f"timeline #{number}")
    assert {"labeled", "commented", "cross-referenced", "assigned", "closed"} <= kinds


def test_pulls_and_files_validate(payloads, validator_for):
    pull_v = validator_for("pull-request")
    file_v = validator_for("diff-entry")
    for number, pull in payloads["pulls"].items():
        _assert_valid(pull_v, pull, f"pull #{number}")
        for entry in payloads["pull_files"][number]:  # both keyed by the same strings
            _assert_valid(file_v, entry, f"file of pull #{number}")


def test_schema_check_catches_a_broken_payload(payloads, validator_for):
    broken = copy.deepcopy(next(i for i in payloads["issues"] if i["labels"]))
    del broken["number"]
    broken["labels"][0]["default"] = "yes"
    assert list(validator_for("issue").iter_errors(broken))
    bad_pull = copy.deepcopy(next(iter(payloads["pulls"].values())))
    bad_pull["head"]["repo"]["owner"] = None
    assert list(validator_for("pull-request").iter_errors(bad_pull))


# --------------------------------------------------------------------------- cross-links
def test_fixing_pull_requests_touch_files_that_exist(payloads, tree):
    fixes = merged_fixes()
    assert len(fixes) >= 8
    for issue_number, pr_number in fixes.items():
        files = [f["filename"] for f in payloads["pull_files"][str(pr_number)]]
        assert files, f"pull #{pr_number} changed no files"
        missing = [f for f in files if f not in tree]
        assert not missing, f"pull #{pr_number} (fixes #{issue_number}) changed {missing}"
        assert payloads["pulls"][str(pr_number)]["merged"] is True
        assert f"#{issue_number}" in payloads["pulls"][str(pr_number)]["body"]


def test_every_fixes_line_in_history_names_a_closed_fixed_issue(payloads, history):
    issues = {i["number"]: i for i in payloads["issues"]}
    fixes = merged_fixes()
    seen = set()
    for commit in history:
        for match in FIXES.finditer(commit.message):
            number = int(match.group(1))
            issue = issues[number]
            assert "pull_request" not in issue, f"{commit.message!r} names a pull request"
            assert issue["state"] == "closed" and issue["state_reason"] == "completed"
            pr_number = fixes[number]
            pr_files = sorted(f["filename"] for f in payloads["pull_files"][str(pr_number)])
            assert sorted({*commit.writes, *commit.deletes}) == pr_files
            assert f"(#{pr_number})" in commit.message.splitlines()[0]
            seen.add(number)
    assert seen == set(fixes), "every merged fix has its commit"


def test_timelines_cross_reference_the_fixing_pull_request(payloads):
    for issue_number, pr_number in merged_fixes().items():
        refs = [
            e["source"]["issue"]
            for e in payloads["timelines"][str(issue_number)]
            if e["event"] == "cross-referenced"
        ]
        assert [r["number"] for r in refs] == [pr_number]
        assert refs[0]["pull_request"]["merged_at"] is not None


def test_pull_requests_appear_among_issues(payloads):
    in_list = {i["number"] for i in payloads["issues"] if "pull_request" in i}
    assert in_list == {int(n) for n in payloads["pulls"]}
    plain = [i for i in payloads["issues"] if "pull_request" not in i]
    assert 35 <= len(plain) <= 45


def test_numbers_follow_creation_and_times_are_before_the_fetch(payloads):
    issues = sorted(payloads["issues"], key=lambda i: i["number"])
    assert [i["number"] for i in issues] == list(range(1, len(issues) + 1))
    created = [i["created_at"] for i in issues]
    assert created == sorted(created)
    for issue in issues:
        assert issue["updated_at"] <= SAMPLE_FETCHED_AT < SAMPLE_NOW
        for comment in payloads["comments"][str(issue["number"])]:
            assert issue["created_at"] <= comment["created_at"] <= issue["updated_at"]
    assert payloads["data_fetched_at"] == SAMPLE_FETCHED_AT
    assert payloads["repo"]["full_name"] == SAMPLE_SLUG


def test_no_placeholder_survives(payloads):
    text = json.dumps(payloads)
    assert "{{line:" not in text
    assert not re.search(r"#<[a-z_]+>", text)


def test_traceback_lines_point_at_the_quoted_code(payloads):
    """Each `File ".../tinyml/x.py", line N` frame quotes line N of x.py as it was when the
    issue was filed."""
    frame = re.compile(
        r'File "[^"]*?/(tinyml/[^"]+\.py)", line (\d+), in \S+\n\s+(?!File ")(\S[^\n]*)'
    )
    checked = 0
    for issue in payloads["issues"]:
        then = tree_at(issue["created_at"])
        for path, line, code in frame.findall(issue["body"] or ""):
            assert then[path].splitlines()[int(line) - 1].strip() == code.strip(), (
                f"#{issue['number']}: {path}:{line}"
            )
            checked += 1
    assert checked >= 8


def test_covers_every_case_the_planner_distinguishes(payloads):
    issues = [i for i in payloads["issues"] if "pull_request" not in i]
    open_issues = [i for i in issues if i["state"] == "open"]

    def names(issue):
        return {label["name"] for label in issue["labels"]}

    def with_labels(*wanted):
        return [i for i in open_issues if set(wanted) <= names(i)]

    for area in ("module: docs", "module: tests", "topic: typing"):
        assert with_labels("good first issue", area), area
    assert with_labels("bug", "needs reproduction")
    assert [i for i in with_labels("bug") if "```python" in (i["body"] or "")]
    assert with_labels("module: cpp") and with_labels("module: cuda")
    assert [i for i in open_issues if sum(n.startswith("module: ") for n in names(i)) >= 3]
    assert with_labels("RFC", "needs discussion")
    assert [i for i in open_issues if i["assignees"]]
    assert [i for i in issues if i["state_reason"] == "not_planned"]
    claims = re.compile(r"I'd like to work on this|Can I take this", re.IGNORECASE)
    claim_ages = []
    for issue in open_issues:
        for comment in payloads["comments"][str(issue["number"])]:
            if claims.search(comment["body"]):
                claim_ages.append(_days_between(comment["created_at"], SAMPLE_NOW))
    assert min(claim_ages) < 14 and max(claim_ages) > 90
    open_prs = [i for i in payloads["issues"] if "pull_request" in i and i["state"] == "open"]
    referenced_by_open_pr = [
        n
        for n, events in payloads["timelines"].items()
        for e in events
        if e["event"] == "cross-referenced" and e["source"]["issue"]["state"] == "open"
    ]
    assert open_prs and referenced_by_open_pr
    unmerged = [p for p in payloads["pulls"].values() if p["state"] == "closed" and not p["merged"]]
    assert unmerged


def test_labels_used_by_issues_exist(payloads):
    defined = {label["name"] for label in payloads["labels"]}
    assert 25 <= len(defined) <= 40
    for issue in payloads["issues"]:
        assert {label["name"] for label in issue["labels"]} <= defined


# --------------------------------------------------------------------------- history
def test_history_shape(history):
    assert 25 <= len(history) <= 40
    authors = {c.author_email for c in history}
    assert 5 <= len(authors) <= 6
    dates = [c.date for c in history]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert _days_between(dates[0], dates[-1]) > 500
    assert any(c.renames for c in history)
    assert any(c.deletes for c in history)


def test_history_ends_at_the_final_tree(history, tree):
    files: dict[str, str] = {}
    for commit in history:
        for old, new in commit.renames.items():
            files[new] = files.pop(old)
        for path in commit.deletes:
            del files[path]
        files.update(commit.writes)
    assert files == tree


def test_churn_differs_between_areas(history):
    last_year = [c for c in history if _days_between(c.date, history[-1].date) <= 365]

    def churn(prefix):
        return sum(any(p.startswith(prefix) for p in c.writes) for c in last_year)

    assert churn("tinyml/optim/") >= 5
    assert churn("tinyml/linalg/") == 0
    assert churn("csrc/") >= 3


def test_python_files_parse_at_every_commit(history):
    for commit in history:
        for path, text in commit.writes.items():
            if path.endswith(".py"):
                ast.parse(text, filename=path)


def test_repo_files_a_mapper_reads(tree):
    assert {"CONTRIBUTING.md", ".github/CODEOWNERS", ".github/labeler.yml"} <= set(tree)
    assert "CLA" in tree["CONTRIBUTING.md"] and "agent" in tree["CONTRIBUTING.md"]
    assert "from tinyml import _C" in tree["tinyml/_backend.py"]
    assert "PYBIND11_MODULE(_C" in tree["csrc/python_bindings.cpp"]
    assert any(p.endswith(".cu") for p in tree)
    globs = re.findall(r"^- (\S+)$", tree[".github/labeler.yml"], re.MULTILINE)
    for glob in globs:
        pattern = glob.replace("**", "*")
        assert any(fnmatch.fnmatch(p, pattern) for p in tree), glob
    for line in tree[".github/CODEOWNERS"].splitlines():
        if line.startswith("/"):
            assert any(p.startswith(line.split()[0].strip("/")) for p in tree), line


def test_sample_library_tests_pass(tmp_path, tree):
    """tinyml is real code: its own test suite passes on the final tree."""
    for path, text in tree.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    # Our own pytest plugins (hypothesis, playwright, ...) are irrelevant to tinyml and slow.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert " passed" in result.stdout


def test_shipped_bundle_holds_the_history(tmp_path, history, tree):
    """The shipped bundle clones into the generator's history, file for file."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "tinyml"
    head = clone_sample(root)

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        ).stdout

    assert git("rev-parse", "HEAD").strip() == head
    assert sorted(git("ls-files").split()) == sorted(tree)
    assert int(git("rev-list", "--count", "HEAD")) == len(history)
    assert (root / "tinyml/optim/adam.py").read_text() == tree["tinyml/optim/adam.py"]
    log = git("log", "--format=%ae", "--no-renames")
    assert len(set(log.split())) == len({c.author_email for c in history})
    assert "Fixes #" in git("log", "--format=%B")


def test_sample_loads_into_the_loopback_server(payloads, github_server):
    """The sample, fed to the test server (whose `load_rest_payloads` names its keys a little
    differently), is served back with the same issues and cross-references."""
    import urllib.request

    ds = github_server.dataset
    serve_sample(ds, payloads)

    def get(path: str) -> Any:
        with urllib.request.urlopen(f"{github_server.url}/repos/{SAMPLE_SLUG}{path}") as resp:
            return json.load(resp)

    served = get("/issues?state=all&per_page=100")
    assert sorted(i["number"] for i in served) == sorted(i["number"] for i in payloads["issues"])
    issue_number, pr_number = next(iter(merged_fixes().items()))
    refs = [e for e in get(f"/issues/{issue_number}/timeline") if e["event"] == "cross-referenced"]
    assert [e["source"]["issue"]["number"] for e in refs] == [pr_number]
    files = [f["filename"] for f in get(f"/pulls/{pr_number}/files")]
    assert files == [f["filename"] for f in payloads["pull_files"][str(pr_number)]]


def test_loopback_server_serves_the_shipped_json(payloads):
    """One builder of REST objects: the sample, loaded into the test server, is served back
    exactly as shipped (labels, issues, comments, timelines, pulls and their files)."""
    from ghserver import ApiRequest, Dataset, handle

    ds = Dataset()
    serve_sample(ds, payloads)

    def get(path: str) -> Any:
        query = {"state": "all", "per_page": "100"}
        request = ApiRequest(f"/repos/{SAMPLE_SLUG}{path}", query, "https://api.github.com", True)
        response = handle(ds, request)
        assert response.status == 200, path
        return response.body

    assert get("/labels") == payloads["labels"]
    assert get("/issues") == payloads["issues"]
    for number, comments in payloads["comments"].items():
        assert get(f"/issues/{number}/comments") == comments, number
    for number, events in payloads["timelines"].items():
        assert get(f"/issues/{number}/timeline") == events, number
    for number, pull in payloads["pulls"].items():
        assert get(f"/pulls/{number}") == pull, number
        assert get(f"/pulls/{number}/files") == payloads["pull_files"][number], number


def _days_between(a: str, b: str) -> float:
    from datetime import datetime

    def parse(s: str) -> datetime:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))

    return (parse(b) - parse(a)).total_seconds() / 86400
