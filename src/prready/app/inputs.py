"""Input checked at the edge, before any work: repository names spelled as the store spells
them, a checkout that really is the repository asked for, module names that exist.

Each check fails with one actionable line (InputError) rather than letting a command run
on the wrong data and exit 0.
"""

from __future__ import annotations

import ast
import configparser
import difflib
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from prready.code_models import CodeMap
from prready.errors import InputError
from prready.paths import Paths
from prready.slug import parse_slug

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# owner/name at the end of a clone URL: https://host/o/r(.git), git@host:o/r, ssh://host/o/r
_REMOTE_SLUG = re.compile(r"[:/]([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?$")


def canonical_repo(text: str, paths: Paths) -> str:
    """OWNER/REPO as the stores already spell it (GitHub names ignore case), so
    `PyTorch/PyTorch` and `pytorch/pytorch` are one repository; as given if unknown."""
    slug = parse_slug(text)
    from prready.store.names import stored_repo_name

    return stored_repo_name(paths.cache_db, paths.progress_db, slug) or slug


def verify_checkout(slug: str, checkout: str | Path, *, allow_other: bool = False) -> None:
    """Refuse a checkout that is another repository: its origin remote names another
    repository (a fork of the same name is fine), or, without a remote, its package metadata
    (pyproject.toml, setup.cfg, setup.py) names another project. `allow_other` (the user vouches for the clone) skips the check."""
    if allow_other:
        return
    from prready.sources.git_repo import acquire

    # A given checkout is used as is: acquire only validates it and reads its origin URL.
    found = acquire(slug, Path(checkout), checkout=Path(checkout))
    name = slug.split("/")[1]
    remote = remote_slug(found.url)
    if remote is not None:
        if remote.split("/")[1].lower() != name.lower():
            raise InputError(
                "checkout",
                f"{checkout} is a clone of {remote}, not {slug} (its origin remote)",
                advice="allow_other_checkout",
            )
        return
    project, urls, source = _project_identity(found.path)
    if project and not _same_project(project, name) and not _names_repository(urls, name):
        raise InputError(
            "checkout",
            f"{checkout} holds the project {project!r}, not {slug} (its {source})",
            advice="allow_other_checkout",
        )


def remote_slug(url: str) -> str | None:
    """OWNER/REPO of a clone URL, None for a local path or anything unrecognised."""
    text = (url or "").strip()
    if not text or text.startswith("file:") or ("://" not in text and "@" not in text):
        return None
    match = _REMOTE_SLUG.search(text)
    return f"{match.group(1)}/{match.group(2)}" if match else None


def check_modules(modules: Sequence[str], code_map: CodeMap) -> None:
    """Every module asked for must name a module or area of the map; else list close
    matches."""
    if not modules:
        return
    names = set(code_map.modules) | set(code_map.areas)
    for wanted in modules:
        focus = wanted.strip().rstrip("./")
        if any(_in_focus(name, focus) for name in names):
            continue
        areas = sorted(code_map.areas)
        close = difflib.get_close_matches(focus, areas, n=3, cutoff=0.6) or (
            difflib.get_close_matches(focus, sorted(names), n=3, cutoff=0.6)
        )
        if close:
            hint = f"; did you mean {', '.join(close)}?"
        else:
            shown = ", ".join(areas[:8]) + (", ..." if len(areas) > 8 else "")
            hint = f"; areas are: {shown}" if areas else ""
        raise InputError("module", f"{wanted!r} is no module or area of {code_map.repo}{hint}")


def _in_focus(name: str, focus: str) -> bool:
    """The planner's rule: the name is the focus, inside it, or ends with it."""
    return (
        name == focus or name.startswith((focus + ".", focus + "/")) or name.endswith("." + focus)
    )


def _project_identity(root: Path) -> tuple[str, list[str], str]:
    """The checkout's project name ("" if none is found), the URLs it gives (timm's names
    github.com/huggingface/pytorch-image-models) and the file saying so: pyproject.toml's
    [project], else setup.cfg's [metadata], else the literal `name=` and `url=` of
    setup.py's `setup(...)` call (read, never run: accelerate and peft have only a
    setup.py)."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        urls = project.get("urls")
        links = [u for u in urls.values() if isinstance(u, str)] if isinstance(urls, dict) else []
        return project["name"], links, "pyproject.toml"
    return _setup_cfg_identity(root) or _setup_py_identity(root) or ("", [], "")


MAX_SETUP_BYTES = 1_000_000  # a setup.py or setup.cfg larger than this is not read


def _setup_cfg_identity(root: Path) -> tuple[str, list[str], str] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        text = _small_text(root / "setup.cfg")
        if text is None:
            return None
        parser.read_string(text)
        name = parser.get("metadata", "name", fallback="").strip()
        url = parser.get("metadata", "url", fallback="").strip()
    except (configparser.Error, UnicodeDecodeError):
        return None
    return (name, [url] if url else [], "setup.cfg") if name else None


def _setup_py_identity(root: Path) -> tuple[str, list[str], str] | None:
    try:
        text = _small_text(root / "setup.py")
        with warnings.catch_warnings():  # ("invalid escape sequence" quotes the file: 3.12+)
            warnings.simplefilter("ignore")
            tree = ast.parse(text) if text is not None else None
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if called != "setup":
            continue
        given = {
            k.arg: k.value.value
            for k in node.keywords
            if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
        }
        if given.get("name"):
            return given["name"], [given["url"]] if given.get("url") else [], "setup.py"
    return None


def _small_text(path: Path) -> str | None:
    """A regular file's text (not a symlink's target), None if absent or too large."""
    from prready.app.map import read_no_follow

    data = read_no_follow(str(path), limit=MAX_SETUP_BYTES + 1)
    return None if data is None or len(data) > MAX_SETUP_BYTES else data.decode("utf-8")


def _names_repository(urls: list[str], repo_name: str) -> bool:
    """One of the project's URLs is a clone URL of a repository called `repo_name`
    (any owner: a fork's pyproject names the upstream)."""
    return any(
        (slug := remote_slug(url)) is not None and slug.split("/")[1].lower() == repo_name.lower()
        for url in urls
    )


def _same_project(project: str, repo_name: str) -> bool:
    """pytorch/pytorch ships `torch`, scikit-learn `sklearn`...: compare loosely."""

    def norm(text: str) -> str:
        text = re.sub(r"[-_.]", "", text.lower())
        return text[2:] if text.startswith("py") and len(text) > 4 else text

    a, b = norm(project), norm(repo_name)
    return a == b or a in b or b in a
