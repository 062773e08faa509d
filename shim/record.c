/*
 * record.c: what every record carries, the rate limit, and the hand-off
 * to logw.  Times are formatted here without gmtime_r() so no libc lock or
 * time zone file is touched inside the host.
 */
#include "record.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../common/civil.h"
#include "../common/logformat.h"
#include "backtrace.h"
#include "logw.h"
#include "sink_syslog.h"
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

void
record_begin(struct jsonw *w, char *buf, const char *level, const char *action,
    const char *message)
{
	struct timespec ts;
	char when[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	record_time(when, sizeof(when), (long long)ts.tv_sec,
	    ts.tv_nsec / 1000);
	jsonw_init(w, buf, RECORD_MAX);
	jsonw_obj(w, NULL);
	jsonw_str(w, "@timestamp", when);
	jsonw_str(w, "log.level", level);
	jsonw_str(w, "message", message);
	jsonw_str(w, "ecs.version", LOGFORMAT_ECS_VERSION);
	jsonw_obj(w, "event");
	jsonw_str(w, "action", action);
	jsonw_end(w);
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

void
record_tlsdiag_schema(struct jsonw *w)
{
	char path[CONFIG_PATH_MAX];
	const char *why, *given;

	jsonw_int(w, "schema", LOGFORMAT_SCHEMA);
	fallback_in_record = 0;
	if (atomic_load_explicit(&fallback_written, memory_order_relaxed) ||
	    log_path(getpid(), path, sizeof(path), &why) < 0 || why == NULL)
		return;
	/* the given value, not the expansion: it may hold a host's name */
	given =
	    shim.cfg.log_given[0] != '\0' ? shim.cfg.log_given : shim.cfg.log;
	jsonw_obj(w, LOGFORMAT_LOG_FALLBACK);
	jsonw_strn(w, "given", given, strnlen(given, CONFIG_GIVEN_MAX - 1));
	jsonw_str(w, "reason", why);
	jsonw_end(w);
	fallback_in_record = 1;
}

/* Took the frames at sp out of buf[0..*len): the stack id stays. */
static void
elide_frames(char *buf, long *len, const struct bt_span *sp)
{
	static const char repeat[] = ",\"backtrace_repeat\":true";
	size_t n = sizeof(repeat) - 1;

	if (sp->end - sp->start < n || sp->end > (size_t)*len)
		return;
	memcpy(buf + sp->start, repeat, n);
	memmove(buf + sp->start + n, buf + sp->end, (size_t)*len - sp->end);
	*len -= (long)(sp->end - sp->start - n);
}

long
record_seal(struct jsonw *w)
{
	jsonw_obj(w, "process");
	jsonw_int(w, "pid", getpid());
	jsonw_obj(w, "thread");
	jsonw_int(w, "id", (long long)syscall(SYS_gettid));
	jsonw_end(w);
	jsonw_str(w, "executable", shim.exe);
	jsonw_str(w, "name", shim.name);
	jsonw_end(w);
	jsonw_obj(w, "host");
	jsonw_str(w, "hostname", shim.host);
	jsonw_end(w);
	return jsonw_finish(w);
}

int
record_write_frames(struct jsonw *w, const struct bt_span *sp)
{
	return record_write_sealed(w, record_seal(w), sp);
}

/* A record to the syslog socket sock (TLSDIAG_LOG=syslog:): always whole. */
static int
write_syslog(const char *sock, const struct jsonw *w, long len)
{
	static _Atomic int warned;
	int e;

	if (sink_syslog_send(sock, w->buf, (size_t)len, shim.host, shim.name,
		(long)getpid()) == 0) {
		atomic_fetch_add(&shim.records, 1);
		return 0;
	}
	e = errno;
	atomic_fetch_add(&shim.dropped, 1);
	if (!atomic_exchange(&warned, 1))
		shim_debug("cannot send to '%s': %s", sock, strerror(e));
	return -1;
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
	if (config_syslog_socket(shim.cfg.log) != NULL)
		return write_syslog(config_syslog_socket(shim.cfg.log), w, len);
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
static const char *const part_names[RECORD_NPARTS] = { "tlsdiag.verify_subject",
	"tlsdiag.errors", "tlsdiag.backtrace",
	".x509.subject.distinguished_name", ".x509.issuer.distinguished_name",
	".x509.alternative_names" };

static void
part_name(const struct record_fit *f, int p, char *out, size_t cap)
{
	if (part_names[p][0] == '.')
		str_cat(out, cap, "tls.", f->peer, part_names[p], STR_END);
	else
		str_cat(out, cap, part_names[p], STR_END);
}

void
record_fit_marker(struct jsonw *w, const struct record_fit *f)
{
	char name[64];
	int i;

	if (f->said == 0)
		return;
	jsonw_arr(w, "truncated");
	for (i = 0; i < RECORD_NPARTS; i++)
		if (f->said & (1u << i)) {
			part_name(f, i, name, sizeof(name));
			jsonw_str(w, NULL, name);
		}
	jsonw_end(w);
}

/* The most the marker can take: every part named. */
static size_t
marker_max(const struct record_fit *f)
{
	char name[64];
	size_t n = sizeof(",\"truncated\":[]") - 1;
	int i;

	for (i = 0; i < RECORD_NPARTS; i++) {
		part_name(f, i, name, sizeof(name));
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

/* The tlsdiag_suppressed record: held failures were not written. */
static void
write_suppressed(unsigned long held)
{
	char buf[RECORD_MAX], msg[128];
	struct jsonw w;

	snprintf(msg, sizeof(msg),
	    "%lu failure records suppressed by the "
	    "rate limit (TLSDIAG_RATE=%u)",
	    held, shim.cfg.rate);
	record_begin(&w, buf, LOGFORMAT_LEVEL_WARNING,
	    LOGFORMAT_ACTION_SUPPRESSED, msg);
	jsonw_obj(&w, "tlsdiag");
	record_tlsdiag_schema(&w);
	jsonw_uint(&w, "suppressed", held);
	jsonw_end(&w);
	record_write(&w);
}

/*
 * A window of one second, lock-free: a failure storm in many threads must
 * not serialize on us.  Races at a window's edge let a record or two more
 * through; none is lost from the counts.
 */
static _Atomic long long rate_second;
static _Atomic unsigned rate_count;
static _Atomic unsigned long rate_held;

int
record_admit(void)
{
	struct timespec ts;
	unsigned long held = 0;
	long long cur;
	int ok;

	if (shim.cfg.rate == 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	cur = atomic_load_explicit(&rate_second, memory_order_relaxed);
	if (ts.tv_sec != cur &&
	    atomic_compare_exchange_strong(&rate_second, &cur,
		(long long)ts.tv_sec)) {
		atomic_store(&rate_count, 0);
		held = atomic_exchange(&rate_held, 0);
	}
	ok = atomic_fetch_add_explicit(&rate_count, 1, memory_order_relaxed) <
	    shim.cfg.rate;
	if (!ok) {
		atomic_fetch_add_explicit(&rate_held, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&shim.suppressed, 1,
		    memory_order_relaxed);
	}
	if (held > 0)
		write_suppressed(held);
	return ok;
}

void
record_flush_suppressed(void)
{
	unsigned long held = atomic_exchange(&rate_held, 0);

	if (held > 0)
		write_suppressed(held);
}

void
record_atfork_child(void)
{
	pthread_mutex_init(&path_lock, NULL);
	logw_atfork_child();
	atomic_store(&rate_held, 0);
	stackset_atfork_child();
}
