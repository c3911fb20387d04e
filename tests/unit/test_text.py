"""prready.text.safe_line: the one function that makes untrusted text safe for a terminal."""

from __future__ import annotations

import json

import pytest

from prready.text import inert_json, safe_line, strip_spoofing
from prready.validation import clean_name

HOSTILE = {
    "clear screen": "a\x1b[2Jb",
    "colour": "\x1b[31mred\x1b[0m",
    "window title (BEL)": "\x1b]0;title\x07x",
    "window title (ST)": "\x1b]2;title\x1b\\x",
    "OSC 8 hyperlink": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "8-bit CSI and OSC": "a\x9b2Jb\x9d0;t\x9cc",
    "carriage return": "safe\rEVIL",
    "backspace": "ab\x08\x08cd",
    "bidi override": "gnp\u202eexe.",
    "bidi isolate": "a\u2066b\u2069c",
    "zero width": "ad\u200bmin\u200d\ufeff",
    "hangul filler": "x\u3164y",
    "hangul choseong filler": "x\u115fy",
    "hangul jungseong filler": "x\u1160y",
    "halfwidth hangul filler": "x\uffa0y",
    "lone surrogate": "x\ud800y\udfffz",
    "line separator": "a\u2028b\u2029c",
    "nul and del": "a\x00b\x7fc",
}
FORBIDDEN = set("\x1b\x07\x9b\x9c\x9d\r\n\b\x00\x7f\u202e\u2066\u2069\u200b\u200d\ufeff")
FORBIDDEN |= {"\u3164", "\u115f", "\u1160", "\uffa0", "\u2028", "\u2029", chr(0xD800), chr(0xDFFF)}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_safe_line_leaves_nothing_a_terminal_would_act_on(text: str) -> None:
    out = safe_line(text)
    assert not FORBIDDEN & set(out), repr(out)
    assert out == out.strip() and "  " not in out
    out.encode("utf-8")  # printable: no lone surrogate left to crash the stream


def test_safe_line_keeps_the_visible_text() -> None:
    assert safe_line("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\") == "click"
    assert safe_line("\x1b]0;evil title\x07ok") == "ok"
    assert safe_line("a\x9b2Jb\x9d0;t\x9cc") == "abc"
    assert safe_line("safe\u202egnp.exe") == "safegnp.exe"
    assert safe_line("line\nbreak\r\x08") == "line break"
    assert safe_line("emoji 🫨 and ünïcode") == "emoji 🫨 and ünïcode"


def test_safe_line_flattens_and_bounds() -> None:
    assert safe_line("a\n\n  b\tc") == "a b c"
    long = safe_line("x" * 1000, 50)
    assert len(long) == 50 and long.endswith("…")
    assert safe_line("") == ""
    assert safe_line(42) == "42"


@pytest.mark.parametrize(
    "letter", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u00ad", "\u180e", "\U000e0041", "\u2800"]
)
def test_invisible_letters_are_removed(letter: str) -> None:
    assert safe_line(f"safe{letter}title{letter}") == "safetitle"


def test_strip_spoofing_keeps_lines_for_bodies() -> None:
    text = "a\u202eb\u2066c\u2069\u200bd\u200de\ufeff\x07f\x00g\u2028h"
    assert strip_spoofing(text) == "abcdefgh"
    assert strip_spoofing("\x1b[31mred\x1b[0m \x1b]0;title\x07ok") == "red ok"
    assert strip_spoofing("tab\tand\nnewline") == "tab\tand\nnewline"
    assert strip_spoofing("lone \ud800") == "lone \ufffd"


def test_inert_json_escapes_what_a_terminal_acts_on_and_keeps_the_data() -> None:
    data = {"t": "a\x9b2J\x7f\u202eb\u3164c\U000e0041 é 🫨", "lone": "x\ud800"}
    text = inert_json(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not FORBIDDEN & set(text) and "\x9b" not in text and "\U000e0041" not in text
    assert "\\udb40\\udc41" in text  # a character past the BMP as a surrogate pair
    assert "é 🫨" in text  # ordinary non-ASCII text stays readable


@pytest.mark.parametrize(
    "hidden",
    [
        "\u061c",
        "\u00ad",
        "\u2028",
        "\u2029",
        "\U000e0041",
        "\u200b",
        "\u202e",
        "\u3164",
        "\x1b",
        "\n",
    ],
)
def test_a_server_name_keeps_none_of_what_a_terminal_hides(hidden: str) -> None:
    # Labels, logins and repository names are cleaned once, when they come in, with the
    # same list of invisible characters the terminal's safe_line strips.
    assert clean_name(f"good{hidden}first issue") == "goodfirst issue"
    assert safe_line(clean_name(f"good{hidden}first")) == clean_name(f"good{hidden}first")
