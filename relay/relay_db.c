/*
 * relay_db.c - claiming deliveries and recording what became of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_db.h"
#include "fd_proc.h"
#include "relay.h"

/*
 * The heads of the queues: due deliveries with no earlier undelivered event
 * of the same key for this subscriber, so a key's events go one at a time,
 * in id order, across all relays.  Events that commit late with a lower id
 * are simply found later: there is no high-water mark to skip them.
 *
 * Two queries, each an ordered walk of (subscriber, state, id) that stops
 * at LIMIT (one query with an OR of the two states would sort the whole
 * backlog first): claims whose lease ran out (a relay died), then pending
 * ones.  The NOT EXISTS probes (subscriber, akey, state, id).
 *
 * Only the walked rows are locked (and skipped when locked): InnoDB reads
 * the subqueries' rows without locks, the latest committed versions.  So
 * NOT EXISTS sees an earlier row another relay is claiming (never skips
 * it), and the payload comes along without locking the outbox row that
 * the other subscribers' deliverers read too.
 */
#define HEAD_OF_KEY							\
	" AND NOT EXISTS (SELECT 1 FROM outbox_deliveries e"		\
	"  WHERE e.subscriber = d.subscriber AND e.akey = d.akey"	\
	"  AND e.state IN ('pending', 'inflight') AND e.id < d.id)"	\
	" ORDER BY d.id LIMIT ? FOR UPDATE SKIP LOCKED"
#define HEAD_COLS							\
	"SELECT d.id, (SELECT o.payload FROM outbox o"			\
	" WHERE o.id = d.outbox_id) FROM outbox_deliveries d"
static const char sql_expired[] =
    HEAD_COLS " WHERE d.subscriber = ?"
    " AND d.state = 'inflight' AND d.lease_until < NOW(6)" HEAD_OF_KEY;
static const char sql_heads[] =
    HEAD_COLS " WHERE d.subscriber = ?"
    " AND d.state = 'pending' AND d.next_at <= NOW(6)" HEAD_OF_KEY;

/*
 * Leases run out only when a relay died or stalled, so they are looked
 * for a few times per lease, not on every claim (under load that is one
 * statement per batch, as costly as the claim itself).  A lease found
 * late is only late: while a key's head is inflight, its later events
 * wait (HEAD_OF_KEY counts inflight rows), and after one that was
 * found, the next claim looks again.
 */
static long long expired_next_ms;

static int
expired_due(const struct relay_cfg *cfg)
{
	long long now = fd_now_ms(), every = (long long)cfg->lease_s * 1000 / 4;

	if (now < expired_next_ms)
		return 0;
	expired_next_ms = now +
	    (every < 250 ? 250 : every > 5000 ? 5000 : every);
	return 1;
}

/* Leases in chunks of LEASE_CHUNK ids (unused places bind 0, no row). */
#define LEASE_CHUNK	50
#define Q5	"?, ?, ?, ?, ?"
#define Q50	Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " \
		Q5 ", " Q5
static const char sql_lease[] =
    "UPDATE outbox_deliveries SET state = 'inflight', claim = ?,"
    " lease_until = NOW(6) + INTERVAL ? SECOND WHERE id IN (" Q50 ")";

static enum fd_db_rc
lease(const char *claim, int lease_s, const long long *ids, size_t n)
{
	long long v[LEASE_CHUNK];
	struct fd_q q;
	enum fd_db_rc rc;
	size_t i;

	for (i = 0; i < LEASE_CHUNK; i++)
		v[i] = i < n ? ids[i] : 0;
	rc = fd_q_exec(&q, sql_lease, "si" "llllllllll" "llllllllll"
	    "llllllllll" "llllllllll" "llllllllll", claim, lease_s,
	    v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
	    v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19],
	    v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27], v[28], v[29],
	    v[30], v[31], v[32], v[33], v[34], v[35], v[36], v[37], v[38], v[39],
	    v[40], v[41], v[42], v[43], v[44], v[45], v[46], v[47], v[48], v[49]);
	fd_q_close(&q);
	return rc;
}

static int
claim_once(const struct relay_cfg *cfg, const char *claim,
    struct relay_item *items, size_t *n)
{
	static long long ids[RELAY_MAX_BATCH];
	static char payload[65536];
	long long id;
	size_t i;
	struct fd_q q;
	int rc, k;

	*n = 0;
	q.st = NULL;
	if (fd_db_begin() != FD_DB_OK)
		return -1;
	for (k = expired_due(cfg) ? 0 : 1; k < 2 &&
	    *n < (size_t)cfg->batch; k++) {
		if (fd_q_exec(&q, k == 0 ? sql_expired : sql_heads, "si",
		    cfg->subscriber, cfg->batch - (int)*n) != FD_DB_OK ||
		    fd_q_out(&q, "ls", &id, payload, sizeof(payload)) != FD_DB_OK)
			goto fail;
		while ((rc = fd_q_fetch(&q)) == 1 && *n < RELAY_MAX_BATCH) {
			/* An event always has its outbox row (housekeeping
			 * deletes none with deliveries): not a payload to send. */
			if (payload[0] == '\0' ||
			    (items[*n].payload = strdup(payload)) == NULL) {
				rc = -1;
				break;
			}
			items[*n].id = ids[*n] = id;
			(*n)++;
		}
		fd_q_close(&q);
		if (rc < 0)
			goto fail;
		if (k == 0 && *n > 0)
			expired_next_ms = 0;	/* there may be more */
	}
	if (*n == 0) {
		fd_db_rollback();
		return 0;
	}
	for (i = 0; i < *n; i += LEASE_CHUNK)
		if (lease(claim, cfg->lease_s, ids + i, *n - i < LEASE_CHUNK ?
		    *n - i : LEASE_CHUNK) != FD_DB_OK)
			goto fail;
	if (fd_db_commit() != FD_DB_OK)
		goto fail;
	return (int)*n;
fail:
	fd_q_close(&q);
	fd_db_rollback();
	for (i = 0; i < *n; i++)
		free(items[i].payload);
	*n = 0;
	return -1;
}

/*
 * A claim is run again whole when it meets a deadlock (two relays' claims
 * or a claim and a housekeeping delete, or Galera's certification at
 * commit): safe, since a unit that met one was rolled back whole (nothing
 * claimed, no payload kept) and the next run picks its rows afresh.
 */
int
relay_claim(const struct relay_cfg *cfg, const char *claim,
    struct relay_item *items, size_t *n)
{
	int rc, attempt = 0;

	while ((rc = claim_once(cfg, claim, items, n)) < 0 &&
	    fd_db_retry(&attempt))
		;
	return rc;
}

/* What became of a delivered batch, in one unit of work. */
static int
record_once(const struct relay_cfg *cfg, const char *claim,
    const struct relay_item *items, const enum relay_outcome *out,
    char errors[][256], size_t n)
{
	static const char sql_done[] =
	    "UPDATE outbox_deliveries SET state = 'done', claim = NULL,"
	    " lease_until = NULL, delivered_at = NOW(6), last_error = NULL"
	    " WHERE claim = ? AND state = 'inflight'";
	static const char sql_skipped[] =
	    "UPDATE outbox_deliveries SET state = 'pending', claim = NULL,"
	    " lease_until = NULL WHERE id = ? AND claim = ?";
	static const char sql_fail[] =
	    "UPDATE outbox_deliveries SET attempts = attempts + 1,"
	    " state = IF(attempts >= ?, 'dead', 'pending'),"
	    " next_at = NOW(6) + INTERVAL LEAST(? * POW(2, attempts - 1), ?)"
	    " * 1000 MICROSECOND,"
	    " last_error = LEFT(?, 255), claim = NULL, lease_until = NULL"
	    " WHERE id = ? AND claim = ?";
	static const char sql_dead[] =
	    "INSERT IGNORE INTO outbox_dead_letters (delivery_id, outbox_id,"
	    " subscriber, event_id, event_type, akey, attempts, last_error)"
	    " SELECT d.id, d.outbox_id, d.subscriber, o.event_id, o.event_type,"
	    " d.akey, d.attempts, d.last_error FROM outbox_deliveries d"
	    " JOIN outbox o ON o.id = d.outbox_id WHERE d.id = ?"
	    " AND d.state = 'dead'";
	struct fd_q q;
	enum fd_db_rc rc = FD_DB_OK;
	size_t i;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	/* The exceptions one by one... */
	for (i = 0; i < n && rc == FD_DB_OK; i++) {
		if (out[i] == RELAY_SKIPPED) {
			rc = fd_q_exec(&q, sql_skipped, "ls", items[i].id, claim);
			fd_q_close(&q);
		} else if (out[i] == RELAY_FAILED || out[i] == RELAY_RETRY) {
			/* attempts is already incremented when state is set. */
			rc = fd_q_exec(&q, sql_fail, "illsls", cfg->max_attempts,
			    cfg->backoff_ms, cfg->backoff_max_ms, errors[i],
			    items[i].id, claim);
			fd_q_close(&q);
			if (rc != FD_DB_OK)
				break;
			rc = fd_q_exec(&q, sql_dead, "l", items[i].id);
			if (rc == FD_DB_OK && fd_q_affected(&q) > 0)
				fprintf(stderr, "relay: delivery %lld to %s "
				    "dead-lettered: %s\n", items[i].id,
				    cfg->subscriber, errors[i]);
			fd_q_close(&q);
		}
	}
	/* ...then the rest, applied, in one statement.  Only while the claim
	 * is still ours: if our lease ran out and another relay claimed a
	 * row, it is that relay's to record. */
	if (rc == FD_DB_OK) {
		rc = fd_q_exec(&q, sql_done, "s", claim);
		fd_q_close(&q);
	}
	if (rc != FD_DB_OK) {
		fd_db_rollback();
		return -1;
	}
	return fd_db_commit() == FD_DB_OK ? 0 : -1;
}

/*
 * The record is run again whole when it meets a deadlock: every statement
 * of it names our claim, so a second run marks only what is still ours
 * and counts an attempt once (the first run was rolled back whole).
 */
int
relay_record(const struct relay_cfg *cfg, const char *claim,
    const struct relay_item *items, const enum relay_outcome *out,
    char errors[][256], size_t n)
{
	int rc, attempt = 0;

	while ((rc = record_once(cfg, claim, items, out, errors, n)) < 0 &&
	    fd_db_retry(&attempt))
		;
	return rc;
}

/* Whatever is still claimed by us goes back to pending, no attempt. */
int
relay_release(const char *claim)
{
	static const char sql[] =
	    "UPDATE outbox_deliveries SET state = 'pending', claim = NULL,"
	    " lease_until = NULL WHERE claim = ?";
	struct fd_q q;
	enum fd_db_rc rc;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = fd_q_exec(&q, sql, "s", claim);
	fd_q_close(&q);
	if (rc != FD_DB_OK) {
		fd_db_rollback();
		return -1;
	}
	return fd_db_commit() == FD_DB_OK ? 0 : -1;
}

int
relay_housekeep(const struct relay_cfg *cfg)
{
	static const char sql_done[] =
	    "DELETE FROM outbox_deliveries WHERE state = 'done' AND subscriber = ?"
	    " AND delivered_at < NOW(6) - INTERVAL ? SECOND"
	    " LIMIT " RELAY_HOUSEKEEP_CHUNK_S;
	static const char sql_outbox[] =
	    "DELETE FROM outbox WHERE created_at < NOW(6) - INTERVAL ? SECOND"
	    " AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d"
	    " WHERE d.outbox_id = outbox.id) LIMIT " RELAY_HOUSEKEEP_CHUNK_S;
	struct fd_q q;
	enum fd_db_rc rc;
	long long n = 0;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = fd_q_exec(&q, sql_done, "si", cfg->subscriber, cfg->retention_s);
	n += (long long)fd_q_affected(&q);
	fd_q_close(&q);
	/* The events themselves: one deliverer of the relay sees to them
	 * (several deleting the same rows at once deadlock). */
	if (rc == FD_DB_OK && cfg->outbox_keeper != NULL &&
	    strcmp(cfg->subscriber, cfg->outbox_keeper) == 0) {
		rc = fd_q_exec(&q, sql_outbox, "i", cfg->retention_s);
		if ((long long)fd_q_affected(&q) > n)
			n = (long long)fd_q_affected(&q);
		fd_q_close(&q);
	}
	if (rc != FD_DB_OK) {
		fd_db_rollback();
		return -1;
	}
	return fd_db_commit() == FD_DB_OK ? (int)n : -1;
}

int
relay_dead_list(const char *subscriber)
{
	static const char sql[] =
	    "SELECT delivery_id, subscriber, event_id, event_type, akey, attempts,"
	    " COALESCE(last_error, ''), DATE_FORMAT(died_at, '%Y-%m-%dT%H:%i:%sZ')"
	    " FROM outbox_dead_letters WHERE ? = '' OR subscriber = ?"
	    " ORDER BY delivery_id";
	char sub[32], eid[40], type[48], key[72], err[256], when[32];
	long long id;
	int attempts, rc, n = 0;
	struct fd_q q;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	if (fd_q_exec(&q, sql, "ss", subscriber, subscriber) == FD_DB_OK &&
	    fd_q_out(&q, "lssssiss", &id, sub, sizeof(sub), eid, sizeof(eid),
	    type, sizeof(type), key, sizeof(key), &attempts, err, sizeof(err),
	    when, sizeof(when)) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1) {
			printf("%lld\t%s\t%s\t%s\tkey=%s\tattempts=%d\t%s\t%s\n",
			    id, sub, type, eid, key, attempts, when, err);
			n++;
		}
	fd_q_close(&q);
	fd_db_rollback();
	return n;
}

int
relay_dead_replay(const char *subscriber, long long delivery_id)
{
	static const char sql[] =
	    "UPDATE outbox_deliveries SET state = 'pending', attempts = 0,"
	    " next_at = NOW(6), last_error = NULL WHERE state = 'dead'"
	    " AND (? = 0 OR id = ?) AND (? = '' OR subscriber = ?)";
	static const char sql_forget[] =
	    "DELETE FROM outbox_dead_letters WHERE (? = 0 OR delivery_id = ?)"
	    " AND (? = '' OR subscriber = ?)";
	struct fd_q q;
	enum fd_db_rc rc;
	long long n;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = fd_q_exec(&q, sql, "llss", delivery_id, delivery_id, subscriber,
	    subscriber);
	n = (long long)fd_q_affected(&q);
	fd_q_close(&q);
	if (rc == FD_DB_OK) {
		rc = fd_q_exec(&q, sql_forget, "llss", delivery_id, delivery_id,
		    subscriber, subscriber);
		fd_q_close(&q);
	}
	if (rc != FD_DB_OK) {
		fd_db_rollback();
		return -1;
	}
	return fd_db_commit() == FD_DB_OK ? (int)n : -1;
}
