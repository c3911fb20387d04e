"""Is an open issue about code the repository no longer has? gensim's "`sklearn_api`
transform() methods not compatible with generators" points at `gensim/sklearn_api/tfidf.py`,
which gensim later deleted with the whole `sklearn_api` package; the issue stayed open.
Nobody can fix it any more, and a newcomer sent to it loses days finding that out.

An issue is about gone code when every repository path it names (a path in its text or a
traceback frame inside one of the repository's packages) is missing from the checkout, no
file of the same name is left anywhere (a moved file keeps its name:
`sentence_transformers/models/Pooling.py` lives on as `.../modules/pooling.py`), and no
code name its title writes is still defined (`CachedMultipleNegativesRankingLoss` moved to
a file of another name). Pure: the caller hands in the checkout's files and names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from prready.analysis.evidence import extract_evidence
from prready.analysis.layout import is_library_path

# Folders a repository keeps its packages under (`src/accelerate/...`).
_ROOTS = ("", "src/", "python/", "python-package/", "lib/")
_TEST_PACKAGES = frozenset({"test", "tests", "testing"})


@dataclass(frozen=True)
class CheckoutNames:
    """What `gone_code` asks of a checkout, gathered once for every issue."""

    files: frozenset[str]  # tracked paths
    file_names: frozenset[str]  # their last parts, lowercase
    packages: frozenset[str]  # the library's top-level Python packages
    defined: frozenset[str]  # names the code defines (last parts of dotted names)

    @classmethod
    def of(
        cls, files: Iterable[str], packages: Iterable[str], defined: Iterable[str]
    ) -> CheckoutNames:
        paths = frozenset(files)
        return cls(
            paths,
            frozenset(path.rpartition("/")[2].lower() for path in paths),
            frozenset(packages) - _TEST_PACKAGES,
            frozenset(name.rpartition(".")[2] for name in defined),
        )


def gone_code(title: str, body: str, checkout: CheckoutNames) -> list[str]:
    """The repository paths the issue names that the checkout no longer has, when the
    code it reports on is gone (see the module's docstring); [] otherwise."""
    if not checkout.packages:
        return []
    found = extract_evidence(title, body)
    named = [path for path, _ in found.paths] + [frame.path for frame in found.frames]
    present: list[str] = []
    missing: list[str] = []
    for written in named:
        path = _in_package(written, checkout.packages)
        if path is None:
            continue
        if any(root + path in checkout.files for root in _ROOTS):
            present.append(path)
        else:
            missing.append(path)
    if present or not missing:
        return []
    gone = [p for p in dict.fromkeys(missing) if _name(p) not in checkout.file_names]
    if not gone or found.title_names & checkout.defined:
        return []
    return gone


def _in_package(written: str, packages: Collection[str]) -> str | None:
    """A library file's path from its top-level package on (`/usr/lib/python3/site-packages/
    gensim/sklearn_api/tfidf.py` -> `gensim/sklearn_api/tfidf.py`), None for any other
    (the user's script, another project's, the package's own tests)."""
    parts = written.replace("\\", "/").split("/")
    if not parts[-1].endswith(".py"):
        return None
    for at, part in enumerate(parts[:-1]):
        if part in packages:
            path = "/".join(parts[at:])
            return path if is_library_path(path) else None  # not its tests or examples
    return None


def _name(path: str) -> str:
    return path.rpartition("/")[2].lower()
