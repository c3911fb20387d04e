"""Hostile repositories through `prready map`: symlinks out of the tree, non-UTF-8 files
and names, Python that does not parse, a 10 MB generated file, very deep folders, spaces
and non-ASCII names, submodules. Each is skipped or read safely with a count in the
output; cloning never runs hooks or uses unsafe transports (ext::, fd::, options)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from gitfixtures import make_bare_remote
from rhelpers import REPO, assert_clean_failure, assert_ok, invoke

OUTSIDE_MARKER = "SECRET_OUTSIDE_MARKER_7f3a"
DEPTH = 60


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode()


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository holding every hostile case at once, committed."""
    base = tmp_path_factory.mktemp("hostile")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f"{OUTSIDE_MARKER} = 1\nimport os\n")
    sub = base / "sub"
    sub.mkdir()
    git("init", "-q", cwd=sub)
    (sub / "a.py").write_text("x = 1\n")
    git("add", "-A", cwd=sub)
    git("commit", "-qm", "sub", cwd=sub)

    repo = base / "repo"
    pkg = repo / "pkg"
    pkg.mkdir(parents=True)
    git("init", "-q", cwd=repo)
    (pkg / "__init__.py").write_text("")
    (pkg / "ok.py").write_text("import os\nfrom pkg import helpers\n")
    (pkg / "helpers.py").write_text("def helper():\n    return 1\n")
    (pkg / "link_out.py").symlink_to(outside / "secret.py")
    (pkg / "link_rel.py").symlink_to(Path("..") / ".." / "outside" / "secret.py")
    (pkg / "link_etc.py").symlink_to("/etc/passwd")
    (pkg / "latin1.py").write_bytes("café = 'é'\n".encode("latin-1"))
    (pkg / "utf16.py").write_bytes("x = 1\n".encode("utf-16"))
    (pkg / "py2.py").write_text('print "hello"\nexec "x = 1"\n')
    (pkg / "broken.py").write_text("def f(:\n    return\n")
    (pkg / "unterminated.py").write_text('s = """never closed\n')
    (pkg / "big_table.py").write_text("X = [\n" + "    1,\n" * 1_500_000 + "]\n")  # ~10 MB
    deep = pkg.joinpath(*[f"d{i}" for i in range(DEPTH)])
    deep.mkdir(parents=True)
    (deep / "deep.py").write_text("from pkg import helpers\n")
    (pkg / "with space").mkdir()
    (pkg / "with space" / "mod.py").write_text("import pkg.ok\n")
    (pkg / "ünïcode_名前.py").write_text("import pkg.helpers\n")
    (pkg / "ops.cpp").write_bytes(b'#include "ops.h"\n// \xff\xfe latin-1 comment\n')
    (pkg / "ops.h").write_text("int add(int a, int b);\n")
    os.makedirs(os.fsencode(pkg) + b"/bad\xffdir", exist_ok=True)
    with open(os.fsencode(pkg) + b"/bad\xffname.py", "wb") as fh:
        fh.write(b"x = 1\n")
    git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(sub),
        "vendored_sub",
        cwd=repo,
    )
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "hostile", cwd=repo)
    return repo


def map_json(*args: str) -> dict[str, Any]:
    result = invoke("map", REPO, *args, "--format", "json")
    assert_ok(result)
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_map_text_output_counts_every_skip(hostile_repo: Path) -> None:
    result = invoke("map", REPO, "--checkout", str(hostile_repo))
    assert_ok(result)
    skipped = next(line for line in result.stdout.splitlines() if line.startswith("skipped:"))
    for count in ("3 symlink", "1 submodule", "1 too-large", "1 bad-name"):
        assert count in skipped, skipped
    assert "not-utf8" in skipped and "syntax-error" in skipped


def test_symlinks_out_of_the_tree_are_never_read(hostile_repo: Path) -> None:
    data = map_json("--checkout", str(hostile_repo))
    text = json.dumps(data)
    assert OUTSIDE_MARKER not in text and "root:x:0:0" not in text
    assert sorted(data["skipped"]["symlink"]) == [
        "pkg/link_etc.py",
        "pkg/link_out.py",
        "pkg/link_rel.py",
    ]
    names = {m["path"] for m in data["modules"]}
    assert not any("link_" in n for n in names)


def test_undecodable_and_unparsable_python_is_counted_not_fatal(hostile_repo: Path) -> None:
    data = map_json("--checkout", str(hostile_repo))
    assert set(data["skipped"]["not-utf8"]) >= {"pkg/latin1.py", "pkg/utf16.py"}
    assert (
        "pkg/broken.py" in data["skipped"]["syntax-error"]
        or "pkg/unterminated.py" in data["skipped"]["syntax-error"]
    )
    # Python 2 is read leniently (imports found by scanning), never a crash.
    modules = {m["path"]: m for m in data["modules"]}
    assert "pkg/ok.py" in modules and "pkg/helpers.py" in modules


def test_large_generated_file_is_skipped_fast_and_small(hostile_repo: Path) -> None:
    start = time.monotonic()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = map_json("--checkout", str(hostile_repo))
    took = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert data["skipped"]["too-large"] == ["pkg/big_table.py"]
    assert took < 60 and grown_mb < 200, (took, grown_mb)


def test_deep_spaced_and_non_ascii_paths_are_mapped(hostile_repo: Path) -> None:
    data = map_json("--checkout", str(hostile_repo))
    paths = {m["path"] for m in data["modules"]}
    deep = "pkg/" + "/".join(f"d{i}" for i in range(DEPTH)) + "/deep.py"
    assert deep in paths
    assert "pkg/with space/mod.py" in paths
    assert "pkg/ünïcode_名前.py" in paths
    assert data["skipped"]["bad-name"] and all(
        "\udcff" not in p for p in data["skipped"]["bad-name"]
    )


def test_submodule_is_listed_not_followed(hostile_repo: Path) -> None:
    data = map_json("--checkout", str(hostile_repo))
    assert data["skipped"]["submodule"] == ["vendored_sub"]
    assert not any(m["path"].startswith("vendored_sub/") for m in data["modules"])


def test_graphml_export_of_hostile_names_is_valid_xml(hostile_repo: Path, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    out = tmp_path / "map.graphml"
    assert_ok(
        invoke(
            "map",
            REPO,
            "--checkout",
            str(hostile_repo),
            "--format",
            "graphml",
            "--output",
            str(out),
        )
    )
    root = ET.parse(out).getroot()
    assert root.tag.endswith("graphml")


def test_checkout_is_not_modified_by_mapping(hostile_repo: Path) -> None:
    before = git("status", "--porcelain", "--ignored", cwd=hostile_repo)
    head = git("rev-parse", "HEAD", cwd=hostile_repo)
    assert_ok(invoke("map", REPO, "--checkout", str(hostile_repo)))
    assert git("status", "--porcelain", "--ignored", cwd=hostile_repo) == before
    assert git("rev-parse", "HEAD", cwd=hostile_repo) == head


# ---------------------------------------------------------------------- cloning safely
def hook_trap(home: Path) -> Path:
    """Global git config whose hooks and template hooks would drop a marker file if run."""
    marker = home / "HOOK-RAN"
    hooks = home / "evil-hooks"
    (hooks).mkdir(parents=True, exist_ok=True)
    template = home / "evil-template"
    (template / "hooks").mkdir(parents=True, exist_ok=True)
    for folder in (hooks, template / "hooks"):
        for name in (
            "post-checkout",
            "post-merge",
            "reference-transaction",
            "pre-auto-gc",
            "post-index-change",
            "fsmonitor-watchman",
        ):
            script = folder / name
            script.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
            script.chmod(0o755)
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(
        config.read_text()
        + f"[core]\n\thooksPath = {hooks}\n\tfsmonitor = {hooks / 'fsmonitor-watchman'}\n"
        + f"[init]\n\ttemplateDir = {template}\n"
    )
    return marker


def test_clone_and_update_never_run_hooks(hostile_repo: Path, tmp_path: Path) -> None:
    remote = make_bare_remote(hostile_repo, tmp_path / "remote.git")
    marker = hook_trap(tmp_path)
    assert_ok(invoke("map", REPO, "--git-url", remote))  # clone
    assert_ok(invoke("map", REPO, "--git-url", remote))  # fetch + update
    assert not marker.exists()


def test_submodule_with_ext_url_is_never_fetched(tmp_path: Path) -> None:
    marker = tmp_path / "EXT-RAN"
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "a.py").write_text("x = 1\n")
    (repo / ".gitmodules").write_text(
        f'[submodule "evil"]\n\tpath = evil\n\turl = ext::sh -c touch% {marker}\n'
    )
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "evil submodule", cwd=repo)
    remote = make_bare_remote(repo, tmp_path / "remote.git")
    assert_ok(invoke("map", REPO, "--git-url", remote))
    assert not marker.exists()


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% {marker}",
        "fd::3",
        "-u touch {marker}",
        "--upload-pack=touch {marker}",
        "http://example.com/acme/widgets.git",
        "ftp://example.com/acme/widgets.git",
        "https://github.com/acme/widgets.git\n--upload-pack=x",
    ],
)
def test_unsafe_clone_urls_are_refused_in_one_line(tmp_path: Path, url: str) -> None:
    marker = tmp_path / "UNSAFE-RAN"
    result = invoke("map", REPO, "--git-url", url.format(marker=marker))
    assert_clean_failure(result, code=2)
    assert not marker.exists()
