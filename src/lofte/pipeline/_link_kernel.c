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
        double *best = fused + r * n_pledges;
        for (Py_ssize_t p = 0; p < n_pledges; p++) best[p] = -1.0;
        for (Py_ssize_t u = 0; u < n_units; u++) {
            double b = row_bm[u] / max_idf;
            b = b / (b + half);
            double c = row_ng[u];
            double f = weight * b + (1 - weight) * c;
            int64_t p = unit_pledge[u];
            if (f >= best[p]) { /* ties: the pledge's last unit, as the NumPy path */
                best[p] = f;
                unit[r * n_pledges + p] = u;
                bm25[r * n_pledges + p] = b;
                ngram[r * n_pledges + p] = c;
            }
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

static PyMethodDef methods[] = {
    {"best_units", best_units, METH_VARARGS, "Each passage's best unit per pledge (in place)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_link_kernel", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__link_kernel(void) { return PyModule_Create(&module); }
