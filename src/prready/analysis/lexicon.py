"""Words of code and of issues, and a BM25 index over them.

A code unit (one file) is described by three fields: its path components, the names it
defines, and the prose it carries (docstrings, comments, string literals such as error
messages). Identifiers are split on `_` and camelCase and also kept whole, so `StepLR`
gives `step`, `lr` and `steplr`; words are lower-cased and lightly stemmed. Weighting is
BM25's IDF, not hand thresholds: a short word (`mps`, `rpc`, `fft`) counts as much as
its rarity says, and a word every file has (`tensor`) says little.

The scanners here are linear in their input (one forward pass with `str.find`), so a
hostile file cannot make indexing quadratic.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Field weights in a unit's term frequencies (BM25F-style): a word in the path or in a
# defined name says more about the unit than the same word in a comment.
PATH_WEIGHT = 3
DEF_WEIGHT = 2
PROSE_WEIGHT = 1
MAX_PROSE_TERMS = 400  # distinct prose words kept per file (the most frequent)
MAX_DEF_TERMS = 600
MAX_SCAN_BYTES = 256_000  # text beyond this in one file adds noise, not evidence
K1 = 1.2
MAX_DF = 0.05  # terms in more of the documents than this carry almost no weight
MIN_DF_CUTOFF = 60  # ...but in a small repository every term is cheap to walk
B = 0.75

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,80}")
_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Line starts are matched as a literal "\n" (the text is scanned with one prepended): the
# regex engine then jumps from newline to newline instead of trying `^` at every character.
_PY_DEF = re.compile(r"\n[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)")
_PY_ASSIGN = re.compile(r"\n([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?=[^=])")
_PY_START = re.compile(r"#|'''|\"\"\"|'|\"")
_C_START = re.compile(r"//|/\*|\"")
_C_DEF = re.compile(
    r"^[ \t]*(?:[\w:<>]{1,80}[ \t*&]{1,8}){1,4}([A-Za-z_]\w{0,80})[ \t]*\("
    r"|^[ \t]*(?:class|struct|enum|namespace|#[ \t]*define)[ \t]+([A-Za-z_]\w{0,80})",
    re.MULTILINE,
)
_SINGLE_PY = {"'": re.compile(r"(?:\\.|[^'\\\n])*'?"), '"': re.compile(r'(?:\\.|[^"\\\n])*"?')}
_SINGLE_C = re.compile(r'(?:\\.|[^"\\\n])*"?')

_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can cannot could did do does doing down during
    each few for from further had has have having he her here hers him his how i if in into
    is it its itself just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours get got use used using like one two
    via see also etc e g ie eg new make made way want need needs let lets thanks thank
    please hi hello issue bug error problem work works working seems seem think know tried
    try trying expected behavior behaviour actual describe description reproduce
    reproduction steps information system info version versions code run running ran
    self cls def return import none true false class pass elif else raise yield lambda
    https http www com github org html
    """
STOPWORDS = frozenset(_STOP_TEXT.split())


@lru_cache(maxsize=262_144)
def split_identifier(name: str) -> tuple[str, ...]:
    """`prepare_data_loader` -> prepare, data, loader, preparedataloader; `StepLR` ->
    step, lr, steplr. Parts are stemmed; the compound is kept whole for exact names."""
    parts = [p.lower() for p in _PARTS.findall(name) if not p.isdigit()]
    words = [stem(p) for p in parts if len(p) > 1 or len(parts) == 1]
    compound = name.strip("_").replace("_", "").lower()
    if len(parts) > 1 and len(compound) > 2 and not compound.isdigit():
        words.append(compound)
    return tuple(w for w in words if w and w not in STOPWORDS)


def count_terms(text: str) -> Counter[str]:
    """Term counts of free text: each distinct token is split once, its words repeated
    as often as it occurs, and all of them counted in one C-level pass."""
    words: list[str] = []
    extend = words.extend
    for token, n in Counter(_IDENT.findall(text)).items():
        extend(split_identifier(token) * n if n > 1 else split_identifier(token))
    return Counter(words)


def stem(word: str) -> str:
    """A light plural/verb-form stemmer: loaders -> loader, padding -> pad, raises -> rais."""
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        base = word[:-3]
        return base[:-1] if len(base) > 2 and base[-1] == base[-2] else base
    if len(word) > 4 and (
        word.endswith(("ches", "shes")) or (word.endswith("es") and word[-3] in "sxz")
    ):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def path_terms(path: str) -> list[str]:
    """Words of a repository path: folders and the file name without its suffix."""
    stemmed = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    out: list[str] = []
    for part in re.split(r"[/.\-]", stemmed):
        if part:
            out.extend(split_identifier(part))
    return out


Terms = tuple[tuple[str, int], ...]  # (term, count) pairs, sorted by term


def source_fields(data: bytes, language: str) -> tuple[Terms, Terms]:
    """(defined-name terms, prose terms) of one source file, the most frequent first.

    Python: `def`/`class` names and top-level assignments; prose from docstrings, string
    literals and comments. C/C++/CUDA: function, class and macro names; prose from
    comments and string literals.
    """
    text = data[:MAX_SCAN_BYTES].decode("utf-8", "replace")
    if language == "python":
        lines = "\n" + text
        names = " ".join(_PY_DEF.findall(lines)) + " " + " ".join(_PY_ASSIGN.findall(lines))
        prose = _python_prose(text)
    else:
        names = " ".join(a or b for a, b in _C_DEF.findall(text))
        prose = _c_prose(text)
    return _top(count_terms(names), MAX_DEF_TERMS), _top(
        count_terms(" ".join(prose)), MAX_PROSE_TERMS
    )


def unit_terms(
    path: str, defs: Iterable[tuple[str, int]], prose: Iterable[tuple[str, int]]
) -> Counter[str]:
    """The weighted term frequencies of one unit (path, defined names, prose)."""
    tf: Counter[str] = Counter()
    for word in path_terms(path):
        tf[word] += PATH_WEIGHT
    for word, n in defs:
        tf[word] += DEF_WEIGHT * n
    for word, n in prose:
        tf[word] += PROSE_WEIGHT * n
    return tf


class PackedPostings(Mapping[str, dict[int, float]]):
    """Postings kept packed as stored; a term's are unpacked the first time a query
    asks for them (a query touches a few dozen of the index's tens of thousands)."""

    def __init__(self, packed: dict[str, tuple[bytes, bytes]]) -> None:
        self._packed = packed
        self._open: dict[str, dict[int, float]] = {}

    def __getitem__(self, term: str) -> dict[int, float]:
        plist = self._open.get(term)
        if plist is None:
            ids, weights = self._packed[term]
            plist = self._open[term] = dict(zip(array("i", ids), array("d", weights), strict=True))
        return plist

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, term: object) -> bool:
        return term in self._packed


@dataclass
class BM25Index:
    """An inverted BM25 index over named documents (weighted term frequencies).

    Each posting holds its term's saturated, length-normalised frequency, computed once
    at build time, so a query is a sum of idf x weight over the postings of its terms."""

    postings: Mapping[str, dict[int, float]] = field(default_factory=dict)
    idfs: dict[str, float] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, docs: Mapping[str, Mapping[str, float]]) -> BM25Index:
        names = sorted(docs)
        lengths = [float(sum(docs[name].values())) or 1.0 for name in names]
        avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        postings: dict[str, dict[int, float]] = {}
        setdefault = postings.setdefault
        for doc_id, name in enumerate(names):
            norm = K1 * (1 - B + B * lengths[doc_id] / avg)
            for term, tf in docs[name].items():
                setdefault(term, {})[doc_id] = tf * (K1 + 1) / (tf + norm)
        n = len(names)
        idfs = {
            term: round(math.log(1.0 + (n - len(p) + 0.5) / (len(p) + 0.5)), 4)
            for term, p in postings.items()
        }
        return cls(postings=postings, idfs=idfs, names=names)

    def idf(self, term: str) -> float:
        return self.idfs.get(term, 0.0)

    def to_plain(self) -> tuple[list[str], dict[str, tuple[bytes, bytes]], dict[str, float]]:
        """The index as marshal-able values, each term's postings packed into two byte
        strings (document ids, weights): loading them is a copy, not 400k dict inserts."""
        packed = {
            term: (array("i", plist).tobytes(), array("d", plist.values()).tobytes())
            for term, plist in self.postings.items()
        }
        return self.names, packed, self.idfs

    @classmethod
    def from_plain(cls, value: object) -> BM25Index | None:
        """The index `to_plain` stored, or None when `value` is not one."""
        if not (isinstance(value, tuple) and len(value) == 3):
            return None
        names, packed, idfs = value
        if not (isinstance(packed, dict) and isinstance(idfs, dict)):
            return None
        return cls(postings=PackedPostings(packed), idfs=idfs, names=list(names))

    def search(
        self, query: Mapping[str, float], *, limit: int = 50, max_df: float = MAX_DF
    ) -> list[tuple[str, float, list[str]]]:
        """The best documents for a weighted query: (name, score, matched terms by gain).

        Terms in more than `max_df` of the documents are skipped: their IDF is near zero,
        and walking their postings would cost most of the time for nothing."""
        n = len(self.names)
        if not n:
            return []
        cutoff = max(MIN_DF_CUTOFF, int(n * max_df))
        # A dense accumulator (list indexing beats dict get/set in this, the hot loop);
        # the touched documents are collected by C-level set updates.
        scores = [0.0] * n
        touched: set[int] = set()
        used: list[tuple[str, float, dict[int, float]]] = []
        for term, qweight in query.items():
            plist = self.postings.get(term)
            if not plist or len(plist) > cutoff:
                continue
            factor = self.idfs[term] * qweight
            used.append((term, factor, plist))
            touched.update(plist)
            for doc_id, weight in plist.items():
                scores[doc_id] += factor * weight
        best = heapq.nlargest(limit, touched, key=scores.__getitem__)
        best.sort(key=lambda d: (-scores[d], d))
        out = []
        for doc_id in best:
            score = scores[doc_id]
            gains = sorted([(-f * p[doc_id], t) for t, f, p in used if doc_id in p])
            out.append((self.names[doc_id], score, [t for _, t in gains]))
        return out


def query_terms(title: str, body: str, *, title_weight: float = 2.0) -> dict[str, float]:
    """Weighted query terms of an issue: title words count more; each distinct word
    counts once however often the text repeats it (a pasted log must not drown the title)."""
    weights: dict[str, float] = dict.fromkeys(count_terms(body), 1.0)
    for word in count_terms(title):
        weights[word] = weights.get(word, 0.0) + title_weight
    return weights


def _top(counts: Counter[str], limit: int) -> tuple[tuple[str, int], ...]:
    """(term, count) pairs, counts capped at 5, the most frequent `limit` terms."""
    items = counts.items() if len(counts) <= limit else counts.most_common(limit)
    return tuple(sorted((term, min(n, 5)) for term, n in items))


def _python_prose(text: str) -> list[str]:
    """Comments and string literals (docstrings included), in one linear pass."""
    closers = {"#": "\n", "'" * 3: "'" * 3, '"' * 3: '"' * 3}
    return _prose(text, _PY_START, closers, _SINGLE_PY)


def _c_prose(text: str) -> list[str]:
    return _prose(text, _C_START, {"//": "\n", "/*": "*/"}, {'"': _SINGLE_C})


def _prose(
    text: str, starts: re.Pattern[str], closers: dict[str, str], quoted: dict[str, re.Pattern[str]]
) -> list[str]:
    """The text of every comment and literal: a token in `closers` runs to its closer (or
    the end); a quote in `quoted` runs as far as its pattern matches. Each step moves past
    what it read, so the pass is linear."""
    out: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        m = starts.search(text, pos)
        if m is None:
            break
        token, start = m.group(), m.end()
        closer = closers.get(token)
        if closer is not None:
            stop = text.find(closer, start)
            stop = end if stop < 0 else stop
            out.append(text[start:stop])
            pos = stop + (0 if closer == "\n" else len(closer))
        else:
            lit = quoted[token].match(text, start)
            stop = lit.end() if lit else start
            out.append(text[start:stop])
            pos = max(stop, start)
    return out
