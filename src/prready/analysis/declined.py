"""Has an open issue's own thread settled it as no work for this repository? Pure
detection from its comments.

A comment by someone other than the reporter says the reported behaviour is intended
("This is expected behavior", "works as intended", "not a bug"), declines the change ("we
don't plan to support this", "out of scope", "won't fix"), or places the fix in another
project ("this is an XLA bug, please report it there"); and no later sentence by someone
other than the reporter takes it back ("you're right, this is a bug", "a PR improving the
error message is welcome", "reopening"). A newcomer's pull request for such an issue would
be closed: the plan lists it apart, quoting the comment, for the reader to check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from prready.analysis.comment_words import QUOTE_CHARS, claim_text, sentences
from prready.models import Comment
from prready.text import safe_line

Settled = Literal["declined", "elsewhere"]

# What turns a harmless-sounding sentence round ("It's just warnings, but then it crashes",
# "This doesn't affect the results on CPU, but on GPU the images are black"): looked for
# in the rest of its sentence, at most 80 characters on (a bounded look: linear time).
_CONTRAST = (
    r"[^.]{0,80}?\b(?:but|however|though|although|actual|then|still|crash\w*|segfault\w*|fails?"
    r"|dies|diverg\w*|debug\w*|race|in\s+our\s+code|(?:the|a)\s+real\s+(?:problem|issue|bug|cause))\b"
)
# The behaviour is what the maintainers meant ("this is the expected behavior", "it works
# as designed", "not a bug"); never "the expected output" or "this is not expected".
_INTENDED = re.compile(
    r"""
    \b(?:this|that|it|which|what\s+you\s+(?:see|describe)|(?:the|this|that)\s+(?:current\s+)?behaviou?r)
        (?:'s|\s+is|\s+was|\s+seems\s+to\s+be|\s+looks\s+to\s+be)\s+
        (?:actually\s+|indeed\s+|totally\s+|intentionally\s+|entirely\s+|all\s+|just\s+|quite\s+|perfectly\s+|completely\s+)?
        (?:the\s+|an?\s+)?(?:expected|intended|intentional|deliberate|by\s+design|desired|normal|
            working\s+as\s+(?:intended|expected|designed)|(?:a\s+)?design\s+(?:choice|decision))\b
        (?!\s+(?:output|result|value|shape|type|to\b))
    |\b(?:yes|yeah),?\s+(?:it|this|that)\s+(?:is\s+)?(?:normal|expected)\b
    |\bis\s+normal\s+(?:and|behaviou?r)\b
    |\b(?:loss|losses|warning|message|error|difference|gap)\s+(?:is|are)\s+(?:\w+\s+)?expected\b(?!\s+to\b)
    |\b(?:are|is)\s+to\s+be\s+expected\b
    |\b(?:keep|comfortable\s+with)\s+the\s+(?:current|default|existing)\s+behaviou?r
    |\b(?:can|could|to)\s+(?!I\s)(?:\w+\s+){0,2}?ignored?\s+(?:it|this|that|them|the\s+(?:\w+\s+)?(?:warning|message)s?)\b(?!{contrast})
    |\bcan\s+(?:safely\s+)?be\s+(?:safely\s+)?ignored\b
    |\b(?:works|working|behaves|behaving|functions)\s+as\s+(?:intended|designed)\b
    |\bby\s+design\b
    |\b(?:is|'s)\s+not\s+a\s+bug\b|\bis\s*n'?t\s+a\s+bug\b|\bnot\s+(?:a\s+bug|an\s+error)\s*(?:$|[.,;!"]|but|,)
    |\bdo(?:\s*n'?t|\s+not)\s+think\s+(?:this|it|that)\s+(?:is|'s)\s+a\s+bug\b
    |\bnot\s+a\s+bug\s+(?:so|and|since|as|because)\b
    |\b(?:is|'s)\s+not\s+(?:unexpected|a\s+real\s+(?:issue|problem|bug))\b(?!{contrast})
    |\bnot(?<!\bis\snot)(?<!'s\snot)\s+a\s+real\s+(?:issue|problem|bug)\b(?!{contrast})
    # A warning a report asks about ("They are just warnings for Windows users", "just
    # ignore it", "This warning does not affect the result").
    |\b(?:is|are|'s|'re)\s+(?:just|only)\s+(?:an?\s+)?(?:harmless\s+)?warnings?\b(?!{contrast})
    # (Its look-behinds follow the word, whose length fixes their width: a branch that
    # starts with a look-behind loses the pattern's fast scan.)
    |\b(?:simply|just|safely)(?<!\bI\s[a-z]{4})(?<!\bI\s[a-z]{6})(?<!not\s[a-z]{4})(?<!not\s[a-z]{6})(?<!n't\s[a-z]{4})(?<!n't\s[a-z]{6})\s+(?:\w+\s+){0,2}?ignore\s+(?:it|this|that|them|th(?:e|ose|ese)\b)
        (?!{contrast})
    |\b(?:it|this|that|(?:the|this|that|these|those)\s+(?:\w+\s+)?(?:warning|message)s?)\s+(?:does|do|will|should)(?:\s*n'?t|\s+not)\s+
        affect\s+(?:the\s+|your\s+)?(?:results?|accuracy|training|performance|outputs?|inference)\b(?!{contrast})
    # Results that differ run to run by nature ("GPU version doesn't guarantee the same
    # results", "GPU training is not deterministic"), behaviour the docs give ("Both of
    # these are documented behaviors").
    |\b(?:does|do|is|are)(?:\s*n'?t|\s+not)\s+(?:guarantee\w*|deterministic)\b(?!\s+yet\b)(?!{contrast})
    |\b(?:is|are)\s+non-?deterministic\b(?!{contrast})
    |\b(?:is|are|'s|'re)\s+(?:a\s+|the\s+)?documented\s+behaviou?rs?\b
    """.replace("{contrast}", _CONTRAST),
    re.IGNORECASE | re.VERBOSE,
)
# The same in Chinese ("does not affect", "can be ignored", "a normal phenomenon", "normal
# error"), never negated ("不是正常现象", "超出正常误差"), asked ("影响不影响", "有没有影响")
# or followed by a "but"; apart: a pattern whose every branch starts at a word boundary is
# scanned faster.
_INTENDED_ZH = re.compile(
    # (Each look-behind follows the first character, which keeps the pattern's fast scan.)
    r"(?:不(?<!影响不)影响|没(?<!有没)有影响|可(?<![不没]可)以忽略|正(?<![不没]正)(?<!不是正)(?<!并非正)常现象"
    r"|是(?<![不没]是)正常的|正(?<![不没出过]正)(?<!不是正)常误差)"
    r"(?![^。；;]{0,40}?(?:但|不过|可是|然而))"
)
# The change is declined ("we don't plan to support this", "out of scope", "won't fix").
_DECLINED = re.compile(
    r"""
    \bwon'?t\s*fix\b|\bwill\s+not\s+(?:be\s+)?fix
    |\b(?:we|i)\s+(?:currently\s+|still\s+)?(?:do\s*n'?t|do\s+not|won'?t|will\s+not|have\s+no)\s+(?:\w+\s+){0,2}?
        (?:plan|intend|want|aim)\w*\s+to\s+\w+
    |\b(?:no|not\s+any)\s+plans?\s+to\s+\w+
    |\bwe\s+(?:do\s*n'?t|do\s+not|no\s+longer|can\s*'?t|can\s*not)\s+(?:currently\s+)?(?:support|add|accept|maintain)\b
    |\b(?:will\s+not|won'?t|can\s*'?t|can\s*not)\s+be\s+(?:released|supported|added|fixed|changed|merged|accepted)\b
        (?!\s+(?:now|yet|at\s+the\s+moment|for\s+now|until|before|from|with)\b)
    |\bnot\s+(?:currently\s+)?on\s+(?:the|our)\s+roadmap\b
    |\bno\s+(?:simple|easy|good)\s+way\s+to\s+(?:change|fix|avoid)\b
    |\bnot\s+planned\b
    |\bout(?<!not\sout)(?<!n't\sout)\s+of\s+(?:the\s+|our\s+|this\s+)?(?:\w+'s\s+)?(?:current\s+)?scope\b
    |\bnot\s+(?:something|a\s+feature|a\s+change)\s+(?:that\s+)?we\s+(?:want|plan|intend|would\s+like|are\s+(?:going|planning))
    |\b(?:we|i)(?:'ve|\s+have)?\s+decided\s+(?:not\s+to|against)\b
    |\b(?:we|i)(?:'d|\s+would)\s+(?:prefer|rather)\s+not\b
    |\b(?:is|are)\s*n'?t\s+going\s+to\s+(?:be\s+)?(?:supported|fixed|added|changed|implemented)
    |\bunlikely\s+(?:that\s+)?(?:we|to)\s+(?:will\s+)?(?:support|fix|add|change|implement)
    |\bclosing\s+(?:this\s+|it\s+)?as\s+(?:won'?t\s*fix|not\s+planned|intended|expected|out\s+of\s+scope|
        by\s+design|working\s+as\s+intended)
    # Data or code its authors may not release ("cannot be shared due to ethic concerns",
    # "unable to make the dataset and annotations publicly available", "we don't have
    # permission to sell data").
    |\b(?:can\s*not|can'?t|unable\s+to|not\s+(?:able|allowed|permitted)\s+to)\s+
        (?:be\s+)?(?:shared?|released?|publish(?:ed)?|open[- ]sourced?|make\s+(?:\w+\s+){0,5}?(?:public|publicly\s+available))\b
        (?!(?:\s+\w+){0,3}?\s+(?:now|yet|at\s+the\s+moment|for\s+now|until|before|at\s+(?:this|the\s+current)\s+time)\b
            |\s+(?:from|across|between|among|with)\b|{contrast})
    |\bdo(?:\s*n'?t|\s+not)\s+have\s+(?:the\s+)?(?:permission|rights?|license)\s+to\s+
        (?:share|release|publish|sell|distribute|redistribute|open[- ]source)
    """.replace("{contrast}", _CONTRAST),
    re.IGNORECASE | re.VERBOSE,
)
# The fix belongs to another project ("an upstream bug", "a bug in XLA", "please report it
# to the NCCL repo"); `other` is the project named, never this repository itself.
_ELSEWHERE = re.compile(
    r"""
    \b(?:an?\s+|the\s+)?upstream\s+(?:bug|issue|problem)\b
    |\b(?:bug|issue|problem)\s+(?:is\s+)?(?:in|with|of)\s+(?:the\s+)?(?P<other>[A-Za-z][\w.-]*)
        (?:\s+itself|\s+(?:library|package|repo\w*|project|side|compiler|runtime|driver|installation|install|build|setup))?
        \s*(?:$|[.,;!)"]|and\b|not\b|rather\b)
    |\bplease\s+(?:report|file|open|raise|create|post)\s+(?:it|this|that|an?\s+(?:new\s+)?(?:issue|bug))\s+
        (?:\w+\s+){0,3}?(?:in|on|at|with|to)\s+(?:the\s+)?(?P<tracker>[\w./-]+)
    |\bon\s+(?:the|their)\s+(?P<side>[\w.-]+)\s+side\b
    |\boutside\s+(?:of\s+)?(?:our|this\s+(?:library|repo\w*|project))\b
    |\bout\s+of\s+our\s+(?:control|hands)\b
    |\b(?:not\s+much|nothing)\s+(?:that\s+)?(?:i|we)\s+can\s+do\b
        (?![^.;]{0,40}?\b(?:(?:until|unless)\s+(?:i|we)|without)\b)
    |\b(?:leave|open|file|raise|create|post|submit)\s+an?\s+(?:new\s+)?issue\s+(?:on|in|at|with|to)\s+(?:the\s+)?(?P<on>[\w./-]+)
    |\b(?:related\s+to|depends?\s+on|caused\s+by)
        (?<!not\s[a-z]{6}\s[a-z]{2})(?<!not\s[a-z]{7}\s[a-z]{2})(?<!n't\s[a-z]{6}\s[a-z]{2})(?<!n't\s[a-z]{7}\s[a-z]{2})\s+your\s+(?:local\s+)?(?:network|environment|setup|installation|machine|proxy)\b
    |\b(?:can\s*'?t|can\s*not)\s+(?:fix|change|do\s+(?:much|anything))\b[^.]{0,40}?
        \b(?:on\s+(?:our|this|the\s+[\w -]{1,30}?)\s+side|here|in\s+this\s+(?:repo\w*|library|project))\b
    |\b(?:report|reach\s+out|re-?open\w*\s+the\s+report|ask)\b[^.]{0,40}?\b(?:to|at|over\s+at|with)\s+(?:the\s+|your\s+)?
        (?:authors|distribution|(?P<at>[\w.-]+)\s+(?:repo\w*|project|team|maintainers|issue\s+tracker|tracker))\b
    |\b(?:depend\w*|blocked|waiting)\s+on\s+(?:https?://github\.com/(?P<dep>[\w.-]+/[\w.-]+)/(?:issues|pull)/\d+|(?P<dep2>[\w.-]+/[\w.-]+)\#\d+)
    |\bneeds?\s+(?:a\s+)?fix\s+(?:in|into|on)\s+(?P<fixin>[\w.-]+)
    |\bfixed\s+in\s+(?P<fixedin>[a-z][\w.-]*)\s+v?\d+\.\d+
    |\b(?<![.-])(?P<ver>[a-z][\w.-]*)\s+version\s+(?:issue|problem|mismatch)\b
    |\b(?:not|is\s*n'?t|are\s*n'?t|was\s*n'?t)\s+(?:a|an)\s+(?:\w+\s+)?(?:bug|issue|problem)\s+(?:in|with|of|specific\s+to|related\s+to|caused\s+by)\s+
        (?:this|our)\s+(?:library|repo\w*|project|code)
    # The user's machine ("please update your driver", "a third party problem").
    |\b(?:update|upgrade|reinstall)\s+(?:your\s+|the\s+)?(?:(?:nvidia|gpu|cuda|graphics)\s+){0,2}drivers?\b
        (?!\s+(?:did|didn't|does|doesn't|has|hasn't|was|wasn't|won't|will|helped|fixed|changed|detection|code|check\w*)\b
            |{contrast})
    |\bthird(?<!not\sa\sthird)(?<!n't\sa\sthird)[- ]party\s+(?:problem|issue|bug)\b
    |\breport\s+(?:it|this|that)\s+there\b
    """.replace("{contrast}", _CONTRAST),
    re.IGNORECASE | re.VERBOSE,
)
# Words before a match that make it a guess, a condition or a question ("maybe this is by
# design", "if this is intended").
_HEDGED = re.compile(
    r"\b(?:if|unless|whether|maybe|perhaps|might|may|possibly|not\s+sure|unsure|wonder\w*|"
    r"unclear|could|assum\w*)\b",
    re.IGNORECASE,
)
# A later sentence that takes a decision back, or accepts work after all.
_REVERSED = re.compile(
    r"""
    \b(?:you'?re|you\s+are)\s+(?:right|correct)\b
    |\b(?:is|be|'s)\s+(?:indeed\s+|definitely\s+|clearly\s+)?a\s+(?:real\s+|genuine\s+)?bug\b(?!\s+(?:in|with)\b)
    |\b(?:i|we)\s+can\s+reproduce\b|\blet'?s\s+fix\b|\bfix\s+is\s+(?:planned|coming|on\s+the\s+way)\b
    |\b(?<!free\sto\s)reopen\w*\b(?![^.]{0,200}\b(?:if|when|should)\b)
    |\b(?:prs?|pull\s+requests?|contributions?|patch(?:es)?|fix(?:es)?)\s+(?:\w+\s+){0,6}?(?:welcome|appreciated|accepted)
    |\baccept\s+(?:\w+\s+){0,2}?(?:prs?|pull\s+requests?|contributions?|patch(?:es)?)\b
    |\bwelcome\s+(?:\w+\s+){0,2}?(?:prs?|pull\s+requests?|contributions?|patch(?:es)?|help)\b
    |\b(?:working\s+on\s+(?:it|this)|in\s+the\s+works)\b
    |\bhappy\s+to\s+(?:accept|review|take|merge)\b
    |\bwould\s+(?:you\s+)?(?:like|want|be\s+willing)\s+to\s+(?:open|submit|send|make|contribute)
    |\bwe\s+should\s+(?:fix|support|add|change|improve)\b
    |\bwill\s+fix\b
    |\b(?:i|we)(?:'ll|\s+will)\s+(?:fix|add|change|update|look\s+into|make\s+(?:the\s+)?(?:necessary\s+)?(?:changes?|a\s+fix))\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The same in Chinese ("will fix", "it is a bug"), apart (see _INTENDED_ZH).
_REVERSED_ZH = re.compile(r"会修复|是(?:个|一个)?bug", re.IGNORECASE)
_SETTLING: tuple[tuple[re.Pattern[str], Settled], ...] = (
    (_INTENDED, "declined"), (_INTENDED_ZH, "declined"), (_DECLINED, "declined"),
    (_ELSEWHERE, "elsewhere"),
)  # fmt: skip
# A sentence ending so asks, never settles ("Is this expected?", "这是正常的吗？").
_QUESTION_ENDS = ("?", "？", "吗", "吗。", "呢")
# Names that say "this project" or nothing, never another one.
_NOT_ANOTHER = frozenset(
    {"this", "that", "our", "the", "your", "my", "it", "its", "here", "code", "library",
     "repo", "repository", "project", "side", "docs", "documentation", "implementation",
     "version", "release", "v", "main", "master", "latest", "nightly", "new", "newer", "next",
     "a", "an", "some", "any", "recent", "current"}
)  # fmt: skip


def said_declined(
    comments: Sequence[Comment], reporter: str, repo: str
) -> tuple[Settled, str] | None:
    """("declined" or "elsewhere", the evidence line) for the last comment by someone
    other than `reporter` that settles the issue as no change of `repo`'s, when no later
    comment takes it back; else None."""
    reporter = reporter.lower()
    own = _words_of(repo.rpartition("/")[2])
    found: tuple[Comment, Settled, str] | None = None
    for comment in sorted(comments, key=lambda c: c.created_at):
        if comment.author.lower() == reporter:
            continue
        for sentence in sentences(claim_text(comment.body, keep_inline_code=True)):
            settles = _settles(sentence, own)
            if settles is not None and not _reverses(sentence, settles[1]):
                found = (comment, settles[0], sentence)  # (not "..., but a PR is welcome")
            elif found is not None and _reverses(sentence):
                found = None
    if found is None:
        return None
    comment, settled, sentence = found
    quote = safe_line(sentence, QUOTE_CHARS)
    what = "it will not change here" if settled == "declined" else "the fix belongs elsewhere"
    return settled, (
        f'@{comment.author} said on {comment.created_at[:10]} that {what}: "{quote}"'
        " (a pull request for it would likely be closed: check the thread first)"
    )


def _settles(sentence: str, own: frozenset[str]) -> tuple[Settled, int] | None:
    """How `sentence` settles the issue and where its words end, or None."""
    if sentence.rstrip().endswith(_QUESTION_ENDS):
        return None
    hedged_from = -1  # where a hedge ends: looked for once, at the first match
    for pattern, settled in _SETTLING:
        for match in pattern.finditer(sentence):
            if hedged_from < 0:
                hedge = _HEDGED.search(sentence)
                hedged_from = len(sentence) + 1 if hedge is None else hedge.end()
            if hedged_from <= match.start():
                break
            named = next((g for g in match.groups() if g), None)
            if named is not None and (named.lower() in _NOT_ANOTHER or _words_of(named) & own):
                continue  # "a bug in our code", "an issue with diffusers" in diffusers
            return settled, match.end()
    return None


def _reverses(sentence: str, start: int = 0) -> bool:
    """Whether `sentence`, from `start` on, takes a decision back or accepts work."""
    return bool(_REVERSED.search(sentence, start) or _REVERSED_ZH.search(sentence, start))


def _words_of(name: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[^a-z0-9]+", name.lower()) if w)
