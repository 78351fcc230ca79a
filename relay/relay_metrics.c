/*
 * relay_metrics.c - the relay's own Prometheus text.
 *
 * The master maps the counters (shared, anonymous) before it forks; each
 * deliverer adds what became of its batches with atomic increments, and a
 * responder child answers GET /relay/<context>/metrics over FastCGI on
 * FD_RELAY_METRICS_SOCKET (the internal gateway routes it there).  What is
 * still undelivered is the outbox's business and shows in the producing
 * context's fd_outbox_* series; these say what the relay did.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <fcgiapp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_proc.h"
#include "relay.h"

#define MAXSUBS		8
#define ADD(x, n)	__atomic_fetch_add(&(x), (n), __ATOMIC_RELAXED)
#define GET(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define SET(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

struct sub_counters {
	char		 name[16];
	uint64_t	 outcome[RELAY__OUTCOMES];	/* by enum relay_outcome */
	uint64_t	 unreachable;	/* batches the subscriber did not take */
	uint64_t	 batches;	/* batches it answered */
	uint64_t	 batch_us;	/* time in those, microseconds */
	uint64_t	 last_ok;	/* unix time of the last answered batch */
	uint64_t	 restarts;	/* deliverers the master replaced */
};

#define MAXTABLES	8

/* Rows the retention purged from one table (relay_purge.c). */
struct purge_counter {
	char		 table[24];
	uint64_t	 rows;
};

static struct {
	size_t			 n;
	struct sub_counters	 s[MAXSUBS];
	size_t			 ntables;
	struct purge_counter	 t[MAXTABLES];
} *shm;

int
relay_metrics_init(const char *const *subs, size_t n,
    const char *const *tables, size_t ntables)
{
	size_t i;

	if ((shm = fd_shared_alloc(sizeof(*shm))) == NULL)
		return -1;
	for (i = 0; i < n && i < MAXSUBS; i++)
		snprintf(shm->s[i].name, sizeof(shm->s[i].name), "%s", subs[i]);
	shm->n = i;
	for (i = 0; i < ntables && i < MAXTABLES; i++)
		snprintf(shm->t[i].table, sizeof(shm->t[i].table), "%s",
		    tables[i]);
	shm->ntables = i;
	return 0;
}

static struct sub_counters *
find(const char *sub)
{
	size_t i;

	for (i = 0; shm != NULL && i < shm->n; i++)
		if (strcmp(shm->s[i].name, sub) == 0)
			return &shm->s[i];
	return NULL;
}

void
relay_metrics_batch(const char *sub, const enum relay_outcome *out, size_t n,
    double seconds)
{
	struct sub_counters *c = find(sub);
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < n; i++)
		if ((unsigned)out[i] < RELAY__OUTCOMES)
			ADD(c->outcome[out[i]], 1);
	ADD(c->batches, 1);
	ADD(c->batch_us, (uint64_t)(seconds * 1e6));
	SET(c->last_ok, (uint64_t)time(NULL));
}

void
relay_metrics_unreachable(const char *sub)
{
	struct sub_counters *c = find(sub);

	if (c != NULL)
		ADD(c->unreachable, 1);
}

void
relay_metrics_restart(const char *sub)
{
	struct sub_counters *c = find(sub);

	if (c != NULL)
		ADD(c->restarts, 1);
}

void
relay_metrics_purged(const char *table, unsigned long long n)
{
	size_t i;

	for (i = 0; shm != NULL && i < shm->ntables; i++)
		if (strcmp(shm->t[i].table, table) == 0) {
			ADD(shm->t[i].rows, (uint64_t)n);
			return;
		}
}

/* A counter of each subscriber (field: its offset), after its header. */
static void
family(FILE *f, const char *context, const char *header, const char *name,
    size_t field)
{
	const uint64_t *v;
	size_t i;

	fputs(header, f);
	for (i = 0; i < shm->n; i++) {
		v = (const uint64_t *)(const void *)((const char *)&shm->s[i] +
		    field);
		fprintf(f, "%s{context=\"%s\",subscriber=\"%s\"} %llu\n", name,
		    context, shm->s[i].name, (unsigned long long)GET(*v));
	}
}

/* The Prometheus text; *out is malloc'd.  -1 when out of memory. */
static int
render(const char *context, char **out, size_t *len)
{
	static const char *const names[RELAY__OUTCOMES] = { "applied",
	    "refused", "retry", "skipped" };
	struct sub_counters *c;
	FILE *f;
	size_t i, k;

	if ((f = open_memstream(out, len)) == NULL)
		return -1;
	fprintf(f, "# HELP fd_relay_deliveries_total Events delivered, by what "
	    "the subscriber made of them (applied includes duplicates).\n"
	    "# TYPE fd_relay_deliveries_total counter\n");
	for (i = 0; i < shm->n; i++)
		for (c = &shm->s[i], k = 0; k < RELAY__OUTCOMES; k++)
			fprintf(f, "fd_relay_deliveries_total{context=\"%s\","
			    "subscriber=\"%s\",outcome=\"%s\"} %llu\n", context,
			    c->name, names[k], (unsigned long long)GET(c->outcome[k]));
	family(f, context, "# HELP fd_relay_unreachable_total Batches the "
	    "subscriber did not answer (released, retried after a back-off).\n"
	    "# TYPE fd_relay_unreachable_total counter\n",
	    "fd_relay_unreachable_total", offsetof(struct sub_counters,
	    unreachable));
	family(f, context, "# HELP fd_relay_batch_seconds Time from sending a "
	    "batch to its answer.\n# TYPE fd_relay_batch_seconds summary\n",
	    "fd_relay_batch_seconds_count", offsetof(struct sub_counters,
	    batches));
	for (i = 0; i < shm->n; i++)
		fprintf(f, "fd_relay_batch_seconds_sum{context=\"%s\","
		    "subscriber=\"%s\"} %.6f\n", context, shm->s[i].name,
		    (double)GET(shm->s[i].batch_us) / 1e6);
	family(f, context, "# HELP fd_relay_last_batch_timestamp_seconds When "
	    "the subscriber last answered a batch (0: not yet).\n"
	    "# TYPE fd_relay_last_batch_timestamp_seconds gauge\n",
	    "fd_relay_last_batch_timestamp_seconds",
	    offsetof(struct sub_counters, last_ok));
	family(f, context, "# HELP fd_relay_deliverer_restarts_total "
	    "Deliverers the relay replaced.\n"
	    "# TYPE fd_relay_deliverer_restarts_total counter\n",
	    "fd_relay_deliverer_restarts_total", offsetof(struct sub_counters,
	    restarts));
	fprintf(f, "# HELP fd_relay_purged_rows_total Rows deleted from the "
	    "context's database once past their retention (inbox, finished "
	    "idempotency keys, canceled_orders, orphan MyPage rows).\n"
	    "# TYPE fd_relay_purged_rows_total counter\n");
	for (i = 0; i < shm->ntables; i++)
		fprintf(f, "fd_relay_purged_rows_total{context=\"%s\","
		    "table=\"%s\"} %llu\n", context, shm->t[i].table,
		    (unsigned long long)GET(shm->t[i].rows));
	if (fclose(f) != 0) {
		free(*out);
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t done;

static void
on_term(int sig)
{
	(void)sig;
	done = 1;
}

/* Another relay of the same context answers on path already. */
static int
in_use(const char *path)
{
	struct sockaddr_un a;
	int fd, rc;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	memcpy(a.sun_path, path, strlen(path) + 1);
	rc = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return rc;
}

/*
 * The responder: answers every request on the socket with the text (the
 * gateway routes only GET /relay/<context>/metrics here).  Until SIGTERM.
 * While another relay of the context serves on the same path (two relays
 * started from one configuration), it waits to take over.
 */
int
relay_metrics_serve(const char *context, const char *path)
{
	struct sigaction sa;
	FCGX_Request rq;
	char *text, head[128];
	size_t len;
	int fd, n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (FCGX_Init() != 0)
		return -1;
	while (!done && in_use(path))
		sleep(1);
	if (done)
		return 0;
	unlink(path);
	if ((fd = FCGX_OpenSocket(path, 64)) < 0) {
		fd_log("relay %s: cannot listen on %s", context, path);
		return -1;
	}
	chmod(path, 0666);	/* the directory guards it, as fd_server.c's */
	FCGX_InitRequest(&rq, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!done && FCGX_Accept_r(&rq) >= 0) {
		/* (libfcgi's own printf knows no %zu: format here.) */
		if (render(context, &text, &len) == 0) {
			n = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
			    "Content-Type: text/plain; version=0.0.4\r\n"
			    "Content-Length: %zu\r\n\r\n", len);
			FCGX_PutStr(head, n, rq.out);
			FCGX_PutStr(text, (int)len, rq.out);
			free(text);
		} else
			FCGX_PutS("Status: 500 Internal Server Error\r\n"
			    "Content-Type: text/plain\r\n\r\nout of memory\n",
			    rq.out);
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
	unlink(path);
	close(fd);
	return 0;
}
