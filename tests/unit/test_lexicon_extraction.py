"""The lexical extraction's fast paths give exactly the fields of the plain passes they
replace: prose read from a file's bytes (not its decoded text), its identifiers cut out
by translate/split (not a regex), and each distinct token's words added up once. Checked
against a plain reference (the regex passes over the decoded text, every occurrence's
words counted one by one) on files built to break them and on this project's own
source files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from prready.analysis import lexicon
from prready.analysis.lexicon import (
    IDENTIFIER,
    MAX_PROSE_TERMS,
    MAX_SCAN_BYTES,
    count_terms,
    source_fields_packed,
    split_identifier,
)

ROOT = Path(__file__).resolve().parents[2]

# The same patterns over the decoded text, as the prose passes once ran.
PROSE_OF_TEXT = {
    "python": re.compile(lexicon._PY_PROSE.pattern.decode("ascii")),
    "cpp": re.compile(lexicon._C_PROSE.pattern.decode("ascii")),
}


def reference_prose(data: bytes, language: str) -> dict[str, int]:
    """The prose terms' counts, in the order they first occur, the plain way."""
    text = data[:MAX_SCAN_BYTES].decode("utf-8", "replace")
    counts: dict[str, int] = {}
    for token in IDENTIFIER.findall(" ".join(PROSE_OF_TEXT[language].findall(text))):
        for word in split_identifier(token):
            counts[word] = counts.get(word, 0) + 1
    return counts


def packed_prose(data: bytes, language: str, splits: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The prose counts the fast path gives (before the most frequent are kept)."""
    prose = (lexicon._PY_PROSE if language == "python" else lexicon._C_PROSE).findall(
        data[:MAX_SCAN_BYTES]
    )
    return lexicon._count_prose(b" ".join(prose), splits)


def reference_fields(data: bytes, language: str) -> tuple[str, bytes, str, bytes, str]:
    """`source_fields_packed` with its prose field counted the plain way."""
    defs, def_counts, _, _, bases = source_fields_packed(data, language)
    prose = lexicon._top(reference_prose(data, language), MAX_PROSE_TERMS)
    return (defs, def_counts, *prose, bases)


LONG = "a" * 90 + "_Tail"  # longer than one IDENTIFIER match
HOSTILE = [
    # Identifiers next to non-ASCII letters, digits first, hex, too long for one match.
    "# café_name naïve_mode 123abc 9_lives 0x1F 1e-5 2d_conv _1 __ x86_64\n".encode()
    + f"# {LONG} {'B' * 170}9 {'7' * 100}seven\n".encode(),
    # Literals with escapes before multi-byte and undecodable bytes, quotes inside.
    b"s = \"\\\xc3\xa9 escaped\xff\xfe bad ' quote\" + 'it\\'s'\n"
    b"t = '\xe2\x82\xac_euro \\\n still_one_line'\n",
    # An unclosed triple quote and comment markers inside literals.
    b'def f\xc3\xa9e():\n    """Doc # not a comment\n    caf\xc3\xa9 = 1\n    runs_to_end',
    # A file cut by MAX_SCAN_BYTES in the middle of a multi-byte character.
    b"# " + b"word " * (MAX_SCAN_BYTES // 5) + "é après_coupure".encode(),
    b"x = 1\n" + b"#" + b"a" * (MAX_SCAN_BYTES - 8) + "éé late_word".encode(),
    # Numbers everywhere, and more distinct words than the field keeps.
    " ".join(f"w{i}x 3{i}rd n{i % 7}" for i in range(3000)).encode().join([b"'''", b"'''"]),
]
HOSTILE_C = [
    b"// caf\xc3\xa9_name 42nd_item\n/* multi\n line \xff broken_bytes */\n"
    b'int f(void) { return g("esc\\"aped \xc3\xa9t\xc3\xa9", 0x1Fu); } /* unclosed',
    b'#define NAME_ONE 1\nconst char* s = "' + b"x" * 100 + b'";\n',
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_python_prose_counts_equal_the_plain_pass_on_hostile_bytes(data: bytes) -> None:
    counts = packed_prose(data, "python", {})
    expected = reference_prose(data, "python")
    assert list(counts.items()) == list(expected.items())  # same counts, same order
    assert source_fields_packed(data, "python") == reference_fields(data, "python")


@pytest.mark.parametrize("data", HOSTILE_C, ids=range(len(HOSTILE_C)))
def test_native_prose_counts_equal_the_plain_pass_on_hostile_bytes(data: bytes) -> None:
    assert list(packed_prose(data, "cpp", {}).items()) == list(reference_prose(data, "cpp").items())
    assert source_fields_packed(data, "cpp") == reference_fields(data, "cpp")


def test_this_projects_files_give_the_plain_fields_with_a_shared_memo() -> None:
    # A memo shared by every file (as a scanning worker keeps one) changes nothing.
    files = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 50
    splits: dict[str, tuple[str, ...]] = {}
    for path in files:
        data = path.read_bytes()
        assert source_fields_packed(data, "python", splits) == reference_fields(data, "python"), (
            path
        )


def test_a_memo_holding_a_path_part_shaped_like_a_number_changes_no_prose_count() -> None:
    # `path_terms` memoises path parts such as "2d_conv" or a long folder name; prose
    # reads such a run as the identifiers in it ("d_conv"), whatever a memo holds.
    splits = {"2d_conv": split_identifier("2d_conv"), LONG: split_identifier(LONG)}
    data = f"# 2d_conv then {LONG}\n".encode()
    assert list(packed_prose(data, "python", splits).items()) == list(
        reference_prose(data, "python").items()
    )
    assert count_terms(f"2d_conv {LONG}", dict(splits)) == count_terms(f"2d_conv {LONG}", {})


# Declaration lines built to make a backtracking pattern retry: qualified and templated
# words, `*`/`&` runs, words at and past the 80-character bound, more than four words
# before the name, names that are not identifiers, calls that look like definitions.
C_DECLARATIONS = [
    "Tensor add(const Tensor& self, const Tensor& other) {",
    "static inline at::Tensor& add_out_(Tensor& out) {",
    "Tensor TensorImpl::sizes() const {",
    "template <typename T> std::vector<T> gather(T* p);",
    "  const auto& self_sizes = self.sizes();",
    "    return at::native::empty_like(self);",
    "  return helper (x, y);",
    "unsigned long long int * * compute(int x)",
    "a b c d e g(int x)",
    "a b c d f(int x)",
    "int 9lives(void)",
    "int café(void)",
    "void " + "w" * 80 + "(void)",
    "void " + "w" * 81 + "(void)",
    "w" * 80 + " name(void)",
    "w" * 81 + " name(void)",
    "int\t*&*&*&*&*name(int)",
    "int *********name(int)",
    "#  define TORCH_CHECK_MSG(cond) x",
    "class C10_API Storage final {",
    "struct Foo : public Bar {",
    "namespace at { namespace native {",
    "enum class ScalarType : int8_t {",
    "else if (x) {",
    "} else {",
    "",
    "int x(",
    "TORCH_IMPL_FUNC(index_add_cpu_out)",
    "TORCH_META_FUNC(index_add) (const Tensor& self, int64_t dim) {",
    "DEFINE_DISPATCH(angle_stub);",
    "REGISTER_DISPATCH(angle_stub, &angle_kernel);",
    "ONNX_OPERATOR_SET_SCHEMA(\n    Gemm,\n    13,\n    OpSchema().SetDoc(Gemm_ver13_doc));",
    'XGBOOST_REGISTER_OBJECTIVE(SquaredLossRegression, "reg:squarederror")',
    'DGL_REGISTER_GLOBAL("graph._CAPI_DGLGraphCreate")',
    "Py_DECREF(obj);",
    "AB(too_short)",
    "TORCH_CHECK(too many, words)",
]


PY_DEFINITIONS = [
    "def train_step(x):",
    "        def nested(self):",
    "    async   def fetch(self):",
    "\tclass Inner(Base):",
    "class Outer:",
    "        x = 1",
    "        return train_step(x)",
    "name: int = 3",
    "name == other",
    "TOTAL += 1",
    "    indented = 2",
    "deff = 1",
    "café = 1",
    "        ",
    "        " + "z" * 100 + " = 1",
]
FAST = {
    "possessive": (lexicon.PY_NAMES_POSSESSIVE, (0, 1), lexicon.C_DEF_POSSESSIVE, (0, 1, 2)),
    "lookahead": (lexicon.PY_NAMES_LOOKAHEAD, (1, 2), lexicon.C_DEF_LOOKAHEAD, (2, 3, 4)),
}


def _names(regex: re.Pattern[str], text: str, groups: tuple[int, ...]) -> list[tuple[str, ...]]:
    return [tuple(m[g] for g in groups) for m in regex.findall(text)]


@pytest.mark.parametrize(
    "kind", ["lookahead"] + (["possessive"] if sys.version_info >= (3, 11) else [])
)
def test_the_name_passes_find_what_the_plain_patterns_find(kind: str) -> None:
    py_fast, py_groups, c_fast, c_groups = FAST[kind]
    for plain, fast, groups, lines in (
        (lexicon.PY_NAMES_PLAIN, py_fast, py_groups, PY_DEFINITIONS),
        (lexicon.C_DEF_PLAIN, c_fast, c_groups, C_DECLARATIONS),
    ):
        every = tuple(range(len(groups)))  # (the plain patterns' groups are the names)
        # Each line alone, indented or not, and all of them as one file (twice: a
        # match never runs into the next line).
        texts = [f"\n{indent}{line}" for line in lines for indent in ("", "  ", "\t ")]
        texts.append("\n" + "\n".join(lines * 2))
        for text in texts:
            assert _names(re.compile(fast), text, groups) == _names(
                re.compile(plain), text, every
            ), text
    whole = [
        a or b or c
        for a, b, c in _names(
            re.compile(lexicon.C_DEF_PLAIN), "\n" + "\n".join(C_DECLARATIONS), (0, 1, 2)
        )
    ]
    assert {"add", "add_out_", "gather", "compute", "helper", "name"} <= set(whole)
    assert {"TORCH_CHECK_MSG", "C10_API", "Foo", "at"} <= set(whole)
    # Names a macro defines or registers: the identifier an unindented upper-case call
    # holds first, alone or before a comma, also on the next line (clang-format's).
    assert {"index_add_cpu_out", "index_add", "angle_stub"} <= set(whole)
    assert {"Gemm", "SquaredLossRegression"} <= set(whole)
    # (Qualified names are not taken, nor a sixth word, nor a name that is no identifier,
    # nor a macro call's later arguments or its first when it is no lone identifier (a
    # string, `too many`), nor what a short or mixed-case name or an indented call (a
    # statement) holds.)
    unwanted = {"sizes", "empty_like", "9lives", "g", "angle_kernel", "obj", "too_short"}
    unwanted |= {"too", "many", "words", "OpSchema", "graph", "_CAPI_DGLGraphCreate"}
    assert not unwanted & set(whole)
    indented = "\n  TORCH_IMPL_FUNC(statement_like)"
    assert _names(re.compile(lexicon.C_DEF_PLAIN), indented, (0, 1, 2)) == []


def test_c_keywords_and_types_are_no_names_a_file_defines() -> None:
    # A macro instantiated for a type, a keyword before a parenthesis: the C pass finds
    # them, the fields leave them out (the macro's registered name stays).
    text = b"INSTANTIATE_KERNEL(float, add_kernel)\nREGISTER_DISPATCH(add_stub, &k);\n"
    text += b"int64_t numel(const Tensor& t) {\n  else if (x) {\n  return sizeof(y);\n"
    found = {
        a or b or c
        for a, b, c in _names(re.compile(lexicon.C_DEF_PLAIN), "\n" + text.decode(), (0, 1, 2))
    }
    assert {"float", "if", "sizeof"} <= found  # (what the pass alone takes)
    defs = set(source_fields_packed(text, "cpp")[0].split())
    assert {"addstub", "numel"} <= defs
    assert not {"float", "if", "sizeof", "int64"} & defs


def test_the_fields_take_the_names_of_the_patterns_in_use() -> None:
    fast = (lexicon.PY_NAMES_POSSESSIVE, lexicon.PY_NAMES_LOOKAHEAD)
    assert lexicon._PY_NAMES.pattern in fast
    assert lexicon._C_DEF.pattern in (lexicon.C_DEF_POSSESSIVE, lexicon.C_DEF_LOOKAHEAD)
    defs = source_fields_packed("\n".join(C_DECLARATIONS).encode(), "cpp")[0].split()
    assert {"add", "gather", "compute", "foo", "torchcheckmsg", "indexaddcpuout"} <= set(defs)
    defs = source_fields_packed("\n".join(PY_DEFINITIONS).encode(), "python")[0].split()
    assert {"trainstep", "nested", "fetch", "inner", "outer", "name", "deff"} <= set(defs)
    assert "total" not in defs  # (an augmented assignment defines nothing new)
    assert "indented" not in defs  # an indented assignment defines nothing at module level
