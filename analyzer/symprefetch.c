/*
 * symprefetch.c: "tlsdiag report" spends a fixed 0.05 to 0.2 s opening
 * the modules its top call sites name, reading their symbols and DWARF,
 * and reading the line tables its frames fall in.  Those are known from
 * the first records that carry frames, so a thread does that work while
 * the workers are still reading the log: it loads each module named and
 * looks up each frame once, which leaves libdw's line tables read; the
 * renderer's lookups then find them.  What is loaded does not depend on
 * timing, so the report is the same.
 */
#include "symprefetch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hugeheap.h"

/* A module to load (offset 0) or a frame to look up, in the order named. */
struct task {
	const char *module; /* one of mods[] */
	char *build_id;	    /* NULL if none */
	uint64_t offset;
};

struct sympre {
	struct symbolizer *sym;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *mods[SYMPRE_MAX]; /* named so far, in order */
	size_t nmods;
	struct task tasks[SYMPRE_MAX + SYMPRE_MAX_FRAMES];
	size_t n;
	size_t nframes;
	atomic_int full; /* no room for more frames: notes return at once */
	int stop;
};

static void *
run(void *arg)
{
	struct sympre *p = arg;
	struct sym_result r;
	struct task *t;
	size_t done = 0;

	hugeheap_thread();
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (done == p->n && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (done == p->n)
			break;
		/* tasks[done] is written once, before n passed it. */
		t = &p->tasks[done];
		pthread_mutex_unlock(&p->mu);
		if (t->offset == 0)
			symbolizer_preload(p->sym, t->module);
		else
			symbolize(p->sym, t->module, t->build_id, t->offset,
			    &r);
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

/* The module's entry in p->mods, added (with a task) if new; NULL if not
 * there and no room.  Called with p->mu held. */
static const char *
add_module(struct sympre *p, const char *module)
{
	size_t i;
	char *copy;

	for (i = 0; i < p->nmods; i++)
		if (strcmp(p->mods[i], module) == 0)
			return p->mods[i];
	if (p->nmods == SYMPRE_MAX)
		return NULL;
	copy = strdup(module);
	if (copy == NULL)
		return NULL;
	p->mods[p->nmods++] = copy;
	p->tasks[p->n++] = (struct task){ copy, NULL, 0 };
	pthread_cond_signal(&p->cv);
	return copy;
}

/* Is the frame a task already?  Called with p->mu held. */
static int
has_frame(const struct sympre *p, const char *module, uint64_t offset)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->tasks[i].offset == offset &&
		    p->tasks[i].module == module)
			return 1;
	return 0;
}

void
sympre_note_frame(struct sympre *p, const char *module, const char *build_id,
    int64_t offset)
{
	const char *mod;
	char *bid = NULL;

	if (p == NULL || module == NULL || module[0] != '/' ||
	    atomic_load_explicit(&p->full, memory_order_relaxed))
		return;
	pthread_mutex_lock(&p->mu);
	mod = add_module(p, module);
	if (mod != NULL && offset > 0 && p->nframes < SYMPRE_MAX_FRAMES &&
	    !has_frame(p, mod, (uint64_t)offset)) {
		if (build_id != NULL)
			bid = strdup(build_id);
		if (build_id == NULL || bid != NULL) {
			p->tasks[p->n++] =
			    (struct task){ mod, bid, (uint64_t)offset };
			p->nframes++;
			pthread_cond_signal(&p->cv);
		}
	}
	if (p->nframes == SYMPRE_MAX_FRAMES)
		atomic_store(&p->full, 1);
	pthread_mutex_unlock(&p->mu);
}

void
sympre_note(struct sympre *p, const char *module)
{
	sympre_note_frame(p, module, NULL, 0);
}

void
sympre_frame_hook(void *p, const char *module, const char *build_id,
    int64_t offset)
{
	sympre_note_frame(p, module, build_id, offset);
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
		free(p->tasks[i].build_id);
	for (i = 0; i < p->nmods; i++)
		free(p->mods[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
