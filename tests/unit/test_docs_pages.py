"""Which documentation page an issue is about (analysis/docs_pages.py), on pages and issue
texts shaped like real ones of ML libraries' repositories."""

from __future__ import annotations

import json
import time

import pytest

from prready.analysis.docs_pages import (
    DocsPages,
    PageMatch,
    asks_for_listing,
    headings,
    is_page,
    page_fields,
    page_text,
    with_pages,
)


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("README.md", True),
        ("CONTRIBUTING.md", True),
        ("docs/installation.md", True),
        ("docs/notebooks/quickstart.ipynb", True),
        ("doc/python/python_intro.rst", True),
        ("docs/source/en/training/custom_diffusion.md", True),
        ("jax/experimental/jax2tf/README.md", True),  # a README anywhere
        ("functorch/docs/source/tutorials/ensembling.md", True),  # a subproject's docs
        ("third_party/miniz-2.1.0/readme.md", False),  # a vendored project's
        ("third_party/onnx/docs/IR.md", False),
        ("CHANGELOG.md", False),  # never the page to start reading
        ("docs/release-notes.md", False),
        ("docs/source/ko/training/lora.md", False),  # a translation
        ("docs/source/guide_ko/minibatch-custom-sampler.rst", False),
        (".github/ISSUE_TEMPLATE/bug_report.md", False),
        ("examples/README.txt", False),  # not a page suffix
        ("src/accelerate/state.py", False),
        ("examples/community/notes.md", False),  # outside the docs folders
    ],
)
def test_what_counts_as_a_page(path: str, page: bool) -> None:
    assert is_page(path) is page


def test_a_notebook_is_read_by_its_cells_sources() -> None:
    notebook = json.dumps(
        {
            "cells": [
                {"cell_type": "markdown", "source": ["# JAX Quickstart\n", "Intro text"]},
                {"cell_type": "code", "source": "jax.config.update('jax_platform_name', 'cpu')",
                 "outputs": [{"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAA"}}]},
            ]
        }
    )  # fmt: skip
    text = page_text("docs/notebooks/quickstart.ipynb", notebook)
    assert "# JAX Quickstart" in text and "jax_platform_name" in text
    assert "iVBORw0KGgo" not in text  # outputs are not the page's words
    assert page_text("docs/broken.ipynb", "{not json") == ""


def test_headings_of_markdown_rst_and_front_matter() -> None:
    assert headings("# Installing JAX\n\ntext\n\n## Pip installation: GPU\n")[:2] == [
        "Installing JAX",
        "Pip installation: GPU",
    ]
    assert headings("Quickstart\n==========\n\nSome text\n\nLoading data\n------------\n") == [
        "Quickstart",
        "Loading data",
    ]
    jekyll = '---\ntitle: "Getting Started with DeepSpeed for Inferencing"\n---\n\n## Init\n'
    assert headings(jekyll)[0] == "Getting Started with DeepSpeed for Inferencing"


def _pages(pages: dict[str, str]) -> DocsPages:
    splits: dict[str, tuple[str, ...]] = {}
    return DocsPages.build({path: page_fields(path, text, splits) for path, text in pages.items()})


JAX_LIKE = {
    "README.md": "# JAX: Autograd and XLA\n\nInstall with pip. Citing JAX: see below.\n",
    "docs/README.md": "# Building the docs\n\nRun sphinx-build.\n",
    "docs/installation.md": "# Installing JAX\n\nconda install jaxlib=*=*cuda* jax cuda-nvcc\n"
    "pip install jax[cuda12]\n",
    "docs/notebooks/autodiff_cookbook.md": "# The Autodiff Cookbook\n\ndef hvp_revrev(f):\n"
    "  return jvp(grad(f))\n\n## Complex numbers and differentiation\n",
    "docs/notebooks/Common_Gotchas_in_JAX.md": "# JAX - The Sharp Bits\n\n## In-place updates\n",
    "docs/notebooks/quickstart.md": "# JAX Quickstart\n\njax.config.update\n",
    "docs/jax.lax.rst": "jax.lax module\n==============\n\n.. autosummary::\n\n   psum\n",
    "docs/jax.nn.rst": "jax.nn module\n=============\n\n.. autofunction:: normalize\n",
    "docs/jax.rst": "Public API: jax package\n=======================\n",
}


@pytest.mark.parametrize(
    ("title", "body", "page", "why"),
    [
        # A docs site's URL: its last parts name the page, whatever the host's version path.
        ("Broken 0.8.0 linked nightly release URL",
         "The link on https://docs.jax.dev/en/latest/installation.html#nightly is 404.",
         "docs/installation.md", "links it"),
        # A blob URL names the path itself.
        ("Typo", "See https://github.com/jax-ml/jax/blob/main/docs/notebooks/quickstart.md?plain=1",
         "docs/notebooks/quickstart.md", "links it"),
        # The page's name written in the title, in other words' company.
        ("hvp_refref in autodiff cookbook is actually vhp?", "",
         "docs/notebooks/autodiff_cookbook.md", "title names it"),
        ("Docs Error: Incorrect Datatype in Common Gotchas Notebook", "",
         "docs/notebooks/Common_Gotchas_in_JAX.md", "title names it"),
        # Of two READMEs, the title means the repository's own.
        ("Add citation guide to repo and README", "", "README.md", "title names it"),
        # An API page named after the module the issue names.
        ("jax.nn.standardize documentation still points to jax.nn.normalize", "",
         "docs/jax.nn.rst", "API page"),
        ("Document `jax.lax.psum_scatter`", "", "docs/jax.lax.rst", "API page"),
        # Words alone, when nothing points at a page.
        ("conda install Command Fails in zsh Due to Wildcard Expansion",
         "zsh: no matches found: jaxlib=*=*cuda*", "docs/installation.md", "shares the words"),
    ],
)  # fmt: skip
def test_the_page_an_issue_is_about(title: str, body: str, page: str, why: str) -> None:
    ranked = _pages(JAX_LIKE).rank(title, body, packages=["jax"])
    assert ranked and ranked[0].path == page
    assert why in ranked[0].evidence


def test_a_package_name_or_a_generic_stem_names_no_page() -> None:
    ranked = _pages(JAX_LIKE).rank("jax.jit fails on the api of lists", "", packages=["jax"])
    assert not any(m.exact for m in ranked)  # "jax" and "api" are in every other title


def test_a_file_name_names_the_shallowest_page_of_that_name() -> None:
    pages = _pages({"CONTRIBUTING.md": "# Contributing\n", "docs/CONTRIBUTING.md": "# Old\n"})
    ranked = pages.rank("Roadmap link does not work on the CONTRIBUTING.md file", "")
    assert ranked[0].path == "CONTRIBUTING.md" and ranked[0].exact


def test_a_misspelt_file_name_names_the_page_it_means() -> None:
    pages = _pages(
        {
            "GETTING_STARTED.md": "# Getting Started\n",
            "MODEL_ZOO.md": "# Zoo\n",
            "docs/modules/evaluation.rst": ".. automodule:: detectron2.evaluation\n",
        }
    )
    ranked = pages.rank("Missed --eval-only option for evaluation in Getting_Start.md", "")
    assert ranked[0].path == "GETTING_STARTED.md" and ranked[0].linked
    # A name close to no page names none; nor does a short one, or a translation's.
    assert not any(m.linked for m in pages.rank("Typo in FAQ.md", ""))
    assert not any(m.linked for m in pages.rank("Typo in ZOO.md", ""))  # MODEL_ZOO.md
    readme = _pages({"README.md": "# Readme\n"})
    assert not any(m.linked for m in readme.rank("Typo in readme_zh.md", ""))
    assert readme.rank("Typo in REAMDE.md", "")[0].linked


def test_the_pypi_page_of_the_repositorys_package_is_its_readme() -> None:
    pages = _pages(
        {"README.md": "# ONNX\n", "docs/IR.md": "# IR\n", "docs/README.md": "# Docs\n",
         "docs/torch.md": "# Exporting from torch\n"}
    )  # fmt: skip
    for url in ("https://pypi.org/project/onnx/", "https://pypi.python.org/pypi/ONNX/1.14.0"):
        ranked = pages.rank(f"Relative Links at {url} not working", "", packages=["onnx"])
        assert ranked[0].path == "README.md" and ranked[0].linked
        assert url[:30] in ranked[0].evidence
    # Another package's PyPI page is no page of this repository.
    other = pages.rank("Fails with https://pypi.org/project/torch/2.1.0/", "", packages=["onnx"])
    assert not any(m.linked for m in other)


def test_of_pages_named_alike_the_one_named_that_and_nothing_more() -> None:
    pages = _pages({
        "docs/jep/14273-shard-map.md": "# shmap JEP\n",
        "docs/notebooks/shard_map.md": "# Introduction to shard_map\n",
        "docs/new_docs/201/shard-map.md": "# Sharding\n",
        "README.md": "# JAX\n", "docs/README.md": "# Building docs\n",
    })  # fmt: skip
    ranked = pages.rank("in shard_map docs, use pad-and-add", "", packages=["jax"])
    assert ranked[0].path == "docs/notebooks/shard_map.md"
    assert pages.rank("Add citation guide to repo and README", "")[0].path == "README.md"


def test_no_pages_no_ranking() -> None:
    assert DocsPages({}).rank("Typo in the quickstart", "") == []
    assert _pages({"README.md": "# Hello\n"}).rank("segfault in matmul", "") == []


def _match(path: str, *, exact: bool) -> PageMatch:
    return PageMatch(path, 1.0, "", exact)


def test_docs_work_reads_the_page_first() -> None:
    code = ["optax/_src/alias.py", "optax/_src/base.py"]
    page = _match("docs/getting_started.ipynb", exact=False)
    title = "Add an example of reading the learning rate"
    assert with_pages(code, [page], title, docs_work=True) == [page.path, *code]


def test_docs_of_the_code_itself_keep_the_docstring_first() -> None:
    code = ["optax/losses/_classification.py", "optax/losses/__init__.py"]
    title = "Wrong formula for `softmax_cross_entropy` in online doc"
    page = _match("docs/api/losses.rst", exact=False)
    got = with_pages(code, [page], title, docs_work=True, names_code=True)
    assert got == [code[0], page.path, code[1]]
    # ...unless the issue points at a page that is more than the docstrings.
    linked = _match("docs/guides/losses.md", exact=True)
    assert with_pages(code, [linked], title, docs_work=True, names_code=True)[0] == linked.path
    # A link to the API reference is a link to the docstrings' page.
    reference = PageMatch("docs/api/losses.rst", 3.0, "", exact=True, renders_code=True)
    assert with_pages(code, [reference], title, docs_work=True, names_code=True)[0] == code[0]


@pytest.mark.parametrize(
    ("title", "page", "added"),
    [
        # Words alone never add a page to a bug's reading.
        ("conda install fails in zsh", PageMatch("docs/installation.md", 1.0, "", False), False),
        # A page the issue links, or a guide its title names, does: after the first file.
        (
            "Broken 0.8.0 linked nightly release URL",
            PageMatch("docs/installation.md", 3.0, "", True, linked=True),
            True,
        ),
        (
            "AWS YARN Guide is very very broken",
            PageMatch("doc/tutorials/aws_yarn.rst", 2.0, "", True),
            True,
        ),
        # A page named in a bug's title not about the docs: no, even when the issue
        # names no code ("checkpoint", "zero" and "tpu" name guides and the code alike).
        (
            "ZeRO stage 2 overlap_comm hangs",
            PageMatch("docs/_tutorials/zero.md", 2.0, "", True),
            False,
        ),
        # The API reference a bug report links documents the code the bug is in: no.
        (
            "jnp.take raises on negative indices",
            PageMatch("docs/jax.numpy.rst", 3.0, "", True, renders_code=True, linked=True),
            False,
        ),
    ],
)
def test_other_work_adds_only_a_page_the_issue_points_at(
    title: str, page: PageMatch, added: bool
) -> None:
    code = ["jax/_src/xla_bridge.py", "jax/_src/api.py"]
    got = with_pages(code, [page], title, docs_work=False, names_code=False)
    assert got == ([code[0], page.path, code[1]] if added else code)


@pytest.mark.parametrize(
    ("title", "lacking"),
    [
        ("SAM does not appear in the documentation", True),
        ("Encodings Section Missing", True),
        ("[Doc] floating-point conversion functions are not included in the documentation", True),
        ("External data is undocumented", True),
        ("Document `jax.lax.psum_scatter`", True),
        ("Remove `MOTOESampler` from documentation", True),
        ("Add documentation explaining how parameters over arguments are applied", False),
        ("Wrong formula for `softmax_cross_entropy` in online doc", False),
        ("Documentation rendering issue for PaliGemma", False),
    ],
)
def test_a_title_saying_the_docs_lack_something(title: str, lacking: bool) -> None:
    assert asks_for_listing(title) is lacking


def test_a_page_that_renders_docstrings_sends_docs_work_to_the_code_first() -> None:
    code = ["gpytorch/likelihoods/bernoulli_likelihood.py", "gpytorch/likelihoods/likelihood.py"]
    page = PageMatch("docs/source/likelihoods.rst", 1.0, "", exact=False, renders_code=True)
    # "[Docs] Bernoulli likelihoods": the page shows the class's docstring.
    got = with_pages(code, [page], "[Docs] Bernoulli likelihoods", docs_work=True)
    assert got == [code[0], page.path, code[1]]
    # "... are not included in the documentation": the listing page is where it goes.
    lacking = "Bernoulli likelihoods are not included in the documentation"
    assert with_pages(code, [page], lacking, docs_work=True)[0] == page.path


@pytest.mark.parametrize(
    ("path", "text", "renders"),
    [
        ("docs/api.rst", "Optimizers\n==========\n\n.. autofunction:: adam\n", True),
        ("docs/jax.lax.rst", "jax.lax\n=======\n\n.. autosummary::\n  :toctree:\n", True),
        ("docs/source/en/api/attnprocessor.md", "# Attention\n\n[[autodoc]] AttnProcessor\n", True),
        ("docs/api/optimizers.md", "# Optimizers\n\n::: optax.adam\n", True),
        ("docs/installation.md", "# Install\n\nUse `.. autofunction::` in prose\n", False),
    ],
)
def test_which_pages_render_the_codes_docstrings(path: str, text: str, renders: bool) -> None:
    assert page_fields(path, text, {})[2] is renders


def test_docs_lacking_a_name_go_to_the_api_reference_that_matches() -> None:
    code = ["optax/contrib/sam.py", "optax/contrib/__init__.py"]
    pages = [
        _match("docs/index.rst", exact=False),
        PageMatch("docs/api.rst", 0.3, "", exact=False, renders_code=True),
    ]
    # The reference page that lists optax.contrib, though the index shares more words.
    lacking = "SAM does not appear in the documentation"
    assert with_pages(code, pages, lacking, docs_work=True)[0] == "docs/api.rst"
    assert with_pages(code, pages, "SAM docs are unclear", docs_work=True)[0] == "docs/index.rst"


def test_a_link_or_a_file_name_marks_the_page_linked() -> None:
    pages = _pages(JAX_LIKE)
    by_url = pages.rank("Broken link", "https://docs.jax.dev/en/latest/installation.html")
    assert by_url[0].path == "docs/installation.md" and by_url[0].linked
    named = pages.rank("Typo in the autodiff cookbook", "", packages=["jax"])
    assert named[0].exact and not named[0].linked


def test_a_page_sharing_only_docs_words_with_the_title_is_no_match() -> None:
    pages = _pages({"CONTRIBUTING.md": "# Contributing\n\nImprove the documentation and docs.\n"})
    assert pages.rank("OneCycleLR documentation is wrong", "The docs say max_lr is optional.") == []
    assert pages.rank("Contributing guide documentation is wrong", "")[0].path == "CONTRIBUTING.md"


def test_the_api_reference_stays_a_match_for_a_name_it_lacks() -> None:
    pages = _pages(
        {
            "docs/index.rst": "Optax\n=====\n\nOptax is a library. See the documentation.\n"
            "https://github.com/google-deepmind/optax/blob/main/README.md\n",
            "docs/api.rst": "API\n===\n\noptax.contrib\n-------------\n\n.. autosummary::\n\n"
            "   optax.contrib.mechanize\n   optax.contrib.prodigy\n",
            "docs/gallery.rst": "Gallery\n=======\n\nExamples of optax in use.\n",
        }
    )
    title = "SAM does not appear in the documentation"
    body = "`optax.contrib.sam` exists, see https://github.com/google-deepmind/optax/blob/main/"
    ranked = pages.rank(title, body)
    assert "docs/api.rst" in [m.path for m in ranked]
    code = ["optax/contrib/_sam.py"]
    assert with_pages(code, ranked, title, docs_work=True)[0] == "docs/api.rst"


def test_hostile_headings_and_tokens_are_read_in_linear_time() -> None:
    """A page's line of 20,000 " #" pairs and an issue's 19,000-character dotted token
    (untrusted text) give their answers at once; the first code took 10-13 s on each."""
    assert headings("# Install" + " #" * 20_000 + "\n\n## Next\n")[:2] == ["Install", "Next"]
    pages = _pages({"docs/IR.md": "# IR\n"})
    assert pages.rank("crash", "a." * 9_500 + " see IR.md")[0].path == "docs/IR.md"
    # Thousands of misspelt file names (the body's first 20,000 characters hold about
    # 1,400): only the first few are compared with every page.
    many = _pages({f"docs/page_{i}_guide.md": f"# Page {i}\n" for i in range(300)})
    # (Anagrams: as long to compare as a page's own name, and close to none.)
    misspelt = " ".join(f"egap_{i}_ediug.md" for i in range(5_000))
    started = time.perf_counter()
    ranked = many.rank("crash", "see page_7_guid.md " + misspelt)
    assert time.perf_counter() - started < 4  # 20 take 0.4 s; all of them 8.7 s
    assert ranked[0].path == "docs/page_7_guide.md" and ranked[0].linked
