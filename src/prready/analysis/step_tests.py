"""The tests a step should run, best first, and one command that runs them in the
repository's own runner: test files found by how directly they exercise the mapped code
(`rank_tests`) fused with their match to the issue's words (`fuse_tests`)."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence

from prready.analysis.layout import is_root_package
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.snapshot import adjacency
from prready.analysis.step_setup import NATIVE
from prready.analysis.vocabulary import HARDWARE_ALIASES
from prready.code_models import CodeMap
from prready.models import (
    ContributingSummary,
)

MAX_TESTS = 6


def rank_tests(
    seeds: list[str],
    code_map: CodeMap,
    test_names: NamesInTests | None = None,
    issue_uses: Sequence[str] = (),
    lead_names: Sequence[str] = (),
    runnable: Sequence[tuple[str, str, str]] | None = None,
    symbols: Mapping[str, Sequence[str]] | None = None,
    shared: Mapping[str, Collection[tuple[str, ...]]] | None = None,
) -> list[tuple[str, int]]:
    """(test file, tier) for the seed modules, best first. Tiers, by how directly a test
    exercises the code:

    0. a test module the issue itself names;
    1. the repository's conventional file for a seed: `test_<module>.py` or
       `<module>_test.py` beside it or in a test folder mirroring its package, and
       `test_<area>.py` for its area (`test/test_linalg.py` for `torch.linalg`);
    2. a test file named after the area or module (`test/test_nestedtensor.py` for
       `torch.nested`): PyTorch's tests import `torch`, not the submodule they test;
    3. a test importing a seed directly that is named after it, then 4. any other direct
       importer, then 5. one importing it through one module in between.

    With `test_names`, what a test file calls counts too (PyTorch's tests import only
    `torch`): a test using a name the issue uses (`issue_uses`, e.g. "svd" of
    `torch.linalg.svd`) that a seed defines is tier 2, one using other names a seed
    defines tier 4. Within a tier, a file with a test named after one of `lead_names` (the
    names in the issue's title: `test_split` for "Tensor.split fails") comes first, then
    the one calling them more often, then the one exercising a better-ranked seed (seeds
    come best match first: tests/test_cli.py calling `launch_command` of
    accelerate.commands.launch before a test calling only `debug_launcher` of a
    weaker match), then the one using the other names more. Tests whose
    path says they need a GPU or several processes come after the others (tier 5) unless
    the issue names them or they are the conventional file.

    A file with a test named after a title name goes before every tier but 0 (the
    issue's own test module) whatever its tier: `test_cumsum` in test/test_ops.py runs the
    code of "Tensor.cumsum fails", test/test_tensor.py without such a test does not.

    Only Python test files: never conftest.py or helpers (those are not `is_test`), never
    the whole suite."""
    tests = runnable_tests(code_map) if runnable is None else runnable
    ranked: dict[str, tuple[int, int, int, int, int, int, int, str]] = {}

    def offer(
        path: str, tier: int, uses: int = 0, named: int = 0, lead: int = 0, seed: int = 0
    ) -> None:
        if tier >= 2 and _needs_more_than_a_cpu(path):
            tier = max(tier, 5)  # a test needing a GPU or several processes is no first test
        # A test named after the title's name (`test_cumsum` in test/test_ops.py) comes
        # before a conventional file with no such test (test/test_tensor.py): only the
        # issue's own test modules go before it, and tests needing a GPU after.
        rank = 0 if tier == 0 else 3 if tier >= 5 else 1 if named else 2
        key = (rank, tier, -named, -lead, seed, -uses, path.count("/"), path)
        if path not in ranked or key < ranked[path]:
            ranked[path] = key

    # Tests found through what they import or call come from the main suite (PyTorch's
    # test/, not torch/csrc/lazy/test_mnist.py); a test the issue names or the file named
    # after a module can lie anywhere.
    suite = main_suite(tests)
    if test_names is not None:
        if symbols is None:
            symbols = public_symbols(code_map)
        defined_by = _defined_by_seed(seeds, symbols)
        defined = set(defined_by)
        wanted = set(issue_uses)
        leads = [name for name in lead_names if name in wanted]
        native_words = _native_words(seeds, code_map)
        for path, used in test_names.using(defined | wanted).items():
            if not runnable_test(path) or not in_suite(path, suite):
                continue
            strong = sum(n for name, n in used.items() if name in wanted)
            # A test of the op named like the C++ file (test_unary_ufuncs.py calling
            # `sigmoid` for UnaryOpsKernel.cpp) is that file's conventional test.
            conventional = strong and _shares_a_word(_stem_words(path), native_words)
            lead = sum(used.get(name, 0) for name in leads)
            named = sum(1 for name in leads if name in used and test_names.selects(path, name))
            tier = 1 if conventional else 2 if strong else 4
            # The best-ranked seed it exercises (a name the issue uses counts as the first).
            best = min((0 if name in wanted else defined_by[name] for name in used), default=0)
            offer(path, tier, strong or sum(used.values()), named, lead, best)

    for rank, seed in enumerate(seeds):
        info = code_map.modules.get(seed)
        if info is None:
            continue
        if info.is_test:
            if runnable_test(info.path):
                offer(info.path, 0, seed=rank)
            continue
        stem, area_word, mirror = _seed_words(seed, code_map)
        if shared is None:
            shared = shared_stems(code_map)
        exact: list[tuple[str, int]] = []
        prefixed: list[tuple[str, int]] = []
        for path, test_stem, folder in tests:
            for tier in _convention_tiers(
                test_stem, folder, info.path, stem, area_word, mirror, shared.get(stem, ())
            ):
                (prefixed if tier == _PREFIX_TIER else exact).append((path, tier))
        for path, tier in exact:
            offer(path, tier, seed=rank)
        # test_nestedtensor.py for torch.nested, but test_nnapi.py is no test of torch.nn
        # when test_nn.py exists: a name that only starts with the area's word counts as
        # the conventional file when there is no exact one, else as much as an importer.
        for path, _tier in prefixed:
            offer(path, 4 if exact else 2, seed=rank)
    # The map's adjacency dicts: a restored map's graph is never built for a plan.
    _, importers = adjacency(code_map)
    seed_rank = {s: i for i, s in reversed(list(enumerate(seeds)))}
    frontier = {s for s in seeds if s in importers and not _is_test(s, code_map)}
    origin = {s: seed_rank[s] for s in frontier}  # module -> the best seed it leads back to
    words = {w for s in frontier for w in _seed_words(s, code_map)[:2] if w}
    visited = set(frontier)
    for hop in (1, 2):
        if hop == 2 and any(key[1] <= 4 for key in ranked.values()):
            break  # tests one module away matter only when none is closer
        following: set[str] = set()
        for node in sorted(frontier, key=lambda n: (origin[n], n)):
            for importer in importers[node]:
                if importer in visited:
                    continue
                visited.add(importer)
                origin[importer] = origin[node]
                info = code_map.modules.get(importer)
                if info is None:
                    continue
                if info.is_test:
                    if runnable_test(info.path) and in_suite(info.path, suite):
                        named = not words.isdisjoint(_stem_words(info.path))
                        tier = 5 if hop == 2 else (3 if named else 4)
                        offer(info.path, tier, seed=origin[node])
                elif not is_root_module(importer, code_map):
                    # Every test imports the top-level package: going through it would
                    # list the whole suite as "the tests for" any module it re-exports.
                    following.add(importer)
        frontier = following
    return [(path, key[1]) for path, key in sorted(ranked.items(), key=lambda kv: kv[1])]


# What a conventional file (or one with a test named after the title) earns on top of its
# words' share of the best match, and the share a file found by its words alone needs
# (see `fuse_tests`).
_LEAD_TEST_BONUS = 0.5


_WORDS_ONLY_SHARE = 0.5


def fuse_tests(
    ranked: Sequence[tuple[str, int]],
    by_words: Sequence[tuple[str, float]],
    named: Collection[str] = (),
    hardware: Collection[str] = (),
) -> list[str]:
    """The tests to run, best first: the tiers of `rank_tests` (how directly a file
    exercises the mapped code) fused with the test files' BM25 match to the issue's words
    (`NamesInTests.by_words`: a test of `modules_to_save` uses that name). The test files
    the issue names come first, in the tiers' order; then the others by their share of the
    best words' score, plus _LEAD_TEST_BONUS for a mapped module's conventional file and
    for one holding a test named after a name in the title (`named`: `test_cumsum` for
    "Tensor.cumsum fails", which `-k` then selects). A file the tiers did not find needs
    _WORDS_ONLY_SHARE of the best score; ties keep the tiers' order. Measured on the
    development set (`bench/bench_step_tests.py`), the words alone find a changed test more
    often than the tiers alone, and the two together more often than either (the tiers'
    own order, which puts every file named after the title first, less often). A file
    needing more than a CPU comes after the others unless the issue names it or it is
    conventional, as in `rank_tests`: the first test is one anybody can run; unless
    the user has what it needs (`hardware`: `test_mps.py` for a Mac's owner)."""
    tiers = {path: tier for path, tier in ranked}
    best = max((score for _, score in by_words), default=0.0)
    if best <= 0:
        return [path for path, _ in ranked]
    lead = [path for path, tier in ranked if tier == 0]
    scores = {
        path: score / best
        for path, score in by_words
        if path not in lead and (path in tiers or score >= _WORDS_ONLY_SHARE * best)
    }
    for path, tier in tiers.items():
        if path not in lead:
            scores[path] = scores.get(path, 0.0) + (_LEAD_TEST_BONUS if tier == 1 else 0.0)
    for path in named:
        if path in scores:
            scores[path] += _LEAD_TEST_BONUS
    order = {path: i for i, path in enumerate(tiers)}
    rest = sorted(scores, key=lambda p: (-scores[p], order.get(p, len(order)), p))
    return sorted([*lead, *rest], key=lambda p: tiers.get(p, 9) > 1 and not _can_run(p, hardware))


def one_test_command(tests: list[str], symbol: str, contributing: ContributingSummary) -> str:
    """One command in the repository's own runner: the first test file with `-k SYMBOL`
    when the issue names one, else the listed files. PyTorch runs test files as scripts
    (`python test/test_linalg.py -k svd`); others run pytest. "" without tests (never
    the whole suite)."""
    if not tests:
        return ""
    first = _shell_quote(tests[0])
    if _runs_test_scripts(contributing):
        return f"python {first} -k {symbol}" if symbol else f"python {first}"
    runner = _runner("", contributing)
    if runner in ("python", "python3"):  # a script runs one file, not a list of them
        runner = "python -m pytest"
    if symbol:
        return f"{runner} {first} -k {symbol}"
    # The first file, then others a CPU runs in minutes (a GPU's or a slow suite is listed,
    # not run: trl's tests/slow/test_dpo_slow.py needs an accelerator).
    files = [tests[0], *(t for t in tests[1:] if not _needs_more_than_a_cpu(t))][:3]
    return f"{runner} {' '.join(_shell_quote(t) for t in files)}"


# --------------------------------------------------------------------------- helpers
def public_symbols(code_map: CodeMap) -> dict[str, list[str]]:
    """Each module -> the dotted names of the symbols it defines: one pass over the map's
    symbols, made once per plan (`map_facts`) rather than twice per step."""
    by_module: dict[str, list[str]] = {}
    for dotted, module in code_map.symbols.items():
        by_module.setdefault(module, []).append(dotted)
    return by_module


def _seed_names(seed: str, symbols: Mapping[str, Sequence[str]]) -> Iterator[str]:
    """The public names `seed` defines, by their last part (`patch_environment` of
    accelerate.utils.environment), as a test would call them."""
    for dotted in symbols.get(seed, ()):
        name = dotted.rpartition(".")[2]
        if not name.startswith("_"):
            yield name


def defined_names(seeds: Sequence[str], symbols: Mapping[str, Sequence[str]]) -> set[str]:
    """The public names the seed modules define (see `_seed_names`)."""
    return {name for seed in set(seeds) for name in _seed_names(seed, symbols)}


def _defined_by_seed(seeds: Sequence[str], symbols: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each public name the seed modules define -> the rank of the best seed defining it."""
    rank = {seed: i for i, seed in reversed(list(enumerate(seeds)))}
    found: dict[str, int] = {}
    for seed, i in rank.items():
        for name in _seed_names(seed, symbols):
            if i < found.get(name, len(rank)):
                found[name] = i
    return found


def main_suite(tests: Sequence[tuple[str, str, str]]) -> str:
    """The top folder holding the most test files ("test" in PyTorch, whose functorch/test
    is another suite): tests found by the names they call come from there."""
    folders = Counter(path.split("/", 1)[0] for path, _stem, folder in tests if folder)
    return min(folders, key=lambda f: (-folders[f], f)) if folders else ""


def in_suite(path: str, suite: str) -> bool:
    return not suite or path.split("/", 1)[0] == suite


def _native_words(seeds: Sequence[str], code_map: CodeMap) -> set[str]:
    """The words of the native seeds' file names (`cpu/UnaryOpsKernel.cpp` -> "unary"),
    without words every kernel file has."""
    words: set[str] = set()
    for seed in seeds:
        info = code_map.modules.get(seed)
        if info is None or info.language not in NATIVE:
            continue
        stem = posixpath.basename(info.path).rsplit(".", 1)[0]
        for word in _CAMEL_WORD.findall(stem):
            word = word.lower()
            if len(word) >= 4 and word not in _GENERIC_NATIVE_WORDS:
                words.add(word)
    return words


def _shares_a_word(words: set[str], native_words: set[str]) -> bool:
    """Whether a test file's words and a native file's agree on one word, allowing for
    inflection ("reductions" for ReduceOps, "sort" for Sorting): a common start of at
    least five letters, or all of the shorter word."""
    for word in words:
        for other in native_words:
            common = len(posixpath.commonprefix([word, other]))
            if len(word) >= 4 and common >= min(len(word), len(other), 5):
                return True
    return False


# The hardware a test path's word needs, as the keys `parse_hardware` gives.
_TEST_HARDWARE = {
    **HARDWARE_ALIASES, "cudnn": "cuda", "nv": "cuda", "nccl": "multi-gpu", "sycl": "xpu"
}  # fmt: skip


def _can_run(path: str, hardware: Collection[str]) -> bool:
    """Whether a test runs on what the user has: a CPU, and `hardware` (HARDWARE keys).
    A path word that names no hardware the user can say they have (`opencl`) needs more
    than a CPU all the same; tests of several processes need "multi-gpu"."""
    words = _path_words(path)
    needs = {_TEST_HARDWARE.get(w, w) for w in words & _GPU_WORDS}
    if not words.isdisjoint(_MULTI_PROCESS_WORDS):
        needs.add("multi-gpu")
    if _in_slow_suite(path):
        needs.add("time")  # (nobody lists it: a slow suite is never a first run)
    return needs <= set(hardware)


def _needs_more_than_a_cpu(path: str) -> bool:
    words = _path_words(path)
    return not (
        _GPU_WORDS.isdisjoint(words) and _MULTI_PROCESS_WORDS.isdisjoint(words)
    ) or _in_slow_suite(path)


def _in_slow_suite(path: str) -> bool:
    """A slow or nightly suite: its folder (trl's tests/slow/) or its file's last word
    (`test_dpo_slow.py`); not a test of something slow (`test_convert_slow_tokenizer.py`)."""
    folders, _, file = path.lower().rpartition("/")
    stem = file.rsplit(".", 1)[0]
    return not _SLOW_WORDS.isdisjoint(folders.split("/")) or stem.endswith(_SLOW_STEMS)


def selects_a_test(test_names: NamesInTests | None, tests: list[str], name: str) -> bool:
    """Whether `-k name` selects a test of the first listed test file; without the index,
    a name the issue uses is the best guess."""
    if test_names is None:
        return True
    return any(test_names.selects(path, name) for path in tests)


# Words too generic to tie a test file to a module ("test_utils.py" tests no one thing).
_GENERIC_WORDS = frozenset(
    {"utils", "util", "common", "base", "core", "helpers", "init", "main", "types", "impl",
     "api", "internal", "misc", "test", "tests", "src", "lib"}
)  # fmt: skip


_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


_GENERIC_NATIVE_WORDS = frozenset(
    {"ops", "kernel", "kernels", "impl", "utils", "util", "native", "functions", "helper",
     "helpers", "common", "stub", "cuda", "template", "templates", "batch"}
)  # fmt: skip


_GPU_WORDS = frozenset(
    {"cuda", "gpu", "cudnn", "nccl", "mps", "xpu", "rocm", "hip", "tpu", "xla", "metal", "opencl",
     "multigpu", "hcq", "amd", "nv", "nvidia", "webgpu", "sycl"}
)  # fmt: skip


_MULTI_PROCESS_WORDS = frozenset(
    {"distributed", "multiprocessing", "rpc", "c10d", "ddp", "fsdp", "multinode", "mpi", "gloo"}
)


# A slow or nightly suite (trl's tests/slow/, `test_dpo_slow.py`): accelerators, models to
# download, hours; it comes after the others as a GPU's tests do.
_SLOW_WORDS = frozenset({"slow", "nightly"})
_SLOW_STEMS = ("_slow", "_nightly")


_PREFIX_TIER = -1  # a test file whose name starts with the area's word (test_nestedtensor)


# A module name this many code modules share (peft's 30 `config.py`, one per tuner) names
# none of them in particular: `tests/test_config.py` is the conventional test of the one
# whose package its folder mirrors (`peft/config.py`), not of `tuners/lora/config.py`.
# Where no module of the name sits where the test folder points (jax's `fft.py` under
# `_src/lax/`, `_src/numpy/` and `numpy/`, none at the top, and a flat `tests/fft_test.py`),
# the test is every one's, as for a name one module has.
SHARED_STEM_MIN = 3


def shared_stems(code_map: CodeMap) -> dict[str, frozenset[tuple[str, ...]]]:
    """Module word (`_seed_words`' first) -> the packages (`_seed_words`' mirror, private
    `_src` layers left out) of the modules having it, for the words SHARED_STEM_MIN or more
    Python code modules have."""
    places: dict[str, list[tuple[str, ...]]] = {}
    for info in code_map.modules.values():
        if not info.is_test and info.language == "python":
            folder, _, base = info.path.rpartition("/")
            stem = base[:-3].strip("_").lower()
            if stem != "init":
                places.setdefault(stem, []).append(_bare(_mirror(folder)))
    return {
        stem: frozenset(found)
        for stem, found in sorted(places.items())
        if len(found) >= SHARED_STEM_MIN
    }


def runnable_tests(code_map: CodeMap) -> list[tuple[str, str, str]]:
    """(path, stem, folder) of every runnable Python test file of the map, sorted."""
    return sorted(
        (info.path, posixpath.basename(info.path)[:-3], posixpath.dirname(info.path))
        for info in code_map.modules.values()
        if info.is_test and runnable_test(info.path)
    )


def runnable_test(path: str) -> bool:
    base = posixpath.basename(path)
    return base.endswith(".py") and base != "conftest.py" and not base.startswith("_")


def _seed_words(seed: str, code_map: CodeMap) -> tuple[str, str, tuple[str, ...]]:
    """(module word, area word, package folders below the top level) of a seed:
    `torch/optim/adam.py` -> ("adam", "optim", ("optim",)); generic words are ""."""
    info = code_map.modules[seed]
    folder, _, base = info.path.rpartition("/")
    stem = base.rsplit(".", 1)[0]
    parts = [p for p in folder.split("/") if p and p != "src"]
    if stem == "__init__" and parts:
        stem = parts[-1]
    area = code_map.area_of(seed)
    area_word = "" if is_root_area(area) else re.split(r"[./]", area.rstrip("/"))[-1]
    return _word(stem), _word(area_word), _mirror(folder)


def _mirror(folder: str) -> tuple[str, ...]:
    """The package folders below the top level a test folder would mirror:
    `torch/optim` -> ("optim",), `jax/_src/lax` -> ("src", "lax")."""
    parts = [p for p in folder.split("/") if p and p != "src"]
    return tuple(p.lstrip("_") for p in parts[1:])


def _bare(mirror: tuple[str, ...]) -> tuple[str, ...]:
    """A mirror without private implementation layers: jax's `jax/_src/random.py` is
    what the public `jax/random.py` re-exports, tested in the same place."""
    return tuple(p for p in mirror if p != "src")


def _word(text: str) -> str:
    word = text.strip("_").lower()
    return "" if len(word) < 2 or word in _GENERIC_WORDS else word


def _convention_tiers(
    test_stem: str,
    folder: str,
    seed_path: str,
    stem: str,
    area: str,
    mirror: tuple[str, ...],
    shared: Collection[tuple[str, ...]] = (),
) -> list[int]:
    """Tiers (see `rank_tests`) a test file earns by its name and place for one seed; for
    a module word several modules share (`shared`: their packages, see `shared_stems`),
    none where the test folder mirrors another of them and not the seed's."""
    low = test_stem.lower()
    parts = folder.split("/")
    top = next((i for i, p in enumerate(parts) if p in ("test", "tests")), None)
    # Beside the module, at the top of a test folder, or in one mirroring the package
    # (test/optim/test_adam.py for torch/optim/adam.py).
    below = tuple(p.lstrip("_") for p in parts[top + 1 :]) if top is not None else None
    placed = folder == posixpath.dirname(seed_path) or (
        below is not None
        and (not below or below in (mirror[: len(below)], _bare(mirror)[: len(below)]))
    )
    tiers = []
    # (A shared module word's file where another of them sits is that one's test.)
    elsewhere = (
        below is not None
        and below in shared
        and below != _bare(mirror)
        and folder != posixpath.dirname(seed_path)
    )
    for word in (stem if not elsewhere else "", area):
        if not word:
            continue
        if low in (f"test_{word}", f"{word}_test"):
            # test/autograd/test_functional.py is not the test of torch/nn/functional.py.
            if placed or below is not None:
                tiers.append(1 if placed else 4)
        elif (
            word == area
            and seed_path.endswith(".py")
            and placed
            and below is not None
            and low.startswith(f"test_{word}")
        ):
            tiers.append(_PREFIX_TIER)
    return tiers


def _runs_test_scripts(contributing: ContributingSummary) -> bool:
    """Whether the guide runs single test files as scripts (`python test/test_jit.py`)."""
    return any(_TEST_SCRIPT.match(command) for command in contributing.test)


_TEST_SCRIPT = re.compile(r"^python3? (?!-m\b)\S*?tests?/(?:[\w.-]+/)*(?:test_\w+|FILENAME)\.py\b")


def notes_for_tests(tests: list[str]) -> list[str]:
    """Hardware or process needs of the listed tests, read from their paths."""
    gpu = [t for t in tests if not _GPU_WORDS.isdisjoint(_path_words(t))]
    multi = [t for t in tests if not _MULTI_PROCESS_WORDS.isdisjoint(_path_words(t))]
    slow = [t for t in tests if _in_slow_suite(t)]
    notes = []
    if gpu:
        notes.append(f"Needs a GPU (or other accelerator) to run: {', '.join(gpu[:3])}")
    if multi:
        notes.append(f"Starts several processes (distributed): {', '.join(multi[:3])}")
    if slow:
        notes.append(f"A slow suite (large models, often a GPU): {', '.join(slow[:3])}")
    return notes


def _path_words(path: str) -> set[str]:
    """The words of a test's folders and file name: split on `/`, `_` and `-` (XGBoost keeps
    its GPU tests in `tests/python-gpu/`)."""
    return set(_PATH_WORD_BREAKS.split(path.lower().rsplit(".", 1)[0]))


_PATH_WORD_BREAKS = re.compile(r"[/_\-]")


def _stem_words(path: str) -> set[str]:
    return set(posixpath.basename(path).rsplit(".", 1)[0].lower().split("_"))


def _shell_quote(path: str) -> str:
    safe = all(ch.isalnum() or ch in "/._-" for ch in path)
    return path if safe else "'" + path.replace("'", "'\\''") + "'"


def is_root_area(name: str) -> bool:
    return "." not in name and "/" not in name.rstrip("/")


def is_root_module(name: str, code_map: CodeMap) -> bool:
    info = code_map.modules.get(name)
    return info is not None and is_root_package(name, info.path)


def _is_test(name: str, code_map: CodeMap) -> bool:
    info = code_map.modules.get(name)
    return info is not None and info.is_test


# The settings that ask for slow tests (`RUN_SLOW=1 ...`, `RUN_SLOW=yes`): a first run
# wants none; others (`PYTHONPATH=src`, `JAX_PLATFORMS=cpu`) stay. Unquoted values only.
_ENV_SETTINGS = re.compile(r"^\s*(?:(?:RUN_\w+|\w*SLOW\w*)=[^\s\"']*\s+)+", re.IGNORECASE)


def _runner(area_command: str, contributing: ContributingSummary) -> str:
    """The test runner part of a command ("python -m pytest" of "python -m pytest a.py"),
    without the settings before it: diffusers' `RUN_SLOW=1` downloads gigabytes of models
    for the slow tests a first run does not want. Of its options only those it cannot run
    without are kept (`_RUN_OPTIONS`); `-sv` and `-k ...` are the guide's own choices."""
    for command in (area_command, *(contributing.test[:1])):
        words: list[str] = []
        for word in _ENV_SETTINGS.sub("", command).split():
            after_m = bool(words) and words[-1] == "-m"
            if not after_m and ("/" in word or word.endswith(".py") or word.startswith("#")):
                break
            if word.startswith("-") and word != "-m" and word not in _RUN_OPTIONS:
                break
            words.append(word)
        if words and words[0] not in _TASK_RUNNERS:
            return " ".join(words)
    return "python -m pytest"


# Options without which the suite does not run as its guide says: DeepSpeed's tests each
# start distributed backends, which `pytest --forked` (pytest-forked) keeps apart.
_RUN_OPTIONS = frozenset({"--forked", "--boxed"})

# Task runners run a target, not the files after it: Lightning's `make test` reinstalls and
# runs both whole suites, then says "Nothing to be done for 'tests/...py'".
_TASK_RUNNERS = frozenset({"make", "tox", "nox", "just", "invoke", "bash", "sh"})
