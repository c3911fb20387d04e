/* prready._lexscan: the mapping index's per-token work, in C: a file's lexical fields,
   the BM25 postings, and a search over them.

   An optional speed-up of prready.analysis.lexicon (see `source_fields_packed` and
   `BM25Index.search`) and of evidence.words_as_written: each function here gives exactly
   what the Python function named in its docstring gives, and the Python runs when this
   module is not built. A token the splitter here cannot take (non-ASCII, or too long) is
   split by `lexicon._split`, called back here; a term's IDF and a token's quoted words
   come from Python too, so every rule about words and weights lives in one place.

   - prose_counts(head, python, splits, split): the term counts of a file's comments and
     string literals, as `_count_prose(b" ".join(PROSE.findall(head)), splits)`;
   - add_up(tokens, splits, split): the term counts of distinct identifiers seen n times,
     as `_add_up` over a Counter of them;
   - top(counts, limit): the packed most frequent terms, as `_top`;
   - names(text, python): the defined names, as lexicon's name patterns find them;
   - postings(...): the BM25 index's document ids and weights laid out term by term, as
     `_postings_in_python` (one counting pass instead of a sort);
   - term_table(...), postings_by_id(...): the same index from the units' stored fields,
     counted by term id (`BM25Index.from_fields`: what `build` makes of `unit_terms`);
   - best(...): a BM25 search's best documents, as `_best_in_numpy`;
   - gains(...): what a few documents gain from each term of a search, as `_ranked_terms`
     reads them from the postings;
   - query_runs(...): the runs of postings a search adds up, as `BM25Index._runs`;
   - as_written(...): the words an issue wrote for its matched terms, as
     `evidence.words_as_written`.

   Every scan is one linear pass over the bytes; runs of identifier characters are counted
   in a hash table of byte slices (keyed by Python's own per-process hash, so a file built
   to collide cannot make it quadratic), so a str is made once per distinct run. Inputs
   from elsewhere are checked before anything is written (`postings`' starts), and a count
   beyond 64 bits raises instead of wrapping. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>

/* A search adds products to sums (`best`): each product is rounded first, as numpy's
   search does, so the scores are the same doubles whatever the compiler may fuse. */
#ifdef __FAST_MATH__ /* (which reorders sums: the install then builds pure Python) */
#error "prready._lexscan needs IEEE arithmetic: build it without -ffast-math"
#endif
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#define IDENTIFIER_MAX 81 /* the longest lexicon.IDENTIFIER match */

static unsigned char WORD[256]; /* 1 for [A-Za-z0-9_] */

/* ---- distinct runs of identifier bytes, in the order first seen ---- */

typedef struct {
    const char *start;
    Py_ssize_t len;
    Py_ssize_t count;
    uint64_t hash;
} Run;

typedef struct {
    Run *runs;
    Py_ssize_t n, cap;
    Py_ssize_t *slots; /* index + 1 into runs; 0: empty */
    Py_ssize_t nslots; /* a power of two */
} Runs;

static int runs_init(Runs *r) {
    r->n = 0;
    r->cap = 256;
    r->nslots = 1024;
    r->runs = PyMem_Malloc(sizeof(Run) * r->cap);
    r->slots = PyMem_Calloc(r->nslots, sizeof(Py_ssize_t));
    if (r->runs == NULL || r->slots == NULL) {
        PyMem_Free(r->runs);
        PyMem_Free(r->slots);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void runs_free(Runs *r) {
    PyMem_Free(r->runs);
    PyMem_Free(r->slots);
}

static int runs_grow(Runs *r) {
    Py_ssize_t nslots = r->nslots * 2, i;
    Py_ssize_t *slots = PyMem_Calloc(nslots, sizeof(Py_ssize_t));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < r->n; i++) {
        Py_ssize_t s = (Py_ssize_t)(r->runs[i].hash & (uint64_t)(nslots - 1));
        while (slots[s]) s = (s + 1) & (nslots - 1);
        slots[s] = i + 1;
    }
    PyMem_Free(r->slots);
    r->slots = slots;
    r->nslots = nslots;
    return 0;
}

/* Python's own keyed hash of bytes (SipHash, seeded per process as str and bytes hashes
   are): a file built to make runs collide cannot make the table quadratic. */
#if PY_VERSION_HEX >= 0x030D0000 && PY_VERSION_HEX < 0x030E0000
/* (3.13 exports it but declares it in an internal header; 3.14 names it Py_HashBuffer) */
PyAPI_FUNC(Py_hash_t) _Py_HashBytes(const void *, Py_ssize_t);
#endif

static uint64_t bytes_hash(const char *start, Py_ssize_t len) {
#if PY_VERSION_HEX >= 0x030E0000
    return (uint64_t)Py_HashBuffer(start, len);
#else
    return (uint64_t)_Py_HashBytes(start, len);
#endif
}

static int runs_add(Runs *r, const char *start, Py_ssize_t len) {
    uint64_t h = bytes_hash(start, len);
    Py_ssize_t s;
    s = (Py_ssize_t)(h & (uint64_t)(r->nslots - 1));
    while (r->slots[s]) {
        Run *run = &r->runs[r->slots[s] - 1];
        if (run->hash == h && run->len == len && memcmp(run->start, start, len) == 0) {
            run->count++;
            return 0;
        }
        s = (s + 1) & (r->nslots - 1);
    }
    if (r->n == r->cap) {
        Run *grown = PyMem_Realloc(r->runs, sizeof(Run) * r->cap * 2);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        r->runs = grown;
        r->cap *= 2;
    }
    r->runs[r->n] = (Run){start, len, 1, h};
    r->slots[s] = ++r->n;
    if (r->n * 2 > r->nslots) return runs_grow(r);
    return 0;
}

/* Each run of identifier bytes in [from, to). */
static int cut_runs(Runs *r, const char *from, const char *to) {
    const unsigned char *p = (const unsigned char *)from, *end = (const unsigned char *)to;
    while (p < end) {
        const unsigned char *q;
        while (p < end && !WORD[*p]) p++;
        q = p;
        while (q < end && WORD[*q]) q++;
        if (q > p && runs_add(r, (const char *)p, q - p) < 0) return -1;
        p = q;
    }
    return 0;
}

/* ---- the prose passes (lexicon._PY_PROSE and _C_PROSE), match by match ---- */

/* The end of a one-line literal opened at p (the quote): `q[^q\\\n]*(?:\\.[^q\\\n]*)*q?`. */
static const char *line_literal_end(const char *p, const char *end, char quote) {
    p++;
    while (p < end) {
        char c = *p;
        if (c == quote) return p + 1;
        if (c == '\n') return p;
        if (c == '\\') {
            if (p + 1 < end && p[1] != '\n') {
                p += 2;
                continue;
            }
            return p;
        }
        p++;
    }
    return end;
}

/* The end of a match that closes with `close` (2 or 3 bytes) searched from `from`, or the
   text's end when it never closes. */
static const char *closed_end(const char *from, const char *end, const char *close,
                              Py_ssize_t n) {
    const char *p = from;
    while (end - p >= n) {
        const char *hit = memchr(p, close[0], (end - p) - (n - 1));
        if (hit == NULL) break;
        if (memcmp(hit, close, n) == 0) return hit + n;
        p = hit + 1;
    }
    return end;
}

static int scan_python(Runs *r, const char *p, const char *end) {
    while (p < end) {
        const char *m = p, *e;
        while (m < end && *m != '#' && *m != '\'' && *m != '"') m++;
        if (m == end) break;
        if (*m == '#') {
            e = memchr(m, '\n', end - m);
            if (e == NULL) e = end;
        } else if (end - m >= 3 && m[1] == *m && m[2] == *m) {
            e = closed_end(m + 3, end, *m == '\'' ? "'''" : "\"\"\"", 3);
        } else {
            e = line_literal_end(m, end, *m);
        }
        if (cut_runs(r, m, e) < 0) return -1;
        p = e;
    }
    return 0;
}

static int scan_c(Runs *r, const char *p, const char *end) {
    while (p < end) {
        const char *m = p, *e;
        for (; m < end; m++) {
            if (*m == '"') break;
            if (*m == '/' && m + 1 < end && (m[1] == '/' || m[1] == '*')) break;
        }
        if (m == end) break;
        if (*m == '"') {
            e = line_literal_end(m, end, '"');
        } else if (m[1] == '/') {
            e = memchr(m, '\n', end - m);
            if (e == NULL) e = end;
        } else {
            e = closed_end(m + 2, end, "*/", 2);
        }
        if (cut_runs(r, m, e) < 0) return -1;
        p = e;
    }
    return 0;
}

/* ---- adding up words ---- */

/* ---- splitting a token (lexicon.split_identifier, for tokens of identifier bytes) ---- */

#define MAX_PARTS 64

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* lexicon.stem of a lower-case ASCII word of n bytes: the length it keeps, and whether a
   final "y" replaces the last three bytes ("ies"). */
static Py_ssize_t stem_len(const char *w, Py_ssize_t n, int *y) {
    *y = 0;
    if (n && w[n - 1] == 's') {
        if (n > 5 && memcmp(w + n - 3, "ies", 3) == 0) {
            *y = 1;
            return n - 3;
        }
        if (n > 4 && (memcmp(w + n - 4, "ches", 4) == 0 || memcmp(w + n - 4, "shes", 4) == 0 ||
                      (w[n - 2] == 'e' && (w[n - 3] == 's' || w[n - 3] == 'x' || w[n - 3] == 'z'))))
            return n - 2;
        if (n > 3 && !(w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i')) return n - 1;
    } else if (n > 5 && w[n - 1] == 'g' && memcmp(w + n - 3, "ing", 3) == 0) {
        Py_ssize_t base = n - 3;
        return base > 2 && w[base - 1] == w[base - 2] ? base - 1 : base;
    }
    return n;
}

/* A word's str, or NULL (an error set) */
static PyObject *str_of(const char *w, Py_ssize_t n) { return PyUnicode_DecodeASCII(w, n, NULL); }

/* lexicon._one_word of a lower-case ASCII word: appends its term (if any) to `out`. */
static int one_word(const char *w, Py_ssize_t n, PyObject *stop, PyObject *out) {
    PyObject *word = str_of(w, n), *term;
    int in, y, rc;
    Py_ssize_t kept;
    if (word == NULL) return -1;
    in = PySet_Contains(stop, word);
    if (in != 0) {
        Py_DECREF(word);
        return in < 0 ? -1 : 0;
    }
    kept = stem_len(w, n, &y);
    if (kept == n) {
        term = word;
    } else {
        char buf[IDENTIFIER_MAX + 1];
        Py_DECREF(word);
        memcpy(buf, w, kept);
        if (y) buf[kept++] = 'y';
        term = str_of(buf, kept);
        if (term == NULL) return -1;
        in = PySet_Contains(stop, term);
        if (in != 0) {
            Py_DECREF(term);
            return in < 0 ? -1 : 0;
        }
    }
    rc = PyList_Append(out, term);
    Py_DECREF(term);
    return rc;
}

typedef struct {
    Py_ssize_t at, len;
} Part;

/* Whether s[1:] holds a capital (`name[1:].islower()` is then false). */
static int upper_after(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 1; i < n; i++)
        if (is_upper(s[i])) return 1;
    return 0;
}

/* lexicon.IDENTIFIER_PARTS.findall(name): `[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+`,
   digit parts left out when `no_digits`. Returns the number of parts (at most MAX_PARTS;
   -1 when there are more). */
static Py_ssize_t identifier_parts(const char *s, Py_ssize_t n, int no_digits, Part *parts) {
    Py_ssize_t i = 0, np = 0;
    while (i < n) {
        Py_ssize_t j = i;
        if (is_upper(s[i])) {
            while (j < n && is_upper(s[j])) j++;
            if (j - i >= 2 && j < n && is_lower(s[j])) {
                j--; /* the capitals before a capitalised word */
            } else if (j - i == 1 && j < n && is_lower(s[j])) {
                while (j < n && is_lower(s[j])) j++;
            }
        } else if (is_lower(s[i])) {
            while (j < n && is_lower(s[j])) j++;
        } else if (is_digit(s[i])) {
            while (j < n && is_digit(s[j])) j++;
            if (no_digits) {
                i = j;
                continue;
            }
        } else {
            i++;
            continue;
        }
        if (np == MAX_PARTS) return -1;
        parts[np++] = (Part){i, j - i};
        i = j;
    }
    return np;
}

/* `words` (a new reference) when it is a tuple, as a memo's values are; else NULL with a
   TypeError, the reference dropped. */
static PyObject *checked_words(PyObject *words) {
    if (PyTuple_Check(words)) return words;
    Py_DECREF(words);
    PyErr_SetString(PyExc_TypeError, "a token's words must be a tuple");
    return NULL;
}

/* lexicon.split_identifier(name) of a token of n identifier bytes, the parts' words kept
   in (and taken from) the memo as there; NULL with no error set when the token is out of
   this function's reach (the caller then calls Python's). */
static PyObject *split_token(const char *s, Py_ssize_t n, PyObject *splits, PyObject *stop) {
    Part parts[MAX_PARTS];
    char low[IDENTIFIER_MAX + 1];
    Py_ssize_t i, np = 0, core = 0, upper = 0, lower = 0, digits = 0;
    PyObject *out, *result;
    if (n > IDENTIFIER_MAX) return NULL;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '_') continue;
        core++;
        upper += is_upper(c);
        lower += is_lower(c);
        digits += is_digit(c);
    }
    for (i = 0; i < n; i++) low[i] = is_upper(s[i]) ? (char)(s[i] + 32) : s[i];
    out = PyList_New(0);
    if (out == NULL) return NULL;
    if (core && !digits) { /* letters (and underscores) only */
        if (!upper || !lower) {
            if (!upper && core == n) { /* one lower-case word */
                if (one_word(low, n, stop, out) < 0) goto fail;
                goto done;
            }
            for (i = 0; i < n;) { /* snake_case or UPPER_CASE: the parts between underscores */
                Py_ssize_t j;
                while (i < n && s[i] == '_') i++;
                for (j = i; j < n && s[j] != '_'; j++);
                if (j > i) {
                    if (np == MAX_PARTS) goto fail;
                    parts[np++] = (Part){i, j - i};
                }
                i = j;
            }
        } else if (core == n && is_upper(s[0]) && !upper_after(s, n)) {
            if (one_word(low, n, stop, out) < 0) goto fail; /* Capitalised: one word */
            goto done;
        } else {
            np = identifier_parts(s, n, 0, parts);
        }
    } else {
        np = identifier_parts(s, n, 1, parts);
    }
    if (np < 0) goto fail;
    if (np < 2) {
        if (np == 1 && one_word(low + parts[0].at, parts[0].len, stop, out) < 0) goto fail;
        goto done;
    }
    for (i = 0; i < np; i++) { /* each part's words, as a one-word token's (memoised) */
        PyObject *part, *words;
        if (parts[i].len < 2) continue;
        part = str_of(low + parts[i].at, parts[i].len);
        if (part == NULL) goto fail;
        words = PyDict_GetItemWithError(splits, part);
        if (words != NULL) {
            Py_INCREF(words);
        } else if (PyErr_Occurred()) {
            Py_DECREF(part);
            goto fail;
        } else {
            PyObject *list = PyList_New(0);
            if (list == NULL || one_word(low + parts[i].at, parts[i].len, stop, list) < 0) {
                Py_XDECREF(list);
                Py_DECREF(part);
                goto fail;
            }
            words = PyList_AsTuple(list);
            Py_DECREF(list);
            if (words == NULL || PyDict_SetItem(splits, part, words) < 0) {
                Py_XDECREF(words);
                Py_DECREF(part);
                goto fail;
            }
        }
        Py_DECREF(part);
        if (checked_words(words) == NULL) goto fail;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
            if (PyList_Append(out, PyTuple_GET_ITEM(words, k)) < 0) {
                Py_DECREF(words);
                goto fail;
            }
        }
        Py_DECREF(words);
    }
    { /* the compound: the name without underscores, lower-cased */
        char compound[IDENTIFIER_MAX + 1];
        Py_ssize_t m = 0, numeric = 1;
        for (i = 0; i < n; i++) {
            if (s[i] != '_') {
                compound[m++] = low[i];
                numeric &= is_digit(low[i]);
            }
        }
        if (m > 2 && !numeric) {
            PyObject *word = str_of(compound, m);
            int in;
            if (word == NULL) goto fail;
            in = PySet_Contains(stop, word);
            if (in < 0 || (in == 0 && PyList_Append(out, word) < 0)) {
                Py_DECREF(word);
                goto fail;
            }
            Py_DECREF(word);
        }
    }
done:
    result = PyList_AsTuple(out);
    Py_DECREF(out);
    return result;
fail: /* (with an error set; without one when the token is out of reach: see above) */
    Py_DECREF(out);
    return NULL;
}

/* The words of `token` (a str of identifier bytes): the memo's, or split here (and kept in
   the memo), or Python's `split(token, splits)` (which keeps them) for a token out of
   split_token's reach. */
static PyObject *words_of(PyObject *token, PyObject *splits, PyObject *split, PyObject *stop) {
    PyObject *words = PyDict_GetItemWithError(splits, token);
    if (words != NULL) {
        Py_INCREF(words);
    } else {
        if (PyErr_Occurred()) return NULL;
        words = NULL;
        if (PyUnicode_IS_ASCII(token)) {
            words = split_token(PyUnicode_DATA(token), PyUnicode_GET_LENGTH(token), splits, stop);
            if (words == NULL && PyErr_Occurred()) return NULL;
            if (words != NULL && PyDict_SetItem(splits, token, words) < 0) {
                Py_DECREF(words);
                return NULL;
            }
        }
        if (words == NULL) words = PyObject_CallFunctionObjArgs(split, token, splits, NULL);
        if (words == NULL) return NULL;
    }
    return checked_words(words);
}

static int add_words(PyObject *added, PyObject *words, Py_ssize_t n) {
    Py_ssize_t i, size = PyTuple_GET_SIZE(words);
    for (i = 0; i < size; i++) {
        PyObject *word = PyTuple_GET_ITEM(words, i), *total;
        PyObject *old = PyDict_GetItemWithError(added, word);
        long long sum = n;
        int rc;
        if (old != NULL) {
            long long was = PyLong_AsLongLong(old);
            if (was == -1 && PyErr_Occurred()) return -1;
            if ((n > 0 && was > LLONG_MAX - n) || (n < 0 && was < LLONG_MIN - n)) {
                PyErr_SetString(PyExc_OverflowError, "a term count beyond 64 bits");
                return -1;
            }
            sum += was;
        } else if (PyErr_Occurred()) {
            return -1;
        }
        total = PyLong_FromLongLong(sum);
        if (total == NULL) return -1;
        rc = PyDict_SetItem(added, word, total);
        Py_DECREF(total);
        if (rc < 0) return -1;
    }
    return 0;
}

static int add_token(PyObject *added, PyObject *token, Py_ssize_t n, PyObject *splits,
                     PyObject *split, PyObject *stop) {
    PyObject *words = words_of(token, splits, split, stop);
    int rc;
    if (words == NULL) return -1;
    rc = add_words(added, words, n);
    Py_DECREF(words);
    return rc;
}

/* A run that is not one IDENTIFIER match (it starts with a digit, or is longer than a
   match): the words of the matches in it, added up in order. */
static int add_odd_run(PyObject *added, const Run *run, PyObject *splits, PyObject *split,
                       PyObject *stop) {
    const char *p = run->start, *end = run->start + run->len;
    while (p < end) {
        Py_ssize_t len;
        PyObject *token;
        int rc;
        if (*p >= '0' && *p <= '9') {
            p++;
            continue;
        }
        len = end - p < IDENTIFIER_MAX ? end - p : IDENTIFIER_MAX;
        token = PyUnicode_DecodeASCII(p, len, NULL);
        if (token == NULL) return -1;
        rc = add_token(added, token, run->count, splits, split, stop);
        Py_DECREF(token);
        if (rc < 0) return -1;
        p += len;
    }
    return 0;
}

static int check_memo(PyObject *splits, PyObject *split, PyObject *stop) {
    if (!PyFrozenSet_CheckExact(stop)) {
        PyErr_SetString(PyExc_TypeError, "stopwords must be a frozenset");
        return -1;
    }
    if (!PyDict_CheckExact(splits)) {
        PyErr_SetString(PyExc_TypeError, "splits must be a dict");
        return -1;
    }
    if (!PyCallable_Check(split)) {
        PyErr_SetString(PyExc_TypeError, "split must be callable");
        return -1;
    }
    return 0;
}

static PyObject *prose_counts(PyObject *self, PyObject *args) {
    Py_buffer head;
    int python;
    PyObject *splits, *split, *stop, *added = NULL;
    Runs r;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "y*pOOO:prose_counts", &head, &python, &splits, &split, &stop))
        return NULL;
    if (check_memo(splits, split, stop) < 0 || runs_init(&r) < 0) {
        PyBuffer_Release(&head);
        return NULL;
    }
    {
        const char *p = head.buf, *end = (const char *)head.buf + head.len;
        if ((python ? scan_python(&r, p, end) : scan_c(&r, p, end)) < 0) goto done;
    }
    added = PyDict_New();
    if (added == NULL) goto done;
    for (i = 0; i < r.n; i++) {
        const Run *run = &r.runs[i];
        int rc;
        if ((run->start[0] >= '0' && run->start[0] <= '9') || run->len > IDENTIFIER_MAX) {
            rc = add_odd_run(added, run, splits, split, stop);
        } else {
            PyObject *token = PyUnicode_DecodeASCII(run->start, run->len, NULL);
            if (token == NULL) {
                Py_CLEAR(added);
                goto done;
            }
            rc = add_token(added, token, run->count, splits, split, stop);
            Py_DECREF(token);
        }
        if (rc < 0) {
            Py_CLEAR(added);
            goto done;
        }
    }
done:
    runs_free(&r);
    PyBuffer_Release(&head);
    return added;
}

static PyObject *add_up(PyObject *self, PyObject *args) {
    PyObject *tokens, *splits, *split, *stop, *added, *token, *count;
    Py_ssize_t pos = 0;
    if (!PyArg_ParseTuple(args, "O!OOO:add_up", &PyDict_Type, &tokens, &splits, &split, &stop))
        return NULL;
    if (check_memo(splits, split, stop) < 0) return NULL;
    added = PyDict_New();
    if (added == NULL) return NULL;
    while (PyDict_Next(tokens, &pos, &token, &count)) {
        Py_ssize_t n;
        if (!PyUnicode_Check(token) || !PyLong_Check(count)) {
            PyErr_SetString(PyExc_TypeError, "tokens must be str and their counts int");
            Py_DECREF(added);
            return NULL;
        }
        n = PyLong_AsSsize_t(count);
        if ((n == -1 && PyErr_Occurred()) || add_token(added, token, n, splits, split, stop) < 0) {
            Py_DECREF(added);
            return NULL;
        }
    }
    return added;
}

/* ---- the most frequent terms, packed ---- */

typedef struct {
    PyObject *term;
    long long count;
    Py_ssize_t order;
} Item;

static int by_count(const void *a, const void *b) {
    const Item *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static int by_term(const void *a, const void *b) {
    PyObject *x = ((const Item *)a)->term, *y = ((const Item *)b)->term;
    if (PyUnicode_IS_ASCII(x) && PyUnicode_IS_ASCII(y)) {
        Py_ssize_t nx = PyUnicode_GET_LENGTH(x), ny = PyUnicode_GET_LENGTH(y);
        int c = memcmp(PyUnicode_DATA(x), PyUnicode_DATA(y), nx < ny ? nx : ny);
        if (c) return c;
        return nx < ny ? -1 : (nx > ny);
    }
    return PyUnicode_Compare(x, y);
}

static PyObject *top(PyObject *self, PyObject *args) {
    PyObject *counts, *term, *count, *list = NULL, *joined = NULL, *packed = NULL, *out = NULL;
    Py_ssize_t limit, n, kept, i, pos = 0;
    Item *items;
    char *bytes;
    if (!PyArg_ParseTuple(args, "O!n:top", &PyDict_Type, &counts, &limit)) return NULL;
    n = PyDict_Size(counts);
    items = PyMem_Malloc(sizeof(Item) * (n ? n : 1));
    if (items == NULL) return PyErr_NoMemory();
    /* (str keys and int values: no Python code runs, so the dict cannot change meanwhile) */
    for (i = 0; i < n && PyDict_Next(counts, &pos, &term, &count); i++) {
        if (!PyUnicode_Check(term) || !PyLong_Check(count)) {
            PyErr_SetString(PyExc_TypeError, "terms must be str and their counts int");
            goto done;
        }
        items[i].term = term;
        items[i].count = PyLong_AsLongLong(count);
        items[i].order = i;
        if (items[i].count == -1 && PyErr_Occurred()) goto done;
        if (items[i].count < 0) {
            PyErr_SetString(PyExc_ValueError, "term counts must not be negative");
            goto done;
        }
    }
    kept = n;
    if (n > limit) { /* the first `limit` by count, as a slice [:limit] keeps them */
        qsort(items, n, sizeof(Item), by_count);
        kept = limit >= 0 ? limit : (n + limit > 0 ? n + limit : 0);
    }
    qsort(items, kept, sizeof(Item), by_term);
    list = PyList_New(kept);
    packed = PyBytes_FromStringAndSize(NULL, kept);
    if (list == NULL || packed == NULL) goto done;
    bytes = PyBytes_AS_STRING(packed);
    for (i = 0; i < kept; i++) {
        Py_INCREF(items[i].term);
        PyList_SET_ITEM(list, i, items[i].term);
        bytes[i] = (char)(items[i].count < 5 ? items[i].count : 5);
    }
    {
        PyObject *space = PyUnicode_FromString(" ");
        if (space == NULL) goto done;
        joined = PyUnicode_Join(space, list);
        Py_DECREF(space);
    }
    if (joined != NULL) out = PyTuple_Pack(2, joined, packed);
done:
    PyMem_Free(items);
    Py_XDECREF(list);
    Py_XDECREF(joined);
    Py_XDECREF(packed);
    return out;
}

/* ---- the defined-name passes (lexicon._PY_NAMES and _C_DEF), over the decoded text ----

   Each pass finds, like the pattern's findall, the matches that start at a "\n", one after
   another (a match ends where the next search starts). Every quantifier of the patterns
   is decided by the next character (see lexicon: possessive, or followed by a character the
   repeated class cannot hold), so each match is found by one walk, without backtracking
   but for the `{1,4}` words before a C function's name, tried from the most down. `\w` is
   Unicode's (as `re` reads a str): ASCII letters, digits and `_`, or what
   Py_UNICODE_ISALNUM says of a non-ASCII character. */

typedef struct {
    const void *data;
    int kind;
    Py_ssize_t n;
} Text;

#define CH(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static int is_w(Py_UCS4 c) { return c < 128 ? WORD[c] : Py_UNICODE_ISALNUM(c); }
static int is_start(Py_UCS4 c) { return c < 128 && WORD[c] && !(c >= '0' && c <= '9'); }
static int is_blank(Py_UCS4 c) { return c == ' ' || c == '\t'; }

/* Whether `word` (ASCII) is written at i. */
static int written(const Text *t, Py_ssize_t i, const char *word) {
    for (; *word; word++, i++)
        if (i >= t->n || CH(t, i) != (Py_UCS4)(unsigned char)*word) return 0;
    return 1;
}

static Py_ssize_t skip_blanks(const Text *t, Py_ssize_t i) {
    while (i < t->n && is_blank(CH(t, i))) i++;
    return i;
}

/* The end of a run of \w from i, at most `most` characters long. */
static Py_ssize_t word_run(const Text *t, Py_ssize_t i, Py_ssize_t most) {
    Py_ssize_t start = i;
    while (i < t->n && i - start < most && is_w(CH(t, i))) i++;
    return i;
}

static int add_name(PyObject *list, PyObject *text, Py_ssize_t from, Py_ssize_t to) {
    PyObject *name = PyUnicode_Substring(text, from, to);
    int rc;
    if (name == NULL) return -1;
    rc = PyList_Append(list, name);
    Py_DECREF(name);
    return rc;
}

/* _PY_NAMES at the "\n" at nl: 1 (a def/class name, or an assignment's), 0, or -1. */
static int py_match(const Text *t, Py_ssize_t nl, Py_ssize_t *from, Py_ssize_t *to,
                    int *is_def, Py_ssize_t *end) {
    Py_ssize_t p = nl + 1, j = skip_blanks(t, p), after = -1, k;
    if (written(t, j, "def")) {
        after = j + 3;
    } else if (written(t, j, "class")) {
        after = j + 5;
    } else if (written(t, j, "async")) {
        k = skip_blanks(t, j + 5);
        if (k > j + 5) after = written(t, k, "def") ? k + 3 : written(t, k, "class") ? k + 5 : -1;
    }
    if (after >= 0) {
        k = skip_blanks(t, after);
        if (k > after && k < t->n && is_start(CH(t, k))) {
            *from = k;
            *to = *end = word_run(t, k + 1, PY_SSIZE_T_MAX);
            *is_def = 1;
            return 1;
        }
    }
    if (p < t->n && is_start(CH(t, p))) { /* name [ \t]* (: annotation)? = (not ==) */
        Py_ssize_t r = word_run(t, p + 1, PY_SSIZE_T_MAX), u = skip_blanks(t, r);
        if (u < t->n && CH(t, u) == ':') {
            u++;
            while (u < t->n && CH(t, u) != '=' && CH(t, u) != '\n') u++;
        }
        if (u + 1 < t->n && CH(t, u) == '=' && CH(t, u + 1) != '=') {
            *from = p;
            *to = r;
            *is_def = 0;
            *end = u + 1;
            return 1;
        }
    }
    return 0;
}

static int is_c_word(Py_UCS4 c) { return is_w(c) || c == ':' || c == '<' || c == '>'; }
static int is_c_sep(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '*' || c == '&'; }

/* _C_DEF at the "\n" at nl. */
static int c_match(const Text *t, Py_ssize_t nl, Py_ssize_t *from, Py_ssize_t *to,
                   Py_ssize_t *end) {
    Py_ssize_t p = nl + 1, j = skip_blanks(t, p), at[5], k = 0, kk, q, r, u, after = -1;
    at[0] = j;
    while (k < 4) { /* (?:[\w:<>]{1,80}+[ \t*&]{1,8}+): each one decided */
        q = at[k];
        r = q;
        while (r < t->n && r - q < 80 && is_c_word(CH(t, r))) r++;
        if (r == q) break;
        u = r;
        while (u < t->n && u - r < 8 && is_c_sep(CH(t, u))) u++;
        if (u == r) break;
        at[++k] = u;
    }
    for (kk = k; kk >= 1; kk--) { /* the most words first, as the greedy {1,4} */
        q = at[kk];
        if (q < t->n && is_start(CH(t, q))) {
            r = word_run(t, q + 1, 80);
            u = skip_blanks(t, r);
            if (u < t->n && CH(t, u) == '(') {
                *from = q;
                *to = r;
                *end = u + 1;
                return 1;
            }
        }
    }
    if (written(t, j, "class")) {
        after = j + 5;
    } else if (written(t, j, "struct")) {
        after = j + 6;
    } else if (written(t, j, "enum")) {
        after = j + 4;
    } else if (written(t, j, "namespace")) {
        after = j + 9;
    } else if (j < t->n && CH(t, j) == '#') {
        k = skip_blanks(t, j + 1);
        if (written(t, k, "define")) after = k + 6;
    }
    if (after >= 0) {
        k = skip_blanks(t, after);
        if (k > after && k < t->n && is_start(CH(t, k))) {
            *from = k;
            *to = *end = word_run(t, k + 1, 80);
            return 1;
        }
    }
    /* An unindented upper-case macro call's first identifier. */
    if (p < t->n && CH(t, p) >= 'A' && CH(t, p) <= 'Z') {
        Py_UCS4 c;
        r = p + 1;
        while (r < t->n && ((c = CH(t, r)) == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            r++;
        if (r - p - 1 >= 2 && r - p - 1 <= 80 && r < t->n && CH(t, r) == '(') {
            u = r + 1;
            while (u < t->n && ((c = CH(t, u)) == ' ' || c == '\t' || c == '\r' || c == '\n')) u++;
            if (u - r - 1 <= 80 && u < t->n && is_start(CH(t, u))) {
                q = word_run(t, u + 1, PY_SSIZE_T_MAX);
                if (q - u - 1 <= 80) {
                    Py_ssize_t w = skip_blanks(t, q);
                    if (w < t->n && (CH(t, w) == ',' || CH(t, w) == ')')) {
                        *from = u;
                        *to = q;
                        *end = w + 1;
                        return 1;
                    }
                }
            }
        }
    }
    return 0;
}

/* names(text, python): the defined names the pattern's findall finds in `text` (which
   starts with the "\n" the passes put first): Python's (def/class names, assignments'
   names) as two lists, or C's as one. */
static PyObject *names(PyObject *self, PyObject *args) {
    PyObject *text, *first = NULL, *second = NULL, *out = NULL;
    int python;
    Text t;
    Py_ssize_t i = 0;
    if (!PyArg_ParseTuple(args, "Up:names", &text, &python)) return NULL;
    t.data = PyUnicode_DATA(text);
    t.kind = PyUnicode_KIND(text);
    t.n = PyUnicode_GET_LENGTH(text);
    first = PyList_New(0);
    second = python ? PyList_New(0) : NULL;
    if (first == NULL || (python && second == NULL)) goto done;
    while (i < t.n) {
        Py_ssize_t nl = PyUnicode_FindChar(text, '\n', i, t.n, 1), from, to, end;
        int is_def = 1, found;
        if (nl == -2) goto done;
        if (nl < 0) break;
        found = python ? py_match(&t, nl, &from, &to, &is_def, &end) : c_match(&t, nl, &from, &to, &end);
        if (!found) {
            i = nl + 1;
            continue;
        }
        if (add_name(is_def ? first : second, text, from, to) < 0) goto done;
        i = end;
    }
    out = python ? PyTuple_Pack(2, first, second) : (Py_INCREF(first), first);
done:
    Py_XDECREF(first);
    Py_XDECREF(second);
    return out;
}

/* 0 when a buffer of ints or doubles is whole items at their alignment (arrays' always
   are; an empty one is read nowhere); else -1 with a ValueError (a slice of bytes at an
   odd offset is read no further). */
static int whole_items(const Py_buffer *buf, size_t item, const char *what) {
    if (buf->len % (Py_ssize_t)item == 0 && (buf->len == 0 || (uintptr_t)buf->buf % item == 0))
        return 0;
    PyErr_Format(PyExc_ValueError, "%s: not whole, aligned items", what);
    return -1;
}

/* ---- BM25 postings, laid out by term (lexicon.BM25Index.build) ---- */

/* Runs laid end to end from 0 (`starts`: n + 1 of them), checked before any posting is
   written; -1 with a ValueError naming `who` when they do not. */
static int starts_rise(const int *starts, Py_ssize_t n, const char *who) {
    Py_ssize_t p;
    for (p = 0; p < n; p++)
        if (starts[p] < 0 || starts[p + 1] < starts[p]) break;
    if (p < n || starts[0] != 0) {
        PyErr_Format(PyExc_ValueError, "%s: the terms' starts must rise from 0", who);
        return -1;
    }
    return 0;
}

/* Every run filled: each cursor reached the next run's start (-1 with a ValueError). */
static int runs_filled(const Py_ssize_t *cursor, const int *starts, Py_ssize_t n) {
    for (Py_ssize_t p = 0; p < n; p++) {
        if (cursor[p] != starts[p + 1]) {
            PyErr_SetString(PyExc_ValueError, "postings do not fill the terms' starts");
            return -1;
        }
    }
    return 0;
}

static int put_posting(PyObject *position, PyObject *term, PyObject *tf, int doc, double norm,
                       double k1, const int *starts, Py_ssize_t n_terms, Py_ssize_t *cursor,
                       int *ids, double *weights) {
    PyObject *at = PyDict_GetItemWithError(position, term);
    Py_ssize_t p, slot;
    double t;
    if (at == NULL) {
        if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, term);
        return -1;
    }
    p = PyLong_AsSsize_t(at);
    if (p == -1 && PyErr_Occurred()) return -1;
    if (p < 0 || p >= n_terms || cursor[p] >= starts[p + 1]) {
        PyErr_SetString(PyExc_ValueError, "postings do not fit the terms' starts");
        return -1;
    }
    t = PyFloat_AsDouble(tf);
    if (t == -1.0 && PyErr_Occurred()) return -1;
    slot = cursor[p]++;
    ids[slot] = doc;
    weights[slot] = t * k1 / (t + norm);
    return 0;
}

static PyObject *postings(PyObject *self, PyObject *args) {
    PyObject *docs, *position, *path_only, *extra, *norms, *ids = NULL, *weights = NULL;
    PyObject *out = NULL;
    Py_buffer starts_buf;
    double k1;
    const int *starts;
    Py_ssize_t n_terms, total, d, p, *cursor = NULL;
    if (!PyArg_ParseTuple(args, "O!O!OO!O!dy*:postings", &PyList_Type, &docs, &PyDict_Type,
                          &position, &path_only, &PyList_Type, &extra, &PyList_Type, &norms, &k1,
                          &starts_buf))
        return NULL;
    if (whole_items(&starts_buf, sizeof(int), "postings") < 0) {
        PyBuffer_Release(&starts_buf);
        return NULL;
    }
    starts = starts_buf.buf;
    n_terms = starts_buf.len / (Py_ssize_t)sizeof(int) - 1;
    if (n_terms < 0 || PyList_GET_SIZE(norms) != PyList_GET_SIZE(docs) ||
        (PyList_GET_SIZE(extra) && PyList_GET_SIZE(extra) != PyList_GET_SIZE(docs)) ||
        PyList_GET_SIZE(docs) > INT_MAX || !PyAnySet_Check(path_only)) {
        PyErr_SetString(PyExc_ValueError, "postings: arguments of different lengths or kinds");
        goto done;
    }
    if (starts_rise(starts, n_terms, "postings") < 0) goto done;
    total = starts[n_terms];
    cursor = PyMem_Malloc(sizeof(Py_ssize_t) * (n_terms ? n_terms : 1));
    ids = PyBytes_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(int));
    weights = PyBytes_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(double));
    if (cursor == NULL || ids == NULL || weights == NULL) {
        if (cursor == NULL) PyErr_NoMemory();
        goto done;
    }
    for (p = 0; p < n_terms; p++) cursor[p] = starts[p];
    for (d = 0; d < PyList_GET_SIZE(docs); d++) {
        PyObject *doc = PyList_GET_ITEM(docs, d), *term, *tf;
        Py_ssize_t pos = 0, i;
        int filtered = PyList_GET_SIZE(extra) > 0;
        double norm = PyFloat_AsDouble(PyList_GET_ITEM(norms, d));
        if ((norm == -1.0 && PyErr_Occurred()) || !PyDict_Check(doc)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "documents must be dicts");
            goto done;
        }
        while (PyDict_Next(doc, &pos, &term, &tf)) { /* the document's kept terms */
            int skip = PyDict_Contains(position, term);
            if (skip < 0) goto done;
            skip = !skip;
            if (!skip && filtered) {
                skip = PySet_Contains(path_only, term);
                if (skip < 0) goto done;
            }
            if (!skip && put_posting(position, term, tf, (int)d, norm, k1, starts, n_terms,
                                     cursor, (int *)PyBytes_AS_STRING(ids),
                                     (double *)PyBytes_AS_STRING(weights)) < 0)
                goto done;
        }
        if (filtered) { /* then its path terms that only paths keep */
            PyObject *more = PyList_GET_ITEM(extra, d);
            if (!PyList_Check(more)) {
                PyErr_SetString(PyExc_TypeError, "path terms must be lists");
                goto done;
            }
            for (i = 0; i < PyList_GET_SIZE(more); i++) {
                PyObject *word = PyList_GET_ITEM(more, i);
                tf = PyDict_GetItemWithError(doc, word);
                if (tf == NULL) {
                    if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, word);
                    goto done;
                }
                if (put_posting(position, word, tf, (int)d, norm, k1, starts, n_terms, cursor,
                                (int *)PyBytes_AS_STRING(ids),
                                (double *)PyBytes_AS_STRING(weights)) < 0)
                    goto done;
            }
        }
    }
    if (runs_filled(cursor, starts, n_terms) < 0) goto done;
    out = PyTuple_Pack(2, ids, weights);
done:
    PyMem_Free(cursor);
    Py_XDECREF(ids);
    Py_XDECREF(weights);
    PyBuffer_Release(&starts_buf);
    return out;
}

/* ---- a lexical index's documents from its units' fields, by term id
        (lexicon.BM25Index.from_fields: what `build` makes of `unit_terms` documents) ---- */

typedef struct {
    PyObject *ids;     /* term -> its id (a dict), ids in the order terms are first seen */
    PyObject *terms;   /* the terms by id (a list) */
    int *df;           /* id -> the documents holding it */
    Py_ssize_t *stamp; /* id -> the last document (+ 1) holding it */
    Py_ssize_t *where; /* id -> its entry in that document */
    Py_ssize_t cap;    /* of df, stamp and where */
    int *tids;         /* the entries: each document's terms in the order first added */
    long long *tfs;    /* and their weighted frequencies */
    Py_ssize_t n, entries_cap;
} Table;

static void table_free(Table *t) {
    Py_XDECREF(t->ids);
    Py_XDECREF(t->terms);
    PyMem_Free(t->df);
    PyMem_Free(t->stamp);
    PyMem_Free(t->where);
    PyMem_Free(t->tids);
    PyMem_Free(t->tfs);
}

static int grow(void **array, size_t item, Py_ssize_t cap) {
    void *grown = PyMem_Realloc(*array, item * (size_t)cap);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *array = grown;
    return 0;
}

/* The id of `term` (a str), a new one when first seen; -1 with an error set. */
static Py_ssize_t term_id(Table *t, PyObject *term) {
    PyObject *id, *new_id;
    Py_ssize_t n;
    if (!PyUnicode_Check(term)) {
        PyErr_SetString(PyExc_TypeError, "terms must be str");
        return -1;
    }
    id = PyDict_GetItemWithError(t->ids, term);
    if (id != NULL) return PyLong_AsSsize_t(id);
    if (PyErr_Occurred()) return -1;
    n = PyList_GET_SIZE(t->terms);
    if (n >= INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "more terms than an int counts");
        return -1;
    }
    if (n == t->cap) {
        Py_ssize_t cap = t->cap ? t->cap * 2 : 4096;
        if (grow((void **)&t->df, sizeof(int), cap) < 0 ||
            grow((void **)&t->stamp, sizeof(Py_ssize_t), cap) < 0 ||
            grow((void **)&t->where, sizeof(Py_ssize_t), cap) < 0)
            return -1;
        t->cap = cap;
    }
    new_id = PyLong_FromSsize_t(n);
    if (new_id == NULL) return -1;
    if (PyDict_SetItem(t->ids, term, new_id) < 0 || PyList_Append(t->terms, term) < 0) {
        Py_DECREF(new_id);
        return -1;
    }
    Py_DECREF(new_id);
    t->df[n] = 0;
    t->stamp[n] = 0;
    return n;
}

/* Document `doc`'s frequency of `term` set to `amount` (`set`: as a dict built from pairs
   keeps the last) or raised by it. */
static int table_add(Table *t, Py_ssize_t doc, PyObject *term, long long amount, int set) {
    Py_ssize_t id = term_id(t, term);
    if (id < 0) return -1;
    if (t->stamp[id] != doc + 1) {
        if (t->n == t->entries_cap) {
            Py_ssize_t cap = t->entries_cap ? t->entries_cap * 2 : 65536;
            if (grow((void **)&t->tids, sizeof(int), cap) < 0 ||
                grow((void **)&t->tfs, sizeof(long long), cap) < 0)
                return -1;
            t->entries_cap = cap;
        }
        t->stamp[id] = doc + 1;
        t->where[id] = t->n;
        t->tids[t->n] = (int)id;
        t->tfs[t->n++] = amount;
        t->df[id]++;
    } else if (set) {
        t->tfs[t->where[id]] = amount;
    } else {
        long long *tf = &t->tfs[t->where[id]];
        if ((amount > 0 && *tf > LLONG_MAX - amount) || (amount < 0 && *tf < LLONG_MIN - amount)) {
            PyErr_SetString(PyExc_OverflowError, "a term frequency beyond 64 bits");
            return -1;
        }
        *tf += amount;
    }
    return 0;
}

/* One field: its terms (a list of str) with their counts (bytes), each count times
   `weight`. */
static int add_field(Table *t, Py_ssize_t doc, PyObject *terms, PyObject *counts,
                     long long weight, int set) {
    Py_ssize_t i, n;
    if (!PyList_Check(terms) || !PyBytes_Check(counts)) {
        PyErr_SetString(PyExc_TypeError, "a field is a list of terms and bytes of counts");
        return -1;
    }
    n = PyList_GET_SIZE(terms);
    if (n != PyBytes_GET_SIZE(counts)) {
        PyErr_SetString(PyExc_ValueError, "a field's terms and counts differ in number");
        return -1;
    }
    for (i = 0; i < n && i < PyList_GET_SIZE(terms); i++) {
        PyObject *term = PyList_GET_ITEM(terms, i);
        int rc;
        Py_INCREF(term); /* (held: a term's __eq__ may run Python code) */
        rc = table_add(t, doc, term, weight * (unsigned char)PyBytes_AS_STRING(counts)[i], set);
        Py_DECREF(term);
        if (rc < 0) return -1;
    }
    return 0;
}

static PyObject *bytes_of(const void *data, Py_ssize_t n, size_t item) {
    return PyBytes_FromStringAndSize(n ? data : NULL, n * (Py_ssize_t)item);
}

static PyObject *term_table(PyObject *self, PyObject *args) {
    PyObject *docs, *lengths = NULL, *out = NULL;
    long long prose_weight, def_weight, path_weight;
    long long *offsets = NULL;
    Table t = {0};
    Py_ssize_t d, n_docs;
    if (!PyArg_ParseTuple(args, "O!LLL:term_table", &PyList_Type, &docs, &prose_weight,
                          &def_weight, &path_weight))
        return NULL;
    if (prose_weight < 0 || def_weight < 0 || path_weight < 0 || prose_weight > 1 << 20 ||
        def_weight > 1 << 20 || path_weight > 1 << 20) {
        PyErr_SetString(PyExc_ValueError, "term_table: weights from 0 to 2**20");
        return NULL;
    }
    Py_INCREF(docs); /* (held, and read by index with its length checked each time) */
    n_docs = PyList_GET_SIZE(docs);
    t.ids = PyDict_New();
    t.terms = PyList_New(0);
    lengths = PyList_New(0);
    offsets = PyMem_Malloc(sizeof(long long) * (size_t)(n_docs + 1));
    if (t.ids == NULL || t.terms == NULL || lengths == NULL || offsets == NULL) {
        if (offsets == NULL) PyErr_NoMemory();
        goto done;
    }
    for (d = 0; d < n_docs && d < PyList_GET_SIZE(docs); d++) {
        PyObject *doc = PyList_GET_ITEM(docs, d), *fields, *path, *sum;
        Py_ssize_t first = t.n, e, i;
        long long total = 0;
        int rc = 0;
        offsets[d] = first;
        Py_INCREF(doc);
        if (!PyTuple_Check(doc) || PyTuple_GET_SIZE(doc) != 2 ||
            !PyList_Check(PyTuple_GET_ITEM(doc, 1))) {
            PyErr_SetString(PyExc_TypeError, "a document is (fields or None, path words)");
            rc = -1;
        }
        fields = rc == 0 ? PyTuple_GET_ITEM(doc, 0) : NULL;
        path = rc == 0 ? PyTuple_GET_ITEM(doc, 1) : NULL;
        if (rc == 0 && fields != Py_None) { /* unit_terms: prose, then defined names */
            if (!PyTuple_Check(fields) || PyTuple_GET_SIZE(fields) != 4) {
                PyErr_SetString(PyExc_TypeError, "fields are (defs, counts, prose, counts)");
                rc = -1;
            } else {
                rc = add_field(&t, d, PyTuple_GET_ITEM(fields, 2), PyTuple_GET_ITEM(fields, 3),
                               prose_weight, 1);
                if (rc == 0)
                    rc = add_field(&t, d, PyTuple_GET_ITEM(fields, 0),
                                   PyTuple_GET_ITEM(fields, 1), def_weight, 0);
            }
        }
        for (i = 0; rc == 0 && i < PyList_GET_SIZE(path); i++) { /* then the path's words */
            PyObject *word = PyList_GET_ITEM(path, i);
            Py_INCREF(word);
            rc = table_add(&t, d, word, path_weight, 0);
            Py_DECREF(word);
        }
        Py_DECREF(doc);
        if (rc < 0) goto done;
        for (e = first; e < t.n; e++) {
            if ((t.tfs[e] > 0 && total > LLONG_MAX - t.tfs[e])) {
                PyErr_SetString(PyExc_OverflowError, "a document's length beyond 64 bits");
                goto done;
            }
            total += t.tfs[e];
        }
        sum = PyLong_FromLongLong(total);
        if (sum == NULL || PyList_Append(lengths, sum) < 0) {
            Py_XDECREF(sum);
            goto done;
        }
        Py_DECREF(sum);
    }
    n_docs = d;
    offsets[n_docs] = t.n;
    {
        PyObject *df = bytes_of(t.df, PyList_GET_SIZE(t.terms), sizeof(int));
        PyObject *offs = bytes_of(offsets, n_docs + 1, sizeof(long long));
        PyObject *tids = bytes_of(t.tids, t.n, sizeof(int));
        PyObject *tfs = bytes_of(t.tfs, t.n, sizeof(long long));
        if (df != NULL && offs != NULL && tids != NULL && tfs != NULL)
            out = PyTuple_Pack(6, t.terms, df, lengths, offs, tids, tfs);
        Py_XDECREF(df);
        Py_XDECREF(offs);
        Py_XDECREF(tids);
        Py_XDECREF(tfs);
    }
done:
    table_free(&t);
    Py_XDECREF(lengths);
    PyMem_Free(offsets);
    Py_DECREF(docs);
    return out;
}

/* The postings of a term_table's documents: each kept term's run (`order`: the kept ids in
   the index's term order, runs starting at `starts`) in document order, as `postings`
   lays out the documents `unit_terms` gives. `path_only`: a byte per id, 1 for a term that
   keeps the postings of `in_path` only (each document's list of such ids, in its path's
   order); empty when there are none. The norms and path ids are read into C arrays first:
   no Python code (a norm's `__float__`, an id's `__index__`) runs once the buffers are
   checked, so none can change what the checks saw. */
static PyObject *postings_by_id(PyObject *self, PyObject *args) {
    Py_buffer offs_buf, tids_buf, tfs_buf, order_buf, only_buf, starts_buf;
    PyObject *in_path, *norms, *ids = NULL, *weights = NULL, *out = NULL;
    Py_ssize_t n_terms, n_docs, n_kept, n_entries, d, i, *cursor = NULL, *path_at = NULL;
    Py_ssize_t n_path = 0, path_cap = 0;
    int *rank = NULL, *path_ids = NULL, filtered;
    double k1, *norm_of = NULL;
    const long long *offs, *tfs;
    const int *tids, *order, *starts;
    const unsigned char *only;
    if (!PyArg_ParseTuple(args, "ny*y*y*y*y*O!O!dy*:postings_by_id", &n_terms, &offs_buf,
                          &tids_buf, &tfs_buf, &order_buf, &only_buf, &PyList_Type, &in_path,
                          &PyList_Type, &norms, &k1, &starts_buf))
        return NULL;
    Py_INCREF(in_path);
    Py_INCREF(norms);
    n_docs = PyList_GET_SIZE(norms);
    filtered = only_buf.len > 0;
    norm_of = PyMem_Malloc(sizeof(double) * (size_t)(n_docs ? n_docs : 1));
    path_at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_docs + 1));
    if (norm_of == NULL || path_at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    path_at[0] = 0;
    for (d = 0; d < n_docs; d++) { /* every Python-level conversion, first */
        PyObject *item, *more;
        if (d >= PyList_GET_SIZE(norms)) {
            PyErr_SetString(PyExc_ValueError, "postings_by_id: the norms or path ids changed");
            goto done;
        }
        item = PyList_GET_ITEM(norms, d);
        Py_INCREF(item);
        norm_of[d] = PyFloat_AsDouble(item);
        Py_DECREF(item);
        if (norm_of[d] == -1.0 && PyErr_Occurred()) goto done;
        path_at[d + 1] = n_path;
        if (!filtered) continue;
        if (d >= PyList_GET_SIZE(in_path)) { /* (re-read: the norm's conversion ran code) */
            PyErr_SetString(PyExc_ValueError, "postings_by_id: the norms or path ids changed");
            goto done;
        }
        more = PyList_GET_ITEM(in_path, d);
        if (!PyList_Check(more)) {
            PyErr_SetString(PyExc_TypeError, "path terms must be lists");
            goto done;
        }
        Py_INCREF(more);
        for (i = 0; i < PyList_GET_SIZE(more); i++) {
            long id;
            int rc = 0;
            item = PyList_GET_ITEM(more, i);
            Py_INCREF(item);
            id = PyLong_AsLong(item);
            Py_DECREF(item);
            if (id == -1 && PyErr_Occurred()) {
                rc = -1;
            } else if (id < 0 || id >= n_terms) {
                PyErr_SetString(PyExc_ValueError, "postings_by_id: a path term's id");
                rc = -1;
            } else if (n_path == path_cap) {
                path_cap = path_cap ? path_cap * 2 : 64;
                rc = grow((void **)&path_ids, sizeof(int), path_cap);
            }
            if (rc < 0) {
                Py_DECREF(more);
                goto done;
            }
            path_ids[n_path++] = (int)id;
        }
        Py_DECREF(more);
        path_at[d + 1] = n_path;
    }
    if (whole_items(&offs_buf, sizeof(long long), "postings_by_id") < 0 ||
        whole_items(&tids_buf, sizeof(int), "postings_by_id") < 0 ||
        whole_items(&tfs_buf, sizeof(long long), "postings_by_id") < 0 ||
        whole_items(&order_buf, sizeof(int), "postings_by_id") < 0 ||
        whole_items(&starts_buf, sizeof(int), "postings_by_id") < 0)
        goto done;
    offs = offs_buf.buf;
    tids = tids_buf.buf;
    tfs = tfs_buf.buf;
    order = order_buf.buf;
    starts = starts_buf.buf;
    only = only_buf.buf;
    n_entries = tids_buf.len / (Py_ssize_t)sizeof(int);
    n_kept = order_buf.len / (Py_ssize_t)sizeof(int);
    /* (Every id term_table gives is some document's: no more ids than entries.) */
    if (n_terms < 0 || n_terms > n_entries ||
        offs_buf.len / (Py_ssize_t)sizeof(long long) != n_docs + 1 ||
        tfs_buf.len / (Py_ssize_t)sizeof(long long) != n_entries ||
        starts_buf.len / (Py_ssize_t)sizeof(int) != n_kept + 1 || n_docs > INT_MAX ||
        (filtered && (only_buf.len != n_terms || PyList_GET_SIZE(in_path) != n_docs))) {
        PyErr_SetString(PyExc_ValueError, "postings_by_id: arguments of different lengths");
        goto done;
    }
    for (d = 0; d < n_docs; d++) {
        if (offs[d] < 0 || offs[d + 1] < offs[d] || offs[d + 1] > n_entries || (d == 0 && offs[0])) {
            PyErr_SetString(PyExc_ValueError, "postings_by_id: the documents' offsets");
            goto done;
        }
    }
    if (offs[n_docs] != n_entries || (n_docs == 0 && offs[0])) {
        PyErr_SetString(PyExc_ValueError, "postings_by_id: the documents' offsets");
        goto done;
    }
    if (starts_rise(starts, n_kept, "postings_by_id") < 0) goto done;
    rank = PyMem_Malloc(sizeof(int) * (size_t)(n_terms ? n_terms : 1));
    cursor = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_kept ? n_kept : 1));
    ids = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)starts[n_kept] * (Py_ssize_t)sizeof(int));
    weights = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)starts[n_kept] * (Py_ssize_t)sizeof(double));
    if (rank == NULL || cursor == NULL || ids == NULL || weights == NULL) {
        if (rank == NULL || cursor == NULL) PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n_terms; i++) rank[i] = -1;
    for (i = 0; i < n_kept; i++) {
        if (order[i] < 0 || order[i] >= n_terms || rank[order[i]] != -1) {
            PyErr_SetString(PyExc_ValueError, "postings_by_id: the kept ids");
            goto done;
        }
        rank[order[i]] = (int)i;
        cursor[i] = starts[i];
    }
    for (d = 0; d < n_docs; d++) {
        Py_ssize_t e, k;
        /* The document's kept terms, then (filtered) its path terms that only paths keep. */
        for (k = path_at[d] - 1; k < path_at[d + 1]; k++) {
            Py_ssize_t from = offs[d], to = offs[d + 1];
            int wanted = k < path_at[d] ? -1 : path_ids[k];
            for (e = from; e < to; e++) {
                int id = tids[e], r;
                Py_ssize_t slot;
                double tf;
                if (id < 0 || id >= n_terms) {
                    PyErr_SetString(PyExc_ValueError, "postings_by_id: a term's id");
                    goto done;
                }
                if (wanted >= 0 ? id != wanted : (rank[id] < 0 || (filtered && only[id])))
                    continue;
                r = rank[id];
                if (r < 0 || cursor[r] >= starts[r + 1]) {
                    PyErr_SetString(PyExc_ValueError, "postings do not fit the terms' starts");
                    goto done;
                }
                tf = (double)tfs[e];
                slot = cursor[r]++;
                ((int *)PyBytes_AS_STRING(ids))[slot] = (int)d;
                ((double *)PyBytes_AS_STRING(weights))[slot] = tf * k1 / (tf + norm_of[d]);
                if (wanted >= 0) break;
            }
            if (wanted >= 0 && e == to) {
                PyErr_SetString(PyExc_KeyError, "a path term the document does not hold");
                goto done;
            }
        }
    }
    if (runs_filled(cursor, starts, n_kept) < 0) goto done;
    out = PyTuple_Pack(2, ids, weights);
done:
    PyMem_Free(rank);
    PyMem_Free(cursor);
    PyMem_Free(norm_of);
    PyMem_Free(path_at);
    PyMem_Free(path_ids);
    Py_XDECREF(ids);
    Py_XDECREF(weights);
    Py_DECREF(in_path);
    Py_DECREF(norms);
    PyBuffer_Release(&offs_buf);
    PyBuffer_Release(&tids_buf);
    PyBuffer_Release(&tfs_buf);
    PyBuffer_Release(&order_buf);
    PyBuffer_Release(&only_buf);
    PyBuffer_Release(&starts_buf);
    return out;
}

/* ---- BM25 search (lexicon.BM25Index.search) ---- */

typedef struct {
    double score;
    Py_ssize_t doc;
} Hit;

/* a ranks before b: a higher score, then the lower document */
static int better(const Hit *a, const Hit *b) {
    return a->score > b->score || (a->score == b->score && a->doc < b->doc);
}

static int by_rank(const void *a, const void *b) {
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

static void swap_hits(Hit *h, Py_ssize_t i, Py_ssize_t j) {
    Hit t = h[i];
    h[i] = h[j];
    h[j] = t;
}

/* a heap of the best hits kept so far, the worst of them at its root */
static void heap_up(Hit *h, Py_ssize_t i) {
    while (i > 0 && better(&h[(i - 1) / 2], &h[i])) {
        swap_hits(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(Hit *h, Py_ssize_t n, Py_ssize_t i) {
    for (;;) {
        Py_ssize_t worst = i, l = 2 * i + 1, r = 2 * i + 2;
        if (l < n && better(&h[worst], &h[l])) worst = l;
        if (r < n && better(&h[worst], &h[r])) worst = r;
        if (worst == i) return;
        swap_hits(h, i, worst);
        i = worst;
    }
}

/* 1 when `run` is a tuple (start, stop, factor); else 0 with a TypeError */
static int is_run(PyObject *run) {
    if (PyTuple_Check(run)) return 1;
    PyErr_SetString(PyExc_TypeError, "a run is a tuple (start, stop, factor)");
    return 0;
}

/* How many postings `best` and `gains` are given: ids and weights whole, aligned items
   and as many of each, and n_docs not negative; -1 with a ValueError otherwise. */
static Py_ssize_t postings_count(const Py_buffer *ids, const Py_buffer *weights,
                                 Py_ssize_t n_docs, const char *what) {
    Py_ssize_t n_post = ids->len / (Py_ssize_t)sizeof(int);
    if (whole_items(ids, sizeof(int), what) < 0 || whole_items(weights, sizeof(double), what) < 0)
        return -1;
    if (n_post != weights->len / (Py_ssize_t)sizeof(double) || n_docs < 0) {
        PyErr_Format(PyExc_ValueError, "%s: ids and weights of different lengths, or no documents",
                     what);
        return -1;
    }
    return n_post;
}

/* Run `r` of `runs` (start, stop, factor): 1 when it lies within the postings and names
   documents in range only, 0 when it is damaged (it counts for nothing: no postings), -1
   with an error when it is no such tuple. */
static int run_at(PyObject *runs, Py_ssize_t r, const int *ids, Py_ssize_t n_post,
                  Py_ssize_t n_docs, Py_ssize_t *start, Py_ssize_t *stop, double *factor) {
    PyObject *run = PyList_GET_ITEM(runs, r);
    Py_ssize_t i;
    int parsed;
    Py_INCREF(run); /* (held while it is parsed: a factor's __float__ is Python code) */
    parsed = is_run(run) && PyArg_ParseTuple(run, "nnd:a search's run", start, stop, factor);
    Py_DECREF(run);
    if (!parsed) return -1;
    if (*start < 0 || *stop > n_post || *start >= *stop) return 0;
    for (i = *start; i < *stop; i++)
        if (ids[i] < 0 || ids[i] >= n_docs) return 0;
    return 1;
}

static PyObject *best(PyObject *self, PyObject *args) {
    Py_buffer ids_buf, weights_buf;
    PyObject *runs, *out = NULL;
    Py_ssize_t n_docs, limit, n_post, r, d, kept = 0;
    double *scores = NULL;
    Hit *heap = NULL;
    if (!PyArg_ParseTuple(args, "y*y*nO!n:best", &ids_buf, &weights_buf, &n_docs, &PyList_Type,
                          &runs, &limit))
        return NULL;
    n_post = postings_count(&ids_buf, &weights_buf, n_docs, "best");
    if (n_post < 0) goto done;
    if (limit > n_docs) limit = n_docs;
    if (limit < 1) {
        out = PyList_New(0);
        goto done;
    }
    scores = PyMem_Calloc((size_t)n_docs, sizeof(double));
    heap = PyMem_Malloc(sizeof(Hit) * (size_t)limit);
    if (scores == NULL || heap == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Each run's products added to its documents' sums in order (numpy's bincount over the
       gains adds them in the same order), each product rounded before the sum (no fused
       multiply-add: see the top). A damaged run adds nothing. */
    for (r = 0; r < PyList_GET_SIZE(runs); r++) {
        const int *ids = ids_buf.buf;
        const double *weights = weights_buf.buf;
        Py_ssize_t start, stop, i;
        double factor;
        int ok = run_at(runs, r, ids, n_post, n_docs, &start, &stop, &factor);
        if (ok < 0) goto done;
        for (i = start; ok && i < stop; i++) {
            double gain = weights[i] * factor;
            scores[ids[i]] += gain;
        }
    }
    for (d = 0; d < n_docs; d++) { /* the documents scored, in order: the best `limit` */
        Hit hit;
        if (!(scores[d] > 0.0)) continue;
        hit.score = scores[d];
        hit.doc = d;
        if (kept < limit) {
            heap[kept] = hit;
            heap_up(heap, kept++);
        } else if (better(&hit, &heap[0])) {
            heap[0] = hit;
            heap_down(heap, kept, 0);
        }
    }
    qsort(heap, (size_t)kept, sizeof(Hit), by_rank);
    out = PyList_New(kept);
    if (out == NULL) goto done;
    for (r = 0; r < kept; r++) {
        PyObject *pair = Py_BuildValue("(nd)", heap[r].doc, heap[r].score);
        if (pair == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, r, pair);
    }
done:
    PyMem_Free(scores);
    PyMem_Free(heap);
    PyBuffer_Release(&ids_buf);
    PyBuffer_Release(&weights_buf);
    return out;
}

/* Each of `docs`' postings among the runs: a list per document of (-gain, run's index)
   (gain: factor x weight), the runs in order. A run that is out of the arrays or names a
   document out of range holds none (as it adds nothing in `best`); a run that names
   a document twice holds its last weight, as a dict of the run would. */
static PyObject *gains(PyObject *self, PyObject *args) {
    Py_buffer ids_buf, weights_buf;
    PyObject *runs, *docs_list, *docs = NULL, *out = NULL;
    Py_ssize_t n_docs, n_post, n_wanted, r, i, *slot = NULL, *last = NULL;
    const int *ids;
    const double *weights;
    if (!PyArg_ParseTuple(args, "y*y*nO!O!:gains", &ids_buf, &weights_buf, &n_docs, &PyList_Type,
                          &runs, &PyList_Type, &docs_list))
        return NULL;
    ids = ids_buf.buf;
    weights = weights_buf.buf;
    n_post = postings_count(&ids_buf, &weights_buf, n_docs, "gains");
    if (n_post < 0) goto done;
    docs = PyList_AsTuple(docs_list); /* (a list Python code could change mid-walk) */
    if (docs == NULL) goto done;
    n_wanted = PyTuple_GET_SIZE(docs);
    slot = PyMem_Calloc((size_t)(n_docs ? n_docs : 1), sizeof(Py_ssize_t)); /* doc -> i + 1 */
    last = PyMem_Calloc((size_t)(n_wanted ? n_wanted : 1), sizeof(Py_ssize_t)); /* run + 1 */
    out = PyList_New(n_wanted);
    if (slot == NULL || last == NULL || out == NULL) {
        if (out != NULL) PyErr_NoMemory();
        Py_CLEAR(out);
        goto done;
    }
    for (i = 0; i < n_wanted; i++) {
        Py_ssize_t d = PyLong_AsSsize_t(PyTuple_GET_ITEM(docs, i));
        PyObject *found = PyList_New(0);
        if (found == NULL) goto fail;
        PyList_SET_ITEM(out, i, found);
        if (d == -1 && PyErr_Occurred()) goto fail;
        if (d < 0 || d >= n_docs) {
            PyErr_SetString(PyExc_ValueError, "gains: a document out of range");
            goto fail;
        }
        slot[d] = i + 1;
    }
    for (r = 0; r < PyList_GET_SIZE(runs); r++) {
        Py_ssize_t start, stop, p;
        double factor;
        int ok = run_at(runs, r, ids, n_post, n_docs, &start, &stop, &factor);
        if (ok < 0) goto fail;
        for (p = start; ok && p < stop; p++) {
            /* (checked again where it is used: the allocations below may run Python code) */
            int d = ids[p];
            PyObject *pair, *found;
            Py_ssize_t at, size;
            int failed;
            if (d < 0 || d >= n_docs || !slot[d]) continue;
            at = slot[d] - 1;
            pair = Py_BuildValue("(dn)", (-factor) * weights[p], r); /* as Python: -f * w */
            if (pair == NULL) goto fail;
            found = PyList_GET_ITEM(out, at);
            size = PyList_GET_SIZE(found);
            if (last[at] == r + 1 && size > 0) { /* the run named it before: its last weight */
                failed = PyList_SetItem(found, size - 1, pair) < 0; /* (steals pair) */
            } else {
                failed = PyList_Append(found, pair) < 0;
                Py_DECREF(pair);
            }
            if (failed) goto fail;
            last[at] = r + 1;
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(slot);
    PyMem_Free(last);
    Py_XDECREF(docs);
    PyBuffer_Release(&ids_buf);
    PyBuffer_Release(&weights_buf);
    return out;
}

/* The arguments of `query_runs` that stay the same for each term. */
typedef struct {
    PyObject *positions, *in_paths, *by_df, *idf, *runs, *terms, *zero;
    const int *starts;
    Py_ssize_t n_starts, cutoff;
} Query;

/* A term's IDF as `_runs` takes it: its path-only IDF when it has a true one, else that
   of its run's length (`by_df`, else `idf(length)`); a new reference. */
static PyObject *term_idf(const Query *q, PyObject *term, Py_ssize_t length) {
    PyObject *base = PyDict_GetItemWithError(q->in_paths, term), *size;
    int truth = 0;
    if (base == NULL && PyErr_Occurred()) return NULL;
    if (base != NULL) { /* (held: its truth may be Python code) */
        Py_INCREF(base);
        truth = PyObject_IsTrue(base);
        if (truth <= 0) Py_DECREF(base);
        if (truth < 0) return NULL;
    }
    if (truth) return base;
    size = PyLong_FromSsize_t(length);
    if (size == NULL) return NULL;
    base = PyDict_GetItemWithError(q->by_df, size);
    if (base != NULL)
        Py_INCREF(base);
    else if (!PyErr_Occurred())
        base = PyObject_CallFunctionObjArgs(q->idf, size, NULL);
    Py_DECREF(size);
    return base;
}

/* Adds `term`'s run and factor to the query's when it counts; -1 on an error. */
static int add_query_term(const Query *q, PyObject *term, PyObject *qweight) {
    PyObject *at_obj = PyDict_GetItemWithError(q->positions, term), *base, *factor, *run;
    Py_ssize_t at, start, stop;
    int failed, none;
    if (at_obj == NULL) return PyErr_Occurred() ? -1 : 0;
    at = PyLong_AsSsize_t(at_obj);
    if (at == -1 && PyErr_Occurred()) return -1;
    if (at < 0 || at >= q->n_starts - 1) return 0;
    none = PyObject_RichCompareBool(qweight, q->zero, Py_LE); /* as Python compares it */
    if (none) return none < 0 ? -1 : 0;
    start = q->starts[at];
    stop = q->starts[at + 1];
    if (stop - start <= 0 || stop - start > q->cutoff) return 0;
    base = term_idf(q, term, stop - start);
    if (base == NULL) return -1;
    factor = PyNumber_Multiply(base, qweight);
    Py_DECREF(base);
    if (factor == NULL) return -1;
    run = Py_BuildValue("(nnN)", start, stop, factor);
    if (run == NULL) return -1;
    failed = PyList_Append(q->runs, run) < 0 || PyList_Append(q->terms, term) < 0;
    Py_DECREF(run);
    return failed ? -1 : 0;
}

/* The terms of a query a search adds up, in the query's order, as `BM25Index._runs`
   finds them: (runs [(start, stop, factor)], terms). A term counts when it has a run of
   1..cutoff postings and a positive weight; its factor is its IDF (`term_idf`) times its
   weight, as Python multiplies them. */
static PyObject *query_runs(PyObject *self, PyObject *args) {
    PyObject *query, *term, *qweight, *out = NULL;
    Py_buffer starts_buf;
    Py_ssize_t pos = 0;
    Query q;
    if (!PyArg_ParseTuple(args, "O!O!y*nO!O!O:query_runs", &PyDict_Type, &query, &PyDict_Type,
                          &q.positions, &starts_buf, &q.cutoff, &PyDict_Type, &q.in_paths,
                          &PyDict_Type, &q.by_df, &q.idf))
        return NULL;
    q.starts = starts_buf.buf;
    q.n_starts = starts_buf.len / (Py_ssize_t)sizeof(int);
    q.runs = PyList_New(0);
    q.terms = PyList_New(0);
    q.zero = PyLong_FromLong(0);
    if (q.runs == NULL || q.terms == NULL || q.zero == NULL ||
        whole_items(&starts_buf, sizeof(int), "query_runs") < 0)
        goto done;
    while (PyDict_Next(query, &pos, &term, &qweight)) {
        int failed;
        Py_INCREF(term); /* (held while Python code runs: `idf`, a weight's arithmetic) */
        Py_INCREF(qweight);
        failed = add_query_term(&q, term, qweight) < 0;
        Py_DECREF(term);
        Py_DECREF(qweight);
        if (failed) goto done;
    }
    out = PyTuple_Pack(2, q.runs, q.terms);
done:
    Py_XDECREF(q.runs);
    Py_XDECREF(q.terms);
    Py_XDECREF(q.zero);
    PyBuffer_Release(&starts_buf);
    return out;
}

/* 1: `key` is not in the dict, 0: it is, -1: an error */
static int absent(PyObject *dict, PyObject *key) {
    int in = PyDict_Contains(dict, key);
    return in < 0 ? -1 : !in;
}

/* `token`'s (compound, ((term, part), ...)) from the memo, made by `token_words` when the
   memo lacks it; a new reference, checked to have that shape. */
static PyObject *token_words_of(PyObject *token, PyObject *memo, PyObject *token_words) {
    PyObject *words = PyDict_GetItemWithError(memo, token);
    Py_ssize_t i;
    if (words != NULL && words != Py_None) { /* (None: made again, as Python does) */
        Py_INCREF(words);
    } else {
        if (PyErr_Occurred()) return NULL;
        words = PyObject_CallFunctionObjArgs(token_words, token, NULL);
        if (words == NULL || PyDict_SetItem(memo, token, words) < 0) {
            Py_XDECREF(words);
            return NULL;
        }
    }
    if (!PyTuple_Check(words) || PyTuple_GET_SIZE(words) != 2 ||
        !PyTuple_Check(PyTuple_GET_ITEM(words, 1))) {
        PyErr_SetString(PyExc_TypeError, "as_written: a token's words are (compound, pairs)");
        Py_DECREF(words);
        return NULL;
    }
    for (i = 0; i < PyTuple_GET_SIZE(PyTuple_GET_ITEM(words, 1)); i++) {
        PyObject *pair = PyTuple_GET_ITEM(PyTuple_GET_ITEM(words, 1), i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "as_written: a part is (term, word)");
            Py_DECREF(words);
            return NULL;
        }
    }
    return words;
}

/* What one token shows of the wanted terms (see `as_written`); -1 on an error. */
static int show_token(PyObject *token, PyObject *words, PyObject *wanted, PyObject *alone,
                      PyObject *other) {
    PyObject *compound = PyTuple_GET_ITEM(words, 0), *pairs = PyTuple_GET_ITEM(words, 1);
    Py_ssize_t i;
    int in = PyObject_IsTrue(compound);
    if (in > 0) {
        in = PySet_Contains(wanted, compound);
        if (in > 0) in = absent(other, compound);
        if (in > 0 && PyDict_SetItem(other, compound, token) < 0) return -1;
    }
    if (in < 0) return -1;
    if (PyTuple_GET_SIZE(pairs) == 1) { /* a word standing alone: the best quote */
        PyObject *term = PyTuple_GET_ITEM(PyTuple_GET_ITEM(pairs, 0), 0);
        in = PySet_Contains(wanted, term);
        if (in < 0) return -1;
        if (in && (PyDict_SetItem(alone, term, token) < 0 || PySet_Discard(wanted, term) < 0))
            return -1;
        return 0;
    }
    for (i = 0; i < PyTuple_GET_SIZE(pairs); i++) {
        PyObject *term = PyTuple_GET_ITEM(PyTuple_GET_ITEM(pairs, i), 0);
        PyObject *part = PyTuple_GET_ITEM(PyTuple_GET_ITEM(pairs, i), 1);
        in = PySet_Contains(wanted, term);
        if (in > 0) in = absent(other, term);
        if (in < 0 || (in && PyDict_SetItem(other, term, part) < 0)) return -1;
    }
    return 0;
}

/* Each wanted term -> the word of `tokens` (distinct, in the text's order) that shows it,
   as `evidence.words_as_written` finds them: a token of one part standing alone first,
   then a whole token for its compound, then the part of a token. `memo` holds each
   token's (compound, ((term, part), ...)), `token_words(token)` makes one it lacks;
   `wanted` (a set) loses the terms found standing alone. */
static PyObject *as_written(PyObject *self, PyObject *args) {
    PyObject *tokens, *wanted, *memo, *token_words, *token, *ignored;
    PyObject *alone = NULL, *other = NULL, *out = NULL;
    Py_ssize_t pos = 0;
    if (!PyArg_ParseTuple(args, "O!O!O!O:as_written", &PyDict_Type, &tokens, &PySet_Type, &wanted,
                          &PyDict_Type, &memo, &token_words))
        return NULL;
    alone = PyDict_New();
    other = PyDict_New();
    if (alone == NULL || other == NULL) goto done;
    while (PySet_GET_SIZE(wanted) && PyDict_Next(tokens, &pos, &token, &ignored)) {
        PyObject *words;
        int failed;
        Py_INCREF(token); /* (held while `token_words` runs) */
        words = token_words_of(token, memo, token_words);
        failed = words == NULL || show_token(token, words, wanted, alone, other) < 0;
        Py_XDECREF(words);
        Py_DECREF(token);
        if (failed) goto done;
    }
    if (PyDict_Update(other, alone) < 0) goto done;
    out = other;
    other = NULL;
done:
    Py_XDECREF(alone);
    Py_XDECREF(other);
    return out;
}

static PyMethodDef methods[] = {
    {"prose_counts", prose_counts, METH_VARARGS,
     "prose_counts(head, python, splits, split, stopwords): lexicon._count_prose of head's prose."},
    {"add_up", add_up, METH_VARARGS,
     "add_up(tokens, splits, split, stopwords): the term counts of distinct tokens seen n times."},
    {"top", top, METH_VARARGS, "top(counts, limit): lexicon._top."},
    {"names", names, METH_VARARGS,
     "names(text, python): the defined names lexicon's name pattern finds in text."},
    {"postings", postings, METH_VARARGS,
     "postings(docs, position, path_only, in_path, norms, k1, starts): the BM25 postings' "
     "document ids and weights (int and double bytes), each term's run in document order."},
    {"term_table", term_table, METH_VARARGS,
     "term_table(docs, prose_weight, def_weight, path_weight): the documents `unit_terms` "
     "gives, by term id: (terms, df, lengths, offsets, ids, frequencies)."},
    {"postings_by_id", postings_by_id, METH_VARARGS,
     "postings_by_id(n_terms, offsets, ids, tfs, order, path_only, in_path, norms, k1, "
     "starts): `postings` of a term_table's documents."},
    {"best", best, METH_VARARGS,
     "best(ids, weights, n_docs, runs, limit): the `limit` best (document, score) of a BM25 "
     "search over the runs (start, stop, factor), best first, equal scores by document."},
    {"gains", gains, METH_VARARGS,
     "gains(ids, weights, n_docs, runs, docs): per document of docs, its (-gain, run's index) "
     "in the runs (start, stop, factor)."},
    {"query_runs", query_runs, METH_VARARGS,
     "query_runs(query, positions, starts, cutoff, in_paths, by_df, idf): the runs and terms a "
     "search adds up."},
    {"as_written", as_written, METH_VARARGS,
     "as_written(tokens, wanted, memo, token_words): each wanted term -> the word showing it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "prready._lexscan",
    "The mapping index's per-token work, in C: lexical fields, BM25 postings and search "
    "(see prready.analysis.lexicon).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__lexscan(void) {
    int c;
    for (c = 0; c < 256; c++)
        WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_';
    return PyModule_Create(&module);
}
