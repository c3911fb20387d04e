"""Is an open issue about code the repository no longer has? gensim's "`sklearn_api`
transform() methods not compatible with generators" points at `gensim/sklearn_api/tfidf.py`,
which gensim later deleted with the whole `sklearn_api` package; the issue stayed open.
Nobody can fix it any more, and a newcomer sent to it loses days finding that out.

An issue is about gone code when every repository path it names (a path in its text or a
traceback frame inside one of the repository's packages) is missing from the checkout (or
the first is, and the class its title names is gone too: "D2VTransformer: ..." with a
frame in the deleted wrapper above one in `models/doc2vec.py`), no file of the same name
is left anywhere (a moved file keeps its name:
`sentence_transformers/models/Pooling.py` lives on as `.../modules/pooling.py`), and no
code name its title writes is still defined (`CachedMultipleNegativesRankingLoss` moved to
a file of another name). Pure: the caller hands in the checkout's files and names.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from prready.analysis.evidence import extract_evidence
from prready.analysis.layout import is_library_path
from prready.code_models import CodeMap
from prready.models import UNCHECKED_PULLS, TakenStatus

# Folders a repository keeps its packages under (`src/accelerate/...`).
_ROOTS = ("", "src/", "python/", "python-package/", "lib/")
# A path as code writes one: anything else in a "path" (a frame's `"..."` holds any text
# but a quote) is no evidence, and never reaches a card.
_PATH_TEXT = re.compile(r"[\w./\\:-]{1,300}")
_BUILTIN_NAMES = frozenset(dir(builtins))
_FREE = ("fresh", "stale-claim")  # statuses gone code overrides (not taken, fixed, declined)
MAX_SHOWN = 3  # gone paths an evidence line names


@dataclass(frozen=True)
class CheckoutNames:
    """What `gone_code` asks of a checkout, gathered once for every issue."""

    files: frozenset[str]  # tracked paths
    by_name: dict[str, tuple[str, ...]]  # a file name, lowercase -> the tracked paths with it
    packages: frozenset[str]  # the library's top-level Python packages
    defined: frozenset[str]  # names the code defines (last parts of dotted names)

    @classmethod
    def of(
        cls, files: Iterable[str], packages: Iterable[str], defined: Iterable[str]
    ) -> CheckoutNames:
        """`packages`: only those holding an `__init__.py` (at the top or under `src/`)
        count, so that a namespace folder such as `src` or `utils` never does."""
        paths = frozenset(files)
        by_name: dict[str, list[str]] = {}
        for path in sorted(paths):
            by_name.setdefault(path.rpartition("/")[2].lower(), []).append(path)
        return cls(
            paths,
            {name: tuple(found) for name, found in by_name.items()},
            frozenset(
                p for p in packages if any(f"{root}{p}/__init__.py" in paths for root in _ROOTS)
            ),
            frozenset(name.rpartition(".")[2] for name in defined),
        )

    @cached_property
    def module_names(self) -> frozenset[str]:
        """Folder names and file stems of the tracked .py files (gathered only for an
        issue whose named code is partly still there)."""
        return frozenset(
            part.removesuffix(".py")
            for path in self.files
            if path.endswith(".py")
            for part in path.split("/")
        )

    @classmethod
    def of_map(cls, code_map: CodeMap) -> CheckoutNames:
        """A code map's tracked files, library packages and defined names."""
        return cls.of(
            code_map.files,
            (
                m.package
                for m in code_map.modules.values()
                if m.language == "python" and is_library_path(m.path, m.is_test)
            ),
            code_map.symbols,
        )

    def has(self, path: str) -> bool:
        """Whether a tracked file is `path` or ends with it (a monorepo's
        `libs/core/langchain_core/...`)."""
        return any(
            found == path or found.endswith("/" + path)
            for found in self.by_name.get(path.rpartition("/")[2].lower(), ())
        )


def gone_code(title: str, body: str, checkout: CheckoutNames) -> list[str]:
    """The repository paths the issue names that the checkout no longer has, when the
    code it reports on is gone (see the module's docstring); [] otherwise."""
    if not checkout.packages:
        return []
    found = extract_evidence(title, body)
    named = [path for path, _ in found.paths] + [frame.path for frame in found.frames]
    missing: list[str] = []
    present = False
    first_gone: bool | None = None  # whether the first library path it names is gone
    for written in named:
        parts = [part for part in written.replace("\\", "/").split("/") if part]
        if not parts or not _PATH_TEXT.fullmatch(written):
            continue
        # From each folder named like a package on (`/home/me/gensim/gensim/models/x.py`):
        # any of them tracked, or any named file at all (a `.pyx`, a page), is there.
        cuts = [
            "/".join(parts[at:]) for at, part in enumerate(parts[:-1]) if part in checkout.packages
        ]
        there = any(checkout.has(path) for path in cuts or ["/".join(parts)])
        if cuts and first_gone is None:
            first_gone = not there
        if there:
            present = True
            continue
        if cuts and cuts[-1].endswith(".py") and is_library_path(cuts[-1]):
            missing.append(cuts[-1])
    gone = [
        p for p in dict.fromkeys(missing) if p.rpartition("/")[2].lower() not in checkout.by_name
    ]
    if not gone or found.title_names & checkout.defined:
        return []
    # Code the issue names is still there (a frame in `models/doc2vec.py` below the
    # deleted wrapper): gone only when the issue enters the library through gone code (the
    # first library path it names) and its title is about a class no longer defined
    # ("D2VTransformer: ..."), not an exception, a parameter or another library's name.
    if present:
        subjects = {name for name in found.title_names if _is_class_name(name)}
        if not first_gone or not subjects or subjects & checkout.module_names:
            return []
    return gone


def _is_class_name(name: str) -> bool:
    """A class's name as a title writes it ("D2VTransformer", "LdaMallet"), not an
    exception's or warning's, a builtin's, a parameter's or "NaN"."""
    return (
        len(name) >= 4
        and name.isalnum()
        and name[0].isupper()
        and not name.isupper()
        and name not in _BUILTIN_NAMES
        and not name.endswith(("Error", "Warning", "Exception"))
    )


def obsolete_status(gone: list[str], status: TakenStatus) -> TakenStatus | None:
    """The "obsolete" status of a free issue about `gone` code (`gone_code`), its earlier
    evidence kept; None for an issue someone is on, that is fixed or declined, or whose
    code is there."""
    if not gone or status.state not in _FREE:
        return None
    paths = ", ".join(f"`{path}`" for path in gone[:MAX_SHOWN])
    line = f"the code it names is gone from the checkout: {paths} (ask whether it still applies)"
    kept = [e for e in status.evidence if e != UNCHECKED_PULLS]
    return TakenStatus("obsolete", [line, *kept])
