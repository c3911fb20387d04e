"""What of an issue's text is markup, not the reporter's words.

GitHub renders HTML in an issue: a log folded into `<details><summary>Traceback</summary>`,
a `<br>`. The tags are no words of the issue; read as its words, `summary` points at
whatever code writes summaries (a model's `summary()`, TensorBoard's summary writer). A
reporter's screenshot reaches the issue's text as markup GitHub writes for it
(`<img width="900" alt="image" src="https://github.com/user-attachments/assets/<uuid>" />`
or `![image](https://user-images.githubusercontent.com/...png)`), a notebook or a gist
as an address of opaque ids (`https://colab.research.google.com/drive/1AbC...`), and any
link can carry a commit's hash, a query string or a fragment. Read as the issue's words,
the markup's `img` and `image` point at whatever code handles images (diffusers'
`img2img` pipelines), and an id's pieces (`bcf9ab`, `c713`) at whatever file happens to
hold them, with the weight a rare word gets. `without_markup` drops the tags (not what they
hold) and the uploads, and leaves of a link its own words (a documentation page's path:
`docs/diffusers/api/pipelines`). Pure and linear in its input.
"""

from __future__ import annotations

import re
from itertools import pairwise

# A screenshot's or recording's markup: Markdown's image, inline or by reference (its alt
# text is GitHub's "image" or the file's name), and the HTML tags GitHub writes for an
# upload. (No part runs across a bracket or parenthesis: each try ends at the next one.)
_UPLOAD_MARKUP = re.compile(
    r"!\[[^\[\]\n]{0,300}\](?:\([^()\s]{1,2000}(?:[ \t]+\"[^\"\n]{0,300}\")?\)|\[[^\[\]\n]{0,100}\])"
    r"|</?(?:img|video|source)\b[^<>]{0,3000}>",
    re.IGNORECASE,
)
# The HTML tags issues use for layout, opening (with attributes written as HTML writes
# them), closing or empty. A word between angle brackets that is no such tag
# (`<class 'torch.Tensor'>`, `std::vector<int>`, `<unk>`, a tokenizer's `<s>` and `</s>`,
# `a <b and c> d`) stays, as does a tag quoted as code (`` `<details>` ``). One-letter
# tags (`<b>`, `<p>`) are left alone: their letter is no word anyway, and `Map<i, u>` is code.
_LAYOUT_TAG = re.compile(
    r"(?<!`)</?(?:details|summary|br|hr|div|span|em|strong|code|pre|sub|sup|kbd|small|big"
    r"|center|font|del|ins|mark|blockquote|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|td"
    r"|th|picture)(?![\w-])"
    # (Each attribute reads one way only: an unquoted value holds no quote, `=`, `<` or `>`.)
    r"(?:[ \t\n]+(?:open|[\w:-]{1,40}=(?:\"[^\"]{0,500}\"|'[^']{0,500}'|[^\s\"'=<>`]{1,500})))*"
    r"[ \t\n]*/?>",
    re.IGNORECASE,
)
# A link: printable ASCII but for spaces, quotes, brackets and the like (a link written in
# running Chinese or Japanese text ends where the ASCII does).
_LINK = re.compile(r"https?://[!#-&*-;=?-Z_a-z~]+", re.IGNORECASE)
_SENTENCE_END = ".,;:!?*_~"  # after a link, these are the sentence's, not the address's
# Hosts whose addresses hold only ids and a login: uploads, pastes, notebooks, gists,
# videos, experiment trackers' runs.
_NO_WORD_HOSTS = frozenset(
    {
        "user-images.githubusercontent.com",
        "private-user-images.githubusercontent.com",
        "camo.githubusercontent.com",
        "gist.githubusercontent.com",
        "gist.github.com",
        "colab.research.google.com",
        "drive.google.com",
        "docs.google.com",
        "imgur.com",
        "i.imgur.com",
        "postimg.cc",
        "i.postimg.cc",
        "ibb.co",
        "i.ibb.co",
        "prnt.sc",
        "i.sstatic.net",
        "pastebin.com",
        "youtube.com",
        "www.youtube.com",
        "youtu.be",
        "vimeo.com",
        "streamable.com",
        "loom.com",
        "www.loom.com",
        "wandb.ai",
    }
)
# Anchors that mark a place, not a subject: a line or lines, a comment, a review, a diff,
# a CI job's step.
_NO_WORD_ANCHOR = re.compile(
    r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?|issuecomment-\d+|discussion_r\d+|r\d+"
    r"|pullrequestreview-\d+|diff-[0-9a-f]{6,}\S*|step:\d+(?::\d+)?|event-\d+"
)
_HEX = frozenset("0123456789abcdefABCDEF")
_PIECES = re.compile(r"[-_.~%+=]+")


def without_markup(text: str) -> str:
    """`text` without layout tags (what they hold stays), without upload markup, without
    the addresses of uploads, notebooks, gists and videos, and with every other link cut to
    its scheme, host and the path segments that are words (no id, no query string, no
    fragment). A link to a file, a folder or a commit on GitHub (`.../blob/<ref>/path#L12`,
    `.../commit/<sha>`) stays whole: it points at the code or at a change of it."""
    if "<" in text:
        text = _LAYOUT_TAG.sub(" ", text)
    if "://" not in text:
        return text
    return _LINK.sub(_kept_link, _UPLOAD_MARKUP.sub(" ", text))


def _kept_link(found: re.Match[str]) -> str:
    whole = found.group(0)
    url = whole.rstrip(_SENTENCE_END)
    tail = whole[len(url) :]
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    host = host.rpartition("@")[2].partition(":")[0].lower()
    path, _, fragment = path.partition("#")
    segments = path.partition("?")[0].split("/")
    if host == "github.com" and len(segments) > 3 and _names_code_or_commit(segments):
        return whole
    if _no_words(host, segments):
        return " " + tail
    kept = "/".join(s for s in segments if s and not opaque(s))
    # A documentation page's anchor names what it documents (`#multi-step-update`,
    # `#torch.nn.Linear`); a line's (`#L120`), a comment's or a review's does not.
    if fragment and not (_NO_WORD_ANCHOR.fullmatch(fragment) or opaque(fragment)):
        kept += "#" + fragment
    return f"{scheme}://{host}/{kept}{tail}"


def _names_code_or_commit(segments: list[str]) -> bool:
    """A link to a file or folder (`<o>/<r>/blob/<ref>/<path>`) or to a commit
    (`<o>/<r>/commit/<sha>`, `<o>/<r>/pull/<n>/commits/<sha>`) on GitHub: the evidence
    reads it whole."""
    kind = segments[2]
    return kind in ("blob", "tree", "commit") or (
        kind == "pull" and len(segments) > 5 and segments[4] == "commits"
    )


def _no_words(host: str, segments: list[str]) -> bool:
    if host in _NO_WORD_HOSTS:
        return True
    # An upload's address on github.com: `user-attachments/assets/<uuid>`, the older
    # `<owner>/<repo>/assets/<user id>/<uuid>`, or an attached file's
    # `<owner>/<repo>/files/<id>/log.txt`.
    return host == "github.com" and (
        segments[0] == "user-attachments"
        or (len(segments) > 2 and segments[2] in ("assets", "files"))
    )


def opaque(segment: str) -> bool:
    """True for a path segment that is mostly an id, not words: a hash or uuid
    (`10bcf9ab-c713-4c51-...`, a commit's sha) or a generated id whose characters change
    between lower case, upper case and digits every few characters (`1AbCdEfGh2IjK3lM`).
    Its pieces (between `-`, `_`, `.`) are judged one by one, so a name built of words and
    numbers stays: `gemma3`, `wav2vec2-base-960h`, `Qwen2.5-VL-7B-Instruct`,
    `TinyLlama-1.1B-Chat-v1.0`, `float8_e4m3fn`."""
    pieces = [piece for piece in _PIECES.split(segment) if not piece.isdigit()]  # (no word)
    ids = sum(len(piece) for piece in pieces if _an_id(piece))
    return ids > 0 and 2 * ids >= sum(map(len, pieces))


def _an_id(piece: str) -> bool:
    digits = sum(map(str.isdigit, piece))
    if digits < 2 or digits == len(piece):  # (a number is no identifier: no word either way)
        return False
    if len(piece) >= 7 and _HEX.issuperset(piece):
        return True
    if len(piece) < 12:
        return False
    kinds = ["d" if c.isdigit() else "u" if c.isupper() else "l" for c in piece]
    changes = sum(a != b for a, b in pairwise(kinds))
    return changes * 3 >= len(piece)
