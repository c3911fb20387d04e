"""The demo repository's history: ~18 months of commits by six maintainers.

The final tree is the sample code; each commit says what it added and how it changed
files (hunks). Earlier versions of every file are derived by undoing the hunks of later
commits, newest first, so the history always ends exactly at the final tree and every
intermediate version is what the commit messages describe (a buggy line before its fix,
a module before a feature landed). Fix commits come from the sample's merged pull
requests and carry their "Fixes #N".
"""

from __future__ import annotations

import copy
import difflib
import functools

from prready.code_models import HistoryCommit

from .history_steps import FIX_HUNKS, Hunk, Step, maintainer_steps
from .issue_items import MAINTAINERS
from .sample_code import python_files
from .sample_code_ml import ml_files
from .sample_items import all_items, item_numbers, resolve_refs
from .sample_native import native_files
from .sample_repo_files import repo_files


def sample_tree() -> dict[str, str]:
    """The repository's final tree: {path: text}."""
    tree: dict[str, str] = {}
    for part in (python_files(), ml_files(), native_files(), repo_files()):
        tree.update(part)
    return dict(sorted(tree.items()))


def sample_history() -> list[HistoryCommit]:
    """The commits that build the sample repository, oldest first (deterministic)."""
    return [copy.deepcopy(commit) for _, commit, _ in _replay()]


def tree_at(date: str) -> dict[str, str]:
    """The tree as of `date` (ISO 8601): after the last commit made at or before it."""
    tree: dict[str, str] = {}
    for _, commit, after in _replay():
        if commit.date <= date:
            tree = after
    return dict(tree)


def file_change_stats(pr_key: str) -> list[tuple[str, str, int, int]]:
    """(path, status, additions, deletions) for a merged pull request's commit."""
    before: dict[str, str] = {}
    for step, _, after in _replay():
        if step.pr != pr_key:
            before = after
            continue
        stats = []
        for path in sorted({*step.adds, *step.hunks}):
            old = before.get(path, "").splitlines()
            new = after[path].splitlines()
            added = removed = 0
            for line in difflib.unified_diff(old, new, lineterm="", n=0):
                if line.startswith("+") and not line.startswith("+++"):
                    added += 1
                elif line.startswith("-") and not line.startswith("---"):
                    removed += 1
            stats.append((path, "added" if path not in before else "modified", added, removed))
        return stats
    raise KeyError(pr_key)


@functools.lru_cache(maxsize=1)
def _replay() -> tuple[tuple[Step, HistoryCommit, dict[str, str]], ...]:
    """Each commit with the tree after it, computed by undoing hunks from the final tree.

    Cached: callers must not mutate what they get (public functions hand out copies)."""
    steps = _steps()
    state = sample_tree()
    afters: list[dict[str, str]] = []
    for step in reversed(steps):
        afters.append(dict(state))
        state = _undo(step, state)
    if state:
        raise ValueError(f"sample history never adds: {sorted(state)}")
    afters.reverse()
    out = []
    for step, after in zip(steps, afters, strict=True):
        name, email = MAINTAINERS[step.login]
        writes = {path: after[path] for path in sorted({*step.adds, *step.hunks})}
        commit = HistoryCommit(
            author_name=name,
            author_email=email,
            date=step.date,
            message=step.message,
            writes=writes,
            deletes=sorted(step.deletes),
            renames=dict(step.renames),
        )
        out.append((step, commit, after))
    return tuple(out)


def _undo(step: Step, after: dict[str, str]) -> dict[str, str]:
    state = dict(after)
    for path, hunks in step.hunks.items():
        text = state[path]
        for hunk in reversed(hunks):
            text = _undo_hunk(path, text, hunk)
        state[path] = text
    for old, new in step.renames.items():
        state[old] = state.pop(new)
    for path in step.adds:
        del state[path]
    for path, content in step.deletes.items():
        state[path] = content
    return state


def _undo_hunk(path: str, text: str, hunk: Hunk) -> str:
    kind, first, second = hunk
    if kind == "sub":
        assert second is not None
        if text.count(second) != 1:
            raise ValueError(f"{path}: hunk text occurs {text.count(second)} times: {second!r}")
        return text.replace(second, first)
    if text.count(first) != 1:
        raise ValueError(f"{path}: cut start occurs {text.count(first)} times: {first!r}")
    start = text.index(first)
    end = len(text) if second is None else text.index(second, start)
    return text[:start] + text[end:]


def _steps() -> list[Step]:
    """Maintainer commits plus one squashed commit per merged pull request, by date."""
    numbers = item_numbers()
    steps = maintainer_steps()
    for item in all_items():
        if not (item.is_pull and item.merged):
            continue
        hunks = FIX_HUNKS[item.key]
        body = resolve_refs(item.body, numbers)
        steps.append(
            Step(
                date=item.merged,
                login=item.user,
                message=f"{item.title} (#{numbers[item.key]})\n\n{body}\n",
                hunks=hunks,
                pr=item.key,
            )
        )
    return sorted(steps, key=lambda s: s.date)
