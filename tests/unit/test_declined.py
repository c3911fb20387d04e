"""An open issue whose own thread settles it as no change of the repository's: intended
behaviour, a declined change, or a fix that belongs to another project."""

from __future__ import annotations

import pytest

from prready.analysis.declined import said_declined
from prready.models import Comment

REPO = "huggingface/diffusers"


def thread(*comments: tuple[str, str]) -> list[Comment]:
    return [
        Comment(7, author, body, f"2026-03-{day + 1:02d}T10:00:00Z")
        for day, (author, body) in enumerate(comments)
    ]


@pytest.mark.parametrize(
    "body",
    [
        "This is expected behavior: `set_timesteps` must be called before `step`.",
        "I think this is working as intended, the scheduler keeps its own copy.",
        "Not a bug, you need to pass `return_dict=False` here.",
        "The current behavior is intentional since 0.21.",
        "This works as designed; see the docstring of `enable_model_cpu_offload`.",
        "We don't plan to support ONNX export for this pipeline.",
        "Adding a TensorFlow backend is out of scope for this library.",
        "Closing as won't fix.",
        "Getting that warning on Windows is normal and won't affect training.",
        "Feel free to ignore the warning if it causes no problem.",
        "We don't support Apple GPUs at the moment.",
        "The dataset will not be released due to licensing constraints.",
        # Phrasings of real threads' replies (bench/decline_set/fresh.jsonl).
        "Not a bug so closing this issue.",
        "That's JAX, it is not a real issue.",
        "They are just warnings for Windows users.",
        "It is an issue under Windows and I can't fix it, just ignore it.",
        "This warning does not affect the result.",
        "不影响",
        "The patient data cannot be shared due to ethic concerns.",
        "We are unable to make the dataset and annotations publicly available.",
        "Sorry, but we don't have permission to sell data.",
        # (bench/decline_set/fresh2.jsonl)
        "GPU version doesn't guarantee the same results for the same parameter.",
        "GPU training is not deterministic. It's stated in the docs.",
        "Both of these are documented behaviors.",
        "The model is interesting, but out of current scope for timm right now.",
        "这是正常现象",
        # Branches no other case reaches.
        "That is not unexpected with fp16 inputs.",
        "Not a real problem, the values agree to 1e-6.",
        "CUDA atomics are non-deterministic by nature.",
    ],
)
def test_a_maintainer_settling_the_issue_declines_it(body: str) -> None:
    found = said_declined(thread(("maint", body)), "reporter", REPO)
    assert found is not None and found[0] == "declined"
    assert found[1].startswith("@maint said on 2026-03-01 that it will not change here: ")


@pytest.mark.parametrize(
    "body",
    [
        "This is an upstream bug in PyTorch, nothing we can do here.",
        "This is a bug in XLA, please report it there.",
        "Please file an issue on the NCCL repo about the hang.",
        "I can't fix it on the sentence transformers side.",
        "This is still depending on https://github.com/pytorch/pytorch/issues/84039.",
        "The issue has been fixed in pyarrow 6.0.0, please update pyarrow.",
        "Looks like an issue with bitsandbytes installation, see its issue #112.",
        "There's not much I can do about this warning until xformers updates.",
        "Open an issue on the bitsandbytes repo, please.",
        "This is related to your local network, which cannot reach the Hub.",
        "The message concerns your NVIDIA driver: please update your driver.",
        "This is a third party problem, follow the fix linked above.",
        "This is a numba bug. Please report this there.",
        "Reinstall, because this isn't an issue specific to this code.",
    ],
)
def test_a_fix_that_belongs_to_another_project_is_elsewhere(body: str) -> None:
    found = said_declined(thread(("maint", body)), "reporter", REPO)
    assert found is not None and found[0] == "elsewhere"
    assert "that the fix belongs elsewhere" in found[1]


@pytest.mark.parametrize(
    "body",
    [
        "This is not expected, thanks for the report!",
        "Expected behavior: the image has the requested size.",
        "It is expected to return a float tensor, so this is a bug.",
        "Maybe this is by design?",
        "Is this intended behavior?",
        "If this is intended, the docs should say so.",
        "This is a bug in diffusers, good catch.",  # this repository's own bug
        "The pipeline won't load on MPS for me either.",
        "> This is expected behavior\nNo, it is not: the output is black.",  # a quote
        "The code can not be released now, after the paper is accepted it will be.",
        "This has been fixed in version 0.21.",  # no other project: `taken.said_fixed`'s
        "This is not just a warning, training diverges afterwards.",
        "The weights can't be shared yet, we will upload them next week.",
        "Only warnings are printed, but the loss is NaN: a bug.",
        "Setting the seed has no effect, I can reproduce it.",
        "Please open an issue on diffusers with a reproduction.",  # this repository
        "Your reproduction is not deterministic, please provide a seed so we can debug.",
        # Negated, contrasted or asked (a review's cases): the live issue stays offered.
        "It's just warnings but then it crashes with a segfault.",
        "Those are just warnings; the actual bug is the NaN loss further down.",
        "You can't just ignore this, it corrupts the checkpoint.",
        "I tried to just ignore it but training diverges.",
        "Can I just ignore it",
        "It doesn't affect the results on CPU, but on GPU the images are black.",
        "This contradicts the documented behavior, so it's a bug.",
        "This is not a real issue for me, but others will hit it, so let's fix it.",
        "This fix is not out of scope; we'll do it.",
        "The pipeline cannot be released from memory, this is a memory leak.",
        "The weights can't be shared publicly yet.",
        "I don't have the rights to merge this, cc @lead.",
        "There's not much I can do until I get access to an A100.",
        "It is not related to your network, the URL in our code is wrong.",
        "It is not a third party issue, the bug is ours.",
        "We need to update the driver detection code.",
        "I tried to update the NVIDIA driver and it still crashes.",
        "Ordering is not guaranteed yet.",
        "这个错误不可以忽略",
        "这个不是正常现象",
        "超出正常误差范围了，这是bug",
        "影响不影响结果",
        "这个警告有没有影响",
        "这是正常的吗？",
        "不影响训练，但推理结果是错的，需要修复",
        "The docs say it is deterministic, so this is a bug.",
    ],
)
def test_the_same_words_in_other_senses_decline_nothing(body: str) -> None:
    assert said_declined(thread(("maint", body)), "reporter", REPO) is None


def test_the_reporter_guessing_it_is_intended_declines_nothing() -> None:
    comments = thread(("reporter", "I guess this is by design, but it surprised me."))
    assert said_declined(comments, "Reporter", REPO) is None


def test_a_later_comment_taking_it_back_undoes_the_decline() -> None:
    comments = thread(
        ("maint", "This is expected behavior."),
        ("other-maint", "You're right, the offset is off by one. A PR is welcome!"),
    )
    assert said_declined(comments, "reporter", REPO) is None


@pytest.mark.parametrize(
    "comments",
    [
        (("maint", "This is not deterministic."), ("maint", "Confirmed, that's a bug.")),
        (("maint", "这是正常现象"), ("maint", "抱歉，这是个bug，我们会修复。")),
        (
            ("maint", "Please update your driver."),
            ("reporter", "Updated to 550, still crashes."),
            ("maint", "Thanks, I can reproduce it now."),
        ),
        (("maint", "Ordering is not guaranteed."), ("maint", "A fix is planned for 2.1.")),
    ],
)
def test_a_later_bug_confirmation_undoes_the_decline(comments: tuple[tuple[str, str], ...]) -> None:
    assert said_declined(thread(comments[0]), "reporter", REPO) is not None  # alone, it settles
    assert said_declined(thread(*comments), "reporter", REPO) is None


def test_hostile_comments_are_read_in_linear_time() -> None:
    """Untrusted comments of 30,000 characters (GitHub allows 65,536): "n't" read as
    spaces then "n't" or spaces then "not" tried every split of a run of spaces, a version
    name tried from every dot, and each hedged match rescanned the sentence (8-9 s each
    at 30,000 characters before)."""
    import time

    n = 30_000
    for body in (
        "is" + " " * n + "x", "do" + " " * n + "x", "this does" + " " * n, "a." * (n // 2),
        "a-" * (n // 2), "issue with the, " * (n // 16), "open an issue on this " * (n // 22),
    ):  # fmt: skip
        started = time.perf_counter()
        said_declined(thread(("maint", body)), "reporter", REPO)
        assert time.perf_counter() - started < 2


def test_a_decline_that_accepts_work_in_the_same_breath_declines_nothing() -> None:
    body = 'Windows is out of scope for us for now, "But contributions are welcome!"'
    assert said_declined(thread(("maint", body)), "reporter", REPO) is None
    body = "There are no plans to do so. But we would probably accept PRs to make it work."
    assert said_declined(thread(("maint", body)), "reporter", REPO) is None


def test_a_later_decline_after_a_reversal_counts_and_the_reporter_cannot_undo_it() -> None:
    comments = thread(
        ("maint", "This is by design."),
        ("reporter", "But you're right that it is confusing, reopen please?"),
        ("maint", "We don't plan to change this."),
    )
    found = said_declined(comments, "reporter", REPO)
    assert found is not None
    assert found[1].startswith('@maint said on 2026-03-03 that it will not change here: "We')


def test_the_evidence_quotes_the_sentence_shortened() -> None:
    long = "This is expected behavior " + "because the scheduler keeps state " * 8 + "."
    found = said_declined(thread(("maint", long)), "reporter", REPO)
    assert found is not None
    quote = found[1].split('"')[1]
    assert len(quote) == 100 and quote.endswith("…")


def test_chinese_sentences_end_at_a_full_width_stop_without_a_space() -> None:
    """A Chinese comment puts no space after its stops: each sentence is read on its own,
    so a question is asked, not said, and a later sentence can take a decline back."""
    assert said_declined(thread(("maint", "这是正常现象。我们会修复这个问题。")), "r", REPO) is None
    assert said_declined(thread(("maint", "这是正常的吗？我们看看。")), "r", REPO) is None
    found = said_declined(thread(("maint", "我们看了一下。这是正常现象。")), "r", REPO)
    assert found is not None and found[1].endswith(
        '"这是正常现象。" (a pull request for it would likely be closed: check the thread first)'
    )
