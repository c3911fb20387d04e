"""Who to ask for review on a step: the code owners of its files and areas, then the
areas' most active recent authors, by GitHub login where the history gives one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from prready.analysis.areas import github_login
from prready.analysis.ownership import CodeOwners
from prready.code_models import AreaInfo, CodeMap

MAX_REVIEWERS = 5


def step_reviewers(
    areas: list[AreaInfo],
    files: list[str],
    code_map: CodeMap,
    code_owners: CodeOwners,
    known_logins: Collection[str] = (),
) -> list[str]:
    """Whom to ask for review: code owners (of the named files, then of the areas), then
    the areas' most active recent authors by their commits here. An author whose commits
    carry their login (noreply e-mails) is listed as @login; one whose never do (a company
    address: jax's and diffusers' core maintainers) by name, with MIN_NAMED_COMMITS or
    more commits, marked as having no known login, rather than left out for the occasional
    contributors whose logins are known. Bots are left out, and a name is not repeated
    when it is a listed login's (`AreaInfo.author_logins`, else by its spelling); owners
    given by e-mail count only when the address is a noreply one. A name that is the
    login of someone who wrote in the repository's issues (`known_logins`: vfdev-5) is
    that login. Once an owner or an author of several commits is listed, authors of one
    commit here are not: a one-off contributor is no reviewer."""
    owners: list[str] = []
    for owner in [
        *(owner for path in files for owner in code_owners.owners_for(path)),
        *(owner for area in areas for owner in area.owners),
    ]:
        login = github_login(owner)
        handle = owner if owner.startswith("@") else (f"@{login}" if login else "")
        if handle and handle.lower() not in (o.lower() for o in owners):
            owners.append(handle)
    logins: Counter[str] = Counter()
    spelled: dict[str, str] = {}  # a login in lower case -> as first seen
    by_lower = {login.lower(): login for login in known_logins}
    names: Counter[str] = Counter()
    for area in areas:
        for login, count in area.recent_logins[:3]:
            logins[spelled.setdefault(login.lower(), login)] += count
        people_here = [(n, c) for n, c in area.recent_authors if not _BOT_NAME.search(n)]
        for name, count in people_here[:3]:
            known_login = area.author_logins.get(name)
            if known_login:  # the same person: listed once, by login
                known_login = spelled.setdefault(known_login.lower(), known_login)
                logins[known_login] = max(logins[known_login], count)
            elif (named := _login_of(name, by_lower)) is not None:
                named = spelled.setdefault(named.lower(), named)
                logins[named] = max(logins[named], count)
            else:
                names[name] += count
    known = [_squashed(h) for h in [*owners, *logins]]
    # (GitHub logins ignore case: @borda the code owner is @Borda the author.)
    owned = {owner.lower() for owner in owners}
    entries = [
        (n, f"@{login}", "") for login, n in logins.items() if f"@{login}".lower() not in owned
    ]
    entries.extend(
        (n, shown, "; no GitHub login in the history")
        for name, n in names.items()
        if n >= MIN_NAMED_COMMITS
        and not _same_person(name, known)
        and (shown := _display_name(name))
    )
    if owners or any(n > 1 for n, _, _ in entries):
        entries = [e for e in entries if e[0] > 1]
    entries.sort(key=lambda e: (-e[0], e[1]))
    people = [f"{owner} (code owner)" for owner in owners]
    people.extend(
        f"{who} ({n} recent commit{'s' if n != 1 else ''} here{unknown})"
        for n, who, unknown in entries
    )
    return people[:MAX_REVIEWERS]


MIN_NAMED_COMMITS = 3  # an author known by name only is listed from this many commits


MAX_NAME_CHARS = 30  # a display name is cut to this (its marker must stay readable)


_BOT_NAME = re.compile(
    r"\[bot\]|(?:merge|pytorch|github|ci|release|test)[ -]?bot\b|copybara|tensorflower"
    r"|\bservice account\b|\bauthors\b|\bteam\b",
    re.IGNORECASE,
)


def _display_name(name: str) -> str:
    """An author's name as a card shows it: no leading @ nor brackets (a name is no
    handle and no "(code owner)"), at most MAX_NAME_CHARS."""
    shown = " ".join(name.replace("(", " ").replace(")", " ").lstrip("@ ").split())
    return shown if len(shown) <= MAX_NAME_CHARS else shown[: MAX_NAME_CHARS - 1] + "…"


# A name spelled as only a login is (lower case, or with a digit or hyphen): "vfdev-5".
_LOGIN_LIKE = re.compile(r"[a-z0-9][a-z0-9-]*|[A-Za-z0-9]*[0-9-][A-Za-z0-9-]*")


def _login_of(name: str, by_lower: dict[str, str]) -> str | None:
    """The login, among those who wrote in the repository's issues, that a display name is
    spelled as: its words run together, or a first name or initial with a surname
    (`Sayak Paul` @sayakpaul, `Peter Hawkins` @hawkinsp, `Alan Turing` @aturing). A name
    written as a login is that login (`vfdev-5`); a first name alone (`Peter`) is no one
    in particular."""
    if _LOGIN_LIKE.fullmatch(name):
        return by_lower.get(name.lower())
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    if len(words) < 2:
        return None
    first, last = words[0], words[-1]
    for form in ("".join(words), first[0] + last, last + first[0], first + last[0], last + first):
        if form in by_lower:
            return by_lower[form]
    return None


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _same_person(name: str, handles: Sequence[str]) -> bool:
    """A display name spelled like a listed login (squashed: `Sayak Paul` and @sayakpaul,
    `Mario Lezcano` and @lezcano, `Alan Turing` and @aturing, `Sam Smith` and @sam)."""
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    forms = {"".join(words), *(w for w in words if len(w) >= 3)}
    if len(words) >= 2:
        forms |= {words[0][0] + words[-1], words[0] + words[-1][0]}
    return any(h in forms for h in handles)
