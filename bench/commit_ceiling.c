/*
 * commit_ceiling.c - what the bench stack's MariaDB can do at all, at the
 * concurrency of the order load: THREADS threads, each with its own
 * connection (Connector/C; a MYSQL* is never shared across threads), each
 * looping over one workload's unit with prepared statements.
 *
 *	commit_ceiling -S SOCKET [-U USER] [-m commit|order] [-c THREADS]
 *	    [-d SECONDS] [-w WARMUP]
 *
 *   commit	one row INSERTed, then COMMIT: the commit ceiling.  Placing an
 *		order commits more than once, so orders/s divided by this is
 *		the share of the ceiling an order costs.
 *   order	the rows one placed order cannot do without (order_txns
 *		below), in copies of the stack's tables: the order floor, a
 *		ceiling for orders/s on this database whatever the programs
 *		around it do.
 *
 * It connects as the stack's admin (unix_socket authentication as the OS
 * user, as scripts/env.sh fd_sql does), works in a scratch database
 * fd_bench, and drops it at the end, also when stopped by SIGTERM or
 * SIGINT.  The last line of the output is for run.sh:
 *
 *	result rps=R p50=MS p99=MS n=UNITS ok=N bad=ERRORS
 *
 * (rps counts units done without an error; latency is one unit's.)
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

/*
 * One transaction of a workload's unit: its statements, each prepared once
 * and bound to the unit's number at every '?', then COMMIT after every
 * `every` units (a relay batch applies several events in one commit).
 */
struct txn {
	const char *const	*sql;
	int			 every;
};

struct workload {
	const char		*name;
	const char		*what;		/* for the report */
	const char *const	*setup;		/* after CREATE DATABASE */
	const struct txn	*txns;		/* ends with sql == NULL */
};

#define MAX_STMTS	16

/* `commit`: one row, then COMMIT. */
static const char *const commit_sql[] = {
	"INSERT INTO t (v) VALUES (CONCAT('bench-', ?))", NULL
};
static const struct txn commit_txns[] = { { commit_sql, 1 }, { NULL, 0 } };
static const char *const commit_setup[] = {
	"CREATE TABLE " DB ".t (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
	    "v VARCHAR(64)) ENGINE=InnoDB",
	NULL
};

/*
 * `order`: the rows one placed order cannot do without, in copies of the
 * stack's own tables (CREATE TABLE ... LIKE: the same columns and indexes,
 * no foreign keys) - payment's approval with PayApproved in its outbox,
 * the order recorded Paid with its items, OrderPlaced, its delivery row
 * and its MyPage row in one transaction (one commit fewer than the stack
 * does: it records the order as PaymentPending first), and the
 * subscribers' ticket, ticket items and MyPage's Paid step, committed per
 * batch of 8.  Left out: HTTP, the programs' own work, the relay's claims
 * and outcomes, the inboxes, every read.  So what it reaches is a ceiling
 * for orders/s on this database, not a prediction.
 */
#define ADDR	"'서울 마포구 1', '010-1234-5678'"
#define ITEMS	"'[{\"menuId\":1,\"name\":\"광어\",\"qty\":1,\"price\":25000}," \
		"{\"menuId\":2,\"name\":\"우럭\",\"qty\":1,\"price\":22000}]'"
#define LINES(id) "(" id ", 0, 1, '광어', 1, 25000), (" id ", 1, 2, '우럭', 1, 22000)"
static const char *const pay_sql[] = {
	"INSERT INTO payments (order_id, customer_id, amount, status,"
	    " card_last4, approved_at) VALUES (?, 1, 47000, 'Approved', '4242',"
	    " NOW(6))",
	"INSERT INTO pay_outbox (event_id, event_type, aggregate_key, payload)"
	    " VALUES (CONCAT('p', ?), 'PayApproved', CAST(? AS CHAR),"
	    " CONCAT('{\"paymentId\":', LAST_INSERT_ID(), ',\"orderId\":', ?,"
	    " ',\"amount\":47000,\"eventId\":\"c381bf8c-6bc3-4456-aa6b-"
	    "ac38ac22d636\",\"eventType\":\"PayApproved\",\"occurredAt\":"
	    "\"2026-12-03T12:57:14.436Z\",\"traceId\":\"1f78e8f2b97408dd23cb6f"
	    "3a42e3d4a5\"}'))",
	"INSERT INTO pay_deliveries (outbox_id, subscriber, akey) VALUES"
	    " (LAST_INSERT_ID(), 'order', CAST(? AS CHAR))",
	NULL
};
static const char *const order_sql[] = {
	"INSERT INTO orders (customer_id, store_id, status, amount, address,"
	    " phone, payment_id) VALUES (1 + ? % 20, 1, 'Paid', 47000, " ADDR
	    ", ?)",
	"INSERT INTO order_items (order_id, line, menu_id, name, qty, price)"
	    " VALUES " LINES("LAST_INSERT_ID()"),
	"INSERT INTO order_outbox (event_id, event_type, aggregate_key,"
	    " payload) VALUES (CONCAT('o', ?), 'OrderPlaced', CAST(? AS CHAR),"
	    " CONCAT('{\"orderId\":', ?, ',\"customerId\":4,\"storeId\":1,"
	    "\"items\":', " ITEMS ", ',\"amount\":47000,\"address\":\"서울 마포구"
	    " 1\",\"phone\":\"010-1234-5678\",\"eventId\":\"719b91f4-93c3-4cbe-"
	    "8884-f8ca53e30c95\",\"eventType\":\"OrderPlaced\",\"occurredAt\":"
	    "\"2026-12-03T12:57:14.438Z\",\"traceId\":\"1f78e8f2b97408dd23cb6f"
	    "3a42e3d4a5\"}'))",
	"INSERT INTO order_deliveries (outbox_id, subscriber, akey) VALUES"
	    " (LAST_INSERT_ID(), 'fishstore', CAST(? AS CHAR))",
	"INSERT INTO mypage (order_id, customer_id, store_id, amount, items,"
	    " store_name, placed_at) VALUES (?, 1 + ? % 20, 1, 47000, " ITEMS
	    ", '바다횟집', NOW(6))",
	NULL
};
static const char *const apply_sql[] = {
	"INSERT INTO tickets (order_id, store_id, customer_id, status, amount,"
	    " address, phone) VALUES (?, 1, 1 + ? % 20, 'Paid', 47000, " ADDR ")",
	"INSERT INTO ticket_items (ticket_id, line, menu_id, name, qty, price)"
	    " VALUES " LINES("LAST_INSERT_ID()"),
	"UPDATE mypage SET payment_state = 'approved', paid_at = NOW(6)"
	    " WHERE order_id = ?",
	NULL
};
#undef LINES
#undef ITEMS
#undef ADDR
static const struct txn order_txns[] = {
	{ pay_sql, 1 }, { order_sql, 1 }, { apply_sql, 8 }, { NULL, 0 }
};
static const char *const order_setup[] = {
	"CREATE TABLE " DB ".payments LIKE fd_payment.payments",
	"CREATE TABLE " DB ".pay_outbox LIKE fd_payment.outbox",
	"CREATE TABLE " DB ".pay_deliveries LIKE fd_payment.outbox_deliveries",
	"CREATE TABLE " DB ".orders LIKE fd_order.orders",
	"CREATE TABLE " DB ".order_items LIKE fd_order.order_items",
	"CREATE TABLE " DB ".order_outbox LIKE fd_order.outbox",
	"CREATE TABLE " DB ".order_deliveries LIKE fd_order.outbox_deliveries",
	"CREATE TABLE " DB ".mypage LIKE fd_order.mypage",
	"CREATE TABLE " DB ".tickets LIKE fd_fishstore.tickets",
	"CREATE TABLE " DB ".ticket_items LIKE fd_fishstore.ticket_items",
	NULL
};

static const struct workload workloads[] = {
	{ "commit", "one row", commit_setup, commit_txns },
	{ "order", "an order's rows", order_setup, order_txns },
};

/* What one unit of the workload runs, counted from its transactions. */
static void
unit_size(const struct workload *wl, unsigned *stmts, double *commits)
{
	const struct txn *t;
	const char *const *q;

	*stmts = 0;
	*commits = 0;
	for (t = wl->txns; t->sql != NULL; t++) {
		for (q = t->sql; *q != NULL; q++)
			(*stmts)++;
		*commits += 1.0 / t->every;
	}
}

struct worker {
	pthread_t	 tid;
	int		 idx;
	int		 ready;		/* connected and prepared */
	MYSQL		*db;
	MYSQL_STMT	*st[MAX_STMTS];
	unsigned	 nst;
	struct lat	 lat;
	unsigned long	 units;
	unsigned long	 errors;
};

static const struct workload *work = &workloads[0];
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
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
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

/* Connects w, autocommit off, and prepares the workload.  0 = OK. */
static int
prepare(struct worker *w)
{
	const struct txn *t;
	const char *const *q;
	MYSQL_STMT *st;

	if ((w->db = connect_db(DB)) == NULL)
		return -1;
	if (mysql_autocommit(w->db, 0) != 0) {
		show_error(w, "autocommit off", mysql_error(w->db));
		return -1;
	}
	for (t = work->txns; t->sql != NULL; t++)
		for (q = t->sql; *q != NULL; q++) {
			if (w->nst == MAX_STMTS ||
			    (st = mysql_stmt_init(w->db)) == NULL) {
				show_error(w, "prepare", "too many statements");
				return -1;
			}
			w->st[w->nst++] = st;
			if (mysql_stmt_prepare(st, *q, strlen(*q)) != 0) {
				show_error(w, "prepare", mysql_stmt_error(st));
				return -1;
			}
		}
	return 0;
}

/* Runs statement st with every parameter bound to the unit's number. */
static int
execute(MYSQL_STMT *st, long long *unit)
{
	MYSQL_BIND b[8];
	unsigned long i, n = mysql_stmt_param_count(st);

	if (n > sizeof(b) / sizeof(b[0]))
		return -1;
	memset(b, 0, sizeof(b));
	for (i = 0; i < n; i++) {
		b[i].buffer_type = MYSQL_TYPE_LONGLONG;
		b[i].buffer = unit;
	}
	return (n > 0 && mysql_stmt_bind_param(st, b) != 0) ||
	    mysql_stmt_execute(st) != 0 ? -1 : 0;
}

/* One unit: each transaction's statements, committed when it is due. */
static int
unit(struct worker *w, unsigned long k)
{
	const struct txn *t;
	const char *const *q;
	long long u = ((long long)w->idx << 40) | (long long)k;
	unsigned s = 0;

	for (t = work->txns; t->sql != NULL; t++) {
		for (q = t->sql; *q != NULL; q++, s++)
			if (execute(w->st[s], &u) != 0) {
				show_error(w, *q, mysql_stmt_error(w->st[s]));
				mysql_rollback(w->db);
				return -1;
			}
		if (k % (unsigned long)t->every ==
		    (unsigned long)t->every - 1 && mysql_commit(w->db) != 0) {
			show_error(w, "commit", mysql_error(w->db));
			return -1;
		}
	}
	return 0;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	unsigned long k = 0;
	double t0, t1;
	unsigned i;
	int failed;

	mysql_thread_init();
	w->ready = prepare(w) == 0;
	pthread_barrier_wait(&connected);
	pthread_barrier_wait(&go);	/* main sets the times in between */
	if (abort_run)
		goto out;
	while (!stopped && (t0 = lat_now_ms()) < t_end) {
		failed = unit(w, k++) != 0;
		t1 = lat_now_ms();
		if (failed && mysql_ping(w->db) != 0)
			break;		/* the connection is gone */
		if (t0 < t_measure || t1 > t_end)
			continue;	/* the warm-up, or past the end */
		if (failed)
			w->errors++;
		else {
			w->units++;
			lat_add(&w->lat, t1 - t0);
		}
	}
out:
	for (i = 0; i < w->nst; i++)
		mysql_stmt_close(w->st[i]);
	w->nst = 0;
	if (w->db != NULL)
		mysql_close(w->db);
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
	    "[-m commit|order] [-c THREADS] [-d SECONDS] [-w WARMUP]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const char *const setup[] = {
		"DROP DATABASE IF EXISTS " DB,
		"CREATE DATABASE " DB " CHARACTER SET utf8mb4"
		    " COLLATE utf8mb4_unicode_ci",
		NULL
	};
	static const char *const teardown[] = {
		"DROP DATABASE IF EXISTS " DB, NULL
	};
	struct worker *ws = NULL;
	struct passwd *pw;
	struct sigaction sa;
	struct lat all;
	unsigned long units = 0, errors = 0;
	unsigned stmts;
	double per_unit;
	size_t k;
	long threads = 16, seconds = 10, warmup = 2, i;
	double rps;
	int c, ready = 0, rc = 1;

	while ((c = getopt(argc, argv, "S:U:c:d:m:w:")) != -1) {
		switch (c) {
		case 'm':
			for (k = 0; k < sizeof(workloads) / sizeof(workloads[0]) &&
			    strcmp(workloads[k].name, optarg) != 0; k++)
				continue;
			if (k == sizeof(workloads) / sizeof(workloads[0]))
				usage();
			work = &workloads[k];
			break;
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
	if (admin(setup) != 0 || admin(work->setup) != 0)
		goto drop;
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
		units += ws[i].units;
		errors += ws[i].errors;
		if (lat_move(&all, &ws[i].lat) != 0)
			goto drop;
	}
	lat_sort(&all);
	rps = (double)units / (double)seconds;
	unit_size(work, &stmts, &per_unit);
	printf("commit_ceiling: %ld connections to %s as %s, %s (%u statements"
	    " and %.3f commits a unit), %ld s after %ld s warm-up\n", threads,
	    sock, user, work->what, stmts, per_unit, seconds, warmup);
	printf("  %lu units, %lu errors: %.1f units/s\n", units, errors, rps);
	printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
	    lat_pct(&all, 50), lat_pct(&all, 90), lat_pct(&all, 99),
	    lat_pct(&all, 100));
	printf("result rps=%.1f p50=%.3f p99=%.3f n=%lu ok=%lu bad=%lu\n", rps,
	    lat_pct(&all, 50), lat_pct(&all, 99), units + errors, units,
	    errors);
	rc = 0;
drop:
	if (admin(teardown) != 0)
		rc = 1;
	if (ws != NULL)
		for (i = 0; i < threads; i++)
			free(ws[i].lat.ms);
	free(ws);
	free(all.ms);
	mysql_library_end();
	return rc;
}
