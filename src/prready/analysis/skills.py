"""A skill taxonomy for ML libraries, tied to paths, languages, labels and words, so every
module and issue gets required skills and a user's own commits can propose a profile."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from prready.analysis.kinds import about_the_cpu
from prready.analysis.mapping import focus_matches
from prready.analysis.native import NATIVE_LANGUAGES
from prready.code_models import CodeMap, CommitRecord
from prready.errors import UsageError
from prready.models import Issue, ModuleMatch, SkillFit


@dataclass(frozen=True)
class Skill:
    key: str
    title: str
    paths: tuple[str, ...] = ()  # regexes searched in repository paths / module names
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # substrings of normalised label names
    words: tuple[str, ...] = ()  # regexes searched in issue text (lower-case)
    imports: tuple[str, ...] = ()  # top-level imports that show the skill in a user's code


TAXONOMY: tuple[Skill, ...] = (
    Skill("python", "Python", languages=("python",), imports=()),
    Skill(
        "cpp",
        "C++",
        languages=("cpp", "c"),
        paths=(r"(^|/)csrc/", r"\.(cpp|cc|cxx|h|hh|hpp|hxx|mm)$"),
        labels=("cpp", "c++", "build"),
        words=(r"\bc\+\+", r"\.cpp\b", r"\bcmake\b", r"\bsegfault"),
    ),
    Skill(
        "cuda",
        "CUDA / GPU kernels",
        languages=("cuda",),
        paths=(r"(^|/)cuda(/|$)", r"\.cuh?$"),
        labels=("cuda", "gpu", "rocm"),
        words=(r"\bcuda\b", r"\bgpu\b", r"\bkernel launch", r"\bnvcc\b"),
        imports=("cupy", "pycuda", "numba", "triton"),
    ),
    Skill(
        "docs",
        "Documentation",
        paths=(r"(^|/)docs?/", r"\.(rst|md)$"),
        labels=("doc",),
        words=(r"\bdocs?\b", r"\bdocstring", r"\bdocumentation\b", r"\btypo\b"),
        imports=("sphinx",),
    ),
    Skill(
        "testing",
        "Testing",
        paths=(r"(^|/)tests?/", r"(^|/|\.)test_\w+"),
        labels=("test", "flaky"),
        words=(r"\bunit ?tests?\b", r"\btest coverage\b", r"\bflaky\b", r"\bpytest\b"),
        imports=("pytest", "unittest", "hypothesis"),
    ),
    Skill(
        "typing",
        "Type hints",
        labels=("typing", "type"),
        words=(r"\btype hints?\b", r"\btyping\b", r"\bmypy\b", r"\bannotations?\b", r"\bpyright\b"),
        imports=("typing", "mypy"),
    ),
    Skill(
        "numerics",
        "Numerics / linear algebra",
        paths=(r"linalg", r"(^|[/.])(fft|special|numeric|math)"),
        labels=("linalg", "linear algebra", "numerical", "fft", "complex"),
        words=(
            r"\bsvd\b",
            r"\beigh?\b",
            r"\bnumerical(ly)?\b",
            r"\bprecision\b",
            r"\bnan\b",
            r"\boverflow\b",
            r"\bmatmul\b",
        ),
        imports=("numpy", "scipy", "sympy"),
    ),
    Skill(
        "autograd",
        "Autograd",
        paths=(r"autograd", r"(^|/)grad"),
        labels=("autograd",),
        words=(r"\bbackward\(", r"\.backward\b", r"\bautograd\b", r"requires_grad", r"\bgrad_fn\b"),
        imports=("jax",),
    ),
    Skill(
        "nn",
        "nn modules",
        paths=(r"(^|[/.])nn([/.]|$)",),
        labels=("nn", "module: nn"),
        words=(r"\bnn\.\w+", r"\blayer\b", r"\bconv\w*", r"\bactivation\b", r"\bloss\b"),
        imports=("torch.nn", "flax", "keras"),
    ),
    Skill(
        "data",
        "Data loading",
        paths=(r"(^|[/.])(data|datasets?|data_?loader)([/.]|$)",),
        labels=("data", "dataloader"),
        words=(r"\bdataloader\b", r"\bdataset\b", r"\bsampler\b", r"\bnum_workers\b"),
        imports=("pandas", "datasets", "PIL", "torchvision"),
    ),
    Skill(
        "distributed",
        "Distributed training",
        paths=(r"distributed", r"(^|[/.])(ddp|fsdp|rpc|c10d)"),
        labels=("distributed", "ddp", "fsdp"),
        words=(
            r"\bdistributed\b",
            r"\bddp\b",
            r"\bnccl\b",
            r"\ball_?(?:reduce|gather)\b",
            r"\bprocess group",
            r"\b(?:across|between) (?:the )?processes\b",
            r"\bnum_processes\b",
        ),
        imports=("mpi4py", "horovod", "ray"),
    ),
    Skill(
        "compilers",
        "Compilers / graph capture",
        paths=(r"(_dynamo|_inductor|jit|fx|compile|_export/passes|lazy|codegen|renderer)",),
        labels=("dynamo", "inductor", "jit", "fx", "compile"),
        words=(
            r"\btorch\.compile\b",
            r"\bgraph break",
            r"\btracing\b",
            r"\bdynamo\b",
            r"\binductor\b",
            r"\bjit\b",
        ),
        imports=("llvmlite", "tvm"),
    ),
    Skill(
        "export",
        "Export / serialization",
        paths=(r"(^|[/._])(export|onnx|serializ\w*|save|load|pickle|checkpoint)(?![a-z])",),
        labels=("onnx", "export", "serializ"),
        words=(
            r"\bonnx\b",
            r"\bexport\b",
            r"\bserializ",
            r"\bstate_dict\b",
            r"\bpickle\b",
            r"\bcheckpoint",
        ),
        imports=("onnx", "onnxruntime", "safetensors", "pickle"),
    ),
    Skill(
        "performance",
        "Performance",
        paths=(r"(benchmark|profil|perf)",),
        labels=("performance", "perf", "speed", "memory"),
        words=(
            r"\bslow(er)?\b",
            r"\bperformance\b",
            r"\bspeed ?up\b",
            r"\bmemory leak\b",
            r"\blatency\b",
            r"\bregression\b",
        ),
        imports=("cProfile", "line_profiler", "timeit"),
    ),
)
SKILLS: dict[str, Skill] = {skill.key: skill for skill in TAXONOMY}
_ALIASES = {
    "py": "python",
    "c++": "cpp",
    "c": "cpp",
    "gpu": "cuda",
    "doc": "docs",
    "documentation": "docs",
    "tests": "testing",
    "test": "testing",
    "types": "typing",
    "type-hints": "typing",
    "linalg": "numerics",
    "linear-algebra": "numerics",
    "math": "numerics",
    "numerical": "numerics",
    "nn-modules": "nn",
    "modules": "nn",
    "dataloading": "data",
    "data-loading": "data",
    "dataloader": "data",
    "ddp": "distributed",
    "compiler": "compilers",
    "compile": "compilers",
    "jit": "compilers",
    "serialization": "export",
    "onnx": "export",
    "perf": "performance",
}
_EXT_LANG = {
    ".py": "python",
    ".pyi": "python",
    **NATIVE_LANGUAGES,
    ".rst": "docs",
    ".md": "docs",
}
_COMPILED = {
    s.key: (tuple(re.compile(p) for p in s.paths), tuple(re.compile(w) for w in s.words))
    for s in TAXONOMY
}


def normalize_skills(names: Iterable[str]) -> list[str]:
    """Canonical skill keys in taxonomy order; an unknown name is a one-line UsageError."""
    keys = set()
    for raw in names:
        name = raw.strip().lower().replace("_", "-").replace(" ", "-")
        if not name:
            continue
        key = name if name in SKILLS else _ALIASES.get(name)
        if key is None:
            known = ", ".join(SKILLS)
            raise UsageError(f"unknown skill {raw.strip()[:40]!r}: choose from {known}")
        keys.add(key)
    return [s.key for s in TAXONOMY if s.key in keys]


def skills_for_path(path: str, language: str = "") -> set[str]:
    """Skills a file needs, from its language and where it lives."""
    found = set()
    lang = language or _language_of(path)
    for skill in TAXONOMY:
        path_res, _ = _COMPILED[skill.key]
        if (lang and lang in skill.languages) or any(r.search(path) for r in path_res):
            found.add(skill.key)
    return found


def skills_for_issue(
    issue: Issue, matches: Sequence[ModuleMatch], code_map: CodeMap, *, max_modules: int = 3
) -> list[str]:
    """Required skills: from the strongest matched modules' paths and languages (weak
    matches, such as a word naming some far module, say nothing), the labels and the
    words of the issue. Returned in taxonomy order."""
    found: set[str] = set()
    matches = focus_matches(matches, max_modules)
    for match in matches:
        info = code_map.modules.get(match.name)
        if info is not None:
            found |= skills_for_path(info.path, info.language)
        elif match.name in code_map.areas:
            area = code_map.areas[match.name]
            for lang in area.languages:
                found |= {s.key for s in TAXONOMY if lang in s.languages}
            for prefix in area.paths[:1]:
                found |= skills_for_path(prefix.rstrip("/") + "/")
        elif match.path:  # a tracked non-code file the issue names (docs/nn.md)
            found |= skills_for_path(match.path)
    names = [label.lower() for label in issue.labels]
    text = f"{issue.title}\n{issue.body[:20_000]}".lower()
    title = issue.title.lower()
    cpu_only = about_the_cpu(issue.title)  # then its body's CUDA is a comparison
    for skill in TAXONOMY:
        if any(part in name for part in skill.labels for name in names):
            found.add(skill.key)
            continue
        _, word_res = _COMPILED[skill.key]
        where = title if skill.key in _TITLE_ONLY or (cpu_only and skill.key == "cuda") else text
        if skill.key in _TEXT_TRUSTED and any(r.search(where) for r in word_res):
            found.add(skill.key)
    if not found & {"python", "cpp", "cuda"} and _mentions_python(matches, code_map):
        found.add("python")
    return [s.key for s in TAXONOMY if s.key in found]


# Skills whose words in free text are specific enough to count on their own; the others
# need a path or a label (e.g. "loss" or "rank" in a traceback says little).
# "docs" or "test" in a bug report's body rarely means the work is docs or tests.
_TITLE_ONLY = frozenset({"docs", "testing", "typing"})
_TEXT_TRUSTED = frozenset(
    {
        "cuda",
        "docs",
        "typing",
        "distributed",
        "compilers",
        "export",
        "performance",
        "autograd",
        "numerics",
    }
)


def match_skills(required: Sequence[str], user: Sequence[str]) -> SkillFit:
    """Which required skills the user has, and which would be new to them."""
    have = set(user)
    matched = [s for s in required if s in have]
    new = [s for s in required if s not in have]
    return SkillFit(required=list(required), matched=matched, new=new)


def infer_skills_from_commits(
    commits: Sequence[CommitRecord], file_texts: Mapping[str, str]
) -> list[tuple[str, list[str]]]:
    """Propose skills from a user's own commits: languages and places of the files they
    touched, and libraries imported in those files. Strongest evidence first."""
    touched: Counter[str] = Counter()
    for commit in commits:
        for path in commit.files:
            touched[path] += 1
    evidence: dict[str, list[str]] = defaultdict(list)
    weight: Counter[str] = Counter()
    for skill_key, paths in _skills_by_paths(touched).items():
        total = sum(touched[p] for p in paths)
        sample = ", ".join(sorted(paths, key=lambda p: (-touched[p], p))[:3])
        evidence[skill_key].append(f"{total} change(s) to {len(paths)} file(s) such as {sample}")
        weight[skill_key] += total
    for skill_key, modules in _skills_by_imports(file_texts).items():
        evidence[skill_key].append(
            "imports " + ", ".join(sorted(modules)[:4]) + " in files you changed"
        )
        weight[skill_key] += len(modules)
    order = {s.key: i for i, s in enumerate(TAXONOMY)}
    ranked = sorted(evidence, key=lambda k: (-weight[k], order[k]))
    return [(key, evidence[key]) for key in ranked]


# --------------------------------------------------------------------------- helpers
def _language_of(path: str) -> str:
    dot = path.rfind(".")
    return _EXT_LANG.get(path[dot:].lower(), "") if dot >= 0 else ""


def _mentions_python(matches: Sequence[ModuleMatch], code_map: CodeMap) -> bool:
    top = matches[:3]
    if top and all(m.name not in code_map.modules and m.name not in code_map.areas for m in top):
        return False  # only non-code files (a docs page): no Python needed
    for match in top:
        info = code_map.modules.get(match.name)
        if info is not None and info.language != "python":
            return False
    return True


def _skills_by_paths(touched: Mapping[str, int]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for path in touched:
        for key in skills_for_path(path):
            out[key].append(path)
    return out


_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.MULTILINE)


def _skills_by_imports(file_texts: Mapping[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for path, text in file_texts.items():
        if _language_of(path) != "python":
            continue
        for match in _IMPORT_LINE.finditer(text[:200_000]):
            module = match.group(1) or match.group(2) or ""
            for skill in TAXONOMY:
                for wanted in skill.imports:
                    if module == wanted or module.startswith(wanted + "."):
                        out[skill.key].add(wanted)
    return out
