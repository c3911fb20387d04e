"""Is someone already on this issue? Pure detection from an issue, its comments and the
pull requests that cross-reference it, with the evidence spelled out.

Large projects rarely assign issues, so assignees alone miss most taken ones: an open pull
request that references the issue, or a recent comment claiming it ("I'd like to work on
this", "/assigntome"), counts too. Claims older than `claim_days` with no pull request
are stale: worth a polite question, not a reason to skip. Evidence that points at the
user themself (their assignment, claim or pull request) never makes an issue "taken".
An open issue whose own thread says it is fixed ("fixed by #1712", "works now on 0.21"),
with no later comment saying it still happens, is done: GitHub's state lags behind. One
whose thread settles it as no change of this repository's ("this is expected behavior",
"an upstream bug") is declined (`prready.analysis.declined`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from prready import clock
from prready.analysis.comment_words import QUOTE_CHARS, claim_text, sentences
from prready.analysis.declined import said_declined
from prready.analysis.labels import label_traits
from prready.models import Comment, CrossReference, Issue, TakenStatus
from prready.text import safe_line

_COMMAND = re.compile(r"^\s*/(?:assign|assigntome|assign-me|take|claim)\b(?P<who>[^\n]*)", re.M)
_CLAIM = re.compile(
    r"""
    \b(?:i(?:\s*'?\s*d|\s+would)\s+(?:like|love|want|be\s+happy|be\s+glad)\s+to\s+
        (?:work\s+on|take|tackle|fix|pick\s+up|handle|give\s+it\s+a\s+(?:try|shot|go)|try)
     |i\s+(?:want|wish|plan|intend|am\s+going|'?m\s+going|am\s+planning|'?m\s+planning)\s+to\s+
        (?:work\s+on|take|tackle|fix|pick\s+up|handle|submit\s+a\s+(?:pr|fix|pull))
     |i\s*(?:'?\s*d|\s+would)\s+(?:like|love|be\s+happy|be\s+glad)\s+to\s+(?:submit|send|open|contribute)
        \s+(?:a|the|my)\s+(?:pr|fix|pull\s+request|patch)
     |i\s*(?:'?\s*ve|\s+have)?\s+(?:just\s+)?(?:opened|submitted|created|sent|raised|filed)\s+
        (?:a\s+|my\s+)?(?:pr|pull\s+request|fix)?\s*:?\s*(?:\#\d+|https?://\S+/pull/\d+)
     |i\s*(?:'?\s*ve|\s+have)?\s+(?:just\s+)?(?:opened|submitted|created|sent|raised|made)\s+
        (?:a|my)\s+(?:pr|pull\s+request|draft\s+pr)\b
     |i\s*(?:'?\s*ve|\s+have)\s+(?:got\s+)?(?:a\s+)?(?:working\s+)?(?:prototype|draft|wip|working)\s+
        (?:fix|patch|implementation)\b
     |is\s+it\s+(?:ok|okay|alright|fine)\s+if\s+i\s+(?:work\s+on|take|pick\s+up|fix|tackle)
     |(?:can|could|may|might)\s+i\s+(?:please\s+)?(?:take|work\s+on|pick\s+up|grab|claim|
        tackle|handle|fix|try|be\s+assigned|get\s+assigned|have\s+a\s+go|give\s+it\s+a\s+(?:try|shot))
     |(?:please\s+)?assign\s+(?:this|it|the\s+issue)?\s*to\s+me
     |i\s*'?\s*ll\s+(?:take|work\s+on|pick|tackle|fix|handle|submit\s+a|send\s+a|open\s+a|
        look\s+into)\b
     |i\s+will\s+(?:take|work\s+on|pick\s+up|tackle|fix|handle|submit\s+a|send\s+a|open\s+a)\b
     |i\s*(?:'?\s*m|\s+am|\s*'?\s*ve\s+been|\s+have\s+been|\s*'?\s*ll\s+be|\s+will\s+be)\s+
        (?:currently\s+|already\s+|now\s+)?working\s+on\s+(?:this|it|a\s+fix|a\s+pr|the\s+fix)
     |i\s*'?\s*m\s+on\s+it
     |i\s+(?:can|could)\s+(?:take|work\s+on|pick\s+up|tackle|fix|handle|submit|send|open)\b
     |let\s+me\s+(?:take|work\s+on|tackle|fix|handle|try)\b
     |i\s*'?\s*m\s+interested\s+in\s+(?:working\s+on|taking|fixing)
     |(?:^|[.!?]\s*)(?:currently\s+|already\s+)?working\s+on\s+(?:this|it)\b
    )
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_RELEASE = re.compile(
    r"^\s*/unassign\b"
    r"|\b(?:no\s+longer|not\s+(?:going\s+to\s+be|able\s+to\s+keep)|won\s*'?\s*t\s+be|"
    r"can\s*'?\s*t\s+continue|unable\s+to\s+continue|stopped|stop)\s+working\s+on\b"
    r"|\bfeel\s+free\s+to\s+(?:take|pick|grab)\b"
    r"|\bun-?assign(?:ing)?\s+myself\b"
    r"|\bi\s*'?\s*m\s+(?:dropping|giving\s+up\s+on|releasing)\s+(?:this|it)\b",
    re.IGNORECASE | re.MULTILINE,
)
_MENTION = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))")

# What a comment says when the reported problem is gone: fixed by a change, in a release or
# on the main branch ("fixed by #1712", "resolved in v0.21", "fixed on main"), fixed now
# ("this has been fixed", "should be fixed now"), or gone ("works now", "no longer
# happens", "can't reproduce on the latest"). A reporter's own workaround ("I fixed it by
# downgrading numpy") names no change of the project's and is not one.
_CHANGE = (
    r"(?:(?:prs?|pull\s+requests?|commits?)\s*)?(?:\#\d+|https?://github\.com/\S+/(?:pull|commit)/\w+"
    r"|\b[0-9a-f]{7,40}\b)"
    r"|(?:version\s+|release\s+|[a-z][\w.-]*(?:==|\s+))?v?\d+\.\d+(?:\.\d+)*(?:\w*)\b"
    r"|(?:the\s+)?(?:latest|newest|recent|current|new|next)\s+(?:release|version|nightly|main|master)"
    r"|(?:the\s+)?(?:current\s+)?(?:main|master|nightly|dev|develop|trunk)\b(?:\s+branch)?"
)
_SAID_FIXED = re.compile(
    rf"""
    \b(?:fixed|resolved|solved|addressed|closed)\s+(?:now\s+|(?:the\s+|this\s+)?(?:bug|issue)\s+)?
        (?:by|in|with|via|on|through|at|as\s+of)\s+(?:{_CHANGE})
    |\b(?:this|it|that|the\s+(?:\w+\s+){{0,2}}?(?:issue|bug|problem|error|crash|behaviou?r))
        (?:'s|\s+is|\s+has|\s+was|\s+got|\s+had|\s+have|\s+seems\s+to\s+(?:be|have))\s+
        (?:now\s+|already\s+|since\s+|finally\s+)?(?:been\s+|gotten\s+)?(?:now\s+|already\s+|finally\s+)?
        (?:fixed|resolved|solved)\b
        (?!\s+(?:by|with)\s+(?:downgrad|upgrad|install|uninstall|reinstall|switch|using|setting|changing|
            adding|removing|pinning|updat|recreat)|\s+(?:in|on)\s+my\b|\s+(?:locally|myself|for\s+me))
    |\b(?:i|we)(?:\s+have|\s*'ve)?\s+(?:just\s+|now\s+|already\s+)?fixed\s+(?:this|it)\b
        (?!\s+(?:issue\s+|bug\s+)?(?:here|in\s+(?:my|this|a)\s+(?:pr|pull|branch|fork))|\s+(?:by|with)\s+(?:downgrad|upgrad|install|uninstall|reinstall|switch|using|setting|changing|
            adding|removing|pinning|updat|recreat)|\s+(?:in|on)\s+my\b|\s+(?:locally|myself|for\s+me))
    |\b(?:pushed|merged|landed|committed|released)\s+(?:a|the)\s+fix\b
    |\breleased\s+with\s+(?:the|a)\s+fix\b
    |\bthe\s+fix\s+(?:works|worked)\b
    |\b(?:looks|seems)\s+(?:to\s+be\s+)?fixed\b
    |\bshould\s+(?:now\s+)?work\b(?:[^.!?\n]|\.(?=\w)){{0,60}}\bnow\b
    |\bshould\s+now\s+be\s+(?:fixed|resolved)\b
    |\b(?:now\s+fixed|^\W*(?:is|are)\s+(?:now\s+)?fixed)\b
    |\breleased\s+(?:v(?:ersion)?\s*)?\d+\.\d+\S*\s+(?:which|that)\s+(?:fixes|resolves)\b
    |\bshould\s+(?:now\s+)?be\s+(?:fixed|resolved)\s+(?:now|(?:in|on|by|with)\s+(?:{_CHANGE}|the\s+pr\s+that\s+was\s+merged))
    |\b(?:works|is\s+working|runs)\s+(?:fine\s+|well\s+|correctly\s+|as\s+expected\s+)?now\b
    |\bno\s+longer\s+(?:happens|occurs|reproduces|fails|crashes|an\s+issue|a\s+problem)\b
    |\b(?:can\s*'?\s*t|can\s*not|could\s*n'?t|unable\s+to)\s+reproduce\b[^.!?\n]{{0,30}}
        \b(?:anymore|any\s+more|any\s+longer|on\s+(?:the\s+)?(?:latest|main|master|current|newest|nightly))
    |\bclosing\s+(?:this\s+|it\s+)?(?:as|since|because)\s+(?:it\s*'?s\s+|it\s+is\s+|it\s+was\s+|it\s+has\s+been\s+)?
        (?:fixed|resolved|completed|solved)\b
    |\bclosing\b[^.!?\n]{{0,20}}\b(?:as|since|because|now\s+that)\s+(?:pr\s+|pull\s+request\s+)?\#\d+\s+
        (?:is|was|has\s+been|got)\s+merged\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The words that make a sentence a condition, in each of the hedges below.
_CONDITION = r"if|in\s+case|unless|whether"
# A sentence that only asks, denies, hopes or plans ("is this fixed?", "not fixed by #12",
# "will be fixed by #12", "once #12 is merged this is fixed"), fixes a part, or speaks of
# another problem ("a similar macOS problem has been fixed with pip 20.3").
_NOT_A_STATEMENT = re.compile(
    r"n't\b|\b(?:not|never|nor|no\s+(?!longer\b)|neither|will|would|could|might|may|hope\w*|"
    rf"once|{_CONDITION}|when|until|partially|partly|part\s+of|some\s+of|one\s+of|half|"
    r"workaround|temporar\w*|reinstall\w*|recreat\w*|downgrad\w*|ended\s+up|"
    r"similar|another|other|related|different)\b",
    re.IGNORECASE,
)
# A later comment saying it still happens, or the fix did not hold.
_STILL_BROKEN = re.compile(
    r"\bstill\s+(?:\w+\s+){0,2}(?:happen\w*|occur\w*|see\w*|get\w*|broken|an?\s+(?:issue|problem|bug)|"
    r"present|fail\w*|exists?|reproduc\w*|not\s+work\w*|does\s*n'?t\s+work|crash\w*|hang\w*|"
    r"error\w*|raise\w*|throw\w*|there|persists?|open|unresolved|pending|remains?|to\s+do)"
    r"|(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}(?:fixed|resolved|solved)\b"
    r"|\b(?:same|similar)\s+(?:issue|error|problem|bug|crash)\b"
    r"|\breopen\w*|\bregress\w*|\b(?:happen\w*|broken|fail\w*|back)\s+again\b",
    re.IGNORECASE,
)
# What after the words makes them a workaround or a condition ("works now if I pass ...").
_BUT_ONLY = re.compile(
    rf"\b(?:{_CONDITION}|but|except|only|when\s+(?:i|we|you)|by\s+(?:setting|passing|using|adding|"
    r"removing|changing|downgrading|pinning|installing|switching))\b",
    re.IGNORECASE,
)
# A sentence that invites a report rather than making one ("reopen if it persists").
_CONDITIONAL = re.compile(rf"\b(?:{_CONDITION}|should\s+(?:it|you|this))\b", re.I)


_WELCOME = frozenset({"beginner", "welcome"})


def detect_taken(
    issue: Issue,
    comments: Sequence[Comment],
    cross_refs: Sequence[CrossReference],
    now: datetime,
    claim_days: int = 30,
    user_login: str | None = None,
) -> TakenStatus:
    """fresh / taken / stale-claim / done / declined, with one evidence line per finding
    (the checkout's own verdicts, "done" by a commit and "obsolete" code, come from
    `fixed_by_commit` and `obsolete.obsolete_status`)."""
    me = (user_login or "").lower()
    now = clock.aware(now)
    done: list[str] = []
    taken: list[str] = []
    stale: list[str] = []
    notes: list[str] = []

    for ref in sorted(cross_refs, key=lambda r: (r.created_at, r.pr_number)):
        if ref.repo and ref.repo.lower() != issue.repo.lower():
            continue  # a pull request in another project mentioning the issue
        mine = bool(me) and ref.author.lower() == me
        who = "your" if mine else f"@{ref.author}'s"
        if ref.merged:
            done.append(f"{who} pull request #{ref.pr_number} that references it was merged")
        elif ref.pr_state == "open":
            line = f"{who} pull request #{ref.pr_number} references it and is open ({ref.pr_url})"
            (notes if mine else taken).append(line)
        else:
            notes.append(f"pull request #{ref.pr_number} by @{ref.author} was closed unmerged")

    fixed_said = said_fixed(comments)
    if fixed_said is not None:
        done.append(fixed_said)

    for login in issue.assignees:
        if me and login.lower() == me:
            notes.append("assigned to you")
        else:
            taken.append(f"assigned to @{login}")

    open_pr_authors = {
        r.author.lower() for r in cross_refs if r.pr_state == "open" and not r.merged
    }
    for claim in active_claims(comments):
        author, when, excerpt = claim
        age = _age_days(now, when)
        if me and author.lower() == me:
            notes.append(f"you claimed it {_ago(age)}")
        elif author.lower() in open_pr_authors:
            continue  # already reported through the pull request
        elif age is not None and age <= claim_days:
            taken.append(f'@{author} claimed it {_ago(age)}: "{excerpt}"')
        else:
            stale.append(
                f"@{author} claimed it {_ago(age)} with no pull request since "
                f"(older than {claim_days} days): ask before starting"
            )

    if done:
        return TakenStatus("done", done + taken + notes)
    if taken:
        return TakenStatus("taken", taken + stale + notes)
    # A label asking for outside help ("good first issue", "help wanted") says the
    # maintainers want the work, whatever an earlier comment declined.
    welcomed = any(_WELCOME & set(label_traits(name, issue.repo)) for name in issue.labels)
    settled = None if welcomed else said_declined(comments, issue.author, issue.repo)
    if settled is not None:
        return TakenStatus("declined", [settled[1], *stale, *notes])
    if stale:
        return TakenStatus("stale-claim", stale + notes)
    return TakenStatus("fresh", notes)


def fixed_by_commit(
    issue: Issue, commit: tuple[str, str, str], fetched_at: str = ""
) -> TakenStatus | None:
    """ "done" when `commit` ((sha, committer date, title) of the checkout's history) closes
    the open `issue` (`Fixes #12`) and landed after the issue's data was fetched
    (`fetched_at`: the last sync or the export's time) and after its last update: the data
    predates the fix (an old export, a checkout newer than the sync). When GitHub still
    said "open" after the commit existed (a branch of one's own, a fork, a fix that was
    reopened), the commit closed nothing there and the issue stays as it is."""
    sha, date, title = commit
    known = max(issue.updated_at or issue.created_at, fetched_at)
    if issue.state != "open" or not date or date <= known:
        return None
    shown = title if len(title) <= 70 else title[:69] + "…"
    last = f", after the issue data of {known[:10]}" if known else ""
    return TakenStatus(
        "done", [f"commit {sha[:9]} of {date[:10]} in the checkout closes it{last}: '{shown}'"]
    )


def said_fixed(comments: Sequence[Comment]) -> str | None:
    """The evidence line for the last comment saying the issue is fixed ("fixed by #1712",
    "works now on 0.21") with no later comment saying it still happens, or None. Quoted
    text and code are not the commenter's words; a sentence that asks, denies, plans or
    fixes a part says nothing."""
    found: tuple[Comment, str] | None = None
    for comment in sorted(comments, key=lambda c: c.created_at):
        # The commenter's own words; inline code kept ("fixed in `v0.8.1`").
        text = claim_text(comment.body, keep_inline_code=True)
        if found is not None and _reports_broken(text):
            found = None
        statement = _fixed_statement(text)
        if statement is not None:
            found = (comment, statement)
    if found is None:
        return None
    comment, statement = found
    return (
        f'@{comment.author} said on {comment.created_at[:10]} that it is fixed: "{statement}"'
        " (still open on GitHub: check, then ask for it to be closed)"
    )


def _reports_broken(text: str) -> bool:
    """Whether a sentence of `text` says it still happens (not one that only invites such a
    report: "reopen if it persists")."""
    return any(
        _STILL_BROKEN.search(sentence) and not _CONDITIONAL.search(sentence)
        for sentence in sentences(text)
    )


def _fixed_statement(text: str) -> str | None:
    if _reports_broken(text):
        return None  # "#12 fixed the crash, but the error still appears"
    for sentence in sentences(text):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?"):
            continue
        match = _SAID_FIXED.search(sentence)
        if match is None or _NOT_A_STATEMENT.search(sentence[: match.start()]):
            continue
        if _BUT_ONLY.search(sentence, match.end()):
            continue
        return safe_line(sentence, QUOTE_CHARS)
    return None


def active_claims(comments: Sequence[Comment]) -> list[tuple[str, str, str]]:
    """(claimant, created_at, excerpt) for claims not withdrawn later by the same person."""
    claims: dict[str, tuple[str, str, str]] = {}
    for comment in sorted(comments, key=lambda c: c.created_at):
        text = claim_text(comment.body)
        if _RELEASE.search(text):
            claims.pop(comment.author.lower(), None)
            continue
        found = find_claim(text)
        if found is None:
            continue
        claimant = comment.author
        command = _COMMAND.search(text)
        if command:
            mention = _MENTION.search(command.group("who"))
            if mention:
                claimant = mention.group(1)  # "/assign @someone" claims for someone
        claims[claimant.lower()] = (claimant, comment.created_at, found)
    return list(claims.values())


def find_claim(text: str) -> str | None:
    """The claiming phrase in a comment (quotes and code already removed), or None."""
    command = _COMMAND.search(text)
    if command:
        return command.group(0).strip()[:80]
    match = _CLAIM.search(text)
    if match is None:
        return None
    start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 30)
    return " ".join(text[start : match.end() + 30].split())[:80]


def _age_days(now: datetime, when: str) -> int | None:
    moment = clock.parse_iso_or_none(when)
    return None if moment is None else max(0, (now - moment).days)


def _ago(days: int | None) -> str:
    if days is None:
        return "at an unknown date"
    if days == 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"
