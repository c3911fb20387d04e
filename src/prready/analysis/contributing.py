"""Summarise a repository's contributing guide: how to build, lint and test, and the rules it
sets for contributors (a CLA, DCO sign-off, a ban on AI/agent-written pull requests...)."""

from __future__ import annotations

import re

from prready.models import ContributingSummary

MAX_TEXT = 200_000
MAX_COMMANDS = 5
MAX_COMMAND_LEN = 160
MAX_QUOTE = 200

_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_INLINE = re.compile(r"`([^`\n]{3,200})`")
_PROMPT = re.compile(r"^\s*(?:\$|>|#\s)\s*")

_BUILD = re.compile(
    r"^(?:\w+=\S+\s+)*(?:pip3? install\b|python3? (?:-m pip install|setup\.py (?:develop|install|build\w*)|-m build)"
    r"|cmake\b|make(?!\s+(?:test|check|lint))\b|ninja\b|conda (?:env )?(?:install|create)\b|uv (?:sync|pip install)\b|bazel build\b)"
)
_LINT = re.compile(
    r"^(?:\w+=\S+\s+)*(?:ruff\b|flake8\b|black\b|isort\b|mypy\b|pylint\b|lintrunner\b|pre-commit\b"
    r"|clang-format\b|clang-tidy\b|make lint\b|python3? -m (?:ruff|flake8|black|mypy|pylint)\b|uv run (?:ruff|mypy)\b)"
)
_TEST = re.compile(
    r"^(?:\w+=\S+\s+)*(?:pytest\b|python3? (?:-m pytest|-m unittest|test/run_test\.py|\S*test\S*\.py)"
    r"|tox\b|nox\b|make (?:test|check)\b|ctest\b|bazel test\b|uv run pytest\b)"
)

_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        "Sign the Contributor License Agreement (CLA) before a pull request can be merged",
        re.compile(r"\bCLA\b|contributor license agreement", re.IGNORECASE),
        None,
    ),
    (
        "Sign off every commit (DCO): use `git commit -s`",
        re.compile(
            r"\bDCO\b|developer certificate of origin|signed-off-by|git commit -s\b", re.IGNORECASE
        ),
        None,
    ),
    (
        "No pull requests written by AI tools or agents",
        re.compile(
            r"\b(AI|LLMs?|agents?|agentic|copilot|chatgpt|machine[- ]generated|AI[- ]generated)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(not (?:be )?accept\w*|do not|don't|must not|never|prohibit\w*|forbid\w*|ban\w*|not allowed"
            r"|will be closed|reject\w*|no\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "Disclose any AI assistance in the pull request",
        re.compile(r"\b(AI|LLMs?|copilot|chatgpt)\b", re.IGNORECASE),
        re.compile(r"\b(disclos\w+|mention|state)\b", re.IGNORECASE),
    ),
    (
        "Discuss in an issue before starting a large change",
        re.compile(
            r"(open|file|create) an issue (first|before)|discuss\w* (?:it |the change |your idea )?(first|before)"
            r"|before (starting|working on) (a )?(large|big|significant|major)",
            re.IGNORECASE,
        ),
        None,
    ),
    (
        "Include tests with your change",
        re.compile(
            r"\b(add|include|write|must have|require\w*)\b[^.]{0,30}\btests?\b", re.IGNORECASE
        ),
        None,
    ),
)


def summarise_contributing(text: str, source: str) -> ContributingSummary:
    """Build/lint/test commands (in the guide's order) and contributor rules, each rule
    with a short quote of the sentence that states it."""
    text = (text or "")[:MAX_TEXT]
    commands = _commands(text)
    build = _pick(commands, _BUILD)
    lint = _pick(commands, _LINT)
    test = _pick(commands, _TEST)
    rules: list[str] = []
    prose = _FENCE.sub(" ", text)
    sentences = _sentences(prose)
    for rule, trigger, condition in _RULES:
        for sentence in sentences:
            if trigger.search(sentence) and (condition is None or condition.search(sentence)):
                rules.append(f'{rule} ("{_quote(sentence)}")')
                break
    # A ban on AI-written PRs already covers disclosure; keep the stricter one only.
    if any(r.startswith("No pull requests written by AI") for r in rules):
        rules = [r for r in rules if not r.startswith("Disclose any AI")]
    return ContributingSummary(
        source=source if text.strip() else "", build=build, lint=lint, test=test, rules=rules
    )


# --------------------------------------------------------------------------- helpers
def _commands(text: str) -> list[str]:
    """Candidate shell commands in order: lines of fenced blocks, then inline code."""
    found: list[tuple[int, str]] = []
    for block in _FENCE.finditer(text):
        offset = block.start(1)
        for line in block.group(1).splitlines():
            line = _PROMPT.sub("", line).strip()
            if line and not line.startswith("#"):
                found.append((offset, line))
            offset += len(line) + 1
    no_blocks = _FENCE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _INLINE.finditer(no_blocks):
        found.append((match.start(), _PROMPT.sub("", match.group(1)).strip()))
    found.sort(key=lambda item: item[0])
    return [cmd for _, cmd in found]


def _pick(commands: list[str], pattern: re.Pattern[str]) -> list[str]:
    out: list[str] = []
    for cmd in commands:
        clean = "".join(ch for ch in cmd if ch.isprintable())[:MAX_COMMAND_LEN]
        if pattern.search(clean) and clean not in out:
            out.append(clean)
        if len(out) >= MAX_COMMANDS:
            break
    return out


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*] ", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _quote(sentence: str) -> str:
    clean = "".join(ch for ch in sentence if ch.isprintable()).strip(" -*#>")
    return clean if len(clean) <= MAX_QUOTE else clean[: MAX_QUOTE - 1].rstrip() + "…"
