"""All of the sample's issues and pull requests, numbered the way GitHub would number them."""

from __future__ import annotations

import re

from .issue_items import SampleItem
from .issues_closed import closed_items
from .issues_open import open_items

_REF = re.compile(r"#<([a-z0-9_]+)>")


def all_items() -> list[SampleItem]:
    """Every issue and pull request of the sample, in creation order."""
    return sorted(closed_items() + open_items(), key=lambda item: (item.created, item.key))


def item_numbers() -> dict[str, int]:
    """Item key -> issue/pull request number (1, 2, ... in creation order, shared)."""
    return {item.key: n for n, item in enumerate(all_items(), start=1)}


def resolve_refs(text: str, numbers: dict[str, int]) -> str:
    """Replace `#<key>` placeholders by `#N`; an unknown key is a bug in the sample."""
    return _REF.sub(lambda m: f"#{numbers[m.group(1)]}", text)
