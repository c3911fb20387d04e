"""What kind of work an issue is (bug, feature, docs, tests, performance, tracking, question,
RFC, needs reproduction) and what hardware it needs, from its labels, its title and its
body, each with the evidence kept. Pure; computed once per issue by the planner.

Titles decide more than bodies: a body quotes environments ("CUDA used to build PyTorch",
"OS: macOS 14") and templates whatever the issue is about, so only the description part
of a body (before an environment or versions section) is read for hardware.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from prready.analysis.comment_words import without_code_blocks
from prready.analysis.docs_pages import PAGE_NAME
from prready.analysis.evidence import without_setup
from prready.analysis.labels import traits_of
from prready.analysis.stages import OPTION_WORDS
from prready.analysis.vocabulary import (
    GPU_ONLY_LIBRARY_REPOSITORIES,
    GPU_ONLY_LIBRARY_WORDS,
    HARDWARE,
    HARDWARE_ALIASES,
    HARDWARE_IMPLIES,
)
from prready.errors import InputError
from prready.models import Issue, IssueKinds, Label, SetAsideKind
from prready.text import safe_line

# Kinds that are never offered as plan steps, in the order their reason is given.
SET_ASIDE_KINDS: tuple[SetAsideKind, ...] = ("tracking", "question", "rfc", "needs-repro")
KIND_NAMES = {
    "bug": "bug",
    "feature": "feature",
    "docs": "documentation",
    "tests": "tests, typing or tooling",
    "performance": "performance",
    "tracking": "tracking issue",
    "question": "support question",
    "rfc": "RFC or design discussion",
    "needs-repro": "needs a reproduction",
}
SET_ASIDE_WHY = {
    "tracking": "a tracking issue: it lists work to do rather than being one change",
    "question": "a support question: it wants an answer, not a pull request",
    "rfc": "an open design question: the maintainers decide before anyone writes the code",
    "needs-repro": "waits for a reproduction or more information from its reporter",
}

_TRACKING_TITLE = re.compile(
    r"\b(?:tracking|tracker|umbrella|meta|overview)\s+(?:issue|task|bug|ticket)\b"
    # A title that names what it tracks ("Array API support tracker", "3.0 compatibility
    # tracker"), and a release's own issue ("2.1.0 Release Candidate", "Release 1.4.0").
    r"|\btracker\s*$|^\W*(?:v?\d+\.\d+(?:\.\d+)?\s+release(?:\s+candidate|\s+checklist)?"
    r"|release\s+(?:candidate\s+)?v?\d+\.\d+(?:\.\d+)?)\s*$"
    r"|\bmaster\s+(?:tracking\s+)?(?:issue|task)\b|^\s*\[(?:tracker|tracking|meta|umbrella|epic|roadmap)\]"
    r"|^\s*(?:tracker|tracking|meta|umbrella|roadmap)\s*:|\broadmap\b[^\n]{0,120}?\b20\d\d\b"
    # A title opening with the word and what it is for ("Roadmap - `trl` 0.2", "Roadmap for
    # v1"), not one about a roadmap ("Roadmap link in README is broken").
    r"|^\W*roadmap\s*(?:[-\u2013:]|for\b|v?\d)",
    re.IGNORECASE,
)
# A title that is a roadmap, ending in the word ("Diffusers Roadmap", "Roadmap 2025", "[RFC]
# TensorRT Model Optimizer - Product Roadmap", "MXNet 2.0 Roadmap (was: ...)"); see
# `_roadmap`. Each pattern is anchored once, so a hostile title costs one linear pass.
_ROADMAP_END = re.compile(
    r"\broadmap(?:\s+(?:for\s+)?v?\d[\w.]*)?\s*(?:\([^()\n]{0,200}\))?\s*$", re.IGNORECASE
)
# ... not one about a page of it ("Typo in roadmap", "Roadmap link in README is broken",
# "Where can I find the roadmap", "Please add MoE support to the roadmap").
_ABOUT_A_ROADMAP = re.compile(
    r"\b(?:readme|docs?|documentation|links?|typo|website|page)\b"
    r"|\b(?:the|to|in|on|from|into|a|an|our|your|my|of|about|with|this)\s+roadmap\b",
    re.IGNORECASE,
)
_EDIT_VERB = re.compile(
    r"(?:update|fix|typo|remove|broken|add|outdated|missing|wrong|improve|clarify|rewrite"
    r"|move|delete|edit|link|mention|where|when|what|how|is|are|please)\b",
    re.IGNORECASE,
)
_TAG = re.compile(r"\[([^\]\n]{0,40})\]")  # a bracketed tag, its words grouped
_LEADING_TAGS = re.compile(rf"(?:[^\w\[]*{_TAG.pattern})*[^\w\[]*")
_TRACKING_BODY = re.compile(
    r"^\s*(?:this|the)\s+(?:is\s+an?\s+)?(?:umbrella|tracking|meta)\s+issue\b|^\s*this\s+issue\s+tracks\b",
    re.IGNORECASE | re.MULTILINE,
)
# GitHub's tasklist block, whose items are issues of their own (haystack's epics).
_TASKLIST = re.compile(r"^[ \t]*```[ \t]*\[tasklist\]", re.IGNORECASE | re.MULTILINE)
_CHECKLIST = re.compile(r"^\s*[-*]\s+\[[ xX]\]\s+", re.MULTILINE)
# A tag in capitals opening a title: scikit-learn's "META track `sample_weight` support".
_META_TAG = re.compile(r"^\W*META\b")
# A task of a checklist, not a form's checkbox about the reporter ("I have searched the
# existing issues", "My own modified scripts", "The official example scripts", "Make sure").
_TASK = re.compile(
    r"^\s*[-*]\s+\[[ xX]\]\s+(?!(?:i\b|i'|my\b|the\s+official|an?\s+official\w*|make\s+sure"
    r"|have\s+you|did\s+you|yes\b|no\b|search|read|confirm|agree)\b)",
    re.IGNORECASE | re.MULTILINE,
)
MIN_TRACKED_TASKS = 5  # a checklist this long lists the work of several pull requests
# A question the description asks in the reporter's own words ("Is there a way of doing
# that?", "what am I missing?", "Any idea what's happening here?"), outside code blocks.
_ASKS = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*(?:[-*]\s+)?|\")(?:is\s+there\s+(?:a|any)\s*(?:way|option|method|plan)"
    r"|is\s+it\s+possible|how\s+(?:can|could|do|should|would)\s+(?:i|we|one|you)\b"
    r"|what\s+am\s+i\s+(?:missing|doing\s+wrong)|am\s+i\s+(?:missing|doing)|can\s+(?:i|we|someone|anyone)\b"
    r"|could\s+(?:someone|anyone|you)\b|any\s+(?:help|ideas?|suggestions?|advice|pointers)\b"
    r"|why\s+(?:do|does|is|are)\s+(?:we|i|you|it|there)\b)[^?\n]{0,200}\?",
    re.IGNORECASE,
)
_QUESTION_TITLE = re.compile(
    r"^\s*(?:\[(?:question|q|qst|help|usage)\]|question\s*[:\-]|help\s*:|how\s+(?:to|do|can|should|does)\b"
    r"|about\s+the\s+(?:use|usage)\s+of\b|what\s+(?:will|would|does|is|are|happens)\b"
    r"|is\s+it\s+possible\b|why\s+(?:does|is|do|are)\b.*\?\s*$)",
    re.IGNORECASE,
)
# A request for a release ("New pypi version please", "Please cut a new release"): the
# maintainers' own task, which no pull request of a newcomer does.
_RELEASE_REQUEST = re.compile(
    r"^\W*(?:please\s+)?(?:make|cut|publish|push|tag|do|create|release)\s+(?:a\s+)?new\s+"
    r"(?:pypi\s+|conda\s+|patch\s+|minor\s+|major\s+|bugfix\s+)?(?:release|version)\b"
    r"(?!\s+(?:workflow|script|process|notes|check|pipeline|tooling|job|of\s+the\s+docs))"
    r"|^\W*please\s+(?:make|cut|publish|push|tag|do|create)\s+a\s+release\b"
    r"|\b(?:new|next)\s+(?:pypi\s+|conda\s+|patch\s+|minor\s+|bugfix\s+)?(?:release|version)\s+"
    r"(?:please|pls|plz|requested|request)\b"
    r"|\brequest(?:ing)?\s+(?:for\s+)?(?:a\s+)?(?:new\s+)?(?:pypi\s+)?release\b",
    re.IGNORECASE,
)
_QUESTION_WORDS = re.compile(
    r"^\s*(?:how|what|why|when|where|which|is|are|can|could|should|does|do|will|would"
    # ("did the sampler has distributed version?", not "Has no attribute 'config'?")
    r"|(?:did|has|have)\s+(?:anyone|anybody|someone|somebody|you|we|i|the|this|there|it"
    r"|they)\b)\b.*\?\s*$",
    re.IGNORECASE,
)
_QUESTION_BODY = re.compile(
    r"^#+\s*(?:\u2753\s*)?questions?\b(?:\s+and\s+help)?", re.IGNORECASE | re.MULTILINE
)
_RFC_TITLE = re.compile(
    r"^\s*(?:\[\s*(?:rfc|proposal|discussion|design)(?:\s+(?:discussion|proposal|doc))?\s*\]"
    r"|(?:rfc|proposal|discussion)\s*[:\-#\d])"
    r"|\brfc\s*[:\]]",
    re.IGNORECASE,
)
_BUG_BODY = re.compile(
    r"^#+\s*(?:\U0001f41b\s*)?(?:describe the bug|bug description|bug report)"
    r"|traceback \(most recent call last\)",
    re.IGNORECASE | re.MULTILINE,
)
# A quoted Python error at a line's start (`TypeError: log() takes 2 positional ...`),
# looked for only in a body holding "Error: " or "Exception: ".
_QUOTED_ERROR = re.compile(r"^[ \t>`]*[\w.]*(?:Error|Exception): \S", re.MULTILINE)
_BUG_TITLE = re.compile(
    r"\b(?:error|errors|exception|crash(?:es|ed)?|segfaults?|segmentation fault|fails?|failing|"
    r"failed|broken|wrong|incorrect|bad output|nans?|hangs?|hanging|deadlocks?|regression|"
    r"leaks?|raises|bug|mismatch|not working|doesn'?t work|does not work|ignores?|fix(?:es)?"
    # An exception's name (`TypeError: ...`, "ImportError when ..."), and what a report
    # says went wrong ("does not move", "is not returning", "unexpected behaviour").
    r"|[A-Z]\w*(?:Error|Exception)|failures?|breaks|incorrectly|improper(?:ly)?|invalid"
    r"|unexpected(?:ly)?|inconsistent|(?:does|do|did|is|are|was|were|could|can)\s?n[o']t"
    r"|can'?t|won'?t|doesnt"
    r"|(?:does|do|did|is|are|was|were|could)\s+not|cannot|unable\s+to|no\s+longer)\b",
    re.IGNORECASE,
)
_FEATURE_BODY = re.compile(
    r"^#+\s*(?:\U0001f680\s*)?(?:the feature, motivation and pitch|feature request|feature)\b",
    re.IGNORECASE | re.MULTILINE,
)
# A reporter's tag filing the issue as a feature request ("[Feature]", "Feature request:",
# RAPIDS' "[FEA]", JAX's "[FR]", statsmodels' "FR: ...").
_FEATURE_TAG = re.compile(
    r"\s*(?:\[(?:feature|feature request|enhancement|request|fea|feat|fr)\]"
    r"|(?:feature\s*(?:request)?|fr)\s*:)",
    re.IGNORECASE,
)
_FEATURE_TITLE = re.compile(
    rf"^(?:{_FEATURE_TAG.pattern}|\s*(?:add|support|implement|expose|allow|make)\b)"
    r"|\badd(?:ing)?\s+support\b",
    re.IGNORECASE,
)
_DOCS_TITLE = re.compile(
    r"\b(?:docs?|documentation|docstrings?|typos?|tutorials?|readme|spelling|grammar"
    r"|grammatical|guides?|cookbook|quickstart|faq|changelog|what'?s\s+new|release\s+notes)\b"
    # The verb ("Document `jax.lax` APIs", "💫 Document workflow: ...", "add detailed
    # documents for beam search"), not the data a library holds ("Loading documents fails
    # in TextLoader").
    r"|^\W*document\b|\bdocument\s*:|\b(?:add|write|update|improve)\s+(?:\w+\s+){0,2}?documents?\b"
    # "read_avro ambiguously documented", "`max_length` documented incorrectly", not the
    # code's promise a bug report cites ("does not validate eta despite documented
    # constraint").
    r"|\bdocumented\b(?!\s+(?:constraint|default|behaviou?r|range|shape|type|value|limit"
    r"|semantic|signature|return|api|argument|parameter)s?\b)"
    # A page by its file name ("Link broken in CONTRIBUTING.md", "ROADMAP.MD not found").
    rf"|{PAGE_NAME.pattern}"
    # Instructions and links ("Local CUDA install directions", "Broken 0.8.0 linked nightly
    # release URL", "Links to some of the guides are broken"); a URL alone is as often the
    # code's ("CIFAR10 download URL broken"), and "link-time" or "build steps" no page's.
    r"|\b(?:install(?:ation|ing)?|setup|build)\s+(?:instructions?|directions)\b"
    r"|\binstall(?:ation|ing)?\s+steps\b"
    r"|\b(?:broken|dead)\b(?:\W+\w+){0,3}?\W+(?:links?|linked|hyperlinks?)\b(?![-_])"
    r"|\bwrong\s+(?:links?|hyperlinks?|urls?)\b(?![-_])"
    r"|\b(?:links?|hyperlinks?)\b(?![-_])(?:\W+\w+){0,4}?\W+(?:broken|dead|404)\b"
    r"|\bdeadlinks?\b"
    # An example on a page ("Defect in code example", "Fix Gradients accumulation example",
    # "Add an example of reading the learning rate", "Examples combining multiple files"),
    # not the repository's example scripts ("example/wmt broken", "Fix example.py crash",
    # "Example script run_clm.py raises") nor a dataset's ("Fix num examples logged").
    r"|\b(?:code|usage|doc|docs|documentation|tutorial|readme)\b(?:\W+\w+){0,4}?\W+"
    r"examples?\b(?![/.\w-])"
    r"|^\W*(?:add|fix|update|improve|correct)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}"
    r"example\b(?![/.\w-])(?!\s+scripts?\b)"
    r"|^\W*examples\b(?![/.\w-])(?!\s+scripts?\b)"
    # A request to explain something better ("Clarify how to specify monotonic
    # constraints"), not to reword the code's message ("Clarify error message for ...").
    r"|^\W*clarif(?:y|ication)\b(?!\s+(?:the\s+|an?\s+)?(?:error|exception|warning)s?\b)",
    re.IGNORECASE,
)


def _roadmap(title: str) -> str:
    """The words by which a title is a roadmap (`_ROADMAP_END`), or "" when it is about
    one (`_ABOUT_A_ROADMAP`) or asks to change one: its first word or a leading tag's is
    an edit ("[Update] roadmap", "Remove outdated items from the roadmap")."""
    end = _ROADMAP_END.search(title)
    if end is None or _ABOUT_A_ROADMAP.search(title):
        return ""
    lead = _LEADING_TAGS.match(title)
    tags = lead.group(0) if lead else ""
    if _EDIT_VERB.match(title[len(tags) :]) or any(
        _EDIT_VERB.match(tag.strip()) for tag in _TAG.findall(tags)
    ):
        return ""
    return end.group(0).strip()


def feature_tag(title: str) -> bool:
    """Whether the title opens with a tag filing it as a feature request (`_FEATURE_TAG`)."""
    return _FEATURE_TAG.match(title) is not None


def docs_title(title: str) -> re.Match[str] | None:
    """The words by which a title asks for work on the docs ("typo", "broken link",
    "Fix Gradients accumulation example", "ROADMAP.MD not found"), or None. The one
    reading of a docs title: an issue's kind and its difficulty's start both use it."""
    return _DOCS_TITLE.search(title)


_TESTS_TITLE = re.compile(
    r"\b(?:flaky|test_\w+|unit\s?tests?|tests?\s+(?:gap|coverage)|type\s+(?:hints?|annotations?)|"
    r"annotations?|mypy|pyright|typing(?!\.\w)|lint(?:er|ing)?|ruff|flake8|ci)\b|^\s*\[typing\]",
    re.IGNORECASE,
)
_PERF_TITLE = re.compile(
    r"\b(?:slow(?:er|ness)?|speed\s*up|performance|perf|latency|throughput|memory usage|"
    r"faster|\d+x\s+slower)\b",
    re.IGNORECASE,
)
# Hardware words in a title or a description: strong enough to bind an issue.
_HARDWARE_TEXT: Sequence[tuple[str, re.Pattern[str]]] = (
    (
        "multi-node",
        re.compile(
            r"\bmulti[- ]?node\b|\bmultiple nodes\b|\bacross nodes\b|\bslurm\b", re.IGNORECASE
        ),
    ),
    (
        "multi-gpu",
        re.compile(
            r"\bmulti[- ]?gpus?\b|\bmultiple gpus\b|\b\d+\s*gpus\b|\bfsdp\d?\b|\bnccl\b",
            re.IGNORECASE,
        ),
    ),
    (
        "mps",
        re.compile(
            r"\bmps\b|\bapple silicon\b|\bm[1-4](?: pro| max| ultra)?\s+(?:mac|chip)|\bmetal\b|\bmacos\b|\bon mac\b",
            re.IGNORECASE,
        ),
    ),
    ("rocm", re.compile(r"\brocm\b|\bhipify\b|\bamd gpus?\b|\bmi[23]\d0x?\b", re.IGNORECASE)),
    ("xpu", re.compile(r"\bxpu\b|\bintel gpus?\b|\barc a\d{3}\b", re.IGNORECASE)),
    ("tpu", re.compile(r"\btpus?\b|\btorch[_-]xla\b", re.IGNORECASE)),
    (
        "cuda",
        re.compile(
            r"\bcuda\b|\bcudnn\b|\bcublas\b|\bnvidia\b|\b[ahv]100\b|\brtx\s?\d{4}\b|\bsm_\d{2}\b"
            # CUDA's own errors (PyG #1612 "Illegal Memory Access").
            r"|\billegal memory access\b|\bdevice-side assert\b",
            re.IGNORECASE,
        ),
    ),
    (
        "windows",
        re.compile(
            # "sliding windows", "attention windows": only Windows the OS counts.
            r"\b(?:on|under|for|with) windows\b|\bwindows (?:10|11|server|machine|build)\b"
            r"|\bwin(?:32|64)\b|\bmsvc\b|^\s*\[?windows\]?\s*:",
            re.IGNORECASE,
        ),
    ),
)
# macOS named as the system an issue shows up on binds it to a Mac only when no other system
# is named beside it: "runs out of memory on Ubuntu and macOS" needs neither.
_MAC_SYSTEM = re.compile(r"macos|on mac", re.IGNORECASE)
_OTHER_SYSTEM = re.compile(
    r"\b(?:linux|ubuntu|debian|centos|fedora|red ?hat|rhel|wsl|windows)\b", re.IGNORECASE
)


# Hardware named as unaffected ("MPS is unaffected", "works fine on MPS", "except on
# ROCm") binds nothing; "does not work on MPS" and "NaN on MPS while CPU works fine" do.
_UNAFFECTED_AFTER = re.compile(
    r"(?:(?!\b(?:but|while|whereas|though|although|yet)\b)[^.,;:\n()]){0,20}?"
    r"\b(?:(?:is|are|was|were)\s+(?:un|not\s+)affected|unaffected"
    r"|works?\s+(?:fine|correctly|as expected)|(?:is|are)\s+fine)\b",
    re.IGNORECASE,
)
_UNAFFECTED_BEFORE = re.compile(
    r"(?:(?<!not\s)(?<!n't\s)(?<!never\s)(?<!longer\s)\bworks?(?:\s+fine)?|\bfine|\bnot|\bexcept)"
    r"\s+(?:on|with|for|under)\s+(?:the\s+|an?\s+)?$",
    re.IGNORECASE,
)
# In a description: the machine the reporter tested on ("Tested on TPU v3-8."), and the
# hardware named beside the CPU ("returns 2147483647 on CPU and TPU"): the bug is not that
# hardware's.
# (A sentence that starts so: "Only fails when tested on TPU" is the bug's own condition.)
_SETUP_BEFORE = re.compile(
    r"(?:^|[.!?]\s|\n)\s*(?:tested|tried)\s+(?:it\s+)?(?:on|with)\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_CPU_BEFORE = re.compile(r"\bcpus?\s*(?:,|/|&|and|or)\s*(?:on\s+)?(?:the\s+|an?\s+)?$", re.IGNORECASE)
_CPU_AFTER = re.compile(r"\s*(?:,|/|&|and|or)\s*(?:on\s+)?(?:the\s+)?cpus?\b", re.IGNORECASE)
# A title about the CPU device, not CPU offload or CPU memory while loading onto a GPU.
_CPU_TITLE = re.compile(r"\bcpus?\b(?![\s_-]*(?:offload|memory|ram|usage))", re.IGNORECASE)
# A named NVIDIA GPU in a description ("On a T4 GPU, all models ... are broken"): the
# reporter's device is where the bug shows, unlike a reproduction's `device="cuda"`.
# Only "on/with/using [a] T4 GPU": a parenthesised environment ("(CUDA 10.2, T4 GPU)") does not.
_GPU_MODEL = re.compile(
    r"\b(?:on|with|using)\s+(?P<device>(?:an?\s+|my\s+|the\s+|one\s+|\d+\s*x?\s*)?(?:nvidia\s+)?"
    r"(?:[ahlvpkt]\d{1,3}|(?:rtx|gtx)\s?\d{3,4}|(?:tesla|quadro|titan|geforce|jetson)\s+\w+)"
    r"\s+gpus?)\b",
    re.IGNORECASE,
)
_VERSION = re.compile(r"\b\d+\.\d+(?:\.\d+)?")
_ON_BEFORE = re.compile(r"\bon\s+$", re.IGNORECASE)
# A launcher asked for several GPUs (DeepSpeed #8084: `deepspeed --num_gpus 8`).
# So are a count of GPUs ("on 4 GPUs", "two GPUs", "2 v100 gpus") and of named ones
# ("2 x A100", "8xH100").
_GPU_COUNT = re.compile(
    r"--num[_-]gpus[= ]?(?:[2-9]|[1-9]\d)\b"
    r"|\b(?:[2-9]|[1-9]\d|two|three|four|eight)\b\s*(?:x\s*)?(?:(?:[ahvlt]\d{1,3}|rtx\s?\d{4})\s+)?gpus\b"
    r"|\b(?:[2-9]|[1-9]\d)\s*x\s*(?:nvidia\s+)?(?:[ahvl]\d{2,3}|t4)\b",
    re.IGNORECASE,
)


def _binding(pattern: re.Pattern[str], text: str, *, body: bool = False) -> re.Match[str] | None:
    """The first match of `pattern` in `text` that binds an issue to the hardware it names:
    not named as unaffected, and not macOS beside another system or (in a `body`) in a line
    of versions, the reporter's machine ("PyG 2.4.0, PyTorch 2.1.0, macOS M1")."""
    other_system: bool | None = None
    for found in pattern.finditer(text):
        start = found.start("device") if "device" in pattern.groupindex else found.start()
        if _UNAFFECTED_AFTER.match(text, found.end()) or _UNAFFECTED_BEFORE.search(
            text[max(0, start - 30) : start]
        ):
            continue
        if body and (
            _SETUP_BEFORE.search(text, max(0, start - 30), start)
            or _CPU_BEFORE.search(text[max(0, start - 30) : start])
            or _CPU_AFTER.match(text, found.end())
        ):
            continue  # the reporter's test machine, or a bug the CPU shows as well
        if _MAC_SYSTEM.fullmatch(found.group(0)):
            if other_system is None:
                other_system = bool(_OTHER_SYSTEM.search(text))
            if other_system:
                return None  # macOS as the system shows up beside another one: needs neither
            if body and _versions_line(text, found):
                continue
        return found
    return None


def _versions_line(text: str, found: re.Match[str]) -> bool:
    """Whether macOS is named in a line of two versions or more, not "on macOS"."""
    if _ON_BEFORE.search(text[max(0, found.start() - 10) : found.start()]):
        return False
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    stop = min(end if end >= 0 else len(text), start + 2000)
    return len(_VERSION.findall(text, start, stop)) >= 2


# "GPU" alone in a title means an NVIDIA one only when no other accelerator is named
# ("AMD: ... multi-GPU training on MI300X" needs ROCm, not CUDA).
_ANY_GPU = re.compile(r"\bgpus?\b", re.IGNORECASE)
# The GPU-only libraries (vocabulary) named in a title (peft #2501 "merge_adapter does not
# work with bitsandbytes 4bit", "Apply Zero-3 and LoRA") or used in a reproduction
# (`load_in_4bit=True`).
_GPU_LIBRARY_TITLE = re.compile(rf"\b(?:{GPU_ONLY_LIBRARY_WORDS})\b", re.IGNORECASE)
_GPU_LIBRARY_CODE = re.compile(
    r"\bload_in_[48]bit\s*=\s*True|\bBitsAndBytesConfig\s*\(|\bbnb_4bit_\w+\s*=|\bimport\s+bitsandbytes\b"
)
_NAMED_ACCELERATORS = frozenset({"cuda", "rocm", "xpu", "mps", "tpu", "multi-gpu"})
# Hardware a description may bind an issue to: reproductions name devices ("cuda") and
# Windows paths in passing, so only the rarer, deliberate ones count from the body.
_BODY_HARDWARE = frozenset({"multi-node", "mps", "rocm", "xpu", "tpu"})
# Where a pasted environment begins (it ends at the next heading).
_ENVIRONMENT = re.compile(
    r"^#+\s*(?:versions?|environment|system info|env|collecting environment)"
    r"|^collecting environment information|^\s*-?\s*`?transformers`? version:",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING = re.compile(r"^#+\s", re.MULTILINE)
_BODY_CHARS = 20_000


def classify_issue(issue: Issue, labels: Mapping[str, Label] | Sequence[Label] = ()) -> IssueKinds:
    """The kinds and hardware of one issue, each with its evidence. `labels` are the
    repository's classified labels (their traits apply); unknown labels get the built-in
    vocabulary of the issue's repository."""
    by_name = labels if isinstance(labels, Mapping) else {label.name: label for label in labels}
    kinds: dict[str, str] = {}
    hardware: dict[str, str] = {}
    label_kinds: set[str] = set()
    for name in issue.labels:
        for trait in traits_of(name, issue.repo, by_name):
            if trait.startswith("hardware:"):
                hardware.setdefault(trait.partition(":")[2], f"label {name!r}")
            elif trait in KIND_NAMES:
                kinds.setdefault(trait, f"label {name!r}")
                label_kinds.add(trait)
    title = issue.title or ""
    body = (issue.body or "")[:_BODY_CHARS]
    description = _description(body)
    _text_kinds(kinds, label_kinds, title, body, description)
    if (
        not label_kinds
        and not kinds.keys() & {"docs", "tests", "feature"}
        and _vague(title)
        and _says_nothing(description)
    ):
        # "[BUG]inference Bug" over an empty form: nothing to reproduce yet. A maintainer's
        # label, a request ("Add ONNX export") or a title naming the error says enough.
        kinds.setdefault("needs-repro", "the report says nothing beyond a vague title")
    in_title = False
    for key, pattern in _HARDWARE_TEXT:
        if found := _binding(pattern, title):
            hardware.setdefault(key, f"{found.group(0)!r} in the title")
            in_title = True
    # A title about the CPU ("non-contiguous CPU inputs") is no accelerator's bug: the
    # body names others to compare ("MPS is unaffected") or the reporter's machine.
    if not _cpu_only(title, in_title):
        _description_hardware(hardware, description)
    if not _NAMED_ACCELERATORS & hardware.keys() and (found := _ANY_GPU.search(title)):
        hardware["cuda"] = f"{found.group(0)!r} in the title"
    own = issue.repo.rpartition("/")[2].lower() in GPU_ONLY_LIBRARY_REPOSITORIES
    if not own and not _NAMED_ACCELERATORS & hardware.keys() and not about_the_cpu(title):
        if found := _GPU_LIBRARY_TITLE.search(title):
            hardware["cuda"] = f"{found.group(0)!r} in the title (it runs on NVIDIA GPUs)"
        elif found := _GPU_LIBRARY_CODE.search(description):
            hardware["cuda"] = f"{found.group(0)!r} in the reproduction (it needs an NVIDIA GPU)"
    return IssueKinds(kinds=_ordered(kinds, KIND_NAMES), hardware=_ordered(hardware, HARDWARE))


def about_the_cpu(title: str) -> bool:
    """Whether a title is about the CPU and names no accelerator ("incorrect results for
    non-contiguous CPU inputs"): the GPUs and CUDA kernels its body names are comparisons,
    not the work (see `classify_issue`; difficulty and skills read it the same way)."""
    return _cpu_only(title, any(_binding(pattern, title) for _, pattern in _HARDWARE_TEXT))


def _cpu_only(title: str, names_hardware: bool) -> bool:
    """`about_the_cpu`, given whether the title binds any hardware."""
    return not names_hardware and bool(_CPU_TITLE.search(title)) and not _ANY_GPU.search(title)


def _description_hardware(hardware: dict[str, str], description: str) -> None:
    """Add the hardware a description binds the issue to (the rarer, deliberate words, a
    named NVIDIA GPU, a launcher asked for several GPUs) to what the title bound. Two of
    them named together as places the bug shows up ("on both GCP TPU VMs and on MacOS")
    bind neither: a bug seen everywhere needs no particular machine."""
    found_here: dict[str, re.Match[str]] = {}
    for key, pattern in _HARDWARE_TEXT:
        if (
            key in _BODY_HARDWARE
            and key not in hardware
            and (found := _binding(pattern, description, body=True))
        ):
            found_here[key] = found
    if len(found_here) >= 2 and _EVERYWHERE.search(_span_text(description, found_here.values())):
        found_here = {}
    for key, found in found_here.items():
        hardware.setdefault(key, f"{found.group(0)!r} in the description")
    if "cuda" not in hardware and (found := _binding(_GPU_MODEL, description, body=True)):
        hardware["cuda"] = f"{found.group(0)!r} in the description"
    if "multi-gpu" not in hardware and (found := _GPU_COUNT.search(description)):
        hardware["multi-gpu"] = f"{found.group(0)!r} in the description"


# Words joining places a bug shows up ("on both X and Y", "on X as well as on Y").
_EVERYWHERE = re.compile(r"\bboth\b|\bas\s+well\s+as\b|\band\s+(?:also\s+)?on\b", re.IGNORECASE)


def _span_text(text: str, matches: Iterable[re.Match[str]]) -> str:
    """The text from a little before the first of `matches` to the end of the last."""
    spans = [(m.start(), m.end()) for m in matches]
    return text[max(0, min(s for s, _ in spans) - 20) : max(e for _, e in spans)]


def set_aside_reason(kinds: IssueKinds) -> tuple[SetAsideKind, str] | None:
    """(kind, reason) when an issue is never a plan step, None when it may be one."""
    for kind in SET_ASIDE_KINDS:
        if kind in kinds.kinds:
            return kind, f"{SET_ASIDE_WHY[kind]} ({kinds.kinds[kind]})"
    return None


def missing_hardware(kinds: IssueKinds, have: Iterable[str]) -> list[str]:
    """Hardware the issue needs that the user did not say they have, in HARDWARE order."""
    owned = set(have)
    return [key for key in kinds.hardware if key not in owned]


def hardware_reason(
    kinds: IssueKinds, missing: Sequence[str], option: str = OPTION_WORDS.hardware
) -> str:
    """Why a hardware-bound issue is set aside, with the option (as the caller names it)
    that brings it back."""
    needs = "; ".join(f"{HARDWARE[key]} ({kinds.hardware[key]})" for key in missing)
    return f"needs {needs}: add {option} {','.join(missing)} if you have it"


def parse_hardware(values: Iterable[str]) -> list[str]:
    """The hardware the user has ("cuda", "mps"; and the config's profile.hardware) as
    HARDWARE keys, with what each implies (a cluster has GPUs); InputError names the
    choices for a typo."""
    out: set[str] = set()
    for raw in values:
        for part in raw.split(","):
            word = part.strip().lower().replace("_", "-").replace(" ", "-")
            if not word:
                continue
            key = HARDWARE_ALIASES.get(word.replace("-", ""), HARDWARE_ALIASES.get(word, word))
            if key not in HARDWARE:
                choices = ", ".join(HARDWARE)
                raise InputError(
                    "hardware", f"{part.strip()!r} is not known; use some of: {choices}"
                )
            out.add(key)
            out.update(HARDWARE_IMPLIES.get(key, ()))
    return [key for key in HARDWARE if key in out]


def is_beginner_labelled(issue: Issue, labels: Mapping[str, Label]) -> bool:
    """True when a maintainer marked the issue for newcomers (a beginner-trait label)."""
    return any("beginner" in traits_of(name, issue.repo, labels) for name in issue.labels)


# --------------------------------------------------------------------------- helpers
def _text_kinds(
    kinds: dict[str, str], from_labels: set[str], title: str, body: str, description: str
) -> None:
    """Kinds from the title and body, never against what a label says: a "How to" title is
    a question unless a label calls it a bug, feature or docs."""
    code_kind_label = bool(from_labels & {"bug", "feature", "docs", "tests", "performance"})
    found = _TRACKING_TITLE.search(title) or _META_TAG.search(title)
    if found:
        kinds.setdefault("tracking", f"{found.group(0).strip()!r} in the title")
    elif roadmap := _roadmap(title):
        kinds.setdefault("tracking", f"{roadmap!r} in the title")
    elif _TRACKING_BODY.search(body) and len(_CHECKLIST.findall(body)) >= 3:
        kinds.setdefault("tracking", "the body tracks a checklist of tasks")
    elif _TASKLIST.search(body):
        kinds.setdefault("tracking", "the body holds a GitHub tasklist of issues")
    elif (tasks := len(_TASK.findall(description))) >= MIN_TRACKED_TASKS:
        kinds.setdefault("tracking", f"the description lists {tasks} tasks to check off")
    found = _RFC_TITLE.search(title)
    if found:
        kinds.setdefault("rfc", f"{found.group(0).strip()!r} in the title")
    if not code_kind_label and (found := _RELEASE_REQUEST.search(title)):
        request = found.group(0).strip()
        kinds.setdefault("question", f"the title asks the maintainers for a release: {request!r}")
    bug_report = _BUG_BODY.search(body) or (
        ("Error: " in body or "Exception: " in body) and _QUOTED_ERROR.search(body)
    )
    # Filed as a feature request: by its template, or tagged so by its reporter ("[FEA]",
    # "FR: Add an equivalent to R's forecast.stlm"), however it asks.
    feature_template = _FEATURE_BODY.search(body)
    feature_request = feature_template or feature_tag(title)
    if not code_kind_label and not bug_report and not feature_request:
        found = _QUESTION_TITLE.search(title) or _QUESTION_WORDS.search(title)
        if found:
            kinds.setdefault("question", "the title asks a question")
        elif _QUESTION_BODY.search(body):
            kinds.setdefault("question", "filed with the questions template")
        elif not _BUG_TITLE.search(title) and (asked := _ASKS.search(without_code_blocks(description))):
            asks = safe_line(asked.group(0).lstrip(' \n.!?:-*"'), 80)
            kinds.setdefault("question", f"the description asks {asks!r}")
    if "question" in kinds and "question" not in from_labels:
        return
    found = docs_title(title)
    if found:
        kinds.setdefault("docs", f"{found.group(0)!r} in the title")
    found = _TESTS_TITLE.search(title)
    if found:
        kinds.setdefault("tests", f"{found.group(0)!r} in the title")
    found = _PERF_TITLE.search(title)
    if found:
        kinds.setdefault("performance", f"{found.group(0)!r} in the title")
    if feature_template:
        kinds.setdefault("feature", "filed with the feature-request template")
    found = _FEATURE_TITLE.search(title)
    # "Add type hints to ...", "Add a docstring example": upkeep, not a feature.
    if found and "bug" not in from_labels and not ({"docs", "tests"} & kinds.keys()):
        kinds.setdefault("feature", f"{found.group(0).strip()!r} in the title")
    if bug_report and "feature" not in from_labels:
        kinds.setdefault("bug", "a bug report (template or traceback)")
    found = _BUG_TITLE.search(title)
    if found and "feature" not in from_labels:
        kinds.setdefault("bug", f"{found.group(0)!r} in the title")


# What a report holds that is no words of its reporter: HTML comments (to their end, or
# the report's), headings, a form's bold field names and "_No response_" answers,
# checkboxes. (A bare link stays: a Colab or gist may be the whole reproduction.)
_NO_WORDS = re.compile(
    r"<!--.*?(?:-->|\Z)|^[ \t]*#+[^\n]*|^[ \t]*\*\*[^*\n]+\*\*:?[ \t]*$|_no response_"
    r"|^[ \t]*[-*][ \t]+\[[ xX]\][^\n]*",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
MIN_REPORT_CHARS = 20  # letters and digits: fewer, and the report is its title alone
MIN_TITLE_WORDS = 4  # fewer, and a title alone says too little ("inference Bug")


def _vague(title: str) -> bool:
    """A title of fewer than MIN_TITLE_WORDS words once its tags (`[BUG]`) are left out,
    none of them code (`KeyError: 'labels'`, `model.fit`, `load_state`): "inference Bug"
    says no more than an empty form does."""
    words = re.sub(r"\[[^\]]*\]", " ", title).split()
    return len(words) < MIN_TITLE_WORDS and not _CODE_WORD.search(" ".join(words))


_CODE_WORD = re.compile(r"[_.():'`]|[a-z][A-Z]")


def _says_nothing(description: str) -> bool:
    """Whether a description (the body without its pasted environment) holds fewer than
    MIN_REPORT_CHARS letters and digits of the reporter's own once a template's headings,
    field names and comments are left out; a code block is never nothing (`repro()` may
    be the whole reproduction)."""
    if "```" in description or "~~~" in description:
        return False
    words = _NO_WORDS.sub(" ", description[:4000])
    return sum(ch.isalnum() for ch in words) < MIN_REPORT_CHARS


def _description(body: str) -> str:
    """The body without its pasted environment: the setup sections and reports that
    `evidence.without_setup` finds ("**ds_report output in SLURM**", a code block of
    `collect_env` output), and a Versions or System Info section, which runs to the next
    heading (accelerate's template opens with System Info, then Reproduction) or to the end
    of the body when no heading follows (PyTorch's ends with Versions)."""
    body = without_setup(body)
    kept: list[str] = []
    at = 0
    for found in _ENVIRONMENT.finditer(body):
        if found.start() < at:
            continue
        kept.append(body[at : found.start()])
        following = _HEADING.search(body, found.end())
        at = following.start() if following else len(body)
    kept.append(body[at:])
    return "".join(kept)


def _ordered(found: dict[str, str], order: Mapping[str, str]) -> dict[str, str]:
    return {key: found[key] for key in order if key in found}
