/*
 * order_breaker.c - the payment breaker, one for the whole order program.
 *
 * The state machine is lib/fd_breaker.c; here it lives in memory the
 * master maps before forking, under a process-shared robust mutex, so all
 * workers open and close it as one.  A worker that dies holding the lock
 * leaves it recoverable (EOWNERDEAD), never stuck.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "fd_breaker.h"
#include "fd_proc.h"
#include "order.h"

struct shared {
	pthread_mutex_t	 lock;
	struct fd_breaker br;
};

static struct shared *sh;
static struct fd_br_cfg cfg;

int
order_breaker_init(void)
{
	pthread_mutexattr_t a;

	fd_br_cfg_default(&cfg);
	cfg.window_ms = fd_env_int("FD_BREAKER_WINDOW_MS", cfg.window_ms);
	cfg.buckets = (int)fd_env_int("FD_BREAKER_BUCKETS", cfg.buckets);
	cfg.min_calls = (int)fd_env_int("FD_BREAKER_MIN_CALLS", cfg.min_calls);
	cfg.fail_pct = (int)fd_env_int("FD_BREAKER_FAIL_PCT", cfg.fail_pct);
	cfg.open_ms = fd_env_int("FD_BREAKER_OPEN_MS", cfg.open_ms);
	cfg.probe_ok = (int)fd_env_int("FD_BREAKER_PROBES", cfg.probe_ok);
	cfg.probe_stale_ms = 2 * fd_env_int("FD_PAY_TIMEOUT_MS", 1000) + 1000;

	if ((sh = fd_shared_alloc(sizeof(*sh))) == NULL)
		return -1;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&sh->lock, &a);
	pthread_mutexattr_destroy(&a);
	fd_br_init(&sh->br);
	return 0;
}

static void
lock(void)
{
	if (pthread_mutex_lock(&sh->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&sh->lock);
}

int
order_breaker_allow(int *probe)
{
	enum fd_br_decision d;

	*probe = 0;
	if (sh == NULL)
		return 0;	/* a command-line run: no breaker */
	lock();
	d = fd_br_allow(&sh->br, &cfg, fd_now_ms());
	pthread_mutex_unlock(&sh->lock);
	*probe = d == FD_BR_PROBE;
	return d == FD_BR_REJECT ? -1 : 0;
}

void
order_breaker_record(int failed, int probe)
{
	if (sh == NULL)
		return;
	lock();
	fd_br_record(&sh->br, &cfg, fd_now_ms(), failed,
	    probe ? FD_BR_PROBE : FD_BR_ALLOW);
	pthread_mutex_unlock(&sh->lock);
}

void
order_breaker_abandon(int probe)
{
	if (sh == NULL || !probe)
		return;
	lock();
	fd_br_abandon(&sh->br, FD_BR_PROBE);
	pthread_mutex_unlock(&sh->lock);
}

void
order_breaker_metrics(void *file)
{
	FILE *f = file;
	struct fd_breaker b;
	unsigned calls, fails;
	int s;

	if (sh == NULL)
		return;
	lock();
	b = sh->br;
	fd_br_window(&b, &cfg, fd_now_ms(), &calls, &fails);
	pthread_mutex_unlock(&sh->lock);
	fprintf(f, "# HELP fd_breaker_state Payment breaker: 1 for the state "
	    "it is in.\n# TYPE fd_breaker_state gauge\n");
	for (s = FD_BR_CLOSED; s <= FD_BR_HALF_OPEN; s++)
		fprintf(f, "fd_breaker_state{breaker=\"payment\",state=\"%s\"} %d\n",
		    fd_br_state_name((enum fd_br_state)s), (int)b.state == s);
	fprintf(f, "# HELP fd_breaker_transitions_total Moves into each state.\n"
	    "# TYPE fd_breaker_transitions_total counter\n");
	for (s = FD_BR_CLOSED; s <= FD_BR_HALF_OPEN; s++)
		fprintf(f, "fd_breaker_transitions_total{breaker=\"payment\","
		    "to=\"%s\"} %llu\n", fd_br_state_name((enum fd_br_state)s),
		    b.to_state[s]);
	/* Every family with its HELP: `promtool check metrics` (make test). */
	fprintf(f, "# HELP fd_breaker_rejected_total Calls refused at once (open, "
	    "or half-open with a probe out).\n"
	    "# TYPE fd_breaker_rejected_total counter\n"
	    "fd_breaker_rejected_total{breaker=\"payment\"} %llu\n"
	    "# HELP fd_breaker_calls_total Calls let through and reported, "
	    "probes included.\n"
	    "# TYPE fd_breaker_calls_total counter\n"
	    "fd_breaker_calls_total{breaker=\"payment\"} %llu\n"
	    "# HELP fd_breaker_failures_total Calls that failed or were slow.\n"
	    "# TYPE fd_breaker_failures_total counter\n"
	    "fd_breaker_failures_total{breaker=\"payment\"} %llu\n"
	    "# HELP fd_breaker_window_calls Calls in the sliding window now.\n"
	    "# TYPE fd_breaker_window_calls gauge\n"
	    "fd_breaker_window_calls{breaker=\"payment\"} %u\n"
	    "# HELP fd_breaker_window_failures Failed or slow calls in the "
	    "sliding window now.\n"
	    "# TYPE fd_breaker_window_failures gauge\n"
	    "fd_breaker_window_failures{breaker=\"payment\"} %u\n",
	    b.rejected, b.calls_total, b.fails_total, calls, fails);
}
