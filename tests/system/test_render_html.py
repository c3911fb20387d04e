"""The HTML plan page: every section, a strict CSP matching the inline assets, no loads."""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from prready.models import ContributingSummary, Plan
from prready.render.html import render_html
from prready.render.templates import read_asset, templates_dir
from renderfixtures import (
    FETCHED,
    NOW,
    sample_events,
    sample_graph,
    sample_plan,
    sample_progress,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_plan(), sample_progress(), sample_events(), sample_graph(), NOW)


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_every_section_is_present(page: str) -> None:
    for anchor in (
        "overview",
        "stage-1",
        "stage-2",
        "stage-3",
        "stage-4",
        "progress",
        "codemap",
        "candidates-section",
    ):
        assert f'id="{anchor}"' in page
    assert '<h1><a href="https://github.com/pytorch/pytorch"' in page
    assert "20 Nov 2026, 09:30 UTC" in page and "(1 day ago)" in page
    assert page.count('<article class="step"') == 5
    assert "Summarised from <code>CONTRIBUTING.md</code>" in page
    assert page.count('<li class="chip">python</li>') == 1


def test_step_cards_carry_all_the_guidance(page: str) -> None:
    card = page[page.index('id="issue-201"') : page.index('id="stage-3"')]
    assert 'href="https://github.com/pytorch/pytorch/issues/201"' in card
    assert "2/5 · easy" in card and "touches one file" in card
    assert "✓ python" in card and "+ testing" in card
    assert "Claimed, but gone quiet" in card and "70 days ago" in card
    assert ">Started<" in card
    assert "<code>torch/nn/functional.py</code>" in card
    assert "python test/test_nn.py -k interpolate" in card
    assert "albanD" in card and "a CPU-only build is enough" in card and "1-2 days" in card
    assert '<details class="body">' in card and "<table>" in card  # the sanitized issue body


def test_progress_bars_and_timeline(page: str) -> None:
    assert 'aria-label="Overall: 1 of 5 merged, 1 PR open, 1 started"' in page
    assert 'aria-label="Stage 1: 1 of 2 merged, 1 PR open"' in page
    assert '<rect class="bar-merged" x="0" y="0" width="50.0" height="6"/>' in page
    assert page.count('<li class="ev-') == 5
    first = page.index('<li class="ev-')
    assert "09 Nov 2026" in page[first : first + 200]  # newest first
    assert 'href="https://github.com/pytorch/pytorch/pull/9001"' in page


def test_candidates_table_rows_carry_filter_data(page: str) -> None:
    rows = re.findall(
        r"<tr data-stage=\"([\d ]+)\" data-skills='([^']*)' data-status=\"([a-z-]+)\" data-difficulty=\"(\d)\">",
        page,
    )
    assert len(rows) == 6
    assert ("2", '["python", "testing"]', "fresh", "2") in rows
    # A candidate listed under its best stage carries the other stages it suits too.
    assert ("4 3", '["c++", "numerics"]', "fresh", "5") in rows
    assert '<div class="small muted">also 3</div>' in page
    assert '<option value="stale-claim">Claimed, but gone quiet</option>' in page


def test_csp_allows_exactly_the_inline_style_and_script(page: str) -> None:
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert policy.startswith("default-src 'none';")
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert style and script
    assert f"style-src '{_sha(style.group(1))}'" in policy
    assert f"script-src '{_sha(script.group(1))}'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_page_is_self_contained(page: str) -> None:
    assert " src=" not in page and "<link" not in page and "@import" not in page
    assert "url(" not in read_asset("plan.css")
    assert page.count("<script") == 1
    assert "fetch(" not in read_asset("plan.js") and "XMLHttpRequest" not in read_asset("plan.js")
    for href in re.findall(r'href="([^"]+)"', page):
        assert href.startswith(("https://", "#")), href


def test_sample_banner_and_missing_pieces_read_well() -> None:
    plan = Plan(
        repo="o/r",
        generated_at=NOW,
        data_fetched_at=FETCHED,
        skills=[],
        stages=[],
        contributing=ContributingSummary("", [], [], [], []),
        sample=True,
    )
    page = render_html(plan, [], [], None, NOW)
    assert "<strong>Sample data.</strong>" in page
    assert "No skills given" in page and "No contributing guide was found" in page
    assert "Nothing tracked yet" in page and "nothing to draw" in page
    assert "No further candidates" in page
    normal = render_html(sample_plan(), [], [], sample_graph(), NOW)
    assert "Sample data." not in normal


def test_long_bodies_link_to_github_for_the_rest() -> None:
    plan = sample_plan()
    plan.stages[0].steps[0].issue.body = "word " * 5000
    page = render_html(plan, [], [], None, NOW)
    card = page[page.index('id="issue-101"') : page.index('id="issue-102"')]
    assert "(excerpt)" in card and "Read the whole issue on GitHub" in card


def test_rendering_is_deterministic(page: str) -> None:
    again = render_html(sample_plan(), sample_progress(), sample_events(), sample_graph(), NOW)
    assert again == page


def test_templates_are_found_in_the_source_checkout() -> None:
    assert templates_dir() == REPO_ROOT / "templates"
    assert (templates_dir() / "plan.html.j2").is_file()


def test_wheel_ships_the_templates_and_renders_from_them(tmp_path: Path) -> None:
    """Build the wheel (hatchling via pip), install it into a folder, render from there."""
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO_ROOT),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if built.returncode != 0 and re.search(r"(?i)connection|resolve|network|index", built.stderr):
        pytest.skip("cannot fetch the build backend (hatchling) from PyPI")
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("prready-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for asset in ("plan.html.j2", "_macros.html.j2", "plan.css", "plan.js"):
            assert f"prready/templates/{asset}" in names
        zf.extractall(tmp_path / "site")
    code = (
        "import prready.render.templates as t, pathlib, sys;"
        "d = t.templates_dir(); print(d);"
        "sys.exit(0 if pathlib.Path(t.__file__).parent.parent / 'templates' == d else 1)"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {code}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert str(tmp_path / "site") in run.stdout


def test_issue_links_must_point_at_the_issue_itself() -> None:
    plan = sample_plan()
    plan.stages[0].steps[0].issue.url = "https://evil.example/phish"
    plan.stages[0].steps[1].issue.url = "https://ghe.example.com/o/r/issues/102"
    page = render_html(plan, [], [], None, NOW)
    assert "evil.example" not in page
    assert 'href="https://github.com/pytorch/pytorch/issues/101"' in page
    # Another host (and another repository) is never made a link: the repository's own page.
    assert "ghe.example.com" not in page
    assert 'href="https://github.com/pytorch/pytorch/issues/102"' in page


def test_difficulty_points_are_explained_once(page: str) -> None:
    plan = sample_plan()
    plan.stages[0].steps[0].difficulty.reasons = ["labelled 'good first issue' (-1)"]
    plan.stages[1].steps[0].difficulty.reasons = ["spans 2 areas (a, b) (+0.5)"]
    html_text = render_html(plan, sample_progress(), sample_events(), sample_graph(), NOW)
    assert html_text.count("it starts at 2.5") == 1
    # Without bracketed points (the fixture's own reasons) there is nothing to explain.
    assert "it starts at 2.5" not in page


def test_test_command_wraps_instead_of_hiding_behind_a_scrollbar() -> None:
    css = read_asset("plan.css")
    rule = re.search(r"\.cmd \{([^}]*)\}", css)
    assert rule and "pre-wrap" in rule.group(1)


def test_compiled_templates_are_kept_and_follow_their_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm plan loads the templates compiled by the last one (nothing is written
    again); an edited template, a damaged entry or an unwritable folder cost only a
    compile, and the page is always the one rendered without the cache."""
    import prready.render.html as html_module

    own = tmp_path / "templates"
    own.mkdir()
    for source in templates_dir().glob("*.j2"):
        (own / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(html_module, "templates_dir", lambda: own)
    args = (sample_plan(), sample_progress(), sample_events(), sample_graph(), NOW)
    plain = render_html(*args)
    compiled = tmp_path / "cache" / "templates"
    assert render_html(*args, compiled) == plain
    entries = sorted(compiled.iterdir())
    assert len(entries) == 2  # the page and its macros
    assert (compiled.stat().st_mode & 0o777) == 0o700
    written = {entry: entry.stat().st_mtime_ns for entry in entries}
    assert render_html(*args, compiled) == plain
    assert {entry: entry.stat().st_mtime_ns for entry in entries} == written

    page = own / "plan.html.j2"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    edited = render_html(*args, compiled)
    assert edited == plain + "<!-- edited -->\n"
    assert render_html(*args, compiled) == edited

    from jinja2.bccache import bc_magic

    for damage in (b"j2 not a compiled template", bc_magic + b"\x80 cut short"):
        for entry in compiled.iterdir():
            entry.write_bytes(damage)
        assert render_html(*args, compiled) == edited
        assert render_html(*args, compiled) == edited

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert render_html(*args, blocked) == edited


def test_compiled_templates_are_never_loaded_from_a_folder_others_can_write(
    tmp_path: Path,
) -> None:
    """Compiled entries are unpickled and run: a folder another user could write into
    (group/other bits) or a symlink to one is not used at all, so an entry planted there
    never runs, and the page is the one rendered without the cache."""
    import pickle

    args = (sample_plan(), sample_progress(), sample_events(), sample_graph(), NOW)
    plain = render_html(*args)
    marker = tmp_path / "planted-code-ran"

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "private-target", target_is_directory=True)
    (tmp_path / "private-target").mkdir(mode=0o700)
    for folder, real in ((shared, shared), (link, tmp_path / "private-target")):
        warm = tmp_path / "warm"
        render_html(*args, warm)  # learn the entries' names from a private folder
        for entry in warm.iterdir():
            (real / entry.name).write_bytes(pickle.dumps(Planted()))
        assert render_html(*args, folder) == plain
        assert not marker.exists()
        assert all(e.read_bytes() == pickle.dumps(Planted()) for e in real.iterdir())
