"""A non-source file deleted from the working tree for one map and restored (git
checkout) before the next is back in the next map, also when blob ids changed otherwise
(the `_quick_selection` path must not reuse the last map's tracked files then)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from gitfixtures import git
from mapfixtures import make_map_repo, map_code
from prready.app.map import ScanStats
from prready.code_models import CodeMap
from prready.paths import resolve_paths
from prready.render.map import code_map_json


def _everything(cm: CodeMap) -> dict[str, object]:
    out: dict[str, object] = {
        f.name: getattr(cm, f.name) for f in fields(CodeMap) if f.name not in ("key", "graph")
    }
    out["json"] = code_map_json(cm)
    return out


def _cold(root: Path, tmp_path: Path, step: str) -> CodeMap:
    return map_code(
        "me/mylib", resolve_paths({"PRREADY_HOME": str(tmp_path / f"cold-{step}")}), checkout=root
    )


def test_restored_codeowners_is_back_in_the_map(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    first = map_code("me/mylib", resolve_paths(), checkout=root)
    assert first.codeowners  # the fixture has .github/CODEOWNERS

    (root / ".github/CODEOWNERS").unlink()  # deleted on disk (not committed)
    gone = map_code("me/mylib", resolve_paths(), checkout=root)
    assert not gone.codeowners

    # CODEOWNERS restored; a Python file edited (only blob ids changed since the last map).
    git("checkout", "--", ".github/CODEOWNERS", cwd=root)
    core = root / "src/mylib/core.py"
    core.write_text(core.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stats = ScanStats()
    warm = map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    cold = _cold(root, tmp_path, "restored")
    assert cold.codeowners
    assert warm.codeowners == cold.codeowners, f"incremental={stats.incremental}"
    assert _everything(warm) == _everything(cold)


def test_restored_codeowners_without_other_edits(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    map_code("me/mylib", resolve_paths(), checkout=root)
    (root / ".github/CODEOWNERS").unlink()
    map_code("me/mylib", resolve_paths(), checkout=root)
    git("checkout", "--", ".github/CODEOWNERS", cwd=root)
    stats = ScanStats()
    warm = map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    cold = _cold(root, tmp_path, "restored2")
    assert warm.codeowners == cold.codeowners, (
        f"incremental={stats.incremental} snapshot={stats.snapshot}"
    )
    assert _everything(warm) == _everything(cold)


def test_restored_contributing_guide_is_back_after_a_commit(tmp_path: Path) -> None:
    """The same with CONTRIBUTING.md and a committed edit (the plan's contributing step
    reads `contributing`)."""
    from gitfixtures import commit_files

    root = make_map_repo(tmp_path)
    map_code("me/mylib", resolve_paths(), checkout=root)
    (root / "CONTRIBUTING.md").unlink()
    map_code("me/mylib", resolve_paths(), checkout=root)
    git("checkout", "--", "CONTRIBUTING.md", cwd=root)
    core = root / "src/mylib/core.py"
    commit_files(root, {"src/mylib/core.py": core.read_text(encoding="utf-8") + "\n# c\n"}, "edit")
    warm = map_code("me/mylib", resolve_paths(), checkout=root)
    cold = _cold(root, tmp_path, "contributing")
    assert (warm.contributing, warm.contributing_source) == (
        cold.contributing,
        cold.contributing_source,
    )
    assert warm.files == cold.files
    # Sticky: the wrong map is stored under the tree's key and restored from then on.
    again = map_code("me/mylib", resolve_paths(), checkout=root)
    assert again.contributing == cold.contributing


def test_the_issue_templates_are_read_into_the_map_and_follow_edits(tmp_path: Path) -> None:
    """The templates' text (what mapping leaves out of an issue) is read from the
    checkout's `.github/ISSUE_TEMPLATE/`, and a committed edit reaches a warm map as a
    cold one."""
    from gitfixtures import commit_files

    root = make_map_repo(tmp_path)
    form = (
        "name: Bug\ntitle: '[Bug]: '\nbody:\n  - type: textarea\n    attributes:\n"
        "      label: Describe the bug\n      value: What went wrong?\n"
    )
    commit_files(root, {".github/ISSUE_TEMPLATE/bug.yml": form}, "add a bug form")
    first = map_code("me/mylib", resolve_paths(), checkout=root)
    assert first.issue_templates["lines"] == ["describe the bug", "what went wrong?"]
    assert first.issue_templates["titles"] == ["[bug]:"]
    commit_files(
        root,
        {".github/ISSUE_TEMPLATE/bug.yml": form.replace("What went wrong?", "Show a traceback")},
        "reword the form",
    )
    warm = map_code("me/mylib", resolve_paths(), checkout=root)
    cold = _cold(root, tmp_path, "templates")
    assert warm.issue_templates["lines"] == ["describe the bug", "show a traceback"]
    assert _everything(warm) == _everything(cold)


def test_a_contributing_guide_linked_inside_the_checkout_is_read(tmp_path: Path) -> None:
    """peft's CONTRIBUTING.md is a symlink to docs/source/developer_guides/contributing.md:
    a link to a tracked file of the checkout is followed; one leading out of it, or to a
    file git does not track (`.git/config`), is not."""
    from gitfixtures import commit_files

    root = make_map_repo(tmp_path)
    guide = "# Contributing\n\nRun `make style` before opening a pull request.\n"
    outside = tmp_path / "outside.md"
    outside.write_text("SECRET outside the checkout\n", encoding="utf-8")
    (root / "CONTRIBUTING.md").unlink()
    # (peft's own path: a docs/contributing.md would be found in its own right)
    linked = "docs/source/developer_guides/contributing.md"
    for target, expected in (
        (linked, guide),
        (str(outside), ""),
        ("../outside.md", ""),
        (".git/config", ""),
    ):
        link = root / "CONTRIBUTING.md"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
        commit_files(root, {linked: guide}, f"guide via {target}")
        mapped = _cold(root, tmp_path, str(abs(hash(target))))
        assert mapped.contributing == expected, target
        assert "SECRET" not in mapped.contributing and "[core]" not in mapped.contributing
