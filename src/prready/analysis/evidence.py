"""Pull evidence out of an issue's text: file paths, stack-trace frames, dotted API names,
imports in code blocks and plain words, so the mapping can say *why* a module was chosen.

Text-level only: nothing here knows the code map. `prready.analysis.mapping` resolves
what is found here against the map's paths, symbols and module names.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

# An identifier and its parts exactly as the lexicon splits them (one definition).
from prready.analysis.lexicon import IDENTIFIER, IDENTIFIER_PARTS, query_terms, stem
from prready.analysis.lexicon import _compiled as lexicon_compiled

# Bodies can be megabytes of pasted logs; evidence is in the first part, and regexes over
# hostile input must stay bounded.
MAX_TEXT = 60_000

SOURCE_SUFFIXES = ("py", "pyi", "c", "cc", "cpp", "cxx", "cu", "cuh", "h", "hpp", "pyx")
# Files that are not code but are often the whole point of an issue (a typo in the docs, a
# wrong CI setting); mapping keeps them when the repository tracks them.
DOC_SUFFIXES = ("md", "mdx", "rst", "txt", "ipynb", "yml", "yaml", "toml", "cfg", "ini", "json")
FILE_SUFFIXES = SOURCE_SUFFIXES + DOC_SUFFIXES
# Source suffixes no attribute is named (`model.h` may be one: GPT-2's blocks).
_FILE_ONLY_SUFFIXES = frozenset(SOURCE_SUFFIXES) - {"c", "h"}

# Common import aliases in ML code. "{pkg}" is the repository's own top-level package, so
# `F.relu` means torch.nn.functional.relu in PyTorch and tinyml.nn.functional.relu in a
# library that mirrors its layout. Aliases defined by imports in the issue win over these.
DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "F": ("{pkg}.nn.functional",),
    "nn": ("{pkg}.nn",),
    "optim": ("{pkg}.optim",),
    "dist": ("{pkg}.distributed",),
    "autograd": ("{pkg}.autograd",),
    "linalg": ("{pkg}.linalg",),
    "data": ("{pkg}.utils.data", "{pkg}.data"),
    "np": ("numpy",),
    "tf": ("tensorflow",),
    "jnp": ("jax.numpy",),
    "pd": ("pandas",),
    "plt": ("matplotlib.pyplot",),
}

# Libraries an issue names that are never the repository's own unless it is one of them
# (`np.zeros` is NumPy's): a name they start is not looked for inside the repository by
# its ending (`numpy.zeros` is not `jax.numpy.zeros`).
OTHER_LIBRARIES = frozenset(
    {alias.split(".", 1)[0] for targets in DEFAULT_ALIASES.values() for alias in targets}
    - {"{pkg}"}
    | {"scipy", "sklearn", "torch", "keras", "transformers"}
)

# A library another one ships under its own name (TensorFlow's `tf.keras` is Keras): in
# the shipped library's repository, a name written that way is its own.
SHIPPED_AS = {"tensorflow.keras": "keras"}

_FRAME = re.compile(
    r'File "(?P<path>[^"\n]{1,400})", line (?P<line>\d{1,7})(?:, in (?P<func>[A-Za-z_]\w{0,80}))?'
)
# A frame of a traceback printed by IPython (a notebook's, Colab's): IPython 8 writes
# `File /usr/.../keras/src/trainers/trainer.py:1234, in Trainer.fit(self, x)`, IPython 7
# and older `/usr/.../keras/engine/training.py in fit(self, x)`, the frame's line then marked
# `---> 1234` in the lines shown below it. A notebook's cell (`Cell In[3], line 5`,
# `<ipython-input-3-...> in <module>()`) is no file, nor is a sentence ("the bug is in
# torch/nn/functional.py in interpolate()": IPython's paths are absolute, or under `~`).
# IPython 8 names a function by its qualified name (`Trainer.fit`,
# `filter_traceback.<locals>.error_handler`, as Keras' frames read) and a module's code by
# none (`File ~/x.py:3` alone on its line).
# IPython's paths are absolute or under `~`: IPython 8's may hold spaces (it ends at
# `.py:N`), IPython 7's a Windows one only (it ends at `.py in`).
_IPYTHON8_PATH = r"(?:[/~]|[A-Za-z]:[\\/])[^\n]{0,400}?\.py"
_IPYTHON7_PATH = r"(?:[/~]\S{0,400}?|[A-Za-z]:[\\/][^\n\"<]{0,400}?)\.py"
_NOTEBOOK_FRAME = re.compile(
    rf"^[ \t>]*(?:File[ ](?P<path>{_IPYTHON8_PATH}):(?P<line>\d{{1,7}})"
    r"(?:,[ ]in[ ](?P<qualname>[\w.<>]{1,200})\(|[ \t]*$)"
    rf"|(?P<bare>{_IPYTHON7_PATH})[ ]in[ ]"
    r"(?P<func>[\w.<>]{1,200})(?:\(|(?<=<module>)[ \t]*$))",
    re.MULTILINE,
)
# A whole line of a frame's header, as Python or IPython prints it: what a pasted log
# names on its way to the error, not names the reporter wrote (see `difficulty`).
FRAME_LINE = re.compile(
    r"^[ \t>]*(?:File[ ]\"[^\"\n]*\",[ ]line[ ]\d"
    rf"|File[ ]{_IPYTHON8_PATH}:\d{{1,7}}(?:,[ ]in[ ]|[ \t]*$)"
    rf"|{_IPYTHON7_PATH}[ ]in[ ][\w<]).*$",
    re.MULTILINE,
)
_NOTEBOOK_HINTS = (".py:", ".py in ")  # what a text holding such a frame holds
# IPython marks a frame's line `---->  12`, `--> 1234`, `> 10234` (its arrow shortens as
# the number grows).
_MARKED_LINE = re.compile(r"^-*>[ ]{0,3}(?P<line>\d{1,7})(?P<code>[^\n]{0,400})", re.MULTILINE)
# What Python and IPython print around every traceback, whatever the error: neither the
# reporter's words nor the code's. Read as the issue's, "traceback", "recent" and "call"
# point at whatever code handles tracebacks (a traceback filter's module), in every issue
# that pastes one.
# (The two sentences that join a chained exception's tracebacks: see `_in_stack_order`.)
_DURING_HANDLING = (
    r"During[ ]handling[ ]of[ ]the[ ]above[ ]exception,[ ]another[ ]exception[ ]occurred"
)
_DIRECT_CAUSE = (
    r"The[ ]above[ ]exception[ ]was[ ]the[ ]direct[ ]cause[ ]of[ ]the[ ]following[ ]exception"
)
_TRACEBACK_PRINTS = re.compile(
    rf"Traceback[ ]\(most[ ]recent[ ]call[ ]last\)|{_DURING_HANDLING}|{_DIRECT_CAUSE}"
    r"|Cell[ ]In[ ]?\[\d{1,6}\],[ ]line[ ]\d{1,7}|<ipython-input-[\w-]{1,80}>"
)
_TRACEBACK_PRINT_HINTS = ("most recent call", "above exception", "Cell In", "<ipython-input-")
# A path as written: relative (`torch/nn/functional.py:12`), absolute as a warning or a
# log prints it (`/opt/conda/lib/python3.10/site-packages/accelerate/accelerator.py:1234:
# FutureWarning`, a C++ `[Fatal] ... /src/c_api.cpp:348`), or Windows' (`C:\\...\\x.py`);
# `_path_in_repo` reads an absolute one by the repository path it ends with.
_PATH = re.compile(
    r"(?<![\w/\\.:-])(?P<path>(?:[A-Za-z]:)?[/\\]?(?:[\w.-]+[/\\])*[\w.-]+\.(?:"
    + "|".join(FILE_SUFFIXES)
    + r"))(?::(?P<line>\d{1,7}))?(?![\w/\\])"
)
# A directory path with at least two segments ending in a slash: "aten/src/ATen/native/".
_DIR = re.compile(r"(?<![\w/.:-])(?P<path>[A-Za-z_][\w-]*(?:/[\w-]+)+)/(?![\w])")
# What every match of _PATH / _DIR holds (a suffix ending a name; a name's closing slash):
# a text without it is not searched with the pattern, which tries every word's start.
_PATH_HINT = re.compile(r"\.(?:" + "|".join(FILE_SUFFIXES) + r")(?![\w/])")
_DIR_HINT = re.compile(r"/(?!\w)(?<=[\w-]/)")  # (a slash first: found by a C-level search)
_DOTTED = re.compile(
    r"(?<![\w.])(?P<name>[A-Za-z_]\w{0,60}(?:\.[A-Za-z_]\w{0,60}){1,8})(?P<call>\()?"
)
_FENCE = re.compile(r"```[^\n]*\n(?P<code>.*?)(?:```|\Z)", re.DOTALL)
_IMPORT = re.compile(
    r"^\s*(?:>>>\s*)?import\s+(?P<mods>[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)",
    re.MULTILINE,
)
_FROM_IMPORT = re.compile(
    r"^\s*(?:>>>\s*)?from\s+(?P<mod>[\w.]+)\s+import\s+\(?(?P<names>[\w\s,]+?)\)?\s*$",
    re.MULTILINE,
)
# A script run from a command line (`python3 train.py --model x`, `torchrun --nproc_per_node 2
# examples/run.py`; a flag's value is no script): where the reporter started, not where the
# fault is.
_RUN = re.compile(
    r"(?<![\w-])(?:python[\d.]*|torchrun|accelerate[ \t]+launch|deepspeed)"
    r"(?:[ \t]+-{1,2}[\w-]+(?:=\S*|[ \t]+[^\s-]\S*(?<!\.py))?)*"
    r"[ \t]+(?P<path>[\w./-]{1,300}\.py)(?![\w/])"
)
_URL = re.compile(r"https?://\S+")
# A change of the repository named in an issue: a pull request or issue by number (`PR
# #2628`, `PR#2628`, `(#4480, #4503)`, `o/tinyml#2628` when the repository is this one's
# name; not `gh-104584`, CPython's way of naming its own issues), a link to one or to a
# commit, or a commit's id standing alone (7-40 hex digits, letters and digits both:
# `since commit e18a94f`). Not a number another repository's (`other/lib#77`),
# a character reference (`&#123;`), a colour (`color:#333`), nvcc's `warning #68-D`, a
# native stack's frame (`frame #12: c10::...`, gdb's and ASAN's `#3  0x7f... in f`); not an
# id inside a word, a path, a version (`+git8f1a2b3`), an install (`@abc1234`), a uuid or
# an address (`0x...`). Three patterns, each run only on a text that may hold a match (one
# alternation scans far slower).
_NUMBER_REF = re.compile(
    r"(?:(?<![\w.-])[\w.-]{1,100}/(?P<name>[\w.-]{1,100})#|(?<![\w&#/:=\"'-])#"
    r"|(?<![\w.-])[Pp][Rr]#)"
    r"(?P<number>\d{2,7})(?![\w-])"
)
_NATIVE_FRAME_AFTER = re.compile(r"[ \t]+(?:0x[0-9a-fA-F]|[\w:~<>]+[ ]\()")
_CHANGE_LINK = re.compile(
    r"https?://github\.com/[\w.-]+/(?P<repo>[\w.-]+)/"
    r"(?:(?:pull|issues)/(?P<number>\d{1,7})(?:/commits/(?P<commit>[0-9a-fA-F]{7,40}))?"
    r"|commit/(?P<sha>[0-9a-fA-F]{7,40}))",
    re.IGNORECASE,
)
# (A commit link's id, for the query to leave out: `.../commit/<sha>`, `.../commits/<sha>`.)
_LINKED_COMMIT_ID = re.compile(
    r"(?<=/commit/)[0-9a-fA-F]{7,40}\b|(?<=/commits/)[0-9a-fA-F]{7,40}\b"
)
_HEX_RUN = re.compile(r"[0-9a-f]{7,40}(?![\w-])")  # (what comes before is checked apart)
_NOT_BEFORE_ID = frozenset("_/.#@+-")
_HEX_LETTER = re.compile(r"[a-fA-F]")
_DIGIT = re.compile(r"\d")
# A commit's id names the change at fault only when the text says so: it is the version
# a reporter runs as often (`latest commit f257636d`, `(commit 9a13ab5)` after a file they
# point at, `commit 1bc27939 and 3.0.0 from pypi`). Words within a line's reach of it:
_BLAME = re.compile(
    r"since|introduc|\bbr(?:oke|eak)|regress|bisect|\bcaus|culprit|\brevert|\bblame|first bad"
    r"|due to|because of|\brequir|\brel(?:y|ies|ied)\b|\bchanged\b|\badded\b|\bremoved\b",
    re.IGNORECASE,
)
BLAME_REACH = 80  # characters either side of a commit's id, on its line
_NUMBER_HINT = re.compile(r"#\d")
_WORDS_BEFORE = re.compile(r"[\w.-]+")
_REFERENCE_WORDS = frozenset({"pr", "pull", "request", "issue", "in", "see", "at", "by", "from"})
_DIGIT_INSIDE = re.compile(r"[a-z]\d+[a-z]")
_HEX = re.compile(r"[0-9a-f]+")  # (a commit's id is no project's name)
# A link to a file or folder of a repository on GitHub (the reporter pointing at the code:
# `https://github.com/o/r/blob/main/src/pkg/x.py#L120`); a branch name holding a slash
# leaves its tail in the path, which the repository path it ends with still resolves.
_GITHUB_LINK = re.compile(
    r"https?://github\.com/[\w.-]+/[\w.-]+/(?P<kind>blob|tree)/[^\s/]+/"
    r"(?P<path>[^\s#?)\]>\"'`]{1,400})(?:#L(?P<line>\d{1,7}))?"
)
# What an issue template asks about the reporter's setup rather than the bug: a section
# under such a heading (to the next heading), and the lines environment reports print
# wherever they are pasted. PyTorch's `collect_env` (`Is XNNPACK available: True`,
# `MIOpen runtime version: N/A`, lscpu's `Flags: ... avx512f ...`), `accelerate env`
# (`- distributed_type: MULTI_GPU`), `transformers-cli env`, DeepSpeed's `ds_report`
# (`cpu_adam ....... [NO] ....... [OKAY]`), Lightning's commented
# template (`#- Lightning Component (e.g. Trainer, LightningModule, ...)`) and the
# Hugging Face templates' checkboxes (`- [X] The official example scripts`) name the
# library's own words in every report; read as the issue's, they point at its
# environment and launch code whatever the bug.
# A line of code or of a traceback: a block holding one is the reporter's, never a report.
_CODE_LINE = (
    r"[ \t]*(?:import[ \t]|from[ \t]+[\w.]+[ \t]+import[ \t]|>>>"
    r"|Traceback[ \t]\(most[ \t]recent|File[ \t]\"[^\"\n]+\",[ \t]line[ \t]\d"
    r"|[^\n]*?\w(?:Error|Exception):)"
)
_SETUP_SECTION = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]+|\*\*)(?:system[ \t]info(?:rmation)?|(?:current[ \t]|your[ \t])?"
    r"environment(?:[ \t](?:info(?:rmation)?|details))?|versions?|information|tasks|desktop|"
    r"who[ \t]can[ \t]help|ds_report[ \t]output[^*\n]{0,40})(?:[ \t]*\([^)\n]{0,100}\))?"
    r"[ \t:?.]*(?:\*\*[ \t:.]*)?\n"
    # Its lines to the next heading or code block; a code block that holds no code or
    # traceback (a report, `pip list`, a `wget` of collect_env.py with a `# comment` that
    # is no heading) is the section's too.
    r"(?:[ \t]{0,3}(?:```|~~~)[^\n]*\n"
    r"(?:(?![ \t]{0,3}(?:```|~~~))(?!" + _CODE_LINE + r")[^\n]*\n)*"
    r"[ \t]{0,3}(?:```|~~~)[^\n]*(?:\n|\Z)"
    r"|(?![ \t]{0,3}(?:#{1,6}[ \t]|\*\*[^*\n]{1,80}\*\*|```|~~~))[^\n]*(?:\n|\Z))*",
    re.IGNORECASE | re.MULTILINE,
)
_SETUP_LINE = re.compile(
    r"^[ \t>]*(?:[-*+#][ \t]*)*(?:\[(?:pip\d?|conda)\][ \t]"
    r"|`?[A-Za-z][\w .()/+-]{0,40}?`?[ \t]+[Vv]ersions?(?:[ \t]*\([^)\n]{0,40}\))?[ \t]*:"
    r"|Collecting[ \t]environment[ \t]information"
    r"|Using[ \t][\w -]{1,60}[ \t]in[ \t]script\?[ \t]*:"  # transformers' `env`
    r"|(?:Is[ \t][\w .]{1,30}?|[\w ]{1,30}?[ \t]used[ \t]to[ \t]build[ \t]\w+|OS|Libc"
    r"|Python[ \t]platform|GPU[ \t]models[ \t]and[ \t]configuration|GPU[ \t]type"
    r"|Desktop[^:*\n]{0,60}"  # timm's form: **Desktop (please complete ...):** kaggle tpu
    r"|System[ \t]RAM|Platform|CUDA_MODULE_LOADING[ \t]set[ \t]to|Architecture"
    r"|CPU[ \t]op-mode\(s\)|Byte[ \t]Order|Address[ \t]sizes|(?:On-line[ \t])?CPU\(s\)"
    r"(?:[ \t]list)?|Vendor[ \t]ID|Model[ \t]name|CPU[ \t]family|Thread\(s\)[ \t]per"
    r"[ \t]core|Core\(s\)[ \t]per[ \t](?:socket|cluster)|Socket\(s\)|Stepping|BogoMIPS"
    r"|Flags|Virtualization(?:[ \t]type)?|Hypervisor[ \t]vendor|L[123][di]?[ \t]cache"
    r"|NUMA[ \t]node[\w() ]{0,20}|Vulnerability[ \t][\w ]{1,40}|CPU[ \t](?:max|min)"
    r"[ \t]MHz|Frequency[ \t]boost|Versions[ \t]of[ \t]relevant[ \t]libraries)[ \t]*:"
    r"|[^\n]{0,60}?[ \t]\.{4,}[ \t])"  # a report's dot leaders: `cpu_adam ..... [OKAY]`
    r"[^\n]*\n?",
    re.MULTILINE,
)


# A fenced code block, and the first lines of what environment reports print: PyTorch's
# `collect_env`, DeepSpeed's `ds_report`, the Hugging Face libraries' `env` commands,
# `jax.print_environment_info()`, `nvidia-smi`, pandas' and scikit-learn's `show_versions()`,
# Lightning's `collect_env_details.py`, `pip list` / `pip freeze` / `conda list`.
_CODE_BLOCK = re.compile(  # (an unclosed one runs to the end, as GitHub shows it)
    r"^[ \t]{0,3}(?P<fence>```|~~~)[^\n]*(?:\n|\Z)"
    r"(?P<code>(?:(?![ \t]{0,3}(?P=fence))[^\n]*\n)*(?:(?![ \t]{0,3}(?P=fence))[^\n]+\Z)?)"
    r"(?:[ \t]{0,3}(?P=fence)[ \t]*(?:\n|\Z)|\Z)",
    re.MULTILINE,
)
_REPORT_START = re.compile(
    r"Collecting environment information|DeepSpeed C\+\+/CUDA extension op report"
    r"|DeepSpeed general environment info|Copy-and-paste the text below in your GitHub issue"
    r"|^[ \t]*jaxlib:[ \t]|NVIDIA-SMI[ \t]+\d|^INSTALLED VERSIONS|^Python dependencies:"
    r"|^\*[ \t](?:CUDA|Lightning|Packages|System):[ \t]*$"  # Lightning's collect_env_details
    r"|\b(?:pip3?|conda)[ \t]+(?:list|freeze)\b|^Package[ \t]+Version[ \t]*$",  # installed packages
    re.MULTILINE,
)
_REPORT_FIRST_LINES = 4  # a report opens in a block's first lines (ds_report: a log line first)
_HAS_CODE = re.compile("^" + _CODE_LINE, re.MULTILINE)
# A report's own lines, for a block's share: `_SETUP_LINE` less comments and dot leaders
# (a `# torch version: 2.1` comment heads a reproduction; pytest and config dumps print
# dot leaders).
_REPORT_LINE = re.compile(r"^(?![ \t>]*#)(?![^\n]*\.{4,})" + _SETUP_LINE.pattern, re.MULTILINE)
_REPORT_LINES = 3  # a block is a report when more than half its lines, and this many, are


def without_setup(body: str) -> str:
    """`body` without what its template asks about the reporter's setup (see
    `_SETUP_SECTION`): the sections under such headings, code blocks holding an
    environment report (one's first lines, or mostly its lines) and environment reports'
    lines wherever else they are."""
    body = body.replace("\r\n", "\n")  # (GitHub keeps a browser's line ends)
    if "```" in body or "~~~" in body:
        body = _CODE_BLOCK.sub(_unless_report, body)
    if "#" in body or "**" in body:  # (a heading's marks)
        body = _SETUP_SECTION.sub("", body)
    return _SETUP_LINE.sub("", body)


def _unless_report(block: re.Match[str]) -> str:
    """A code block as it is, "" when it holds an environment report (one opens in its
    first lines, or more than half its lines are a report's) and no code or traceback,
    or the block up to a report pasted after the reporter's code in it."""
    code = block.group("code")
    start = _REPORT_START.search(code)
    has_code = _HAS_CODE.search(code)
    if start is not None:
        before = sum(1 for line in code[: start.start()].split("\n") if line.strip())
        if has_code is None and before < _REPORT_FIRST_LINES:
            return ""
        if has_code is not None and has_code.start() < start.start():
            cut = code.rfind("\n", 0, start.start()) + 1
            head = block.group(0)[: block.start("code") - block.start() + cut]
            return head + block.group("fence") + "\n"
        return block.group(0)
    if has_code is None:
        lines = sum(1 for line in code.split("\n") if line.strip())
        report = len(_REPORT_LINE.findall(code))
        if report >= _REPORT_LINES and report > lines / 2:
            return ""
    return block.group(0)


# What a process says when native code crashed under it: the fault is in compiled code
# (a C++ kernel, a C API), whatever Python call the reproduction made.
_NATIVE_CRASH = re.compile(
    r"\b(?:segmentation\s+fault|segfault(?:s|ed)?|SIG(?:SEGV|ABRT|BUS|FPE|ILL)\b|core dumped|"
    r"AddressSanitizer|illegal memory access|double free or corruption|stack smashing|"
    r"device-side assert|Floating point exception|Illegal instruction|access violation|"
    r"EXC_BAD_ACCESS|terminate called after throwing|(?-i:Bus error|Check failed:))",
    re.IGNORECASE,
)
# A word of each of its branches, lower case: an ASCII text that holds none of them once
# lower-cased is not searched with the pattern (which tries each word's start in turn).
# (Not a text with other characters: IGNORECASE also takes `ſ` for an `s`.)
_NATIVE_CRASH_WORDS = (
    "segmentation", "segfault", "sigsegv", "sigabrt", "sigbus", "sigfpe", "sigill",
    "core dumped", "addresssanitizer", "illegal memory access", "double free or corruption",
    "stack smashing", "device-side assert", "floating point exception",
    "illegal instruction", "access violation", "exc_bad_access",
    "terminate called after throwing", "bus error", "check failed:",
)  # fmt: skip
_RELATIVE = re.compile(r"^(?:\.\.?/)+")


@dataclass(frozen=True)
class Frame:
    path: str  # as written in the trace (often absolute, inside site-packages)
    line: int
    position: int  # 0 = outermost frame (the text's order, but a chained cause's: `_frames`)
    function: str = ""  # the frame's function ("interpolate"; "" for "<module>" or unknown)
    hands_on: str = ""  # "call" or "error" when its line only hands that on (`hands_on`)


# A frame's line that only hands on what it was given. A call of another function with the
# packed arguments it took (`return func(*args, **kwargs)`, a decorator's wrapper; `return
# forward_call(*args, **kwargs)`) is a layer the call passed through: what called it is
# where the repository's code was. A caught error raised again (`raise`, `raise e`, `raise
# e.with_traceback(filtered_tb) from None`, a traceback filter's) arose in frames this
# traceback does not show. A new error (`raise ValueError(...)`, `raise KeyError(key) from
# None`) is neither, and so is one that wraps the caught error (`raise RuntimeError(f"applying
# {t}") from e`: such a wrapper names what failed, and on the one real case measured,
# MONAI #5712, it was the better pointer; see bench/traceback_set/).
_KWARGS = r"\*\*(?:[A-Za-z_]\w{0,40}|\([ \t]*[A-Za-z_]\w{0,40}[ \t]+or[ \t]+\{\}[ \t]*\))"
_FORWARDS_CALL = re.compile(
    r"(?:return[ \t]+|yield[ \t]+from[ \t]+|[\w.]{1,80}[ \t]*=[ \t]*)?(?:await[ \t]+)?"
    r"(?:super\(\)\.)?[\w.]{1,200}\((?:[ \t]*(?:self|cls)[ \t]*,)?[ \t]*"
    rf"(?:\*[A-Za-z_]\w{{0,40}}(?:[ \t]*,[ \t]*{_KWARGS})?|{_KWARGS})"
    r"[ \t]*,?[ \t]*\)"
)
_RAISES_AGAIN = re.compile(
    r"raise(?:[ \t]+[a-z_]\w{0,40}(?:\.with_traceback\([\w.]{0,80}\))?"
    r"(?:[ \t]+from[ \t]+(?:None|[a-z_]\w{0,40}))?)?"
)


def hands_on(code: str) -> str:
    """What a frame's source line only hands on (see `_FORWARDS_CALL`): "call" (`return
    func(*args, **kwargs)`), "error" (`raise e.with_traceback(tb)`), else ""."""
    code = code.strip()
    if _FORWARDS_CALL.fullmatch(code):
        return "call"
    return "error" if _RAISES_AGAIN.fullmatch(code) else ""


_TITLE_WORD = re.compile(r"[A-Za-z_]\w*")


@dataclass
class IssueEvidence:
    """Everything found in one issue's title and body, before resolution."""

    paths: list[tuple[str, int | None]] = field(default_factory=list)  # (path, line)
    frames: list[Frame] = field(default_factory=list)
    apis: list[str] = field(default_factory=list)  # dotted names, aliases expanded
    called: set[str] = field(default_factory=set)  # the subset written as calls `f(...)`
    imports: list[str] = field(default_factory=list)  # modules imported in code blocks
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> dotted module
    # Code names written without any package (`MessagePassing`, `get_val_by_key`): a
    # CamelCase or snake_case identifier standing alone, not part of a dotted name; those
    # of the title (the issue's subject) apart from the body's.
    names: list[str] = field(default_factory=list)
    title_names: set[str] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)  # every identifier-like word of it
    ran: set[str] = field(default_factory=set)  # paths run as scripts (`python x.py`)
    crash: str = ""  # the words reporting a crash in native code ("segmentation fault")
    # Changes of the repository the reporter names, in the text's order: `#2628` (a pull
    # request or an issue) and commit ids as written (`e18a94f`).
    changes: list[str] = field(default_factory=list)


def extract_evidence(title: str, body: str, *, package: str = "", repo: str = "") -> IssueEvidence:
    """Find paths, frames, API names, imports and named changes in an issue (its words are
    the lexicon's: `analysis.lexicon`); `package` is the repository's main top-level
    package, used to expand default aliases like `F.`; `repo` ("owner/name") tells its
    own pull requests' links from other repositories'."""
    title = (title or "")[:1000]
    body = (body or "")[:MAX_TEXT]
    found = IssueEvidence()
    code = "\n".join(m.group("code") for m in _FENCE.finditer(body))
    imports, found.aliases = _imports_and_aliases(code + "\n" + _doctest_lines(body))
    found.imports = [own_name(name, package) for name in imports]
    text_no_urls = _URL.sub(" ", body)
    found.frames = _frames(text_no_urls)
    frame_paths = {f.path for f in found.frames}
    found.paths = _paths(title + "\n" + text_no_urls, frame_paths)
    if "github.com/" in title or "github.com/" in body:
        linked = _linked_paths(title + "\n" + body)
        found.paths = [*linked.items(), *((p, n) for p, n in found.paths if p not in linked)]
    if ".py" in text_no_urls:
        found.ran = {_RELATIVE.sub("", m.group("path")) for m in _RUN.finditer(text_no_urls)}
    # Import lines are evidence of their own (weaker); keep them out of the API names.
    no_imports = _IMPORT.sub(" ", _FROM_IMPORT.sub(" ", text_no_urls))
    found.apis, found.called = _apis(title + "\n" + no_imports, found.aliases, package)
    written = {api.rsplit(".", 1)[-1] for api in found.apis}
    found.names = [n for n in _bare_names(title + "\n" + no_imports) if n not in written]
    found.title_names = set(_bare_names(title))
    found.title_words = set(_TITLE_WORD.findall(title))
    found.crash = native_crash(title + "\n" + text_no_urls)
    found.changes = _named_changes(title + "\n" + body, repo, imports, package)
    return found


def native_crash(text: str) -> str:
    """The words of `text` reporting a crash in native code ("segmentation fault"), or ""."""
    if text.isascii():
        lower = text.lower()
        if not any(word in lower for word in _NATIVE_CRASH_WORDS):
            return ""
    crash = _NATIVE_CRASH.search(text)
    return "" if crash is None else " ".join(crash.group(0).split())


def words_as_written(
    terms: Iterable[str],
    title: str,
    body: str,
    memo: dict[str, tuple[str, tuple[tuple[str, str], ...]]] | None = None,
    compiled: Any = lexicon_compiled,
) -> dict[str, str]:
    """Each lexical term (a stem such as "siz", a compound such as
    "findexecutablebatchsize", see `lexicon.split_identifier`) -> the word as the issue
    wrote it ("sizes", "find_executable_batch_size"), for evidence a person reads: a word
    standing alone first, then a whole identifier, then the part of one. A term the text
    does not hold is left out. `memo` keeps each token's words for the next call (a
    caller quoting many issues passes one along: issues repeat their words). `compiled`:
    the C speed-up, which walks the tokens (None: this loop)."""
    wanted = set(terms)
    memo = {} if memo is None else memo
    # Each distinct token once, in order: a repeat adds nothing to what its first use found.
    tokens = dict.fromkeys(IDENTIFIER.findall(f"{title}\n{body}"))  # the text the query read
    if compiled is not None:  # the same walk, in C
        return compiled.as_written(tokens, wanted, memo, _token_words)
    alone: dict[str, str] = {}
    other: dict[str, str] = {}
    known = memo.get
    for token in tokens:
        if not wanted:
            break
        words = known(token)
        if words is None:
            words = memo[token] = _token_words(token)
        compound, pairs = words
        if compound and compound in wanted and compound not in other:
            other[compound] = token
        if len(pairs) == 1:
            term = pairs[0][0]
            if term in wanted:
                alone[term] = token
                wanted.discard(term)  # a word standing alone is the best quote
            continue
        for term, part in pairs:
            if term in wanted and term not in other:
                other[term] = part
    return {**other, **alone}


def _token_words(token: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(the compound, or "" for a token of one part; (term, part as written) per part)."""
    parts = [p for p in IDENTIFIER_PARTS.findall(token) if not p.isdigit()]
    compound = token.strip("_").replace("_", "").lower() if len(parts) > 1 else ""
    return compound, tuple([(stem(p.lower()), p) for p in parts])


def expand_alias(name: str, aliases: dict[str, str], package: str) -> list[str]:
    """Return the full dotted names `name` may stand for (itself first when unaliased)."""
    head, _, rest = name.partition(".")
    if head in aliases:
        return [_join(aliases[head], rest)]
    if head in DEFAULT_ALIASES and head != package:
        out = []
        for target in DEFAULT_ALIASES[head]:
            if "{pkg}" in target and not package:
                continue
            out.append(_join(target.replace("{pkg}", package), rest))
        return out or [name]
    return [name]


def own_name(name: str, package: str) -> str:
    """`name` as the repository of `package` spells it: `tensorflow.keras.layers.Dense` is
    `keras.layers.Dense` in Keras's (see SHIPPED_AS); any other name as it is."""
    for prefix, shipped in SHIPPED_AS.items():
        if shipped == package and (name == prefix or name.startswith(prefix + ".")):
            return shipped + name[len(prefix) :]
    return name


# --------------------------------------------------------------------------- helpers
def _join(prefix: str, rest: str) -> str:
    return f"{prefix}.{rest}" if rest else prefix


def _doctest_lines(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if line.lstrip().startswith(">>>"))


def _imports_and_aliases(code: str) -> tuple[list[str], dict[str, str]]:
    imports: list[str] = []
    aliases: dict[str, str] = {}
    for match in _IMPORT.finditer(code):
        for part in match.group("mods").split(","):
            bits = part.split()
            if not bits:
                continue
            module = bits[0]
            imports.append(module)
            if len(bits) == 3 and bits[1] == "as":
                aliases[bits[2]] = module
    for match in _FROM_IMPORT.finditer(code):
        # `from a.b import c` names c (a submodule or a symbol); mapping falls back to
        # a.b itself when c does not resolve.
        module = match.group("mod")
        for part in match.group("names").split(","):
            bits = part.split()
            if not bits or bits[0] == "*":
                continue
            name = bits[0]
            alias = bits[2] if len(bits) == 3 and bits[1] == "as" else name
            aliases[alias] = f"{module}.{name}"
            imports.append(f"{module}.{name}")
    return _unique(imports), aliases


def issue_query(
    title: str, body: str, splits: dict[str, tuple[str, ...]] | None = None
) -> dict[str, float]:
    """An issue's weighted query words (`lexicon.query_terms`, what the mapping's search
    and a step's tests by words read), without what Python and IPython print around a
    traceback (`without_traceback_prints`) and without the ids of the commits GitHub links
    name (`markup.without_markup` keeps those links whole for `_named_changes`)."""
    if "/commit" in title:
        title = _LINKED_COMMIT_ID.sub("", title)
    if "/commit" in body:
        body = _LINKED_COMMIT_ID.sub("", body)
    return query_terms(title, without_traceback_prints(body), splits=splits)


def without_traceback_prints(text: str) -> str:
    """`text` without what Python and IPython print around a traceback (`Traceback (most
    recent call last)`, the chained exceptions' sentences, a notebook cell's name). The
    frames and the error stay."""
    if any(hint in text for hint in _TRACEBACK_PRINT_HINTS):
        return _TRACEBACK_PRINTS.sub(" ", text)
    return text


_FoundFrame = tuple[int, str, int, str, str]  # offset, path, line, function, handed on


def _frames(text: str) -> list[Frame]:
    """The traceback frames in `text`, outermost first (in the text's order, but for a
    chained exception's cause, whose frames come inside what it caused: `_in_stack_order`),
    as Python prints them and as IPython does (`_NOTEBOOK_FRAME`)."""
    found = [
        (
            m.start(),
            m.group("path"),
            int(m.group("line")),
            m.group("func") or "",
            hands_on(_line_after(text, m.start(), m.end())),
        )
        for m in _FRAME.finditer(text)
    ]
    if any(hint in text for hint in _NOTEBOOK_HINTS):
        found.extend(_notebook_frames(text))
        found.sort(key=itemgetter(0))
    if _CAUSE_HINT in text:
        found = _in_stack_order(text, found)
    return [
        Frame(path.replace("\\", "/"), line, i, function, handed)
        for i, (_, path, line, function, handed) in enumerate(found)
    ]


# Python (and IPython) print a chained exception's tracebacks one after the other, each
# outermost frame first, joined by one of these sentences. An error raised `from` another
# (`raise BackendFailed(...) from e`) is printed after its cause, yet the cause's frames are
# deeper in the stack: they ran inside the frame that raised the new error (its `try`).
_CAUSE_HINT = "direct cause of the following exception"
_CHAINED = re.compile(rf"(?P<cause>{_DIRECT_CAUSE})|{_DURING_HANDLING}")


def _in_stack_order(text: str, found: list[_FoundFrame]) -> list[_FoundFrame]:
    """The frames of `found` (in the text's order) in the order of the stack they ran in,
    outermost first: a traceback printed after the sentence naming its predecessor its
    direct cause holds the frames outside that predecessor's. One printed after "During
    handling of the above exception" keeps the text's order (the new error arose while
    the first was handled, in code that ran after it: the innermost frame is the new
    error's, as Python reads it)."""
    joins = [(m.start(), m.group("cause") is not None) for m in _CHAINED.finditer(text)]
    blocks: list[list[_FoundFrame]] = [[]]
    causes: list[bool] = []
    at = 0
    for frame in found:
        while at < len(joins) and joins[at][0] < frame[0]:
            blocks.append([])
            causes.append(joins[at][1])
            at += 1
        blocks[-1].append(frame)
    ordered = deque([blocks[0]])  # (each block put in once: linear in the frames)
    for block, caused in zip(blocks[1:], causes, strict=True):
        if caused:
            ordered.appendleft(block)
        else:
            ordered.append(block)
    return list(chain.from_iterable(ordered))


def _line_after(text: str, begin: int, at: int) -> str:
    """The line after the frame header found at `begin`..`at` (its source line, as
    Python prints it under the header), at most 400 characters; "" when it is another
    frame's header. What a log put before the header (a CI runner's time stamp, `[rank0]:`)
    is taken off the line too when it starts with the same."""
    start = text.find("\n", at, at + 400) + 1
    if not start:
        return ""
    end = text.find("\n", start, start + 400)
    line = text[start : end if end >= 0 else start + 400]
    prefix = text[text.rfind("\n", max(0, begin - 200), begin) + 1 : begin].rstrip()
    if prefix and line.startswith(prefix):
        line = line[len(prefix) :]
    return "" if line.lstrip().startswith('File "') else line


def _notebook_frames(text: str) -> list[_FoundFrame]:
    """(offset, path, line, function, what it hands on) of each frame IPython printed;
    an older IPython's line is the one marked `--->` before the next frame (0 when none
    is). The frame's code is the marked line's."""
    matches = list(_NOTEBOOK_FRAME.finditer(text))
    out = []
    for i, match in enumerate(matches):
        name = (match.group("qualname") or match.group("func") or "").rpartition(".")[2]
        function = "" if name.startswith("<") else name
        # The lines shown end at a blank line (or the next frame): a later traceback's
        # marked line is not this frame's.
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        blank = text.find("\n\n", match.end(), end)
        end = min(end if blank < 0 else blank, match.end() + 5_000)
        marked = _MARKED_LINE.search(text, match.end(), end)
        handed = hands_on(marked.group("code")) if marked is not None else ""
        if match.group("path") is not None:
            line = int(match.group("line"))
            out.append((match.start(), match.group("path"), line, function, handed))
            continue
        line = int(marked.group("line")) if marked else 0
        out.append((match.start(), match.group("bare"), line, function, handed))
    return out


def _paths(text: str, skip: set[str]) -> list[tuple[str, int | None]]:
    seen: dict[str, int | None] = {}
    for match in _PATH.finditer(text) if _PATH_HINT.search(text) else ():
        # "./x.py" and "../x.py" are relative spellings; ".github/x.yml" keeps its dot.
        path = _RELATIVE.sub("", match.group("path").replace("\\", "/"))
        if path.rfind("/") == 0:  # "/x.py": a file name (a shortened path's end)
            path = path[1:]
        if "/" not in path and not _looks_like_file_name(path):
            continue
        if any(frame.endswith(path) for frame in skip):
            continue
        line = int(match.group("line")) if match.group("line") else None
        seen.setdefault(path, line)
    for match in _DIR.finditer(text) if _DIR_HINT.search(text) else ():
        path = match.group("path")
        if path.count("/") >= 1:
            seen.setdefault(path + "/", None)
    return list(seen.items())


def _linked_paths(text: str) -> dict[str, int | None]:
    """The repository paths GitHub links in `text` point at (a folder's with its slash),
    with the first line a link marks."""
    seen: dict[str, int | None] = {}
    for match in _GITHUB_LINK.finditer(text):
        path = match.group("path").rstrip(".,;:").rstrip("/")
        if not path:
            continue
        if match.group("kind") == "tree":
            path += "/"
        line = int(match.group("line")) if match.group("line") else None
        if seen.get(path) is None:
            seen[path] = line
    return seen


def _named_changes(
    text: str, repo: str, imports: Iterable[str] = (), package: str = ""
) -> list[str]:
    """The pull requests, issues (`#N`) and commits (their ids as written, lower case) of
    the repository `text` names, in order, each once. A link or an `owner/name#N` names
    one when it is to a repository of `repo`'s name (or `repo` is unknown: a renamed owner
    keeps the name). A `#N` after another project's name names none (`transformers PR
    #2599`, `an mpi4jax pull request (#111)`: a library of OTHER_LIBRARIES or `imports`,
    not `package`). A commit's id counts beside words blaming it only (`_BLAME`), in a text
    that says "commit"."""
    name = repo.rpartition("/")[2].lower()
    others: set[str] | None = None  # (worked out for the first `#N` only)
    found: list[tuple[int, str]] = []
    if _NUMBER_HINT.search(text):
        for m in _NUMBER_REF.finditer(text):
            if m.group("name") is not None:
                if m.group("name").lower() != name:
                    continue
            else:
                if text.startswith("](", m.end()) or _native_frame(text, m.start(), m.end()):
                    continue  # (`[#2599](link)`: the link says whose)
                if others is None:
                    known = OTHER_LIBRARIES | {i.split(".", 1)[0] for i in imports}
                    others = {o.lower() for o in known} - {name, package.lower()}
                if _after_another_project(text, m.start(), others):
                    continue
            found.append((m.start(), f"#{int(m.group('number'))}"))
    if "github.com/" in text:
        for m in _CHANGE_LINK.finditer(text):
            if name and m.group("repo").lower() != name:
                continue
            if m.group("number"):
                found.append((m.start(), f"#{int(m.group('number'))}"))
            sha = m.group("commit") or m.group("sha")
            if sha and _blamed(text, m.start(), m.end()):
                found.append((m.start() + 1, sha.lower()))
    # (A commit's id is written beside the word: `since commit e18a94f`, `Commit 30a19a0
    # requires ...`, git bisect's `e18a94f is the first bad commit`.)
    for m in _HEX_RUN.finditer(text) if "commit" in text.lower() else ():
        at, run = m.start(), m.group()
        before = text[at - 1] if at else " "
        if before.isalnum() or before in _NOT_BEFORE_ID:
            continue
        if _HEX_LETTER.search(run) and _DIGIT.search(run) and _blamed(text, at, m.end()):
            found.append((at, run))
    found.sort()
    return list(dict.fromkeys(change for _, change in found))


def _after_another_project(text: str, start: int, others: Collection[str]) -> bool:
    """Whether the words just before text[start] (on its line, past `PR`, `pull request`,
    `issue`, `in`) name another project: one of `others`, or a name holding a digit between
    letters (`mpi4jax`, `py3nvml`)."""
    line = text.rfind("\n", 0, start) + 1
    words = _WORDS_BEFORE.findall(text[max(line, start - 60) : start])
    while words and words[-1].lower() in _REFERENCE_WORDS:
        words.pop()
    if not words:
        return False
    word = words[-1].lower()
    if word in others:
        return True
    return _DIGIT_INSIDE.search(word) is not None and not _HEX.fullmatch(word)


def _native_frame(text: str, start: int, end: int) -> bool:
    """Whether the `#N` at text[start:end] numbers a native stack's frame: `frame #12:`
    (PyTorch's C++ stacks), or a line's start followed by an address or a function
    (`#3  0x7f... in raise`, `#0  main () at x.c:5`: gdb, ASAN)."""
    line = text.rfind("\n", 0, start) + 1
    before = text[line:start]
    if before.rstrip().lower().endswith("frame"):
        return True
    return not before.strip() and _NATIVE_FRAME_AFTER.match(text, end) is not None


def _blamed(text: str, start: int, end: int) -> bool:
    """Whether words near text[start:end] (on its line) blame the change it names."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    near = text[max(line_start, start - BLAME_REACH) : min(line_end, end + BLAME_REACH)]
    return _BLAME.search(near) is not None


def _looks_like_file_name(token: str) -> bool:
    # "adam.py" is a file; "torch.nn" is not caught here because it has no source suffix,
    # but "x.h" style one-letter stems are too ambiguous to keep.
    stem = token.rsplit(".", 1)[0]
    return len(stem) >= 3


def _apis(text: str, aliases: dict[str, str], package: str) -> tuple[list[str], set[str]]:
    names: list[str] = []
    called: set[str] = set()
    for match in _DOTTED.finditer(text):
        raw = match.group("name")
        suffix = raw.rsplit(".", 1)[-1]
        after_slash = "/" in text[max(0, match.start() - 1) : match.start()]
        # "docs/nn.md", "README.md" or "peft_model.py" name files, not the API `nn.md`.
        if suffix in DOC_SUFFIXES or (
            suffix in SOURCE_SUFFIXES and (after_slash or suffix in _FILE_ONLY_SUFFIXES)
        ):
            continue
        for expanded in expand_alias(raw, aliases, package):
            full = own_name(expanded, package)
            names.append(full)
            if match.group("call"):
                called.add(full)
    return _unique(names), called


# CamelCase with a lower-case letter then an upper-case one (`MessagePassing`, `GATv2Conv`,
# not `CUDA` or `Linear`), or snake_case (`get_val_by_key`), standing alone: no dot, slash
# or word character on either side. Words are cut out first (one linear pass; a name is at
# most 60 characters), then each is checked whole.
_STANDING_WORD = re.compile(r"(?<![\w./])[A-Za-z]\w{0,59}(?![\w./])")
_CODE_NAME = re.compile(r"[A-Z][A-Za-z0-9]*[a-z0-9][A-Z]\w*|[A-Za-z]\w*[A-Za-z0-9]_[A-Za-z]\w*")
# Any name quoted as code on its own, whatever its shape (`Metric`, `checkpoint`, `Trainer()`):
# the reporter marked it as code, so it is no English word.
_QUOTED_NAME = re.compile(r"`([A-Za-z]\w{2,59})(?:\(\))?`")
MAX_BARE_NAMES = 40


def _bare_names(text: str) -> list[str]:
    """The distinct code-like names standing alone in `text`, or quoted as code on their
    own, in order of first use (at most MAX_BARE_NAMES)."""
    words = dict.fromkeys(_STANDING_WORD.findall(text))
    quoted = set(_QUOTED_NAME.findall(text)) if "`" in text else set()
    return [word for word in words if word in quoted or _CODE_NAME.fullmatch(word)][:MAX_BARE_NAMES]


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))
