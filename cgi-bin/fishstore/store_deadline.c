/*
 * store_deadline.c - the accept deadline (SPEC: a ticket the owner has not
 * accepted within it is rejected by the store context itself with
 * reasonCode no_response, and refunded like any rejection).
 *
 * Each ticket gets its deadline when it is made (tickets.accept_by:
 * FD_ACCEPT_DEADLINE_S from then).  A checker (`fishstore.fcgi deadline`,
 * a service of the stack beside the FastCGI master) looks every
 * FD_ACCEPT_SWEEP_MS for Paid tickets past it and rejects each with one
 * conditional UPDATE (still Paid, still past) and its OrderRejected in the
 * same commit: whoever gets there second, another checker on another host
 * or the owner's own step, finds the row changed and writes nothing.  No
 * state lives in the process, so a restart resumes where the rows say.
 *
 * Why a process of its own and not the relay's housekeeping: the relay is
 * the same program for every context and knows none of their rules; it
 * cleans up every minute, too seldom for a ten-minute promise; and the
 * deadline must hold while the relay is down (the events wait in the
 * outbox, the tickets are rejected on time).  The owner's step applies
 * the same rule (store_app.c), so a late answer between two passes is
 * refused all the same.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_db.h"
#include "fd_fault.h"
#include "fd_proc.h"
#include "store.h"

#define PASS_MAX	100	/* tickets a pass looks at; the rest next */

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Test builds only (fd_fault.h): holds the rejection's transaction open
 * after its UPDATE, so that a test can run a second checker against it.
 */
static void
expire_pause(void)
{
	long long ms = fd_fault("store-deadline-pause-ms");

	if (ms > 0 && ms <= 10000)
		usleep((useconds_t)(ms * 1000));
}

/*
 * Inside the caller's unit of work: rejects ticket id if it is still Paid
 * and past its deadline, and writes its OrderRejected; t is the ticket
 * after.  1 rejected, 0 not (someone was first), -1 database.
 */
int
store_deadline_expire(long long id, struct store_ticket *t)
{
	struct store_ticket_event ev;
	int rc;

	if ((rc = store_db_ticket_expire(id)) != 1)
		return rc;
	if (store_db_ticket_get(id, 0, t) != 1 ||
	    store_ticket_rejected_event(t, &ev) != 0 ||
	    store_db_ticket_event(&ev) != 0)
		return -1;
	return 1;
}

int
store_deadline_pass(void)
{
	static struct store_ticket t;
	long long ids[PASS_MAX];
	size_t n, i;
	int done = 0, rc;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = store_db_overdue(ids, PASS_MAX, &n);
	fd_db_rollback();
	if (rc < 0)
		return -1;
	/* One commit each: a ticket rejected is never held up by another. */
	for (i = 0; i < n; i++) {
		if (fd_db_begin() != FD_DB_OK)
			return -1;
		if ((rc = store_deadline_expire(ids[i], &t)) < 0) {
			fd_db_rollback();
			return -1;
		}
		if (rc == 0) {
			fd_db_rollback();
			continue;
		}
		expire_pause();
		if (fd_db_commit() != FD_DB_OK)
			return -1;
		fd_log("deadline: ticket %lld (order %lld) not accepted in time:"
		    " rejected, no_response", t.id, t.order_id);
		done++;
	}
	return done;
}

int
store_deadline_run(void)
{
	long long every = fd_env_int("FD_ACCEPT_SWEEP_MS", 1000), ms;

	if (every < 100 || every > 60000)
		every = 1000;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	fd_log("deadline: every %lld ms, tickets Paid past their deadline "
	    "(FD_ACCEPT_DEADLINE_S %d for new tickets)", every,
	    store_deadline_seconds(getenv("FD_ACCEPT_DEADLINE_S")));
	while (!stop) {
		if (store_deadline_pass() < 0)
			fd_log("deadline: database unavailable");
		for (ms = 0; ms < every && !stop; ms += 100)
			usleep(100000);
	}
	return 0;
}
