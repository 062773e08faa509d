/*
 * recordout.c: what every record carries, and its way out: the hand-off
 * to logw.  Times are formatted here without gmtime_r() so no libc lock or
 * time zone file is touched inside the host.
 */
#include "recordout.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/civil.h"
#include "../common/logformat.h"
#include "backtrace.h"
#include "emit.h"
#include "logw.h"
#include "shim.h"
#include "stackset.h"
#include "str.h"

/* Write v as exactly n decimal digits at p. */
static void
digits(char *p, long long v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
record_time(char *out, size_t cap, long long sec, long usec)
{
	long long days = sec / 86400, rem = sec % 86400;
	int64_t y;
	int m, d;

	if (cap < 28)
		return;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	/* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ", by hand: this runs per record */
	memcpy(out, "0000-00-00T00:00:00.000000Z", 28);
	digits(out, y < 0 ? 0 : y, 4);
	digits(out + 5, m, 2);
	digits(out + 8, d, 2);
	digits(out + 11, rem / 3600, 2);
	digits(out + 14, rem / 60 % 60, 2);
	digits(out + 17, rem % 60, 2);
	digits(out + 20, usec, 6);
}

/*
 * The log's path for this process: TLSDIAG_LOG expanded once per pid (a
 * forked child gets its own %p).  When TLSDIAG_LOG cannot be used (see
 * config_load()) or is too long once expanded, the default is, and *why
 * says why (NULL when TLSDIAG_LOG is used).  Returns 0, or -1 if no path
 * can be made.
 */
static pthread_mutex_t path_lock = PTHREAD_MUTEX_INITIALIZER;

static int
log_path(pid_t pid, char *out, size_t cap, const char **why)
{
	static char path[CONFIG_PATH_MAX];
	static pid_t path_pid;
	static const char *path_why;
	unsigned long uid = (unsigned long)geteuid();
	int rc = 0;

	pthread_mutex_lock(&path_lock);
	if (path_pid != pid) {
		path_why = shim.cfg.log_why;
		rc = config_expand(shim.cfg.log, (long)pid, shim.host, uid,
		    path, sizeof(path));
		if (rc < 0 && path_why == NULL) {
			path_why = CONFIG_WHY_EXPANDED;
			rc = config_expand(CONFIG_DEFAULT_LOG, (long)pid,
			    shim.host, uid, path, sizeof(path));
		}
		path_pid = rc == 0 ? pid : 0;
	}
	if (rc == 0)
		str_cat(out, cap, path, STR_END);
	*why = path_why;
	pthread_mutex_unlock(&path_lock);
	return rc;
}

/*
 * Whether the log_fallback note has reached the log, and whether the
 * record this thread is building carries it.
 */
static _Atomic int fallback_written;
static _Thread_local int fallback_in_record;

int
record_fallback_due(const char **given, const char **why)
{
	char path[CONFIG_PATH_MAX];

	fallback_in_record = 0;
	if (atomic_load_explicit(&fallback_written, memory_order_relaxed) ||
	    log_path(getpid(), path, sizeof(path), why) < 0 || *why == NULL)
		return 0;
	/* the given value, not the expansion: it may hold a host's name */
	*given =
	    shim.cfg.log_given[0] != '\0' ? shim.cfg.log_given : shim.cfg.log;
	fallback_in_record = 1;
	return 1;
}

/* Took the frames at sp out of buf[0..*len): the stack id stays. */
static void
elide_frames(char *buf, long *len, const struct bt_span *sp)
{
	static const char repeat[] =
	    ",\"" LOGFORMAT_M_BACKTRACE_REPEAT "\":true";
	size_t n = sizeof(repeat) - 1;

	if (sp->end - sp->start < n || sp->end > (size_t)*len)
		return;
	memcpy(buf + sp->start, repeat, n);
	memmove(buf + sp->start + n, buf + sp->end, (size_t)*len - sp->end);
	*len -= (long)(sp->end - sp->start - n);
}

int
record_write_frames(struct jsonw *w, const struct bt_span *sp)
{
	return record_write_sealed(w, emit_seal(w), sp);
}

int
record_write_sealed(struct jsonw *w, long len, const struct bt_span *sp)
{
	char path[CONFIG_PATH_MAX];
	struct logw_file lf;
	uint64_t file;
	pid_t pid = getpid();
	const char *why;
	int fd, frames;
	static _Atomic int warned;

	if (len < 0) {
		atomic_fetch_add(&shim.dropped, 1);
		shim_debug("record too large, dropped");
		return -1;
	}
	if (log_path(pid, path, sizeof(path), &why) < 0) {
		atomic_fetch_add(&shim.dropped, 1);
		if (!atomic_exchange(&warned, 1))
			shim_debug("bad TLSDIAG_LOG '%s'", shim.cfg.log);
		return -1;
	}
	fd = logw_open(path, &lf);
	file = fd >= 0 ? stackset_file(&lf) : 0;
	frames = sp != NULL && sp->end > sp->start;
	if (frames && file != 0 && !shim.cfg.repeat_frames &&
	    stackset_has(file, sp->id)) {
		elide_frames(w->buf, &len, sp);
		frames = 0;
	}
	if (fd < 0 || logw_write(fd, &lf, w->buf, (size_t)len) < 0) {
		int e = errno;

		atomic_fetch_add(&shim.dropped, 1);
		if (!atomic_exchange(&warned, 1))
			shim_debug("cannot write '%s': %s", path, strerror(e));
		return -1;
	}
	if (fallback_in_record)
		atomic_store(&fallback_written, 1);
	stackset_wrote(&lf, (size_t)len);
	if (frames && file != 0)
		stackset_add(file, sp->id);
	atomic_fetch_add(&shim.records, 1);
	return 0;
}

int
record_write(struct jsonw *w)
{
	return record_write_frames(w, NULL);
}

void
record_fit_init(struct record_fit *f, const char *peer)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < RECORD_NPARTS; i++)
		f->room[i] = SIZE_MAX;
	f->peer = peer;
}

void
record_part_begin(struct record_fit *f, enum record_part p,
    const struct jsonw *w)
{
	f->start[p] = jsonw_need(w);
	f->size[p] = 0;
}

size_t
record_part_limit(const struct record_fit *f, enum record_part p)
{
	return f->room[p] == SIZE_MAX ? SIZE_MAX : f->start[p] + f->room[p];
}

void
record_part_end(struct record_fit *f, enum record_part p, const struct jsonw *w,
    int cut)
{
	f->size[p] = jsonw_need(w) - f->start[p];
	if (cut)
		f->cut |= 1u << p;
}

/* The member names of the parts, tls.PEER ones after the peer. */
static const char *const part_names[RECORD_NPARTS] = {
	LOGFORMAT_M_TLSDIAG "." LOGFORMAT_M_VERIFY_SUBJECT,
	LOGFORMAT_M_TLSDIAG "." LOGFORMAT_M_ERRORS,
	LOGFORMAT_M_TLSDIAG "." LOGFORMAT_M_BACKTRACE,
	"." LOGFORMAT_M_X509 "." LOGFORMAT_M_SUBJECT "." LOGFORMAT_M_DN,
	"." LOGFORMAT_M_X509 "." LOGFORMAT_M_ISSUER "." LOGFORMAT_M_DN,
	"." LOGFORMAT_M_X509 "." LOGFORMAT_M_ALT_NAMES,
};

void
record_part_name(const struct record_fit *f, int p, char *out, size_t cap)
{
	if (part_names[p][0] == '.')
		str_cat(out, cap, LOGFORMAT_M_TLS ".", f->peer, part_names[p],
		    STR_END);
	else
		str_cat(out, cap, part_names[p], STR_END);
}

/* The most the marker can take: every part named. */
static size_t
marker_max(const struct record_fit *f)
{
	char name[64];
	size_t n = sizeof(",\"" LOGFORMAT_M_TRUNCATED "\":[]") - 1;
	int i;

	for (i = 0; i < RECORD_NPARTS; i++) {
		record_part_name(f, i, name, sizeof(name));
		n += strlen(name) + 3; /* quotes and a comma */
	}
	return n;
}

/*
 * The largest common size c for the parts that are larger, so that all
 * parts together take at most target bytes.
 */
static size_t
common_size(const size_t *size, size_t target)
{
	size_t lo = 0, hi = 0, mid, sum;
	int i;

	for (i = 0; i < RECORD_NPARTS; i++)
		if (size[i] > hi)
			hi = size[i];
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		for (i = 0, sum = 0; i < RECORD_NPARTS; i++)
			sum += size[i] < mid ? size[i] : mid;
		if (sum <= target)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int
record_fit_again(struct record_fit *f, const struct jsonw *w)
{
	size_t limit = w->cap - 1; /* the NUL after the newline */
	size_t all = 0, over, c;
	int i;

	if (jsonw_need(w) <= limit && (f->cut & ~f->said) == 0)
		return 0; /* whole, and says what it cut */
	f->pass++;
	if (f->pass > 3)
		return 0;
	f->said |= f->cut;
	/* room for the marker, at its longest, as it may grow */
	if (jsonw_need(w) + marker_max(f) > limit) {
		over = jsonw_need(w) + marker_max(f) - limit;
		for (i = 0; i < RECORD_NPARTS; i++)
			all += f->size[i];
		c = over < all ? common_size(f->size, all - over) : 0;
		if (f->pass == 3)
			c = 0; /* the last pass: nothing variable */
		for (i = 0; i < RECORD_NPARTS; i++)
			if (f->size[i] > c) {
				f->room[i] = c;
				f->said |= 1u << i;
			}
	}
	f->cut = 0;
	return 1;
}

void
record_atfork_child(void)
{
	pthread_mutex_init(&path_lock, NULL);
}
