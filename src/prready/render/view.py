"""The view model: everything a plan page or summary shows, prepared in Python.

Renderers (HTML template, Markdown, terminal) only lay this out. Every string from
GitHub is flattened to one spoof-free line and bounded here, so a 10,000-label issue or a
1 MB title cannot blow up any output.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from prready import clock
from prready.analysis.contributing import asks_for_go_ahead
from prready.analysis.difficulty import BASE as DIFFICULTY_BASE
from prready.analysis.mapping import focus_matches
from prready.analysis.stages import STAGES
from prready.models import (
    IssueAssessment,
    Plan,
    PlanStep,
    ProgressEntry,
    ProgressEvent,
    Stage,
    StepStatus,
    TakenStatus,
)
from prready.render.sanitize import render_issue_body, safe_http_url
from prready.text import safe_line

MAX_LABELS = 8  # labels shown per issue; the rest are counted
MAX_ITEMS = 12  # entries shown per list (reasons, files, reviewers...)
# "@" and a login (GitHub allows 39 characters) and " (123 recent commits here)": whole.
REVIEWER_CHARS = 72
MAX_EVENTS = 15  # timeline length
TITLE_CHARS = 200
_POINTS = re.compile(r"\([+-]\d+(?:\.\d+)?\)")

DIFFICULTY_WORDS = {1: "very easy", 2: "easy", 3: "moderate", 4: "hard", 5: "very hard"}
TAKEN_WORDS = {
    "fresh": "Free to take",
    "taken": "Someone is on it",
    "stale-claim": "Claimed, but gone quiet",
    "done": "Already fixed",
    "declined": "Declined in its thread",
    "obsolete": "Its code is gone",
}
STATUS_WORDS = {
    StepStatus.PLANNED: "Planned",
    StepStatus.STARTED: "Started",
    StepStatus.PR_OPEN: "PR open",
    StepStatus.MERGED: "Merged",
    StepStatus.DROPPED: "Dropped",
    StepStatus.REPLACED: "Replaced",
}


@dataclass
class ProgressView:
    """Counts of a set of steps by tracking status, and bar segments in percent."""

    total: int
    merged: int = 0
    pr_open: int = 0
    started: int = 0
    merged_pct: float = 0.0
    pr_open_pct: float = 0.0
    started_pct: float = 0.0
    pr_open_x: float = 0.0  # where each bar segment starts, in percent
    started_x: float = 0.0
    summary: str = ""


@dataclass
class StepView:
    stage: int
    number: int
    title: str
    url: str
    labels: list[str]
    more_labels: int
    author: str
    modules: list[str]
    difficulty: int
    difficulty_word: str
    difficulty_reasons: list[str]
    skills_matched: list[str]
    skills_new: list[str]
    taken_state: str
    taken_text: str
    taken_evidence: list[str]
    status: str
    status_text: str
    pr_url: str
    why: list[str]
    start_reading: list[str]
    # per start_reading entry, the functions/classes the issue names in that file
    look_for: list[list[str]]
    tests: list[str]
    test_command: str
    reviewers: list[str]
    setup_notes: list[str]
    effort: str
    comments: int
    body_html: str = ""  # sanitized excerpt; filled only when bodies are asked for
    body_truncated: bool = False


@dataclass
class CandidateView:
    stage: int
    stage_title: str
    number: int
    title: str
    url: str
    labels: list[str]
    modules: list[str]
    difficulty: int
    difficulty_word: str
    skills: list[str]
    taken_state: str
    taken_text: str
    also_stages: list[int] = field(default_factory=list)  # other stages it would suit

    @property
    def stage_keys(self) -> str:
        """Every stage the candidate suits, space-separated, for the stage filter."""
        return " ".join(str(s) for s in [self.stage, *self.also_stages])


@dataclass
class StageView:
    number: int
    key: str
    title: str
    goal: str
    steps: list[StepView]
    candidates: list[CandidateView]
    progress: ProgressView
    note: str = ""  # why the stage holds no step, and what to do


@dataclass
class SetAsideView:
    """An issue the plan never offers as a step, with the reason."""

    number: int
    title: str
    url: str
    kind: str
    kind_text: str
    reason: str


@dataclass
class EventView:
    at: str
    date: str
    number: int
    title: str
    status: str
    status_text: str
    detail: str


@dataclass
class PlanView:
    repo: str
    repo_url: str
    generated_at: str
    fetched_at: str
    fetched_ago: str
    sample: bool
    skills: list[str]
    contributing_source: str
    contributing: dict[str, list[str]]  # "Build" / "Lint" / "Test" / "House rules" -> lines
    stages: list[StageView]
    progress: ProgressView
    timeline: list[EventView]
    candidates: list[CandidateView]
    difficulty_note: str = ""  # how the bracketed points add up, when reasons carry them
    filter_skills: list[str] = field(default_factory=list)
    filter_statuses: list[tuple[str, str]] = field(default_factory=list)  # (state, words)
    filter_difficulties: list[tuple[int, str]] = field(default_factory=list)
    set_aside: list[SetAsideView] = field(default_factory=list)
    set_aside_total: int = 0
    hardware: list[str] = field(default_factory=list)
    # The guide asks for a maintainer's go-ahead before work starts (peft, PyTorch).
    go_ahead: bool = False


SET_ASIDE_WORDS = {
    "tracking": "tracking issue",
    "question": "support question",
    "rfc": "RFC / needs a decision",
    "needs-repro": "needs a reproduction",
    "hardware": "needs hardware",
    "docs-closed": "docs PRs closed",
    "fixed": "already fixed",
    "declined": "declined in its thread",
    "obsolete": "its code is gone",
}


def build_view(
    plan: Plan,
    progress: list[ProgressEntry],
    events: list[ProgressEvent],
    now: datetime | str | None = None,
    with_bodies: bool = False,
) -> PlanView:
    """Prepare everything the outputs show; `now` only feeds the "fetched N days ago" text."""
    statuses = {entry.issue_number: entry for entry in progress if entry.repo == plan.repo}
    titles = {st.issue.number: st.issue.title for stage in plan.stages for st in stage.steps}
    stages = [_stage_view(plan, stage, statuses, with_bodies) for stage in plan.stages]
    candidates = [c for stage in stages for c in stage.candidates]
    all_steps = [st for stage in stages for st in stage.steps]
    now_dt = _parse_time(now) if isinstance(now, str) else now
    contributing = {
        "Build": _lines(plan.contributing.build),
        "Lint": _lines(plan.contributing.lint),
        "Test": _lines(plan.contributing.test),
        "House rules": _lines(plan.contributing.rules),
    }
    return PlanView(
        repo=safe_line(plan.repo, 140),
        repo_url=safe_http_url(f"https://{plan.web_host}/{plan.repo}"),
        generated_at=format_time(plan.generated_at),
        fetched_at=format_time(plan.data_fetched_at),
        fetched_ago=_ago(plan.data_fetched_at, now_dt),
        sample=plan.sample,
        skills=_lines(plan.skills, limit=40),
        contributing_source=safe_line(plan.contributing.source, 200),
        contributing={k: v for k, v in contributing.items() if v},
        go_ahead=asks_for_go_ahead(plan.contributing),
        stages=stages,
        progress=_progress([st.status for st in all_steps]),
        timeline=_timeline(plan.repo, events, statuses, titles),
        candidates=candidates,
        difficulty_note=_points_note(
            [r for stage in plan.stages for st in stage.steps for r in st.difficulty.reasons]
        ),
        filter_skills=sorted({s for c in candidates for s in c.skills}, key=str.lower),
        filter_statuses=[
            (k, v) for k, v in TAKEN_WORDS.items() if any(c.taken_state == k for c in candidates)
        ],
        filter_difficulties=[
            (d, DIFFICULTY_WORDS[d]) for d in sorted({c.difficulty for c in candidates})
        ],
        set_aside=[
            SetAsideView(
                number=item.issue.number,
                title=safe_line(item.issue.title, 200),
                url=issue_url(plan.repo, item.issue.number, item.issue.url, plan.web_host),
                kind=safe_line(item.kind, 20),
                kind_text=SET_ASIDE_WORDS.get(item.kind, safe_line(item.kind, 20)),
                reason=safe_line(item.reason, 300),
            )
            for item in plan.set_aside
        ],
        set_aside_total=max(plan.set_aside_total, len(plan.set_aside)),
        hardware=_lines([str(h) for h in plan.options.get("hardware", [])], limit=10),
    )


def format_time(iso: str) -> str:
    """ "2026-11-20T09:30:00Z" -> "20 Nov 2026, 09:30 UTC"; unparseable text is shown flattened."""
    parsed = _parse_time(iso)
    if parsed is None:
        return safe_line(iso, 40) or "unknown"
    return parsed.strftime("%d %b %Y, %H:%M UTC")


def issue_url(repo: str, number: int, url: str, host: str = "github.com") -> str:
    """The issue's own page on the repository's host (`host`): the stored URL when it is
    exactly that page, else one built from repo and number. A URL on another host, or to
    another repository, is never made a link."""
    built = safe_http_url(f"https://{host}/{repo}/issues/{number}", fallback="")
    parts = urlsplit(url or "")
    own = {f"/{repo}/issues/{number}".lower(), f"/{repo}/pull/{number}".lower()}
    if (
        parts.scheme != "https"
        or parts.netloc.lower() != host.lower()
        or parts.path.rstrip("/").lower() not in own
    ):
        return built
    return safe_http_url(url, fallback=built)


def pull_url(repo: str, url: str, host: str = "github.com") -> str:
    """A pull request link of `repo` on `host`, or "" (shown as no link) for a URL on another
    host, of another repository, or not a pull request page."""
    parts = urlsplit(url or "")
    path = parts.path.rstrip("/").lower()
    if (
        parts.scheme != "https"
        or parts.netloc.lower() != host.lower()
        or not re.fullmatch(rf"/{re.escape(repo.lower())}/pull/[0-9]{{1,10}}", path)
    ):
        return ""
    return safe_http_url(url)


# --------------------------------------------------------------------------- helpers
def _stage_view(
    plan: Plan, stage: Stage, statuses: dict[int, ProgressEntry], with_bodies: bool
) -> StageView:
    steps = [_step_view(plan, st, statuses.get(st.issue.number), with_bodies) for st in stage.steps]
    title = safe_line(stage.title, 80)
    return StageView(
        number=stage.number,
        key=safe_line(stage.key, 40),
        title=title,
        goal=safe_line(stage.goal, 300),
        note=safe_line(stage.note, 400),
        steps=steps,
        candidates=[
            _candidate_view(plan, stage.number, title, c, stage.also_fits.get(c.issue.number, []))
            for c in stage.candidates
        ],
        progress=_progress([st.status for st in steps]),
    )


def _step_view(plan: Plan, st: PlanStep, entry: ProgressEntry | None, with_bodies: bool) -> StepView:
    iss = st.issue
    status = entry.status if entry else StepStatus.PLANNED
    reading = _reading(st)
    view = StepView(
        stage=st.stage,
        number=iss.number,
        title=safe_line(iss.title, TITLE_CHARS) or f"Issue #{iss.number}",
        url=issue_url(plan.repo, iss.number, iss.url, plan.web_host),
        labels=_lines(iss.labels, limit=MAX_LABELS, chars=60),
        more_labels=max(0, len(iss.labels) - MAX_LABELS),
        author=safe_line(iss.author, 40),
        modules=_lines([m.name for m in focus_matches(st.modules)], chars=120),
        difficulty=_clamp(st.difficulty.score),
        difficulty_word=DIFFICULTY_WORDS[_clamp(st.difficulty.score)],
        difficulty_reasons=_lines(st.difficulty.reasons),
        skills_matched=_lines(st.fit.matched),
        skills_new=_lines(st.fit.new),
        taken_state=_taken_key(st.taken.state),
        taken_text=taken_text(st.taken),
        taken_evidence=_lines(st.taken.evidence),
        status=status.value,
        status_text=STATUS_WORDS[status],
        pr_url=pull_url(plan.repo, entry.pr_url or "", plan.web_host) if entry else "",
        why=_lines(st.why),
        start_reading=[path for path, _ in reading],
        look_for=[names for _, names in reading],
        tests=_lines(st.tests, chars=200),
        test_command=safe_line(st.test_command, 300),
        reviewers=_lines(st.reviewers, chars=REVIEWER_CHARS),
        setup_notes=_lines(st.setup_notes),
        effort=safe_line(st.effort, 60),
        comments=max(0, int(iss.comments)),
    )
    if with_bodies:
        excerpt = render_issue_body(iss.body, base=f"https://{plan.web_host}/")
        view.body_html, view.body_truncated = excerpt.html, excerpt.truncated
    return view


def _candidate_view(
    plan: Plan, stage: int, stage_title: str, cand: IssueAssessment, also: list[int]
) -> CandidateView:
    score = _clamp(cand.difficulty.score)
    state = _taken_key(cand.taken.state)
    return CandidateView(
        stage=stage,
        stage_title=stage_title,
        number=cand.issue.number,
        title=safe_line(cand.issue.title, TITLE_CHARS) or f"Issue #{cand.issue.number}",
        url=issue_url(plan.repo, cand.issue.number, cand.issue.url, plan.web_host),
        labels=_lines(cand.issue.labels, limit=4, chars=60),
        modules=_lines([m.name for m in cand.modules], limit=3, chars=120),
        difficulty=score,
        difficulty_word=DIFFICULTY_WORDS[score],
        skills=_lines(cand.skills, chars=40),
        taken_state=state,
        taken_text=taken_text(cand.taken),
        also_stages=sorted({int(s) for s in also if int(s) in STAGES and int(s) != stage}),
    )


def _points_note(reasons: list[str]) -> str:
    """Say what the "(+0.5)" after a difficulty reason counts, when any reason has one."""
    if not any(_POINTS.search(r) for r in reasons):
        return ""
    return (
        f"Difficulty runs from 1 (very easy) to 5 (very hard): it starts at {DIFFICULTY_BASE:g}, "
        "each reason adds or takes away the points in brackets, and the total is rounded."
    )


def _progress(statuses: list[str]) -> ProgressView:
    """Merged / PR open / started counts over the steps that are still part of the plan."""
    live = [s for s in statuses if s not in (StepStatus.DROPPED.value, StepStatus.REPLACED.value)]
    counts = Counter(live)
    total = len(live)
    view = ProgressView(
        total=total,
        merged=counts[StepStatus.MERGED.value],
        pr_open=counts[StepStatus.PR_OPEN.value],
        started=counts[StepStatus.STARTED.value],
    )
    if total:
        view.merged_pct = round(100 * view.merged / total, 1)
        view.pr_open_pct = round(100 * view.pr_open / total, 1)
        view.started_pct = round(100 * view.started / total, 1)
        view.pr_open_x = view.merged_pct
        view.started_x = round(view.merged_pct + view.pr_open_pct, 1)
    parts = [f"{view.merged} of {total} merged"]
    if view.pr_open:
        parts.append(f"{view.pr_open} PR open")
    if view.started:
        parts.append(f"{view.started} started")
    view.summary = ", ".join(parts) if total else "no steps"
    return view


def _timeline(
    repo: str,
    events: list[ProgressEvent],
    statuses: dict[int, ProgressEntry],
    titles: dict[int, str],
) -> list[EventView]:
    """The most recent events first, each with the issue's title when the plan knows it."""
    mine = sorted(
        (e for e in events if e.repo == repo), key=lambda e: (e.at, e.issue_number), reverse=True
    )
    out = []
    for event in mine[:MAX_EVENTS]:
        entry = statuses.get(event.issue_number)
        title = titles.get(event.issue_number) or (entry.title if entry else "")
        out.append(
            EventView(
                at=safe_line(event.at, 40),
                date=_date_only(event.at),
                number=event.issue_number,
                title=safe_line(title, 120) or f"Issue #{event.issue_number}",
                status=event.status.value,
                status_text=STATUS_WORDS[event.status],
                detail=safe_line(event.detail, 200),
            )
        )
    return out


def _reading(st: PlanStep) -> list[tuple[str, list[str]]]:
    """(path shown, names to look for in it) for the step's start-reading files, the names
    looked up by the path as planned (a shown path may be shortened or cleaned)."""
    out: list[tuple[str, list[str]]] = []
    for path in st.start_reading:
        shown = safe_line(str(path), 200)
        if shown:
            out.append((shown, _lines(st.look_for.get(path, []), limit=4, chars=80)))
        if len(out) >= MAX_ITEMS:
            break
    return out


def _lines(items: list[str], limit: int = MAX_ITEMS, chars: int = 300) -> list[str]:
    """At most `limit` non-empty, flattened, bounded strings."""
    out: list[str] = []
    for item in items:
        text = safe_line(str(item), chars)
        if text:
            out.append(text)
        if len(out) >= limit:
            break
    return out


def _clamp(score: int) -> int:
    return min(5, max(1, int(score)))


def taken_text(status: TakenStatus) -> str:
    """The words for a taken status; "fresh" from file data does not promise "free"."""
    if status.pulls_unchecked:
        return "No claim seen; linked pull requests not checked"
    return TAKEN_WORDS[_taken_key(status.state)]


def _taken_key(state: str) -> str:
    return state if state in TAKEN_WORDS else "fresh"


def _parse_time(iso: str | None) -> datetime | None:
    if not iso:
        return None
    parsed = clock.parse_iso_or_none(iso)
    return None if parsed is None else clock.as_utc(parsed)


def _date_only(iso: str) -> str:
    parsed = _parse_time(iso)
    return parsed.strftime("%d %b %Y") if parsed else safe_line(iso, 20)


def _ago(iso: str, now: datetime | None) -> str:
    then = _parse_time(iso)
    if then is None or now is None:
        return ""
    seconds = (clock.aware(now) - then).total_seconds()
    if seconds < 0:
        return "just now"
    if seconds < 3600:
        return "less than an hour ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"
