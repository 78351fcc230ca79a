/*
 * fd_consumer.c - applying relayed events once (see fd_consumer.h).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd_consumer.h"
#include "fd_db.h"
#include "fd_err.h"
#include "fd_fault.h"
#include "fd_input.h"
#include "fd_proc.h"

#define MAX_BATCH	1000

enum outcome { APPLIED, DUPLICATE, FAILED, RETRY, SKIPPED };
static const char *const outcome_names[] = {
	"applied", "duplicate", "failed", "retry", "skipped"
};

int
fd_ev_int(json_object *ev, const char *key, long long *v)
{
	json_object *j;

	if (!json_object_object_get_ex(ev, key, &j) ||
	    !json_object_is_type(j, json_type_int))
		return -1;
	*v = json_object_get_int64(j);
	return 0;
}

int
fd_ev_str(json_object *ev, const char *key, char *buf, size_t sz)
{
	json_object *j;
	const char *s;
	size_t n;

	if (!json_object_object_get_ex(ev, key, &j) ||
	    !json_object_is_type(j, json_type_string))
		return -1;
	s = json_object_get_string(j);
	n = (size_t)json_object_get_string_len(j);
	if (n >= sz || strlen(s) != n || !fd_utf8_text(s, n))
		return -1;
	memcpy(buf, s, n + 1);
	return 0;
}

/* Records the event in the inbox; 1 if it was there already, -1 on error. */
static int
inbox_add(const char *id, const char *type)
{
	static const char sql[] =
	    "INSERT INTO inbox (event_id, event_type) VALUES (?, ?)";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "ss", id, type);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : rc == FD_DB_DUP ? 1 : -1;
}

/*
 * The inbox rows of a batch's events, INBOX_CHUNK at a time: one read of
 * those already there, one insert of the others.  Unused places bind
 * NULL, which matches nothing and inserts nothing.
 */
#define INBOX_CHUNK	16
#define P4	"?, ?, ?, ?"
#define P16	P4 ", " P4 ", " P4 ", " P4
#define S4	"ssss"
#define R4	" UNION ALL SELECT ?, ? UNION ALL SELECT ?, ?"	\
		" UNION ALL SELECT ?, ? UNION ALL SELECT ?, ?"
static const char sql_inbox_seen[] =
    "SELECT event_id FROM inbox WHERE event_id IN (" P16 ")";
static const char sql_inbox_add[] =
    "INSERT INTO inbox (event_id, event_type) SELECT i, t FROM"
    " (SELECT ? AS i, ? AS t UNION ALL SELECT ?, ? UNION ALL SELECT ?, ?"
    " UNION ALL SELECT ?, ?" R4 R4 R4 ") e WHERE i IS NOT NULL";

/*
 * Marks seen[i] for the events of ids[0..n) the inbox has, and adds the
 * others: 0, or -1 on any failure, also when another unit of work adds
 * one of them meanwhile (the caller then goes one event at a time).
 */
static int
inbox_add_chunk(char ids[][40], char types[][40], size_t n, int *seen)
{
	const char *v[INBOX_CHUNK], *w[2 * INBOX_CHUNK];
	char got[40];
	struct fd_q q;
	size_t i, nnew = 0;
	int rc = -1;

	if (n == 1) {	/* one statement either way */
		if ((rc = inbox_add(ids[0], types[0])) < 0)
			return -1;
		seen[0] = rc;
		return 0;
	}
	for (i = 0; i < INBOX_CHUNK; i++) {
		v[i] = i < n ? ids[i] : NULL;
		if (i < n)
			seen[i] = 0;
	}
	if (fd_q_exec(&q, sql_inbox_seen, S4 S4 S4 S4, v[0], v[1], v[2],
	    v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
	    v[13], v[14], v[15]) == FD_DB_OK &&
	    fd_q_out(&q, "s", got, sizeof(got)) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			for (i = 0; i < n; i++)
				if (strcmp(ids[i], got) == 0)
					seen[i] = 1;
	fd_q_close(&q);
	if (rc != 0)
		return -1;
	for (i = 0; i < INBOX_CHUNK; i++) {
		w[2 * i] = i < n && !seen[i] ? ids[i] : NULL;
		w[2 * i + 1] = i < n && !seen[i] ? types[i] : NULL;
		nnew += w[2 * i] != NULL;
	}
	if (nnew == 0)
		return 0;
	rc = fd_q_exec(&q, sql_inbox_add, S4 S4 S4 S4 S4 S4 S4 S4, w[0], w[1],
	    w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12],
	    w[13], w[14], w[15], w[16], w[17], w[18], w[19], w[20], w[21],
	    w[22], w[23], w[24], w[25], w[26], w[27], w[28], w[29], w[30],
	    w[31]) == FD_DB_OK && fd_q_affected(&q) == nnew ? 0 : -1;
	fd_q_close(&q);
	return rc;
}

/*
 * Applies one event inside the open unit of work; with inboxed, its
 * inbox row is written already (and it was not there before).
 */
static enum outcome
apply_untraced(fd_apply_fn apply, json_object *ev, int inboxed,
    char *err, size_t errsz)
{
	char id[40], type[40];
	long long oid;
	int rc;

	if (fd_ev_str(ev, "eventId", id, sizeof(id)) != 0 ||
	    fd_ev_str(ev, "eventType", type, sizeof(type)) != 0) {
		snprintf(err, errsz, "event without eventId or eventType");
		return FAILED;
	}
	if (!inboxed && (rc = inbox_add(id, type)) != 0) {
		if (rc == 1)
			return DUPLICATE;
		snprintf(err, errsz, "inbox write failed");
		return RETRY;
	}
	/* Test builds: a pause between the inbox row and the event's
	 * effect, so that a test can take the rows this unit needs in the
	 * other order and make a real deadlock (test_deadlock.c). */
	if (fd_fault("consumer-pause-ms") > 0)
		usleep((useconds_t)fd_fault("consumer-pause-ms") * 1000);
	/* Test builds: the event of the orderId the hook names is "not
	 * now" for ever (tests/integration/test_purge.c). */
	if (fd_fault("consumer-retry-order") != 0 &&
	    fd_ev_int(ev, "orderId", &oid) == 0 &&
	    oid == fd_fault("consumer-retry-order")) {
		snprintf(err, errsz, "test hook: retry for ever");
		return RETRY;
	}
	switch (apply(type, ev, err, errsz)) {
	case FD_APPLY_OK:
		return APPLIED;
	case FD_APPLY_POISON:
		return FAILED;
	default:
		return RETRY;
	}
}

/* The events this one causes carry its trace, not the delivery's. */
static enum outcome
apply_one(fd_apply_fn apply, json_object *ev, int inboxed, char *err,
    size_t errsz)
{
	const char *outer = fd_trace_id;
	char trace[72];
	enum outcome o;

	if (fd_ev_str(ev, "traceId", trace, sizeof(trace)) == 0 &&
	    fd_trace_id_ok(trace))
		fd_trace_id = trace;
	o = apply_untraced(apply, ev, inboxed, err, errsz);
	fd_trace_id = outer;
	return o;
}

static void
result(json_object *arr, json_object *ev, enum outcome o, const char *err)
{
	json_object *r = json_object_new_object(), *id;

	if (json_object_object_get_ex(ev, "eventId", &id) &&
	    json_object_is_type(id, json_type_string))
		json_object_object_add(r, "eventId", json_object_get(id));
	json_object_object_add(r, "status",
	    json_object_new_string(outcome_names[o]));
	if (err != NULL && *err != '\0')
		json_object_object_add(r, "error", json_object_new_string(err));
	json_object_array_add(arr, r);
}

static char ids[MAX_BATCH][40], types[MAX_BATCH][40];

/*
 * The batch's unit of work: all in one transaction, the inbox rows first
 * (a few statements for the whole batch), ids and types of its n events
 * read already; 0 if every event applied (results filled).
 */
static int
apply_batch_once(fd_apply_fn apply, json_object *events, size_t n,
    json_object *out)
{
	static int seen[MAX_BATCH];
	enum outcome o[MAX_BATCH];
	char err[256];
	size_t i;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	for (i = 0; i < n; i += INBOX_CHUNK)
		if (inbox_add_chunk(ids + i, types + i, n - i < INBOX_CHUNK ?
		    n - i : INBOX_CHUNK, seen + i) != 0) {
			fd_db_rollback();
			return -1;
		}
	for (i = 0; i < n; i++) {
		err[0] = '\0';
		o[i] = seen[i] ? DUPLICATE : apply_one(apply,
		    json_object_array_get_idx(events, i), 1, err, sizeof(err));
		if (o[i] != APPLIED && o[i] != DUPLICATE) {
			fd_db_rollback();
			return -1;
		}
	}
	if (fd_db_commit() != FD_DB_OK)
		return -1;
	for (i = 0; i < n; i++)
		result(out, json_object_array_get_idx(events, i), o[i], NULL);
	return 0;
}

/*
 * The batch in one unit of work, run again (fd_db_retry()) if it meets a
 * deadlock: safe, since the inbox makes applying an event twice apply it
 * once, and a unit that met one was rolled back whole.  0 if every event
 * applied; anything else, an event without its id or type included, goes
 * one at a time.
 */
static int
apply_batch(fd_apply_fn apply, json_object *events, json_object *out)
{
	json_object *ev;
	size_t i, n = json_object_array_length(events);
	int attempt = 0;

	for (i = 0; i < n; i++) {
		ev = json_object_array_get_idx(events, i);
		if (fd_ev_str(ev, "eventId", ids[i], sizeof(ids[i])) != 0 ||
		    fd_ev_str(ev, "eventType", types[i], sizeof(types[i])) != 0)
			return -1;
	}
	while (apply_batch_once(apply, events, n, out) != 0)
		if (!fd_db_retry(&attempt))
			return -1;
	return 0;
}

/*
 * One event in a unit of work of its own, run again (fd_db_retry()) if it
 * meets a deadlock, as the batch is.  *away: the database could not be
 * reached (nothing tried).
 */
static enum outcome
apply_alone(fd_apply_fn apply, json_object *ev, char *err, size_t errsz,
    int *away)
{
	enum outcome o;
	int attempt = 0;

	*away = 0;
	do {
		err[0] = '\0';
		if (fd_db_begin() != FD_DB_OK) {
			*away = 1;
			snprintf(err, errsz, "database unavailable");
			return RETRY;
		}
		if ((o = apply_one(apply, ev, 0, err, errsz)) == APPLIED) {
			if (fd_db_commit() != FD_DB_OK) {
				o = RETRY;
				snprintf(err, errsz, "commit failed");
			}
		} else
			fd_db_rollback();
	} while (o == RETRY && fd_db_retry(&attempt));
	return o;
}

/*
 * One transaction per event, stopping at the first that fails.  -1 when
 * the database cannot be reached for the first: nothing was tried, and
 * the relay must hear that the subscriber is away (no attempt counted),
 * not that the event is to be retried (an attempt, since an event
 * answered "retry" for ever is dead-lettered like a refusal).
 */
static int
apply_each(fd_apply_fn apply, json_object *events, json_object *out)
{
	json_object *ev;
	enum outcome o;
	char err[256];
	size_t i, n = json_object_array_length(events);
	int stop = 0, away;

	for (i = 0; i < n; i++) {
		ev = json_object_array_get_idx(events, i);
		err[0] = '\0';
		if (stop) {
			result(out, ev, SKIPPED, NULL);
			continue;
		}
		o = apply_alone(apply, ev, err, sizeof(err), &away);
		if (away && i == 0)
			return -1;
		result(out, ev, o, err);
		if (o == FAILED || o == RETRY) {
			stop = 1;
			if (o == FAILED)
				fd_log("event %zu of %zu refused: %s", i + 1, n, err);
		}
	}
	return 0;
}

enum fd_err
fd_consumer_apply(fd_apply_fn apply, const char *body, size_t len,
    json_object **reply, const char **msg)
{
	json_tokener *tok;
	json_object *root = NULL, *events, *out;
	size_t i, n;

	*reply = NULL;
	if ((tok = json_tokener_new_ex(FD_INPUT_DEPTH)) == NULL) {
		*msg = "out of memory";
		return FD_E_INTERNAL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	if (len > 0)
		root = json_tokener_parse_ex(tok, body, (int)len);
	if (root == NULL || json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "events", &events) ||
	    !json_object_is_type(events, json_type_array) ||
	    (n = json_object_array_length(events)) == 0 || n > MAX_BATCH) {
		json_tokener_free(tok);
		json_object_put(root);
		*msg = "expected {\"events\":[...]} with 1 to 1000 events";
		return FD_E_BAD_INPUT;
	}
	json_tokener_free(tok);
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(events, i),
		    json_type_object)) {
			json_object_put(root);
			*msg = "events must be objects";
			return FD_E_BAD_INPUT;
		}
	out = json_object_new_array();
	if (apply_batch(apply, events, out) != 0) {
		json_object_put(out);
		out = json_object_new_array();
		if (apply_each(apply, events, out) != 0) {
			json_object_put(out);
			json_object_put(root);
			*msg = "database unavailable";
			return FD_E_UNAVAILABLE;
		}
	}
	*reply = json_object_new_object();
	json_object_object_add(*reply, "results", out);
	json_object_put(root);
	return FD_OK;
}
