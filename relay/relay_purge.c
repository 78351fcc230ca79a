/*
 * relay_purge.c - retention: the rows of its context's database that a
 * relay deletes once they can no longer matter, so that nothing grows for
 * ever.
 *
 * The relay does it because it is the one long-running process every
 * context that keeps such rows has, connected as that context's own DB
 * user, already cleaning up after itself (relay_db.c's housekeeping) and
 * serving metrics; the order reconciler exists for order alone.  One
 * deliverer per relay does it (the outbox keeper), in the same passes as
 * its housekeeping: each table a chunk of RELAY_HOUSEKEEP_CHUNK rows in a
 * transaction of its own (short lock holds, never one long delete), the
 * next pass soon when a chunk came back full.  What went is counted in
 * fd_relay_purged_rows_total{table}.
 *
 * Each retention is in seconds from the environment; 0 keeps the rows
 * for ever.  Why each row can go, and when:
 *
 * - inbox (every context): an event id is needed only while the event
 *   can still be delivered again.  A producer redelivers an event only
 *   while its delivery row is not 'done': after the subscriber applied it
 *   but before the relay recorded that (the relay died: the lease runs
 *   out; the answer was lost: released, then backed off), or while that
 *   producer's relay (or its database) is stopped in that state.  Dead
 *   letters, which operators replay at any time, are events the
 *   subscriber did not apply (refused or "retry": rolled back), so they
 *   have no inbox row.  The rule: FD_INBOX_RETENTION_S must exceed the
 *   redelivery window, FD_RELAY_LEASE_S + FD_RELAY_TIMEOUT_MS +
 *   FD_RELAY_BACKOFF_MAX_MS plus the longest a relay may stay stopped;
 *   the default, a week, covers a long weekend's outage, and a value below
 *   the relay's own window is raised to it (relays share one
 *   configuration: fishdelivery.env).
 * - idempotency_keys (order): a finished key answers a retry of its
 *   request; once purged, the same key makes a new order.  Checkout pages
 *   retry within seconds and clients within hours: a day by default.
 *   Pending keys are the reconciler's (order_db_idem_expire), never these.
 * - canceled_orders (fishstore, delivery): needed while the event that
 *   makes the copy (OrderPlaced, OrderPrepared) can still arrive, and it
 *   can arrive late: a dead letter is kept until an operator replays it,
 *   however much later.  So 30 days by default: dead letters must be
 *   replayed (or dropped) within that, else a late OrderPlaced opens a
 *   ticket for an order refunded long ago.
 * - mypage, orphan rows (order): a row a payment's event started for an
 *   attempt never placed: no OrderPlaced said whose it is, so nobody can
 *   read it.  OrderPlaced is written in the commit that makes an order
 *   Paid, so once the order is decided Failed or Declined it never
 *   comes; a row of no order at all never gets one either.  Kept a day
 *   after the decision (the row's own last step, without an order): a
 *   late payment event would start it again, and it would go again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_db.h"
#include "fd_proc.h"
#include "relay.h"

/* The row's time, for an orphan whose order this context never had. */
#define ORPHAN_AT							\
	"COALESCE(refunded_at, paid_at, delivery_canceled_at, canceled_at,"\
	" rejected_at, accepted_at, prepared_at, delivery_started_at,"	\
	" delivered_at, placed_at)"

struct rule {
	const char	*context;	/* NULL: every context */
	const char	*table;		/* the metric's label */
	const char	*env;
	long long	 def_s;
	const char	*sql;		/* binds the retention nbind times */
	int		 nbind;
	long long	 retention_s;	/* configured */
};

static struct rule rules[] = {
	{ NULL, "inbox", "FD_INBOX_RETENTION_S", 7 * 86400,
	    "DELETE FROM inbox WHERE applied_at < NOW(6) - INTERVAL ? SECOND"
	    " LIMIT " RELAY_HOUSEKEEP_CHUNK_S, 1, 0 },
	{ "order", "idempotency_keys", "FD_IDEM_RETENTION_S", 86400,
	    "DELETE FROM idempotency_keys WHERE state = 'done' AND"
	    " created_at < NOW(6) - INTERVAL ? SECOND"
	    " LIMIT " RELAY_HOUSEKEEP_CHUNK_S, 1, 0 },
	{ "fishstore", "canceled_orders", "FD_CANCELED_RETENTION_S",
	    30 * 86400,
	    "DELETE FROM canceled_orders WHERE created_at < NOW(6) - INTERVAL"
	    " ? SECOND LIMIT " RELAY_HOUSEKEEP_CHUNK_S, 1, 0 },
	{ "delivery", "canceled_orders", "FD_CANCELED_RETENTION_S",
	    30 * 86400,
	    "DELETE FROM canceled_orders WHERE created_at < NOW(6) - INTERVAL"
	    " ? SECOND LIMIT " RELAY_HOUSEKEEP_CHUNK_S, 1, 0 },
	{ "order", "mypage", "FD_MYPAGE_ORPHAN_RETENTION_S", 86400,
	    "DELETE FROM mypage WHERE customer_id IS NULL AND (EXISTS"
	    " (SELECT 1 FROM orders o WHERE o.id = mypage.order_id AND"
	    " o.status IN ('Failed', 'Declined') AND"
	    " o.updated_at < NOW(6) - INTERVAL ? SECOND) OR (NOT EXISTS"
	    " (SELECT 1 FROM orders o WHERE o.id = mypage.order_id) AND "
	    ORPHAN_AT " < NOW(6) - INTERVAL ? SECOND))"
	    " LIMIT " RELAY_HOUSEKEEP_CHUNK_S, 2, 0 },
};
#define NRULES	(sizeof(rules) / sizeof(rules[0]))

static int
applies(const struct rule *r, const char *context)
{
	return r->context == NULL || strcmp(r->context, context) == 0;
}

size_t
relay_purge_tables(const char *context, const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < NRULES && n < max; i++)
		if (applies(&rules[i], context))
			out[n++] = rules[i].table;
	return n;
}

void
relay_purge_config(const struct relay_cfg *cfg)
{
	/* The longest an applied event may still come again while the
	 * relays run (see above), rounded up to whole seconds. */
	long long window = cfg->lease_s + (cfg->timeout_ms +
	    cfg->backoff_max_ms + 999) / 1000;
	size_t i;

	for (i = 0; i < NRULES; i++) {
		rules[i].retention_s = fd_env_int(rules[i].env, rules[i].def_s);
		if (rules[i].retention_s < 0)
			rules[i].retention_s = 0;
		if (strcmp(rules[i].table, "inbox") == 0 &&
		    rules[i].retention_s > 0 && rules[i].retention_s <= window) {
			fd_log("relay: %s=%lld is within the redelivery window;"
			    " %lld s instead", rules[i].env,
			    rules[i].retention_s, window + 1);
			rules[i].retention_s = window + 1;
		}
	}
}

/* One chunk of one table, in its own transaction: rows deleted, or -1. */
static long long
purge_chunk(const struct rule *r)
{
	struct fd_q q;
	enum fd_db_rc rc;
	long long n;
	int s = r->retention_s > 0x7fffffff ? 0x7fffffff : (int)r->retention_s;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = r->nbind == 2 ? fd_q_exec(&q, r->sql, "ii", s, s) :
	    fd_q_exec(&q, r->sql, "i", s);
	n = (long long)fd_q_affected(&q);
	fd_q_close(&q);
	if (rc != FD_DB_OK) {
		fd_db_rollback();
		return -1;
	}
	return fd_db_commit() == FD_DB_OK ? n : -1;
}

int
relay_purge(const struct relay_cfg *cfg)
{
	long long n, most = 0;
	size_t i;

	if (cfg->outbox_keeper == NULL ||
	    strcmp(cfg->subscriber, cfg->outbox_keeper) != 0)
		return 0;
	for (i = 0; i < NRULES; i++) {
		if (!applies(&rules[i], cfg->context) ||
		    rules[i].retention_s == 0)
			continue;
		if ((n = purge_chunk(&rules[i])) < 0) {
			fd_log("relay %s: purging %s failed", cfg->context,
			    rules[i].table);
			continue;
		}
		if (n > 0)
			relay_metrics_purged(rules[i].table, (unsigned long long)n);
		if (n > most)
			most = n;
	}
	return (int)most;
}
