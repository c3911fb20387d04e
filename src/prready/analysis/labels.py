"""Label taxonomy: which labels of a repository mean beginner, bug, an area of the code, or a
triage status, and what else they say about an issue (its traits: docs, question,
needs-repro, hardware:mps, ...). Pure: names in, classifications out.

Matching ignores case and punctuation ("Good First Issue", "good-first-issue" and
"good_first_issue" are one label); a user's config `[labels]` table adds or overrides
mappings ("my label" = "beginner", "compiler stuff" = "area:inductor", "needs-info" =
"needs-repro", "module: metal" = "hardware:mps"). The repositories' own vocabularies
live in prready.analysis.vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from prready.analysis.vocabulary import (
    GENERIC,
    HARDWARE,
    NEWCOMER_LABELS,
    REPO_TRAITS,
    SCOPE_TRAITS,
    TRAITS,
)
from prready.errors import UsageError
from prready.models import Label, LabelKind

# Normalised spellings (lowercase words separated by single spaces).
_BEGINNER = {
    "good first issue", "good first bug", "good first pr", "good first contribution",
    "first timers only", "first timer friendly", "good for newcomers", "good for beginners",
    "beginner", "beginners", "beginner friendly", "easy", "easy fix", "easy pick", "easy first",
    "starter", "starter issue", "starter task", "newcomer", "newcomers", "small", "small fix",
    "bootcamp", "good second issue", "contributions welcome", "contribution welcome",
    "help wanted", "oss contribution wanted", "up for grabs", "low hanging fruit",
    "e easy", "difficulty easy", "level beginner", "level easy", "complexity low",
    "status help wanted", "community contribution wanted",
}  # fmt: skip
_BUG = {
    "bug", "bugs", "type bug", "kind bug", "t bug", "issue bug", "category bug", "bug report",
    "confirmed bug", "defect", "type defect", "kind defect", "issue type bug", "bugfix needed",
}  # fmt: skip
_TRIAGE = {
    "triaged", "triage", "needs triage", "triage review", "untriaged", "actionable",
    "needs reproduction", "needs repro", "need reproduction", "cannot reproduce",
    "needs more info", "needs information", "awaiting response", "stale", "wontfix",
    "won t fix", "wont fix", "not planned", "duplicate", "invalid", "high priority",
    "low priority", "medium priority", "priority high", "priority low", "priority critical",
    "critical", "blocked", "in progress", "needs design", "needs discussion",
    "status triaged", "status needs triage", "status stale",
}  # fmt: skip
# "module: nn", "area/x", "component: x", "comp:x", "oncall: x" -> an area named x.
_AREA_PREFIX = re.compile(
    r"^\s*(?:module|modules|area|component|comp|oncall|subsystem|pkg|package)\s*[:/]\s*(?P<rest>.+?)\s*$",
    re.IGNORECASE,
)
_KINDS = {kind.value: kind for kind in LabelKind}


def normalize_label(name: str) -> str:
    """Lowercase words separated by single spaces: punctuation, emoji and case ignored."""
    text = name.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[\W_]+", " ", text).strip()


def classify_label(
    name: str, overrides: Mapping[str, str] | None = None
) -> tuple[LabelKind, str | None]:
    """(kind, value) of one label: value is the area for AREA, a status key for TRIAGE,
    the canonical spelling for BEGINNER/BUG, None for OTHER."""
    norm = normalize_label(name)
    override = _find_override(name, norm, overrides or {})
    if override is not None:
        return override
    area = _AREA_PREFIX.match(name)
    if area and normalize_label(area.group("rest")):
        rest = normalize_label(area.group("rest"))
        if rest in _BEGINNER:  # e.g. "module: bootcamp" is a beginner label, not an area
            return LabelKind.BEGINNER, rest.replace(" ", "-")
        return LabelKind.AREA, area.group("rest")
    if norm in _BEGINNER:
        return LabelKind.BEGINNER, norm.replace(" ", "-")
    if norm in _BUG:
        return LabelKind.BUG, "bug"
    if norm in _TRIAGE:
        return LabelKind.TRIAGE, _triage_key(norm)
    return LabelKind.OTHER, None


def traits_of(name: str, repo: str, labels: Mapping[str, Label]) -> tuple[str, ...]:
    """The traits of an issue's label `name`: the stored label's (classified with the
    user's config) when it has some, else what the name itself says in `repo`."""
    known = labels.get(name)
    return known.traits if known is not None and known.traits else label_traits(name, repo)


def label_traits(
    name: str, repo: str = "", overrides: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """What a label says about an issue beyond its kind, e.g. ("beginner", "small") for
    "good first issue", ("hardware:mps",) for "module: mps": the config's `[labels]` first,
    then the repository's own vocabulary, then spellings shared across trackers."""
    norm = normalize_label(name)
    for key, spec in (overrides or {}).items():
        if key == name or normalize_label(key) == norm:
            return _override_traits(key, spec, norm)
    own = REPO_TRAITS.get(repo.lower(), {})
    if norm in own:
        return own[norm]
    if norm in GENERIC:
        return GENERIC[norm]
    area = _AREA_PREFIX.match(name)
    if area:
        rest = normalize_label(area.group("rest"))
        return own.get(rest, GENERIC.get(rest, ()))
    kind, _ = classify_label(name)
    return (
        ("beginner",) if kind is LabelKind.BEGINNER else ("bug",) if kind is LabelKind.BUG else ()
    )


def default_scope(labels: Iterable[Label]) -> list[str]:
    """Names of the labels a default sync fetches: beginner and bug labels and those whose
    traits mark work for some stage of a plan (docs, tests, features, sizes, "actionable",
    contributions welcome), in the order given."""
    return [
        label.name
        for label in labels
        if label.kind in (LabelKind.BEGINNER, LabelKind.BUG) or set(label.traits) & SCOPE_TRAITS
    ]


def newcomer_labels(repo: str, labels: Iterable[Label] = ()) -> list[str]:
    """The labels a repository's maintainers point newcomers to: the built-in knowledge for
    the major ML libraries, else its own labels that carry the beginner trait."""
    known = NEWCOMER_LABELS.get(repo.lower())
    if known:
        return list(known)
    return [label.name for label in labels if "beginner" in label.traits]


def classify_labels(
    labels: Iterable[Label | Mapping[str, Any] | str],
    overrides: Mapping[str, str] | None = None,
    repo: str = "",
) -> list[Label]:
    """Classify labels given as `Label`s, REST label dicts or plain names (with the traits
    of `repo`'s vocabulary when it is given)."""
    out: list[Label] = []
    for item in labels:
        if isinstance(item, Label):
            name, color, description = item.name, item.color, item.description
        elif isinstance(item, str):
            name, color, description = item, "", ""
        else:
            name = str(item.get("name") or "")
            color = str(item.get("color") or "")
            description = str(item.get("description") or "")
        if not name:
            continue
        kind, value = classify_label(name, overrides)
        traits = label_traits(name, repo, overrides)
        out.append(Label(name, color, description, kind, value, traits))
    return out


def complete_labels(
    stored: Iterable[Label],
    names: Iterable[str],
    overrides: Mapping[str, str] | None = None,
    repo: str = "",
) -> list[Label]:
    """The repository's labels, classified: the stored ones, then (sorted) every other
    name the issues carry, which GitHub may no longer list (a deleted or renamed label
    stays on old issues)."""
    labels = list(stored)
    known = {label.name for label in labels}
    extra = sorted(set(names) - known)
    return classify_labels([*labels, *(Label(n) for n in extra)], overrides, repo)


def validate_overrides(overrides: Mapping[str, str]) -> None:
    """Raise UsageError (one line) for a config mapping whose kind is not known."""
    for name, spec in overrides.items():
        _parse_override(name, spec)


# ---------------------------------------------------------------------- helpers
def _find_override(
    name: str, norm: str, overrides: Mapping[str, str]
) -> tuple[LabelKind, str | None] | None:
    for key, spec in overrides.items():
        if key == name or normalize_label(key) == norm:
            kind, value = _parse_override(key, spec)
            if kind is LabelKind.AREA and value is None:
                area = _AREA_PREFIX.match(name)
                value = area.group("rest") if area else name
            if kind is LabelKind.BEGINNER and value is None:
                value = norm.replace(" ", "-")
            if kind is LabelKind.BUG and value is None:
                value = "bug"
            if kind is LabelKind.TRIAGE and value is None:
                value = _triage_key(norm)
            return kind, value
    return None


def _parse_override(name: str, spec: str) -> tuple[LabelKind, str | None]:
    kind_text, _, value = spec.partition(":")
    key = kind_text.strip().lower()
    kind = _KINDS.get(key)
    if kind is None and _is_trait_spec(spec):
        # A trait ("docs", "question", "hardware:mps"): the label's kind is what the
        # trait implies for difficulty and sync (beginner, bug), else a plain label.
        implied = {"beginner": LabelKind.BEGINNER, "bug": LabelKind.BUG}
        kind = implied.get(key, LabelKind.TRIAGE if key in _BLOCKING_TRAITS else LabelKind.OTHER)
        return kind, (key if kind is LabelKind.TRIAGE else None)
    if kind is None:
        choices = ", ".join(sorted({*_KINDS, *TRAITS}))
        raise UsageError(
            f"config [labels] {name!r} = {spec!r}: the kind must be one of {choices} "
            "(or area:NAME, hardware:NAME)"
        )
    value = value.strip()
    return kind, (value or None)


_BLOCKING_TRAITS = {"tracking", "question", "rfc", "needs-repro"}


def _is_trait_spec(spec: str) -> bool:
    key, _, value = spec.strip().lower().partition(":")
    if key == "hardware":
        return value.strip() in HARDWARE
    return not value and key in TRAITS


def _override_traits(key: str, spec: str, norm: str) -> tuple[str, ...]:
    """The traits a config mapping gives a label: a trait is itself; a kind brings its own
    (beginner, bug) or, for area:NAME, the traits the vocabulary knows for NAME."""
    kind, value = _parse_override(key, spec)
    text = spec.strip().lower()
    if _is_trait_spec(text):
        prefix, _, rest = text.partition(":")
        return (f"hardware:{rest.strip()}",) if prefix == "hardware" else (prefix,)
    if kind is LabelKind.BEGINNER:
        return ("beginner",)
    if kind is LabelKind.BUG:
        return ("bug",)
    if kind is LabelKind.AREA and value:
        return GENERIC.get(normalize_label(value), ())
    return GENERIC.get(norm, ()) if kind is LabelKind.TRIAGE else ()


def _triage_key(norm: str) -> str:
    aliases = {"won t fix": "wontfix", "wont fix": "wontfix", "needs repro": "needs-reproduction"}
    norm = aliases.get(norm, norm)
    if norm.startswith("status "):
        norm = norm[len("status ") :]
    if norm.startswith("priority "):
        norm = norm[len("priority ") :] + " priority"
    return norm.replace(" ", "-")
