"""Public dotted names -> the module that defines them, following re-exports.

`torch.nn.Conv2d` reaches `torch.nn.modules.conv` through `from .modules import *` in
`torch/nn/__init__.py` and `from .conv import Conv2d` (listed in `__all__`) in
`torch/nn/modules/__init__.py`. A name a module binds with `from X import Y` counts as a
re-export when it is in `__all__`; when it is public and the module is a package
`__init__`, or a facade that defines nothing and has no `__all__` (`jax/distributed.py`:
`from jax._src.distributed import initialize, shutdown`; PyTorch's `torch/quantization/`
shims of `torch.ao.quantization`); or when it is imported as itself (`from
jax._src.tree_util import Partial as Partial`: the typing convention for a re-export).
Everything a module defines itself (def, class, assignment) counts.

A package that star-imports a subpackage of its own has that subpackage's modules under
its own name: Keras's `keras/__init__.py` puts `keras/api/` on its `__path__` and does
`from keras.api import *`, so `from keras import layers` (in `keras/api/__init__.py`)
binds `keras/api/layers`, there being no `keras/layers`, and `keras.layers.Conv2D` reaches
`keras.src.layers.convolutional.conv2d`.
"""

from __future__ import annotations

from collections.abc import Callable

from prready.analysis.pyscan import PyScan

# (module, name) -> ("def", module) | ("ref", source module, source name) | ("mod", module)
_Binding = tuple[str, ...]


def build_symbol_index(
    scans: dict[str, PyScan],
    packages: set[str],
    resolve_from: Callable[[str, int, str], str | None],
) -> dict[str, str]:
    """Map `module.name` -> defining module for every public name of every module.

    `scans` is keyed by module name; `resolve_from(module, level, target)` turns the source
    of a `from` import into an internal module name (None for external modules).
    """
    bindings: dict[str, dict[str, _Binding]] = {}
    stars: dict[str, list[str]] = {}
    # Bindings of a package's name that is none of its modules: (bindings, name bound,
    # package, name), looked for in the package's star-imported subpackages last.
    package_refs: list[tuple[dict[str, _Binding], str, str, str]] = []
    for module, scan in scans.items():
        own: dict[str, _Binding] = {}
        exported = set(scan.all_names or ())
        is_package = module in packages
        for name in scan.defs:
            if not name.startswith("_") or name in exported:
                own[name] = ("def", module)
        for imp in scan.imports:
            if imp.conditional or not imp.names:
                continue
            source = resolve_from(module, imp.level, imp.module)
            if source is None:
                continue
            for name, bound in imp.names:
                if name == "*":
                    stars.setdefault(module, []).append(source)
                    continue
                public = (
                    bound in exported
                    or ((is_package or is_facade(scan)) and not bound.startswith("_"))
                    or bound in imp.reexports
                )
                if not public or (bound in own and own[bound][0] == "def"):
                    continue
                sub = f"{source}.{name}"
                if sub in scans:
                    own[bound] = ("mod", sub)
                else:
                    own[bound] = ("ref", source, name)
                    if source in packages:
                        package_refs.append((own, bound, source, name))
        bindings[module] = own
    _bind_extended_modules(package_refs, stars, scans)
    resolver = _Resolver(bindings, stars, scans)
    index: dict[str, str] = {}
    for module in scans:
        for name, binding in resolver.exposed(module).items():
            # (what `defining_module` answers, without a call for the common direct case)
            if binding[0] == "ref":
                target = resolver.defining_module(module, name)
                if target is None:
                    continue
            else:
                target = binding[1]
            index[f"{module}.{name}"] = target
    return index


def is_facade(scan: PyScan) -> bool:
    """A module that defines nothing (private names included) and has no `__all__`: it
    exists to re-export what it imports."""
    return not scan.defs and scan.all_names is None


def _bind_extended_modules(
    package_refs: list[tuple[dict[str, _Binding], str, str, str]],
    stars: dict[str, list[str]],
    scans: dict[str, PyScan],
) -> None:
    """`from package import name`, where `package.name` is no module but a subpackage
    the package star-imports has one of that name (`keras.api.layers`), binds that
    module (see the module's docstring)."""
    for own, bound, package, name in package_refs:
        if own.get(bound) != ("ref", package, name):
            continue  # bound again by a later statement, which wins
        for source in stars.get(package, ()):
            if source.rpartition(".")[0] == package and (sub := f"{source}.{name}") in scans:
                own[bound] = ("mod", sub)
                break


class _Resolver:
    """Follows bindings and star imports with memoisation and a guard against cycles."""

    def __init__(
        self,
        bindings: dict[str, dict[str, _Binding]],
        stars: dict[str, list[str]],
        scans: dict[str, PyScan],
    ) -> None:
        self.bindings = bindings
        self.stars = stars
        self.scans = scans
        self._names: dict[str, dict[str, _Binding]] = {}
        self._in_progress: set[str] = set()

    def exposed(self, module: str) -> dict[str, _Binding]:
        """Every public binding of a module, star imports expanded."""
        done = self._names.get(module)
        if done is not None:
            return done
        if module in self._in_progress:
            return self.bindings.get(module, {})
        self._in_progress.add(module)
        merged: dict[str, _Binding] = {}
        for source in self.stars.get(module, ()):
            scan = self.scans.get(source)
            allowed = set(scan.all_names) if scan and scan.all_names is not None else None
            for name, binding in self.exposed(source).items():
                if allowed is None and name.startswith("_"):
                    continue
                if allowed is not None and name not in allowed:
                    continue
                merged[name] = binding if binding[0] != "def" else ("ref", source, name)
        merged.update(self.bindings.get(module, {}))
        self._in_progress.discard(module)
        self._names[module] = merged
        return merged

    def defining_module(self, module: str, name: str, depth: int = 0) -> str | None:
        binding = self.exposed(module).get(name)
        if depth > 20:
            return None
        if binding is None:
            # Reached through `from module import name` but not visible in module's text
            # (a compiled extension, a dynamic assignment): the source is the best answer.
            return module if depth > 0 else None
        if binding[0] in ("def", "mod"):
            return binding[1]
        _, source, source_name = binding
        if source == module:
            return None
        return self.defining_module(source, source_name, depth + 1)
