"""The names each test file uses, read from a real checkout once per file version and
cached (app/names_in_tests.py): what a test calls ties it to the code it exercises."""

from __future__ import annotations

from pathlib import Path

import pytest

import prready.app.names_in_tests as names_module
from mapfixtures import map_code
from prready.app.names_in_tests import names_in_tests
from prready.code_models import HistoryCommit
from prready.paths import resolve_paths
from prready.sources.git_repo import build_repo
from prready.store.parse_cache import ParseCache

WHO = ("Ada", "ada@example.com")


def test_names_read_from_the_checkout_once_per_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    files = {
        "pkg/__init__.py": "from pkg.core import frobnicate\n",
        "pkg/core.py": "def frobnicate(x):\n    return x\n",
        "tests/test_core.py": "import pkg\n\n\ndef test_frobnicate_twice():\n"
        "    assert pkg.frobnicate(pkg.frobnicate(1)) == 1\n",
        "tests/conftest.py": "import pkg\n",
    }
    build_repo(repo, [HistoryCommit(*WHO, "2026-01-01T00:00:00Z", "init", writes=files)])
    paths = resolve_paths()
    code_map = map_code("o/r", paths, checkout=repo)
    with ParseCache(paths.cache_db) as cache:
        names = names_in_tests(code_map, cache)
    assert names.using(["frobnicate"]) == {"tests/test_core.py": {"frobnicate": 2}}
    assert names.selects("tests/test_core.py", "frobnicate")
    twice = {"frobnicate": 1.0, "twice": 1.0}  # the words of an issue
    assert [path for path, _ in names.by_words(twice)] == ["tests/test_core.py"]
    with ParseCache(paths.cache_db) as cache:  # a later run: the cache opened anew
        warm = names_in_tests(code_map, cache)
        assert warm == names  # warm: the same index, its words' index too
        assert warm.by_words(twice) == names.by_words(twice)
        # Warm under the same map key, the index is found without asking git for the files.
        with monkeypatch.context() as patched:
            patched.setattr(names_module, "list_files", _no_listing)
            assert names_in_tests(code_map, cache) == names
    # A changed test file is read again (its blob id changed, and so the map's key).
    (repo / "tests" / "test_core.py").write_text("def test_other():\n    pass\n")
    code_map = map_code("o/r", paths, checkout=repo)
    with ParseCache(paths.cache_db) as cache:
        again = names_in_tests(code_map, cache)
    assert again.using(["frobnicate"]) == {} and again.selects("tests/test_core.py", "other")


def _no_listing(root: Path) -> list[object]:
    raise AssertionError(f"git was asked for the files of {root}")
