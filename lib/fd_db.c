/*
 * fd_db.c - MariaDB Connector/C behind a small prepared-statement API.
 */
#include <errmsg.h>
#include <poll.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_addr.h"
#include "fd_db.h"
#include "fd_proc.h"

#define MAXIN		64
#define CACHE		64
#define END_HOOKS	4

static MYSQL	*conn;
static int	 broken;
static int	 deadlock;	/* the current unit of work met one */
static struct {
	const char	*sql;
	MYSQL_STMT	*st;
} cache[CACHE];
static size_t	 ncache;
static void	(*after_commit)(void);
static void	(*after_rollback)(void);
static void	(*end_hooks[END_HOOKS])(int committed);
static size_t	 nend_hooks;

void
fd_db_hooks(void (*commit_fn)(void), void (*rollback_fn)(void))
{
	after_commit = commit_fn;
	after_rollback = rollback_fn;
}

int
fd_db_on_end(void (*fn)(int committed))
{
	size_t i;

	for (i = 0; i < nend_hooks; i++)
		if (end_hooks[i] == fn)
			return 0;
	if (nend_hooks == END_HOOKS)
		return -1;
	end_hooks[nend_hooks++] = fn;
	return 0;
}

/* Tells the registered hooks that the unit of work ended, before the
 * context's after_commit / after_rollback (as the outbox's wake-up
 * always came first). */
static void
ended(int committed)
{
	size_t i;

	for (i = 0; i < nend_hooks; i++)
		end_hooks[i](committed);
}

static void
drop_connection(void)
{
	size_t i;

	for (i = 0; i < ncache; i++)
		mysql_stmt_close(cache[i].st);
	ncache = 0;
	if (conn != NULL)
		mysql_close(conn);
	conn = NULL;
	broken = 0;
}

/*
 * ER_UNKNOWN_COM_ERROR (1047) is what a Galera node that left the primary
 * component answers to every query ("WSREP has not yet prepared node for
 * application use"): for us the database is away, as if the connection
 * were lost (503, not 500), and the next unit of work connects again,
 * through a router that no longer sends it there.
 */
static int
is_conn_error(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	    e == ER_CONNECTION_KILLED || e == CR_COMMANDS_OUT_OF_SYNC ||
	    e == ER_UNKNOWN_COM_ERROR;
}

/* A deadlock, or a lock wait that timed out: fd_db.h's FD_DB_DEADLOCK. */
static int
is_deadlock(unsigned int e)
{
	return e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT;
}

/*
 * One connection attempt to host:port over TCP, or to the unix socket
 * FD_DB_SOCKET when host is NULL; the handle, or NULL (logged).
 * Timeouts: FD_DB_CONNECT_TIMEOUT, _READ_, _WRITE_ (each FD_DB_TIMEOUT, 3
 * s, unless set): a read that waits longer ends the connection, so a
 * database node that froze or was cut off costs a request seconds, never a
 * hang.  Connector/C retries a read twice, so a read may take 3 x.
 */
static MYSQL *
open_one(const char *host, int port)
{
	long long t = fd_env_int("FD_DB_TIMEOUT", 3);
	unsigned int ct = (unsigned int)fd_env_int("FD_DB_CONNECT_TIMEOUT", t),
	    rt = (unsigned int)fd_env_int("FD_DB_READ_TIMEOUT", t),
	    wt = (unsigned int)fd_env_int("FD_DB_WRITE_TIMEOUT", t);
	unsigned int tcp = MYSQL_PROTOCOL_TCP;
	my_bool off = 0, on = 1;
	MYSQL *m;

	if ((m = mysql_init(NULL)) == NULL)
		return NULL;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* "localhost" would mean the unix socket to Connector/C. */
	if (host != NULL)
		mysql_options(m, MYSQL_OPT_PROTOCOL, &tcp);
	/*
	 * TLS when configured (FD_DB_TLS=1): required and the server's
	 * certificate checked against FD_DB_TLS_CA, so a connection never
	 * falls back to plain text or to a server that merely claims the
	 * name.  A client certificate too if the server asks for one.
	 */
	if (fd_env_int("FD_DB_TLS", 0)) {
		mysql_ssl_set(m, fd_env("FD_DB_TLS_KEY", NULL),
		    fd_env("FD_DB_TLS_CERT", NULL), fd_env("FD_DB_TLS_CA", NULL),
		    NULL, NULL);
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
	}
	mysql_options(m, MYSQL_INIT_COMMAND,
	    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
	/*
	 * UTC, whatever the server's zone: TIMESTAMP columns are shown and
	 * read in the session's zone, and every time leaves as UTC ("...Z",
	 * SPEC), an event's occurredAt is stored as it came, and NOW() +
	 * INTERVAL never meets a daylight-saving jump.
	 */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(m, host, fd_env("FD_DB_USER", NULL),
	    fd_env("FD_DB_PASS", NULL), fd_env("FD_DB_NAME", NULL),
	    (unsigned int)port, host == NULL ? fd_env("FD_DB_SOCKET", NULL) :
	    NULL, 0) == NULL) {
		fd_log("db connect %s%s%.0d: %s", host ? host : "socket",
		    host ? ":" : "", port, mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

/*
 * Whether the server (or a router in front of it, HAProxy cutting the
 * sessions of a node it marked down) closed the idle connection: between
 * units of work a server sends nothing, so anything to read, or a hang-up,
 * means it is gone.  One poll() that does not wait, instead of a unit of
 * work that fails on its first statement.
 */
static int
closed_by_peer(void)
{
	struct pollfd p;

	p.fd = (int)mysql_get_socket(conn);
	p.events = POLLIN | POLLRDHUP;
	p.revents = 0;
	return p.fd >= 0 && poll(&p, 1, 0) > 0;
}

/*
 * The connection, made if there is none: to the first of FD_DB_HOSTS
 * ("host:port,...", FD_DB_PORT or 3306 by default) that answers, starting
 * with the one that answered last so that a dead host costs a connect
 * timeout once, not at every reconnect; or to FD_DB_SOCKET when no hosts
 * are named.  The list is for a database reachable at several addresses
 * (HAProxy on each app host, say); it is not how writes find the one
 * writer of a Galera cluster: that is the router's job (README, "Running
 * on several machines").
 */
static int
connect_db(void)
{
	static int last;
	struct fd_addr hosts[FD_ADDR_MAX];
	const char *list = fd_env("FD_DB_HOSTS", NULL);
	int n, i, k;

	if (conn != NULL && !broken && !closed_by_peer())
		return 0;
	drop_connection();
	if (list == NULL || *list == '\0')
		conn = open_one(NULL, 0);
	else if ((n = fd_addr_list(list, (int)fd_env_int("FD_DB_PORT", 3306),
	    hosts, FD_ADDR_MAX)) < 0)
		fd_log("FD_DB_HOSTS: cannot parse '%s'", list);
	else
		for (i = 0; i < n && conn == NULL; i++) {
			k = (last + i) % n;
			if ((conn = open_one(hosts[k].host, hosts[k].port)))
				last = k;
		}
	if (conn == NULL)
		return -1;
	mysql_autocommit(conn, 0);
	return 0;
}

int
fd_db_init(void)
{
	/* Connector/C's own globals; per process, before any thread. */
	return mysql_library_init(0, NULL, NULL);
}

void
fd_db_fini(void)
{
	drop_connection();
	mysql_library_end();
}

int
fd_db_ping(void)
{
	int rc;

	if (connect_db() != 0)
		return -1;
	rc = mysql_ping(conn);
	mysql_rollback(conn);
	if (rc != 0)
		broken = 1;
	return rc ? -1 : 0;
}

enum fd_db_rc
fd_db_begin(void)
{
	deadlock = 0;
	return connect_db() == 0 ? FD_DB_OK : FD_DB_UNAVAILABLE;
}

int
fd_db_deadlocked(void)
{
	return deadlock;
}

int
fd_db_retry(int *attempt)
{
	struct timespec ts;
	long ms;

	if (!deadlock || ++*attempt >= FD_DB_ATTEMPTS)
		return 0;
	/* 10-40 ms, then 20-50 ms: enough for the other side to commit. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = 10L * *attempt + (ts.tv_nsec / 1000 + getpid()) % 30;
	fd_log("db: deadlock; the unit of work runs again (attempt %d of %d, "
	    "after %ld ms)", *attempt + 1, FD_DB_ATTEMPTS, ms);
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

enum fd_db_rc
fd_db_commit(void)
{
	if (conn == NULL) {
		ended(0);
		if (after_rollback != NULL)
			after_rollback();
		return FD_DB_UNAVAILABLE;
	}
	if (mysql_commit(conn) != 0) {
		unsigned int e = mysql_errno(conn);

		fd_log("db commit: %s", mysql_error(conn));
		if (is_conn_error(e))
			broken = 1;
		/* Galera's certification conflict lands here. */
		if (is_deadlock(e))
			deadlock = 1;
		mysql_rollback(conn);
		ended(0);
		if (after_rollback != NULL)
			after_rollback();
		return deadlock ? FD_DB_DEADLOCK : FD_DB_ERROR;
	}
	/* Only after the commit: what it wrote is visible to others now. */
	ended(1);
	if (after_commit != NULL)
		after_commit();
	return FD_DB_OK;
}

void
fd_db_rollback(void)
{
	ended(0);
	if (after_rollback != NULL)
		after_rollback();
	if (conn != NULL && !broken && mysql_rollback(conn) != 0)
		broken = 1;
}

static MYSQL_STMT *
prepare(const char *sql)
{
	MYSQL_STMT *st;
	size_t i;

	for (i = 0; i < ncache; i++)
		if (cache[i].sql == sql)
			return cache[i].st;
	if ((st = mysql_stmt_init(conn)) == NULL)
		return NULL;
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fd_log("db prepare: %s", mysql_stmt_error(st));
		if (is_conn_error(mysql_stmt_errno(st)))
			broken = 1;
		mysql_stmt_close(st);
		return NULL;
	}
	if (ncache == CACHE) {		/* full: forget the oldest */
		mysql_stmt_close(cache[0].st);
		memmove(cache, cache + 1, sizeof(cache[0]) * (CACHE - 1));
		ncache--;
	}
	cache[ncache].sql = sql;
	cache[ncache++].st = st;
	return st;
}

static enum fd_db_rc
stmt_failed(MYSQL_STMT *st, const char *what)
{
	unsigned int e = mysql_stmt_errno(st);

	if (e == ER_DUP_ENTRY)
		return FD_DB_DUP;
	fd_log("db %s: %s", what, mysql_stmt_error(st));
	if (is_conn_error(e)) {
		broken = 1;
		return FD_DB_UNAVAILABLE;
	}
	if (is_deadlock(e)) {
		deadlock = 1;
		return FD_DB_DEADLOCK;
	}
	return FD_DB_ERROR;
}

enum fd_db_rc
fd_q_exec(struct fd_q *q, const char *sql, const char *in, ...)
{
	enum fd_db_rc rc;
	va_list ap;

	va_start(ap, in);
	rc = fd_q_vexec(q, sql, in, ap);
	va_end(ap);
	return rc;
}

int
fd_db_exec(const char *sql, const char *in, ...)
{
	struct fd_q q;
	enum fd_db_rc rc;
	va_list ap;

	va_start(ap, in);
	rc = fd_q_vexec(&q, sql, in, ap);
	va_end(ap);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : -1;
}

int
fd_db_exec_rows(const char *sql, unsigned n, const char *in, ...)
{
	static char nts[FD_DB_MAXROWS];	/* every string NUL-terminated */
	MYSQL_BIND b[MAXIN];
	MYSQL_STMT *st;
	unsigned size = n;
	size_t i;
	va_list ap;

	if (n == 0)
		return 0;
	if (conn == NULL || broken || n > FD_DB_MAXROWS ||
	    (st = prepare(sql)) == NULL)
		return -1;
	if (nts[0] == 0)
		memset(nts, STMT_INDICATOR_NTS, sizeof(nts));
	memset(b, 0, sizeof(b));
	va_start(ap, in);
	for (i = 0; in[i] != '\0' && i < MAXIN; i++) {
		switch (in[i]) {
		case 'l':
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = va_arg(ap, long long *);
			break;
		case 'i':
			b[i].buffer_type = MYSQL_TYPE_LONG;
			b[i].buffer = va_arg(ap, int *);
			break;
		case 's':
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(uintptr_t)va_arg(ap, const char **);
			b[i].u.indicator = nts;
			break;
		default:
			va_end(ap);
			fd_log("db: bad parameter format '%s'", in);
			return -1;
		}
	}
	va_end(ap);
	if (mysql_stmt_param_count(st) != i) {
		fd_log("db: %zu parameters for %lu placeholders", i,
		    mysql_stmt_param_count(st));
		return -1;
	}
	if (mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &size) != 0 ||
	    mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0) {
		stmt_failed(st, "execute rows");
		return -1;
	}
	return 0;
}

enum fd_db_rc
fd_q_vexec(struct fd_q *q, const char *sql, const char *in, va_list ap)
{
	MYSQL_BIND b[MAXIN];
	long long ll[MAXIN];
	int ii[MAXIN];
	unsigned long lens[MAXIN];
	size_t n;
	const char *s;

	memset(q, 0, sizeof(*q));
	if (conn == NULL || broken)
		return FD_DB_UNAVAILABLE;
	if ((q->st = prepare(sql)) == NULL)
		return broken ? FD_DB_UNAVAILABLE : FD_DB_ERROR;
	memset(b, 0, sizeof(b));
	for (n = 0; in[n] != '\0' && n < MAXIN; n++) {
		switch (in[n]) {
		case 'l':
			ll[n] = va_arg(ap, long long);
			b[n].buffer_type = MYSQL_TYPE_LONGLONG;
			b[n].buffer = &ll[n];
			break;
		case 'i':
			ii[n] = va_arg(ap, int);
			b[n].buffer_type = MYSQL_TYPE_LONG;
			b[n].buffer = &ii[n];
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL) {
				b[n].buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			lens[n] = strlen(s);
			b[n].buffer_type = MYSQL_TYPE_STRING;
			b[n].buffer = (void *)(uintptr_t)s;
			b[n].buffer_length = lens[n];
			b[n].length = &lens[n];
			break;
		default:
			fd_log("db: bad parameter format '%s'", in);
			return FD_DB_ERROR;
		}
	}
	if (mysql_stmt_param_count(q->st) != n) {
		fd_log("db: %zu parameters for %lu placeholders", n,
		    mysql_stmt_param_count(q->st));
		return FD_DB_ERROR;
	}
	if ((n > 0 && mysql_stmt_bind_param(q->st, b) != 0) ||
	    mysql_stmt_execute(q->st) != 0)
		return stmt_failed(q->st, "execute");
	return FD_DB_OK;
}

enum fd_db_rc
fd_q_out(struct fd_q *q, const char *out, ...)
{
	va_list ap;
	int n;

	if (q->st == NULL)
		return FD_DB_ERROR;
	va_start(ap, out);
	for (n = 0; out[n] != '\0' && n < FD_Q_MAXOUT; n++) {
		MYSQL_BIND *b = &q->out[n];
		switch (out[n]) {
		case 'l':
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = va_arg(ap, long long *);
			break;
		case 'i':
			b->buffer_type = MYSQL_TYPE_LONG;
			b->buffer = va_arg(ap, int *);
			break;
		case 's':
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = va_arg(ap, char *);
			/* Room for the NUL fd_q_fetch() adds. */
			b->buffer_length = va_arg(ap, size_t) - 1;
			break;
		default:
			va_end(ap);
			return FD_DB_ERROR;
		}
		b->length = &q->len[n];
		b->is_null = &q->null[n];
		b->error = &q->err[n];
	}
	va_end(ap);
	q->nout = n;
	if (mysql_stmt_field_count(q->st) != (unsigned int)n) {
		fd_log("db: %d outputs for %u columns", n,
		    mysql_stmt_field_count(q->st));
		return FD_DB_ERROR;
	}
	if (mysql_stmt_bind_result(q->st, q->out) != 0 ||
	    mysql_stmt_store_result(q->st) != 0)
		return stmt_failed(q->st, "store result");
	return FD_DB_OK;
}

int
fd_q_fetch(struct fd_q *q)
{
	int rc, i;

	if (q->st == NULL)
		return -1;
	rc = mysql_stmt_fetch(q->st);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == MYSQL_DATA_TRUNCATED) {
		fd_log("db: a column did not fit its buffer");
		return -1;
	}
	if (rc != 0) {
		stmt_failed(q->st, "fetch");
		return -1;
	}
	for (i = 0; i < q->nout; i++) {
		MYSQL_BIND *b = &q->out[i];
		if (b->buffer_type == MYSQL_TYPE_STRING) {
			char *s = b->buffer;
			s[q->null[i] ? 0 : q->len[i]] = '\0';
		} else if (q->null[i] && b->buffer_type == MYSQL_TYPE_LONGLONG)
			*(long long *)b->buffer = 0;
		else if (q->null[i])
			*(int *)b->buffer = 0;
	}
	return 1;
}

unsigned long long
fd_q_affected(const struct fd_q *q)
{
	return q->st ? mysql_stmt_affected_rows(q->st) : 0;
}

unsigned long long
fd_q_insert_id(const struct fd_q *q)
{
	return q->st ? mysql_stmt_insert_id(q->st) : 0;
}

void
fd_q_close(struct fd_q *q)
{
	/* Only the client side: mysql_stmt_reset() would cost a round trip
	 * per statement, and a re-execute resets the statement anyway. */
	if (q->st != NULL)
		mysql_stmt_free_result(q->st);
	q->st = NULL;
}
