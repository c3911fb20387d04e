"""Rate an issue's difficulty on a 1-5 scale with the reasons shown, from its labels, the
code it touches (centrality, languages, areas spanned), its text and its discussion.

The weights were checked against the real fixes of 278 issues (bench/bench_difficulty.py,
never PyTorch or Keras), leaving one repository out at a time: what the issue asks for (a
feature, several named APIs) and whether it pins the failure (a reproduction, the error
raised) follow the fix's size; the size of past fixes in the area does not, so it is
quoted on the card but not scored."""

from __future__ import annotations

import bisect
import keyword
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from statistics import median

from prready import clock
from prready.analysis.evidence import FRAME_LINE
from prready.analysis.issue_templates import NO_TEMPLATE, TemplateText, answered
from prready.analysis.kinds import about_the_cpu, docs_title, feature_tag
from prready.analysis.mapping import area_of_node, focus_matches
from prready.code_models import CodeMap
from prready.models import Difficulty, Issue, Label, LabelKind, ModuleMatch

BASE = 2.5
DOCS_BASE = 1.0
TYPING_BASE = 1.5
# Past fixes in an area (analysis.areas.past_change_sizes): this many needed before the
# sizes say anything. Their sizes are quoted, not scored (they did not predict the size of
# the next fix on the development set); a mostly native history still raises the score.
MIN_PAST_FIXES = 3
NATIVE_PAST_SHARE = 0.5
# Distinct code names in the issue's prose (named_apis): this many suggest more than one
# place to change (+0.5), twice as many a wide change (+1).
MANY_NAMES = 4
FEATURE_WEIGHT = 1.0
MIN_REVIEWED = 5  # closed pull requests needed before a typical review wait is quoted
MIN_CENTRAL_DEPENDENTS = 3  # below this, no module is 'central' however small the repo
OLD_ISSUE_DAYS = 365  # open longer than this, a code change may be harder than it looks
# Signals of an issue that needs a design decision before code: RFCs, proposals,
# "needs discussion". Word boundaries keep "proposal" from matching inside other words.
_DESIGN_WORDS = re.compile(
    r"\b(rfc|proposal|proposed api|needs? (?:discussion|design|decision)|design doc|"
    r"open question|bikeshed|breaking change)\b",
    re.IGNORECASE,
)
_DESIGN_LABELS = ("rfc", "proposal", "needs discussion", "needs design", "needs decision", "design")
_REPRO = re.compile(
    r"(```|^\s*>>>|to reproduce|steps to reproduce|minimal (?:repro|example)|repro(?:duction)?:)",
    re.IGNORECASE | re.MULTILINE,
)
# A template's section that asks for a reproduction ("### Reproduction", "**To Reproduce**",
# "Steps to reproduce the behavior:", "Minimal code example").
_REPRO_SECTION = re.compile(
    r"reproduce\b|reproduction|reproducible (?:example|code|script)|\brepro\b"
    r"|minimal (?:code|example)|code (?:sample|example)"
)  # (not "Is the bug reproducible?": its answer is "sometimes")
_TYPING_ONLY = re.compile(
    r"\b(type (?:hints?|annotations?|stubs?)|annotations?|typing(?!\.\w)|mypy|pyright|\.pyi|stubs?)\b",
    re.IGNORECASE,
)
_NATIVE_TEXT = re.compile(
    r"\.(?:cpp|cc|cu|cuh|h|hpp)\b|\bc\+\+|\bcuda kernel|\bsegfault", re.IGNORECASE
)
_FEATURE_TITLE = re.compile(
    r"\s*(?:\[(?:fr|feature[^\]]*)\]\s*)?(?:allow|add|implement)\b(?!\s+(?:(?:a|an|more|missing|"
    r"unit|some)\s+)?(?:tests?|docs?|documentation|docstrings?|examples?|type|typing|"
    r"annotations?|comments?|links?|checks?|warnings?)\b)",
    re.IGNORECASE,
)
_ERROR = re.compile(
    r"Traceback \(most recent call last\)|^\s*File \"[^\"\n]+\", line \d+|\b\w+(?:Error|Exception):",
    re.MULTILINE,
)
_CUDA_TEXT = re.compile(r"\.cuh?\b|\bcuda kernel|\bnvcc\b", re.IGNORECASE)
# A report that names the faulty spot itself: a stray character, a name used before it is
# bound, one expression written for another. On the dev set's 440 fixes, the 7 such
# reports took a median of 4 library lines against 12 for the rest (22 at most).
# (Only where the code does it: "uses `X` instead of `Y`", not "returns `X` instead of
# `Y`", an output; "should be `X`" only for code, with a call, attribute, subscript or
# name in it, not a value such as `[1, 2, 3]` or `True`; "typo" only in a title.)
_CODE_IN_TICKS = r"`(?=[^`\n]*[A-Za-z])(?=[^`\n]*[._(\[=])[^`\n]{2,80}`"
_PINPOINTED = re.compile(
    r"referenced before assignment"
    r"|\b(?:extra|stray|trailing) (?:space|whitespace|comma|parenthes[ie]s|brackets?)\b"
    r"|\bmissing (?:comma|return|await|parenthes[ie]s)\b"
    r"|\b(?:uses?|using|used|calls?|called|checks?|checked|passe[sd]|reads?|compares?|sets?)"
    r"\s+`[^`\n]{2,80}`\s+instead of\s+`[^`\n]{2,80}`"
    r"|\bshould (?:be|read)\s+" + _CODE_IN_TICKS,
    re.IGNORECASE,
)
_TYPO = re.compile(r"\btypo\b", re.IGNORECASE)


def assess_difficulty(
    issue: Issue,
    matches: Sequence[ModuleMatch],
    code_map: CodeMap,
    labels: Sequence[Label],
    now: str,
    *,
    top: int = 3,
    ranks: Mapping[str, list[int]] | None = None,
    reproduction: bool | None = None,
) -> Difficulty:
    """Score 1 (an evening, no build) to 5 (weeks, design work), each point explained.
    `issue` is as the reporter wrote it (`issue_templates.as_reported`); `reproduction`
    is `has_reproduction` of it and the issue as filed, when the caller has that (else
    worked out from `issue` alone). `ranks` is `dependents_ranks(code_map)`, worked out
    once by a caller rating many issues of one map (else here, for this issue).

    A docs or typing change starts low and is not raised by how central its module is (a
    broken link in a module everyone imports is still a broken link); a code change
    starts in the middle and moves with centrality, languages, the areas it spans and
    the size of past fixes in its area, read from the clone's own history."""
    reasons: list[str] = []
    kinds = _label_kinds(issue, labels)
    text = f"{issue.title}\n{issue.body[:30_000]}"
    considered = [m for m in focus_matches(matches, top) if m.score >= 0.2] or list(matches[:1])
    change = change_kind(issue)
    score = {"docs": DOCS_BASE, "typing": TYPING_BASE}.get(change, BASE)
    if change == "docs":
        reasons.append(f"documentation-only change: starts at {DOCS_BASE:g}")
    elif change == "typing":
        reasons.append(f"type annotations only: starts at {TYPING_BASE:g}")

    beginner = [name for name, kind in kinds if kind == LabelKind.BEGINNER]
    if beginner:
        score -= 1.0
        reasons.append(f"labelled {beginner[0]!r} by maintainers (-1)")

    if change == "code":
        if ranks is None:
            ranks = dependents_ranks(code_map)
        delta, why = _centrality(_innermost(considered, code_map), code_map, ranks)
        if delta:
            score += delta
            reasons.append(why)

    # A title about the CPU: the CUDA kernels its body names are not the work.
    languages = _languages(
        considered, code_map, text if change == "code" else "", cuda=not about_the_cpu(issue.title)
    )
    if "cuda" in languages:
        score += 1.5
        reasons.append("touches CUDA code: needs a CUDA build from source and a GPU to test (+1.5)")
    elif languages & {"cpp", "c"}:
        score += 1.0
        reasons.append("touches C++ code: needs building from source (+1)")
    elif considered and all(
        m.name not in code_map.modules and m.name not in code_map.areas for m in considered
    ):
        reasons.append("docs or config files only: nothing to compile or import")
    else:
        # What it takes to build and run it is the step's setup note (a native library, a
        # backend that compiles at run time): a reason here must not promise "no compiler".
        reasons.append("Python code only: no C++ or CUDA to change")

    areas = _distinct_areas(a for m in considered if (a := area_of_node(m.name, code_map)))
    if len(areas) >= 3:
        score += 1.0
        reasons.append(f"spans {len(areas)} areas ({', '.join(sorted(areas))}) (+1)")
    elif len(areas) == 2:
        score += 0.5
        reasons.append(f"spans 2 areas ({', '.join(sorted(areas))}) (+0.5)")

    if change == "code":
        delta, why = _past_fixes(considered, code_map, languages)
        if why:
            score += delta
            reasons.append(why)
        if has_reproduction(issue) if reproduction is None else reproduction:
            score -= 0.5
            reasons.append("has a reproduction (-0.5)")
        elif quotes_error(issue):
            score -= 0.5
            reasons.append("quotes the error it raises: the failing spot can be found (-0.5)")
        elif any(kind == LabelKind.BUG for _, kind in kinds):
            score += 0.5
            reasons.append("bug without a reproduction: you may need to find one first (+0.5)")
        if spot := pinpoints_the_fault(issue):
            score -= 1.0
            reasons.append(f"the report names the faulty spot ({spot!r}): a local fix (-1)")
        names = named_apis(issue)
        if len(names) >= MANY_NAMES:
            step = 1.0 if len(names) >= 2 * MANY_NAMES else 0.5
            score += step
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            reasons.append(
                f"names {len(names)} code names ({shown}): likely more than one place to change "
                f"({step:+g})"
            )

    if issue.comments >= 20:
        score += 1.0
        reasons.append(f"long discussion ({issue.comments} comments) (+1)")
    elif issue.comments >= 8:
        score += 0.5
        reasons.append(f"active discussion ({issue.comments} comments) (+0.5)")

    years = years_open(issue, now)
    if change == "code" and years:
        score += 0.5
        reasons.append(f"open for {years} year(s): may be harder than it looks (+0.5)")

    design = _design_signal(issue, kinds, text)
    if design:
        score += 1.5
        reasons.append(f"needs a design decision ({design}) (+1.5)")

    if change == "code" and asks_for_feature(issue):
        score += FEATURE_WEIGHT
        reasons.append(f"new feature: API, tests and docs to design (+{FEATURE_WEIGHT:g})")

    final = int(min(5, max(1, math.floor(score + 0.5))))
    return Difficulty(score=final, reasons=reasons)


def change_kind(issue: Issue) -> str:
    """"docs" (typo, broken link, docstring...), "typing" (annotations, stubs, mypy) or
    "code", from the title; native code named in the title or body makes it code."""
    text = f"{issue.title}\n{issue.body[:30_000]}"
    if _NATIVE_TEXT.search(text) or is_feature_request(issue):
        return "code"
    if docs_title(issue.title):
        return "docs"
    if _TYPING_ONLY.search(issue.title):
        return "typing"
    return "code"


def asks_for_feature(issue: Issue) -> bool:
    """A feature request by label or title (is_feature_request), or a title asking for new
    behaviour ("Allow ...", "Add ...", "Implement ...", "[FR] ..."), not for tests, docs,
    annotations or a missing check ("Add tests for ...")."""
    return is_feature_request(issue) or bool(_FEATURE_TITLE.match(issue.title))


def pinpoints_the_fault(issue: Issue) -> str:
    """The words with which a bug report names its faulty spot ("trailing space", "uses
    `sum` instead of `mean`"), or "" when it does not (a feature request never does)."""
    if asks_for_feature(issue):
        return ""
    found = _TYPO.search(issue.title) or _PINPOINTED.search(
        f"{issue.title}\n{(issue.body or '')[:30_000]}"
    )
    return found.group(0)[:60] if found else ""


def quotes_error(issue: Issue) -> bool:
    """True when the body quotes a traceback or the error raised ("ValueError: ...")."""
    return bool(_ERROR.search(issue.body[:30_000] if issue.body else ""))


def review_wait(pulls: Sequence[Issue], now: str) -> tuple[float, int] | None:
    """(median days from opening to closing, how many) over the pull requests closed in
    the year before `now`; None with fewer than MIN_REVIEWED of them. Closing is where
    review ends, merged or not: the stored pull requests do not say which."""
    end = clock.parse_iso_or_none(now)
    if end is None:
        return None
    waits: list[float] = []
    for pull in pulls:
        opened, closed = clock.parse_iso_or_none(pull.created_at), clock.parse_iso_or_none(pull.closed_at)
        if not pull.is_pull_request or opened is None or closed is None or closed < opened:
            continue
        if 0 <= (end - closed).days <= 365:
            waits.append((closed - opened).total_seconds() / 86_400)
    if len(waits) < MIN_REVIEWED:
        return None
    return round(median(waits), 1), len(waits)


def rank_correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (ties share their average rank); None when either
    side is constant or there are fewer than three pairs."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if not vx or not vy:
        return None
    return cov / math.sqrt(vx * vy)


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def years_open(issue: Issue, now: str | datetime) -> int:
    """Whole years an open issue older than OLD_ISSUE_DAYS has been open as of `now` (ISO
    text, or already parsed: keying 20k issues parses it once), else 0: the one way the
    time of a plan enters an issue's difficulty (a cached assessment keys on it)."""
    moment = now if isinstance(now, datetime) else clock.parse_iso_or_none(now)
    return 0 if moment is None else years_open_until(issue, moment)[0]


def years_open_until(issue: Issue, now: datetime) -> tuple[int, datetime | None]:
    """(`years_open` as of `now`, the first moment after `now` it is another number; None:
    never, as the issue stands)."""
    if issue.state != "open":
        return 0, None
    start = parse_time(issue.created_at)
    if start is None:
        return 0, None
    days = max(0, (now - start).days)
    if days <= OLD_ISSUE_DAYS:
        return 0, start + timedelta(days=OLD_ISSUE_DAYS + 1)
    years = days // 365
    return years, start + timedelta(days=(years + 1) * 365)


def parse_time(text: object) -> datetime | None:
    """`clock.parse_iso_or_none`, at once for GitHub's own form ("2026-11-20T09:30:00Z":
    every stored timestamp, parsed for each of 20k issues per plan)."""
    if type(text) is str and len(text) == 20 and text[19] == "Z":
        try:
            return datetime.fromisoformat(text)  # Python 3.11 reads the "Z" as UTC
        except ValueError:
            pass  # an older Python, or not that form after all
    return clock.parse_iso_or_none(text)


def has_reproduction(issue: Issue, filed: str = "", template: TemplateText = NO_TEMPLATE) -> bool:
    """True when the reporter's text (`issue`, as `issue_templates.as_reported` gives it)
    carries code or reproduction steps (a code block, a `>>>` session, "steps to
    reproduce"), or when the body as filed (`filed`) has the reporter's own words in the
    template's reproduction section (a form's "### Reproduction" field, steps written
    under "**To Reproduce**"). The template's prompts and example code alone are none."""
    if _REPRO.search(issue.body or ""):
        return True
    return bool(filed) and answered(filed, template, _REPRO_SECTION)


def needs_design(issue: Issue, labels: Sequence[Label]) -> bool:
    """True for RFCs, proposals and issues marked as needing discussion."""
    return bool(
        _design_signal(issue, _label_kinds(issue, labels), f"{issue.title}\n{issue.body[:30_000]}")
    )


# --------------------------------------------------------------------------- helpers
def _past_fixes(
    matches: Sequence[ModuleMatch], code_map: CodeMap, languages: set[str]
) -> tuple[float, str]:
    """How big past fixes in the touched area were, from the clone's own history, quoted
    for the reader. Their size is not scored: on the development set the median size of
    past fixes in the area (files or lines) did not rank the size of the next fix (rho
    -0.09 files, -0.01 lines when it moved the score). A history where most fixes needed
    C/C++/CUDA raises the score when the issue itself maps to Python only."""
    sizes: dict[str, float | int | str] = {}
    area_name = ""
    for match in _innermost(matches, code_map):
        area = code_map.areas.get(area_of_node(match.name, code_map))
        if area is not None and area.past_fixes.get("count", 0) >= MIN_PAST_FIXES:
            area_name, sizes = area.name, area.past_fixes
            break
    if not sizes:
        return 0.0, ""
    files = float(sizes.get("files", 0))
    lines = float(sizes["lines"]) if "lines" in sizes else None
    native = float(sizes.get("native", 0))
    what = "fixes" if sizes.get("kind") == "fixes" else "changes"
    told = (
        f"past {what} in {area_name} changed a median of {files:g} file(s)"
        f"{f' and {lines:g} lines' if lines is not None else ''}"
        f"{f', {native:.0%} of them C/C++/CUDA' if native else ''} "
        f"({sizes.get('count')} in the last year)"
    )
    if native >= NATIVE_PAST_SHARE and not languages & {"cpp", "c", "cuda"}:
        return 0.5, f"{told}: the fix is usually native (+0.5)"
    return 0.0, f"{told} (+0: past sizes did not predict a fix's size when measured)"


def _innermost(matches: Sequence[ModuleMatch], code_map: CodeMap) -> list[ModuleMatch]:
    """Drop a package matched next to one of its own modules ("torch.nn" beside
    "torch.nn.init", typically from an area label): the change lands in the module, and
    a package's `__init__` is imported by everything that imports anything under it."""
    names = [m.name for m in matches if m.name in code_map.modules]
    kept = [m for m in matches if not any(n.startswith(m.name + ".") for n in names)]
    return kept or list(matches)


def _distinct_areas(areas: Iterable[str]) -> set[str]:
    """Areas, counting nested ones once: "torch.nn.modules" is part of "torch.nn". A
    top-level area ("torch", the package's own files) holds everything, so it nests none."""
    kept: list[str] = []
    for area in sorted(set(areas), key=len):
        outers = [o for o in kept if "." in o or "/" in o]
        if not any(area.startswith(o + ".") or area.startswith(o + "/") for o in outers):
            kept.append(area)
    return set(kept)


def is_feature_request(issue: Issue) -> bool:
    """A feature request or enhancement, by label or title."""
    names = " ".join(issue.labels).lower()
    title = issue.title.lower()
    return (
        "feature" in names
        or "enhancement" in names
        or feature_tag(issue.title)
        or title.startswith(("add support", "support "))
    )


def _label_kinds(issue: Issue, labels: Sequence[Label]) -> list[tuple[str, LabelKind]]:
    by_name = {label.name: label.kind for label in labels}
    return [(name, by_name.get(name, LabelKind.OTHER)) for name in issue.labels]


def dependents_ranks(code_map: CodeMap) -> dict[str, list[int]]:
    """Per language, the sorted direct-dependent counts of the map's non-test modules:
    what `assess_difficulty` places a touched module's count among."""
    ranks: dict[str, list[int]] = {}
    for info in code_map.modules.values():
        if not info.is_test:
            ranks.setdefault(info.language, []).append(info.dependents)
    for counts in ranks.values():
        counts.sort()
    return ranks


def _centrality(
    matches: Sequence[ModuleMatch], code_map: CodeMap, ranking: Mapping[str, list[int]]
) -> tuple[float, str]:
    """How many modules import the touched ones directly, as a percentile of the
    repository's modules in the same language (tests aside). Alone it barely follows the
    size of real fixes, but next to the text's signals dropping or halving it lowered the
    held-out correlation (bench/bench_difficulty.py), so it keeps its weight.

    A percentile rather than a count keeps the rule meaningful from a 30-module library
    to PyTorch; per language because thousands of C++ headers that import nothing would
    otherwise make any Python module with a handful of importers look central; direct
    dependents rather than transitive ones because in large packages nearly everything
    reaches nearly everything through the top-level `__init__`.
    """
    best_name, best, best_share = "", 0, -1.0
    for match in matches:
        if match.name in code_map.modules:
            members = [match.name]
        elif match.name in code_map.areas:
            members = [m for m in code_map.areas[match.name].modules if m in code_map.modules]
        else:
            continue
        for member in members:
            info = code_map.modules[member]
            ranks = ranking.get(info.language, [])
            if info.dependents < MIN_CENTRAL_DEPENDENTS or not ranks:
                continue
            share = bisect.bisect_left(ranks, info.dependents) / len(ranks)
            if (share, info.dependents) > (best_share, best):
                best_name = match.name
                best, best_share = info.dependents, share
    if best_share >= 0.95:
        return (
            1.0,
            f"{best_name} is among the most imported modules ({best} import it directly) (+1)",
        )
    if best_share >= 0.85:
        return 0.5, f"{best_name} is widely imported ({best} modules import it directly) (+0.5)"
    return 0.0, ""


def _languages(
    matches: Sequence[ModuleMatch], code_map: CodeMap, text: str, *, cuda: bool = True
) -> set[str]:
    """The languages of the matched modules (an area by its main one), and native code the
    text names; CUDA from the text only when `cuda`."""
    langs: set[str] = set()
    for match in matches:
        info = code_map.modules.get(match.name)
        if info is not None:
            langs.add(info.language)
        elif match.name in code_map.areas:
            area_langs = code_map.areas[match.name].languages
            # An area counts as native only when native files dominate it.
            top = max(area_langs.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))[0]
            if top:
                langs.add(top)
    if cuda and _CUDA_TEXT.search(text):
        langs.add("cuda")
    elif _NATIVE_TEXT.search(text) and not langs:
        langs.add("cpp")
    return langs


# A fenced block, or one indented line of code (not what follows it: no DOTALL there).
_FENCE = re.compile(r"```.*?(?:```|\Z)|^(?: {4}|\t)[^\n]*", re.DOTALL | re.MULTILINE)
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_TICKED = re.compile(r"`([^`\n]{1,120})`")
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_IDENT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_NOT_NAMES = frozenset({"e.g", "i.e", "etc", "vs"})
_VERSION = re.compile(r"v\d+(?:\.(?:\d+|x))+", re.IGNORECASE)  # "v1.x", "v2.0.x": no code
# A keyword opening a quoted statement (`from tinyml import linalg`) and a protocol method
# (`__init__`) name no code of the library. Python's own names (`KeyError`, `len`) stay
# counted: leaving them out too lowered the rule's rank correlation with the real fixes'
# sizes on the development set (bench_difficulty, 278 issues: rho +0.11 / +0.24 files /
# lines, against +0.15 / +0.27 with them).
_KEYWORDS = frozenset(keyword.kwlist)


def named_apis(issue: Issue) -> list[str]:
    """The distinct code names the issue's prose uses (`backticked` identifiers and
    dotted names such as `LoraModel.merge` or torch.nn.functional), sorted; code blocks,
    indented code, traceback frames and URLs are left out, since a pasted log names
    every frame it passed through, not what needs changing."""
    text = f"{issue.title}\n{issue.body[:30_000]}"
    prose = FRAME_LINE.sub(" ", _URL.sub(" ", _FENCE.sub(" ", text)))
    names: set[str] = set()
    for span in _TICKED.findall(prose):
        first = _IDENT.match(span.strip())
        if first and (len(first.group(0)) > 2 or "." in first.group(0)):
            names.add(first.group(0))
    names.update(_DOTTED.findall(_TICKED.sub(" ", prose)))
    return sorted(
        n
        for n in names
        if n.lower() not in _NOT_NAMES
        and not n[-1].isdigit()
        and not _VERSION.fullmatch(n)
        and n.partition(".")[0] not in _KEYWORDS
        and not (n.startswith("__") and n.endswith("__"))
    )


def _design_signal(issue: Issue, kinds: list[tuple[str, LabelKind]], text: str) -> str:
    for name, _kind in kinds:
        low = name.lower()
        if any(part in low for part in _DESIGN_LABELS):
            return f"label {name!r}"
    match = _DESIGN_WORDS.search(text)
    return f"'{match.group(0).lower()}' in the text" if match else ""
