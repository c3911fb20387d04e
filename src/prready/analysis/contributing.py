"""Summarise a repository's contributing guide: how to build, lint and test, the fast path
it offers for Python-only changes (PyTorch's nightly checkout), and the rules it sets for
contributors (a CLA, DCO sign-off, a ban on AI/agent-written pull requests...).

The guide is parsed with markdown-it-py, so commands come from real code blocks and code
spans (indented blocks, `~~~` fences and nested lists included) and the rules are looked
for in prose only, never inside code."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from prready.models import ContributingSummary
from prready.text import safe_line

MAX_TEXT = 200_000
MAX_COMMANDS = 5
MAX_COMMAND_LEN = 160
MAX_QUOTE = 200

_PROMPT = re.compile(r"^\s*(?:\$|>|#\s)\s*")
_COMMENT = re.compile(r"\s+#\s.*$")  # "python setup.py develop   # then try again"
# Fenced blocks in these languages hold code or data, not commands to type.
_NOT_SHELL = frozenset(
    {"python", "py", "python3", "pycon", "cpp", "c++", "c", "cuda", "yaml", "yml", "json",
     "toml", "ini", "diff", "patch", "text", "txt", "rst", "markdown", "md", "js", "html"}
)  # fmt: skip
# `pip install` needs something to install ("sans the `pip install` line" names none), and
# installing a linter (`pip install pre-commit`) or running one (`make style`) is no build.
_LINTERS = r"(?:ruff|flake8|black|isort|mypy|pylint|lintrunner|pre-commit)\b"
_MAKE_LINT = (
    r"make (?:lint|style|quality|format|fixup|pre-?commit|fix-copies|repo-consistency"
    r"|check-copies)\b"  # (diffusers' and transformers' copy checks are lint)
)
_BUILD = re.compile(
    rf"^(?:\w+=\S+\s+)*(?:pip3? install (?!{_LINTERS})\S|python3? (?:-m pip install|setup\.py (?:develop|install|build\w*)|-m build)"
    rf"|cmake\b|(?!{_MAKE_LINT})make(?!\s+(?:test|check))\b|ninja\b|conda (?:env )?(?:install|create)\b|uv (?:sync|pip install)\b|bazel build\b)"
)
_LINT = re.compile(
    rf"^(?:\w+=\S+\s+)*(?:{_LINTERS}|pip3? install {_LINTERS}"
    rf"|clang-format\b|clang-tidy\b|{_MAKE_LINT}|python3? -m (?:ruff|flake8|black|mypy|pylint)\b|uv run (?:ruff|mypy)\b)"
)
_TEST = re.compile(
    r"^(?:\w+=\S+\s+)*(?:pytest\b|python3? (?:-m pytest|-m unittest|test/run_test\.py|\S*test\S*\.py)"
    r"|tox\b|nox\b|make (?:test|check)\b|ctest\b|bazel test\b|uv run pytest\b)"
)
# A way to work on Python code without building the native parts: PyTorch's
# `tools/nightly.py checkout -b NAME` (nightly binaries under your checkout), and the like.
_PYTHON_ONLY = re.compile(
    r"^(?:\w+=\S+\s+)*(?:\./|python3? )?(?:\S*/)?nightly\.py (?:checkout|pull)\b"
    r"|^(?:\w+=\S+\s+)*(?:USE_PRECOMPILED|SKIP_BUILD\w*|\w*_NO_BUILD\w*)=1\b"
)

DOCS_CLOSED_RULE = "Docs-only and whitespace changes are closed unless you are a known contributor"
GO_AHEAD_RULE = "Wait for a maintainer's go-ahead on the issue before opening a pull request"
_AI_BAN = "No pull requests written by AI tools or agents"
_CLAUSES = re.compile(r"[,;]?\s+but\s+|;\s+", re.IGNORECASE)  # a sentence's contrasting parts
# AI named as a writer or helper: not a folder or file (`.ai/`, `AGENTS.md`).
_AI = re.compile(
    r"(?<![./\w])(?:AI|LLMs?|agents?|agentic|copilot|chatgpt|machine[- ]generated|AI[- ]generated)"
    r"(?![/\w]|\.md\b)",
    re.IGNORECASE,
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
        _AI_BAN,
        # AI as the writer of a contribution, not a folder or file (diffusers' "do not edit
        # files under `.ai/` (or ... AGENTS.md)"), in a sentence about contributions that
        # refuses them rather than welcomes them ("AI-assisted contributions are welcome").
        _AI,
        # (Tried on each clause: "We welcome contributions, but AI-generated PRs will be
        # closed" bans in its second.)
        re.compile(
            r"^(?=.*\b(?:pull requests?|PRs?|contributions?|code|patch\w*|submissions?)\b)"
            # (Nor one that allows them: jax's "This doesn't prohibit the use of coding
            # assistance tools, ... as long as these submissions abide by the CLA".)
            r"(?!.*\bwelcome\b)(?!.*(?:n't|\bnot)\s+(?:prohibit|forbid|ban)\w*)(?!.*\bas\s+long\s+as\b).*?"
            r"\b(not (?:be )?accept\w*|do not|don't|must not|never|prohibit\w*|forbid\w*|ban\w*|not allowed|not permitted"
            r"|will be closed|reject\w*|no\b)",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        GO_AHEAD_RULE,
        re.compile(
            r"\bwait\w* (?:for|until)\b[^.]{0,80}\b(?:acknowledg\w*|approv\w*|go-ahead|green light"
            r"|confirm\w*|assign\w*)[^.]{0,120}\bbefore (?:opening|submitting|sending|creating|you open)"
            r"|\bbefore (?:opening|submitting|sending) (?:a |your )?(?:PR|pull request)\b[^.]{0,80}\bwait\w* for\b"
            # peft's "ask first and only proceed after maintainer approval".
            r"|\b(?:proceed|start|begin|work)\w*\s+(?:on\s+it\s+)?(?:only\s+)?after\s+(?:a\s+|the\s+)?"
            r"(?:maintainers?'?s?\s+)?(?:approval|go-ahead|confirmation)",
            re.IGNORECASE,
        ),
        # A person's go-ahead, not CI's ("wait for CI to pass before opening").
        re.compile(r"\b(?:maintainers?|reviewers?|core team|team members?|owners?)\b", re.IGNORECASE),
    ),
    (
        "Disclose any AI assistance in the pull request",
        _AI,
        # (Not "state-of-the-art ... generative AI applications".)
        re.compile(
            r"\b(disclos\w+|mention\w* (?:it|that|this|the|your|any|if|whether|which)"
            r"|state (?:it|that|whether|clearly|the use|which))\b",
            re.IGNORECASE,
        ),
    ),
    (
        DOCS_CLOSED_RULE,
        re.compile(r"\b(docs?|documentation|whitespace|typos?)\b", re.IGNORECASE),
        re.compile(
            r"\bwill be (?:closed|rejected)\b|\bnot (?:be )?accept\w*|\bdo not (?:send|open|submit)",
            re.IGNORECASE,
        ),
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
        # An obligation on the change ("must include tests", "tests are required"), not
        # what running the tests needs ("`expecttest` - required to run tests") nor advice
        # ("first write a Python test script that exercises ..."): both in PyTorch's guide.
        re.compile(
            r"\b(?:must|should|please|need to|expected to|always)\b[^.]{0,40}"
            r"\b(?:add|include|write|come with|have|contain)\b[^.]{0,30}\btests?\b(?! script)"
            r"|\btests? (?:are|is) (?:required|mandatory|expected)\b"
            r"|\brequires? (?:new |unit |regression )?tests\b"
            # An imperative step (trl: "Add high-coverage tests. No quality testing = no merge.").
            r"|^\W*(?:add|include|write)\b[^.;]{0,30}\btests?\b(?! script)"
            r"|\bno \w* ?tests?(?:ing)? = no merge",
            re.IGNORECASE,
        ),
        None,
    ),
)


def readme_contributing_section(text: str) -> str:
    """The "Contributing" section of a README (tinygrad keeps its guide there): from a
    heading naming it to the next heading of the same or a higher level; "" without one.
    Lines inside code fences are never headings."""
    out: list[str] = []
    level = 0
    fence = ""
    for line in (text or "")[:MAX_TEXT].splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
        heading = None if fence else _HEADING.match(line)
        if heading and level and len(heading.group(1)) <= level:
            break
        if heading and not level and re.search(r"contribut", heading.group(2), re.IGNORECASE):
            level = len(heading.group(1))
            continue
        if level:
            out.append(line)
    return "\n".join(out).strip()


_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def summarise_contributing(text: str, source: str) -> ContributingSummary:
    """Build/lint/test commands (in the guide's order) and contributor rules, each rule
    with a short quote of the sentence that states it."""
    text = (text or "")[:MAX_TEXT]
    tokens = _MD.parse(text)
    commands = _commands(tokens)
    build = _pick(commands, _BUILD)
    lint = _pick(commands, _LINT)
    test = _pick(commands, _TEST)
    python_only = _pick(commands, _PYTHON_ONLY)
    rules: list[str] = []
    sentences = _sentences(_prose(tokens))
    for rule, trigger, condition in _RULES:
        for sentence in sentences:
            parts = _CLAUSES.split(sentence) if rule.startswith(_AI_BAN) else [sentence]
            if any(
                trigger.search(part) and (condition is None or condition.search(part))
                for part in parts
            ):
                rules.append(f'{rule} ("{_quote(sentence)}")')
                break
    # A ban on AI-written PRs already covers disclosure; keep the stricter one only.
    if any(r.startswith(_AI_BAN) for r in rules):
        rules = [r for r in rules if not r.startswith("Disclose any AI")]
    return ContributingSummary(
        source=source if text.strip() else "",
        build=build,
        lint=lint,
        test=test,
        rules=rules,
        python_only=python_only,
    )


# --------------------------------------------------------------------------- helpers
_MD = MarkdownIt("commonmark")
# A part of a command the reader fills in: `<TEST_TO_RUN>`, `<your_branch>`, `{MODEL}` (a
# shell variable, `${TORCH}`, is set, not filled in).
_PLACEHOLDER = re.compile(
    r"<[A-Za-z][\w .-]{0,40}>|(?<!\$)\{[A-Z][A-Z_]{1,40}\}"
    # A made-up file to name your own (diffusers' `tests/test_my_new_model.py`).
    r"|\b(?:test_)?(?:my|your)_(?:new_)?\w+\.py\b"
    # An option left without its value (jax's "`pytest -k`" in a sentence).
    r"|\s-[kmx]$"
)


def _commands(tokens: list[Token]) -> list[str]:
    """Candidate shell commands in document order: each line of a code block (fenced in a
    shell language or none, or indented), and each code span."""
    found: list[str] = []
    for token in tokens:
        if token.type in ("fence", "code_block"):
            language = (token.info or "").split(maxsplit=1)[0].lower() if token.info else ""
            if language in _NOT_SHELL:
                continue
            for line in token.content.splitlines():
                line = _COMMENT.sub("", _PROMPT.sub("", line)).strip()
                if line and not line.startswith("#"):
                    found.append(line)
        elif token.type == "inline":
            # A span of one word ("`pytest`", "`make`") names a tool in a sentence.
            found.extend(
                _PROMPT.sub("", child.content).strip()
                for child in token.children or ()
                if child.type == "code_inline"
                and 3 <= len(child.content) <= 200
                and " " in child.content.strip()
            )
    return found


def _prose(tokens: list[Token]) -> str:
    """The guide's text without code blocks, one paragraph or list item per block (code
    spans keep their text: "use `git commit -s`" states a rule)."""
    return "\n\n".join(token.content for token in tokens if token.type == "inline")


def _pick(commands: list[str], pattern: re.Pattern[str]) -> list[str]:
    out: list[str] = []
    for cmd in commands:
        clean = safe_line(cmd, MAX_COMMAND_LEN)
        if _PLACEHOLDER.search(clean):  # a template to fill in (`pytest tests/<TEST_TO_RUN>.py`)
            continue
        if pattern.search(clean) and clean not in out:
            out.append(clean)
        if len(out) >= MAX_COMMANDS:
            break
    return out


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*] ", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _quote(sentence: str) -> str:
    return safe_line(sentence.strip(" -*#>"), MAX_QUOTE)


def agent_rules(text: str, source: str) -> list[str]:
    """The house rules of a repository's notes for coding agents (AGENTS.md) that bind
    people as well, each marked with its file: not what it says of AI itself."""
    rules = summarise_contributing(text, source).rules
    return [
        rule.replace(' ("', f' ({source}: "', 1)
        for rule in rules
        # (Nor its ban on tiny one-off edits, aimed at agents' typo pull requests: a
        # docs issue is still a newcomer's work.)
        if not rule.startswith((_AI_BAN, "Disclose any AI", DOCS_CLOSED_RULE))
    ]


def asks_for_go_ahead(summary: ContributingSummary) -> bool:
    """True when the guide wants a maintainer's go-ahead before work on an issue starts."""
    return any(rule.startswith(GO_AHEAD_RULE) for rule in summary.rules)


def closes_docs_prs(summary: ContributingSummary) -> bool:
    """True when the guide closes docs-only pull requests from new contributors."""
    return any(rule.startswith(DOCS_CLOSED_RULE) for rule in summary.rules)
