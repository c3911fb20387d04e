"""A link's noise: upload markup, addresses of ids, and the words a link keeps."""

from __future__ import annotations

import time

from prready.analysis.issue_templates import reporter_text
from prready.analysis.lexicon import query_terms
from prready.analysis.markup import opaque, without_markup

UUID = "10bcf9ab-c713-4c51-9e0a-2d6f4b8c7a10"
# The markup GitHub writes for a pasted screenshot, in its current and its older form.
SCREENSHOT = (
    f'<img width="1135" alt="image" src="https://github.com/user-attachments/assets/{UUID}" />'
)
OLD_SCREENSHOT = f"![image](https://user-images.githubusercontent.com/4021467/271827-{UUID}.png)"
REPO_ASSET = f"![Screenshot 2023-09-12](https://github.com/o/tinyml/assets/4021467/{UUID})"
NOTEBOOK = "https://colab.research.google.com/gist/someone/5a9c3e7f0b1d2c3e4f5a/untitled7.ipynb"
DRIVE = "https://drive.google.com/file/d/1AbCdEfGh2IjK3lMnO4pQ/view?usp=sharing"


def test_upload_markup_and_id_addresses_leave_no_words() -> None:
    body = (
        f"Resizing gives a black border:\n\n{SCREENSHOT}\n{OLD_SCREENSHOT}\n{REPO_ASSET}\n"
        f"Reproduced in {NOTEBOOK}, data at {DRIVE}."
    )
    terms = set(query_terms("", without_markup(body)))
    assert terms == set(query_terms("", "Resizing gives a black border: Reproduced in , data at ."))
    for noise in ("img", "image", "width", "src", "attachments", "assets", "screenshot", "colab"):
        assert noise not in terms
    assert without_markup(f"data at {DRIVE}.") == "data at  ."  # the sentence's stop stays


def test_layout_tags_go_and_what_they_hold_stays() -> None:
    body = (
        "<details>\n<summary>Full traceback</summary>\n\nKeyError: 'fc.weight'<br/>\n"
        "</details>\n<p align=\"center\"><b>not</b> <class 'tinyml.Tensor'> "
        "std::vector<int> <unk> <bold>"
    )
    assert without_markup(body).split() == [
        "Full", "traceback", "KeyError:", "'fc.weight'", "not", "<class", "'tinyml.Tensor'>",
        "std::vector<int>", "<unk>", "<bold>",
    ]  # fmt: skip
    assert "summary" not in query_terms("", without_markup(body))


def test_other_links_keep_their_path_words_only() -> None:
    docs = "https://tinyml.org/docs/stable/generated/tinyml.nn.Conv2d.html?highlight=conv#tinyml.nn.Conv2d"
    assert without_markup(f"See {docs}, then") == (
        "See https://tinyml.org/docs/stable/generated/tinyml.nn.Conv2d.html#tinyml.nn.Conv2d, then"
    )
    thread = "https://github.com/o/tinyml/issues/12#issuecomment-1620385321"
    assert without_markup(thread) == "https://github.com/o/tinyml/issues/12"
    commit = "https://github.com/o/tinyml/commit/3f1c2a9e8b7d4c519e0a2d6f4b8c7a10abcdef12"
    assert without_markup(commit) == "https://github.com/o/tinyml/commit"
    model = "https://huggingface.co/meta-llama/Meta-Llama-3.1-8B-Instruct"
    assert without_markup(model) == model


def test_a_link_to_the_code_stays_whole_for_the_evidence() -> None:
    link = "https://github.com/o/tinyml/blob/3f1c2a9e/tinyml/optim/adam.py#L88"
    assert without_markup(f"({link})") == f"({link})"


def test_opaque_tells_ids_from_words_with_numbers() -> None:
    for an_id in (UUID, "3f1c2a9e", "5a9c3e7f0b1d2c3e4f5a", "1AbCdEfGh2IjK3lMnO4pQ"):
        assert opaque(an_id), an_id
    for words in (
        "gemma3",
        "wav2vec2",
        "resnet50",
        "stable-diffusion-2-1",
        "t5-small",
        "Meta-Llama-3.1-8B-Instruct",
        "pipeline_stable_diffusion_3.py",
        "2106.09685",
        "v1.2.3",
        "deadbeef",
    ):
        assert not opaque(words), words


def test_reporter_text_drops_the_noise_after_the_template() -> None:
    title, body = reporter_text(f"Border in {NOTEBOOK}", f"It shows a border.\r\n{SCREENSHOT}\r\n")
    assert title.split() == ["Border", "in"]
    assert body.split() == ["It", "shows", "a", "border."]


def test_hostile_links_and_markup_are_read_in_linear_time() -> None:
    started = time.perf_counter()
    without_markup("https://" + "a" * 400_000)
    without_markup("<img " * 100_000 + "https://x")
    without_markup("![" * 100_000 + "](https://x")
    without_markup("https://x/" + "1a" * 200_000)
    without_markup("<details " * 100_000)
    assert time.perf_counter() - started < 5.0
