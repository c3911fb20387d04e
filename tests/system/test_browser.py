"""The plan page in a real headless Chromium (Debian's binary, never a downloaded one):
no console errors, no request leaves the file, every section renders, the filters work,
hostile content stays inert. Screenshots go to tests/system/artifacts/ for a human to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prready.render.html import render_html
from renderfixtures import (
    NOW,
    XSS_FLAG,
    hostile_graph,
    hostile_plan,
    sample_events,
    sample_graph,
    sample_plan,
    sample_progress,
)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Never let Playwright fetch a browser of its own.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class PageWatch:
    """A page that records console errors, page errors, dialogs and every request."""

    def __init__(self, browser: Any, path: Path, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url == self.url:
            route.continue_()
        else:
            route.abort()

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def close(self) -> None:
        self.context.close()


def _write(name: str, html: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_page_path() -> Path:
    html = render_html(sample_plan(), sample_progress(), sample_events(), sample_graph(), NOW)
    return _write("plan-sample.html", html)


def test_sample_page_renders_every_section_without_errors_or_requests(
    browser: Any, sample_page_path: Path
) -> None:
    watch = PageWatch(browser, sample_page_path, viewport={"width": 1280, "height": 900})
    page = watch.page
    for section in (
        "#overview",
        "#stage-1",
        "#stage-2",
        "#stage-3",
        "#stage-4",
        "#progress",
        "#codemap",
        "#candidates-section",
    ):
        assert page.locator(section).is_visible(), section
    assert page.locator("article.step").count() == 5
    assert page.locator("#codemap svg .node").count() >= 6
    assert page.locator("svg.bar").count() >= 9
    assert page.locator(".timeline li").count() == 5
    assert page.locator("form.filters").is_visible()  # the script ran under the CSP
    assert watch.errors == []
    assert watch.outside_requests() == []
    watch.close()


def test_filters_show_only_matching_rows(browser: Any, sample_page_path: Path) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect  # waits, so load can't flake it
    watch = PageWatch(browser, sample_page_path)
    page = watch.page
    rows = page.locator("#candidates tbody tr")
    assert rows.count() == 6
    visible = page.locator("#candidates tbody tr:not([hidden])")
    page.select_option("select[data-filter=stage]", "2")
    expect(visible).to_have_count(2)
    page.select_option("select[data-filter=status]", "fresh")
    expect(visible).to_have_count(1)
    assert "F.pad" in visible.first.inner_text()
    expect(page.locator("#candidate-count")).to_have_text("1 of 6 issues")
    page.click("form.filters button[type=reset]")
    # (A locator, not `wait_for_function`: a string evaluated in the page is eval, which
    # the page's CSP refuses whenever the first check is not already true.)
    expect(page.locator("#candidates tbody tr[hidden]")).to_have_count(0)
    expect(visible).to_have_count(6)
    page.select_option("select[data-filter=skills]", "numerics")
    expect(visible).to_have_count(2)
    page.select_option("select[data-filter=skills]", "")
    page.select_option("select[data-filter=difficulty]", "5")
    expect(visible).to_have_count(1)
    assert watch.errors == []
    watch.close()


def test_screenshots_light_dark_and_phone(browser: Any, sample_page_path: Path) -> None:
    shots = []
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 390)):
        watch = PageWatch(
            browser, sample_page_path, viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        name = f"plan-{scheme}-{width}.png"
        watch.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        shots.append(ARTIFACTS / name)
        bg = watch.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (bg == "rgb(17, 19, 23)") == (scheme == "dark")
        # Nothing sticks out sideways on a phone except inside its own scroll box.
        overflow = watch.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert watch.errors == []
        watch.close()
    assert all(p.stat().st_size > 10_000 for p in shots)


def test_hostile_page_runs_no_script_and_still_renders(browser: Any) -> None:
    html = render_html(hostile_plan(), sample_progress(), sample_events(), hostile_graph(), NOW)
    path = _write("plan-hostile.html", html)
    watch = PageWatch(browser, path, viewport={"width": 1280, "height": 900})
    page = watch.page
    page.locator("details.body").first.evaluate("d => d.open = true")
    page.mouse.move(200, 200)
    for link in page.locator("a[href^='javascript']").all():  # there must be none
        link.click()
    assert page.evaluate(f"window.{XSS_FLAG} === undefined")
    assert watch.dialogs == []
    assert watch.outside_requests() == []
    assert page.locator("article.step").count() == 5
    assert page.locator("#candidates tbody tr").count() == 6
    assert page.locator("script").count() == 1
    assert page.locator("img, iframe, object, embed").count() == 0
    assert watch.errors == []
    page.screenshot(path=str(ARTIFACTS / "plan-hostile.png"), full_page=False)
    watch.close()


def test_print_layout_hides_controls_and_shows_every_candidate(
    browser: Any, sample_page_path: Path
) -> None:
    watch = PageWatch(browser, sample_page_path, viewport={"width": 900, "height": 1200})
    page = watch.page
    page.select_option("select[data-filter=stage]", "4")
    assert page.locator("#candidates tbody tr:not([hidden])").count() == 1
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert not page.locator("nav.toc").is_visible()
    assert page.locator("#candidates tbody tr:visible").count() == 6
    assert len(page.pdf()) > 10_000
    assert watch.errors == []
    watch.close()


def test_stage_filter_finds_a_candidate_under_every_stage_it_suits(
    browser: Any, sample_page_path: Path
) -> None:
    watch = PageWatch(browser, sample_page_path)
    page = watch.page
    visible = page.locator("#candidates tbody tr:not([hidden])")
    page.select_option("select[data-filter=stage]", "3")
    # #310 is a stage 3 candidate; #410 is listed under stage 4 and also suits stage 3.
    texts = [visible.nth(i).inner_text() for i in range(visible.count())]
    assert len(texts) == 2
    assert any("#310" in t for t in texts) and any("#410" in t and "also 3" in t for t in texts)
    assert page.locator("#candidates tbody tr").filter(has_text="#410").count() == 1
    assert watch.errors == []
    watch.close()
