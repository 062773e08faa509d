/*
 * stackset.c: a fixed table of (log file, stack id) pairs, filled on the
 * failure path only.  A file is known by device, inode and birth time
 * (where the file system keeps one: a file re-created on a recycled
 * inode number is a new file), and by a generation that moves on when
 * the file shrank under us (truncated in place, or re-created where
 * there is no birth time): then its earlier frames are gone and must be
 * written again.
 */
#include "stackset.h"

#include <pthread.h>
#include <string.h>

#define SET_SLOTS 1024 /* a power of two */
#define SET_PROBE 16

static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t slots[SET_SLOTS]; /* 0: empty */
static dev_t cur_dev;
static ino_t cur_ino;
static long long cur_btime_sec;
static unsigned cur_btime_nsec;
static off_t cur_end; /* the file is at least this long */
static uint64_t generation;

/* splitmix64's finalizer: spreads every input bit over the output. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t
stackset_file(const struct logw_file *f)
{
	const struct stat *st = &f->st;
	uint64_t key;

	if (!S_ISREG(st->st_mode))
		return 0;
	pthread_mutex_lock(&set_lock);
	if (st->st_dev != cur_dev || st->st_ino != cur_ino ||
	    f->btime_sec != cur_btime_sec || f->btime_nsec != cur_btime_nsec) {
		cur_dev = st->st_dev;
		cur_ino = st->st_ino;
		cur_btime_sec = f->btime_sec;
		cur_btime_nsec = f->btime_nsec;
		generation++;
	} else if (st->st_size < cur_end)
		generation++; /* truncated, or a new file on an old inode */
	else
		goto same;
	/* what was noted for the old file can never match again */
	memset(slots, 0, sizeof(slots));
	cur_end = st->st_size;
same:
	key = mix(mix((uint64_t)cur_dev) ^ (uint64_t)cur_ino) ^ mix(generation);
	pthread_mutex_unlock(&set_lock);
	return key != 0 ? key : 1;
}

void
stackset_wrote(const struct logw_file *f, size_t len)
{
	const struct stat *st = &f->st;
	off_t end = st->st_size + (off_t)len;

	if (!S_ISREG(st->st_mode))
		return;
	pthread_mutex_lock(&set_lock);
	if (st->st_dev == cur_dev && st->st_ino == cur_ino && end > cur_end)
		cur_end = end;
	pthread_mutex_unlock(&set_lock);
}

static uint64_t
entry(uint64_t file, uint64_t id)
{
	uint64_t e = mix(file ^ mix(id));

	return e != 0 ? e : 1;
}

int
stackset_has(uint64_t file, uint64_t id)
{
	uint64_t e = entry(file, id);
	size_t i, h;
	int found = 0;

	pthread_mutex_lock(&set_lock);
	for (i = 0, h = (size_t)e; i < SET_PROBE; i++, h++)
		if (slots[h % SET_SLOTS] == e || slots[h % SET_SLOTS] == 0) {
			found = slots[h % SET_SLOTS] == e;
			break;
		}
	pthread_mutex_unlock(&set_lock);
	return found;
}

void
stackset_add(uint64_t file, uint64_t id)
{
	uint64_t e = entry(file, id);
	size_t i, h;

	pthread_mutex_lock(&set_lock);
	for (i = 0, h = (size_t)e; i < SET_PROBE; i++, h++)
		if (slots[h % SET_SLOTS] == e || slots[h % SET_SLOTS] == 0) {
			slots[h % SET_SLOTS] = e;
			break;
		}
	pthread_mutex_unlock(&set_lock);
}

void
stackset_atfork_child(void)
{
	pthread_mutex_init(&set_lock, NULL);
}
