"""`prready profile --from-git PATH`: propose your skills from your own commits."""

from __future__ import annotations

from pathlib import Path

import click

from prready.cli.options import format_option


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
    from prready.app.profile import propose_profile, save_profile
    from prready.paths import resolve_paths
    from prready.render.profile import print_profile

    proposal = propose_profile(from_git, author=author)
    saved = save_profile(resolve_paths(), proposal.keys) if save and proposal.keys else None
    print_profile(proposal, saved, fmt)
