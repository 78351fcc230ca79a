/*
 * fd_outbox.c - the transactional outbox writer.
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fd_outbox.h"

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

enum fd_db_rc
fd_outbox_add(const char *type, const char *key, json_object *payload,
    char eventid[37])
{
	static const char sql[] =
	    "INSERT INTO outbox (event_id, event_type, aggregate_key, payload) "
	    "VALUES (?, ?, ?, ?)";
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
	rc = fd_q_exec(&q, sql, "ssss", id, type, key,
	    json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	fd_q_close(&q);
	json_object_put(payload);
	if (rc == FD_DB_OK && eventid != NULL)
		memcpy(eventid, id, 37);
	return rc;
}
