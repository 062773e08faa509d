/* pydetect.h: the CPython model records follow, and where it came from. */
#ifndef TLSDIAG_PYDETECT_H
#define TLSDIAG_PYDETECT_H

struct config;

struct pymodel {
	unsigned pyver; /* PYVER() the classifier reproduces */
	char name[16];	/* tlsdiag.python_model: "3.11.7", "3.13" */
	int source;	/* enum config_pysource */
};

/*
 * The PYVER() of the CPython interpreter running in this process, or 0
 * if there is none: Py_Version (3.11+) or Py_GetVersion() looked up in
 * the global scope, else in a loaded libpython.  Keeps errno.
 */
unsigned pydetect_version(void);

/*
 * The model for records: TLSDIAG_PYTHON when c names one, else the host's
 * CPython (looked up on the first call, so an interpreter embedded after
 * start-up is still seen), else c's default.  Never blocks; the result is
 * owned by this module.
 */
const struct pymodel *pydetect_model(const struct config *c);

#endif
