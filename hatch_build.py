"""Builds prready's optional C speed-up, `prready._lexscan` (src/prready/_lexscan.c), into
the wheel: the per-token work of the mapping index's lexical fields and of its BM25 build
and search (see `prready.analysis.lexicon`), which gives the same fields and rankings as the
Python passes in a fraction of the time.

It is optional: where no C compiler or Python headers are found, the build says so on
stderr and the wheel is pure Python (lexicon then runs its Python passes). Set
PRREADY_PURE_PYTHON=1 to build without it. An editable install builds it in place, next to
the sources (src/prready/, ignored by git).
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "prready._lexscan"
SOURCE = "src/prready/_lexscan.c"


class LexscanBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("PRREADY_PURE_PYTHON") == "1":
            return
        name = "_lexscan" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        with tempfile.TemporaryDirectory() as scratch:
            built = _compile(Path(self.root), Path(scratch))
            if built is None:
                return
            if version == "editable":
                target = Path(self.root, "src", "prready", name)
                shutil.copyfile(built, target)
                return
            kept = Path(self.directory, ".lexscan-build", name)
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, kept)
        build_data["force_include"][str(kept)] = f"prready/{name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(Path(self.directory, ".lexscan-build"), ignore_errors=True)


def _compile(root: Path, scratch: Path) -> Path | None:
    """The built extension, or None (and a line on stderr) when it cannot be built."""
    try:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        dist = Distribution(
            {
                "name": "prready",
                "package_dir": {"": "src"},
                "ext_modules": [Extension(MODULE, [str(root / SOURCE)])],
            }
        )
        command = build_ext(dist)
        command.build_lib = str(scratch / "lib")
        command.build_temp = str(scratch / "temp")
        command.ensure_finalized()
        command.run()
        (output,) = command.get_outputs()
        return Path(output)
    except Exception as exc:  # no compiler, no headers, an unsupported platform
        print(
            f"prready: building the C speed-up {MODULE} failed ({exc}); "
            "installing the pure-Python version, which gives the same results more slowly",
            file=sys.stderr,
        )
        return None
