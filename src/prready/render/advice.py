"""How the CLI's options are named to the user: the flag of each input an error is about,
and each piece of advice that means giving (or dropping) an option. The library says
which input and which advice (`prready.errors`); only this module spells them as flags.
"""

from __future__ import annotations

from typing import Literal

from prready.analysis.stages import FIRST_STAGE, LAST_STAGE, STAGE_NUMBERS, STAGES, OptionNames
from prready.errors import Advice, Input, InputError, PrreadyError

FLAGS: dict[Input, str] = {
    "checkout": "--checkout",
    "git_url": "--git-url",
    "module": "--module",
    "area_depth": "--area-depth",
    "hardware": "--hardware",
    "exported_at": "--exported-at",
}

# How a plan's notes name the options to change: as the CLI's flags.
PLAN_FLAGS = OptionNames(
    per_stage="--per-stage",
    max_difficulty="--max-difficulty",
    exclude_label="--exclude-label",
    module=FLAGS["module"],
    hardware=FLAGS["hardware"],
)

# The plan's stages option: every stage by default, each named in its help.
STAGES_DEFAULT = f"{FIRST_STAGE}-{LAST_STAGE}"
STAGES_HELP = (
    "Stages to plan: " + ", ".join(f"{n} {STAGES[n].name}" for n in STAGE_NUMBERS) + "."
)

# Where a token came from (config.TokenSource.origin), as `prready config show` names it;
# a token from the environment is named by its variable instead.
TOKEN_ORIGINS: dict[str, str] = {
    "option": "--token",
    "gh": "gh auth token",
    "none": "not found",
}

# Appended to an error's message, punctuation included.
_ADVICE: dict[Advice, str] = {
    "allow_other_checkout": "; add --allow-other-checkout if this really is a clone of it",
    "check_author": ": check --author (an email or name)",
    "drop_offline": "; drop --offline",
    "checkout_or_online": (
        ": give --checkout PATH to an existing clone, or run once without --offline"
    ),
    "offline_or_checkout": ", or use --offline / --checkout PATH",
    "checkout": " or use --checkout PATH",
    "git_url": " or --git-url",
    "force": " needs --force",
    "force_anyway": " (add --force to track it anyway)",
    "or_force": ", or add --force to track it anyway",
    "complete": ", add --complete to close them",
    "sync_from_file": (
        ", or `prready sync {repo} --from-file issues.json` with the output of "
        "`gh issue list --json number,title,body,labels,assignees,author,state,url,"
        "createdAt,updatedAt,comments`"
    ),
    "other_output": "; choose another --output",
    "rebuild_cache": ": run again with --rebuild-cache",
    "rebuild_foreign_cache": "; run again with --rebuild-cache to replace it",
    "rebuild_newer_cache": ", or run again with --rebuild-cache to start a fresh cache",
    "restore_progress": (
        " with `prready track --import` from a `prready track --export` file (keep exports "
        "as your backup)"
    ),
    "check_token": (
        ": check --token, GH_TOKEN/GITHUB_TOKEN or `gh auth token`, or run without a token"
    ),
    "api_url_or_offline": " or --api-url, or work offline with --offline / --from-file",
    "check_api_url": "; check --api-url, or work offline with --offline / --from-file",
    "work_offline": ", or work offline with --offline / --from-file",
}


def advice_text(advice: Advice, repo: str = "") -> str:
    """One piece of advice as options to give (a command for `repo`, when it names one),
    punctuation included: to append to a message, or to a note."""
    return _ADVICE[advice].replace("{repo}", repo)


def error_text(exc: PrreadyError) -> str:
    """An error's message for the user: the input it is about named by its flag, then the
    advice, if any, as options to give."""
    text = f"{FLAGS[exc.input]} {exc.problem}" if isinstance(exc, InputError) else str(exc)
    return text + (advice_text(exc.advice, exc.repo) if exc.advice is not None else "")


# Ways to fetch more issues than the default sync scope, for notes in a plan or a sync.
WiderSync = Literal["use", "run_again", "run_again_for_one", "sync_command", "file"]


def wider_sync_text(kind: WiderSync, slug: str = "") -> str:
    """Advice to sync every open issue (or more labels): "use" as a note's ending, "run
    again" after a plan that saw too few, or the `prready sync` command to run."""
    if kind == "use":
        return "use --all-open or --module-label LABEL"
    if kind == "run_again":
        return "run again with --all-open to fetch every open issue (or --module-label LABEL)"
    if kind == "run_again_for_one":
        return "run again with --all-open or --module-label LABEL"
    if kind == "file":
        return (
            f"an export of every open issue (`gh issue list -R {slug} --state open --limit "
            f"10000 --json ...`) synced with `prready sync {slug} --from-file FILE --complete` "
            "gives it more"
        )
    return f"`prready sync {slug} --all-open` fetches every open issue"
