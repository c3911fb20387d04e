"""Which documentation page an issue is about: "the Randomness guide's example fails",
"typo in the quickstart", "broken link on https://jax.readthedocs.io/en/latest/
installation.html", "README: deadlink". A docs issue's fix is in that page, not in the
library code the mapping ranks, so a step card sends its reader there first.

Pages are the repository's own documentation: files with a docs suffix under a docs folder
(functorch/docs/ too), top-level ones (README.md, CONTRIBUTING.md) and READMEs anywhere;
never changelogs, issue templates, vendored projects' pages or translations (a reporter
who writes in English reads the English page).
Pages are ranked by BM25 over their path words, titles, headings and text (lexicon's
terms), with exact evidence above it: a docs-site or blob URL that resolves to the page
(the PyPI page of the repository's package is its README), the page's file name (or one
it nearly spells: "Getting_Start.md"), the page's name or title written in the issue's
title ("autodiff cookbook", "Inference tutorial"), an API page named after the module the
issue names (`jax.nn.standardize` -> docs/jax.nn.rst).

Pure: the app layer reads the pages (app/docs_pages.py) and hands their text here.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from prready.analysis.lexicon import BM25Index, count_terms, path_terms, query_terms

PAGE_SUFFIXES = (".md", ".mdx", ".rst", ".ipynb")
DOCS_FOLDERS = frozenset({"doc", "docs", "documentation", "docs_nnx", "g3doc", "docsrc"})
MAX_PAGE_CHARS = 256_000  # a page beyond this adds noise, not evidence
# Field weights, as lexicon weighs a code unit's path against its prose.
PATH_WEIGHT = 3
TITLE_WEIGHT = 3
HEADING_WEIGHT = 2
MAX_PAGES = 8  # pages ranked for a step (it shows one or two)
MAX_URLS = 50  # an issue's distinct links tried on every page
MAX_MISSPELT = 20  # an issue's file names that name no page, compared with every page's
MIN_MISSPELT = 6  # letters of a file stem before it can be a misspelling

# Exact evidence, above any lexical score (which is at most 1 after normalising).
URL_BONUS = 2.0
FILE_NAME_BONUS = 2.0
NAMED_BONUS = 1.0
CLOSE_NAME = 0.85  # difflib's ratio for a misspelt file name
API_PAGE_BONUS = 1.2

# Someone else's code, kept here: its pages document that project, not this one.
_VENDORED = frozenset(
    {"third_party", "third-party", "thirdparty", "vendor", "vendored", "external", "extern"}
    | {"node_modules", "site-packages"}
)
_NOT_PAGES = re.compile(
    r"(?:^|/)(?:change_?log|changes|history|news|release[_-]?notes?|whats?_?new|"
    r"code_of_conduct|security|license|authors|contributors|citation)[^/]*$",
    re.IGNORECASE,
)
# Translated pages: docs/source/ko/..., guide_ko/, index.zh-CN.md.
_LANGUAGES = "ar|cn|de|es|fa|fr|hi|it|ja|jp|ko|pt|pt-br|ru|te|tr|vi|zh|zh-cn|zh_cn|zh-hans|zh-tw"
_TRANSLATED = re.compile(
    rf"(?:^|/)(?:{_LANGUAGES})/|_(?:{_LANGUAGES})/|\.(?:{_LANGUAGES})\.\w+$", re.IGNORECASE
)
_LANGUAGE_TAG = re.compile(rf"[_.-](?:{_LANGUAGES})\.\w+$", re.IGNORECASE)  # readme_zh.md
# The page-name words a title uses about any page: no evidence of which.
_GENERIC_TEXT = """index api apis intro introduction overview main usage reference summary conf
contents toc notes note guide guides tutorial tutorials example examples doc docs documentation
source page pages modules module basics start"""
_GENERIC_STEMS = frozenset(_GENERIC_TEXT.split())
_AUTODOC = re.compile(
    r"^[ \t]*(?:\.\.[ \t]+auto\w+::|\[\[autodoc\]\]|:::[ \t]+[A-Za-z_][\w.]*[ \t]*$)",
    re.MULTILINE,
)
_NONE = (0.0, "", False)
# Title words that say an issue is about the docs, not which page (as `query_terms` gives
# them: stemmed).
_FILLER_TEXT = """doc docs documentation document documented docstring typo fix wrong error
incorrect example update missing broken link page section issue bug improve add clarify"""
_TITLE_FILLER = frozenset(_FILLER_TEXT.split())
_GLUE = frozenset(["in", "the", "a", "an", "of", "and", "to", "with", "for", "on"])
_URL = re.compile(r"https?://[^\s<>()\"'`\]]+", re.IGNORECASE)
_BLOB = re.compile(r"/(?:blob|tree|edit|raw)/[^/]+/(.+)$")
# A page's file name written in a text ("IR.md", "Getting_Start.md"): tried from a token's
# start only and bounded, so linear in a hostile text.
_SUFFIX_WORDS = "|".join(suffix.lstrip(".") for suffix in PAGE_SUFFIXES)
PAGE_NAME = re.compile(rf"(?<![\w.-])[\w.-]{{1,120}}\.(?:{_SUFFIX_WORDS})\b", re.IGNORECASE)
_DOTTED = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
# Site path parts that are no page: versions, languages, the docs root.
_SITE_PARTS = re.compile(
    r"^(?:en|latest|stable|main|master|dev|docs?|html|v?\d+(?:\.\d+)*\w*|_?build)$",
    re.IGNORECASE,
)
# A heading's closing `#`s are cut in code: a lazy match before them is quadratic on a
# hostile line of " #" pairs.
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+([^\n]{1,300})", re.MULTILINE)
_RST_HEADING = re.compile(r"^([^\s].*)\n([=\-~^\"'`#*+]){3,}[ \t]*$", re.MULTILINE)
_FRONT_TITLE = re.compile(r"\A---\s*\n(?:.*\n){0,20}?title:[ \t]*[\"']?([^\"'\n]+)", re.MULTILINE)


def is_page(path: str) -> bool:
    """Whether a tracked file is a documentation page prready ranks."""
    lower = path.lower()
    if not lower.endswith(PAGE_SUFFIXES) or lower.startswith(".") or "/." in lower:
        return False
    if _NOT_PAGES.search(lower) or _TRANSLATED.search(lower):
        return False
    parts = lower.split("/")
    if len(parts) == 1:
        return True
    if _VENDORED.intersection(parts[:-1]):
        return False
    return bool(DOCS_FOLDERS.intersection(parts[:-1])) or parts[-1].startswith("readme")


def page_text(path: str, data: str) -> str:
    """What a page says: a notebook's cells' sources, any other page's text as written."""
    if path.lower().endswith(".ipynb"):
        try:
            cells = json.loads(data).get("cells", [])
            return "\n\n".join(
                "".join(c["source"]) if isinstance(c.get("source"), list) else str(c["source"])
                for c in cells
                if isinstance(c, dict) and "source" in c
            )[:MAX_PAGE_CHARS]
        except (ValueError, AttributeError, TypeError, KeyError):
            return ""
    return data[:MAX_PAGE_CHARS]


def headings(text: str) -> list[str]:
    """A page's headings in order (Markdown `#` lines, reStructuredText underlined lines,
    a front matter's `title:` first): the first is the page's title."""
    found: list[tuple[int, str]] = []
    if (front := _FRONT_TITLE.match(text)) is not None:
        found.append((-1, front.group(1).strip()))
    found += [(m.start(), m.group(1).rstrip(" \t#").strip()) for m in _MD_HEADING.finditer(text)]
    found += [
        (m.start(), m.group(1).strip())
        for m in _RST_HEADING.finditer(text)
        if len(m.group(0).splitlines()[-1].strip()) >= len(m.group(1).strip()) - 2
    ]
    return [h for _, h in sorted(found) if h]


def page_fields(
    path: str, data: str, splits: dict[str, tuple[str, ...]]
) -> tuple[str, dict[str, int], bool]:
    """A page's title ("" if none), weighted terms (path words, title and headings above
    its text's words) and whether it renders the code's docstrings (`.. autofunction::`,
    `[[autodoc]]`, `::: optax.adam`); `data` is the file as read (a notebook's JSON)."""
    text = page_text(path, data)
    terms = count_terms(text, splits)
    heads = headings(text)
    for weight, words in (
        (PATH_WEIGHT, path_terms(path, splits)),
        (TITLE_WEIGHT - 1, list(count_terms(heads[0], splits)) if heads else []),
        (HEADING_WEIGHT - 1, list(count_terms("\n".join(heads), splits))),
    ):
        for word in words:
            terms[word] = terms.get(word, 0) + weight
    return (heads[0] if heads else "")[:200], terms, _AUTODOC.search(text) is not None


@dataclass(frozen=True)
class PageMatch:
    """A page ranked for an issue, with why (shown on the step card)."""

    path: str
    score: float
    evidence: str
    exact: bool  # found by a URL, a file name or its name in the title, not words alone
    renders_code: bool = False  # the page shows the code's docstrings (see `page_fields`)
    linked: bool = False  # the issue links the page or names its file


@dataclass(frozen=True)
class DocsPages:
    """The repository's documentation pages, indexed for `rank`: each page's title and
    BM25 over its terms (`page_terms`)."""

    titles: Mapping[str, str]  # page path -> its title ("" if none)
    lexical: BM25Index | None = field(default=None, compare=False)
    renders_code: frozenset[str] = frozenset()  # pages showing the code's docstrings

    @classmethod
    def build(cls, fields: Mapping[str, tuple[str, Mapping[str, int], bool]]) -> DocsPages:
        """Index the pages: path -> (title, terms, renders code), as `page_fields` gives
        them."""
        docs = {path: dict(terms) for path, (_, terms, _) in sorted(fields.items())}
        titles = {path: title for path, (title, _, _) in sorted(fields.items())}
        api = frozenset(path for path, (_, _, renders) in fields.items() if renders)
        return cls(titles, BM25Index.build(docs) if docs else None, api)

    @cached_property
    def _names(self) -> _PageNames:
        """The lookups by file name every ranked issue uses, made once per index."""
        return _PageNames.of(self.titles)

    def rank(
        self, title: str, body: str, *, packages: Iterable[str] = (), limit: int = MAX_PAGES
    ) -> list[PageMatch]:
        """The pages an issue is most likely about, best first; none when no page shares
        a word with it. `packages`: the repository's package names, which name no page
        on their own ("jax" is in every jax issue's title, and the stem of docs/jax.rst)."""
        if not self.titles:
            return []
        exact = _exact_evidence(title, body, self._names, {p.lower() for p in packages})
        found = (
            self.lexical.search(query_terms(title, body), limit=20, with_terms=True)
            if self.lexical is not None
            else []
        )
        # A page found by words alone shares a word of the title that says what the issue
        # is about, and that fewer than half the pages use: the only page of a repository
        # is no match for "OneCycleLR docs" because it says "documentation" or "steps" too.
        # (An API reference is kept for a title saying the docs lack a name: it cannot
        # share the name it lacks.)
        about = {
            term
            for term in query_terms(title, "")
            if term not in _TITLE_FILLER and self._rare(term)
        }
        lacking = asks_for_listing(title)
        found = [
            (path, s, terms)
            for path, s, terms in found
            if about.intersection(terms) or (lacking and path in self.renders_code)
        ]
        best = max((s for _, s, _ in found), default=0.0) or 1.0
        scores: dict[str, float] = {path: s / best for path, s, _ in found}
        why: dict[str, str] = {
            path: "shares the words " + ", ".join(f"`{t}`" for t in terms[:3])
            for path, _, terms in found
        }
        for path, (bonus, reason, _) in exact.items():
            scores[path] = scores.get(path, 0.0) + bonus
            why[path] = reason
        ranked = sorted(scores.items(), key=lambda item: (-item[1], _depth(item[0]), item[0]))
        return [
            PageMatch(
                p, round(s, 3), why[p], p in exact, p in self.renders_code, exact.get(p, _NONE)[2]
            )
            for p, s in ranked[:limit]
            if s > 0
        ]

    def _rare(self, term: str) -> bool:
        """Whether fewer than half the pages use `term` (its IDF says so)."""
        try:
            return self.lexical is not None and self.lexical.idfs[term] > _HALF_IDF
        except KeyError:  # no page uses it
            return False


_HALF_IDF = math.log(2.0)  # BM25's IDF of a term in half the documents


def _depth(path: str) -> int:
    return path.count("/")


@dataclass(frozen=True)
class _PageNames:
    """The pages (path order) and their titles, looked up by file name (lowercase), by a
    name's suffix, and by stem (`docs/jax.numpy.rst` is `jax.numpy`)."""

    pages: tuple[str, ...]
    titles: Mapping[str, str]
    by_name: Mapping[str, tuple[str, ...]]
    by_suffix: Mapping[str, tuple[str, ...]]
    stems: Mapping[str, str]

    @classmethod
    def of(cls, titles: Mapping[str, str]) -> _PageNames:
        pages = sorted(titles)
        by_name: dict[str, list[str]] = {}
        for path in pages:
            by_name.setdefault(path.rsplit("/", 1)[-1].lower(), []).append(path)
        by_suffix: dict[str, list[str]] = {}
        for known in by_name:
            by_suffix.setdefault(known.rpartition(".")[2], []).append(known)
        stems = {path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower(): path for path in pages}
        return cls(
            tuple(pages),
            titles,
            {name: tuple(paths) for name, paths in by_name.items()},
            {suffix: tuple(names) for suffix, names in by_suffix.items()},
            stems,
        )


def _exact_evidence(
    title: str, body: str, names: _PageNames, packages: set[str]
) -> dict[str, tuple[float, str, bool]]:
    """Page -> (bonus, reason, linked) for the pages the issue points at itself (`linked`:
    by a URL or the file's name)."""
    pages, titles, by_name, stems = names.pages, names.titles, names.by_name, names.stems
    text = f"{title}\n{body[:20_000]}"
    out: dict[str, tuple[float, str, bool]] = {}

    def give(path: str, bonus: float, reason: str, linked: bool = False) -> None:
        if bonus > out.get(path, _NONE)[0]:
            out[path] = (bonus, reason, linked)

    for url in list(dict.fromkeys(_URL.findall(text)))[:MAX_URLS]:
        for path in _pages_of_url(url.rstrip(".,;:"), pages, packages):
            give(path, URL_BONUS, f"the issue links it ({url[:80]})", linked=True)
    misspelt = 0
    for name in dict.fromkeys(PAGE_NAME.findall(text)):
        wanted = name.lower()
        if wanted not in by_name and misspelt < MAX_MISSPELT:
            # Misspelt ("Getting_Start.md" for GETTING_STARTED.md); a few, not every one
            # of a hostile body's.
            misspelt += 1
            wanted = _close_name(wanted, names.by_suffix)
        for path in _shallowest(by_name.get(wanted, [])):
            give(path, FILE_NAME_BONUS, f"the issue names `{name}`", linked=True)
    title_words = _words(title)
    named_as: dict[str, list[str]] = {}
    for path in pages:
        named = _named_in(title_words, path, titles.get(path, ""), packages)
        if named:
            named_as.setdefault(named, []).append(path)
    for named, paths in named_as.items():
        # Of pages named alike, one whose file is named that and nothing more ("shard map":
        # docs/notebooks/shard_map.md, not docs/jep/14273-shard-map.md), the top-level one
        # (README.md, not docs/README.md); the more words, the surer.
        path = min(paths, key=lambda p: (_stem_words(p) != named.split(), _depth(p), p))
        give(path, NAMED_BONUS + 0.1 * (len(named.split()) - 1), f"the title names it: {named}")
    for dotted in _DOTTED.findall(text):
        if len(dotted) > 200:  # no API's name: a hostile run of "a.a.a..." joined per cut
            continue
        parts = dotted.lower().split(".")
        for cut in range(len(parts), 1, -1):
            page = stems.get(".".join(parts[:cut]))
            if page is not None:
                give(page, API_PAGE_BONUS, f"the API page of `{'.'.join(parts[:cut])}`")
                break
    return out


_PYPI_HOSTS = frozenset({"pypi.org", "www.pypi.org", "test.pypi.org", "pypi.python.org"})


def _pep503(name: str) -> str:
    """A package's name as PyPI compares them (`sentence_transformers` is
    `sentence-transformers`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pages_of_url(url: str, pages: Sequence[str], packages: Collection[str] = ()) -> list[str]:
    """The pages a URL shows: a blob link's path, a docs site's page by its path's last
    parts (`.../en/latest/notebooks/quickstart.html` -> docs/notebooks/quickstart.md), the
    top-level README for the PyPI page of one of the repository's `packages` (lowercase)."""
    address = url.split("#", 1)[0].split("?", 1)[0]
    host, _, rest = address.partition("://")[2].partition("/")
    blob = _BLOB.search("/" + rest)
    if host.lower() in _PYPI_HOSTS:
        # A package's PyPI page shows its long description: the repository's README.
        # (Another package's page, or PyPI's own, is no page of this repository.)
        kind, _, name = rest.partition("/")
        own = {_pep503(p) for p in packages}
        if kind.lower() in ("project", "pypi") and _pep503(name.split("/", 1)[0]) in own:
            return [p for p in pages if "/" not in p and p.lower().startswith("readme.")][:1]
        return []
    if "github.com" in host.lower():
        if blob is None:
            return []
        wanted = blob.group(1).strip("/")
        return [p for p in pages if p == wanted or p.lower() == wanted.lower()]
    parts = [p for p in rest.split("/") if p and not _SITE_PARTS.match(p)]
    if not parts:
        return []
    stem = re.sub(r"\.(?:html?|md|rst|ipynb)$", "", parts[-1], flags=re.IGNORECASE)
    wanted_stem = _norm(stem)
    folders = [_norm(p) for p in parts[:-1]]
    scored = []
    for path in pages:
        pieces = path.rsplit(".", 1)[0].split("/")
        # The page itself, or its folder's index (`.../samplers/` -> samplers/index.rst).
        folder_index = _norm(pieces[-1]) == "index" and len(pieces) > 1
        if wanted_stem not in (_norm(pieces[-1]), _norm(pieces[-2]) if folder_index else None):
            continue
        shared = len(set(folders) & {_norm(p) for p in pieces[:-1]})
        scored.append((-shared, len(pieces), path))
    scored.sort()
    return [path for *_, path in scored[:1]]


def _stem_words(path: str) -> list[str]:
    """The words of a page's file stem, camelCase split ("Common_Gotchas_in_JAX" ->
    common, gotchas, in, jax)."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _words(_camel(stem))


def _camel(text: str) -> str:
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", text)


def _close_name(name: str, by_suffix: Mapping[str, Sequence[str]]) -> str:
    """The page file name the lowercase `name` misspells (same suffix, nearly the same
    letters), or "". A short name ("fa.md") or a translation's ("readme_zh.md") is no
    misspelling of another page's."""
    stem, _, suffix = name.rpartition(".")
    if len(stem) < MIN_MISSPELT or _LANGUAGE_TAG.search(name):
        return ""
    close = difflib.get_close_matches(name, by_suffix.get(suffix, []), n=1, cutoff=CLOSE_NAME)
    return close[0] if close else ""


def _norm(part: str) -> str:
    return re.sub(r"[-_ ]+", "", part.lower())


def _shallowest(paths: Sequence[str]) -> list[str]:
    if not paths:
        return []
    least = min(_depth(p) for p in paths)
    return [p for p in paths if _depth(p) == least][:1]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def _named_in(title_words: list[str], path: str, page_title: str, packages: set[str]) -> str:
    """The page's name (its file stem's words, or its title's) when the issue's title
    writes all of them: "Megatron tutorial" names docs/_tutorials/megatron.md, "autodiff
    cookbook" autodiff_cookbook.ipynb, "readme" README.md; a stem of one generic word
    ("api", "index") or a package's name names nothing, nor a title of one word."""
    if not title_words:
        return ""
    have = set(title_words) | {w.rstrip("s") for w in title_words}
    for words, least in ((_stem_words(path), 1), (_words(_camel(page_title)), 2)):
        words = [w for w in words if not w.isdigit()]
        words = [w for w in words if w not in _GLUE]
        if not least <= len(words) <= 5:
            continue
        if len(words) == 1 and (words[0] in _GENERIC_STEMS or words[0] in packages):
            continue
        # Every word but the package's ("Common Gotchas" names Common_Gotchas_in_JAX.md).
        written = [w for w in words if w in have or w.rstrip("s") in have]
        if len(written) == len(words) - sum(w in packages and w not in have for w in words) and any(
            w not in _GENERIC_STEMS and w not in packages for w in written
        ):
            return " ".join(written)
    return ""


def with_pages(
    reading: list[str],
    pages: list[PageMatch],
    title: str,
    *,
    docs_work: bool,
    names_code: bool = False,
) -> list[str]:
    """A step's "start reading" with the documentation pages it is about.

    Docs work: the best page (and the next when the issue points at it too) before the
    code, unless the docs in question are the code's own, whose docstring's file comes
    first then and the page after it: the best page only renders docstrings (an API
    reference), or the issue names an API the map places (`names_code`) and points at
    no page. Either way, a title saying the docs lack something ("SAM does not appear in
    the documentation", "Remove `X` from documentation") puts the page that lists the API
    first. Other work (a bug, a feature): only a guide the issue links or names ("AWS
    YARN Guide is very very broken"), after the first file; never an API reference, which
    a bug report links for the code it documents."""
    if docs_work and pages:
        lacking = asks_for_listing(title)
        best = pages[0]
        if lacking:  # the API reference that lists it, when one matches
            best = next((p for p in pages if p.renders_code), best)
            pages = [best, *(p for p in pages if p is not best)]
        own_docs = best.renders_code or (names_code and not best.exact)
        if lacking or not own_docs:
            first = [best.path, *(p.path for p in pages[1:2] if p.exact)]
            return list(dict.fromkeys([*first, *reading]))
    about_docs = _ABOUT_DOCS.search(title) is not None
    pointed = [
        p.path
        for p in pages
        if docs_work or (not p.renders_code and (p.linked or (p.exact and about_docs)))
    ][:1]
    return list(dict.fromkeys([*reading[:1], *pointed, *reading[1:]]))


# A title about a page of the docs, whatever the kind of work ("AWS YARN Guide is very
# very broken", "Broken 0.8.0 linked nightly release URL", "Fix Gradients accumulation
# example").
_ABOUT_DOCS = re.compile(
    r"\b(?:guides?|tutorials?|notebooks?|readme|docs?|documentation|instructions?|links?|"
    r"linked|urls?|examples?|cookbook|quickstart|faq)\b",
    re.IGNORECASE,
)


# A title saying the docs lack something: the page that lists the API is where it goes
# ("SAM does not appear in the documentation", "Encodings Section Missing").
_LACKING = re.compile(
    r"\b(?:missing|undocumented|not\s+(?:in|appear\w*|included|listed|shown|documented)"
    r"|(?:does|do)(?:n't|\s+not)\s+(?:appear|show\s+up))\b"
    r"|^\W*(?:document|add\s+(?:the\s+)?(?:docs?|documentation)\s+(?:for|of))\b"
    r"|\b(?:remove|drop)\b.{0,60}\bfrom\s+(?:the\s+)?(?:docs?|documentation)\b",
    re.IGNORECASE,
)


def asks_for_listing(title: str) -> bool:
    """Whether an issue's title says the documentation lacks something."""
    return _LACKING.search(title) is not None
