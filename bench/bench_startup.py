"""Benchmark prready's start-up: whole-process wall time of `prready --help`, `--version`
and `status` (on an empty store), next to a bare click app measured in the same run.

Each command runs N times as a fresh `python` process (interpreter start included, as a
user sees it), the cases interleaved round by round; the median is printed with the
minimum and prready's cost over the bare app, and the goal (issue 14) is a median under
0.25 s for each prready command. The bare click app shows what the
interpreter and click alone cost on this machine under its current load.

Run: python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
GOAL = 0.25
BARE_CLICK = """
import click

@click.group()
@click.version_option("1.0", "--version")
def cli():
    "A bare click app."

@cli.command()
def status():
    "Say nothing."
    click.echo("nothing")

cli()
"""


def time_process(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall times of `runs` fresh processes; a failing command stops the benchmark."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()[:300]}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prready-startup-") as home:
        env = {
            **os.environ,
            "PRREADY_HOME": home,  # an empty store
            "PYTHONPATH": str(SRC),
            "NO_COLOR": "1",
        }
        bare = Path(home) / "bare_click.py"
        bare.write_text(BARE_CLICK, encoding="utf-8")
        cases = [
            ("bare click --help", [sys.executable, str(bare), "--help"], False),
            ("prready --help", [sys.executable, "-m", "prready", "--help"], True),
            ("bare click --version", [sys.executable, str(bare), "--version"], False),
            ("prready --version", [sys.executable, "-m", "prready", "--version"], True),
            ("bare click status", [sys.executable, str(bare), "status"], False),
            ("prready status", [sys.executable, "-m", "prready", "status"], True),
        ]
        # One warm-up run each, so the first measured run does not pay for a cold disk cache.
        for _, argv, _ in cases:
            time_process(argv, env, 1)
        print(f"start-up, {args.runs} fresh processes each (python {sys.version.split()[0]})")
        # Interleaved (each round runs every case once), so a change in the machine's load
        # hits bare click and prready alike.
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, argv, _ in cases:
                times[name] += time_process(argv, env, 1)
        print(f"{'command':24} {'median':>8} {'min':>8} {'median - bare click':>20}")
        slow = []
        for index, (name, _, ours) in enumerate(cases):
            median = statistics.median(times[name])
            extra = ""
            if ours:
                bare = statistics.median(times[cases[index - 1][0]])
                extra = f"{median - bare:+19.3f}s"
            print(f"{name:24} {median:7.3f}s {min(times[name]):7.3f}s {extra}")
            if ours and median >= GOAL:
                slow.append(name)
    if slow:
        print(f"over the {GOAL} s goal: {', '.join(slow)}")
        return 1
    print(f"every prready command under the {GOAL} s goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
