"""Time `prready plan pytorch/pytorch` end to end on the installed torch wheel's tree,
turned into a local git repository, with about sixty PyTorch-style issues served by the
loopback GitHub server (tests/torchplan_issues.py).

    /work/venv/bin/python bench/bench_plan.py [--keep DIR] [--repeat N]

cold: empty PRREADY_HOME, so clone + map + sync + plan + render; warm: the same command
again with everything cached (clone up to date, code map snapshot, issues unchanged).
Each run is a fresh `python -m prready` child process; the fastest of N runs counts
(other work on a shared machine only ever slows a run down).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from ghserver import Dataset, GitHubServer  # noqa: E402
from torchfixtures import make_torch_repo, torch_source  # noqa: E402
from torchplan_issues import REPO, serve_torch_issues  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement")
    args = parser.parse_args()
    source = torch_source()
    if source is None:
        print("torch is not installed: nothing to measure")
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="prready-bench-plan-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        repo = work / "pytorch"
        if not repo.exists():
            print(f"copying {source} into a git repository ...", flush=True)
            make_torch_repo(repo, source)
        dataset = Dataset()
        counts = serve_torch_issues(dataset, datetime.now(timezone.utc))
        with GitHubServer(dataset) as server:
            rows = bench(repo, work, server.url, max(1, args.repeat))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{REPO}: {counts['open']} open issues, {counts['closed']} closed, {counts['pulls']} pulls"
    )
    print(f"{'run':6} {'seconds':>8} {'page KB':>8}")
    for run, seconds, size in rows:
        print(f"{run:6} {seconds:8.2f} {size / 1024:8.0f}")
    return 0


def bench(repo: Path, work: Path, api_url: str, repeat: int) -> list[tuple[str, float, int]]:
    """Best-of-`repeat` cold and warm wall times, with the page size of the last run."""
    home = work / "home"
    page = work / "plan.html"
    cold, warm = [], []
    for _ in range(repeat):
        shutil.rmtree(home, ignore_errors=True)
        os.sync()
        cold.append(_plan(repo, home, api_url, page))
        warm.append(_plan(repo, home, api_url, page))
    size = page.stat().st_size
    return [("cold", min(cold), size), ("warm", min(warm), size)]


def _plan(repo: Path, home: Path, api_url: str, page: Path) -> float:
    env = dict(
        os.environ,
        PRREADY_HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        NO_COLOR="1",
    )
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "PRREADY_OFFLINE"):
        env.pop(name, None)
    command = [
        sys.executable, "-m", "prready", "plan", REPO,
        "--git-url", str(repo), "--api-url", api_url, "--token", "bench-token",
        "--skills", "python,nn,testing", "--format", "html", "--output", str(page),
    ]  # fmt: skip
    start = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"prready plan failed ({out.returncode}):\n{out.stderr}\n{out.stdout}")
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
