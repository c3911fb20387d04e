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
        '![image][1] <video src="https://github.com/user-attachments/assets/x"></video>\n'
        f"Reproduced in {NOTEBOOK}, data at {DRIVE}."
    )
    terms = set(query_terms("", without_markup(body)))
    assert terms == set(query_terms("", "Resizing gives a black border: Reproduced in , data at ."))
    for noise in ("img", "image", "width", "src", "attachments", "assets", "screenshot", "colab"):
        assert noise not in terms
    assert without_markup(f"data at {DRIVE}.") == "data at  ."  # the sentence's stop stays


def test_layout_tags_go_and_what_they_hold_stays() -> None:
    body = (
        "<details open>\n<summary>Full traceback</summary>\n\nKeyError: 'fc.weight'<br/>\n"
        "</details>\n<div align=\"center\"><strong>not</strong></div> <class 'tinyml.Tensor'> "
        "std::vector<int> <unk> <bold> </s> a <b and c> d Map<i, u> `<details>` is not shown"
    )
    assert without_markup(body).split() == [
        "Full", "traceback", "KeyError:", "'fc.weight'", "not", "<class", "'tinyml.Tensor'>",
        "std::vector<int>", "<unk>", "<bold>", "</s>", "a", "<b", "and", "c>", "d", "Map<i,",
        "u>", "`<details>`", "is", "not", "shown",
    ]  # fmt: skip
    assert "summary" not in query_terms("", without_markup(body))


def test_other_links_keep_their_path_words_only() -> None:
    docs = "https://tinyml.org/docs/stable/generated/tinyml.nn.Conv2d.html?highlight=conv#tinyml.nn.Conv2d"
    assert without_markup(f"See {docs}, then") == (
        "See https://tinyml.org/docs/stable/generated/tinyml.nn.Conv2d.html#tinyml.nn.Conv2d, then"
    )
    thread = "https://github.com/o/tinyml/issues/12#issuecomment-1620385321"
    assert without_markup(thread) == "https://github.com/o/tinyml/issues/12"
    assert without_markup("https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct") == (
        "https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct"
    )
    # A place's anchor goes, a subject's stays whatever it starts with.
    for place in ("L12", "L12-L20", "L3C5-L9C2", "issuecomment-1620385321", "step:5:14"):
        assert without_markup(f"https://x.org/a#{place}") == "https://x.org/a"
    for subject in ("L2-normalization", "diff-algorithms", "torch.float8_e4m3fn"):
        assert without_markup(f"https://x.org/a#{subject}") == f"https://x.org/a#{subject}"
    # Running CJK text ends a link; an attached log's address says nothing.
    cjk = "见https://colab.research.google.com/drive/1AbC，运行model.generate()"
    assert without_markup(cjk) == "见 ，运行model.generate()"
    assert without_markup("https://github.com/o/tinyml/files/123/log.txt") == " "
    compare = "https://github.com/o/tinyml/compare/3f1c2a9e8b7d...abcdef1234567"
    assert without_markup(compare) == "https://github.com/o/tinyml/compare"
    model = "https://huggingface.co/meta-llama/Meta-Llama-3.1-8B-Instruct"
    assert without_markup(model) == model


def test_a_link_to_the_code_stays_whole_for_the_evidence() -> None:
    # ...and one to a commit: the evidence looks it up among the repository's commits.
    for commit in (
        "https://github.com/o/tinyml/commit/3f1c2a9e8b7d4c519e0a2d6f4b8c7a10abcdef12",
        "https://github.com/o/tinyml/pull/77/commits/3f1c2a9e8b7d4c519e0a",
    ):
        assert without_markup(f"Since {commit}.") == f"Since {commit}."
    link = "https://github.com/o/tinyml/blob/3f1c2a9e/tinyml/optim/adam.py#L88"
    assert without_markup(f"({link})") == f"({link})"


def test_opaque_tells_ids_from_words_with_numbers() -> None:
    for an_id in (UUID, "3f1c2a9e", "5a9c3e7f0b1d2c3e4f5a", "1AbCdEfGh2IjK3lMnO4pQ",
                  f"271827-{UUID}.png", "model-3f1c2a9e8b"):
        assert opaque(an_id), an_id
    for words in ("gemma3", "wav2vec2", "resnet50", "stable-diffusion-2-1", "t5-small",
                  "Meta-Llama-3.1-8B-Instruct", "pipeline_stable_diffusion_3.py", "2106.09685",
                  "v1.2.3", "deadbeef", "Qwen2.5-VL-7B-Instruct", "wav2vec2-base-960h",
                  "TinyLlama-1.1B-Chat-v1.0", "all-MiniLM-L6-v2", "A100-SXM4-80GB",
                  "float8_e4m3fn", "InternVL2_5-8B", "DeepSeek-R1-Distill-Qwen-1.5B"):
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
    without_markup("![](" * 250_000 + " https://x.y/")
    without_markup("![" * 500_000)
    without_markup("<details open" * 100_000 + "https://x")
    without_markup('<div a="' * 100_000 + "https://x")
    assert time.perf_counter() - started < 5.0
