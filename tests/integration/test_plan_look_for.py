"""A step's names to look for are kept only where the checkout's file holds them
(`app.plan.look_for_in_checkout`): a backticked name the map cannot place is otherwise
shown in a file that never mentions it (peft's `unmerge_adapters`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from progress_fixtures import make_plan
from prready.app.plan import look_for_in_checkout


def test_names_a_file_does_not_hold_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src/model.py").write_text(
        "class PeftModel:\n    def merge_adapter(self):\n        pass\n", encoding="utf-8"
    )
    plan = make_plan({4: [(7, ["python"])]})
    look_for = {
        "src/model.py": ["PeftModel.merge_adapter", "unmerge_adapters", "merge", "PeftModel"],
        "src/gone.py": ["anything"],  # unreadable: kept as the mapping said
    }
    step = replace(plan.stages[3].steps[0], look_for=look_for)
    stages = [*plan.stages[:3], replace(plan.stages[3], steps=[step])]
    checked = look_for_in_checkout(replace(plan, stages=stages), str(tmp_path))
    assert checked.stages[3].steps[0].look_for == {
        "src/model.py": ["PeftModel.merge_adapter", "PeftModel"],  # not a part of a word
        "src/gone.py": ["anything"],
    }
    assert checked.stages[:3] == plan.stages[:3]
