/* The lexical stage's inner loop (see link_kernel.py, which calls it and documents it).
 *
 * best_units(q_ptr, q_idx, q_val, g_ptr, g_idx, g_val,
 *            t_ptr, t_unit, t_val, n_ptr, n_unit, n_val, unit_pledge,
 *            fused, unit, bm25, ngram, max_idf, half, weight)
 *
 * Index arrays are int64, values float64, all C-contiguous; the four outputs are
 * (passages x pledges), written in place. The sums run in SciPy's csr_matmat order so the
 * numbers equal the NumPy path's bit for bit (compiled with -ffp-contract=off: no FMA).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { N_IN = 13, N_OUT = 4 };

static PyObject *best_units(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer in[N_IN], out[N_OUT];
    double max_idf, half, weight;
    memset(in, 0, sizeof in);
    memset(out, 0, sizeof out);
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*y*y*y*y*y*w*w*w*w*ddd", &in[0], &in[1], &in[2],
                          &in[3], &in[4], &in[5], &in[6], &in[7], &in[8], &in[9], &in[10],
                          &in[11], &in[12], &out[0], &out[1], &out[2], &out[3], &max_idf, &half,
                          &weight)) {
        return NULL;
    }
    const int64_t *q_ptr = in[0].buf, *q_idx = in[1].buf, *g_ptr = in[3].buf,
                  *g_idx = in[4].buf, *t_ptr = in[6].buf, *t_unit = in[7].buf,
                  *n_ptr = in[9].buf, *n_unit = in[10].buf, *unit_pledge = in[12].buf;
    const double *q_val = in[2].buf, *g_val = in[5].buf, *t_val = in[8].buf, *n_val = in[11].buf;
    double *fused = out[0].buf, *bm25 = out[2].buf, *ngram = out[3].buf;
    int64_t *unit = out[1].buf;
    Py_ssize_t n = in[0].len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t n_units = in[12].len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t n_pledges = n > 0 ? out[0].len / (Py_ssize_t)sizeof(double) / n : 0;
    PyObject *result = NULL;
    double *row_bm = calloc((size_t)(n_units > 0 ? n_units : 1), sizeof(double));
    double *row_ng = calloc((size_t)(n_units > 0 ? n_units : 1), sizeof(double));
    if (row_bm == NULL || row_ng == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        memset(row_bm, 0, (size_t)n_units * sizeof(double));
        memset(row_ng, 0, (size_t)n_units * sizeof(double));
        for (int64_t k = q_ptr[r]; k < q_ptr[r + 1]; k++) {
            int64_t t = q_idx[k];
            double v = q_val[k];
            for (int64_t j = t_ptr[t]; j < t_ptr[t + 1]; j++) row_bm[t_unit[j]] += v * t_val[j];
        }
        for (int64_t k = g_ptr[r]; k < g_ptr[r + 1]; k++) {
            int64_t g = g_idx[k];
            double v = g_val[k];
            for (int64_t j = n_ptr[g]; j < n_ptr[g + 1]; j++) row_ng[n_unit[j]] += v * n_val[j];
        }
        /* each pledge's units in turn (they are grouped by pledge, in order): its best is
         * kept in registers and written once, not on every better unit */
        Py_ssize_t u = 0;
        for (Py_ssize_t p = 0; p < n_pledges; p++) {
            double best = -1.0, best_b = 0.0, best_c = 0.0;
            int64_t best_u = -1;
            for (; u < n_units && unit_pledge[u] == p; u++) {
                /* most units share no term with a passage: their zero needs no division */
                double b = row_bm[u];
                if (b != 0.0) {
                    b = b / max_idf;
                    b = b / (b + half);
                }
                double c = row_ng[u];
                double f = weight * b + (1 - weight) * c;
                if (f >= best) { /* ties: the pledge's last unit, as the NumPy path */
                    best = f;
                    best_u = u;
                    best_b = b;
                    best_c = c;
                }
            }
            Py_ssize_t at = r * n_pledges + p;
            fused[at] = best;
            unit[at] = best_u;
            bm25[at] = best_b;
            ngram[at] = best_c;
        }
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    free(row_bm);
    free(row_ng);
    for (int i = 0; i < N_IN; i++) PyBuffer_Release(&in[i]);
    for (int i = 0; i < N_OUT; i++) PyBuffer_Release(&out[i]);
    return result;
}

/* The explanation's two loops (see link_kernel.py, whose Python twins say the same).
 *
 * term_forms(words, surface_terms, term_idf, known_terms) -> (forms, heaviest)
 *   words: a text's word forms, each once, in order; surface_terms: dict word -> tuple of its
 *   known terms, asked first; known_terms(word) gives them on a miss (and may change the dict:
 *   every reference taken from it is owned here). forms: dict term -> tuple of its words, in
 *   the text's order; heaviest: [(term, idf, words)] by IDF, highest first, ties in the text's
 *   order.
 *
 * matched(heaviest, pledge_forms, matched_type, max_matched) -> tuple of matched_type
 *   The document's terms (heaviest first) the pledge also has, at most max_matched, each
 *   (term, document words, pledge words, its share of the IDF of all shared terms, summed
 *   left to right as Python's sum of floats does).
 */
typedef struct {
    double idf;
    Py_ssize_t at;
    PyObject *value; /* the IDF's own float, borrowed from term_idf: no new object per term */
} Ranked;

static int heavier_first(const void *a, const void *b) {
    const Ranked *x = a, *y = b;
    if (x->idf != y->idf) return x->idf > y->idf ? -1 : 1;
    return x->at < y->at ? -1 : (x->at > y->at);
}

/* A tuple of strings, floats and untracked tuples can never be part of a reference cycle:
 * untracked, the cyclic collector does not walk the tens of thousands of word tuples a link
 * group makes (CPython untracks such a tuple itself, but only once a collection has walked
 * it, and most of these are still young when the group's collection comes). */
static void untrack_atoms(PyObject *tuple) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        PyObject *x = PyTuple_GET_ITEM(tuple, i);
        if (!(PyUnicode_CheckExact(x) || PyFloat_CheckExact(x) ||
              (PyTuple_CheckExact(x) && !PyObject_GC_IsTracked(x)))) {
            return;
        }
    }
    if (PyObject_GC_IsTracked(tuple)) PyObject_GC_UnTrack(tuple);
}

/* A word's terms (a new reference to a tuple): from surface_terms, else from known(word),
 * which may change the dict (so the reference is owned here). NULL with an error set. */
static PyObject *word_terms(PyObject *surface_terms, PyObject *known, PyObject *word) {
    PyObject *terms = PyDict_GetItemWithError(surface_terms, word);
    if (terms != NULL) {
        Py_INCREF(terms);
    } else if (PyErr_Occurred()) {
        return NULL;
    } else {
        terms = PyObject_CallOneArg(known, word);
    }
    if (terms != NULL && !PyTuple_Check(terms)) {
        PyErr_SetString(PyExc_TypeError, "a word's terms must be a tuple");
        Py_CLEAR(terms);
    }
    return terms;
}

/* term -> list of the words (in order) that give it; with `only`, just the terms `only` has */
static PyObject *words_by_term(PyObject *words, PyObject *surface_terms, PyObject *known,
                               PyObject *only) {
    PyObject *lists = PyDict_New();
    if (lists == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(words); i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        Py_INCREF(word);
        PyObject *terms = word_terms(surface_terms, known, word);
        int failed = terms == NULL;
        for (Py_ssize_t k = 0; !failed && k < PyTuple_GET_SIZE(terms); k++) {
            PyObject *term = PyTuple_GET_ITEM(terms, k);
            if (only != NULL) {
                int has = PyDict_Contains(only, term);
                if (has <= 0) {
                    failed = has < 0;
                    continue;
                }
            }
            PyObject *found = PyDict_GetItemWithError(lists, term);
            if (found != NULL) {
                failed = PyList_Append(found, word);
            } else if (PyErr_Occurred()) {
                failed = 1;
            } else {
                PyObject *fresh = PyList_New(1);
                failed = fresh == NULL;
                if (!failed) {
                    Py_INCREF(word);
                    PyList_SET_ITEM(fresh, 0, word);
                    failed = PyDict_SetItem(lists, term, fresh);
                    Py_DECREF(fresh);
                }
            }
        }
        Py_XDECREF(terms);
        Py_DECREF(word);
        if (failed) {
            Py_DECREF(lists);
            return NULL;
        }
    }
    return lists;
}

static PyObject *term_forms(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *words, *surface_terms, *term_idf, *known;
    if (!PyArg_ParseTuple(args, "O!O!O!O", &PyList_Type, &words, &PyDict_Type, &surface_terms,
                          &PyDict_Type, &term_idf, &known)) {
        return NULL;
    }
    PyObject *lists = words_by_term(words, surface_terms, known, NULL);
    PyObject *forms = NULL, *heaviest = NULL;
    PyObject *result = NULL;
    Ranked *ranked = NULL;
    if (lists == NULL) return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(lists), pos = 0, at = 0;
    PyObject *term, *list;
    forms = PyDict_New();
    heaviest = PyList_New(n);
    ranked = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(Ranked));
    if (forms == NULL || heaviest == NULL || ranked == NULL) {
        if (ranked == NULL) PyErr_NoMemory();
        goto done;
    }
    PyObject **keys = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(PyObject *));
    if (keys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    while (PyDict_Next(lists, &pos, &term, &list)) {
        PyObject *kept = PyList_AsTuple(list);
        if (kept != NULL) untrack_atoms(kept);
        PyObject *idf = kept == NULL ? NULL : PyDict_GetItemWithError(term_idf, term);
        if (idf == NULL) {
            if (kept != NULL && !PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, term);
            Py_XDECREF(kept);
            PyMem_Free(keys);
            goto done;
        }
        if (!PyFloat_Check(idf)) { /* no __float__ of another type: no Python code runs here */
            PyErr_SetString(PyExc_TypeError, "a term's IDF must be a float");
            Py_DECREF(kept);
            PyMem_Free(keys);
            goto done;
        }
        double value = PyFloat_AS_DOUBLE(idf);
        int failed = PyDict_SetItem(forms, term, kept);
        Py_DECREF(kept);
        if (failed) {
            PyMem_Free(keys);
            goto done;
        }
        keys[at] = term;
        ranked[at].idf = value;
        ranked[at].at = at;
        ranked[at].value = idf;
        at++;
    }
    qsort(ranked, (size_t)n, sizeof(Ranked), heavier_first);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = keys[ranked[i].at];
        PyObject *entry = PyTuple_Pack(3, key, ranked[i].value, PyDict_GetItem(forms, key));
        if (entry == NULL) {
            PyMem_Free(keys);
            goto done;
        }
        untrack_atoms(entry);
        PyList_SET_ITEM(heaviest, i, entry);
    }
    PyMem_Free(keys);
    result = PyTuple_Pack(2, forms, heaviest);
done:
    PyMem_Free(ranked);
    Py_DECREF(lists);
    Py_XDECREF(forms);
    Py_XDECREF(heaviest);
    return result;
}

/* One matched_type (term, document words, pledge words, weight), made as tuple.__new__(type,
 * ...) makes it (the type's allocator, then the items; the three objects are borrowed) and
 * left out of the cyclic collector: strings, a tuple of strings and a float in a tuple type
 * without a __dict__ can never be part of a reference cycle, and a linked batch keeps
 * hundreds of thousands of them until it is stored. NULL with an error set. */
static PyObject *matched_item(PyTypeObject *type, PyObject *term, PyObject *doc_words,
                              PyObject *pledge_words, double weight) {
    PyObject *value = PyFloat_FromDouble(weight);
    PyObject *item = value == NULL ? NULL : type->tp_alloc(type, 4);
    if (item == NULL) {
        Py_XDECREF(value);
        return NULL;
    }
    Py_INCREF(term);
    PyTuple_SET_ITEM(item, 0, term);
    Py_INCREF(doc_words);
    PyTuple_SET_ITEM(item, 1, doc_words);
    Py_INCREF(pledge_words);
    PyTuple_SET_ITEM(item, 2, pledge_words);
    PyTuple_SET_ITEM(item, 3, value);
    PyObject_GC_UnTrack(item);
    return item;
}

static PyObject *matched(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *heaviest, *pledge_forms;
    PyTypeObject *type;
    Py_ssize_t max_matched;
    if (!PyArg_ParseTuple(args, "O!O!O!n", &PyList_Type, &heaviest, &PyDict_Type, &pledge_forms,
                          &PyType_Type, &type, &max_matched)) {
        return NULL;
    }
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_dictoffset != 0) {
        /* a __dict__ could hold anything: then its objects must stay tracked */
        PyErr_SetString(PyExc_TypeError, "matched_type must be a tuple type without a __dict__");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(heaviest), kept = 0;
    Py_ssize_t *shared = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(Py_ssize_t));
    if (shared == NULL) return PyErr_NoMemory();
    double total = 0.0;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *entry = PyList_GET_ITEM(heaviest, i);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3) {
            PyMem_Free(shared);
            PyErr_SetString(PyExc_TypeError, "heaviest holds (term, idf, words) tuples");
            return NULL;
        }
        int has = PyDict_Contains(pledge_forms, PyTuple_GET_ITEM(entry, 0));
        if (has < 0) {
            PyMem_Free(shared);
            return NULL;
        }
        if (has) {
            double idf = PyFloat_AsDouble(PyTuple_GET_ITEM(entry, 1));
            if (idf == -1.0 && PyErr_Occurred()) {
                PyMem_Free(shared);
                return NULL;
            }
            total += idf;
            shared[count++] = i;
        }
    }
    if (total == 0.0) total = 1.0;  /* Python's `sum(...) or 1.0` */
    kept = count < max_matched ? count : max_matched;
    PyObject *out = PyTuple_New(kept);
    if (out == NULL) {
        PyMem_Free(shared);
        return NULL;
    }
    for (Py_ssize_t j = 0; j < kept; j++) {
        PyObject *entry = PyList_GET_ITEM(heaviest, shared[j]);
        PyObject *term = PyTuple_GET_ITEM(entry, 0);
        PyObject *pledge_words = PyDict_GetItemWithError(pledge_forms, term);
        double idf = PyFloat_AsDouble(PyTuple_GET_ITEM(entry, 1));
        PyObject *item = pledge_words == NULL ? NULL
                                              : matched_item(type, term, PyTuple_GET_ITEM(entry, 2),
                                                             pledge_words, idf / total);
        if (item == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, term);
            Py_DECREF(out);
            PyMem_Free(shared);
            return NULL;
        }
        PyTuple_SET_ITEM(out, j, item);
    }
    PyMem_Free(shared);
    PyObject_GC_UnTrack(out); /* likewise: it holds only those (safe on the empty tuple) */
    return out;
}

/* matched_words(words, surface_terms, term_idf, known_terms, pledge_forms, matched_type,
 *               max_matched) -> tuple of matched_type
 *   matched(term_forms(words, ...)[1], pledge_forms, ...) in one pass per pair, without the
 *   text's forms of the terms the pledge lacks: a passage is explained against three or four
 *   pledges, and building all of its forms cost more than matching them. Only the shared
 *   terms are collected (in the text's order), ranked by IDF (ties in that order) and summed
 *   in that order, so the result is the same, weights bit for bit.
 */
static PyObject *matched_words(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *words, *surface_terms, *term_idf, *known, *pledge_forms;
    PyTypeObject *type;
    Py_ssize_t max_matched;
    if (!PyArg_ParseTuple(args, "O!O!O!OO!O!n", &PyList_Type, &words, &PyDict_Type,
                          &surface_terms, &PyDict_Type, &term_idf, &known, &PyDict_Type,
                          &pledge_forms, &PyType_Type, &type, &max_matched)) {
        return NULL;
    }
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "matched_type must be a tuple type without a __dict__");
        return NULL;
    }
    PyObject *lists = words_by_term(words, surface_terms, known, pledge_forms), *out = NULL;
    Ranked *ranked = NULL;
    PyObject **keys = NULL;
    if (lists == NULL) return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(lists), pos = 0, at = 0;
    PyObject *term, *list;
    ranked = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(Ranked));
    keys = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(PyObject *));
    if (ranked == NULL || keys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    while (PyDict_Next(lists, &pos, &term, &list)) {
        PyObject *idf = PyDict_GetItemWithError(term_idf, term);
        if (idf == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, term);
            goto done;
        }
        if (!PyFloat_Check(idf)) {
            PyErr_SetString(PyExc_TypeError, "a term's IDF must be a float");
            goto done;
        }
        keys[at] = term;
        ranked[at].idf = PyFloat_AS_DOUBLE(idf);
        ranked[at].at = at;
        ranked[at].value = idf;
        at++;
    }
    qsort(ranked, (size_t)n, sizeof(Ranked), heavier_first);
    double total = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) total += ranked[i].idf; /* heaviest first, as `matched` */
    if (total == 0.0) total = 1.0;
    Py_ssize_t kept = n < max_matched ? n : max_matched;
    if (kept < 0) kept = 0;
    out = PyTuple_New(kept);
    if (out == NULL) goto done;
    for (Py_ssize_t j = 0; j < kept; j++) {
        PyObject *key = keys[ranked[j].at];
        PyObject *doc_words = PyList_AsTuple(PyDict_GetItem(lists, key));
        PyObject *pledge_words = doc_words == NULL ? NULL : PyDict_GetItemWithError(pledge_forms, key);
        if (doc_words != NULL) untrack_atoms(doc_words);
        PyObject *item = pledge_words == NULL ? NULL
                                              : matched_item(type, key, doc_words, pledge_words,
                                                             ranked[j].idf / total);
        Py_XDECREF(doc_words); /* the item holds its own reference */
        if (item == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, key);
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(out, j, item);
    }
    PyObject_GC_UnTrack(out);
done:
    PyMem_Free(ranked);
    PyMem_Free(keys);
    Py_DECREF(lists);
    return out;
}

/* word_starts(text, prefixes) -> list of int
 *   The positions in text where a word starts (a letter, digit or underscore, as re's \w,
 *   after none or at the start) with one of the prefixes of its first character:
 *   prefixes is a dict of one-character str -> tuple of str. */
static PyObject *word_starts(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *prefixes;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyDict_Type, &prefixes)) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    int after_word = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        int in_word = ch == '_' || Py_UNICODE_ISALNUM(ch);
        if (in_word && !after_word) {
            PyObject *key = PyUnicode_FromOrdinal(ch);
            if (key == NULL) goto error;
            PyObject *words = PyDict_GetItemWithError(prefixes, key); /* borrowed */
            Py_DECREF(key);
            if (words == NULL && PyErr_Occurred()) goto error;
            if (words != NULL) {
                if (!PyTuple_Check(words)) {
                    PyErr_SetString(PyExc_TypeError, "prefixes must map to tuples of str");
                    goto error;
                }
                for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
                    PyObject *word = PyTuple_GET_ITEM(words, k);
                    if (!PyUnicode_Check(word)) {
                        PyErr_SetString(PyExc_TypeError, "prefixes must map to tuples of str");
                        goto error;
                    }
                    Py_ssize_t hit = PyUnicode_Tailmatch(text, word, i, n, -1);
                    if (hit < 0) goto error;
                    if (hit) {
                        PyObject *at = PyLong_FromSsize_t(i);
                        if (at == NULL || PyList_Append(out, at) < 0) {
                            Py_XDECREF(at);
                            goto error;
                        }
                        Py_DECREF(at);
                        break;
                    }
                }
            }
        }
        after_word = in_word;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* word_columns(texts, column, resolve) -> (words, rows, cols)
 *   words: each text's words (runs of letters and digits: re's [^\W_]+), a list of str per
 *   text; column: dict word -> int, a word's column (negative: left out), resolve(word) giving
 *   it on a miss (stored here); rows, cols: bytes of native int64, (text, column) for each
 *   word occurrence with a column, in order. */
typedef struct {
    int64_t *at;
    Py_ssize_t n, cap;
} Int64s;

static int push(Int64s *v, int64_t x) {
    if (v->n == v->cap) {
        Py_ssize_t cap = v->cap ? 2 * v->cap : 4096;
        int64_t *at = realloc(v->at, (size_t)cap * sizeof(int64_t));
        if (at == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        v->at = at;
        v->cap = cap;
    }
    v->at[v->n++] = x;
    return 0;
}

/* the column of `word`: from the dict, else from resolve (then stored); -2 on an error */
static int64_t column_of(PyObject *column, PyObject *resolve, PyObject *word) {
    PyObject *c = PyDict_GetItemWithError(column, word); /* borrowed */
    if (c == NULL) {
        if (PyErr_Occurred()) return -2;
        c = PyObject_CallOneArg(resolve, word);
        if (c == NULL) return -2;
        int failed = !PyLong_Check(c) || PyDict_SetItem(column, word, c) < 0;
        if (failed && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "resolve must give an int");
        long long value = failed ? -1 : PyLong_AsLongLong(c);
        Py_DECREF(c); /* the dict holds it now */
        if (failed || (value == -1 && PyErr_Occurred())) return -2;
        return value < 0 ? -1 : value;
    }
    if (!PyLong_Check(c)) {
        PyErr_SetString(PyExc_TypeError, "columns must be int");
        return -2;
    }
    long long value = PyLong_AsLongLong(c);
    if (value == -1 && PyErr_Occurred()) return -2;
    return value < 0 ? -1 : value;
}

static PyObject *word_columns(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *texts, *column, *resolve, *words = NULL, *result = NULL;
    Int64s rows = {NULL, 0, 0}, cols = {NULL, 0, 0};
    if (!PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &texts, &PyDict_Type, &column, &resolve))
        return NULL;
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    words = PyList_New(n_texts);
    if (words == NULL) return NULL;
    for (Py_ssize_t r = 0; r < n_texts; r++) {
        PyObject *text = PyList_GET_ITEM(texts, r);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto done;
        }
        PyObject *found = PyList_New(0);
        if (found == NULL) goto done;
        PyList_SET_ITEM(words, r, found); /* owned by words from here */
        Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = -1;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        for (Py_ssize_t i = 0; i <= n; i++) {
            int in_word = i < n && Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i));
            if (in_word && start < 0) start = i;
            if (in_word || start < 0) continue;
            PyObject *word = PyUnicode_Substring(text, start, i);
            start = -1;
            if (word == NULL) goto done;
            int appended = PyList_Append(found, word);
            int64_t c = appended < 0 ? -2 : column_of(column, resolve, word);
            Py_DECREF(word); /* the list holds it */
            if (c == -2) goto done;
            if (c >= 0 && (push(&rows, r) < 0 || push(&cols, c) < 0)) goto done;
        }
    }
    result = Py_BuildValue("Oy#y#", words, (const char *)rows.at,
                           rows.n * (Py_ssize_t)sizeof(int64_t), (const char *)cols.at,
                           cols.n * (Py_ssize_t)sizeof(int64_t));
done:
    Py_XDECREF(words);
    free(rows.at);
    free(cols.at);
    return result;
}

static PyMethodDef methods[] = {
    {"best_units", best_units, METH_VARARGS, "Each passage's best unit per pledge (in place)."},
    {"term_forms", term_forms, METH_VARARGS, "A text's known terms with their words, by IDF."},
    {"matched", matched, METH_VARARGS, "The terms a document and a pledge share, by weight."},
    {"matched_words", matched_words, METH_VARARGS,
     "matched(term_forms(...)) in one pass per pair: the shared terms only."},
    {"word_starts", word_starts, METH_VARARGS, "Where a word starts with one of some prefixes."},
    {"word_columns", word_columns, METH_VARARGS, "Texts' words and their columns, as int64."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_link_kernel", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__link_kernel(void) { return PyModule_Create(&module); }
