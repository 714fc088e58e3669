/* The block index of one of simplemma's front-coded dictionary streams, in one compiled pass
 * (see dictionaries.py, whose Python twin is simplemma's own `StreamMap.__init__`; a test
 * holds both to the same index).
 *
 * block_seeds(data, pos, block_size) -> (firsts, blocks, count)
 *   data: a decompressed stream (simplemma.strategies.dictionaries.frontcode's format);
 *   pos: the offset of its first record (after the header);
 *   firsts: the stored key of every block_size-th record, from the first;
 *   blocks: for each of them (record offset, the previous record's stored key, its value),
 *   the seed `frontcode._iter_records` resumes from;
 *   count: the number of records. ValueError for a stream that runs past its end.
 *
 * Record format: varint shared, varint suffix length, suffix bytes (key = previous key's
 * first `shared` bytes + suffix); a trim byte: 254 = the previous value again, 255 = a literal
 * value (varint length, bytes), else value = key minus its last `trim` bytes + (varint length,
 * bytes). Varints are little-endian base 128.
 *
 * The Python pass decodes each of the 8.4 million records of the eight languages a Swedish
 * tracker meets into new bytes objects: about 5 s at the first language detection of every
 * process (an ingest's worker stalled the whole pipeline that long).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

#define SAME_AS_PREV 254
#define LITERAL_VALUE 255

typedef struct {
    unsigned char *bytes;
    Py_ssize_t len, cap;
} Buffer;

static int buffer_set(Buffer *b, const unsigned char *head, Py_ssize_t head_len,
                      const unsigned char *tail, Py_ssize_t tail_len) {
    /* b = head + tail (head is another buffer, or a prefix of b itself) */
    Py_ssize_t need = head_len + tail_len;
    if (need > b->cap) {
        Py_ssize_t cap = need * 2 + 64;
        unsigned char *grown = realloc(b->bytes, (size_t)cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (head >= b->bytes && head < b->bytes + b->cap) head = grown + (head - b->bytes);
        b->bytes = grown;
        b->cap = cap;
    }
    if (head_len > 0 && head != b->bytes) memmove(b->bytes, head, (size_t)head_len);
    if (tail_len > 0) memcpy(b->bytes + head_len, tail, (size_t)tail_len);
    b->len = need;
    return 0;
}

static int read_varint(const unsigned char *data, Py_ssize_t n, Py_ssize_t *pos,
                       Py_ssize_t *out) {
    Py_ssize_t result = 0;
    int shift = 0;
    for (;;) {
        if (*pos >= n || shift > 56) return -1;
        unsigned char byte = data[(*pos)++];
        result |= (Py_ssize_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) break;
        shift += 7;
    }
    *out = result;
    return 0;
}

static PyObject *corrupt(void) {
    PyErr_SetString(PyExc_ValueError, "truncated or corrupt front-coded stream");
    return NULL;
}

static PyObject *block_seeds(PyObject *self, PyObject *args) {
    Py_buffer view;
    Py_ssize_t pos, block_size;
    if (!PyArg_ParseTuple(args, "y*nn", &view, &pos, &block_size)) return NULL;
    if (block_size < 1 || pos < 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "block_size must be positive, pos not negative");
        return NULL;
    }
    const unsigned char *data = view.buf;
    Py_ssize_t n = view.len, index = 0;
    /* never NULL: Py_BuildValue makes None, not b"", of a NULL pointer */
    Buffer key = {malloc(64), 0, 64}, value = {malloc(64), 0, 64};
    Buffer prev_key = {malloc(64), 0, 64}, prev_value = {malloc(64), 0, 64};
    PyObject *firsts = PyList_New(0), *blocks = PyList_New(0), *result = NULL;
    if (!key.bytes || !value.bytes || !prev_key.bytes || !prev_value.bytes) {
        PyErr_NoMemory();
        goto done;
    }
    if (firsts == NULL || blocks == NULL) goto done;
    while (pos < n) {
        Py_ssize_t start = pos, shared, suffix, vlen;
        if (read_varint(data, n, &pos, &shared) || read_varint(data, n, &pos, &suffix) ||
            suffix < 0 || pos + suffix > n) {
            corrupt();
            goto done;
        }
        if (shared > prev_key.len) shared = prev_key.len; /* a Python slice clamps */
        if (buffer_set(&key, prev_key.bytes, shared, data + pos, suffix)) goto done;
        pos += suffix;
        if (pos >= n) {
            corrupt();
            goto done;
        }
        unsigned char trim = data[pos++];
        if (trim == SAME_AS_PREV) {
            if (buffer_set(&value, prev_value.bytes, prev_value.len, NULL, 0)) goto done;
        } else {
            if (read_varint(data, n, &pos, &vlen) || vlen < 0 || pos + vlen > n) {
                corrupt();
                goto done;
            }
            /* key[:len - trim] as Python slices it: a negative stop counts from the end */
            Py_ssize_t keep = trim == LITERAL_VALUE ? 0 : key.len - trim;
            if (keep < 0) keep += key.len;
            if (keep < 0) keep = 0;
            if (buffer_set(&value, key.bytes, keep, data + pos, vlen)) goto done;
            pos += vlen;
        }
        if (index % block_size == 0) {
            PyObject *first = PyBytes_FromStringAndSize((const char *)key.bytes, key.len);
            PyObject *seed = Py_BuildValue("(ny#y#)", start, (const char *)prev_key.bytes,
                                           prev_key.len, (const char *)prev_value.bytes,
                                           prev_value.len);
            int failed = first == NULL || seed == NULL || PyList_Append(firsts, first) ||
                         PyList_Append(blocks, seed);
            Py_XDECREF(first);
            Py_XDECREF(seed);
            if (failed) goto done;
        }
        /* this record becomes the previous one: swap the buffers, no copy */
        Buffer swap = prev_key;
        prev_key = key;
        key = swap;
        swap = prev_value;
        prev_value = value;
        value = swap;
        index++;
    }
    result = Py_BuildValue("(OOn)", firsts, blocks, index);
done:
    Py_XDECREF(firsts);
    Py_XDECREF(blocks);
    free(key.bytes);
    free(value.bytes);
    free(prev_key.bytes);
    free(prev_value.bytes);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"block_seeds", block_seeds, METH_VARARGS,
     "block_seeds(data, pos, block_size) -> (firsts, blocks, count)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_frontcode_kernel", NULL, -1,
                                    methods};

PyMODINIT_FUNC PyInit__frontcode_kernel(void) { return PyModule_Create(&module); }
