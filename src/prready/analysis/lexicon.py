"""Words of code and of issues, and a BM25 index over them.

A code unit (one file) is described by three fields: its path components, the names it
defines, and the prose it carries (docstrings, comments, string literals such as error
messages). Identifiers are split on `_` and camelCase and also kept whole, so `StepLR`
gives `step`, `lr` and `steplr`; words are lower-cased and lightly stemmed. Weighting is
BM25's IDF, not hand thresholds: a short word (`mps`, `rpc`, `fft`) counts as much as
its rarity says, and a word every file has (`tensor`) says little.

The scanners here are linear in their input (one regex pass for defined names and one
for comments and literals, each written so the engine never backtracks over a literal),
so a hostile file cannot make indexing quadratic. Identifiers are split once per distinct
token, and the index is built and stored as flat arrays (see `PackedPostings`).
"""

from __future__ import annotations

import math
import os
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, repeat
from operator import add, is_, itemgetter, mul, not_
from typing import Any

_compiled: Any
try:  # the per-token work in C (src/prready/_lexscan.c), built where a compiler is found
    from prready import _lexscan as _compiled
except ImportError:  # pragma: no cover - a build without it: the Python passes below
    _compiled = None
# A module built from an older _lexscan.c (an editable install not built again) lacks what
# later code calls: the Python passes then, never an AttributeError mid-build.
_COMPILED_NAMES = (
    "prose_counts", "add_up", "top", "names", "postings", "term_table", "postings_by_id",
    "best", "gains", "query_runs", "as_written",
)  # fmt: skip
if _compiled is not None and not all(hasattr(_compiled, name) for name in _COMPILED_NAMES):
    _compiled = None  # pragma: no cover

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
MAX_OPEN = 500_000  # runs (and words without postings) a PackedPostings keeps open

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,80}")  # also evidence.words_as_written
IDENTIFIER_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Line starts are matched as a literal "\n" (the text is scanned with one prepended): the
# regex engine then jumps from newline to newline instead of trying `^` at every character.
#
# The name passes take an indent, and each word of a C declaration, whole: what follows
# one never belongs to its class, so giving characters back can only lead to retries
# (one per space of an indented line that is no definition), never to a match. Python
# 3.11's possessive quantifiers say so; before 3.11 a lookahead (never backtracked into)
# and a backreference do, the lookaheads' captures then being groups of their own
# (`_PY_PICK`, `_C_PICK` pick the names out). Both find what the plain patterns (`*_PLAIN`,
# kept for the tests) find, in about 60% (Python) and 35% (C) of the time.
#
# Python: `def`/`class` names (any indent) in the first group, top-level assignments in
# the second. No match holds a newline but its first character, so one pass finds what
# a pass per kind would. (`async` is spelled out in the alternation: an optional group
# `(?:async[ \t]+)?` made the whole pass three times slower.)
_PY_DEF = r"(?:def|class|async[ \t]+(?:def|class))[ \t]+([A-Za-z_]\w*)"
_PY_ASSIGNMENT = r"|([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?=[^=]))"
PY_NAMES_PLAIN = r"\n(?:[ \t]*" + _PY_DEF + _PY_ASSIGNMENT
PY_NAMES_POSSESSIVE = r"\n(?:[ \t]*+" + _PY_DEF + _PY_ASSIGNMENT
PY_NAMES_LOOKAHEAD = r"\n(?:(?=([ \t]*))\1" + _PY_DEF + _PY_ASSIGNMENT
# C, C++ and CUDA: a function's name after one to four words (its type and qualifiers,
# each followed by spaces, `*` or `&`) and before `(`, in the first group; a class,
# struct, enum, namespace or macro name in the second; in the third, the identifier an
# unindented upper-case macro call holds first (alone or before a comma, also on the
# next line, as clang-format writes it), which is how a macro defines or registers a
# function or operator: `TORCH_IMPL_FUNC(add_out)`, `REGISTER_DISPATCH(add_stub,
# &add_kernel)`, ONNX's `ONNX_OPERATOR_SET_SCHEMA(\n    Gemm,\n    13, ...)`, XGBoost's
# `XGBOOST_REGISTER_OBJECTIVE(SquaredLossRegression, ...)`. (A statement such as
# `TORCH_CHECK(ok)` sits indented, in a function's body.)
_C_TYPE_DEF = r"|(?:class|struct|enum|namespace|#[ \t]*define)[ \t]+([A-Za-z_]\w{0,80}))"
_C_MACRO_DEF = r"|[A-Z][A-Z0-9_]{2,80}\([ \t\r\n]{0,80}([A-Za-z_]\w{0,80})[ \t]*[,)])"
C_DEF_PLAIN = (
    r"\n(?:[ \t]*(?:(?:[\w:<>]{1,80}[ \t*&]{1,8}){1,4}([A-Za-z_]\w{0,80})[ \t]*\("
    + _C_TYPE_DEF
    + _C_MACRO_DEF
)
C_DEF_POSSESSIVE = (
    r"\n(?:[ \t]*+(?:(?:[\w:<>]{1,80}+[ \t*&]{1,8}+){1,4}([A-Za-z_]\w{0,80}+)[ \t]*\("
    + _C_TYPE_DEF
    + _C_MACRO_DEF
)
C_DEF_LOOKAHEAD = (
    r"\n(?:(?=([ \t]*))\1(?:(?:(?=([\w:<>]{1,80}))\2[ \t*&]{1,8}){1,4}"
    r"(?=([A-Za-z_]\w{0,80}))\3[ \t]*\(" + _C_TYPE_DEF + _C_MACRO_DEF
)
# Words the C pass can take that name nothing a file defines: a type a macro is
# instantiated for (`INSTANTIATE_KERNEL(float, ...)`), a keyword before a parenthesis
# (`} else if (`, `return sizeof(x)`).
_C_NOT_NAMES_TEXT = """void bool char short int long float double signed unsigned auto size_t
    ssize_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t half
    if for while switch return sizeof alignof decltype typeid static_assert"""
_C_NOT_NAMES = frozenset(_C_NOT_NAMES_TEXT.split())
if sys.version_info >= (3, 11):
    _PY_NAMES, _C_DEF = re.compile(PY_NAMES_POSSESSIVE), re.compile(C_DEF_POSSESSIVE)
    _PY_PICK: itemgetter[Any] | None = None  # (the two groups are the names)
    _C_PICK: itemgetter[Any] | None = None
else:  # pragma: no cover - exercised by the CI's Python 3.10 run
    _PY_NAMES, _C_DEF = re.compile(PY_NAMES_LOOKAHEAD), re.compile(C_DEF_LOOKAHEAD)
    _PY_PICK, _C_PICK = itemgetter(1, 2), itemgetter(2, 3, 4)
# Comments and string literals, one per match with its delimiters (no identifier
# characters, so the words are those of the contents). The loops are unrolled
# (`[^']*(?:'(?!'')[^']*)*`): the engine runs through a literal without backtracking, one
# linear pass per file whatever a hostile file holds. An unclosed comment or triple quote
# runs to the end of the text; a one-line literal ends at its line or a lone backslash
# before a newline.
#
# The prose passes run over the file's bytes, not its decoded text: every delimiter is
# ASCII, and no byte of a multi-byte UTF-8 character (nor of an undecodable sequence,
# which decoding replaces by U+FFFD, never by an ASCII character) is, so they find the
# same comments and literals; the words in them are ASCII identifiers either way.
_PY_PROSE = re.compile(
    rb"#[^\n]*"
    rb"|'''[^']*(?:'(?!'')[^']*)*(?:''')?"
    rb'|"""[^"]*(?:"(?!"")[^"]*)*(?:""")?'
    rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'?"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'
)
_C_PROSE = re.compile(
    rb"//[^\n]*"
    rb"|/\*[^*]*(?:\*(?!/)[^*]*)*(?:\*/)?"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'
)
# Every byte that cannot be part of an IDENTIFIER turned into a space: splitting the
# prose on whitespace then gives its runs of identifier characters, in C (see
# `_count_prose`).
_WORD_BYTES = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == 0x5F) else 0x20 for c in range(256)
)
_IDENTIFIER_MAX = 81  # the longest IDENTIFIER match

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
    doesn isn don didn wasn aren weren won shouldn couldn wouldn hasn haven hadn ll ve
    """
STOPWORDS = frozenset(_STOP_TEXT.split())


def split_identifier(
    name: str, splits: dict[str, tuple[str, ...]] | None = None
) -> tuple[str, ...]:
    """`prepare_data_loader` -> prepare, data, loader, preparedataloader; `StepLR` ->
    step, lr, steplr. Parts are stemmed; the compound is kept whole for exact names.

    Not memoised here (analysis keeps no module-global cache): a caller splitting many
    tokens keeps a `splits` dict of each token's words (see `count_terms`), passed here
    too so that a part shared by many names ("data") is stemmed once."""
    core = name.replace("_", "")
    if core.isascii() and core.isalpha():  # most names: no regex needed
        if core.islower():
            if len(core) == len(name):  # one word
                return _one_word(name)
            parts = [p for p in name.split("_") if p]  # snake_case
        elif core.isupper():  # UPPER_CASE
            parts = [p.lower() for p in name.split("_") if p]
        elif len(core) == len(name) and name[1:].islower():  # Capitalised: one word
            return _one_word(name.lower())
        else:
            parts = [p.lower() for p in IDENTIFIER_PARTS.findall(name)]
    else:
        parts = [p.lower() for p in IDENTIFIER_PARTS.findall(name) if not p.isdigit()]
    if len(parts) < 2:  # no parts ("_1"), or one word: no compound
        return _one_word(parts[0]) if parts else ()
    # Each part (lower-case letters) is split as a word of its own would be: stemmed,
    # dropped when a stopword.
    splits = {} if splits is None else splits
    get = splits.get
    words: list[str] = []
    for part in parts:
        if len(part) > 1:
            part_words = get(part)
            if part_words is None:
                part_words = splits[part] = split_identifier(part)
            words.extend(part_words)
    compound = name.strip("_").replace("_", "").lower()
    if len(compound) > 2 and not compound.isdigit() and compound not in STOPWORDS:
        words.append(compound)
    return tuple(words)


def _one_word(word: str) -> tuple[str, ...]:
    """A lower-case word as a term: stemmed; nothing for a stopword, before or after
    stemming ("does" would stem to "doe")."""
    if word in STOPWORDS:
        return ()
    stemmed = stem(word)
    return () if stemmed in STOPWORDS else (stemmed,)


def count_terms(text: str, splits: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Term counts of free text: each distinct token is split once (into `splits`, which
    a caller scanning many texts passes along), then every occurrence's words are added
    up. Terms come in the order of their first occurrence."""
    # Tokens are counted first (in C): a file repeats its identifiers, so each distinct
    # token is looked up once (in C) and its words added up once.
    tokens = Counter(IDENTIFIER.findall(text))
    keys = list(tokens)
    return _add_up(keys, list(map(splits.get, keys)), tokens.values(), splits)


def count_names(
    names: Iterable[tuple[str, int]], splits: dict[str, tuple[str, ...]]
) -> dict[str, int]:
    """Term counts of distinct identifiers, each seen `n` times ((name, n) pairs, as a test
    file's `names_in_tests.identifiers_in`), in the order of their first occurrence;
    `splits`: see `count_terms`."""
    pairs = list(names)
    tokens = [name for name, _ in pairs]
    return _add_up(tokens, list(map(splits.get, tokens)), (n for _, n in pairs), splits)


def stem(word: str) -> str:
    """A light plural/verb-form stemmer: loaders -> loader, padding -> pad, raises -> rais."""
    last = word[-1:]
    if last == "s":
        if len(word) > 5 and word.endswith("ies"):
            return word[:-3] + "y"
        if len(word) > 4 and (
            word.endswith(("ches", "shes")) or (word.endswith("es") and word[-3] in "sxz")
        ):
            return word[:-2]
        if len(word) > 3 and not word.endswith(("ss", "us", "is")):
            return word[:-1]
    elif last == "g" and len(word) > 5 and word.endswith("ing"):
        base = word[:-3]
        return base[:-1] if len(base) > 2 and base[-1] == base[-2] else base
    return word


def path_terms(
    path: str,
    splits: dict[str, tuple[str, ...]] | None = None,
    folders: dict[str, list[str]] | None = None,
) -> list[str]:
    """Words of a repository path: folders and the file name without its suffix.
    `splits`: see `count_terms`; `folders`: each folder's words, kept there (a tree's
    files share their folders)."""
    splits = {} if splits is None else splits
    folder, _, name = path.rpartition("/")
    known = folders.get(folder) if folders is not None else None
    if known is None:
        known = _part_words(folder, splits)
        if folders is not None:
            folders[folder] = known
    return known + _part_words(name.rsplit(".", 1)[0] if "." in name else name, splits)


def _part_words(text: str, splits: dict[str, tuple[str, ...]]) -> list[str]:
    """The words of each part of `text` between `/`, `.` and `-`."""
    out: list[str] = []
    for part in _PATH_PARTS.split(text):
        if part:
            words = splits.get(part)
            if words is None:
                words = splits[part] = split_identifier(part, splits)
            out.extend(words)
    return out


_PATH_PARTS = re.compile(r"[/.\-]")


Terms = tuple[tuple[str, int], ...]  # (term, count) pairs, sorted by term
TermPairs = Iterable[tuple[str, int]]  # Terms, or PackedTerms


Packed = tuple[str, bytes, str, bytes, str]  # see `source_fields_packed`

# A top-level class and the bases it names: `class Conv2D(BaseConv):`, `class Pipeline(
# DiffusionPipeline, LoraMixin, metaclass=ABCMeta):` (its header may span lines, with
# comments); a subscript is no part of the name (`Generic[T]`). A class whose bases hold
# a call is not read (`namedtuple("X", "a b")`).
_PY_CLASS_BASES = re.compile(
    r"\nclass[ \t]+([A-Za-z_]\w*)[ \t]*\(((?:[^()#]|#[^\n]*){1,600})\)[ \t]*:"
)
_COMMENT = re.compile(r"#[^\n]*")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
MAX_BASES = 200  # classes whose bases a file's fields keep


def _class_bases(text: str) -> str:
    """`Class:Base,module.Base` for each top-level class of `text` (starting with the
    "\n" the name passes put first) that names bases (keywords such as `metaclass=` left
    out), space-separated: the fields' fifth value (see `class_bases`)."""
    out = []
    for name, bases in _PY_CLASS_BASES.findall(text)[:MAX_BASES]:
        named = [
            b
            for part in _COMMENT.sub("", bases).split(",")
            if "=" not in part and _DOTTED_NAME.fullmatch(b := part.split("[", 1)[0].strip())
        ]
        if named:
            out.append(f"{name}:{','.join(named)}")
    return " ".join(out)


def class_bases(value: object) -> dict[str, tuple[str, ...]]:
    """Class -> the bases it names as written (`BaseConv`, `nn.Module`), from the fields
    `source_fields_packed` gave ({} for a file without classes, or a damaged row)."""
    if not (isinstance(value, tuple) and len(value) == 5 and isinstance(value[4], str)):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for item in value[4].split():
        name, _, bases = item.partition(":")
        if name and bases:
            out.setdefault(name, tuple(bases.split(",")))
    return out


class PackedTerms:
    """(term, count) pairs as stored: the terms in order and their counts (1..5) as
    bytes. Iterating gives the pairs (so `dict(...)` takes them in one C-level pass);
    loading a file's fields builds no tuple per term."""

    __slots__ = ("counts", "terms")

    def __init__(self, terms: list[str], counts: bytes) -> None:
        self.terms, self.counts = terms, counts

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return zip(self.terms, self.counts, strict=False)  # equal lengths: see unpack

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def unpack(cls, value: object) -> tuple[PackedTerms, PackedTerms] | None:
        """The two fields `source_fields_packed` gave, or None when `value` is not that
        (a damaged or foreign stored row)."""
        if not (isinstance(value, tuple) and len(value) == 5):
            return None
        def_terms, def_counts, prose_terms, prose_counts, bases = value
        if not (
            isinstance(bases, str)
            and isinstance(def_terms, str)
            and isinstance(prose_terms, str)
            and isinstance(def_counts, bytes)
            and isinstance(prose_counts, bytes)
        ):
            return None
        defs, prose = def_terms.split(), prose_terms.split()
        if len(defs) != len(def_counts) or len(prose) != len(prose_counts):
            return None
        return cls(defs, def_counts), cls(prose, prose_counts)


def source_fields_packed(
    data: bytes,
    language: str,
    splits: dict[str, tuple[str, ...]] | None = None,
    *,
    compiled: Any = _compiled,
) -> Packed:
    """(defined-name terms, prose terms) of one source file, each field's terms joined by
    spaces (terms are words, never blank, sorted) and their counts (capped at 5) as bytes;
    the most frequent terms are kept (MAX_DEF_TERMS, MAX_PROSE_TERMS). A tenth of the size
    of (term, count) pairs, and loaded as four values, not a thousand tuples (see
    `PackedTerms.unpack`). Last, a Python file's top-level classes and the bases they name
    (see `class_bases`; "" for a native file).

    Python: `def`/`class` names and top-level assignments; prose from docstrings, string
    literals and comments. C/C++/CUDA: function, class and macro names; prose from
    comments and string literals. `splits`: see `count_terms`. `compiled`: the C
    speed-up (None: the Python passes, which give the same fields; see `_term_fields`)."""
    head = data[:MAX_SCAN_BYTES]
    # Decoded with the "\n" the name passes put first: one copy of the bytes, not of the
    # text (a lone ASCII byte never changes how the bytes after it decode).
    text = (b"\n" + head).decode("utf-8", "replace")
    python = language == "python"
    defs, assigned = defined_names(text, python, compiled)
    if python:
        names = " ".join(defs) + " " + " ".join(assigned)
        bases = _class_bases(text) if "\nclass" in text else ""
    else:
        names = " ".join([n for n in defs if n not in _C_NOT_NAMES])
        bases = ""
    splits = {} if splits is None else splits
    return (*_term_fields(names, head, python, splits, compiled), bases)


def defined_names(
    text: str, python: bool, compiled: Any = _compiled
) -> tuple[list[str], list[str]]:
    """The names the name pass finds in `text` (which starts with a "\n"): a Python file's
    `def`/`class` names and its top-level assignments' names; a native file's function,
    class and macro names (and no assignments). `compiled`: the C speed-up, which finds
    the same names (None: the regex passes)."""
    if compiled is not None:
        if python:
            return compiled.names(text, True)  # type: ignore[no-any-return]
        return compiled.names(text, False), []
    if python:
        found = _PY_NAMES.findall(text)
        if _PY_PICK is not None:
            found = list(map(_PY_PICK, found))
        return [d for d, _ in found if d], [a for _, a in found if a]
    found = _C_DEF.findall(text)
    if _C_PICK is not None:
        found = list(map(_C_PICK, found))
    return [a or b or c for a, b, c in found], []


def _term_fields(
    names: str,
    head: bytes,
    python: bool,
    splits: dict[str, tuple[str, ...]],
    compiled: Any = _compiled,
) -> tuple[str, bytes, str, bytes]:
    """The packed defined-name terms of `names` and prose terms of `head` (see
    `source_fields_packed`). With `compiled` (the C module, when it was built), the same
    terms and counts as the Python passes give (`compiled=None`), in about a third of the
    time: `tests/unit/test_lexicon_compiled.py` holds the two equal."""
    if compiled is not None:
        defs = compiled.add_up(Counter(IDENTIFIER.findall(names)), splits, _split, STOPWORDS)
        prose = compiled.prose_counts(head, python, splits, _split, STOPWORDS)
        return (*compiled.top(defs, MAX_DEF_TERMS), *compiled.top(prose, MAX_PROSE_TERMS))
    text = b" ".join((_PY_PROSE if python else _C_PROSE).findall(head))
    return (
        *_top(count_terms(names, splits), MAX_DEF_TERMS),
        *_top(_count_prose(text, splits), MAX_PROSE_TERMS),
    )


def _count_prose(prose: bytes, splits: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """`count_terms` of the text of `prose` (bytes): the same counts in the same order,
    without a regex. The runs of identifier characters are cut out in C (translate,
    split); a run that is not one IDENTIFIER match (it starts with a digit, or is longer
    than a match) counts as the matches `count_terms` would find in it."""
    runs = Counter(prose.translate(_WORD_BYTES).decode("ascii").split())
    keys = list(runs)
    words = list(map(splits.get, keys))
    # (An ASCII run of identifier characters is an identifier unless it starts with a digit.)
    odd = list(compress(range(len(keys)), map(not_, map(str.isidentifier, keys))))
    if keys and max(map(len, keys)) > _IDENTIFIER_MAX:
        odd = sorted({*odd, *(i for i, k in enumerate(keys) if len(k) > _IDENTIFIER_MAX)})
    for i in odd:
        words[i] = tuple(
            chain.from_iterable(_split(token, splits) for token in IDENTIFIER.findall(keys[i]))
        )
    return _add_up(keys, words, runs.values(), splits)


def _add_up(
    tokens: list[str],
    words: list[tuple[str, ...] | None],
    counts: Iterable[int],
    splits: dict[str, tuple[str, ...]],
) -> dict[str, int]:
    """The term counts of distinct `tokens` (each an IDENTIFIER match) seen `counts`
    times, given each one's `words` (None: not split yet; split into `splits`), in the
    order of their first occurrence."""
    if None in words:
        for i in compress(range(len(tokens)), map(is_, words, repeat(None))):
            words[i] = _split(tokens[i], splits)
    added: dict[str, int] = {}
    get = added.get
    for token_words, n in zip(words, counts, strict=False):
        for word in token_words:  # type: ignore[union-attr]
            added[word] = get(word, 0) + n
    return added


def _split(token: str, splits: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    words = splits.get(token)
    if words is None:
        words = splits[token] = split_identifier(token, splits)
    return words


def unit_terms(
    path: str,
    defs: Iterable[tuple[str, int]],
    prose: Iterable[tuple[str, int]],
    splits: dict[str, tuple[str, ...]] | None = None,
    path_words: list[str] | None = None,
) -> dict[str, int]:
    """The weighted term frequencies of one unit (path, defined names, prose).
    `splits`: see `count_terms`; `path_words`: `path_terms(path)`, when the caller has
    them."""
    tf = dict(prose) if PROSE_WEIGHT == 1 else {word: PROSE_WEIGHT * n for word, n in prose}
    get = tf.get
    if isinstance(defs, PackedTerms):  # distinct terms: each one's sum in one C-level pass
        added = map(mul, defs.counts, repeat(DEF_WEIGHT))
        tf.update(zip(defs.terms, map(add, map(get, defs.terms, repeat(0)), added), strict=True))
    else:
        for word, n in defs:
            tf[word] = get(word, 0) + DEF_WEIGHT * n
    for word in path_terms(path, splits) if path_words is None else path_words:
        tf[word] = get(word, 0) + PATH_WEIGHT
    return tf


class PackedPostings(Mapping[str, dict[int, float]]):
    """The postings of an index, flat: the terms in order, where each term's run starts,
    and every run's document ids and weights in two arrays. Building or loading them is a
    few C-level copies, not a dict per term; a term's postings become a dict the first
    time a query asks for them (a query touches a few dozen of tens of thousands), and
    its document ids are checked then: a damaged run is no postings, not a wrong hit."""

    def __init__(
        self, terms: Sequence[str] | str, starts: array, ids: array, weights: array, n_docs: int
    ) -> None:
        self._terms = terms  # or all of them in one string, one per line (as stored)
        self.starts, self.ids, self.weights = starts, ids, weights
        self.n_docs = n_docs
        self._where: dict[str, int] | None = None  # term -> position, built on first use
        self._open: dict[str, dict[int, float]] = {}
        self._arrays: tuple[Any, Any, bool] | None = None  # numpy views; all ids valid?

    @property
    def opened(self) -> Mapping[str, dict[int, float]]:
        """The runs read so far, by term ({} for a term without postings)."""
        return self._open

    @property
    def terms(self) -> Sequence[str]:
        """The indexed terms in order (split out of the stored string on first use)."""
        if isinstance(self._terms, str):
            self._terms = self._terms.split("\n") if self._terms else []
        return self._terms

    def position(self, term: str) -> int:
        """Where `term`'s run is in `starts` (-1: it has none)."""
        return self.positions.get(term, -1)

    @property
    def positions(self) -> dict[str, int]:
        """Each term's place in `starts` (built on first use)."""
        if self._where is None:
            terms = self.terms
            self._where = dict(zip(terms, range(len(terms)), strict=True))
        return self._where

    def frequency(self, term: str) -> int:
        """How many documents hold `term` (0: none, or it is not indexed)."""
        at = self.position(term)
        return max(0, self.starts[at + 1] - self.starts[at]) if at >= 0 else 0

    def get(self, term: str, default: Any = None) -> Any:  # type: ignore[override]
        return self.run(term) if self.position(term) >= 0 else default

    def run(self, term: str) -> dict[int, float]:
        """The postings of `term` ({} when it has none), kept open for the next query."""
        plist = self._open.get(term)
        if plist is not None:
            return plist
        at = self.position(term)
        if at < 0:
            if len(self._open) < MAX_OPEN:  # a word no unit has: remembered as no postings
                self._open[term] = {}
            return {}
        start, stop = self.starts[at], self.starts[at + 1]
        plist = {}
        if 0 <= start < stop <= len(self.ids):  # (not a run past the arrays: damaged)
            ids = self.ids[start:stop]
            if min(ids) >= 0 and max(ids) < self.n_docs:
                plist = dict(zip(ids, self.weights[start:stop], strict=True))
        self._open[term] = plist
        return plist

    def arrays(self) -> tuple[Any, Any, bool]:
        """The document ids and weights as numpy arrays (views of the stored ones: no
        copy), and whether every id is in range (checked once, in one C-level pass)."""
        if self._arrays is None:
            np = _numpy()
            ids = np.frombuffer(self.ids, dtype=np.intc)
            whole = not len(ids) or (ids.min() >= 0 and ids.max() < self.n_docs)
            self._arrays = (ids, np.frombuffer(self.weights, dtype=np.float64), bool(whole))
        return self._arrays

    def __getitem__(self, term: str) -> dict[int, float]:
        plist = self.get(term)
        if plist is None:
            raise KeyError(term)
        return plist

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.position(term) >= 0


class Idfs(Mapping[str, float]):
    """Every term's IDF: an indexed term's from its document frequency (the length of
    its postings), the others' (terms in too many documents to keep postings) stored, and
    so are those of the terms whose postings are their paths' only (`in_paths`)."""

    def __init__(
        self,
        postings: PackedPostings,
        n_docs: int,
        others: dict[str, float],
        in_paths: dict[str, float] | None = None,
    ) -> None:
        self._postings, self._n, self.others = postings, n_docs, others
        self.in_paths = in_paths or {}
        self.by_df: dict[int, float] = {}  # the IDFs `of_frequency` gave

    def __getitem__(self, term: str) -> float:
        if term in self.in_paths:
            return self.in_paths[term]
        df = self._postings.frequency(term)
        return self.of_frequency(df) if df else self.others[term]

    def of_frequency(self, df: int) -> float:
        """The IDF of a term in `df` documents."""
        idf = self.by_df.get(df)
        if idf is None:
            idf = self.by_df[df] = _idf(self._n, df)
        return idf

    def __iter__(self) -> Iterator[str]:
        return chain(self._postings, self.others)

    def __len__(self) -> int:
        return len(self._postings) + len(self.others)


def _numpy() -> Any:
    """numpy, imported on first use: only a search needs it (a map's workers never load
    it). prready calls no BLAS routine, so unless the user chose otherwise OpenBLAS starts
    no thread pool at import (its threads would only spin: 0.08 CPU-s on 2 cores)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy

    return numpy


def _idf(n_docs: int, df: int) -> float:
    return round(math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)), 4)


_PLAIN_TAG = "bm25:4"


def _postings_in_python(
    doc_list: list[Mapping[str, float]],
    position: dict[str, int],
    path_only: set[str],
    in_path: list[list[str]],
    norms: list[float],
    k1: float,
) -> tuple[array[int], array[float]]:
    """The postings' document ids and BM25 weights (`tf * k1 / (tf + norm)`), each term's
    run (terms in `position` order) in document order: what `BM25Index.build` stores (see
    there), in Python; the C speed-up's `postings` takes the same arguments."""
    kept = (position.keys() - path_only).__contains__ if in_path else position.__contains__
    # Every kept posting as (term's position, document, weight) in three flat lists,
    # documents in order; a stable sort by the terms' positions (integers: cheaper to
    # compare than the words) then lays each term's run out in document order (a
    # document holds a term once: the order of its terms within it does not matter).
    post_terms: list[int] = []
    post_ids: list[int] = []
    post_weights: list[float] = []
    for doc_id, doc in enumerate(doc_list):
        norm = norms[doc_id]
        terms = list(filter(kept, doc))  # C-level, no set built per document
        if in_path and in_path[doc_id]:
            terms += in_path[doc_id]
        post_terms.extend(map(position.__getitem__, terms))
        post_ids.extend(repeat(doc_id, len(terms)))
        # A document's frequencies take a few distinct values (small sums of the field
        # weights): each one's weight is computed once, the postings look theirs up.
        saturated = {tf: tf * k1 / (tf + norm) for tf in set(doc.values())}
        post_weights.extend(map(saturated.__getitem__, map(doc.__getitem__, terms)))
    order = sorted(range(len(post_terms)), key=post_terms.__getitem__)
    if len(order) > 1:  # one itemgetter call each picks the runs out in C
        pick = itemgetter(*order)
        ids, weights = array("i", pick(post_ids)), array("d", pick(post_weights))
    else:
        ids = array("i", map(post_ids.__getitem__, order))
        weights = array("d", map(post_weights.__getitem__, order))
    return ids, weights


@dataclass
class BM25Index:
    """An inverted BM25 index over named documents (weighted term frequencies).

    Each posting holds its term's saturated, length-normalised frequency, computed once
    at build time, so a query is a sum of idf x weight over the postings of its terms.
    Postings are kept only for terms in at most `max_df` of the documents (see `build`);
    every term keeps its IDF."""

    postings: PackedPostings
    idfs: Idfs
    names: list[str]
    # Terms in more documents than this have no postings (a search can only skip more).
    max_df: float = MAX_DF
    _ids: dict[str, int] | None = field(default=None, repr=False, compare=False)
    # The last query's runs (`_runs`): a caller asks for the terms of the hits it shows.
    _last: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def build(
        cls,
        docs: Mapping[str, Mapping[str, float]],
        *,
        max_df: float = MAX_DF,
        paths: Mapping[str, Iterable[str]] | None = None,
        compiled: Any = _compiled,
    ) -> BM25Index:
        """Index `docs`. A term in more than `max_df` of the documents (at least
        MIN_DF_CUTOFF) keeps its IDF but no postings: its IDF is near zero, a search skips
        it (see `search`), and such terms hold half of all postings.

        `paths`: each document's path terms. A term too common to keep postings that only
        few documents have in their path names a folder or file (diffusers: `controlnet`
        in the docs and code of more files than keep postings, in the paths of 50 of its
        1,042; a backend's folder, `backends/cpu/`): it keeps postings for those documents
        only, with its IDF over all of them (low: a common word). Those documents' match
        on it is most of what BM25 would give it; the others' would be their prose's few
        mentions.

        `compiled`: the C speed-up, which lays the postings out in one counting pass (None:
        `_postings_in_python`, the same arrays)."""
        names = sorted(docs)
        doc_list = [docs[name] for name in names]
        n = len(names)
        df = Counter(chain.from_iterable(doc_list))
        cutoff = _df_cutoff(n, max_df)
        others = {term: _idf(n, c) for term, c in df.items() if c > cutoff}
        in_path: list[list[str]] = []  # per document, its path terms that only paths keep
        path_only: set[str] = set()
        in_paths: dict[str, float] = {}  # those terms' IDFs
        if paths is not None and others:
            doc_paths = [dict.fromkeys(paths.get(name, ())) for name in names]
            path_df = _paths_only(others, doc_paths, cutoff, in_paths)
            for term, count in path_df.items():  # (their runs: the documents whose paths hold them)
                df[term] = count
            path_only = set(path_df)
            if path_only:
                in_path = [[t for t in terms if t in path_only] for terms in doc_paths]
        terms_sorted = sorted(df.keys() - others.keys())
        position = dict(zip(terms_sorted, range(len(terms_sorted)), strict=True))
        starts = array("i", [0])
        starts.extend(accumulate(map(df.__getitem__, terms_sorted)))
        norms = _norms([float(sum(doc.values())) or 1.0 for doc in doc_list])
        if compiled is not None:  # the same runs, filled in one counting pass in C
            laid_out = compiled.postings(
                doc_list, position, path_only, in_path, norms, K1 + 1, starts
            )
            ids, weights = array("i"), array("d")
            ids.frombytes(laid_out[0])
            weights.frombytes(laid_out[1])
        else:
            ids, weights = _postings_in_python(
                doc_list, position, path_only, in_path, norms, K1 + 1
            )
        postings = PackedPostings(terms_sorted, starts, ids, weights, n)
        return cls(postings, Idfs(postings, n, others, in_paths), names, float(max_df))

    @classmethod
    def from_fields(
        cls,
        units: Mapping[str, tuple[tuple[TermPairs, TermPairs] | None, list[str]]],
        *,
        max_df: float = MAX_DF,
        compiled: Any = _compiled,
    ) -> BM25Index:
        """`build` over the units' documents `unit_terms` gives (units: name -> (its
        file's defined-name and prose fields, or None; its path words)), the path words as
        `paths`: the same index. With `compiled` and the fields as stored (PackedTerms),
        the documents are counted by term id in C (`term_table`), not built as a dict
        each and counted again; else `build` itself."""
        if compiled is None or not all(
            f is None or (isinstance(f[0], PackedTerms) and isinstance(f[1], PackedTerms))
            for f, _ in units.values()
        ):
            docs = {}
            for name, (fields, words) in units.items():
                defs, prose = fields if fields is not None else ((), ())
                docs[name] = unit_terms("", defs, prose, path_words=words)
            return cls.build(docs, max_df=max_df, paths={n: w for n, (_, w) in units.items()})
        names = sorted(units)
        terms, df_b, sums, offsets, term_ids, tfs = compiled.term_table(
            [_plain_fields(*units[name]) for name in names], PROSE_WEIGHT, DEF_WEIGHT, PATH_WEIGHT
        )
        df = array("i", df_b)
        n = len(names)
        cutoff = _df_cutoff(n, max_df)
        # (Ids are in the order terms were first seen, as `build`'s Counter keeps them.)
        common = list(compress(range(len(terms)), map(cutoff.__lt__, df)))
        others = {terms[i]: _idf(n, df[i]) for i in common}
        in_path: list[list[int]] = []  # as in `build`, by id
        in_paths: dict[str, float] = {}
        only = b""  # a byte per id: 1 for a term kept for its paths only
        if others:
            doc_paths = [dict.fromkeys(units[name][1]) for name in names]
            path_df = _paths_only(others, doc_paths, cutoff, in_paths)
            if path_df:
                id_of = {terms[i]: i for i in common}
                mask = bytearray(len(terms))
                for term, count in path_df.items():
                    df[id_of[term]] = count
                    mask[id_of[term]] = 1
                in_path = [[id_of[t] for t in words if t in path_df] for words in doc_paths]
                only = bytes(mask)
        # The kept terms (all but those without postings) in term order.
        unkept = {i for i in common if terms[i] in others}
        kept = [i for i in range(len(terms)) if i not in unkept] if unkept else range(len(terms))
        order = sorted(kept, key=terms.__getitem__)
        starts = array("i", [0])
        starts.extend(accumulate(map(df.__getitem__, order)))
        norms = _norms([float(total) or 1.0 for total in sums])
        laid_out = compiled.postings_by_id(
            len(terms),
            offsets,
            term_ids,
            tfs,
            array("i", order),
            only,
            in_path,
            norms,
            K1 + 1,
            starts,
        )
        ids, weights = array("i"), array("d")
        ids.frombytes(laid_out[0])
        weights.frombytes(laid_out[1])
        postings = PackedPostings(list(map(terms.__getitem__, order)), starts, ids, weights, n)
        return cls(postings, Idfs(postings, n, others, in_paths), names, float(max_df))

    def idf(self, term: str) -> float:
        return self.idfs.get(term, 0.0)

    def to_plain(self) -> tuple[Any, ...]:
        """The index as marshal-able values: the kept terms in order (one string, a term
        per line, unless a term holds a newline), flat byte strings of where each term's
        postings start, the document ids and weights; the IDFs of the terms without
        postings and of those with their paths' postings only. Loading it builds no object
        per term."""
        p = self.postings
        terms: tuple[str, ...] | str = tuple(p.terms)
        joined = "\n".join(terms)
        if joined.count("\n") == len(terms) - 1:
            terms = joined
        return (
            _PLAIN_TAG,
            list(self.names),
            terms,
            p.starts.tobytes(),
            p.ids.tobytes(),
            p.weights.tobytes(),
            self.idfs.others,
            self.max_df,
            self.idfs.in_paths,
        )

    @classmethod
    def from_plain(cls, value: object) -> BM25Index | None:
        """The index `to_plain` stored, or None when `value` is not one (another version,
        a damaged row)."""
        if not (isinstance(value, tuple) and len(value) == 9 and value[0] == _PLAIN_TAG):
            return None
        _, names, terms, starts_b, ids_b, weights_b, others, max_df, in_paths = value
        if not (
            isinstance(names, list)
            and isinstance(terms, (tuple, str))
            and all(isinstance(b, bytes) for b in (starts_b, ids_b, weights_b))
            and isinstance(others, dict)
            and isinstance(max_df, float)
            and isinstance(in_paths, dict)
        ):
            return None
        try:
            starts, ids, weights = array("i", starts_b), array("i", ids_b), array("d", weights_b)
        except ValueError:  # not a whole number of items
            return None
        # Checked here in O(1) (a joined string: its line count); each term's run is
        # checked when a query first reads it.
        n_terms = len(terms) if isinstance(terms, tuple) else terms.count("\n") + bool(terms)
        if not (len(starts) == n_terms + 1 and len(ids) == len(weights) == starts[-1]):
            return None
        postings = PackedPostings(terms, starts, ids, weights, len(names))
        return cls(postings, Idfs(postings, len(names), others, in_paths), names, max_df)

    def search(
        self,
        query: Mapping[str, float],
        *,
        limit: int = 50,
        max_df: float | None = None,
        with_terms: bool = True,
        compiled: Any = _compiled,
    ) -> list[tuple[str, float, list[str]]]:
        """The best documents for a weighted query, best first (equal scores in name
        order): (name, score, matched terms by gain; none without `with_terms`). A term
        weighted zero or less matches nothing.

        Terms in more than `max_df` of the documents are skipped: their IDF is near zero,
        and walking their postings would cost most of the time for nothing. (The index
        holds no postings for terms beyond the `max_df` it was built with, the default.)

        `compiled`: the C speed-up, which adds the postings up, picks the best and reads
        their terms' gains (None: `_best_in_numpy` and `_ranked_terms`, the same documents,
        scores and terms)."""
        n = len(self.names)
        if not n or limit < 1:
            return []
        limit = min(limit, n)
        runs, terms = self._runs(query, max_df, compiled)
        if not runs:
            return []
        if compiled is not None:
            hits = compiled.best(self.postings.ids, self.postings.weights, n, runs, limit)
        else:
            hits = _best_in_numpy(self.postings, runs, limit)
        names = self.names
        if not with_terms:
            return [(names[d], s, []) for d, s in hits]
        ranked = self._terms_by_gain(runs, terms, [d for d, _ in hits], compiled)
        return [(names[d], s, ranked[d]) for d, s in hits]

    def matched_terms(
        self,
        query: Mapping[str, float],
        names: Iterable[str],
        *,
        max_df: float | None = None,
        compiled: Any = _compiled,
    ) -> dict[str, list[str]]:
        """The matched terms `search` gives each of the documents `names` (by gain, best
        first), without scoring the others: a caller that shows a few hits' terms asks
        for theirs only."""
        if self._ids is None:
            self._ids = {name: i for i, name in enumerate(self.names)}
        wanted = {self._ids[name]: name for name in names if name in self._ids}
        runs, terms = self._runs(query, max_df, compiled)
        ranked = self._terms_by_gain(runs, terms, list(wanted), compiled)
        return {name: ranked[doc_id] for doc_id, name in wanted.items()}

    def _runs(
        self, query: Mapping[str, float], max_df: float | None, compiled: Any = _compiled
    ) -> tuple[list[tuple[int, int, float]], list[str]]:
        """The terms of `query` a search adds up, in the query's order: each one's run of
        postings (start, stop) with its factor (IDF x query weight), and the terms."""
        key = (tuple(query.items()), max_df, compiled)
        if self._last and self._last[0] == key:
            return self._last[1], self._last[2]
        cutoff = _df_cutoff(len(self.names), self.max_df if max_df is None else max_df)
        cutoff = min(cutoff, len(self.postings.ids))  # (no run is longer)
        runs: list[tuple[int, int, float]] = []
        terms: list[str] = []
        if compiled is not None and type(query) is dict:  # the same loop, in C
            runs, terms = compiled.query_runs(
                query,
                self.postings.positions,
                self.postings.starts,
                cutoff,
                self.idfs.in_paths,
                self.idfs.by_df,
                self.idfs.of_frequency,
            )
            self._last = (key, runs, terms)
            return runs, terms
        position, starts = self.postings.positions.get, self.postings.starts
        idf, in_paths = self.idfs.of_frequency, self.idfs.in_paths
        for term, qweight in query.items():
            at = position(term, -1)
            if at < 0 or qweight <= 0:
                continue
            start, stop = starts[at], starts[at + 1]
            size = stop - start
            if size <= 0 or size > cutoff:
                continue
            # A term's postings are its documents (but a path's word's: see `build`).
            runs.append((start, stop, (in_paths.get(term) or idf(size)) * qweight))
            terms.append(term)
        self._last = (key, runs, terms)
        return runs, terms

    def _terms_by_gain(
        self,
        runs: list[tuple[int, int, float]],
        terms: list[str],
        doc_ids: list[int],
        compiled: Any,
    ) -> dict[int, list[str]]:
        """Each document of `doc_ids`' terms among `runs` (`_runs`), by gain, best first
        (equal gains by term)."""
        if compiled is None:
            run = self.postings.run
            used = [
                (term, factor, run(term)) for term, (_, _, factor) in zip(terms, runs, strict=True)
            ]
            return _ranked_terms(used, doc_ids)
        found = compiled.gains(
            self.postings.ids, self.postings.weights, len(self.names), runs, doc_ids
        )
        return {  # by gain, then term: (-gain, term) pairs in their plain order
            doc_id: [term for _, term in sorted([(g, terms[i]) for g, i in pairs])]
            for doc_id, pairs in zip(doc_ids, found, strict=True)
        }


def _norms(lengths: list[float]) -> list[float]:
    """Each document's BM25 length norm, from its length (summed term frequencies)."""
    avg = (sum(lengths) / len(lengths)) if lengths else 1.0
    return [K1 * (1 - B + B * length / avg) for length in lengths]


def _paths_only(
    others: dict[str, float],
    doc_paths: list[dict[str, None]],
    cutoff: int,
    in_paths: dict[str, float],
) -> dict[str, int]:
    """The terms too common to keep postings (`others`: term -> IDF) that are in the paths
    of few documents (`doc_paths`: each one's distinct path terms), with how many: such a
    term keeps postings for those documents only (see `BM25Index.build`). Each one's IDF
    moves from `others` to `in_paths`, in term order (the same index in every process)."""
    path_df = Counter(t for terms in doc_paths for t in terms if t in others)
    kept = {t: count for t, count in path_df.items() if count <= cutoff}
    for term in sorted(kept):
        in_paths[term] = others.pop(term)
    return kept


def _plain_fields(
    fields: tuple[TermPairs, TermPairs] | None, words: list[str]
) -> tuple[tuple[list[str], bytes, list[str], bytes] | None, list[str]]:
    """A unit as `term_table` reads it: (defined-name terms and counts, prose terms and
    counts, or None; path words). Its fields are PackedTerms (see `from_fields`)."""
    if fields is None:
        return None, words
    defs, prose = fields
    assert isinstance(defs, PackedTerms) and isinstance(prose, PackedTerms)
    return (defs.terms, defs.counts, prose.terms, prose.counts), words


def _best_in_numpy(
    postings: PackedPostings, runs: list[tuple[int, int, float]], limit: int
) -> list[tuple[int, float]]:
    """The `limit` best (document, score) of a search over `runs` ((start, stop, factor)
    in the query's order), best first, equal scores by document: what the C speed-up's
    `best` gives. A run past the arrays or with a document id out of range adds nothing."""
    np = _numpy()
    ids, weights, whole = postings.arrays()
    n = postings.n_docs
    run_ids: list[Any] = []
    run_weights: list[Any] = []
    factors: list[float] = []
    for start, stop, factor in runs:
        if not 0 <= start < stop <= len(ids):  # a run past the arrays: damaged
            continue
        run = ids[start:stop]
        if whole or (run.min() >= 0 and run.max() < n):
            run_ids.append(run)
            run_weights.append(weights[start:stop])
            factors.append(factor)
    if not run_ids:
        return []
    # The runs laid end to end, each scaled by its factor; `bincount` then adds them up
    # per document in that order, as a loop over the postings would (the same sums, bit
    # for bit), in C.
    gains = np.concatenate(run_weights)
    gains *= np.repeat(factors, list(map(len, run_ids)))
    scores = np.bincount(np.concatenate(run_ids), weights=gains, minlength=n)
    # The documents scored are those with a positive sum. The `limit` best, equal scores
    # by document (names in order): those at least as good as the `limit`th (a partial
    # sort finds its score), in document order, then a stable sort of those few.
    neg = np.negative(scores)
    edge = np.partition(neg, limit - 1)[limit - 1] if n > limit else 0.0
    hits = np.flatnonzero(neg <= edge) if edge < 0 else np.flatnonzero(neg < 0)
    best_ids = hits[np.argsort(neg[hits], kind="stable")[:limit]]
    return list(zip(best_ids.tolist(), scores[best_ids].tolist(), strict=True))


def _ranked_terms(
    used: list[tuple[str, float, dict[int, float]]], doc_ids: list[int]
) -> dict[int, list[str]]:
    """Each document's terms among `used` ((term, factor, postings) in query order), by
    gain: the documents in a term's postings are found by a C-level intersection per
    term (not a look-up per document and term)."""
    gains: dict[int, list[tuple[float, str]]] = {doc_id: [] for doc_id in doc_ids}
    wanted = gains.keys()
    for term, factor, plist in used:
        for doc_id in wanted & plist.keys():
            gains[doc_id].append((-factor * plist[doc_id], term))
    return {doc_id: [t for _, t in sorted(ranked)] for doc_id, ranked in gains.items()}


def _df_cutoff(n_docs: int, max_df: float) -> int:
    """The most documents a term may be in and still count in a search."""
    return max(MIN_DF_CUTOFF, int(n_docs * max_df))


def query_terms(
    title: str,
    body: str,
    *,
    title_weight: float = 2.0,
    splits: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, float]:
    """Weighted query terms of an issue: title words count more; each distinct word
    counts once however often the text repeats it (a pasted log must not drown the title).
    `splits`: each token's words, kept by a caller that maps many texts (see
    `count_terms`)."""
    splits = {} if splits is None else splits
    weights: dict[str, float] = dict.fromkeys(_distinct_words(body, splits), 1.0)
    for word in _distinct_words(title, splits):
        weights[word] = weights.get(word, 0.0) + title_weight
    return weights


def _distinct_words(
    text: str, splits: dict[str, tuple[str, ...]], compiled: Any = _compiled
) -> Iterable[str]:
    """The terms of `text` once each, in the order of their first use (as `count_terms`
    gives them, without counting): each distinct token split once (into `splits`), all
    in C but the splitting of a token not seen before (`compiled`: that too, as the
    speed-up splits a file's tokens)."""
    if compiled is not None:
        return compiled.add_up(
            dict.fromkeys(IDENTIFIER.findall(text), 1), splits, _split, STOPWORDS
        )
    tokens = dict.fromkeys(IDENTIFIER.findall(text))
    try:  # issues repeat their words: usually every token is known
        return dict.fromkeys(chain.from_iterable(map(splits.__getitem__, tokens)))
    except KeyError:
        # (set.difference walks the tokens; a keys view's difference would walk the memo.)
        for token in set(tokens).difference(splits):
            splits[token] = split_identifier(token, splits)
    return dict.fromkeys(chain.from_iterable(map(splits.__getitem__, tokens)))


def _top(counts: Mapping[str, int], limit: int) -> tuple[str, bytes]:
    """The most frequent `limit` terms (ties: the first seen), packed: sorted by term and
    joined by spaces, and their counts capped at 5 as bytes."""
    if len(counts) > limit:  # a stable C-level sort: what most_common's heap keeps, faster
        counts = dict(sorted(counts.items(), key=itemgetter(1), reverse=True)[:limit])
    terms = sorted(counts)
    return " ".join(terms), bytes(map(min, map(counts.__getitem__, terms), repeat(5)))
