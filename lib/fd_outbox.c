/*
 * fd_outbox.c - the transactional outbox writer.
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fd_events.h"
#include "fd_outbox.h"
#include "fd_proc.h"

/* The subscribers this unit of work wrote events for: woken when it
 * commits (unit_ended, a hook of fd_db's), forgotten when it does not. */
static unsigned written;
char fd_outbox_at[40];

/* The end of a unit of work: only after its commit are the events
 * visible to the relay, so only then are their deliverers woken. */
static void
unit_ended(int committed)
{
	unsigned wrote = written;

	written = 0;
	if (committed && wrote)
		fd_relay_notify(wrote);
}

void
fd_uuid(char out[37])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The event's deliveries, one row per subscriber, in one statement. */
static enum fd_db_rc
add_deliveries(long long row, const char *key, const char *const *to)
{
#define INS	"INSERT INTO outbox_deliveries (outbox_id, subscriber, akey) VALUES"
#define ROW	" (?, ?, ?)"
	static const char sql1[] = INS ROW;
	static const char sql2[] = INS ROW "," ROW;
	static const char sql3[] = INS ROW "," ROW "," ROW;
	static const char sql4[] = INS ROW "," ROW "," ROW "," ROW;
#undef ROW
#undef INS
	struct fd_q q;
	enum fd_db_rc rc = FD_DB_OK;
	size_t n;

	for (; rc == FD_DB_OK && *to != NULL; to += n) {
		for (n = 0; n < 4 && to[n] != NULL; n++)
			continue;
		switch (n) {
		case 1:
			rc = fd_q_exec(&q, sql1, "lss", row, to[0], key);
			break;
		case 2:
			rc = fd_q_exec(&q, sql2, "lsslss", row, to[0], key,
			    row, to[1], key);
			break;
		case 3:
			rc = fd_q_exec(&q, sql3, "lsslsslss", row, to[0], key,
			    row, to[1], key, row, to[2], key);
			break;
		default:
			rc = fd_q_exec(&q, sql4, "lsslsslsslss", row, to[0],
			    key, row, to[1], key, row, to[2], key, row, to[3],
			    key);
			break;
		}
		fd_q_close(&q);
	}
	return rc;
}

enum fd_db_rc
fd_outbox_add(const char *type, const char *key, json_object *payload,
    char eventid[37])
{
	static const char sql[] =
	    "INSERT INTO outbox (event_id, event_type, aggregate_key, payload) "
	    "VALUES (?, ?, ?, ?)";
	const char *const *to;
	long long row;
	struct timespec ts;
	struct tm tm;
	char id[37], when[40];
	struct fd_q q;
	enum fd_db_rc rc;

	fd_uuid(id);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ",
	    ts.tv_nsec / 1000000);
	json_object_object_add(payload, "eventId", json_object_new_string(id));
	json_object_object_add(payload, "eventType", json_object_new_string(type));
	json_object_object_add(payload, "occurredAt", json_object_new_string(when));
	/* Whatever caused it: the request, or the event being applied. */
	if (fd_trace_id != NULL && fd_trace_id_ok(fd_trace_id))
		json_object_object_add(payload, "traceId",
		    json_object_new_string(fd_trace_id));
	rc = fd_q_exec(&q, sql, "ssss", id, type, key,
	    json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	row = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	json_object_put(payload);
	/* One delivery per subscriber, in the same transaction. */
	if (rc == FD_DB_OK && (to = fd_event_subscribers(type)) != NULL &&
	    (rc = add_deliveries(row, key, to)) == FD_DB_OK)
		for (; *to != NULL; to++)
			written |= fd_subscriber_bit(*to);
	if (rc == FD_DB_OK && written != 0 && fd_db_on_end(unit_ended) != 0)
		fd_log("outbox: no room for its commit hook; the relay "
		    "finds these events at its next poll");
	if (rc == FD_DB_OK && eventid != NULL)
		memcpy(eventid, id, 37);
	if (rc == FD_DB_OK)
		memcpy(fd_outbox_at, when, sizeof(fd_outbox_at));
	return rc;
}

void
fd_outbox_metrics(FILE *f, const char *context)
{
	static const char sql_backlog[] =
	    "SELECT d.subscriber, COUNT(*), COALESCE(TIMESTAMPDIFF(MICROSECOND,"
	    " MIN(o.created_at), NOW(6)), 0) FROM outbox_deliveries d JOIN"
	    " outbox o ON o.id = d.outbox_id WHERE d.state IN ('pending',"
	    " 'inflight') GROUP BY d.subscriber";
	static const char sql_dead[] =
	    "SELECT subscriber, COUNT(*) FROM outbox_dead_letters"
	    " GROUP BY subscriber";
	const char *subs[8];
	char sub[32], *ages = NULL;
	long long n, age_us;
	struct fd_q q;
	size_t i, nsubs, agelen = 0;
	FILE *g;

	nsubs = fd_context_subscribers(context, subs, 8);
	if (nsubs == 0)
		return;
	/*
	 * One query gives both families; the text format wants each in one
	 * group (tests/lint/lint.sh), so the ages wait in g until the
	 * backlog is written.
	 */
	if ((g = open_memstream(&ages, &agelen)) == NULL)
		return;
	if (fd_db_begin() != FD_DB_OK) {
		fclose(g);
		free(ages);
		return;
	}
	fprintf(f, "# HELP fd_outbox_backlog Events not yet delivered, by "
	    "subscriber.\n# TYPE fd_outbox_backlog gauge\n");
	fprintf(g, "# HELP fd_outbox_oldest_undelivered_seconds Age of the "
	    "oldest undelivered event.\n"
	    "# TYPE fd_outbox_oldest_undelivered_seconds gauge\n");
	/* Zeros first, so every series exists even with nothing pending. */
	if (fd_q_exec(&q, sql_backlog, "") == FD_DB_OK &&
	    fd_q_out(&q, "sll", sub, sizeof(sub), &n, &age_us) == FD_DB_OK) {
		int seen[8] = { 0 };
		while (fd_q_fetch(&q) == 1) {
			for (i = 0; i < nsubs && strcmp(subs[i], sub); i++)
				continue;
			if (i < nsubs)
				seen[i] = 1;
			fprintf(f, "fd_outbox_backlog{context=\"%s\",subscriber="
			    "\"%s\"} %lld\n", context, sub, n);
			fprintf(g, "fd_outbox_oldest_undelivered_seconds{context="
			    "\"%s\",subscriber=\"%s\"} %.3f\n", context, sub,
			    (double)age_us / 1e6);
		}
		for (i = 0; i < nsubs; i++)
			if (!seen[i]) {
				fprintf(f, "fd_outbox_backlog{context=\"%s\","
				    "subscriber=\"%s\"} 0\n", context, subs[i]);
				fprintf(g, "fd_outbox_oldest_undelivered_seconds"
				    "{context=\"%s\",subscriber=\"%s\"} 0\n",
				    context, subs[i]);
			}
	}
	fd_q_close(&q);
	if (fclose(g) == 0)
		fwrite(ages, 1, agelen, f);
	free(ages);
	fprintf(f, "# HELP fd_outbox_dead_letters Events given up on, by "
	    "subscriber.\n# TYPE fd_outbox_dead_letters gauge\n");
	if (fd_q_exec(&q, sql_dead, "") == FD_DB_OK &&
	    fd_q_out(&q, "sl", sub, sizeof(sub), &n) == FD_DB_OK) {
		int seen[8] = { 0 };
		while (fd_q_fetch(&q) == 1) {
			for (i = 0; i < nsubs && strcmp(subs[i], sub); i++)
				continue;
			if (i < nsubs)
				seen[i] = 1;
			fprintf(f, "fd_outbox_dead_letters{context=\"%s\","
			    "subscriber=\"%s\"} %lld\n", context, sub, n);
		}
		for (i = 0; i < nsubs; i++)
			if (!seen[i])
				fprintf(f, "fd_outbox_dead_letters{context=\"%s\","
				    "subscriber=\"%s\"} 0\n", context, subs[i]);
	}
	fd_q_close(&q);
	fd_db_rollback();
}
