"""How the stores already spell a repository. GitHub names ignore case, so `PyTorch/PyTorch`
and `pytorch/pytorch` are one repository, stored under one spelling (GitHub's full name
once synced). Read-only look-ups in the stores' tables, kept apart from the stores: a
command that only maps code asks them without loading either store's module."""

from __future__ import annotations

from pathlib import Path

from prready.store.db import read_only_lookup


def stored_repo_name(cache_db: Path, progress_db: Path, slug: str) -> str | None:
    """How the issue cache spells OWNER/REPO (GitHub's full name when synced), else how
    tracked steps do, matched without regard to case (the `repo` columns are NOCASE);
    None when neither holds it. Never creates or writes a database, and an unreadable one
    answers None (the command that needs it reports it)."""
    return read_only_lookup(
        cache_db,
        ("SELECT full_name FROM gh_repos WHERE repo = ? LIMIT 1", (slug,)),
        ("SELECT repo FROM gh_issues WHERE repo = ? LIMIT 1", (slug,)),
    ) or read_only_lookup(progress_db, ("SELECT repo FROM steps WHERE repo = ? LIMIT 1", (slug,)))
