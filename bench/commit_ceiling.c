/*
 * commit_ceiling.c - what the bench stack's MariaDB can commit at all, at
 * the concurrency of the order load: THREADS threads, each with its own
 * connection (Connector/C; a MYSQL* is never shared across threads), each
 * looping INSERT of one row with a prepared statement, then COMMIT.
 *
 *	commit_ceiling -S SOCKET [-U USER] [-c THREADS] [-d SECONDS] [-w WARMUP]
 *
 * It connects as the stack's admin (unix_socket authentication as the OS
 * user, as scripts/env.sh fd_sql does), works in a scratch database fd_bench
 * with one table t, and drops the database at the end, also when stopped by
 * SIGTERM or SIGINT.  Placing an order commits more than once, so orders/s
 * divided by this is the share of the ceiling an order costs.
 *
 * The last line of the output is for run.sh:
 *
 *	result rps=R p50=MS p99=MS n=COMMITS ok=N bad=ERRORS
 *
 * (rps counts successful commits; latency is INSERT + COMMIT.)
 */
#include <errno.h>
#include <mysql.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lat.h"

#define MAX_THREADS	256
#define DB		"fd_bench"

struct worker {
	pthread_t	 tid;
	int		 idx;
	int		 ready;		/* connected and prepared */
	MYSQL		*db;
	MYSQL_STMT	*st;
	struct lat	 lat;
	unsigned long	 commits;
	unsigned long	 errors;
};

static const char *sock;
static const char *user;
static volatile sig_atomic_t stopped;	/* SIGTERM or SIGINT */
static atomic_int shown;
static int abort_run;			/* set by main between the barriers */
static double t_measure, t_end;		/* likewise */
static pthread_barrier_t connected, go;

static void
on_signal(int sig)
{
	(void)sig;
	stopped = 1;
}

static MYSQL *
connect_db(const char *db)
{
	MYSQL *m;
	unsigned int timeout = 10;

	if ((m = mysql_init(NULL)) == NULL)
		return NULL;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (mysql_real_connect(m, NULL, user, NULL, db, 0, sock, 0) == NULL) {
		fprintf(stderr, "commit_ceiling: cannot connect to %s as %s: %s\n",
		    sock, user, mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static void
show_error(struct worker *w, const char *what, const char *err)
{
	if (atomic_fetch_add(&shown, 1) < 3)
		fprintf(stderr, "commit_ceiling: thread %d: %s: %s\n", w->idx,
		    what, err);
}

/* Connects w, autocommit off, and prepares the INSERT.  0 = OK. */
static int
prepare(struct worker *w)
{
	static const char q[] = "INSERT INTO t (v) VALUES (?)";

	if ((w->db = connect_db(DB)) == NULL)
		return -1;
	if (mysql_autocommit(w->db, 0) != 0) {
		show_error(w, "autocommit off", mysql_error(w->db));
		return -1;
	}
	if ((w->st = mysql_stmt_init(w->db)) == NULL ||
	    mysql_stmt_prepare(w->st, q, sizeof(q) - 1) != 0) {
		show_error(w, "prepare", mysql_error(w->db));
		return -1;
	}
	return 0;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	MYSQL_BIND b;
	unsigned long len, k = 0;
	char v[64];
	double t0, t1;
	int failed;

	mysql_thread_init();
	w->ready = prepare(w) == 0;
	pthread_barrier_wait(&connected);
	pthread_barrier_wait(&go);	/* main sets the times in between */
	if (abort_run)
		goto out;
	memset(&b, 0, sizeof(b));
	b.buffer_type = MYSQL_TYPE_STRING;
	b.buffer = v;
	b.length = &len;
	while (!stopped && (t0 = lat_now_ms()) < t_end) {
		len = (unsigned long)snprintf(v, sizeof(v), "bench-%d-%lu",
		    w->idx, k++);
		b.buffer_length = len;
		failed = 0;
		if (mysql_stmt_bind_param(w->st, &b) != 0 ||
		    mysql_stmt_execute(w->st) != 0) {
			show_error(w, "insert", mysql_stmt_error(w->st));
			mysql_rollback(w->db);
			failed = 1;
		} else if (mysql_commit(w->db) != 0) {
			show_error(w, "commit", mysql_error(w->db));
			failed = 1;
		}
		t1 = lat_now_ms();
		if (failed && mysql_ping(w->db) != 0)
			break;		/* the connection is gone */
		if (t0 < t_measure || t1 > t_end)
			continue;	/* the warm-up, or past the end */
		if (failed)
			w->errors++;
		else {
			w->commits++;
			lat_add(&w->lat, t1 - t0);
		}
	}
out:
	if (w->st != NULL)
		mysql_stmt_close(w->st);
	if (w->db != NULL)
		mysql_close(w->db);
	w->st = NULL;
	w->db = NULL;
	mysql_thread_end();
	return NULL;
}

/* Runs each statement on the admin connection.  0 = OK. */
static int
admin(const char *const *qs)
{
	MYSQL *m;
	int rc = 0;

	if ((m = connect_db(NULL)) == NULL)
		return -1;
	for (; *qs != NULL && rc == 0; qs++)
		if (mysql_query(m, *qs) != 0) {
			fprintf(stderr, "commit_ceiling: %s: %s\n", *qs,
			    mysql_error(m));
			rc = -1;
		}
	mysql_close(m);
	return rc;
}

static long
number(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "commit_ceiling: %s must be %ld..%ld, not '%s'\n",
		    opt, min, max, s);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: commit_ceiling -S SOCKET [-U USER] "
	    "[-c THREADS] [-d SECONDS] [-w WARMUP]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const char *const setup[] = {
		"CREATE DATABASE IF NOT EXISTS " DB,
		"DROP TABLE IF EXISTS " DB ".t",
		"CREATE TABLE " DB ".t (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
		    "v VARCHAR(64)) ENGINE=InnoDB",
		NULL
	};
	static const char *const teardown[] = {
		"DROP DATABASE IF EXISTS " DB, NULL
	};
	struct worker *ws = NULL;
	struct passwd *pw;
	struct sigaction sa;
	struct lat all;
	unsigned long commits = 0, errors = 0;
	long threads = 16, seconds = 10, warmup = 2, i;
	double rps;
	int c, ready = 0, rc = 1;

	while ((c = getopt(argc, argv, "S:U:c:d:w:")) != -1) {
		switch (c) {
		case 'S': sock = optarg; break;
		case 'U': user = optarg; break;
		case 'c': threads = number("-c", optarg, 1, MAX_THREADS); break;
		case 'd': seconds = number("-d", optarg, 1, 3600); break;
		case 'w': warmup = number("-w", optarg, 0, 600); break;
		default: usage();
		}
	}
	if (optind != argc || sock == NULL)
		usage();
	if (user == NULL) {
		if ((pw = getpwuid(geteuid())) == NULL) {
			fprintf(stderr, "commit_ceiling: who am I? use -U\n");
			return 2;
		}
		user = pw->pw_name;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	memset(&all, 0, sizeof(all));

	if (mysql_library_init(0, NULL, NULL) != 0)
		return 1;
	if (admin(setup) != 0)
		goto out;
	if ((ws = calloc((size_t)threads, sizeof(*ws))) == NULL ||
	    pthread_barrier_init(&connected, NULL, (unsigned)threads + 1) != 0 ||
	    pthread_barrier_init(&go, NULL, (unsigned)threads + 1) != 0)
		goto drop;
	for (i = 0; i < threads; i++) {
		ws[i].idx = (int)i + 1;
		/* Barriers wait for every thread: all start, or none may. */
		if (pthread_create(&ws[i].tid, NULL, run, &ws[i]) != 0) {
			fprintf(stderr, "commit_ceiling: cannot start a thread\n");
			admin(teardown);
			exit(1);
		}
	}
	pthread_barrier_wait(&connected);
	for (i = 0; i < threads; i++)
		ready += ws[i].ready;
	abort_run = ready != threads;
	t_measure = lat_now_ms() + (double)warmup * 1000.0;
	t_end = t_measure + (double)seconds * 1000.0;
	pthread_barrier_wait(&go);
	for (i = 0; i < threads; i++)
		pthread_join(ws[i].tid, NULL);
	if (abort_run) {
		fprintf(stderr, "commit_ceiling: %d of %ld connections failed\n",
		    (int)threads - ready, threads);
		goto drop;
	}
	if (stopped) {
		fprintf(stderr, "commit_ceiling: stopped by a signal\n");
		goto drop;
	}
	for (i = 0; i < threads; i++) {
		commits += ws[i].commits;
		errors += ws[i].errors;
		if (lat_move(&all, &ws[i].lat) != 0)
			goto drop;
	}
	lat_sort(&all);
	rps = (double)commits / (double)seconds;
	printf("commit_ceiling: %ld connections to %s as %s, INSERT + COMMIT, "
	    "%ld s after %ld s warm-up\n", threads, sock, user, seconds, warmup);
	printf("  %lu commits, %lu errors: %.1f commits/s\n", commits, errors,
	    rps);
	printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
	    lat_pct(&all, 50), lat_pct(&all, 90), lat_pct(&all, 99),
	    lat_pct(&all, 100));
	printf("result rps=%.1f p50=%.3f p99=%.3f n=%lu ok=%lu bad=%lu\n", rps,
	    lat_pct(&all, 50), lat_pct(&all, 99), commits + errors, commits,
	    errors);
	rc = 0;
drop:
	if (admin(teardown) != 0)
		rc = 1;
out:
	if (ws != NULL)
		for (i = 0; i < threads; i++)
			free(ws[i].lat.ms);
	free(ws);
	free(all.ms);
	mysql_library_end();
	return rc;
}
