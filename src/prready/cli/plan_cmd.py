"""`prready plan`: the staged plan for one repository."""

from __future__ import annotations

from pathlib import Path

import click

from prready.cli.options import (
    github_options,
    issue_scope_options,
    plan_output_options,
    repo_source_options,
)
from prready.cli.runtime import (
    checked_repo,
    github_access,
    load_user_config,
    make_workspace,
    open_in_browser,
    parse_csv,
    parse_stages,
    plan_format,
    rebuild_cache_option,
    write_plan_page,
)
from prready.render.advice import STAGES_DEFAULT, STAGES_HELP


@click.command(name="plan")
@click.argument("repo")
@click.option(
    "--skills", metavar="LIST", help="Your skills, comma-separated (e.g. python,numerics)."
)
@click.option(
    "--stages",
    metavar="LIST",
    default=STAGES_DEFAULT,
    show_default=True,
    help=STAGES_HELP,
)
@click.option(
    "--per-stage", type=click.IntRange(1, 3), default=2, show_default=True, help="Issues per stage."
)
@click.option(
    "--exclude-label",
    "exclude_labels",
    multiple=True,
    metavar="LABEL",
    help="Never pick issues with this label (repeatable).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="AREA",
    help="Focus on these areas, e.g. torch.nn (repeatable).",
)
@click.option(
    "--max-difficulty",
    type=click.IntRange(1, 5),
    default=5,
    show_default=True,
    help="Skip issues rated harder than this (1-5).",
)
@click.option(
    "--hardware",
    metavar="LIST",
    help="Hardware you have, comma-separated: cuda, rocm, mps, xpu, tpu, multi-gpu, "
    "multi-node, windows. Issues that need other hardware are listed apart.",
)
@click.option(
    "--fresh", is_flag=True, help="Start over: keep no step of the earlier plan, even started ones."
)
@plan_output_options
@issue_scope_options
@rebuild_cache_option
@repo_source_options
@github_options
def command(
    repo: str,
    skills: str | None,
    stages: str,
    per_stage: int,
    exclude_labels: tuple[str, ...],
    modules: tuple[str, ...],
    max_difficulty: int,
    hardware: str | None,
    fresh: bool,
    fmt: str | None,
    output: Path | None,
    open_page: bool,
    all_open: bool,
    module_labels: tuple[str, ...],
    rebuild_cache: bool,
    checkout: str | None,
    git_url: str | None,
    token: str | None,
    api_url: str | None,
    offline: bool,
) -> None:
    """Write a four-stage plan (first contact -> small fix -> real bug -> substantial PR).

    Clones and maps the repository, syncs its issues, matches them to your skills, keeps
    what you already started, and writes the plan page. Tracking issues, questions, RFCs
    and issues awaiting a reproduction are listed apart, never planned. Running it again
    with other options re-plans everything you have not started; with the same options and
    data it writes the same plan (set SOURCE_DATE_EPOCH to fix the clock for byte-identical
    files).

    \b
    Example:
      prready plan pytorch/pytorch --skills python,numerics --open
      prready plan pytorch/pytorch --offline --checkout ~/src/pytorch --format md
      prready plan pytorch/pytorch --format json -o - | jq '.stages[0].steps'
      prready plan pytorch/pytorch --hardware cuda,multi-gpu --max-difficulty 4
    """
    from prready.app.plan import PlanOptions, Source, run_plan
    from prready.app.sync import SyncScope
    from prready.config import is_offline
    from prready.paths import resolve_paths
    from prready.render.console import make_console, progress_reporter
    from prready.render.terminal import print_plan_outcome

    fmt = plan_format(fmt, output, open_page)
    repo = checked_repo(repo, checkout)
    paths = resolve_paths()
    config = load_user_config(paths, rebuild_cache)
    options = PlanOptions(
        skills=parse_csv(skills),
        stages=parse_stages(stages),
        per_stage=per_stage,
        exclude_labels=exclude_labels,
        modules=modules,
        max_difficulty=max_difficulty,
        fmt=fmt,
        output=output,
        scope=SyncScope(all_open, module_labels),
        hardware=parse_csv(hardware),
        fresh=fresh,
    )
    offline = is_offline(offline)
    github = github_access(token, api_url, offline)
    source = Source(checkout=Path(checkout) if checkout else None, git_url=git_url)
    console = make_console(err=True)
    with (
        progress_reporter(console) as progress,
        make_workspace(paths, config, offline=offline, progress=progress, github=github) as ws,
    ):
        result = run_plan(ws, repo, options, source)
        write_plan_page(result, paths)
    print_plan_outcome(result.plan, result.entries, result.output, result.notes)
    if open_page:
        open_in_browser(result.output)
