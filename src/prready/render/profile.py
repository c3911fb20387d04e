"""`prready profile` output: the proposed skills with their evidence (text), or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from prready.analysis.skills import SKILLS
from prready.text import safe_line

if TYPE_CHECKING:
    from prready.reports import ProfileProposal


def print_profile(proposal: ProfileProposal, saved: Path | None, fmt: str) -> None:
    """The proposal on standard output; `saved` is the config file the skills went to."""
    if fmt == "json":
        click.echo(json.dumps(profile_json(proposal, saved), indent=2, sort_keys=True))
        return
    author = safe_line(proposal.author, 120)
    who = f"{author} (most commits; pass --author to choose)" if proposal.author_guessed else author
    click.echo(f"{proposal.commits} commits by {who}, touching {proposal.files} files.")
    if not proposal.skills:
        click.echo("No skills could be inferred from these commits.")
        return
    for key, evidence in proposal.skills:
        click.echo(f"  {key:12} {skill_title(key)}: " + safe_line("; ".join(evidence), 400))
    keys = ",".join(proposal.keys)
    if saved:
        click.echo(f"Saved to {saved}; `prready plan` now uses these skills.")
    else:
        click.echo(
            f"Use them with `prready plan OWNER/REPO --skills {keys}`, or save them with --save."
        )


def profile_json(proposal: ProfileProposal, saved: Path | None) -> dict[str, Any]:
    return {
        "author": proposal.author,
        "author_guessed": proposal.author_guessed,
        "commits": proposal.commits,
        "files": proposal.files,
        "skills": [{"skill": k, "evidence": e} for k, e in proposal.skills],
        "saved_to": str(saved) if saved else None,
    }


def skill_title(key: str) -> str:
    """A skill's readable name ("Python"), or the key itself when it is not a known skill."""
    return SKILLS[key].title if key in SKILLS else key
