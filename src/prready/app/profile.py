"""`prready profile`: propose a skill profile from the user's own commits, and save it to the
config file so `prready plan` uses it without being given the skills."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from prready.analysis.skills import infer_skills_from_commits, normalize_skills
from prready.code_models import CommitRecord
from prready.errors import UsageError
from prready.paths import Paths, write_private_file
from prready.reports import ProfileProposal
from prready.sources.git_repo import read_history

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_FILES = 400  # files read for their imports; the most-changed ones first
MAX_FILE_BYTES = 256 * 1024


def propose_profile(path: str | Path, *, author: str | None = None) -> ProfileProposal:
    """Read the commits of `author` (default: the most frequent author) in the repository at
    `path`, and the current text of the files they touched, and propose skills."""
    root = Path(path).expanduser()
    if not root.is_dir():
        raise UsageError(f"{path} is not a directory: give the path of a git checkout")
    history = read_history(root)
    if not history:
        raise UsageError(f"{path} has no commits to learn from")
    guessed = author is None
    who = (author or _most_frequent_author(history)).strip().lower()
    mine = [c for c in history if who in (c.author_email.lower(), c.author_name.lower())]
    if not mine:
        mine = [c for c in history if who in c.author_email.lower() or who in c.author_name.lower()]
    if not mine:
        raise UsageError(f"no commits by {who!r} in {path}", advice="check_author")
    texts = _read_touched(root.resolve(), mine)
    return ProfileProposal(
        root=str(root),
        author=who,
        author_guessed=guessed,
        commits=len(mine),
        files=len({f for c in mine for f in c.files}),
        skills=infer_skills_from_commits(mine, texts),
    )


def save_profile(paths: Paths, skills: list[str]) -> Path:
    """Write `[profile] skills = [...]` into config.toml, keeping everything else."""
    keys = normalize_skills(skills)
    target = paths.config_file
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    new = _with_profile_skills(old, keys)
    try:
        parsed = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"cannot update {target}: it is not valid TOML ({exc})") from None
    if parsed.get("profile", {}).get("skills") != keys:
        raise UsageError(f"cannot update {target}: edit its [profile] table by hand")
    write_private_file(target, new)
    return target


# --------------------------------------------------------------------------- helpers
def _most_frequent_author(history: list[CommitRecord]) -> str:
    counts = Counter(c.author_email.lower() for c in history)
    return min(counts, key=lambda e: (-counts[e], e))


def _read_touched(root: Path, commits: list[CommitRecord]) -> dict[str, str]:
    """Current text of the touched files still in the tree: regular files inside the
    checkout only (no symlinks out of it), bounded in number and size."""
    touched = Counter(f for c in commits for f in c.files)
    texts: dict[str, str] = {}
    for rel in sorted(touched, key=lambda f: (-touched[f], f))[:MAX_FILES]:
        if not rel.endswith((".py", ".pyi")):
            continue
        full = root / rel
        try:
            if full.is_symlink() or not full.is_file() or root not in full.resolve().parents:
                continue
            if full.stat().st_size > MAX_FILE_BYTES:
                continue
            texts[rel] = full.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return texts


def _with_profile_skills(text: str, keys: list[str]) -> str:
    line = "skills = [" + ", ".join(f'"{k}"' for k in keys) + "]"
    lines = text.splitlines()
    out: list[str] = []
    in_profile = False
    placed = False
    skipping_array = False
    for raw in lines:
        stripped = raw.strip()
        if skipping_array:
            if "]" in stripped:
                skipping_array = False
            continue
        if stripped.startswith("["):
            in_profile = stripped == "[profile]"
            out.append(raw)
            if in_profile and not placed:
                out.append(line)
                placed = True
            continue
        if in_profile and stripped.split("=", 1)[0].strip() == "skills" and "=" in stripped:
            value = stripped.split("=", 1)[1]
            skipping_array = "[" in value and "]" not in value
            continue
        out.append(raw)
    if not placed:
        if out and out[-1].strip():
            out.append("")
        out += ["[profile]", line]
    return "\n".join(out) + "\n"
