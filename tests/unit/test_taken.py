"""Taken-issue detection: assignees, cross-referencing pull requests, claim comments."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from prready.analysis.comment_words import claim_text
from prready.analysis.taken import detect_taken, find_claim, fixed_by_commit
from prready.models import Comment, CrossReference, Issue

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
RECENT = "2026-11-15T10:00:00Z"  # 6 days before NOW
OLD = "2026-08-01T10:00:00Z"  # ~112 days before NOW


def make_issue(assignees: list[str] | None = None) -> Issue:
    return Issue(
        repo="pytorch/pytorch", number=7, title="t", body="b", state="open", labels=[],
        assignees=assignees or [], author="reporter", comments=0, reactions=0,
        created_at="2026-01-01T00:00:00Z", updated_at=RECENT, closed_at=None,
        url="https://github.com/pytorch/pytorch/issues/7",
    )  # fmt: skip


def ref(
    state: str = "open", merged: bool = False, author: str = "bob", repo: str = "pytorch/pytorch"
) -> CrossReference:
    return CrossReference(
        7, 99, "https://github.com/pytorch/pytorch/pull/99", state, merged, author, RECENT, repo
    )


def comment(body: str, author: str = "carol", at: str = RECENT) -> Comment:
    return Comment(7, author, body, at)


def test_fresh_issue() -> None:
    status = detect_taken(make_issue(), [comment("I can reproduce this on 2.1")], [], NOW)
    assert status.state == "fresh" and not status.taken


def test_assignee_means_taken() -> None:
    status = detect_taken(make_issue(["dave"]), [], [], NOW)
    assert status.state == "taken" and status.taken
    assert any("@dave" in e for e in status.evidence)


def test_open_cross_referencing_pr_means_taken() -> None:
    status = detect_taken(make_issue(), [], [ref()], NOW)
    assert status.state == "taken"
    assert any("#99" in e and "@bob" in e for e in status.evidence)


def test_merged_pr_means_done() -> None:
    status = detect_taken(make_issue(), [], [ref("closed", merged=True)], NOW)
    assert status.state == "done" and status.taken


def test_closed_unmerged_pr_does_not_take_it() -> None:
    status = detect_taken(make_issue(), [], [ref("closed")], NOW)
    assert status.state == "fresh"
    assert any("closed unmerged" in e for e in status.evidence)


def test_pr_in_another_repository_is_ignored() -> None:
    status = detect_taken(make_issue(), [], [ref(repo="someone/else")], NOW)
    assert status.state == "fresh"


@pytest.mark.parametrize(
    "body",
    [
        "I'd like to work on this!", "I\u2019d like to work on this", "I would like to take this one",
        "Can I take this?", "can i work on this issue?", "May I work on this?", "/assign",
        "/assigntome", "Working on it.", "I'm working on this", "I'll take it", "I will work on a fix",
        "Is anyone working on this? I can take it.", "Hi, could I be assigned to this?",
        "please assign this to me", "I'm on it", "Let me take a look and fix it",
        "If nobody is working on this, I'd like to give it a try",
        "I opened #5590 to fix this.", "I would like to submit the fix.",
        "I've submitted a PR: https://github.com/o/r/pull/12",
        "Reproduced on main; I have a working prototype fix.", "is it ok if I work on this issue?",
        "I created a PR for this feature",
    ],
)  # fmt: skip
def test_recent_claims_mean_taken(body: str) -> None:
    status = detect_taken(make_issue(), [comment(body)], [], NOW)
    assert status.state == "taken", body
    assert any("@carol" in e for e in status.evidence)


@pytest.mark.parametrize(
    "body",
    [
        "Is anyone working on this?", "is anyone working on it", "> I'd like to work on this\n\nSure!",
        "Nobody is working on this yet.", "I can't work on this, sorry", "I am not working on this",
        "```\n/assign\n```", "Use `/assigntome` to claim it", "This also happens on CPU.",
        "Someone said \"working on it\"? I don't see a PR.",
    ],
)  # fmt: skip
def test_non_claims(body: str) -> None:
    status = detect_taken(make_issue(), [comment(body)], [], NOW)
    assert status.state == "fresh", body


def test_old_claim_without_pr_is_stale() -> None:
    status = detect_taken(make_issue(), [comment("I'd like to work on this", at=OLD)], [], NOW)
    assert status.state == "stale-claim" and not status.taken
    assert any("ask before starting" in e for e in status.evidence)


def test_claim_days_is_respected() -> None:
    comments = [comment("I'll take it")]  # 6 days old
    assert detect_taken(make_issue(), comments, [], NOW, claim_days=5).state == "stale-claim"
    assert detect_taken(make_issue(), comments, [], NOW, claim_days=7).state == "taken"


def test_withdrawn_claim_does_not_count() -> None:
    comments = [
        comment("I'd like to work on this", at="2026-11-10T00:00:00Z"),
        comment("Sorry, I'm no longer working on this. Feel free to take it.", at=RECENT),
    ]
    assert detect_taken(make_issue(), comments, [], NOW).state == "fresh"


def test_assign_command_for_someone_else_names_them() -> None:
    status = detect_taken(make_issue(), [comment("/assign @erin")], [], NOW)
    assert status.state == "taken"
    assert any("@erin" in e for e in status.evidence)


def test_users_own_evidence_is_not_taken() -> None:
    issue = make_issue(["Me"])
    comments = [comment("I'd like to work on this", author="me")]
    status = detect_taken(issue, comments, [ref(author="me")], NOW, user_login="me")
    assert status.state == "fresh"
    assert any("you" in e for e in status.evidence)


def test_someone_elses_claim_still_counts_for_the_user() -> None:
    status = detect_taken(make_issue(), [comment("can I take this?")], [], NOW, user_login="me")
    assert status.state == "taken"


def test_claim_text_strips_quotes_and_code() -> None:
    text = claim_text("> quoted\nreal line\n```\ncode\n```\nuse `x`")
    assert "quoted" not in text and "code" not in text and "real line" in text and "`x`" not in text
    assert find_claim("nothing here") is None


def test_a_commit_closing_the_issue_after_its_last_update_makes_it_done() -> None:
    issue = make_issue()  # created 2026-01-01, last updated RECENT (2026-11-15)
    fix = ("a" * 40, "2026-11-20T09:00:00Z", "Fix the \x1b[31mthing\x1b[0m (#12)")
    status = fixed_by_commit(issue, fix)
    assert status is not None and status.state == "done" and status.taken
    assert status.evidence == [
        "commit aaaaaaaaa of 2026-11-20 in the checkout closes it, after the issue data of "
        "2026-11-15: 'Fix the \x1b[31mthing\x1b[0m (#12)'"
    ]  # (the title as written: renderers strip and escape it)
    # An issue updated since (reopened: the fix was not enough) or closed is left alone.
    assert fixed_by_commit(issue, ("a" * 40, "2026-11-10T09:00:00Z", "Fix")) is None
    assert fixed_by_commit(issue, ("a" * 40, RECENT, "Fix")) is None
    # So is one GitHub still said was open after the commit existed (a branch of one's own,
    # a fork's commit): data fetched later than the commit knows better.
    assert fixed_by_commit(issue, fix, fetched_at="2026-11-21T00:00:00Z") is None
    fetched = fixed_by_commit(issue, fix, fetched_at="2026-11-19T00:00:00Z")
    assert fetched is not None and "after the issue data of 2026-11-19" in fetched.evidence[0]
    closed = dataclasses.replace(issue, state="closed")
    assert fixed_by_commit(closed, fix) is None
    long = fixed_by_commit(issue, ("b" * 40, "2026-11-20T09:00:00Z", "x" * 100))
    assert long is not None and long.evidence[0].endswith("'" + "x" * 69 + "…'")


# An open issue its own thread says is fixed: GitHub's state lags behind the thread.
@pytest.mark.parametrize(
    "body",
    [
        "This was fixed by #1712 and is in v0.21.",
        "Closing as fixed by #44",
        "It's fixed in 2.1.0, please upgrade.",
        "Should be fixed now on main.",
        "The problem has been resolved in version 0.3.1",
        "Fixed in https://github.com/huggingface/accelerate/pull/2001",
        "I can't reproduce this anymore on the latest release.",
        "Works now, thanks!",
        "Fixed in #123, will be in the next release",
        "Closing, as #2744 is merged.",
        "Thanks for flagging, now fixed!",
        "This should now be fixed.",
        "We just released 0.6.1 which fixes these inconsistencies.",
        "This was resolved in xarray==2022.12.0 and the pin is gone.",
        "I pushed a fix to the develop branch.",
        "Thanks, the fix works.",
    ],
)
def test_thread_saying_fixed_means_done(body: str) -> None:
    status = detect_taken(make_issue(), [comment(body, author="maint")], [], NOW)
    assert status.state == "done"
    assert status.evidence[0].startswith("@maint said on 2026-11-15 that it is fixed: ")


@pytest.mark.parametrize(
    "body",
    [
        "Is this fixed?",
        "Has this been fixed by #12 yet?",
        "This is not fixed by #12",
        "this isn't fixed by #12",
        "It will be fixed by #12",
        "Once #12 is merged this is fixed.",
        "I fixed it by downgrading numpy",
        "It was fixed by downgrading numpy.",
        "That solved it, thanks!",
        "#12 fixes part of this.",
        "PR to fix this: #12",
        "I'm working on a fix",
        "I can't reproduce it.",
        "> This was fixed by #12\nIs it?",
        "It works now if I pass `device_map=None`.",
        "A similar macOS problem has been fixed with pip 20.3.",
        "The problem has been solved by uninstalling peft.",
        "Ended up reinstalling from scratch; at least it works now.",
        "This is a bug, it should be fixed.",
        "Finding 1 is addressed by #3590. Findings 2 and 3 are still open.",
    ],
)
def test_thread_not_saying_fixed(body: str) -> None:
    # (a claim, "I'm working on a fix", makes it taken: not done)
    assert detect_taken(make_issue(), [comment(body)], [], NOW).state in ("fresh", "taken")


def test_a_later_report_that_it_still_happens_undoes_a_fixed_claim() -> None:
    thread = [
        comment("This was fixed by #1712.", at=OLD),
        comment("I still get the same error on 0.21.", author="dave"),
    ]
    assert detect_taken(make_issue(), thread, [], NOW).state == "fresh"
    # ... and a fixed claim after the report counts again.
    later = comment("Fixed in #1800, for good.", author="maint", at="2026-11-20T10:00:00Z")
    status = detect_taken(make_issue(), [*thread, later], [], NOW)
    assert status.state == "done"
    assert "Fixed in #1800, for good." in status.evidence[0]


def test_an_invitation_to_report_is_no_report() -> None:
    thread = [
        comment("This should be fixed now. Reopen if it persists.", author="maint", at=OLD),
        comment("Closing; feel free to reopen if it still happens.", author="maint"),
    ]
    assert detect_taken(make_issue(), thread, [], NOW).state == "done"


def test_a_fixed_claim_that_admits_a_remainder_is_no_claim() -> None:
    body = "#12 fixed the crash, but the warning still appears."
    assert detect_taken(make_issue(), [comment(body)], [], NOW).state == "fresh"


def test_a_thread_that_declines_the_issue_makes_it_declined_not_free() -> None:
    comments = [comment("This is expected behavior, see the docs of `step`.", author="maint")]
    status = detect_taken(make_issue(), comments, [], NOW)
    assert status.state == "declined" and status.taken
    assert status.evidence[0].startswith("@maint said on 2026-11-15 that it will not change here")


def test_someone_on_a_declined_issue_makes_it_taken() -> None:
    comments = [comment("This is by design.", author="maint")]
    status = detect_taken(make_issue(assignees=["dave"]), comments, [], NOW)
    assert status.state == "taken" and status.evidence == ["assigned to @dave"]


def test_a_label_asking_for_help_outweighs_a_decline_in_the_thread() -> None:
    """On the decline set's 150 real threads, the 9 with a newcomer label ("good first
    issue", "help wanted", "contributions welcome") are all live."""
    issue = dataclasses.replace(make_issue(), labels=["help wanted"])
    comments = [comment("This is expected behavior.", author="maint")]
    assert detect_taken(issue, comments, [], NOW).state == "fresh"
    assert detect_taken(make_issue(), comments, [], NOW).state == "declined"
