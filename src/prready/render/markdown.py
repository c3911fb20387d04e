"""The plan as GitHub-flavoured Markdown, for pasting into an issue, a gist or a mentor's notes.

Same content as the HTML page minus the picture and the issue bodies. Text from GitHub is
escaped so it cannot become markup, links or table cells, and @mentions are broken so
pasting the plan does not ping anyone.
"""

from __future__ import annotations

import re

from prready.models import Plan, ProgressEntry, ProgressEvent
from prready.render.view import PlanView, StageView, StepView, build_view

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Text that would start a heading, list or rule when it begins a line (or a list item).
_BLOCK_START = re.compile(r"^(#|[-+=]|\d+(?=[.)]))")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
# A URL in text that GitHub's Markdown would turn into a link (its autolink extension): a
# zero-width space after "https:" (or "www") keeps it text, whatever host it names.
_AUTOLINK = re.compile(r"(?i)\b(https?:|ftp:|www(?=\.))")


def render_markdown(plan: Plan, progress: list[ProgressEntry], events: list[ProgressEvent]) -> str:
    """The whole plan as one Markdown document (ends with a newline)."""
    view = build_view(plan, progress, events)
    out: list[str] = [f"# Contribution plan: {md_text(view.repo)}", ""]
    if view.sample:
        out += [
            "> **Sample data.** Built from prready's bundled demo data, not the live repository.",
            "",
        ]
    out += [
        f"Issue data fetched {md_text(view.fetched_at)} · plan made {md_text(view.generated_at)}",
        "",
        f"**Your skills:** {_join(view.skills) or '_none given_'}  ",
        f"**Progress:** {md_text(view.progress.summary)}",
        "",
    ]
    out += _contributing(view)
    for stage in view.stages:
        out += _stage(stage)
    out += _progress(view)
    out += _candidates(view)
    out += _set_aside(view)
    return "\n".join(out).rstrip("\n") + "\n"


def md_text(text: str) -> str:
    """Escape one line of untrusted text so Markdown shows it literally, links nothing and
    pings no one."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped)
    escaped = _BLOCK_START.sub(_escape_block_start, escaped)
    escaped = _AUTOLINK.sub(r"\1&#8203;", escaped)
    # A zero-width space after "@" keeps GitHub from turning it into a mention.
    return _MENTION.sub("@&#8203;", escaped)


def md_code(text: str) -> str:
    """An inline code span that holds any text, backticks included."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escape_block_start(match: re.Match[str]) -> str:
    """Escape a block marker at the start: '# x' -> '\\# x', '12. x' -> '12\\. x'."""
    lead = match.group(1)
    return lead + "\\" if lead[0].isdigit() else "\\" + lead


# --------------------------------------------------------------------------- sections
def _contributing(view: PlanView) -> list[str]:
    out = ["## How this project takes contributions", ""]
    if not view.contributing:
        return [*out, "No contributing guide was found in the repository.", ""]
    if view.contributing_source:
        out += [f"_Summarised from {md_code(view.contributing_source)}._", ""]
    for heading, lines in view.contributing.items():
        out += [f"**{heading}**", "", *[f"- {md_text(line)}" for line in lines], ""]
    return out


def _stage(stage: StageView) -> list[str]:
    out = [
        f"## Stage {stage.number} · {md_text(stage.title)}",
        "",
        f"_{md_text(stage.goal)}_" if stage.goal else "",
        "",
        f"Progress: {md_text(stage.progress.summary)}",
        "",
    ]
    if not stage.steps and stage.note:
        out += [f"No issue fits this stage: {md_text(stage.note)}", ""]
    elif not stage.steps:
        out += ["No issue fits this stage yet; see the further candidates below.", ""]
    for step in stage.steps:
        out += _step(step)
    if stage.steps and stage.note:  # fewer steps than asked, and why
        out += [f"_{md_text(stage.note)}_", ""]
    return out


def _step(step: StepView) -> list[str]:
    title = f"#{step.number} {md_text(step.title)}"
    heading = f"### {_link(title, step.url)}"
    status = step.status_text + (f" ([your PR](<{step.pr_url}>))" if step.pr_url else "")
    labels = _join(step.labels) + (f" and {step.more_labels} more" if step.more_labels else "")
    out = [
        heading,
        "",
        f"**Status:** {status} · **Someone else on it?** {step.taken_text} · **Effort:** {md_text(step.effort)}  ",
    ]
    if labels:
        out.append(f"**Labels:** {labels}  ")
    reasons = "; ".join(md_text(r) for r in step.difficulty_reasons)
    out.append(
        f"**Difficulty:** {step.difficulty}/5, {step.difficulty_word}"
        + (f": {reasons}" if reasons else "")
        + "  "
    )
    skills = []
    if step.skills_matched:
        skills.append(f"you have {_join(step.skills_matched)}")
    if step.skills_new:
        skills.append(f"new to you: {_join(step.skills_new)}")
    out += [f"**Skills:** {'; '.join(skills) or 'none in particular'}", ""]
    out += _bullets("Why this one", step.why)
    out += _bullets("Who else is on it", step.taken_evidence)
    out += _reading(step)
    out += _bullets("Tests to run", step.tests, code=True)
    if step.test_command:
        longest = max((len(run) for run in re.findall(r"`+", step.test_command)), default=0)
        fence = "`" * max(3, longest + 1)
        out += [fence + "sh", step.test_command, fence, ""]
    out += _bullets("Likely reviewers", step.reviewers)
    out += _bullets("Setup", step.setup_notes)
    return out


def _progress(view: PlanView) -> list[str]:
    out = [
        "## Progress",
        "",
        "| Stage | Progress |",
        "| --- | --- |",
        f"| Overall | {_bar(view.progress.merged, view.progress.total)} {md_text(view.progress.summary)} |",
    ]
    for stage in view.stages:
        p = stage.progress
        out.append(
            f"| {stage.number}\\. {md_text(stage.title)} | {_bar(p.merged, p.total)} {md_text(p.summary)} |"
        )
    out += ["", "### What you did", ""]
    if not view.timeline:
        return [*out, "Nothing tracked yet.", ""]
    for event in view.timeline:
        detail = f" ({md_text(event.detail)})" if event.detail else ""
        out.append(
            f"- {md_text(event.date)}: **{event.status_text}** #{event.number} {md_text(event.title)}{detail}"
        )
    return [*out, ""]


def _candidates(view: PlanView) -> list[str]:
    out = ["## More candidates", ""]
    if not view.candidates:
        return [*out, "No further candidates.", ""]
    out += ["Each issue is listed once, under the stage it fits best.", ""]
    out += ["| Stage | Issue | Difficulty | Skills | Status |", "| --- | --- | --- | --- | --- |"]
    for c in view.candidates:
        issue = _link(f"#{c.number} {md_text(c.title)}", c.url)
        stage = str(c.stage)
        if c.also_stages:
            stage += f" (also {', '.join(str(s) for s in c.also_stages)})"
        out.append(
            f"| {stage} | {issue} | {c.difficulty}/5 {c.difficulty_word} | {_join(c.skills)} | {c.taken_text} |"
        )
    return [*out, ""]


def _set_aside(view: PlanView) -> list[str]:
    out = ["## Listed apart", ""]
    if not view.set_aside:
        return [*out, "Nothing was set aside.", ""]
    shown = len(view.set_aside)
    more = f" (the first {shown} of {view.set_aside_total})" if view.set_aside_total > shown else ""
    out += [f"Open issues that are never steps, with the reason{more}.", ""]
    out += ["| Issue | Kind | Why |", "| --- | --- | --- |"]
    for item in view.set_aside:
        issue = _link(f"#{item.number} {md_text(item.title)}", item.url)
        out.append(f"| {issue} | {md_text(item.kind_text)} | {md_text(item.reason)} |")
    return [*out, ""]


def _reading(step: StepView) -> list[str]:
    """Start reading: each file, with the names the issue uses in it to look for."""
    if not step.start_reading:
        return []
    lines = []
    for path, names in zip(step.start_reading, step.look_for, strict=True):
        look = f": look for {', '.join(md_code(n) for n in names)}" if names else ""
        lines.append(f"- {md_code(path)}{look}")
    return ["**Start reading:**", "", *lines, ""]


def _bullets(heading: str, items: list[str], code: bool = False) -> list[str]:
    if not items:
        return []
    return [f"**{heading}:**", "", *[f"- {md_code(i) if code else md_text(i)}" for i in items], ""]


def _join(items: list[str]) -> str:
    return ", ".join(md_text(i) for i in items)


def _bar(done: int, total: int, width: int = 10) -> str:
    """A text bar like ▰▰▰▱▱▱▱▱▱▱ that survives pasting anywhere."""
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


def _link(text: str, url: str | None) -> str:
    """`text` (already Markdown) linked to `url`, or alone when there is none."""
    return f"[{text}](<{url}>)" if url else text
