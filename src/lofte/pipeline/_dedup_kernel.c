/* MinHash of a normalized text in one compiled pass (see dedup.py, whose Python twin,
 * `minhash_signature(shingle_hashes(normalized))`, gives the same values; a test holds both
 * to it).
 *
 * minhash(normalized, k, num_perm, probes) -> bytes or None
 *   normalized: a text as `normalize_for_hash` gives it; its words are runs of re's \w
 *   (letters, digits, underscore); each shingle is k consecutive words joined by one space
 *   (fewer than k words: all of them), hashed as blake2b(utf-8, digest_size=8), little-endian.
 *   probes: int32 buffer of num_perm rows of num_perm - 1 bins, the order in which an empty
 *   bin borrows. Result: num_perm native uint32 values. None when the text does not encode
 *   as UTF-8 (lone surrogates): the caller then takes the Python path, which encodes them
 *   with "surrogatepass".
 *
 * Per shingle the Python path made a string, its bytes, a hash object, a digest and an int:
 * most of the time of preparing a news item for ingest.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* -- BLAKE2b (RFC 7693), unkeyed, 8-byte digest ---------------------------------------- */

static const uint64_t IV[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
                               0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                               0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                               0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static inline uint64_t rotr64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

#define G(a, b, c, d, x, y)                                                                    \
    do {                                                                                       \
        v[a] = v[a] + v[b] + (x);                                                              \
        v[d] = rotr64(v[d] ^ v[a], 32);                                                        \
        v[c] = v[c] + v[d];                                                                    \
        v[b] = rotr64(v[b] ^ v[c], 24);                                                        \
        v[a] = v[a] + v[b] + (y);                                                              \
        v[d] = rotr64(v[d] ^ v[a], 16);                                                        \
        v[c] = v[c] + v[d];                                                                    \
        v[b] = rotr64(v[b] ^ v[c], 63);                                                        \
    } while (0)

static void compress(uint64_t h[8], const uint8_t block[128], uint64_t t, int last) {
    uint64_t v[16], m[16];
    for (int i = 0; i < 16; i++) m[i] = load64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= t; /* inputs here are far below 2^64 bytes: the counter's high word stays 0 */
    if (last) v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

/* blake2b(data, digest_size=8).digest() read as a little-endian integer */
static uint64_t blake2b_64(const uint8_t *data, size_t len) {
    uint64_t h[8];
    uint8_t block[128];
    memcpy(h, IV, sizeof h);
    h[0] ^= 0x01010000ULL ^ 8; /* depth 1, fanout 1, no key, 8-byte digest */
    size_t done = 0;
    while (len - done > 128) {
        compress(h, data + done, (uint64_t)(done + 128), 0);
        done += 128;
    }
    memset(block, 0, sizeof block);
    memcpy(block, data + done, len - done);
    compress(h, block, (uint64_t)len, 1);
    return h[0]; /* the first 8 bytes of the digest, little-endian: h[0] itself */
}

/* -- words and shingles ---------------------------------------------------------------- */

typedef struct {
    Py_ssize_t start, len; /* a word's code points in the text */
} Span;

typedef struct {
    uint64_t *value;
    uint8_t *filled;
    Py_ssize_t n;
} Bins;

static void add(Bins *bins, uint64_t h) {
    Py_ssize_t b = (Py_ssize_t)(h % (uint64_t)bins->n);
    uint64_t v = h * 0x9E3779B97F4A7C15ULL; /* modulo 2^64, as the Python twin masks it */
    if (!bins->filled[b] || v < bins->value[b]) {
        bins->value[b] = v;
        bins->filled[b] = 1;
    }
}

/* `cp` as UTF-8 at out; 0 for a lone surrogate (UTF-8 cannot hold it) */
static int encode(Py_UCS4 cp, uint8_t *out) {
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Hash the words of the window (oldest first; `count` of them, at most k) joined by spaces,
 * encoded here word by word: no UTF-8 copy of the whole text (a 50 MB input would keep one
 * for as long as its string lives). 1: hashed, 0: a lone surrogate, -1: no memory. */
static int hash_window(Bins *bins, int kind, const void *data, const Span *ring, Py_ssize_t k,
                       Py_ssize_t first, Py_ssize_t count, uint8_t **buf, size_t *cap) {
    size_t need = 0;
    for (Py_ssize_t i = 0; i < count; i++) need += 4 * (size_t)ring[(first + i) % k].len + 1;
    if (need > *cap) {
        uint8_t *grown = PyMem_Realloc(*buf, need);
        if (grown == NULL) return -1;
        *buf = grown;
        *cap = need;
    }
    size_t at = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Span *w = &ring[(first + i) % k];
        if (i) (*buf)[at++] = ' ';
        for (Py_ssize_t j = w->start; j < w->start + w->len; j++) {
            int len = encode(PyUnicode_READ(kind, data, j), *buf + at);
            if (len == 0) return 0;
            at += (size_t)len;
        }
    }
    add(bins, blake2b_64(*buf, at));
    return 1;
}

static PyObject *minhash(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *normalized;
    Py_ssize_t k, num_perm;
    Py_buffer probes;
    if (!PyArg_ParseTuple(args, "Unny*", &normalized, &k, &num_perm, &probes)) return NULL;
    PyObject *result = NULL;
    Span *ring = NULL;
    uint8_t *buf = NULL;
    size_t cap = 0;
    Bins bins = {NULL, NULL, num_perm};
    if (k < 1 || num_perm < 2 ||
        probes.len != (Py_ssize_t)sizeof(int32_t) * num_perm * (num_perm - 1)) {
        PyErr_SetString(PyExc_ValueError, "k >= 1, num_perm >= 2 and num_perm rows of probes");
        goto done;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(normalized);
    int kind = PyUnicode_KIND(normalized);
    const void *data = PyUnicode_DATA(normalized);
    ring = PyMem_Malloc((size_t)k * sizeof(Span));
    bins.value = PyMem_Calloc((size_t)num_perm, sizeof(uint64_t));
    bins.filled = PyMem_Calloc((size_t)num_perm, 1);
    if (ring == NULL || bins.value == NULL || bins.filled == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t seen = 0, start = -1;
    int hashed = 1;
    for (Py_ssize_t i = 0; i <= n && hashed > 0; i++) {
        int in_word = 0;
        if (i < n) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            in_word = ch == '_' || Py_UNICODE_ISALNUM(ch);
        }
        if (in_word && start < 0) start = i;
        if (!in_word && start >= 0) {
            ring[seen % k] = (Span){start, i - start};
            seen++;
            start = -1;
            if (seen >= k)
                hashed = hash_window(&bins, kind, data, ring, k, (seen - k) % k, k, &buf, &cap);
        }
    }
    if (hashed > 0 && seen > 0 && seen < k)
        hashed = hash_window(&bins, kind, data, ring, k, 0, seen, &buf, &cap);
    if (hashed < 0) {
        PyErr_NoMemory();
        goto done;
    }
    if (hashed == 0) { /* lone surrogates: the Python path encodes them */
        result = Py_None;
        Py_INCREF(result);
        goto done;
    }
    result = PyBytes_FromStringAndSize(NULL, num_perm * (Py_ssize_t)sizeof(uint32_t));
    if (result == NULL) goto done;
    uint32_t *out = (uint32_t *)PyBytes_AS_STRING(result);
    const int32_t *order = probes.buf;
    int any = 0;
    for (Py_ssize_t b = 0; b < num_perm; b++) any |= bins.filled[b];
    for (Py_ssize_t b = 0; b < num_perm; b++) {
        if (!any) {
            out[b] = 0xFFFFFFFFu; /* an empty text: one signature all texts without words share */
            continue;
        }
        Py_ssize_t from = b;
        for (Py_ssize_t j = 0; !bins.filled[from] && j < num_perm - 1; j++) {
            from = order[b * (num_perm - 1) + j];
            if (from < 0 || from >= num_perm) {
                Py_CLEAR(result);
                PyErr_SetString(PyExc_ValueError, "a probe is out of range");
                goto done;
            }
        }
        out[b] = (uint32_t)(bins.value[from] >> 32);
    }
done:
    PyMem_Free(ring);
    PyMem_Free(buf);
    PyMem_Free(bins.value);
    PyMem_Free(bins.filled);
    PyBuffer_Release(&probes);
    return result;
}

static PyMethodDef methods[] = {
    {"minhash", minhash, METH_VARARGS, "MinHash of a normalized text (see dedup.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_dedup_kernel", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__dedup_kernel(void) { return PyModule_Create(&module); }
