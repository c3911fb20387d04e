"""Time `prready plan pytorch/pytorch` end to end on the installed torch wheel's tree,
turned into a local git repository, with about sixty PyTorch-style issues served by the
loopback GitHub server (tests/torchplan_issues.py), plus `--issues N` generated ones.

    /work/main/.venv/bin/python bench/bench_plan.py [--issues 2000] [--changed 50] [--repeat N]
        [--baseline /work/main/src]

cold: empty PRREADY_HOME, so clone + map + sync + plan + render; warm: the same command
again with everything cached and nothing changed on the server (its planned steps are
tracked for the first time); changed: warm after `--changed` issues were edited on the
server; unchanged: once more, nothing changed since. Each run is a fresh `python -m prready`
child process; its wall time, CPU time (user + system: less disturbed by other work
on a shared machine), peak memory (the child's own rusage) and the requests the
server saw (total, and billed: those not answered 304) are printed. With --repeat the
fastest run counts (other work on a shared machine only ever slows a run down). With
--baseline, another prready source tree is measured in the same run, each of its runs
next to ours (its own PRREADY_HOME, the same server and changes). Each code's tree is
byte-compiled first, as an install leaves it.

With --keep DIR the work folder is kept, and with it each code's home as the cold run
left it (home-CODE.cold), the issues' reference time and the server's port (state.json:
the same issues, URLs and ETags on every run). A later run with the same DIR starts from
those homes instead of planning cold again: its first row is "primed", a plan on the
kept home (every assessment is recomputed when prready's code changed since), and the
home it leaves is kept in place of the old one, so later repeats and runs start warm.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from ghserver import Dataset, GitHubServer  # noqa: E402
from torchfixtures import make_torch_repo, torch_source  # noqa: E402
from torchplan_issues import OPEN_ISSUES, REPO, serve_torch_issues  # noqa: E402

SEED = 15  # generated issues are the same on every run
_ASIDES = (
    "",
    "\n\nThis started after upgrading from the previous release.",
    "\n\nSeen on Linux and macOS; Windows not tried.",
    "\n\ncc @maintainer-a @maintainer-b",
    "\n\nA workaround is to call `.contiguous()` first, but that copies.",
    "\n\n### Alternatives\n\nKeeping a local patch, which is fragile.",
)
_SUFFIXES = ("", " (regression)", " on CPU", " with float16", " in eval mode", " for empty input")


@dataclass
class Run:
    code: str  # "this" or "baseline"
    name: str
    seconds: float
    cpu: float  # the child's user + system CPU seconds: less disturbed by other load
    peak_mb: float
    requests: int
    billed: int


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement")
    parser.add_argument(
        "--issues", type=int, default=0, help="generated issues on top (2000, 20000)"
    )
    parser.add_argument("--changed", type=int, default=50, help="issues edited before the last run")
    parser.add_argument("--baseline", type=Path, help="another prready src/ measured alongside")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run this code's plans under pyinstrument (profile-RUN.txt in the work folder; "
        "times then include the profiler's overhead)",
    )
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
        state = _kept_state(work) if args.keep else {}
        dataset = Dataset()
        now = datetime.fromisoformat(state["now"]) if "now" in state else datetime.now(timezone.utc)
        counts = serve_torch_issues(dataset, now)
        counts["open"] += add_generated_issues(dataset, args.issues, now)
        dataset.set_authenticated_user("bench-user")
        with GitHubServer(dataset, port=int(state.get("port", 0))) as server:
            if args.keep:
                port = int(server.url.rsplit(":", 1)[1])
                _save_state(work, {"now": now.isoformat(), "port": port, "issues": args.issues})
            codes = {"this": str(HERE.parent / "src")}
            if args.baseline is not None:
                codes["baseline"] = str(args.baseline.resolve())
            for src in codes.values():
                # Byte-compiled first, as an install leaves it: with PYTHONDONTWRITEBYTECODE
                # set (or a read-only tree) every run would compile prready's modules anew.
                subprocess.run([sys.executable, "-m", "compileall", "-q", src], check=False)
            rows = bench(
                repo,
                work,
                server,
                max(1, args.repeat),
                args.changed,
                args.issues > 0,
                codes,
                keep=args.keep is not None,
                profile=args.profile,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{REPO}: {counts['open']} open issues, {counts['closed']} closed, {counts['pulls']} pulls"
    )
    print(
        f"{'code':9} {'run':12} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'requests':>9} "
        f"{'billed':>7}"
    )
    for run in rows:
        print(
            f"{run.code:9} {run.name:12} {run.seconds:8.2f} {run.cpu:6.2f} {run.peak_mb:8.0f} "
            f"{run.requests:9d} {run.billed:7d}"
        )
    return 0


def _kept_state(work: Path) -> dict[str, object]:
    """What an earlier run with this --keep folder fixed: the issues' reference time and
    the server's port (homes kept with other issues or URLs would not be warm)."""
    try:
        state = json.loads((work / "state.json").read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(work: Path, state: dict[str, object]) -> None:
    old = _kept_state(work)
    if old and old.get("issues") != state["issues"]:
        # Other issues: the kept homes hold the old ones, so they are cold again.
        for snapshot in work.glob("home-*.cold"):
            shutil.rmtree(snapshot, ignore_errors=True)
    (work / "state.json").write_text(json.dumps(state, indent=1) + "\n")


def add_generated_issues(dataset: Dataset, count: int, now: datetime) -> int:
    """`count` open issues shaped like tests/torchplan_issues.py's: each a template's
    title, body and labels, varied (suffix, an extra paragraph, a label dropped, age)."""
    rng = random.Random(SEED)
    for n in range(count):
        template = OPEN_ISSUES[rng.randrange(len(OPEN_ISSUES))]
        labels = list(template.labels)
        if len(labels) > 1 and rng.random() < 0.3:
            labels.pop(rng.randrange(len(labels)))
        age = rng.randint(1, 900)
        stamp = (now - timedelta(days=age, minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        dataset.add_issue(
            REPO,
            f"{template.title}{rng.choice(_SUFFIXES)} [{n}]",
            body=template.body + rng.choice(_ASIDES),
            user=f"reporter{rng.randrange(5000)}",
            labels=labels,
            created_at=stamp,
            reactions=rng.randrange(8),
        )
    return count


def change_issues(dataset: Dataset, count: int) -> None:
    """Edit `count` open issues (every n-th, deterministic): a new paragraph in the body."""
    issues = dataset.repo(REPO)["issues"]
    numbers = sorted(
        n for n, rec in issues.items() if rec["state"] == "open" and not rec.get("pull")
    )
    step = max(1, len(numbers) // max(1, count))
    for number in numbers[::step][:count]:
        body = issues[number]["body"] or ""
        dataset.update_issue(REPO, number, body=body + "\n\nStill happens on the nightly.")


def bench(
    repo: Path,
    work: Path,
    server: GitHubServer,
    repeat: int,
    changed: int,
    all_open: bool,
    codes: dict[str, str],
    *,
    keep: bool = False,
    profile: bool = False,
) -> list[Run]:
    """Best-of-`repeat` cold, warm and changed runs of each code (name -> its src/
    folder), each a whole process; the codes take turns at every step. With `keep`, each
    code's home after its cold run is kept, and a kept one replaces the cold run."""
    best: dict[tuple[str, str], Run] = {}
    for round_no in range(repeat):
        runs: list[Run] = []
        for code in codes:
            home, kept = work / f"home-{code}", work / f"home-{code}.cold"
            shutil.rmtree(home, ignore_errors=True)
            if keep and kept.is_dir():
                restore_home(kept, home)
        os.sync()
        for name in ("cold", "warm", f"changed {changed}", "unchanged"):
            if name.startswith("changed"):
                change_issues(server.dataset, changed)
            for code, src in codes.items():
                home, kept = work / f"home-{code}", work / f"home-{code}.cold"
                step = "primed" if name == "cold" and home.is_dir() else name
                profiled = profile and code == "this"
                runs.append(_plan(code, src, step, repo, server, work, all_open, profiled))
                if keep and (step == "cold" or (step == "primed" and round_no == 0)):
                    # A primed home is as warm as a cold run leaves one: kept in its
                    # place, the next repeat (or run) does not re-assess every issue.
                    # (Only the first: later repeats plan against issues already changed.)
                    shutil.rmtree(kept, ignore_errors=True)
                    shutil.copytree(home, kept, symlinks=True)
        for run in runs:
            key = (run.code, run.name)
            if key not in best or run.seconds < best[key].seconds:
                best[key] = run
    return sorted(best.values(), key=lambda r: (r.code != "this", r.code))


def restore_home(kept: Path, home: Path) -> None:
    """Copy a kept home into place. A copy gives every file a new inode and ctime, so git
    would see each file of the cached clones as changed (and prready rehash them all on
    every run): refresh their indexes, as a home never copied would have them."""
    shutil.copytree(kept, home, symlinks=True)
    for index in sorted((home / "cache" / "repos").glob("*/*/.git/index")):
        subprocess.run(
            ["git", "-C", str(index.parent.parent), "update-index", "-q", "--refresh"],
            check=False,
            capture_output=True,
        )


def _plan(
    code: str,
    src: str,
    name: str,
    repo: Path,
    server: GitHubServer,
    work: Path,
    all_open: bool,
    profile: bool = False,
) -> Run:
    env = dict(
        os.environ,
        PYTHONPATH=src,
        PRREADY_HOME=str(work / f"home-{code}"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        NO_COLOR="1",
    )
    for key in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "PRREADY_OFFLINE"):
        env.pop(key, None)
    profiler = ["-m", "pyinstrument", "-r", "text", "-o", str(work / f"profile-{name}.txt")]
    command = [
        sys.executable, *(profiler if profile else []), "-m", "prready", "plan", REPO,
        "--git-url", str(repo), "--api-url", server.url, "--token", "bench-token",
        "--skills", "python,nn,testing", "--format", "html",
        "--output", str(work / f"plan-{code}.html"),
        *(["--all-open"] if all_open else []),
    ]  # fmt: skip
    server.reset_log()
    log = work / "plan.log"
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"prready plan failed ({child.returncode}):\n{log.read_text()}")
    requests = [r for r in server.requests if r.path != "/rate_limit"]
    billed = sum(1 for r in requests if r.status != 304)
    # ru_maxrss is in kilobytes on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return Run(code, name, seconds, cpu, usage.ru_maxrss / 1024, len(requests), billed)


if __name__ == "__main__":
    raise SystemExit(main())
