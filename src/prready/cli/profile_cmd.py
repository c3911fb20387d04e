"""`prready profile --from-git PATH`: propose your skills from your own commits."""

from __future__ import annotations

import json
from pathlib import Path

import click

from prready.cli.options import format_option
from prready.text import safe_line


@click.command(name="profile")
@click.option(
    "--from-git",
    "from_git",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PATH",
    help="A git checkout with your commits.",
)
@click.option(
    "--author",
    metavar="EMAIL",
    help="Your commit email or name (default: the most frequent author).",
)
@click.option("--save", is_flag=True, help="Write the proposed skills into config.toml [profile].")
@format_option(("text", "json"), "text")
def command(from_git: Path, author: str | None, save: bool, fmt: str) -> None:
    """Propose skills from the languages, places and imports of the files you changed.

    \b
    Example:
      prready profile --from-git ~/src/myproject --author me@example.com
      prready profile --from-git ~/src/myproject --save
    """
    from prready.app.profile import describe_skill, propose_profile, save_profile
    from prready.paths import resolve_paths

    proposal = propose_profile(from_git, author=author)
    saved = save_profile(resolve_paths(), proposal.keys) if save and proposal.keys else None
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "author": proposal.author,
                    "author_guessed": proposal.author_guessed,
                    "commits": proposal.commits,
                    "files": proposal.files,
                    "skills": [{"skill": k, "evidence": e} for k, e in proposal.skills],
                    "saved_to": str(saved) if saved else None,
                },
                indent=2,
                sort_keys=True,
            )
        )
        return
    author = safe_line(proposal.author, 120)
    who = f"{author} (most commits; pass --author to choose)" if proposal.author_guessed else author
    click.echo(f"{proposal.commits} commits by {who}, touching {proposal.files} files.")
    if not proposal.skills:
        click.echo("No skills could be inferred from these commits.")
        return
    for key, evidence in proposal.skills:
        click.echo(f"  {key:12} {describe_skill(key)}: " + safe_line("; ".join(evidence), 400))
    keys = ",".join(proposal.keys)
    if saved:
        click.echo(f"Saved to {saved}; `prready plan` now uses these skills.")
    else:
        click.echo(
            f"Use them with `prready plan OWNER/REPO --skills {keys}`, or save them with --save."
        )
