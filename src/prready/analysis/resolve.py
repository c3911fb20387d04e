"""Exact evidence resolved against a code map: traceback frames and written paths to the
files they name; API names to the modules that define them, through re-exports, public
module aliases (`keras.layers` is `keras.api.layers`) and names written without their
package (`layers.Conv2D`); names bound in C (PyTorch's ATen ops) to the native files that
name their kernels; a named class to the modules defining its bases; imports in the
reproduction. Each clue carries the words shown on a step card ("API torch.angle is the
native op angle ...").

Pure, like the rest of analysis: everything comes from the `MapIndex` (`mapping`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prready.analysis.evidence import OTHER_LIBRARIES, IssueEvidence
from prready.analysis.lexicon import split_identifier
from prready.analysis.native import NATIVE_UNIT_LANGUAGES
from prready.analysis.native_ops import NATIVE_FUNCTIONS
from prready.analysis.snapshot import adjacency

if TYPE_CHECKING:
    from prready.analysis.mapping import MapIndex

# Weights, strongest first. Why these values:
# - the innermost traceback frame inside the repository is where the error surfaced; the
#   fix is there or one call up (0.9). Outer frames are callers, often innocent (0.45).
W_FRAME_RAISING = 0.9
W_FRAME_OTHER = 0.45
#   A frame that only hands the call or the error on (a decorator's `return func(*args,
#   **kwargs)`, a traceback filter's `raise e.with_traceback(tb)`: `evidence.hands_on`) is
#   where the error passed, not where it arose: it weighs as an outer frame. Past a call
#   handed on, the raising weight goes to the next frame in; past an error raised again,
#   to none (it arose in frames the traceback does not show).
# - a file path written out means the reporter read that file (0.85); a directory is
#   vaguer (0.6).
W_PATH = 0.85
W_DIR = 0.6
# - a bare file name several files share ("config.py": timm/data/config.py and
#   timm/layers/config.py) names the library's among them, its weight split between them
#   (0.85 / n, n at most 3): the words decide. More library files so named (`__init__.py`,
#   `utils.py`) say nothing.
MAX_SAME_NAME = 3
# - a script the reporter ran (`python3 train.py ...`, `python -m pytest tests/x.py`) is
#   where the reproduction started, as an import in it is (below): it weighs as one (0.3).
# - an API name that resolves to its exact defining symbol (0.52 when called, 0.45 when
#   only mentioned); resolved only through a parent name (say a method) it is weaker
#   (0.32). An API is where the user met the bug, often not where it lives (a NumPy-style
#   front end over the kernels that broke): on the dev set a resolved API was a file the
#   fix changed in about 4 cases of 10, so it weighs less than a path the user read.
W_API_CALL = 0.52
W_API = 0.45
W_API_PREFIX = 0.32
# - a name bound in C (PyTorch's `torch.angle`, `Tensor.index_add_`: an ATen op declared in
#   native_functions.yaml) has no Python definition to resolve to: it resolves to the
#   native files that name the op's kernels (`angle_out`), the best NATIVE_KEEP of the
#   NATIVE_DEPTH best lexical matches of those names, at an API's weight (scaled by their
#   scores), or at W_API_PREFIX beside a Python definition of the same name (a wrapper).
NATIVE_DEPTH = 30
NATIVE_KEEP = 3
# - the base classes a named class names (a bug in `BaseConv` reported through `Conv2D`),
#   resolved among the modules the class's module imports, at a partly resolved name's
#   weight; a base that more than MAX_BASE_CLASSES classes name (`nn.Module`, `Layer`,
#   `Enum`) says nothing of where one of them breaks.
W_API_BASE = W_API_PREFIX
MAX_BASE_CLASSES = 25
# - a class or function name written alone (`MessagePassing`, `get_val_by_key`) that one
#   library module alone defines resolves there, at a partly resolved name's weight when
#   the title names it; a body's names are often what the reproduction uses (a dataset, an
#   optimizer, a config class), so they weigh less than its imports. A name several
#   modules define says nothing the words do not.
W_NAME = W_API_PREFIX
W_NAME_BODY = 0.2
# - a method called on a variable named after its class (`accelerator.skip_first_batches`:
#   an `Accelerator`; `trial.suggest_float`: a `Trial`) points at the class's module, by
#   Python's naming habit only, so like a name in the body (0.2), and its bases are not
#   inferred from that guess. Short names (`x`, `ds`) name no class.
W_INSTANCE = W_NAME_BODY
MIN_INSTANCE_NAME = 4
# - an import in the reproduction shows what the user touches, not what is broken (0.3).
W_IMPORT = 0.3


def exact_clues(found: IssueEvidence, index: MapIndex) -> Iterable[tuple[str, float, str]]:
    in_repo = [(f, p) for f in found.frames if (p := _path_in_repo(f.path, index))]
    seen: set[str] = set()
    raising = True  # the innermost frame that does more than pass the call on is to come
    # Innermost first; a file seen in several frames counts once, at its deepest frame.
    for frame, path in reversed(in_repo):
        if path in seen:
            continue
        seen.add(path)
        if frame.hands_on:
            weight, role = W_FRAME_OTHER, f"frame (passing the {frame.hands_on} on)"
            # A call passed on: its caller ran the repository's code. An error raised
            # again arose in frames not shown: none of those shown raised it.
            raising = raising and frame.hands_on == "call"
        else:
            weight = W_FRAME_RAISING if raising else W_FRAME_OTHER
            role = "innermost in-repo frame" if raising else "frame"
            raising = False
        where = f"{path}:{frame.line}" if frame.line else path  # (0: a notebook's, unmarked)
        yield index.path_to_module[path], weight, f"traceback {role} {where}"
    for raw, line in found.paths:
        if raw.endswith("/"):
            yield from _dir_clues(raw, index)
            continue
        found_path = _path_in_repo(raw, index)
        if found_path:
            where = f"{found_path}:{line}" if line else found_path
            module = index.path_to_module[found_path]
            if raw in found.ran:
                yield module, W_IMPORT, f"script {found_path} run in the reproduction"
            else:
                yield module, W_PATH, f"file path {where} in the text"
        elif "/" not in raw and raw not in found.ran and (same := _library_files_named(raw, index)):
            for path in same:
                yield (
                    index.path_to_module[path],
                    W_PATH / len(same),
                    f"file name {raw} in the text ({len(same)} library files have it)"
                    if len(same) > 1
                    else f"file name {raw} in the text (the library's only one)",
                )
        elif other := _other_file(raw, index):
            # A tracked non-code file (docs/tensors.md) is its own node, named by its path.
            as_written = raw.replace("\\", "/")
            exact = other.endswith(as_written) or as_written.endswith(other)
            written = "" if exact else f" (written {as_written})"
            yield other, W_PATH, f"file path {other} in the text{written}"
    # The last parts of the APIs the title names ("eigvalsh" of `jnp.linalg.eigvalsh`).
    titled_apis = {
        last for name in found.apis if (last := name.rpartition(".")[2]) in found.title_words
    }
    for name in found.apis:
        resolved = _resolve_dotted(name, index)
        if resolved is None and (suffixed := _resolve_suffix(name, index)) is not None:
            module, full = suffixed
            yield module, W_API_PREFIX, f"API {name} (as {full}, defined in {module})"
            yield from _base_clues(full, module, index)
            continue
        if resolved is None and (instance := _resolve_instance(name, index)) is not None:
            module, cls = instance
            first = name.split(".", 1)[0]
            why = f"API {name} ({first}: an instance of {cls}, defined in {module})"
            yield module, W_INSTANCE, why  # (a guess: no base class is inferred from it)
            continue
        exact = resolved is not None and resolved[1]
        # A name bound in C: its kernels' files, or beside the Python wrapper, at less.
        # A call counts more, unless the title names other APIs than this one: then the
        # reproduction's other calls only build its inputs (`jax.random.uniform` beside
        # "eigvalsh" in the title).
        called = name in found.called and (
            not titled_apis or name.rpartition(".")[2] in titled_apis
        )
        api_weight = W_API_CALL if called else W_API
        native = list(_native_clues(name, index, W_API_PREFIX if exact else api_weight))
        yield from native
        if resolved is None or (native and not exact):
            continue  # (a prefix such as torch.Tensor holds no C-bound method)
        module, _, named = resolved
        weight = api_weight if exact else W_API_PREFIX
        if name == module:
            yield module, weight, f"module {name} named in the text"
        else:
            yield module, weight, f"API {name} (defined in {module})"
            yield from _base_clues(named, module, index)
    for name in found.names:
        definer = _defined_once(name, index)
        if definer is None:
            continue
        if name in found.title_names:
            yield definer, W_NAME, f"name {name} in the title (defined in {definer})"
        else:
            yield definer, W_NAME_BODY, f"name {name} (defined in {definer})"
        yield from _base_clues(f"{definer}.{name}", definer, index)
    for name in found.imports:
        resolved = _resolve_dotted(name, index)
        if resolved is not None:
            yield resolved[0], W_IMPORT, f"imports {name} in the reproduction"


def _path_in_repo(raw: str, index: MapIndex) -> str | None:
    """The repository path a written path refers to (exact, or as a suffix of an
    absolute/site-packages path), or None when it is outside the repository."""
    raw = raw.replace("\\", "/")
    if raw in index.path_to_module:
        return raw
    candidates = index.by_basename.get(raw.rsplit("/", 1)[-1], ())
    best = None
    for path in candidates:
        suffix = raw.endswith("/" + path) or path.endswith("/" + raw)
        if suffix and (best is None or len(path) > len(best)):
            best = path
    if best is None or ("/" not in raw and len(candidates) > 1):
        return None
    return best


def _library_files_named(name: str, index: MapIndex) -> list[str]:
    """The library files (at most MAX_SAME_NAME, sorted) a bare file name names when other
    files share it (`_path_in_repo` resolves it alone), else []."""
    same = sorted(
        p for p in index.by_basename.get(name, ()) if index.path_to_module[p] in index.library
    )
    return same if len(same) <= MAX_SAME_NAME else []


def _other_file(raw: str, index: MapIndex) -> str | None:
    """The tracked non-module file a written path names: exact, or for a path with a
    directory, the one tracked file it is a suffix of (or that is a suffix of it); a docs
    page also under another markup's suffix (.md, .mdx, .rst)."""
    raw = raw.replace("\\", "/")
    found = _tracked_as_written(raw, index)
    stem, dot, suffix = raw.rpartition(".")
    if found is None and dot and suffix.lower() in _PAGE_SUFFIXES:
        # A docs page written in the format it had (trl's docs/source/*.mdx, now .md).
        for other in sorted(_PAGE_SUFFIXES - {suffix.lower()}):
            if (found := _tracked_as_written(f"{stem}.{other}", index)) is not None:
                break
    return found


_PAGE_SUFFIXES = frozenset({"md", "mdx", "rst"})


def _tracked_as_written(raw: str, index: MapIndex) -> str | None:
    candidates = index.other_files.get(raw.rsplit("/", 1)[-1], ())
    if raw in candidates:
        return raw
    if "/" not in raw:
        return None
    hits = [p for p in candidates if raw.endswith("/" + p) or p.endswith("/" + raw)]
    return hits[0] if len(hits) == 1 else None


def _dir_clues(raw: str, index: MapIndex) -> Iterable[tuple[str, float, str]]:
    prefix = raw.lstrip("./")
    areas: Counter[str] = Counter()
    for path, module in index.path_to_module.items():
        if path.startswith(prefix) or ("/" + prefix) in path:
            area = index.code_map.area_of(module)
            if area:
                areas[area] += 1
    if areas:
        area = min(areas, key=lambda a: (-areas[a], a))
        yield area, W_DIR, f"directory {prefix} in the text"


def _native_clues(name: str, index: MapIndex, weight: float) -> Iterable[tuple[str, float, str]]:
    """The native files that name the kernels of the ATen op an API name stands for
    (`torch.angle` -> op angle -> `angle_out`, `angle_sparse_csr`): BM25 over each kernel
    name's most specific term (the compound of a snake_case name, else the word), the
    best `NATIVE_KEEP` C/C++/CUDA units weighted by their score over the best one's."""
    ops = index.native_ops
    if not ops.ops or name.split(".", 1)[0] not in index.packages:
        return
    found = ops.ops_in_text(name)
    if not found:
        return
    op = found[0]
    # An in-place op (`index_add_`) runs the kernels of the op it updates in place.
    base = op.rstrip("_") if not op.startswith("_") else op
    names = [op, *ops.kernels_of(op)]
    if base != op and base in ops.ops:
        names += [base, *ops.kernels_of(base)]
    query: dict[str, float] = {}
    kernel_of: dict[str, str] = {}  # query term -> the kernel name it stands for
    for kernel in names:
        words = split_identifier(kernel)
        if words:
            query[words[-1]] = 1.0
            kernel_of.setdefault(words[-1], kernel)
    modules = index.code_map.modules
    hits = [
        hit
        for hit in index.lexical.search(query, limit=NATIVE_DEPTH)
        if hit[0] in modules and modules[hit[0]].language in NATIVE_UNIT_LANGUAGES
    ][:NATIVE_KEEP]
    if not hits:
        return
    best = hits[0][1]
    for unit, score, terms in hits:
        kernels = ", ".join(kernel_of[t] for t in terms[:3] if t in kernel_of)
        why = f"API {name} is the native op {op} ({NATIVE_FUNCTIONS}): it names {kernels}"
        yield unit, weight * (score / best) ** 2, why


def _resolve_dotted(name: str, index: MapIndex) -> tuple[str, bool, str] | None:
    """(defining module, exact?, the name that matched) for a dotted name, trimming
    trailing parts (methods, attributes) until a symbol or module matches; the bare top
    package never counts. A leading part that is another module under a public name
    (`keras.layers` is `keras.api.layers`, re-exported) is followed, so the rest of the
    name resolves there (`keras.layers.Conv2D` -> `keras.api.layers.Conv2D` -> where
    Conv2D is defined)."""
    if name.split(".", 1)[0] not in index.packages:
        return None
    modules = index.code_map.modules
    found = _resolve_once(name, index)
    if found is None:
        return None
    for _ in range(MAX_MODULE_ALIASES):
        module, cut, candidate = found
        parts = name.split(".")
        alias = (
            cut < len(parts)
            and module != candidate
            and module in modules
            and module.rsplit(".", 1)[-1] == parts[cut - 1]
        )
        if not alias:
            break
        further = _resolve_once(".".join([module, *parts[cut:]]), index)
        if further is None or further[1] <= len(module.split(".")):
            break  # nothing more of the name resolves under the module it stands for
        name, found = ".".join([module, *parts[cut:]]), further
    module, cut, candidate = found
    return module, cut == len(name.split(".")), candidate


MAX_MODULE_ALIASES = 3  # module re-exports followed for one name


def _resolve_suffix(name: str, index: MapIndex) -> tuple[str, str] | None:
    """(defining module, the public name) for a dotted name written without its package
    (`layers.Conv2D`, `rpc.remote`) that ends exactly one defining module's public names
    (`keras.layers.Conv2D`); trailing parts (a method) are trimmed, down to two parts, then
    to a class one library module alone defines (`Params4bit.to`)."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] in index.packages or parts[0] in OTHER_LIBRARIES:
        return None
    if index.suffixes is None:  # built on first use: most issues name their package
        suffixes: dict[str, list[str]] = defaultdict(list)
        for dotted in index.code_map.symbols:  # keyed by its last two parts
            suffixes[dotted[dotted.rfind(".", 0, dotted.rfind(".")) + 1 :]].append(dotted)
        index.suffixes = dict(suffixes)
    symbols = index.code_map.symbols
    for cut in range(len(parts), 1, -1):
        written = ".".join(parts[:cut])
        tail = ".".join(parts[cut - 2 : cut])
        full = [d for d in index.suffixes.get(tail, ()) if d.endswith("." + written)]
        defining = {symbols[d] for d in full}
        if len(defining) == 1:
            return defining.pop(), min(full, key=lambda d: (len(d), d))
        if full:
            return None  # several places define it: the words decide
    # A class and its method or attribute (`InducingPointKernelAddedLossTerm.loss`,
    # `Params4bit.to`): the class, when one library module alone defines it, unless the
    # method is bound in C (`Tensor.index_add_`: its kernels are elsewhere).
    first = parts[0]
    definer = _defined_once(first, index) if first[0].isupper() else None
    if definer is not None and not index.native_ops.ops_in_text(name):
        return definer, f"{definer}.{first}"
    return None


def _resolve_instance(name: str, index: MapIndex) -> tuple[str, str] | None:
    """(defining module, class) for a method called on a variable named after its class
    (`accelerator.skip_first_batches`, `data_loader.set_epoch`: an `Accelerator`, a
    `DataLoader`), when one library module alone defines a class of that name."""
    first = name.split(".", 1)[0]
    if not first[0].islower() or len(first) < MIN_INSTANCE_NAME:
        return None
    if index.classes_by_lower is None:  # built on first use
        by_lower: dict[str, list[str]] = defaultdict(list)
        for public in _last_names(index):
            if public[:1].isupper() and not public.isupper():
                by_lower[public.lower()].append(public)
        index.classes_by_lower = dict(by_lower)
    classes = index.classes_by_lower.get(first.replace("_", ""), ())
    if len(classes) != 1 or index.native_ops.ops_in_text(name):
        return None
    module = _defined_once(classes[0], index)
    return None if module is None else (module, classes[0])


def _defined_once(name: str, index: MapIndex) -> str | None:
    """The one library module defining a public name whose last part is `name`, or None
    when none or several do."""
    defining = _last_names(index).get(name, ())
    if len(defining) != 1:
        return None
    module = next(iter(defining))
    return module if module in index.library else None


def _last_names(index: MapIndex) -> dict[str, set[str]]:
    """The modules defining each public name's last part (built on first use)."""
    if index.last_names is None:
        last_names: dict[str, set[str]] = defaultdict(set)
        for dotted, module in index.code_map.symbols.items():
            last_names[dotted.rpartition(".")[2]].add(module)
        index.last_names = dict(last_names)
    return index.last_names


def _resolve_once(name: str, index: MapIndex) -> tuple[str, int, str] | None:
    """(defining module, how many parts matched, the name that matched) for `name`."""
    symbols, modules = index.code_map.symbols, index.code_map.modules
    parts = name.split(".")
    for cut in range(len(parts), 1, -1):
        candidate = ".".join(parts[:cut])
        module = symbols.get(candidate)
        if module is None and candidate in modules:
            module = candidate
        if module is not None and module != parts[0]:
            return module, cut, candidate
    return None


def _base_clues(named: str, module: str, index: MapIndex) -> Iterable[tuple[str, float, str]]:
    """The modules defining the bases of the class `named` resolved to (defined in
    `module`): a base the module defines itself, else one a module it imports defines
    (as `code_map.symbols` has it: through re-exports to where it is defined)."""
    cls = named.rsplit(".", 1)[-1]
    classes = index.class_bases
    bases = classes.get(module, {}).get(cls, ())
    if not bases:
        return
    if index.base_counts is None:
        index.base_counts = Counter(
            b.rsplit(".", 1)[-1]
            for defined in classes.values()
            for named_bases in defined.values()
            for b in named_bases
        )
    if index.adjacency is None:  # read once per index (see `_graph_clues`)
        index.adjacency = adjacency(index.code_map)
    imports = sorted(index.adjacency[0].get(module, {}))
    symbols = index.code_map.symbols
    for base in bases:
        qualifier, _, last = base.rpartition(".")
        if index.base_counts[last] > MAX_BASE_CLASSES:
            continue
        # Defined beside it: that module is ranked already. (A class named as its base,
        # `class Linear(nn.Linear)`, is not its own base: the bases are read first.)
        if last != cls and (
            last in classes.get(module, {}) or symbols.get(f"{module}.{last}") == module
        ):
            continue
        defining = _base_module(qualifier, last, imports, index)
        if defining is not None and defining != module and defining in index.library:
            yield defining, W_API_BASE, f"base class {base} of {cls} (defined in {defining})"


def _base_module(qualifier: str, last: str, imports: list[str], index: MapIndex) -> str | None:
    """The module defining a base `qualifier.last` as a module importing `imports` names
    it: among the imported modules that define `last` (publicly, through re-exports, or
    as a class of their own), the one the qualifier names (`nn.Linear`: the import whose
    name ends with `nn`), else the only one; None when that is still ambiguous."""
    symbols, classes = index.code_map.symbols, index.class_bases
    found: dict[str, str] = {}  # imported module -> where it has `last` defined
    for other in imports:
        defining = symbols.get(f"{other}.{last}")
        if defining is None and last in classes.get(other, {}):
            defining = other
        if defining is not None:
            found[other] = defining
    places = {d for other, d in found.items() if f".{other}".endswith(f".{qualifier}")}
    if not places:  # (no qualifier, or one naming no import: an alias)
        places = set(found.values())
    return places.pop() if len(places) == 1 else None
