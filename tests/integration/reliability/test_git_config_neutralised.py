"""A `--checkout` whose own git config names programs runs none of them.

Every git command prready runs in a repository overrides each command-bearing key that
repository's config (or a file it includes) sets: filters, diff/merge drivers, helpers,
ssh/askpass/editor/pager commands, gpg, upload-pack hooks, extra protocols. One test per
key asks git itself what value it sees under prready's environment; one test arms every
key at once, makes every file stat-dirty (the state after copying a clone) and runs the
whole `prready map` pipeline, with a positive control proving the trap fires in plain git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from prready.sources import git_repo
from rhelpers import REPO, assert_clean_failure, assert_ok, invoke

# (key as a user would write it, the value prready must make git see)
COMMAND_KEYS = [
    ("filter.trap.clean", ""),
    ("filter.trap.smudge", ""),
    ("filter.trap.process", ""),
    ("filter.trap.required", "false"),
    ("filter.Odd Name=1.clean", ""),
    ("diff.trap.textconv", ""),
    ("diff.trap.command", ""),
    ("diff.external", ""),
    ("merge.trap.driver", ""),
    ("mergetool.trap.cmd", ""),
    ("difftool.trap.cmd", ""),
    ("credential.helper", ""),
    ("credential.https://example.com.helper", ""),
    ("gpg.program", ""),
    ("gpg.ssh.program", ""),
    ("core.sshCommand", ""),
    ("core.askPass", ""),
    ("core.editor", ""),
    ("core.pager", ""),
    ("core.gitProxy", ""),
    ("core.alternateRefsCommand", ""),
    ("sequence.editor", ""),
    ("pager.log", ""),
    ("alias.log", ""),
    ("uploadpack.packObjectsHook", ""),
    ("remote.origin.uploadpack", ""),
    ("remote.origin.receivepack", ""),
    ("remote.origin.vcs", ""),
    ("trailer.trap.command", ""),
    ("log.showSignature", "false"),
    ("protocol.ext.allow", "never"),
    ("protocol.fd.allow", "never"),
]


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env={**base, **(env or {})}, capture_output=True, check=False
    )


def make_repo(path: Path) -> Path:
    pkg = path / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "core.py").write_text("import os\n\ndef run():\n    return os.sep\n")
    (path / "CONTRIBUTING.md").write_text("# Contributing\n\nRun `pytest`.\n")
    (path / ".gitattributes").write_text("* filter=trap diff=trap merge=trap\n")
    assert git("init", "-q", cwd=path).returncode == 0
    assert git("add", "-A", cwd=path).returncode == 0
    assert git("commit", "-qm", "init", cwd=path).returncode == 0
    return path


def stat_dirty(repo: Path) -> None:
    """Touch every tracked file: git must re-read them (as after `cp -r` or unpacking)."""
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            os.utime(path, (1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize(("key", "safe"), COMMAND_KEYS, ids=[k for k, _ in COMMAND_KEYS])
def test_each_command_key_is_neutralised(tmp_path: Path, key: str, safe: str) -> None:
    repo = make_repo(tmp_path / "repo")
    armed = f"touch '{tmp_path / 'MARKER'}'" if safe == "" else "always" if "protocol" in key else "true"
    assert git("config", "--local", key, armed, cwd=repo).returncode == 0
    # What git itself sees when prready runs it in this checkout:
    seen = git_repo._run(repo, ["config", "--get", key]).decode().strip()
    assert seen == safe, (key, seen)


def test_keys_from_an_included_file_are_neutralised(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    included = tmp_path / "included.cfg"
    included.write_text(f"[core]\n\tsshCommand = touch {tmp_path / 'MARKER'}\n")
    assert git("config", "--local", "include.path", str(included), cwd=repo).returncode == 0
    assert git_repo._run(repo, ["config", "--get", "core.sshCommand"]).strip() == b""


def test_checkout_armed_with_every_key_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    repo = make_repo(tmp_path / "repo")
    filter_cmd = f"sh -c 'touch {marker}; cat'"
    for key, safe in COMMAND_KEYS:
        if safe == "":
            value = filter_cmd if key.startswith("filter.") else f"touch {marker}"
        else:
            value = "always" if key.startswith("protocol.") else "true"
        assert git("config", "--local", key, value, cwd=repo).returncode == 0
    # Positive control on a copy: plain git runs the clean filter when it refreshes the
    # index of a stat-dirty checkout, so the trap is armed.
    control = tmp_path / "control"
    shutil.copytree(repo, control, symlinks=True)
    stat_dirty(control)
    git("update-index", "--refresh", cwd=control)
    assert marker.exists(), "the trap did not fire in plain git: this test would prove nothing"
    marker.unlink()

    stat_dirty(repo)
    git_repo.list_files(repo)
    git_repo.read_history(repo)
    git_repo.head_date(repo)
    assert_ok(invoke("map", REPO, "--checkout", str(repo)))
    assert not marker.exists()


def test_checkout_whose_config_moves_the_work_tree_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert git("config", "--local", "core.worktree", str(elsewhere), cwd=repo).returncode == 0
    line = assert_clean_failure(invoke("map", REPO, "--checkout", str(repo)), code=2)
    assert "working tree" in line


def test_overrides_from_a_listing_cover_scopes_as_documented() -> None:
    listing = (
        b"global\0filter.lfs.process\ngit-lfs filter-process\0"
        b"global\0core.sshcommand\nssh -i key\0"
        b"local\0core.sshcommand\nevil\0"
        b"local\0protocol.https.allow\nalways\0"
        b"local\0protocol.ext.allow\nalways\0"
    )
    pairs = dict(git_repo.neutralising_overrides(listing))
    # A hostile .gitattributes may name the user's own filter: drivers go from every scope.
    assert pairs["filter.lfs.process"] == ""
    assert pairs["filter.lfs.required"] == "false"
    # The user's own ssh command stays unless the repository sets one.
    assert pairs["core.sshcommand"] == ""
    assert "protocol.https.allow" not in pairs
    assert pairs["protocol.ext.allow"] == "never"
    only_global = dict(git_repo.neutralising_overrides(b"global\0core.sshcommand\nssh -i k\0"))
    assert only_global == {}
