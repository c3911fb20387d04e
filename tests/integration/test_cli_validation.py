"""Input checked at the edge, through the real CLI: a --checkout of another repository,
an unknown --module, `track` on issues that do not exist, pull requests given as issues or
of another repository, moving back from done, repository names in another case, and
unknown config keys. Each is one actionable line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gitfixtures import commit_files, git
from progress_fixtures import issue
from prready.app.demo import build_sample_origin, load_sample_issues
from prready.app.workspace import Workspace
from prready.cli import cli
from prready.demo import SAMPLE_SLUG
from prready.paths import resolve_paths
from prready.store import issues_store

REPO = "acme/widgets"
PR = f"https://github.com/{REPO}/pull/40"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_line_error(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    # Progress lines may come first on stderr; the error is one line, and the last.
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert lines and lines[-1].startswith("Error: "), result.stderr
    assert sum(x.startswith("Error") for x in lines) == 1, result.stderr
    return lines[-1]


def store_issues(*numbers: int, repo: str = REPO) -> None:
    conn = issues_store.open_cache(resolve_paths())
    issues_store.save_issues(conn, [issue(n, repo=repo) for n in numbers])
    conn.close()


def small_repo(
    tmp_path: Path, *, origin: str | None, project: str | None = None, urls: str = ""
) -> Path:
    repo = tmp_path / "clone"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    files = {"pkg/__init__.py": "X = 1\n"}
    if project:
        files["pyproject.toml"] = f'[project]\nname = "{project}"\n' + urls
    commit_files(repo, files, "first")
    if origin:
        git("remote", "add", "origin", origin, cwd=repo)
    return repo


# ---------------------------------------------------------------------- --checkout
def test_checkout_of_another_repository_is_refused(tmp_path: Path) -> None:
    clone = small_repo(tmp_path, origin="https://github.com/huggingface/accelerate.git")
    line = one_line_error(run("map", "pytorch/pytorch", "--checkout", str(clone)))
    assert "huggingface/accelerate" in line and "--allow-other-checkout" in line
    ok = run("map", "pytorch/pytorch", "--checkout", str(clone), "--allow-other-checkout")
    assert ok.exit_code == 0, ok.output


def test_checkout_of_a_fork_is_accepted(tmp_path: Path) -> None:
    clone = small_repo(tmp_path, origin="git@github.com:someone/PyTorch.git")
    result = run("map", "pytorch/pytorch", "--checkout", str(clone))
    assert result.exit_code == 0, result.output


def test_checkout_without_remote_is_judged_by_its_pyproject(tmp_path: Path) -> None:
    clone = small_repo(tmp_path, origin=None, project="accelerate")
    line = one_line_error(run("map", "pytorch/pytorch", "--checkout", str(clone)))
    assert "'accelerate'" in line and "pyproject.toml" in line
    assert run("map", "huggingface/accelerate", "--checkout", str(clone)).exit_code == 0


def test_checkout_without_remote_or_pyproject_is_judged_by_its_setup_files(
    tmp_path: Path,
) -> None:
    # accelerate and peft have a setup.py only; a clone of a local mirror has no GitHub
    # origin. The literal name in `setup(...)` (never run) or setup.cfg's tells them apart.
    clone = small_repo(tmp_path, origin=str(tmp_path / "mirror"))
    marker = tmp_path / "RAN"
    (clone / "setup.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n"
        'VERSION = "\\d+"  # an invalid escape: a warning when parsed, never shown\n'
        "from setuptools import setup\n"
        'setup(name="peft", version="0.1", url="https://github.com/huggingface/peft")\n',
        encoding="utf-8",
    )
    refused = run("plan", "huggingface/accelerate", "--offline", "--checkout", str(clone))
    line = one_line_error(refused)
    assert "'peft'" in line and "setup.py" in line and "--allow-other-checkout" in line
    assert "Warning" not in refused.output
    line = one_line_error(run("backtest", "huggingface/pfet", "--offline", "--checkout", str(clone)))
    assert "'peft'" in line  # a misspelled repository name
    assert run("map", "huggingface/peft", "--checkout", str(clone)).exit_code == 0
    assert not marker.exists()  # read, never run
    # A name setup.py works out at run time says nothing; setup.cfg's [metadata] does.
    (clone / "setup.py").write_text("import os\nsetup(name=os.environ['N'])\n", encoding="utf-8")
    assert run("map", "huggingface/accelerate", "--checkout", str(clone)).exit_code == 0
    (clone / "setup.cfg").write_text("[metadata]\nname = peft\n", encoding="utf-8")
    line = one_line_error(run("map", "huggingface/accelerate", "--checkout", str(clone)))
    assert "'peft'" in line and "setup.cfg" in line


def test_checkout_whose_checkout_did_not_finish_is_refused(tmp_path: Path) -> None:
    # A clone from a mirror missing some blobs: git reports "checkout failed" and leaves no
    # index, so the files on disk are tracked by nothing. It used to map as an empty
    # repository, and every plan step said "no module could be identified".
    clone = small_repo(tmp_path, origin="https://github.com/huggingface/accelerate.git")
    (clone / ".git" / "index").unlink()
    result = run("map", "huggingface/accelerate", "--checkout", str(clone))
    line = one_line_error(result)
    assert result.exit_code != 0 and "checkout did not finish" in line and "`git reset`" in line
    git("reset", "-q", cwd=clone)  # the repair it names: the same checkout maps again
    assert run("map", "huggingface/accelerate", "--checkout", str(clone)).exit_code == 0
    # An empty repository (no commit yet) is no such case.
    empty = tmp_path / "empty"
    empty.mkdir()
    git("init", "-q", "-b", "main", cwd=empty)
    assert "did not finish" not in run("map", "acme/empty", "--checkout", str(empty)).output


def test_checkout_whose_pyproject_links_the_repository_is_accepted(tmp_path: Path) -> None:
    # timm's pyproject.toml: name "timm", [project.urls] repository = the GitHub repository
    urls = (
        '[project.urls]\ndocumentation = "https://huggingface.co/docs/timm"\n'
        'repository = "https://github.com/huggingface/pytorch-image-models"\n'
    )
    clone = small_repo(tmp_path, origin=None, project="timm", urls=urls)
    ok = run("map", "huggingface/pytorch-image-models", "--checkout", str(clone))
    assert ok.exit_code == 0, ok.output
    line = one_line_error(run("map", "pytorch/pytorch", "--checkout", str(clone)))
    assert "'timm'" in line and "pyproject.toml" in line


# ---------------------------------------------------------------------- --module
def test_unknown_module_lists_close_matches() -> None:
    paths = resolve_paths()
    origin = build_sample_origin(paths)
    with Workspace(paths) as ws:
        load_sample_issues(ws)
    args = ["plan", SAMPLE_SLUG, "--offline", "--checkout", str(origin), "-o", "-"]
    line = one_line_error(run(*args, "--module", "tinyml.nnn"))
    assert "tinyml.nnn" in line and "did you mean" in line and "tinyml.nn" in line
    good = run(*args, "--module", "tinyml.nn")
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["repo"] == SAMPLE_SLUG


def test_an_unknown_skill_or_hardware_is_said_before_the_code_is_mapped() -> None:
    paths = resolve_paths()
    origin = build_sample_origin(paths)
    with Workspace(paths) as ws:
        load_sample_issues(ws)
    args = ["plan", SAMPLE_SLUG, "--offline", "--checkout", str(origin), "-o", "-"]
    for option, value, said in (("--skills", "pytorch", "unknown skill 'pytorch'"),
                                ("--hardware", "quantum", "quantum")):  # fmt: skip
        result = run(*args, option, value)
        assert said in one_line_error(result)
        assert "scan" not in result.stderr.lower(), result.stderr  # (no file was read)
    assert "scan" in run(*args).stderr.lower()  # (what a map shows, to be sure it would)


# ---------------------------------------------------------------------- track
def test_track_refuses_an_issue_the_store_does_not_hold_offline() -> None:
    line = one_line_error(run("track", f"{REPO}#7", "start", "--offline"))
    assert "prready sync acme/widgets" in line and "--force" in line
    assert run("track", f"{REPO}#7", "start", "--offline", "--force").exit_code == 0


def test_track_asks_github_about_an_unknown_issue(github_server: Any) -> None:
    ds = github_server.dataset
    ds.add_repo(REPO)
    number = ds.add_issue(REPO, "Real issue")
    pull = ds.add_pull(REPO, "A fix", references=[number])
    net = ["--api-url", github_server.url, "--token", "t0ken"]
    assert run("track", f"{REPO}#{number}", "start", *net).exit_code == 0
    line = one_line_error(run("track", f"{REPO}#999", "start", *net))
    assert "GitHub has no issue #999" in line
    line = one_line_error(run("track", f"{REPO}#{pull}", "start", *net))
    assert "is a pull request, not an issue" in line


def test_track_refuses_a_pull_request_url_as_the_issue() -> None:
    store_issues(3)
    line = one_line_error(run("track", f"https://github.com/{REPO}/pull/3", "start"))
    assert "is a pull request, not an issue" in line


def test_track_refuses_a_pull_request_of_another_repository() -> None:
    store_issues(3)
    other = "https://github.com/other/repo/pull/3"
    line = one_line_error(run("track", f"{REPO}#3", "pr", other))
    assert "other/repo" in line and REPO in line
    assert run("track", f"{REPO}#3", "pr", PR).exit_code == 0


def test_moving_back_from_done_needs_force() -> None:
    store_issues(4)
    assert run("track", f"{REPO}#4", "done").exit_code == 0
    for action in ("start", "drop"):
        line = one_line_error(run("track", f"{REPO}#4", action))
        assert "done" in line and "--force" in line
    moved = run("track", f"{REPO}#4", "start", "--force")
    assert moved.exit_code == 0 and "started" in moved.stdout
    assert run("track", f"{REPO}#4", "done").exit_code == 0  # done again is fine


def test_repository_names_ignore_case() -> None:
    store_issues(1, 2)
    assert run("track", f"{REPO}#1", "start").exit_code == 0
    result = run("track", "ACME/Widgets#2", "start")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{REPO}#2")
    status = json.loads(run("status", "--format", "json").stdout)
    assert [r["repo"] for r in status["repos"]] == [REPO]
    assert json.loads(run("status", "Acme/WIDGETS", "--format", "json").stdout)["repos"]


# ---------------------------------------------------------------------- config
@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[plan]\nclaim_dayz = 10\n", "plan.claim_dayz (did you mean plan.claim_days?)"),
        ("[profile]\nskils = ['python']\n", "profile.skils (did you mean profile.skills?)"),
        ("[lables]\nbug = 'bug'\n", "lables (did you mean [labels]?)"),
    ],
)
def test_unknown_config_keys_are_reported_with_the_nearest_key(
    toml: str, expected: str, tmp_path: Path
) -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(toml, encoding="utf-8")
    issues = tmp_path / "issues.json"
    issues.write_text("[]", encoding="utf-8")
    result = run("sync", REPO, "--from-file", str(issues))
    assert result.exit_code == 0, result.output
    assert expected in result.stderr and "ignored" in result.stderr


def test_library_checks_name_no_cli_flag() -> None:
    from prready.app.issues import list_issues
    from prready.app.plan import PlanOptions, Source, run_plan
    from prready.errors import UsageError

    with Workspace(resolve_paths(), offline=True) as ws:
        with pytest.raises(UsageError) as state:
            list_issues(ws, REPO, state="bogus")
        with pytest.raises(UsageError) as limit:
            list_issues(ws, REPO, limit=0)
        with pytest.raises(UsageError) as fmt:
            run_plan(ws, REPO, PlanOptions(fmt="pdf"), Source())
    for raised in (state, limit, fmt):
        assert "--" not in str(raised.value), raised.value


def test_output_format_comes_from_the_suffix_or_is_one_line(tmp_path: Path) -> None:
    """`plan`/`demo` and `map` read the format from --output's suffix the same way: '-' is
    JSON, a plan file without a suffix is HTML, a suffix they do not write is one line."""
    from prready.cli.map_cmd import _map_format
    from prready.cli.runtime import plan_format

    assert [plan_format(None, Path(p)) for p in ("a.htm", "a.MD", "-", "plan")] == [
        "html",
        "md",
        "json",
        "html",
    ]
    assert plan_format(None, None) == "html" and plan_format("md", Path("a.json")) == "md"
    assert [_map_format(None, p) for p in ("m.graphml", "m.JSON", "-", None)] == [
        "graphml",
        "json",
        "json",
        "text",
    ]
    line = one_line_error(run("demo", "--output", str(tmp_path / "plan.txt")))
    assert "cannot tell the plan format from '.txt'" in line
    line = one_line_error(run("map", "me/lib", "--output", "map"))
    assert "cannot tell the export format from 'map': add --format json or graphml" in line
    line = one_line_error(run("demo", "--output", "-", "--open"))
    assert "--open needs a file" in line
