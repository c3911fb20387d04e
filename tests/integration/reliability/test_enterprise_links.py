"""Issue and pull request links come from the repository's own host: with a GitHub
Enterprise API URL (`https://ghe.example.com/api/v3`) every link in the HTML, Markdown and
JSON plan and in `issues --format json` is `https://ghe.example.com/OWNER/REPO/...`; a URL
from the data on another host (github.com, a look-alike) never becomes a link."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from planfixtures import MINI_SLUG as SLUG
from planfixtures import make_mini_repo
from prready.cli import cli

API = "https://ghe.example.com/api/v3"
OWN = f"https://ghe.example.com/{SLUG}/"
URLS = {
    1: f"https://github.com/{SLUG}/issues/1",  # right path, wrong host
    2: f"https://evil.example/{SLUG}/issues/2",  # a look-alike host
    8: f"https://ghe.example.com/{SLUG}/issues/8",  # the repository's own page
}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def item(number: int, title: str, labels: list[str]) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "body": "See mini/nn/functional.py and [the guide](/docs/guide.md)",
        "state": "OPEN",
        "labels": [{"name": n} for n in labels],
        "assignees": [],
        "author": {"login": "reporter"},
        "url": URLS[number],
        "createdAt": "2026-01-10T10:00:00Z",
        "updatedAt": f"2026-05-0{number % 9 + 1}T10:00:00Z",
        "comments": [],
    }


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = make_mini_repo(tmp_path)
    items = [
        item(1, "Typo in F.interpolate docstring", ["good first issue"]),
        item(2, "Adam raises KeyError", ["bug"]),
        item(8, "relu docs", ["good first issue"]),
    ]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    result = run("sync", SLUG, "--from-file", str(path))
    assert result.exit_code == 0, result.output
    # A pull request on github.com, not on the repository's host: never a link.
    result = run("track", f"{SLUG}#1", "pr", f"https://github.com/{SLUG}/pull/5")
    assert result.exit_code == 0, result.output
    return repo


def plan(checkout: Path, fmt: str) -> str:
    result = run(
        "plan", SLUG, "--offline", "--checkout", str(checkout), "--api-url", API,
        "--format", fmt, "-o", "-",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_plan_issue_urls_are_on_the_repository_host(checkout: Path) -> None:
    doc = json.loads(plan(checkout, "json"))
    issues = [st["issue"] for stage in doc["stages"] for st in stage["steps"]]
    issues += [c["issue"] for stage in doc["stages"] for c in stage["candidates"]]
    assert {i["number"] for i in issues} >= {1, 2, 8}
    for issue in issues:
        assert issue["url"] == f"{OWN}issues/{issue['number']}", issue["url"]


def test_markdown_links_are_on_the_repository_host(checkout: Path) -> None:
    text = plan(checkout, "md")
    links = re.findall(r"\]\(<?([^)>\s]+)>?\)", text)
    assert links and all(link.startswith(OWN) for link in links), links
    # The pull request on github.com is mentioned as text GitHub will not autolink.
    assert f"https:&#8203;//github.com/{SLUG}/pull/5" in text
    assert "https://github.com" not in text and "evil.example" not in text


def test_html_links_are_on_the_repository_host(checkout: Path) -> None:
    page = plan(checkout, "html")
    hrefs = [h for h in re.findall(r'href="([^"]+)"', page) if h.startswith("http")]
    assert any(h == f"{OWN}issues/1" for h in hrefs), hrefs
    assert any(h == f"https://ghe.example.com/{SLUG}" for h in hrefs), hrefs  # the header
    # Relative links in issue bodies resolve on the same host, as GitHub resolves them.
    assert all(h.startswith("https://ghe.example.com/") for h in hrefs), hrefs
    assert f"github.com/{SLUG}/pull/5" not in " ".join(hrefs)
    assert "evil.example" not in page


def test_issues_json_urls_follow_the_api_host(checkout: Path) -> None:
    result = run("issues", SLUG, "--format", "json", env={"GITHUB_API_URL": API})
    assert result.exit_code == 0, result.output
    urls = {row["number"]: row["url"] for row in json.loads(result.stdout)}
    assert urls == {n: f"{OWN}issues/{n}" for n in (1, 2, 8)}
