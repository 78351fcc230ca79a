/*
 * fd_store_event.c - StoreChanged's payload, written and read in one
 * place (fd_store_event.h).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_input.h"
#include "fd_store_event.h"
#include "fd_utc.h"

enum fd_store_state
fd_store_state_at(const struct fd_store_changed *s, long long now)
{
	if (!s->open)
		return FD_STORE_CLOSED;
	return s->paused_until > now ? FD_STORE_PAUSED : FD_STORE_OPEN;
}

const char *
fd_store_state_name(enum fd_store_state st)
{
	switch (st) {
	case FD_STORE_OPEN:
		return "open";
	case FD_STORE_CLOSED:
		return "closed";
	default:
		return "paused";
	}
}

/* "" or 1..max characters of text. */
static int
text_ok(const char *s, size_t max, int empty_ok)
{
	size_t n = strlen(s);

	if (n == 0)
		return empty_ok;
	return fd_utf8_text(s, n) && fd_utf8_chars(s, n) <= max;
}

int
fd_store_changed_ok(const struct fd_store_changed *s)
{
	return s->store_id > 0 && s->version > 0 &&
	    text_ok(s->name, FD_STORE_NAME_MAX, 0) &&
	    text_ok(s->closed_reason, FD_STORE_REASON_MAX, 1) &&
	    s->paused_until >= 0 && s->paused_until <= FD_STORE_TIME_MAX &&
	    s->min_order >= 0 && s->min_order <= FD_STORE_MIN_ORDER_MAX &&
	    s->delivery_fee >= 0 && s->delivery_fee <= FD_STORE_FEE_MAX;
}

json_object *
fd_store_changed_json(const struct fd_store_changed *s)
{
	json_object *o = json_object_new_object();
	char at[FD_UTC_LEN];

	json_object_object_add(o, "storeId", json_object_new_int64(s->store_id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "open", json_object_new_boolean(s->open));
	if (s->paused_until > 0)
		fd_utc_format(s->paused_until, at);
	json_object_object_add(o, "pausedUntil", s->paused_until > 0 ?
	    json_object_new_string(at) : NULL);
	json_object_object_add(o, "closedReason", s->closed_reason[0] != '\0' ?
	    json_object_new_string(s->closed_reason) : NULL);
	json_object_object_add(o, "minOrder", json_object_new_int64(s->min_order));
	json_object_object_add(o, "deliveryFee",
	    json_object_new_int64(s->delivery_fee));
	/* Beyond SPEC's fields: what keeps a replica from going backwards. */
	json_object_object_add(o, "version", json_object_new_int64(s->version));
	return o;
}

static int
get_int(json_object *ev, const char *key, long long *v)
{
	json_object *j;

	if (!json_object_object_get_ex(ev, key, &j) ||
	    !json_object_is_type(j, json_type_int))
		return -1;
	*v = json_object_get_int64(j);
	return 0;
}

/* A string field, or with nullable an absent or null one as "". */
static int
get_str(json_object *ev, const char *key, char *buf, size_t sz, int nullable)
{
	json_object *j = NULL;
	size_t n;

	if (!json_object_object_get_ex(ev, key, &j) || j == NULL) {
		buf[0] = '\0';
		return nullable ? 0 : -1;
	}
	if (!json_object_is_type(j, json_type_string) ||
	    (n = (size_t)json_object_get_string_len(j)) >= sz)
		return -1;
	memcpy(buf, json_object_get_string(j), n);
	buf[n] = '\0';
	/* An embedded NUL would make the text shorter than it is. */
	return strlen(buf) == n ? 0 : -1;
}

int
fd_store_changed_decode(json_object *ev, struct fd_store_changed *s,
    char *err, size_t errsz)
{
	char at[40];
	json_object *j;

	memset(s, 0, sizeof(*s));
	if (!json_object_is_type(ev, json_type_object) ||
	    get_int(ev, "storeId", &s->store_id) != 0 ||
	    get_int(ev, "version", &s->version) != 0 ||
	    get_int(ev, "minOrder", &s->min_order) != 0 ||
	    get_int(ev, "deliveryFee", &s->delivery_fee) != 0 ||
	    get_str(ev, "name", s->name, sizeof(s->name), 0) != 0 ||
	    get_str(ev, "closedReason", s->closed_reason,
	    sizeof(s->closed_reason), 1) != 0 ||
	    !json_object_object_get_ex(ev, "open", &j) ||
	    !json_object_is_type(j, json_type_boolean)) {
		snprintf(err, errsz, "StoreChanged needs storeId, version, "
		    "minOrder, deliveryFee (integers), name, open (boolean), "
		    "closedReason (text or null)");
		return -1;
	}
	s->open = json_object_get_boolean(j) ? 1 : 0;
	if (get_str(ev, "pausedUntil", at, sizeof(at), 1) != 0 ||
	    (at[0] != '\0' && fd_utc_parse(at, &s->paused_until) != 0)) {
		snprintf(err, errsz, "StoreChanged pausedUntil must be a UTC "
		    "time (...Z) or null");
		return -1;
	}
	if (!fd_store_changed_ok(s)) {
		snprintf(err, errsz, "StoreChanged out of range: storeId and "
		    "version > 0, name 1 to %d characters, closedReason up to "
		    "%d, minOrder 0 to %lld, deliveryFee 0 to %lld",
		    FD_STORE_NAME_MAX, FD_STORE_REASON_MAX,
		    FD_STORE_MIN_ORDER_MAX, FD_STORE_FEE_MAX);
		return -1;
	}
	return 0;
}
