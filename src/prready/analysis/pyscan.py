"""A fast scan of one Python file's text: imports, top-level public definitions, `__all__`.

`ast.parse` of all of PyTorch takes ~9 s, so this is a line scanner built on C-speed
regular expressions and `str.find`: it locates triple-quoted strings (the only construct
that can hide a line start), then finds `import`/`from`/`def`/`class`/assignment lines
outside them. An import is *conditional* when it sits inside a function or an
`if TYPE_CHECKING:` block; imports under top-level `try`/`if` run at import time and are
not. Results are plain tuples so they cache (marshal) and cross process boundaries cheaply.
"""

from __future__ import annotations

import re
import sys
from typing import Literal, NamedTuple


class ImportStmt(NamedTuple):
    """One imported module: `import a.b as c` or `from ..a import (x, y as z)`."""

    line: int
    level: int  # 0 absolute; 1 for "from .", 2 for "from ..", ...
    module: str  # "a.b"; "" for "from . import x"
    names: tuple[tuple[str, str], ...]  # (name, bound as) for `from` imports; ("*", "*") star
    conditional: bool
    alias: str = ""  # "c" for `import a.b as c`
    # Names imported as themselves (`from a import x as x`): re-exported by the typing
    # convention (PEP 484), in any module.
    reexports: tuple[str, ...] = ()


class PyScan(NamedTuple):
    lines: int
    imports: tuple[ImportStmt, ...]
    defs: tuple[str, ...]  # top-level names defined here (def, class, assignment)
    all_names: tuple[str, ...] | None  # literal `__all__`, None when absent
    error: Literal["", "not-utf8", "syntax-error"] = ""  # "" when scanned
    generated: bool = False  # written by a tool (see `looks_generated`), not by hand


def scan_python_bytes(data: bytes, memo: ScanMemo | None = None) -> PyScan:
    """Decode (UTF-8, BOM allowed) and scan; undecodable files come back with an error.
    `memo`: see `scan_python`."""
    if b"\0" in data:
        return PyScan(data.count(b"\n") + 1, (), (), None, "not-utf8")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        # Decoded with the "\n" the scan puts first: one copy of the bytes, not of the text.
        src = (b"\n" + data).decode("utf-8")
    except UnicodeDecodeError:
        return PyScan(data.count(b"\n") + 1, (), (), None, "not-utf8")
    return _scan_src(src, memo)


_BOM = b"\xef\xbb\xbf"


# One module an import statement imports: (level, module, names, alias, reexports), see
# ImportStmt.
_Parsed = tuple[int, str, tuple[tuple[str, str], ...], str, tuple[str, ...]]


class ScanMemo:
    """What the scans of a batch of files share, passed to each (a scanning worker keeps
    one for all its chunks): the block-walk patterns compiled so far, by indent (see
    `_enclosing_line`), and import statements parsed so far (`import torch` heads
    thousands of files). A memo never changes a scan's result."""

    __slots__ = ("imports", "patterns")

    def __init__(self) -> None:
        self.patterns: dict[int, re.Pattern[str]] = {}
        self.imports: dict[str, tuple[_Parsed, ...]] = {}  # statement text -> its imports


def scan_python(text: str, memo: ScanMemo | None = None) -> PyScan:
    """Scan Python source text (see the module docstring for what is found). `memo`:
    shared by the scans of one batch of files (a fresh one when None)."""
    return _scan_src("\n" + text, memo)


def _scan_src(src: str, memo: ScanMemo | None) -> PyScan:
    """`scan_python` of the text after the "\n" that starts `src`: every statement line
    then starts right after a "\n"."""
    if memo is None:
        memo = ScanMemo()
    parsed = memo.imports
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    lines = src.count("\n") - (1 if src.endswith("\n") else 0)  # ("\n": none)
    regions = _triple_quoted_regions(src)
    if regions is None:
        return PyScan(lines, (), (), None, "syntax-error")
    # Searches run over `code`, a copy in which no line inside a triple-quoted string
    # starts with a "\n" (see _mask_strings); texts are read from `src` (same offsets).
    code = _mask_strings(src, regions) if regions else src

    imports: list[ImportStmt] = []
    defs: list[str] = []
    all_names: list[str] | None = None
    line_no = 0
    last_pos = 0
    walks = _Walks(memo.patterns)  # see _enclosing_line
    for m in _STATEMENT.finditer(code):
        pos = m.start()
        kind = m.lastgroup  # the alternative that matched: kw, py2, defname or target
        if kind == "kw":
            line_no += src.count("\n", last_pos, pos + 1)
            last_pos = pos + 1
            indent = m.end("indent") - pos - 1
            stmt = _logical_line(src, m.end("indent"))
            conditional = indent > 0 and _is_conditional(code, src, pos, indent, walks)
            stmt_imports = parsed.get(stmt)
            if stmt_imports is None:
                stmt_imports = parsed[stmt] = tuple(
                    item for part in stmt.split(";") for item in _parse_import(part.strip())
                )
            for level, module, imported, alias, reexports in stmt_imports:
                imports.append(
                    ImportStmt(line_no, level, module, imported, conditional, alias, reexports)
                )
            continue
        if kind == "py2":
            if _maybe_py2(src):
                return PyScan(lines, (), (), None, "syntax-error")
            continue
        name = m.group(kind) if kind else ""
        if name == "__all__":
            found = _all_literals(_logical_line(src, pos + 1))
            all_names = found if all_names is None else all_names + found
        elif name:
            defs.append(name)
    names = tuple(dict.fromkeys(defs))
    generated = looks_generated(src[1 : _HEADER_CHARS + 1], len(names), lines)
    return PyScan(lines, tuple(imports), names, _tuple_or_none(all_names), "", generated)


def looks_generated(text: str, top_level_names: int, lines: int) -> bool:
    """A file written by a tool: its leading comments say so ("autogenerated", "generated
    by", "@generated", "do not edit"), or its docstring starts a line or sentence saying
    so ("DO NOT EDIT. This file was autogenerated": Keras's `keras/api/`), or it is a very
    large file of mostly top-level names (ctypes bindings, register tables: tinygrad's
    nv_570.py has 14k). Hand-written modules stay far below: PyTorch's largest has 517
    names in 27k lines."""
    if top_level_names >= GENERATED_MIN_NAMES and top_level_names * 2 >= lines:
        return True
    head = _LEADING_COMMENTS.match(text[:_HEADER_CHARS])
    if head is None:
        return False
    if _GENERATED_MARK.search(head.group()) is not None:
        return True
    return _docstring_says_generated(text, head.end())


def _docstring_says_generated(text: str, at: int) -> bool:
    """Whether the module docstring opening at `at` (a string alone on its lines) starts a
    line or a sentence of its first four lines with words saying a tool wrote the file."""
    opening = _DOCSTRING_OPEN.match(text, at)
    if opening is None:
        return False
    quote = opening.group("quote")
    close = text.find(quote, opening.end())
    if close < 0:
        return False  # (not closed within the header)
    line_end = text.find("\n", close)
    if text[close + len(quote) : line_end if line_end >= 0 else len(text)].strip():
        return False  # an expression (`"""x""".strip()`), not a docstring
    first_lines = "\n".join(text[opening.end() : close].split("\n", 4)[:4])
    return _GENERATED_DOC_MARK.search(first_lines) is not None


# --------------------------------------------------------------------------- internals
GENERATED_MIN_NAMES = 1000
_HEADER_CHARS = 2048
# Blank and comment lines at the top of a file (a docstring's prose is not searched:
# "reports generated by the API" describes a hand-written module).
_LEADING_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")
_GENERATED_MARK = re.compile(
    r"auto-?generated|generated (?:by|from|with|using)|@generated|do not (?:edit|modify)",
    re.I,
)
# A module docstring's opening quotes, and what starts a line or a sentence of it when a
# tool wrote the file ("DO NOT EDIT.", "This file was autogenerated"); "generated by" in
# the middle of a sentence may describe what a hand-written module does ("Reports
# generated by the ModelReport API", "checks the autogenerated stubs").
_DOCSTRING_OPEN = re.compile(r"[rRuU]?(?P<quote>\"\"\"|''')")
_GENERATED_DOC_MARK = re.compile(
    r"(?:^|(?<=[.!:] ))[ \t]*(?:do not (?:edit|modify)|@generated|auto-?generated"
    r"|this (?:file|module|code) (?:was|is) (?:auto-?)?generated)",
    re.I | re.M,
)
# One pass finds every statement of interest: imports at any indent, Python 2 `print`/
# `exec` statements (the file is then not Python 3), and at column 0 (the lookbehind)
# `def`/`class` names and assignment targets. The indent is taken whole, never retried
# shorter: a plain `[ \t]*` before the alternatives made the engine retry every shorter
# indent on every line, 3x slower. Python 3.11+ says so with a possessive `*+` (15% faster
# than the form 3.10 needs: a lookahead, which is not backtracked into, and a
# back-reference that consumes what it saw).
_INDENT_WHOLE = (
    r"(?P<indent>[ \t]*+)" if sys.version_info >= (3, 11) else r"(?=(?P<indent>[ \t]*))(?P=indent)"
)
_STATEMENT = re.compile(
    r"\n" + _INDENT_WHOLE + r"(?:"
    r"(?P<kw>import|from)(?=[ \t\\(.])"
    r"|(?P<py2>print[ \t]+[\"'\w>]|exec[ \t]+[\"'])"
    r"|(?<=\n)(?:(?:async[ \t]+)?(?:def|class)[ \t]+(?P<defname>\w+)"
    r"|(?P<target>[A-Za-z_]\w*)[ \t]*(?::[^\n\r=]*)?(?:\+=|=(?!=)|\.extend\()))"
)
_IMPORT = re.compile(r"import[ \t]+(.+)", re.S)
_FROM = re.compile(r"from[ \t]*(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(.+)", re.S)
_STRING_LITERAL = re.compile(r"[\"']([^\"'\n]+)[\"']")
_DEF_OPENER = re.compile(r"(?:async[ \t]+)?def\b")
_TYPE_CHECKING = re.compile(r"if[ \t]+(?:\w+\.)?_?TYPE_CHECKING[ \t]*:")
# The same header split over lines, its lines joined: `if (\n    TYPE_CHECKING\n):`.
_TYPE_CHECKING_SPLIT = re.compile(r"if[ \t(\\]+(?:\w+\.)?_?TYPE_CHECKING[ \t)\\]*:")
_STRINGS_AND_COMMENT = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#.*")
# Lines followed upwards from the end of a split block header before giving up.
_MAX_HEADER_LINES = 200


def _triple_quoted_regions(src: str) -> list[tuple[int, int]] | None:
    """(start, end) spans of triple-quoted strings; None when one is never closed."""
    marks: list[tuple[int, str]] = []
    for quote in ('"""', "'''"):
        pos = src.find(quote)
        while pos != -1:
            marks.append((pos, quote))
            pos = src.find(quote, pos + 1)
    if not marks:
        return []
    marks.sort()
    regions: list[tuple[int, int]] = []
    open_at, open_quote = -1, ""
    line = _LinePrefix(src)
    for pos, quote in marks:
        if open_at >= 0:
            if quote == open_quote and pos >= open_at + 3 and not _escaped(src, pos):
                regions.append((open_at, pos + 3))
                open_at = -1
            continue
        if regions and pos < regions[-1][1]:
            continue  # the tail of a closing run such as """"
        # From the line's start, or from the end of a string closed earlier on the same
        # line (`""" + r"""`: the first quotes close a string, the second open one).
        if line.in_comment_or_string(pos, regions[-1][1] if regions else 0):
            continue
        open_at, open_quote = pos, quote
    if open_at >= 0:
        return None
    return regions


class _LinePrefix:
    """`_in_comment_or_string(line prefix up to pos)` for increasing `pos`, resuming the scan
    where the previous call on the same line stopped: a line holding thousands of quote
    marks costs one pass, not one pass per mark (which was quadratic)."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.line_start = -1
        self.line_end = -1
        self.origin = -1  # where the prefix being scanned starts
        self.i = 0  # absolute index the scan of this prefix has reached
        self.quote = ""
        self.comment = False

    def in_comment_or_string(self, pos: int, floor: int = 0) -> bool:
        """Whether `pos` is in a comment or a one-line string, the prefix running from the
        line's start or from `floor` (the end of a string closed earlier on the line)."""
        src = self.src
        if not self.line_start <= pos < self.line_end:
            self.line_start = src.rfind("\n", 0, pos) + 1
            end = src.find("\n", pos)
            self.line_end = len(src) if end == -1 else end
            self.origin = -1
        origin = max(self.line_start, floor)
        if origin != self.origin or pos < self.i - 1:
            self.origin = origin
            self.i, self.quote, self.comment = origin, "", False
        # A state carried past `pos` (a backslash skipped the char at `pos`) is the same
        # state a fresh scan of the prefix would end in: the skip only ever moves past it.
        if self.comment:
            return True
        if not self.quote and self.i < pos:
            # Nothing that opens a string or a comment up to `pos` (the common case: a
            # docstring after an indent): the scan would only move on to `pos`.
            part = src[self.i : pos]
            if "#" not in part and '"' not in part and "'" not in part:
                self.i = pos
                return False
        self.i, self.quote, self.comment = _scan_line(src, self.i, pos, self.quote)
        return self.comment or bool(self.quote)


def _scan_line(src: str, i: int, end: int, quote: str) -> tuple[int, str, bool]:
    """Scan `src[i:end]` (part of one line), starting inside `quote` ("" for none): where
    the scan stopped, the quote open there, and whether a comment began (the scan stops
    just after its `#`)."""
    while i < end:
        ch = src[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == "#":
            return i + 1, quote, True
        elif ch in "'\"":
            quote = ch
        i += 1
    return i, quote, False


def _escaped(src: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and src[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _in_comment_or_string(prefix: str) -> bool:
    """Whether the end of a line prefix is inside a comment or a one-line string."""
    if "#" not in prefix and "'" not in prefix and '"' not in prefix:
        return False
    _, quote, comment = _scan_line(prefix, 0, len(prefix), "")
    return comment or bool(quote)


def _logical_line(src: str, pos: int) -> str:
    """The statement starting at pos, joined over brackets and backslashes, comments cut."""
    nl = src.find("\n", pos)
    line = src[pos : nl if nl != -1 else len(src)]
    if "(" not in line and "[" not in line and "#" not in line and not line.endswith("\\"):
        return line  # one plain line, the common case
    out: list[str] = []
    depth = 0
    end = len(src)
    while pos < end:
        nl = src.find("\n", pos)
        if nl == -1:
            nl = end
        line = src[pos:nl]
        hash_at = line.find("#")
        if hash_at != -1 and not _in_comment_or_string(line[:hash_at]):
            line = line[:hash_at]
        depth += line.count("(") + line.count("[") - line.count(")") - line.count("]")
        if line.endswith("\\"):
            out.append(line[:-1])
        else:
            out.append(line)
            if depth <= 0 or len(out) > 2000:
                break
        pos = nl + 1
    return " ".join(out)


class _Walks:
    """Per scan, the last (end, answer) of `_enclosing_line` by indent; and the patterns."""

    __slots__ = ("last", "patterns")

    def __init__(self, patterns: dict[int, re.Pattern[str]]) -> None:
        self.last: dict[int, tuple[int, int | None]] = {}
        self.patterns = patterns


def _is_conditional(code: str, src: str, pos: int, indent: int, walks: _Walks) -> bool:
    """Walk up the enclosing blocks: inside a `def` or `if TYPE_CHECKING:` means conditional.

    Each step finds the nearest earlier code line indented less than the current one: that
    line opens the enclosing block. `code` is the masked text (see `_mask_strings`), so
    lines inside triple-quoted strings are never taken for code."""
    end = pos  # index of the "\n" before the statement
    while indent > 0:
        opener = _enclosing_line(code, end, indent, walks)
        if opener is None:
            return False  # nothing encloses it (not valid Python, but harmless)
        line_end = src.find("\n", opener + 1)
        line = src[opener + 1 : line_end if line_end != -1 else len(src)]
        stripped = line.lstrip(" \t")
        if _DEF_OPENER.match(stripped) or _TYPE_CHECKING.match(stripped):
            return True
        if (opener > 0 and code[opener - 1] == "\\") or ")" in line or "]" in line or "}" in line:
            # Perhaps the last line of a statement split over lines (`def f(\n    x,\n):`):
            # judge the statement by its first line, and take that line's indent.
            start = _statement_start(code, opener)
            if start != opener:
                header = src[start + 1 : opener]  # every line of it but the last
                head = header.lstrip(" \t")
                joined = f"{head} {stripped}".replace("\n", " ")
                if _DEF_OPENER.match(head) or _TYPE_CHECKING_SPLIT.match(joined):
                    return True
                head_indent = len(header) - len(head)
                if head_indent < indent:  # else a statement of this block: look further up
                    indent = head_indent
                end = start
                continue
        indent = len(line) - len(stripped)
        end = opener
    return False


def _statement_start(code: str, nl: int) -> int:
    """Index of the "\n" starting the first line of the statement whose line starts at
    `nl`, following unclosed brackets and backslashes upwards (`nl` when not split)."""
    line_end = code.find("\n", nl + 1)
    depth = _bracket_balance(code[nl + 1 : line_end if line_end != -1 else len(code)])
    start = nl
    for _ in range(_MAX_HEADER_LINES):
        if depth <= 0 and not (start > 0 and code[start - 1] == "\\"):
            return start
        prev = code.rfind("\n", 0, start)
        if prev == -1:
            break
        depth += _bracket_balance(code[prev + 1 : start])
        start = prev
    return nl  # unbalanced or too long: not a split statement this scanner understands


def _bracket_balance(line: str) -> int:
    """Closing minus opening brackets in one line, outside one-line strings and comments."""
    if "'" in line or '"' in line or "#" in line:
        line = _STRINGS_AND_COMMENT.sub("", line)
    return (
        line.count(")")
        + line.count("]")
        + line.count("}")
        - line.count("(")
        - line.count("[")
        - line.count("{")
    )


def _enclosing_line(code: str, end: int, indent: int, walks: _Walks) -> int | None:
    """Index of the "\n" starting the last code line before `end` indented < `indent`;
    None when there is none.

    The pattern starts with a greedy `.*`, so the engine jumps to `end` and backtracks:
    a backwards search in C whose cost is the distance searched. `walks` remembers, per
    indent, the last (end, answer): the next search with the same indent from further down
    only covers the text in between (the answer is the nearer line found there, else the
    remembered one), so a block of N imports costs one pass, not N (which was quadratic)."""
    pattern = walks.patterns.get(indent)
    if pattern is None:
        pattern = walks.patterns[indent] = re.compile(
            rf"(?s:.*)\n[ \t]{{0,{indent - 1}}}[^ \t\n\r#]"
        )
    start, known = 0, None
    remembered = walks.last.get(indent)
    if remembered is not None and remembered[0] <= end:
        start, known = remembered
    m = pattern.match(code, start, end)
    # (a capture group around "\n" would make the search 2.5x slower)
    found = code.rfind("\n", start, m.end()) if m is not None else known
    walks.last[indent] = (end, found)
    return found


def _mask_strings(src: str, regions: list[tuple[int, int]]) -> str:
    """`src` with every "\n" inside a triple-quoted string, and the one before a line that
    opens with one, turned into "\r" (which `scan_python` has normalised away): lines in
    strings then start no statement, and the block walk never takes them for code. Same
    length, same offsets; the patterns read "\r" as part of a line, never as its end."""
    pieces: list[str] = []
    last = 0
    for start, end in regions:
        start = max(start - 1, last)
        pieces.append(src[last:start])
        pieces.append(src[start:end].replace("\n", "\r"))
        last = end
    pieces.append(src[last:])
    return "".join(pieces)


def _maybe_py2(src: str) -> bool:
    """The cheap pre-test for Python 2 statements that the scanner has always applied."""
    return "print " in src or "print\t" in src or "exec " in src or "print>" in src


def _parse_import(stmt: str) -> list[_Parsed]:
    """(level, module, names, alias, reexports) of each module one import statement
    imports."""
    if stmt.startswith("from"):
        m = _FROM.match(stmt)
        if not m:
            return []
        level, module, rest = len(m.group(1)), m.group(2).strip("."), m.group(3)
        names: list[tuple[str, str]] = []
        reexports: list[str] = []
        for item in rest.replace("(", " ").replace(")", " ").split(","):
            words = item.split()
            if not words:
                continue
            if len(words) == 3 and words[1] == "as":
                names.append((words[0], words[2]))
                if words[0] == words[2] and words[0].isidentifier():
                    reexports.append(words[0])
            elif len(words) == 1 and (words[0] == "*" or words[0].isidentifier()):
                names.append((words[0], words[0]))
        if not names or (not module and not level):
            return []
        return [(level, module, tuple(names), "", tuple(reexports))]
    m = _IMPORT.match(stmt)
    if not m:
        return []
    out: list[_Parsed] = []
    for item in m.group(1).split(","):
        words = item.split()
        if not words or not all(p.isidentifier() for p in words[0].split(".")):
            continue
        alias = words[2] if len(words) == 3 and words[1] == "as" else ""
        out.append((0, words[0], (), alias, ()))
    return out


def _all_literals(stmt: str) -> list[str]:
    _, _, value = stmt.partition("=") if "=" in stmt else ("", "", stmt.partition("(")[2])
    return [s for s in _STRING_LITERAL.findall(value) if s.isidentifier()]


def _tuple_or_none(names: list[str] | None) -> tuple[str, ...] | None:
    return None if names is None else tuple(dict.fromkeys(names))
