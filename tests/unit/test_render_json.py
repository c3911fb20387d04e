"""JSON output: valid against docs/plan.schema.json, stable, deterministic, exact, inert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from prready.render.json_out import SCHEMA_VERSION, render_json
from prready.render.sanitize import JSON_EXCERPT_CHARS
from renderfixtures import hostile_plan, sample_events, sample_plan, sample_progress

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "plan.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def load(plan: Any = None) -> dict[str, Any]:
    return json.loads(render_json(plan or sample_plan(), sample_progress(), sample_events()))


def test_output_validates_against_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    validator.validate(load())
    validator.validate(load(hostile_plan(n_labels=200)))


def test_schema_rejects_drift(validator: jsonschema.Draft202012Validator) -> None:
    doc = load()
    doc["stages"][0]["steps"][0]["surprise"] = 1
    assert not validator.is_valid(doc)
    doc = load()
    del doc["stages"][0]["steps"][0]["issue"]["title"]
    assert not validator.is_valid(doc)


def test_contents_and_tracking_status() -> None:
    doc = load()
    assert doc["schema_version"] == SCHEMA_VERSION == 1
    assert doc["repo"] == "pytorch/pytorch"
    assert [s["key"] for s in doc["stages"]] == [
        "first-contact",
        "small-fix",
        "real-bug",
        "substantial",
    ]
    step = doc["stages"][0]["steps"][0]
    assert step["issue"]["number"] == 101 and step["status"] == "merged"
    assert doc["stages"][1]["steps"][0]["status"] == "started"
    assert doc["stages"][2]["steps"][0]["status"] == "planned"
    assert doc["summary"] == {
        "steps": 5,
        "planned": 2,
        "started": 1,
        "pr_open": 1,
        "merged": 1,
        "dropped": 0,
        "replaced": 0,
    }
    assert [e["at"] for e in doc["events"]] == sorted(e["at"] for e in doc["events"])
    assert len(doc["stages"][0]["candidates"]) == 2


def test_output_is_deterministic_with_sorted_keys() -> None:
    text = render_json(sample_plan(), sample_progress(), sample_events())
    shuffled = list(reversed(sample_progress()))
    events = list(reversed(sample_events()))
    assert render_json(sample_plan(), shuffled, events) == text
    assert (
        text
        == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False)
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        + "\n"
    )


def test_hostile_strings_round_trip_exactly_but_the_file_is_inert() -> None:
    plan = hostile_plan(n_labels=50)
    text = render_json(plan, [], [])
    for bad in ("<", ">", "\x1b", "\u202e", "\u200b", "\x9b"):
        assert bad not in text
    doc = json.loads(text)
    step = doc["stages"][0]["steps"][0]
    assert step["issue"]["title"] == plan.stages[0].steps[0].issue.title
    assert len(step["issue"]["labels"]) == 52
    assert len(step["issue"]["body_excerpt"]) == 4000 and step["issue"]["body_chars"] > 1_000_000
    # The excerpt's length is the schema's documented limit.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    issue_schema = schema["$defs"]["issue"]["properties"]["body_excerpt"]
    assert issue_schema["maxLength"] == JSON_EXCERPT_CHARS == 4000


def test_candidates_say_which_other_stages_they_suit(
    validator: jsonschema.Draft202012Validator,
) -> None:
    doc = load()
    by_number = {
        c["issue"]["number"]: c["also_fits"] for stage in doc["stages"] for c in stage["candidates"]
    }
    assert by_number[410] == [3] and by_number[210] == []
    doc["stages"][3]["candidates"][0]["also_fits"] = [7]
    assert not validator.is_valid(doc)  # stages are 1-4
