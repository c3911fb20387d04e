"""How a fetch's stderr is read (`git_repo._progress_or_keep`): progress lines become
progress calls, other lines are kept for the error message, and only the last ones."""

from __future__ import annotations

from prready.sources.git_repo import _progress_or_keep


def test_progress_lines_are_reported_and_chatter_is_bounded() -> None:
    calls: list[tuple[str, int, int]] = []
    kept: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        calls.append((stage, done, total))

    _progress_or_keep("remote: Counting objects:  45% (9/20)", progress, kept)
    _progress_or_keep("Receiving objects: 100% (20/20), done.", progress, kept)
    for i in range(200):
        _progress_or_keep(f"remote: line {i} " + "x" * 5000, progress, kept)
    _progress_or_keep("fatal: couldn't find remote ref main", progress, kept)
    assert calls == [("counting objects", 9, 20), ("receiving objects", 20, 20)]
    assert len(kept) == 50 and kept[-1] == "fatal: couldn't find remote ref main"
    assert kept[0].startswith("remote: line 151 ") and max(map(len, kept)) == 2000


def test_a_broken_progress_display_does_not_stop_the_reading() -> None:
    kept: list[str] = []

    def broken(stage: str, done: int, total: int) -> None:
        raise RuntimeError("display gone")

    _progress_or_keep("Resolving deltas:  50% (1/2)", broken, kept)
    assert kept == []
