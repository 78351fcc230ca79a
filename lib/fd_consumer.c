/*
 * fd_consumer.c - applying relayed events once (see fd_consumer.h).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "fd_db.h"
#include "fd_http.h"
#include "fd_input.h"

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

/* Applies one event inside the open unit of work. */
static enum outcome
apply_untraced(const struct fd_app *app, json_object *ev, char *err,
    size_t errsz)
{
	char id[40], type[40];
	int rc;

	if (fd_ev_str(ev, "eventId", id, sizeof(id)) != 0 ||
	    fd_ev_str(ev, "eventType", type, sizeof(type)) != 0) {
		snprintf(err, errsz, "event without eventId or eventType");
		return FAILED;
	}
	if ((rc = inbox_add(id, type)) < 0) {
		snprintf(err, errsz, "inbox write failed");
		return RETRY;
	}
	if (rc == 1)
		return DUPLICATE;
	switch (app->apply_event(type, ev, err, errsz)) {
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
apply_one(const struct fd_app *app, json_object *ev, char *err, size_t errsz)
{
	const char *outer = fd_trace_id;
	char trace[72];
	enum outcome o;

	if (fd_ev_str(ev, "traceId", trace, sizeof(trace)) == 0 &&
	    fd_trace_id_ok(trace))
		fd_trace_id = trace;
	o = apply_untraced(app, ev, err, errsz);
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

/* All in one transaction; 0 if every event applied (results filled). */
static int
apply_batch(const struct fd_app *app, json_object *events, json_object *out)
{
	enum outcome o[MAX_BATCH];
	char err[256];
	size_t i, n = json_object_array_length(events);

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	for (i = 0; i < n; i++) {
		err[0] = '\0';
		o[i] = apply_one(app, json_object_array_get_idx(events, i), err,
		    sizeof(err));
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

/* One transaction per event, stopping at the first that fails. */
static void
apply_each(const struct fd_app *app, json_object *events, json_object *out)
{
	json_object *ev;
	enum outcome o;
	char err[256];
	size_t i, n = json_object_array_length(events);
	int stop = 0;

	for (i = 0; i < n; i++) {
		ev = json_object_array_get_idx(events, i);
		err[0] = '\0';
		if (stop) {
			result(out, ev, SKIPPED, NULL);
			continue;
		}
		if (fd_db_begin() != FD_DB_OK) {
			o = RETRY;
			snprintf(err, sizeof(err), "database unavailable");
		} else if ((o = apply_one(app, ev, err, sizeof(err))) == APPLIED) {
			if (fd_db_commit() != FD_DB_OK) {
				o = RETRY;
				snprintf(err, sizeof(err), "commit failed");
			}
		} else
			fd_db_rollback();
		result(out, ev, o, err);
		if (o == FAILED || o == RETRY) {
			stop = 1;
			if (o == FAILED)
				fd_log("event %zu of %zu refused: %s", i + 1, n, err);
		}
	}
}

void
fd_consumer_serve(const struct fd_app *app, struct fd_req *r)
{
	json_tokener *tok;
	json_object *root = NULL, *events, *out, *reply;
	size_t i, n;

	if ((tok = json_tokener_new_ex(FD_INPUT_DEPTH)) == NULL) {
		fd_reply_error(r, FD_E_INTERNAL, "out of memory");
		return;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	if (r->body_len > 0)
		root = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	if (root == NULL || json_tokener_get_parse_end(tok) != r->body_len ||
	    !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "events", &events) ||
	    !json_object_is_type(events, json_type_array) ||
	    (n = json_object_array_length(events)) == 0 || n > MAX_BATCH) {
		json_tokener_free(tok);
		json_object_put(root);
		fd_reply_error(r, FD_E_BAD_INPUT, "expected {\"events\":[...]} "
		    "with 1 to 1000 events");
		return;
	}
	json_tokener_free(tok);
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(events, i),
		    json_type_object)) {
			json_object_put(root);
			fd_reply_error(r, FD_E_BAD_INPUT, "events must be objects");
			return;
		}
	out = json_object_new_array();
	if (apply_batch(app, events, out) != 0) {
		json_object_put(out);
		out = json_object_new_array();
		apply_each(app, events, out);
	}
	reply = json_object_new_object();
	json_object_object_add(reply, "results", out);
	fd_reply_json(r, 200, reply);
	json_object_put(root);
}
