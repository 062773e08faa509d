/*
 * follow.c: "tlsdiag report --follow".  A loop reads whatever the
 * followed files gained (a poll of every file each time round, woken by
 * inotify on their directories or after FOLLOW_TICK_MS at the latest),
 * feeds each complete line to report.c as report_run() would, and shows
 * the groups live.  Per group only a ring of LIVE_BUCKETS counters of
 * LIVE_BUCKET_S seconds (by record time) is kept besides the aggregate,
 * so memory follows the number of groups, not the hours followed.
 *
 * The terminal view is plain ANSI (home, clear, bold): it is one small
 * table redrawn whole once a second, which every terminal in use
 * understands; ncurses would add a dependency and an alternate screen
 * that hides the report printed on Ctrl-C.  A dumb terminal (TERM unset,
 * empty or "dumb") gets the table without escapes, only when it changed.
 */
#include "follow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certtime.h"
#include "termsafe.h"
#include "timeline.h"
#include "view.h"

#define FOLLOW_TICK_MS 250
#define LIVE_BUCKET_S 10
#define LIVE_BUCKETS 30 /* five minutes */
#define READ_CHUNK 65536

/* A followed file. */
struct ffile {
	char *path; /* owned */
	int fd;	    /* -1 while not open */
	dev_t dev;
	ino_t ino;
	off_t off;
	char *buf; /* the unfinished last line */
	size_t len;
	size_t cap;
	int skipping;	 /* inside a line over o->max_line */
	const char *dir; /* the followed directory it was found in, or NULL */
	int gone;	 /* from_dir, and no longer there: forget it */
	uint64_t lineno;
};

/* What the live view keeps per failure group. */
struct live_group {
	const struct agg_group *g;
	int64_t seen; /* wall clock (us) when follow first saw it */
	int initial;  /* seen while reading what was there at start */
	int64_t epoch[LIVE_BUCKETS]; /* record time / LIVE_BUCKET_S */
	uint64_t count[LIVE_BUCKETS];
};

struct follow {
	struct report_opts o; /* the caller's, with our on_record hook */
	FILE *out;	      /* the report */
	FILE *ev; /* the live view: out, or stderr for json, csv, html */
	struct agg *a;
	struct report_result *res;
	struct ffile *files;
	size_t nfiles;
	size_t cap;
	char *const *paths;
	size_t npaths;
	int ifd;	     /* inotify, or -1 */
	const char *cur;     /* the file being read */
	struct strmap live;  /* key: the group's address */
	struct timeline *tl; /* --format html: the chart's counts */
	int initial;	     /* still reading what was there at start */
	int ndjson;	     /* --format ndjson: JSON event lines */
	int tty;
	int dumb;
	int changed; /* since the last draw */
	int64_t last_draw;
	int64_t last_count;
	char line[READ_CHUNK];
};

static volatile sig_atomic_t follow_signal;

static void
on_signal(int sig)
{
	follow_signal = sig;
}

static int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Add s (made valid UTF-8) as member k.  0, or -1 if out of memory. */
static int
json_str(cJSON *o, const char *k, const char *s)
{
	char *u = termsafe_utf8_dup(s);
	int rc = u != NULL && cJSON_AddStringToObject(o, k, u) != NULL ? 0 : -1;

	free(u);
	return rc;
}

/* Print o as one line with what a terminal must not see raw escaped. */
static void
json_line(struct follow *f, cJSON *o, int rc)
{
	char *text = rc == 0 ? cJSON_PrintUnformatted(o) : NULL;
	char *safe;
	size_t n;

	cJSON_Delete(o);
	if (text == NULL) {
		f->res->fatal = 1;
		return;
	}
	safe = malloc(TERMSAFE_JSON_MAX(strlen(text)));
	if (safe != NULL && termsafe_json(text, strlen(text), safe, &n) != -1) {
		fwrite(safe, 1, n, f->ev);
		fputc('\n', f->ev);
	} else
		f->res->fatal = 1;
	free(safe);
	free(text);
}

/* The line for a group seen for the first time (pipe or ndjson). */
static void
announce(struct follow *f, const struct agg_group *g, const char *file)
{
	char b[CERTTIME_BUFSZ];
	char line[800];
	cJSON *o;
	int rc = 0;

	if (!f->ndjson) {
		fprintf(f->ev, "new group  %s  %s\n",
		    certtime_format(g->st.first, 0, b),
		    view_group_line(g, line, sizeof(line)));
		return;
	}
	o = cJSON_CreateObject();
	if (o == NULL) {
		f->res->fatal = 1;
		return;
	}
	rc |= json_str(o, "event", "new_group");
	rc |= json_str(o, "first_seen", certtime_format(g->st.first, 1, b));
	rc |= json_str(o, "type", g->type);
	rc |= json_str(o, "reason", g->reason);
	rc |= json_str(o, "sni", strcmp(g->sni, "-") != 0 ? g->sni : "");
	rc |= json_str(o, "address", strcmp(g->addr, "-") != 0 ? g->addr : "");
	rc |= json_str(o, "program", g->program);
	rc |= json_str(o, "file", file);
	json_line(f, o, rc);
}

/* Failures of l in the last secs seconds (by record time) before now. */
static uint64_t
recent(const struct live_group *l, int64_t now, int secs)
{
	int64_t cur = now / 1000000 / LIVE_BUCKET_S;
	int64_t from = cur - secs / LIVE_BUCKET_S + 1;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < LIVE_BUCKETS; i++)
		if (l->epoch[i] >= from && l->epoch[i] <= cur)
			sum += l->count[i];
	return sum;
}

/* report_opts on_record hook: keep the live view's counts. */
static void
on_record(void *arg, struct agg *a, const struct record *r)
{
	struct follow *f = arg;
	struct strmap_ent *e;
	struct live_group *l;
	const struct agg_group *g = a->last_group;
	int64_t ep;
	size_t slot;
	int created;

	if (f->tl != NULL)
		timeline_hook(f->tl, a, r);
	if (!r->is_failure || g == NULL)
		return;
	e = strmap_get(&f->live, &g, sizeof(g), &created);
	if (e == NULL) {
		f->res->fatal = 1;
		return;
	}
	l = e->val;
	if (created) {
		l->g = g;
		l->seen = wall_us();
		l->initial = f->initial;
		if (!f->tty)
			announce(f, g, f->cur);
	}
	ep = r->ts / 1000000 / LIVE_BUCKET_S;
	slot = (size_t)(ep % LIVE_BUCKETS + LIVE_BUCKETS) % LIVE_BUCKETS;
	if (l->epoch[slot] != ep) {
		if (ep < l->epoch[slot] && l->count[slot] != 0)
			return; /* older than the window */
		l->epoch[slot] = ep;
		l->count[slot] = 0;
	}
	l->count[slot]++;
	f->changed = 1;
}

/* Feed the complete lines of p[0..n) of file ff; keep the rest. */
static void
feed(struct follow *f, struct ffile *ff, const char *p, size_t n)
{
	const char *nl;
	size_t take;
	char *nb;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) : n;
		if (ff->skipping || ff->len + take > f->o.max_line) {
			if (!ff->skipping) {
				ff->skipping = 1;
				ff->len = 0;
			}
		} else {
			if (ff->len + take + 1 > ff->cap) {
				nb = realloc(ff->buf, ff->len + take + 1);
				if (nb == NULL) {
					f->res->fatal = 1;
					return;
				}
				ff->buf = nb;
				ff->cap = ff->len + take + 1;
			}
			memcpy(ff->buf + ff->len, p, take);
			ff->len += take;
		}
		if (nl == NULL)
			return;
		ff->lineno++;
		if (ff->skipping) {
			report_feed(&f->o, ff->path, ff->lineno, 1, "", 0,
			    f->out, f->a, f->res);
		} else {
			ff->buf[ff->len] = '\0';
			report_feed(&f->o, ff->path, ff->lineno, 0, ff->buf,
			    ff->len, f->out, f->a, f->res);
		}
		ff->skipping = 0;
		ff->len = 0;
		p += take + 1;
		n -= take + 1;
	}
}

/* Read what ff's descriptor has left, to its current end. */
static void
drain(struct follow *f, struct ffile *ff)
{
	ssize_t n;

	f->cur = ff->path;
	for (;;) {
		n = read(ff->fd, f->line, sizeof(f->line));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ff->off += n;
		feed(f, ff, f->line, (size_t)n);
	}
}

static void
close_file(struct ffile *ff)
{
	if (ff->fd >= 0)
		close(ff->fd);
	ff->fd = -1;
	ff->len = 0;
	ff->skipping = 0;
}

/* Is name a *.jsonl file name? */
static int
is_jsonl(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 6 && strcmp(name + n - 6, ".jsonl") == 0;
}

/*
 * ff (found in a followed directory) no longer has its name: if its file
 * is in the directory under another *.jsonl name, follow it there (so it
 * is not read again as a new file).  Returns 1 if so, else 0.
 */
static int
renamed_in_dir(struct ffile *ff)
{
	struct dirent *de;
	struct stat sb;
	char path[4096];
	char *np;
	DIR *d;
	int found = 0;

	d = opendir(ff->dir);
	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		if (!is_jsonl(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ff->dir, de->d_name);
		if (stat(path, &sb) == -1 || sb.st_dev != ff->dev ||
		    sb.st_ino != ff->ino)
			continue;
		np = strdup(path);
		if (np == NULL)
			break;
		free(ff->path);
		ff->path = np;
		found = 1;
	}
	closedir(d);
	return found;
}

/*
 * One round for ff: open it if it appeared, notice rotation (the path
 * names another file now, or none) and truncation, read what is new.
 */
static void
pump(struct follow *f, struct ffile *ff)
{
	struct stat sp, sf;
	int have = stat(ff->path, &sp) == 0 && S_ISREG(sp.st_mode);

	if (ff->fd >= 0 &&
	    (!have || sp.st_dev != ff->dev || sp.st_ino != ff->ino) &&
	    (ff->dir == NULL || !renamed_in_dir(ff))) {
		/* Renamed away or replaced: finish the old file first. */
		drain(f, ff);
		close_file(ff);
	}
	if (ff->fd < 0) {
		/* A process's log deleted: the list stays as long as the
		 * directory's. */
		if (!have) {
			ff->gone = ff->dir != NULL;
			return;
		}
		ff->fd = open(ff->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (ff->fd < 0 || fstat(ff->fd, &sf) == -1) {
			close_file(ff);
			return;
		}
		ff->dev = sf.st_dev;
		ff->ino = sf.st_ino;
		ff->off = 0;
		ff->lineno = 0;
	}
	if (fstat(ff->fd, &sf) == 0 && sf.st_size < ff->off) {
		/* Truncated (copytruncate): start over. */
		if (lseek(ff->fd, 0, SEEK_SET) == -1) {
			close_file(ff);
			return;
		}
		ff->off = 0;
		ff->len = 0;
		ff->skipping = 0;
		ff->lineno = 0;
	}
	drain(f, ff);
}

/* Follow path too (a copy), unless it already is.  0, or -1 (no memory). */
static int
add_file(struct follow *f, const char *path)
{
	struct ffile *nf;
	size_t i;

	for (i = 0; i < f->nfiles; i++)
		if (strcmp(f->files[i].path, path) == 0)
			return 0;
	if (f->nfiles == f->cap) {
		nf = reallocarray(f->files, f->cap ? 2 * f->cap : 8,
		    sizeof(*nf));
		if (nf == NULL)
			return -1;
		f->files = nf;
		f->cap = f->cap ? 2 * f->cap : 8;
	}
	nf = &f->files[f->nfiles];
	memset(nf, 0, sizeof(*nf));
	nf->fd = -1;
	nf->path = strdup(path);
	if (nf->path == NULL)
		return -1;
	f->nfiles++;
	return 0;
}

/*
 * Is the file at path one already followed under another name (renamed
 * within the directory by a rotation)?
 */
static int
known_file(const struct follow *f, const char *path)
{
	struct stat sb;
	size_t i;

	if (stat(path, &sb) == -1)
		return 1;
	for (i = 0; i < f->nfiles; i++)
		if (f->files[i].fd >= 0 && f->files[i].dev == sb.st_dev &&
		    f->files[i].ino == sb.st_ino)
			return 1;
	return 0;
}

/* Look for new *.jsonl files in the directory dir. */
static void
scan_dir(struct follow *f, const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d;
	size_t i;

	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_jsonl(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		for (i = 0; i < f->nfiles; i++)
			if (strcmp(f->files[i].path, path) == 0)
				break;
		if (i < f->nfiles || known_file(f, path))
			continue;
		if (add_file(f, path) == -1) {
			f->res->fatal = 1;
			continue;
		}
		f->files[f->nfiles - 1].dir = dir;
		pump(f, &f->files[f->nfiles - 1]);
	}
	closedir(d);
}

/* One round over every path. */
static void
round_all(struct follow *f)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < f->npaths; i++)
		if (stat(f->paths[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			scan_dir(f, f->paths[i]);
	for (i = 0; i < f->nfiles; i++)
		pump(f, &f->files[i]);
	i = 0;
	while (i < f->nfiles) {
		if (!f->files[i].gone) {
			i++;
			continue;
		}
		free(f->files[i].path);
		free(f->files[i].buf);
		f->files[i] = f->files[--f->nfiles];
	}
}

/* Watch the directories the paths are or are in, for a quick wake-up. */
static void
watch_all(struct follow *f)
{
	const uint32_t mask = IN_MODIFY | IN_CREATE | IN_MOVED_TO |
	    IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB;
	struct stat sb;
	char dir[4096];
	char *slash;
	size_t i;

	f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ifd < 0)
		return;
	for (i = 0; i < f->npaths; i++) {
		if (stat(f->paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			inotify_add_watch(f->ifd, f->paths[i], mask);
			continue;
		}
		snprintf(dir, sizeof(dir), "%s", f->paths[i]);
		slash = strrchr(dir, '/');
		if (slash == NULL)
			snprintf(dir, sizeof(dir), ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		inotify_add_watch(f->ifd, dir, mask);
	}
}

/* Sleep until a watched directory changes, a signal, or the tick. */
static void
wait_tick(struct follow *f)
{
	struct pollfd pfd;
	char ev[4096];

	if (f->ifd < 0) {
		poll(NULL, 0, FOLLOW_TICK_MS);
		return;
	}
	pfd.fd = f->ifd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, FOLLOW_TICK_MS) > 0)
		while (read(f->ifd, ev, sizeof(ev)) > 0)
			continue;
}

/* Live groups by failures in the last five minutes, then total. */
static int
cmp_live(const void *pa, const void *pb)
{
	const struct live_group *a =
	    (*(const struct strmap_ent *const *)pa)->val;
	const struct live_group *b =
	    (*(const struct strmap_ent *const *)pb)->val;
	int64_t now = wall_us();
	uint64_t ra = recent(a, now, 300), rb = recent(b, now, 300);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (a->g->st.count != b->g->st.count)
		return a->g->st.count > b->g->st.count ? -1 : 1;
	return a->seen < b->seen ? -1 : a->seen > b->seen;
}

/* Rows the terminal has room for, at most o->top (0: all that fit). */
static size_t
view_rows(const struct follow *f, size_t n)
{
	struct winsize ws;
	size_t rows = 20;

	if (ioctl(fileno(f->ev), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 4)
		rows = (size_t)ws.ws_row - 4;
	if (f->o.top != 0 && f->o.top < rows)
		rows = f->o.top;
	return n < rows ? n : rows;
}

/* The terminal view: a header, then one line per group. */
static void
draw(struct follow *f)
{
	struct strmap_ent **e;
	char line[800];
	char b[CERTTIME_BUFSZ];
	int64_t now = wall_us();
	size_t i, n;

	e = strmap_entries(&f->live);
	if (e != NULL)
		qsort(e, f->live.count, sizeof(*e), cmp_live);
	n = e != NULL ? view_rows(f, f->live.count) : 0;
	if (!f->dumb)
		fputs("\033[H\033[2J", f->ev);
	fprintf(f->ev,
	    "tlsdiag report --follow  %s  %llu failures in %zu groups, %zu "
	    "files; Ctrl-C: full report\n",
	    certtime_format(now, 0, b), (unsigned long long)f->a->failures,
	    f->a->groups.count, f->nfiles);
	fprintf(f->ev, "  %5s %5s %7s  %s\n", "1m", "5m", "total", "group");
	for (i = 0; i < n; i++) {
		const struct live_group *l = e[i]->val;
		int fresh = !l->initial && now - l->seen < 60000000;

		fprintf(f->ev, "%s%s %5llu %5llu %7llu  %s%s\n",
		    fresh && !f->dumb ? "\033[1m" : "", fresh ? "*" : " ",
		    (unsigned long long)recent(l, now, 60),
		    (unsigned long long)recent(l, now, 300),
		    (unsigned long long)l->g->st.count,
		    view_group_line(l->g, line, sizeof(line)),
		    fresh && !f->dumb ? "\033[0m" : "");
	}
	if (n < f->live.count)
		fprintf(f->ev, "  ... %zu more groups\n", f->live.count - n);
	if (f->dumb)
		fputc('\n', f->ev);
	free(e);
}

/* The periodic count line on a pipe. */
static void
count_line(struct follow *f)
{
	char b[CERTTIME_BUFSZ];
	struct strmap_iter it;
	struct strmap_ent *e;
	int64_t now = wall_us();
	uint64_t last = 0;
	cJSON *o;
	int rc = 0;

	strmap_iter_init(&it, &f->live);
	while ((e = strmap_iter_next(&it)) != NULL)
		last += recent(e->val, now, 60);
	if (!f->ndjson) {
		fprintf(f->ev,
		    "count      %s  %llu failures in %zu groups, %llu in the "
		    "last minute\n",
		    certtime_format(now, 0, b),
		    (unsigned long long)f->a->failures, f->a->groups.count,
		    (unsigned long long)last);
		return;
	}
	o = cJSON_CreateObject();
	if (o == NULL) {
		f->res->fatal = 1;
		return;
	}
	rc |= json_str(o, "event", "count");
	rc |= json_str(o, "time", certtime_format(now, 1, b));
	if (cJSON_AddNumberToObject(o, "failures", (double)f->a->failures) ==
		NULL ||
	    cJSON_AddNumberToObject(o, "groups", (double)f->a->groups.count) ==
		NULL ||
	    cJSON_AddNumberToObject(o, "last_minute", (double)last) == NULL ||
	    cJSON_AddNumberToObject(o, "files", (double)f->nfiles) == NULL)
		rc = -1;
	json_line(f, o, rc);
}

/* Show what changed: redraw the terminal, or the count line when due. */
static void
show(struct follow *f)
{
	int64_t now = wall_us();

	if (f->tty) {
		if (now - f->last_draw >= 1000000 && (!f->dumb || f->changed)) {
			draw(f);
			f->last_draw = now;
			f->changed = 0;
		}
	} else if (now - f->last_count >= FOLLOW_COUNT_EVERY * 1000000LL) {
		count_line(f);
		f->last_count = now;
	}
	fflush(f->ev);
	fflush(f->out);
}

static void
set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	follow_signal = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Start following: the paths' files, the view's mode. */
static int
follow_init(struct follow *f, const struct report_opts *o, char *const *paths,
    size_t npaths, FILE *out, struct report_result *res)
{
	struct stat sb;
	const char *term = getenv("TERM");
	size_t i;

	memset(f, 0, sizeof(*f));
	memset(res, 0, sizeof(*res));
	f->o = *o;
	f->o.on_record = on_record;
	f->o.on_record_arg = f;
	f->o.progress = NULL;
	/* Records are not passed through: ndjson means event lines here. */
	f->ndjson = o->format == REPORT_NDJSON;
	if (f->ndjson)
		f->o.format = REPORT_JSON;
	f->out = out;
	f->ev = o->format == REPORT_TEXT || o->format == REPORT_NDJSON ? out :
									 stderr;
	f->res = res;
	f->paths = paths;
	f->npaths = npaths;
	f->ifd = -1;
	f->tty = isatty(fileno(out)) && o->format == REPORT_TEXT;
	f->dumb = term == NULL || *term == '\0' || strcmp(term, "dumb") == 0;
	strmap_init(&f->live, sizeof(struct live_group));
	if (o->format == REPORT_HTML) {
		f->tl = timeline_new();
		if (f->tl == NULL)
			return -1;
	}
	f->a = malloc(sizeof(*f->a));
	if (f->a == NULL)
		return -1;
	agg_init(f->a);
	for (i = 0; i < npaths; i++)
		if ((stat(paths[i], &sb) == -1 || !S_ISDIR(sb.st_mode)) &&
		    add_file(f, paths[i]) == -1)
			return -1;
	return 0;
}

static void
follow_free(struct follow *f)
{
	size_t i;

	for (i = 0; i < f->nfiles; i++) {
		close_file(&f->files[i]);
		free(f->files[i].path);
		free(f->files[i].buf);
	}
	free(f->files);
	if (f->ifd >= 0)
		close(f->ifd);
	strmap_free(&f->live);
	timeline_free(f->tl);
	if (f->a != NULL) {
		agg_free(f->a);
		free(f->a);
	}
}

enum follow_end
follow_run(const struct report_opts *o, char *const *paths, size_t npaths,
    FILE *out, struct report_result *res)
{
	struct follow *f;
	struct report_opts ro;
	enum follow_end end = FOLLOW_TERMINATED;

	f = malloc(sizeof(*f));
	if (f == NULL) {
		memset(res, 0, sizeof(*res));
		res->fatal = 1;
		return FOLLOW_FAILED;
	}
	set_signals();
	if (follow_init(f, o, paths, npaths, out, res) == -1) {
		res->fatal = 1;
		follow_free(f);
		free(f);
		return FOLLOW_FAILED;
	}
	watch_all(f);
	f->initial = 1;
	round_all(f);
	f->initial = 0;
	f->last_count = wall_us();
	while (follow_signal == 0 && !res->fatal) {
		show(f);
		wait_tick(f);
		round_all(f);
	}
	if (follow_signal == SIGINT && !res->fatal) {
		agg_finish(f->a);
		ro = f->o;
		/* report_render() finds the chart's counts by this hook. */
		ro.on_record = f->tl != NULL ? timeline_hook : NULL;
		ro.on_record_arg = f->tl;
		if (f->tty && !f->dumb)
			fputs("\033[H\033[2J", out);
		report_render(&ro, f->a, NULL, res, out);
		end = FOLLOW_INTERRUPTED;
	}
	if (res->fatal)
		end = FOLLOW_FAILED;
	fflush(out);
	follow_free(f);
	free(f);
	return end;
}
