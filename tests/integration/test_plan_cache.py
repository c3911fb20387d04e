"""A warm plan reuses what did not change (issue 15): assessments cached per issue and
invalidated by an edit, a new comment, another code map, relabelled labels or another
year open; and GitHub's answers asked for again with their ETags, so a plan or a sync
where nothing changed costs no rate-limit budget. End to end on the sample repository
and the loopback GitHub server."""

from __future__ import annotations

import gc
import json
import marshal
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from mapfixtures import map_code
from prready.analysis.locality import AreaDistances
from prready.analysis.planner import assess_issues, make_plan
from prready.app.assessments import assess_cached, with_details
from prready.app.demo import build_sample_origin
from prready.app.issues import load_stored
from prready.app.plan import PlanOptions, Source, run_plan
from prready.app.retrieval import mapping_index
from prready.app.sync import sync_with_tracking
from prready.app.workspace import GitHubAccess, Workspace
from prready.code_models import CodeMap
from prready.config import Secret
from prready.demo import SAMPLE_SLUG
from prready.models import Issue, IssueAssessment, TakenStatus
from prready.paths import Paths, resolve_paths
from prready.render.document import write_plan
from prready.render.sync import sync_summary
from prready.reports import PlanResult
from prready.store import issues_store as store
from prready.store.assessment_cache import AssessmentCache
from samplefixtures import serve_sample

TOKEN = "ghp_cacheTESTTOKEN00000000000000000000000"
LOGIN = "newcomer-cache"
NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=timezone.utc)
ISO = "2026-11-20T12:00:00Z"


@pytest.fixture
def world(github_server: Any) -> dict[str, Any]:
    serve_sample(github_server.dataset)
    github_server.dataset.set_authenticated_user(LOGIN)
    paths = resolve_paths()
    return {"server": github_server, "origin": build_sample_origin(paths), "paths": paths}


def _plan(world: dict[str, Any], out: Path, *, now: datetime = NOW) -> PlanResult:
    access = GitHubAccess(world["server"].url, Secret(TOKEN))
    with Workspace(world["paths"], now=now, github=access) as ws:
        result = run_plan(
            ws,
            SAMPLE_SLUG,
            PlanOptions(skills=("python", "testing"), fmt="json", output=out),
            Source(git_url=str(world["origin"])),
        )
        # The assessment cache is the workspace's, opened once for every round of a plan.
        assert ws.opened["assessments"] == 1
    write_plan(result)  # as the CLI does with what `run_plan` returns
    return result


def _billed(server: Any) -> list[str]:
    """Requests that cost rate-limit budget (anything but a 304)."""
    return [r.path for r in server.requests if r.status != 304 and r.path != "/rate_limit"]


def _stored(world: dict[str, Any], code_map: CodeMap) -> tuple[list[Issue], Any, Any]:
    with Workspace(world["paths"]) as ws:
        issues, labels, taken = load_stored(ws, SAMPLE_SLUG, state="open", now=ISO)
    return issues, labels, taken


def _code_map(world: dict[str, Any]) -> CodeMap:
    return map_code(SAMPLE_SLUG, world["paths"], git_url=str(world["origin"]))


def _planned(
    world: dict[str, Any], tmp_path: Path
) -> tuple[Paths, CodeMap, tuple[list[Issue], Any, Any]]:
    """After one plan: the paths, the (warm) code map and the stored issues, labels, taken."""
    _plan(world, tmp_path / "plan.json")
    code_map = _code_map(world)
    return world["paths"], code_map, _stored(world, code_map)


def test_a_warm_plan_is_byte_identical_to_a_cold_one(world: dict[str, Any], tmp_path: Path) -> None:
    cold = tmp_path / "cold.json"
    _plan(world, cold)
    warm = tmp_path / "warm.json"
    _plan(world, warm)
    assert warm.read_bytes() == cold.read_bytes()
    # And to a plan whose every assessment is computed afresh (the cache emptied).
    conn = store.open_cache(world["paths"])
    try:
        assert conn.execute("SELECT count(*) FROM assess_items").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM assess_pools").fetchone()[0] == 1
        conn.execute("DELETE FROM assess_items")
        conn.execute("DELETE FROM assess_pools")
    finally:
        conn.close()
    again = tmp_path / "again.json"
    _plan(world, again)
    assert again.read_bytes() == cold.read_bytes()
    # The collector, paused while a plan runs, is as the caller had it afterwards.
    assert gc.isenabled()
    gc.disable()
    try:
        _plan(world, tmp_path / "paused.json")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("details", [True, False], ids=["rows", "pool"])
def test_cached_assessments_equal_fresh_ones_and_only_changes_are_reassessed(
    world: dict[str, Any], tmp_path: Path, details: bool
) -> None:
    """With details, assessments come from the rows; without (a plan), from the pool."""
    paths, code_map, (issues, labels, taken) = _planned(world, tmp_path)

    def assess(
        issues: list[Issue] = issues,
        code_map: CodeMap = code_map,
        labels: Any = labels,
        now: str = ISO,
    ) -> Any:
        with Workspace(paths) as ws:
            return assess_cached(
                ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=now, details=details
            )

    warm = assess()
    assert warm.assessed == []
    with Workspace(paths) as ws:
        index = mapping_index(ws, code_map)
    fresh = assess_issues(issues, code_map, labels, taken, now=ISO, index=index)
    if not details:
        fresh = [_bare(a) for a in fresh]
    assert warm.assessments == fresh

    # An edited issue and one with a new comment: those two, nothing else.
    edited, commented = sorted(i.number for i in issues)[:2]
    changed = [
        replace(i, title=i.title + " (edited)", updated_at="2026-11-20T11:00:00Z")
        if i.number == edited
        else replace(i, comments=i.comments + 1, updated_at="2026-11-20T11:30:00Z")
        if i.number == commented
        else i
        for i in issues
    ]
    assert assess(changed).assessed == [edited, commented]
    assert assess(changed).assessed == []

    # Another code map (areas one level deeper: another map key): every issue.
    other_map = map_code(SAMPLE_SLUG, paths, git_url=str(world["origin"]), area_depth=3)
    assert other_map.key and other_map.key != code_map.key
    everything = sorted(i.number for i in changed)
    assert assess(changed, other_map).assessed == everything

    # A map built by hand (no key) is never cached against, nor written over the cache.
    assert assess(changed, replace(other_map, key="")).assessed == everything
    assert assess(changed, other_map).assessed == []

    # Labels classified otherwise (a config override): every issue.
    relabelled = [replace(label, kind=type(label.kind)("other")) for label in labels]
    assert assess(changed, labels=relabelled).assessed == everything

    # Another year open: only the issues whose age in whole years changes.
    later = (NOW + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert 0 < len(assess(changed, now=later).assessed) <= len(everything)


def test_a_warm_plan_where_nothing_changed_costs_no_budget(
    world: dict[str, Any], tmp_path: Path
) -> None:
    server = world["server"]
    _plan(world, tmp_path / "1.json")
    # The second plan checks the planned steps (tracking) for the first time.
    _plan(world, tmp_path / "2.json")
    server.reset_log()
    _plan(world, tmp_path / "3.json", now=NOW + timedelta(minutes=5))
    assert server.requests, "the plan asked GitHub nothing"
    assert _billed(server) == []
    # The planned steps' issue, comments and timeline were asked for again, conditionally.
    assert any("/timeline" in r.path and r.if_none_match for r in server.requests)
    assert server.count(r"^/user$") == 1 and server.count(r"^/user$", status=304) == 1

    # An edited planned step costs its own refetch, and only that.
    plan = json.loads((tmp_path / "3.json").read_text())
    number = plan["stages"][0]["steps"][0]["issue"]["number"]
    server.dataset.update_issue(SAMPLE_SLUG, number, body="Edited: still happens.")
    server.reset_log()
    _plan(world, tmp_path / "4.json", now=NOW + timedelta(minutes=10))
    billed = _billed(server)
    assert f"/repos/{SAMPLE_SLUG}/issues/{number}" in billed
    # The sync's listing that brought the edit, and the step's own issue (its comments and
    # timeline did not change: still 304s).
    assert sorted(set(billed)) == [
        f"/repos/{SAMPLE_SLUG}/issues",
        f"/repos/{SAMPLE_SLUG}/issues/{number}",
    ], billed


def test_an_unchanged_sync_costs_nothing_and_counts_every_request(
    world: dict[str, Any], tmp_path: Path
) -> None:
    server = world["server"]
    _plan(world, tmp_path / "1.json")
    _plan(world, tmp_path / "2.json")

    def sync() -> Any:
        with Workspace(world["paths"], github=GitHubAccess(server.url, Secret(TOKEN))) as ws:
            return sync_with_tracking(ws, SAMPLE_SLUG)

    sync()
    server.reset_log()
    report, tracking = sync()
    assert tracking is not None and tracking.login == LOGIN
    asked = [r for r in server.requests if r.path != "/rate_limit"]
    assert asked and _billed(server) == []
    # /user and the tracked steps' requests are in the summary's count.
    assert report.requests == len(asked)
    assert report.not_modified == len(asked)
    assert f"{len(asked)} requests, {len(asked)} unchanged (304)" in sync_summary(report)


def test_assessments_without_details_rank_alike_and_complete_to_the_full_ones(
    world: dict[str, Any], tmp_path: Path
) -> None:
    paths, code_map, (issues, labels, taken) = _planned(world, tmp_path)
    with Workspace(paths) as ws:
        full = assess_cached(ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=ISO)
        bare = assess_cached(
            ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=ISO, details=False
        )
        assert bare.assessed == [] and bare.bare == {a.issue.number for a in full.assessments}
        assert any(m.evidence for a in full.assessments for m in a.modules)
        for whole, light in zip(full.assessments, bare.assessments, strict=True):
            # Everything that ranks is the same; only the evidence and the reasons are left out.
            assert light.issue is whole.issue and light.taken == whole.taken
            assert [(m.name, m.path, m.score) for m in light.modules] == [
                (m.name, m.path, m.score) for m in whole.modules
            ]
            assert all(m.evidence == [] for m in light.modules) and light.difficulty.reasons == []
            assert light.difficulty.score == whole.difficulty.score
            assert (light.skills, light.kinds, light.features) == (
                whole.skills,
                whole.kinds,
                whole.features,
            )
        # The same plan from either (the same steps, candidates and notes).
        distances = AreaDistances(code_map)
        plans = [
            make_plan(
                SAMPLE_SLUG,
                pool,
                code_map,
                now=ISO,
                skills=["python", "testing"],
                labels=labels,
                distances=distances,
            )
            for pool in (full.assessments, bare.assessments)
        ]
        assert [_picks(plan) for plan in plans[1:]] == [_picks(plans[0])]

        # Completed from the cache, they equal the full ones, with who is on them kept.
        marked = [replace(a, taken=TakenStatus("claimed", ["a claim"])) for a in bare.assessments]
        done = with_details(ws, SAMPLE_SLUG, marked, code_map, labels, now=ISO)
        assert sorted(done) == sorted(bare.bare)
        for whole in full.assessments:
            assert done[whole.issue.number] == replace(
                whole, taken=TakenStatus("claimed", ["a claim"])
            )

        # A row another run replaced meanwhile (another key) is assessed afresh, alike.
        number = full.assessments[0].issue.number
        conn = store.open_cache(paths)
        try:
            conn.execute("UPDATE assess_items SET key = 'other' WHERE number = ?", (number,))
            conn.execute("UPDATE assess_items SET detail = x'00' WHERE number <> ?", (number,))
        finally:
            conn.close()
        again = with_details(ws, SAMPLE_SLUG, bare.assessments, code_map, labels, now=ISO)
    assert [again[a.issue.number] for a in full.assessments] == full.assessments


def test_the_cache_of_the_older_format_is_dropped(world: dict[str, Any]) -> None:
    paths: Paths = world["paths"]
    conn = store.open_cache(paths)
    try:
        conn.execute("CREATE TABLE assess_results (repo TEXT, number INTEGER, key TEXT, data BLOB)")
        conn.execute("INSERT INTO assess_results VALUES ('a/b', 1, 'k', x'00')")
    finally:
        conn.close()
    AssessmentCache(paths.cache_db).close()
    conn = store.open_cache(paths)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "assess_results" not in tables and "assess_items" in tables


def test_damaged_or_stale_rows_are_missing_not_errors(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    rank = ([("m", "m.py", 0.5)], 2, ["python"], ({}, {}), None)
    detail = ([["words match"]], ["a reason"])
    with AssessmentCache(db) as cache:
        cache.save(
            "o/r", [(1, "k1", rank, detail), (2, "k2", rank, detail), (3, "k3", rank, detail)]
        )
        cache.conn.execute("UPDATE assess_items SET rank = x'ff' WHERE number = 2")
        keys = {1: "k1", 2: "k2", 3: "changed"}
        assert list(cache.load("o/r", keys)) == [(1, rank, None)]
        assert list(cache.load("o/r", keys, details=True)) == [(1, rank, detail)]
        assert cache.load_details("o/r", keys) == {1: (rank, detail)}
        assert list(cache.load("O/R", {1: "k1"})) == [(1, rank, None)]  # GitHub's case rules


def _bare(a: IssueAssessment) -> IssueAssessment:
    """`a` as loaded without details: no evidence, no reasons."""
    return replace(
        a,
        modules=[replace(m, evidence=[]) for m in a.modules],
        difficulty=replace(a.difficulty, reasons=[]),
    )


def test_a_plan_ranks_from_the_pool_and_reads_rows_only_for_what_it_misses(
    world: dict[str, Any], tmp_path: Path
) -> None:
    paths, code_map, (issues, labels, taken) = _planned(world, tmp_path)
    numbers = sorted(i.number for i in issues)
    with Workspace(paths) as ws:
        cache = ws.assessments
        pool = cache.load_pool(SAMPLE_SLUG)
        assert sorted(pool) == numbers

        def bare() -> Any:
            return assess_cached(
                ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=ISO, details=False
            )

        expected = bare().assessments
        # The pool alone serves a plan: without the rows nothing is assessed afresh.
        cache.conn.execute("CREATE TEMP TABLE kept AS SELECT * FROM assess_items")
        cache.conn.execute("DELETE FROM assess_items")
        again = bare()
        assert again.assessed == [] and again.assessments == expected
        cache.conn.execute("INSERT INTO assess_items SELECT * FROM kept")

        # A damaged pool: the rows serve, and the pool is written afresh.
        cache.conn.execute("UPDATE assess_pools SET pool = x'ff'")
        assert cache.load_pool(SAMPLE_SLUG) == {}
        again = bare()
        assert again.assessed == [] and again.assessments == expected
        assert sorted(cache.load_pool(SAMPLE_SLUG)) == numbers

        # An entry under another key counts for nothing: its row serves, or, without one,
        # it is assessed afresh; either way the pool holds it under its key again.
        first, second = numbers[:2]
        pool = cache.load_pool(SAMPLE_SLUG)
        stale = dict(pool)
        stale[first] = ("other", stale[second][1])
        stale[second] = ("other", stale[first][1])
        cache.save_pool(SAMPLE_SLUG, stale)
        cache.conn.execute("DELETE FROM assess_items WHERE number = ?", (second,))
        again = bare()
        assert again.assessed == [second] and second not in again.bare
        assert [_bare(a) for a in again.assessments] == expected  # the fresh one is complete
        assert cache.load_pool(SAMPLE_SLUG) == pool

        # An entry that decodes but is not a rank value, under its right key: its row
        # serves (or, without one, it is assessed afresh), never an error.
        for drop_row in (False, True):
            broken = dict(pool)
            broken[first] = (pool[first][0], ("not", "a rank"))
            cache.save_pool(SAMPLE_SLUG, broken)
            if drop_row:
                cache.conn.execute("DELETE FROM assess_items WHERE number = ?", (first,))
            again = bare()
            assert again.assessed == ([first] if drop_row else [])
            assert [_bare(a) for a in again.assessments] == expected
            assert cache.load_pool(SAMPLE_SLUG) == pool

        # An issue no longer open leaves the pool with the next plan.
        rest = [i for i in issues if i.number != first]
        done = assess_cached(ws, SAMPLE_SLUG, rest, code_map, labels, taken, now=ISO, details=False)
        assert done.assessed == []
        assert sorted(cache.load_pool(SAMPLE_SLUG)) == numbers[1:]


def test_a_damaged_or_foreign_pool_reads_as_empty(tmp_path: Path) -> None:
    rank = ([("m", "m.py", 0.5)], 2, ["python"], ({}, {}), None)
    with AssessmentCache(tmp_path / "cache.sqlite3") as cache:
        assert cache.load_pool("o/r") == {}
        cache.save_pool("o/r", {2: ("k2", rank), 1: ("k1", rank)})
        assert cache.load_pool("O/R") == {1: ("k1", rank), 2: ("k2", rank)}
        assert cache.load_pool("o/other") == {}
        for value in (b"\xff", marshal.dumps([1, 2]), marshal.dumps({1: "k"})):
            cache.conn.execute("UPDATE assess_pools SET pool = ?", (value,))
            assert cache.load_pool("o/r") == {}


def _picks(plan: Any) -> list[Any]:
    return [
        (
            stage.number,
            [step.issue.number for step in stage.steps],
            [a.issue.number for a in stage.candidates],
            stage.also_fits,
            stage.note,
        )
        for stage in plan.stages
    ] + [[item.issue.number for item in plan.set_aside], plan.set_aside_total]


def test_issue_keys_depend_on_values_only_and_on_every_field() -> None:
    """Keys serialise the issue's values: equal issues built from distinct (or interned,
    or shared) string objects key alike, and a change to any one field, the body
    included, or to the years open, gives another key."""
    import sys

    from prready.app.assessments import issue_keys

    def issue(**changes: Any) -> Issue:
        base = Issue(
            "me/lib", 7, "Crash in parse()", "x = parse('a')\n" * 50, "open", ["bug"],
            ["ann"], "ann", 3, 1, "2022-01-05T10:00:00Z", "2026-11-01T09:00:00Z", None,
            "https://github.com/me/lib/issues/7",
        )  # fmt: skip
        return replace(base, **changes)

    plain = issue()
    # The same values through other objects: rebuilt strings, interned ones, one list shared.
    shared = ["ann"]
    rebuilt = issue(
        title="".join(["Crash in ", "parse()"]),
        author=sys.intern("".join(["a", "nn"])),
        assignees=shared,
        labels=[sys.intern("b" + "ug")],
        url="https://github.com/me/lib/issues/" + str(7),
    )
    key = issue_keys("ctx", [plain], ISO)[7]
    assert issue_keys("ctx", [rebuilt], ISO)[7] == key
    assert issue_keys("ctx", [plain, replace(plain, number=8)], ISO)[7] == key
    changed = [
        issue(title="Crash in parse"), issue(body=plain.body + "."), issue(labels=["bug", "x"]),
        issue(assignees=[]), issue(author="bob"), issue(comments=4), issue(reactions=2),
        issue(updated_at="2026-11-02T09:00:00Z"), issue(state="closed"), issue(state_reason="reopened"),
        issue(labels=[], assignees=["bug", "ann"]),  # the same texts in other fields
    ]  # fmt: skip
    keys = {issue_keys("ctx", [c], ISO)[7] for c in changed}
    assert key not in keys and len(keys) == len(changed)
    assert issue_keys("other", [plain], ISO)[7] != key
    # Another whole year open changes the key; a day more within the same year does not.
    assert issue_keys("ctx", [plain], "2027-01-06T12:00:00Z")[7] != key
    assert issue_keys("ctx", [plain], "2026-11-21T12:00:00Z")[7] == key


def test_pool_values_share_equal_texts_and_modules_and_keep_every_value_exactly() -> None:
    from prready.app.assessments import _shared

    values = [
        ([("a.b", "a/b.py", 0.5), ("c", "c.py", -0.0)], 2, ["python"], ({"bug": "x"}, {}),
         (False, True, False, ("a", "c"), True, ("small",))),
        ([("a.b", "a/b.py", 0.5), ("c", "c.py", 0.0)], 2, ["python"], ({"bug": "x"}, {}),
         (True, False, False, ("a", "c"), False, ())),
        ([("a.b", "a/b.py", 1.0)], 1, [], ({}, {}), (1, 0, 0, ("a", "c"), 1, ())),
        ([("a.b", "a/b.py", 1)], 1, [], ({}, {}), None),
    ]  # fmt: skip
    once: dict[Any, Any] = {}
    shared = [_shared(marshal.loads(marshal.dumps(v)), once) for v in values]
    assert [repr(v) for v in shared] == [repr(v) for v in values]  # -0.0, 1 and True kept
    first, second, third, _ = shared
    assert first[0][0] is second[0][0]  # one module tuple
    assert first[0][1] is not second[0][1]  # -0.0 is not 0.0
    assert first[4][3] is second[4][3] is third[4][3]  # one areas tuple
    assert first[2][0] is second[2][0] and first[3][0] is not second[3][0]  # texts; dicts apart


def test_a_stamped_pool_gives_the_keys_only_while_nothing_they_read_moved(
    world: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan takes its keys from the pool's stamp while the stored issues, the shared
    context and the years open all stand; any change (an edited issue, other labels, a
    later or earlier time, a pool written by other code, other issues) works every key
    out again, and every outcome is exactly the one without a stamp."""
    from prready.app import assessments as module

    paths, code_map, (issues, labels, taken) = _planned(world, tmp_path)
    worked: list[int] = []
    real = module.issue_keys_until

    def counted(context: str, issues: Any, now: str) -> Any:
        worked.append(len(issues))
        return real(context, issues, now)

    monkeypatch.setattr(module, "issue_keys_until", counted)

    def both(
        issues: list[Issue], labels: Any = labels, now: str = ISO
    ) -> tuple[Any, bool]:
        """(the stamped way's outcome, whether it worked the keys out), checked against
        the way without a stamp."""
        with Workspace(paths) as ws:
            generation = store.generation(ws.cache)
            assert generation is not None
            worked.clear()
            stamped = assess_cached(
                ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=now, details=False,
                generation=generation,
            )  # fmt: skip
            did = bool(worked)
            plain = assess_cached(
                ws, SAMPLE_SLUG, issues, code_map, labels, taken, now=now, details=False
            )
        # (An issue assessed afresh comes complete, and from the pool next time bare.)
        assert [_bare(a) for a in stamped.assessments] == [_bare(a) for a in plain.assessments]
        return stamped, did

    both(issues)  # stamps the pool (a plan's tracking may have written issues since)
    first, did = both(issues)
    assert not did and first.assessed == []
    with Workspace(paths) as ws:
        index = mapping_index(ws, code_map)
    fresh = [_bare(a) for a in assess_issues(issues, code_map, labels, taken, now=ISO, index=index)]
    assert first.assessments == fresh

    # An edited issue in the store: the generation moves, every key is worked out, the
    # edited issue alone is assessed afresh; then the new pool is stamped.
    edited = sorted(i.number for i in issues)[0]
    with Workspace(paths) as ws:
        before = store.generation(ws.cache)
        changed = [
            replace(i, title=i.title + " (edited)", updated_at="2026-11-20T11:00:00Z")
            for i in issues
            if i.number == edited
        ]
        store.save_issues(ws.cache, changed)
        assert store.generation(ws.cache) != before
    issues = _stored(world, code_map)[0]
    outcome, did = both(issues)
    assert did and outcome.assessed == [edited]
    assert both(issues)[1] is False

    # Other labels (another context), another set of issues: worked out.
    relabelled = [replace(label, kind=type(label.kind)("other")) for label in labels]
    assert both(issues, labels=relabelled)[1]
    assert both(issues)[1]  # the relabelled plan rewrote the pool
    assert not both(issues)[1]
    assert both(issues[1:])[1]
    assert both(issues)[1]

    # Time: within the stamp's span the keys stand; before it, or once some issue's
    # years open turn (the span's end), they are worked out.
    _, until = real(module.assessment_context(code_map, labels), issues, ISO)
    assert until is not None
    assert not both(issues, now="2026-11-20T12:00:01Z")[1]
    assert both(issues, now="2026-11-20T11:59:59Z")[1]
    assert not both(issues)[1]
    turned, did = both(issues, now=store_iso(until))
    assert did and turned.assessed  # some issue is a year older
    assert both(issues)[1]  # back before the span the later plan stamped
    assert not both(issues)[1]

    # A pool written by other code (which names only the repository and the pool): no
    # stamp, keys worked out.
    with Workspace(paths) as ws:
        cache = ws.assessments
        row = cache.conn.execute("SELECT pool FROM assess_pools").fetchone()
        cache.conn.execute(
            "INSERT OR REPLACE INTO assess_pools (repo, pool) VALUES (?, ?)", (SAMPLE_SLUG, row[0])
        )
    assert both(issues)[1]
    assert not both(issues)[1]


def store_iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_issues_generation_moves_with_every_write_of_an_issue(tmp_path: Path) -> None:
    paths = resolve_paths()
    conn = store.open_cache(paths)
    try:
        start = store.generation(conn)
        assert start is not None
        issue = Issue(
            "me/lib", 1, "t", "b", "open", [], [], "ann", 0, 0, "2026-01-01T00:00:00Z",
            "2026-01-02T00:00:00Z", None, "https://github.com/me/lib/issues/1",
        )  # fmt: skip
        seen = [start]
        store.save_issues(conn, [issue])
        seen.append(store.generation(conn))
        store.save_issues(conn, [issue])  # written back as it was: nothing changed
        assert store.generation(conn) == seen[-1]
        store.save_issues(conn, [replace(issue, title="t2", updated_at="2026-01-03T00:00:00Z")])
        seen.append(store.generation(conn))
        store.mark_closed(conn, "me/lib", [1], "2026-01-04T00:00:00Z")
        seen.append(store.generation(conn))
        conn.execute("DELETE FROM gh_issues")
        seen.append(store.generation(conn))
        assert len(set(seen)) == len(seen)
        store.load_issues(conn, "me/lib", "all")  # reading moves nothing
        assert store.generation(conn) == seen[-1]
        # A counter made anew (its row gone) never repeats an old generation.
        conn.execute("DELETE FROM gh_issue_writes")
        assert store.generation(conn) is None
    finally:
        conn.close()
    conn = store.open_cache(paths)
    try:
        assert store.generation(conn) not in seen
        (edit,) = [n for (n,) in conn.execute(TRIGGERS) if n.startswith("gh_issues_edit_")]
        conn.execute(f"DROP TRIGGER {edit}")
        assert store.generation(conn) is None
    finally:
        conn.close()


TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger'"


def test_another_versions_generation_triggers_are_replaced(tmp_path: Path) -> None:
    """A file whose edit trigger another version made (one that misses a column: here
    all but the title) gets this version's triggers when opened, the old one dropped, and
    the generation moved on (what was keyed under it may have missed a write)."""
    paths = resolve_paths()
    issue = Issue(
        "me/lib", 1, "t", "b", "open", [], [], "ann", 0, 0, "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z", None, "https://github.com/me/lib/issues/1",
    )  # fmt: skip
    conn = store.open_cache(paths)
    try:
        store.save_issues(conn, [issue])
        ours = {n for (n,) in conn.execute(TRIGGERS)}
        for name in ours:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(
            "CREATE TRIGGER gh_issues_edit_generation AFTER UPDATE ON gh_issues "
            "WHEN OLD.title IS NOT NEW.title BEGIN "
            "UPDATE gh_issue_writes SET generation = generation + 1 WHERE id = 1; END"
        )
        for event, name in (("INSERT", "insert"), ("DELETE", "delete")):
            conn.execute(
                f"CREATE TRIGGER gh_issues_{name}_generation AFTER {event} ON gh_issues "
                "BEGIN UPDATE gh_issue_writes SET generation = generation + 1 WHERE id = 1; END"
            )
        before = store.generation(conn)
    finally:
        conn.close()
    conn = store.open_cache(paths)
    try:
        assert {n for (n,) in conn.execute(TRIGGERS)} == ours
        opened = store.generation(conn)
        assert opened is not None and opened != before
        store.save_issues(conn, [replace(issue, body="b2")])  # only the body changed
        assert store.generation(conn) != opened
    finally:
        conn.close()


def test_years_open_stand_until_the_moment_given_then_turn() -> None:
    from prready.analysis.difficulty import years_open, years_open_until

    issue = Issue(
        "me/lib", 7, "t", "b", "open", [], [], "ann", 0, 0, "2024-03-10T08:15:00Z",
        "2024-03-11T00:00:00Z", None, "https://github.com/me/lib/issues/7",
    )  # fmt: skip
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc)  # before it was opened
    turns = 0
    while moment < datetime(2029, 1, 1, tzinfo=timezone.utc):
        years, until = years_open_until(issue, moment)
        assert years == years_open(issue, moment) == years_open(issue, store_iso(moment))
        assert until is not None and until > moment
        second = timedelta(seconds=1)
        assert years_open(issue, until - second) == years != years_open(issue, until)
        moment, turns = until, turns + 1
    assert turns == 5  # past a year open, then at each further year
    assert years_open_until(replace(issue, state="closed"), moment) == (0, None)
    assert years_open_until(replace(issue, created_at="garbage"), moment) == (0, None)
