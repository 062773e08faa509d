/*
 * symprefetch.c: "tlsdiag report" spends a fixed 0.05 to 0.2 s opening
 * the modules its top call sites name and reading their symbols and DWARF.
 * Those modules are known from the first records that carry frames, so a
 * thread loads them while the workers are still reading the log; by the
 * time the report is rendered only the lookups remain.  What is loaded
 * does not depend on timing, so the report is the same.
 */
#include "symprefetch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct sympre {
	struct symbolizer *sym;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *mods[SYMPRE_MAX]; /* named so far, in order */
	size_t n;
	atomic_int full; /* n == SYMPRE_MAX: notes return at once */
	int stop;
};

static void *
run(void *arg)
{
	struct sympre *p = arg;
	size_t done = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (done == p->n && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (done == p->n)
			break;
		/* mods[done] is written once, before n passed it. */
		pthread_mutex_unlock(&p->mu);
		symbolizer_preload(p->sym, p->mods[done]);
		done++;
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct sympre *
sympre_start(struct symbolizer *s)
{
	struct sympre *p;

	if (s == NULL)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->sym = s;
	atomic_init(&p->full, 0);
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return NULL;
	}
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	if (pthread_create(&p->th, NULL, run, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

void
sympre_note(struct sympre *p, const char *module)
{
	size_t i;
	char *copy;

	if (p == NULL || module == NULL || module[0] != '/' ||
	    atomic_load_explicit(&p->full, memory_order_relaxed))
		return;
	pthread_mutex_lock(&p->mu);
	for (i = 0; i < p->n; i++)
		if (strcmp(p->mods[i], module) == 0)
			break;
	if (i == p->n && p->n < SYMPRE_MAX) {
		copy = strdup(module);
		if (copy != NULL) {
			p->mods[p->n++] = copy;
			pthread_cond_signal(&p->cv);
		}
		if (p->n == SYMPRE_MAX)
			atomic_store(&p->full, 1);
	}
	pthread_mutex_unlock(&p->mu);
}

void
sympre_note_hook(void *p, const char *module)
{
	sympre_note(p, module);
}

void
sympre_finish(struct sympre *p)
{
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	for (i = 0; i < p->n; i++)
		free(p->mods[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
