"""The documentation pages of a code map's checkout (analysis.docs_pages), read once per
file version: each page's title and terms are cached by git blob id in the parse cache, so
a new commit reads only the pages it changed, and the whole index is kept as
`index_cache` keeps one, so a warm plan only loads it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prready.analysis.docs_pages import DocsPages, is_page, page_fields
from prready.analysis.lexicon import BM25Index
from prready.app.index_cache import files_key, index_for_map
from prready.app.map import read_no_follow
from prready.code_models import CodeMap
from prready.sources.git_repo import list_files
from prready.store.parse_cache import ParseCache

SCANNER = "docs-pages:1"
INDEX_VERSION = "1"  # bump when DocsPages.build or page_fields changes
MAX_READ = 4_000_000  # a notebook with its outputs; the text kept is capped lower


def docs_pages(code_map: CodeMap, cache: ParseCache) -> DocsPages:
    """DocsPages over the checkout's documentation pages; `cache` is the parse cache the
    caller opened (read and written here, left open)."""
    if not any(is_page(path) for path in code_map.files):
        return DocsPages({})
    return index_for_map(
        cache,
        "docs-pages",
        INDEX_VERSION,
        code_map,
        _from_plain,
        lambda: _from_listing(code_map, cache),
    )


def _from_listing(code_map: CodeMap, cache: ParseCache) -> tuple[DocsPages, str]:
    root = Path(code_map.root)
    blobs = {f.path: f.blob for f in list_files(root) if f.kind == "file" and is_page(f.path)}
    key = files_key("docs-pages", INDEX_VERSION, blobs)
    whole = _from_plain(cache.load_snapshot(key))
    if whole is not None:
        return whole, key
    # The terms a page gives depend on its path too (its path words): cached by both.
    ids = {path: f"{blob}:{path}" for path, blob in blobs.items()}
    cached = cache.load(SCANNER, ids.values())
    fresh: dict[str, Any] = {}
    splits: dict[str, tuple[str, ...]] = {}
    for path in sorted(p for p, i in ids.items() if i not in cached):
        data = read_no_follow(os.path.join(root, path), limit=MAX_READ)
        if data is not None:
            title, terms, renders = page_fields(
                path, data.decode("utf-8", errors="replace"), splits
            )
            fresh[ids[path]] = (title, tuple(terms.items()), renders)
    cache.save(SCANNER, fresh)
    cached.update(fresh)
    pages = DocsPages.build(
        {
            path: (cached[i][0], dict(cached[i][1]), bool(cached[i][2]))
            for path, i in ids.items()
            if i in cached
        }
    )
    lexical = pages.lexical.to_plain() if pages.lexical is not None else None
    cache.save_snapshot(key, (dict(pages.titles), lexical, sorted(pages.renders_code)))
    return pages, key


def _from_plain(value: Any) -> DocsPages | None:
    try:
        titles, lexical, renders = value
        loaded = BM25Index.from_plain(lexical) if lexical is not None else None
        if lexical is not None and loaded is None:
            return None  # a damaged row: built again
        if not isinstance(titles, dict):
            return None
        return DocsPages(
            {str(p): str(t) for p, t in titles.items()},
            lexical=loaded,
            renders_code=frozenset(str(p) for p in renders),
        )
    except (TypeError, ValueError, AttributeError):
        return None
