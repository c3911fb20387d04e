"""Write the demo sample's package data: src/prready/demo/data/{github.json,tinyml.bundle}.

    python tools/make_demo_data.py            # regenerate the shipped files in place
    python tools/make_demo_data.py --out DIR  # write them to DIR instead (the currency test)

Run it after changing anything under tools/demo_sample/, then commit the data with the
change; tests/system/test_demo_data.py fails while the shipped files differ from what this makes.
The JSON is byte-stable; a bundle's pack is not promised to be, so compare bundles by their
refs (equal commit ids mean equal history, trees and files).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent
# demo_sample, and the loopback server's REST object builder (tests/ghserver/objects.py).
sys.path[:0] = [str(TOOLS), str(TOOLS.parent / "tests")]

from demo_sample.sample_history import sample_history  # noqa: E402
from demo_sample.sample_issues import sample_payloads  # noqa: E402

from prready.demo import BUNDLE_FILE, DATA_DIR, PAYLOADS_FILE  # noqa: E402
from prready.sources.git_repo import build_repo  # noqa: E402


def payloads_text(payloads: dict[str, Any]) -> str:
    """The JSON file's exact text: one key per line (readable diffs), UTF-8 as is."""
    return json.dumps(payloads, indent=1, ensure_ascii=False) + "\n"


def write_demo_data(out: Path) -> None:
    """Generate the sample and write its two files into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / PAYLOADS_FILE).write_text(payloads_text(sample_payloads()), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="tinyml-") as tmp:
        repo = Path(tmp) / "repo"
        build_repo(repo, sample_history())
        bundle = out / BUNDLE_FILE
        bundle.unlink(missing_ok=True)
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        subprocess.run(
            ["git", "-c", "pack.threads=1", "bundle", "create", "-q", str(bundle), "HEAD", "main"],
            cwd=repo,
            env=env,
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write into")
    args = parser.parse_args(argv)
    write_demo_data(args.out)
    print(f"wrote {args.out / PAYLOADS_FILE} and {args.out / BUNDLE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
