/*
 * fd_event_store.c - the payloads of fishstore's events, written and read
 * in one place (fd_event_store.h).  No I/O: json-c and the shared field
 * rules (fd_event_field.c) only, so the fuzz harness links it as it is.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_store.h"
#include "fd_input.h"
#include "fd_utc.h"

static const char *const reject_codes[] = {
	"sold_out", "closing", "too_busy", "other", "no_response"
};
static const char *const ticket_statuses[] = {
	"Paid", "Accepted", "Prepared", "Rejected", "Canceled"
};

static int
one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

int
fd_reject_code_ok(const char *s)
{
	return one_of(s, reject_codes, sizeof(reject_codes) /
	    sizeof(reject_codes[0]));
}

int
fd_ticket_status_ok(const char *s)
{
	return one_of(s, ticket_statuses, sizeof(ticket_statuses) /
	    sizeof(ticket_statuses[0]));
}

/*
 * A word of a set (reasonCode, ticketStatus): text, then one of them.
 * The refusal names the set, as fd_event_field.c words its own.
 */
static int
word(struct fd_event_in *in, const char *key, char *buf, size_t sz,
    int (*ok)(const char *), const char *set)
{
	if (fd_event_text(in, key, buf, sz, sz - 1) != 0)
		return -1;
	if (ok(buf))
		return 0;
	buf[0] = '\0';
	in->bad = 1;
	snprintf(in->err, in->errsz, "%s: %s must be %s", in->type, key, set);
	return -1;
}

/*
 * An optional UTC time ("...Z", fd_utc.h) into buf as it came, and its
 * Unix seconds into *t (0: absent or null, buf "").
 */
static int
utc_opt(struct fd_event_in *in, const char *key, char *buf, size_t sz,
    long long *t)
{
	*t = 0;
	if (fd_event_text_opt(in, key, buf, sz, sz - 1) != 0)
		return -1;
	if (buf[0] == '\0' || fd_utc_parse(buf, t) == 0)
		return 0;
	buf[0] = '\0';
	in->bad = 1;
	snprintf(in->err, in->errsz, "%s: %s must be a UTC time "
	    "(YYYY-MM-DDTHH:MM:SS[.fraction]Z) or null", in->type, key);
	return -1;
}

/* null for "", else the text. */
static json_object *
opt_string(const char *s)
{
	return s[0] != '\0' ? json_object_new_string(s) : NULL;
}

json_object *
fd_order_taken_encode(const struct fd_order_taken *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	json_object_object_add(o, "ticketId",
	    json_object_new_int64(e->ticket_id));
	/* SPEC's estimate; an event without one reads as "none". */
	if (e->ready_by[0] != '\0')
		json_object_object_add(o, "readyBy",
		    json_object_new_string(e->ready_by));
	return o;
}

int
fd_order_taken_decode(json_object *ev, struct fd_order_taken *e, char *err,
    size_t errsz)
{
	struct fd_event_in in;
	long long t;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "OrderTaken", ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	fd_event_id(&in, "ticketId", &e->ticket_id);
	/* Informative: an older fishstore's event has none. */
	utc_opt(&in, "readyBy", e->ready_by, sizeof(e->ready_by), &t);
	return fd_event_in_end(&in);
}

json_object *
fd_order_prepared_encode(const struct fd_order_prepared *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	/* Beyond SPEC's two fields: what delivery needs to start. */
	json_object_object_add(o, "storeId", json_object_new_int64(e->store_id));
	json_object_object_add(o, "address", json_object_new_string(e->address));
	json_object_object_add(o, "phone", json_object_new_string(e->phone));
	json_object_object_add(o, "ticketId",
	    json_object_new_int64(e->ticket_id));
	return o;
}

int
fd_order_prepared_decode(json_object *ev, struct fd_order_prepared *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "OrderPrepared", ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	fd_event_id(&in, "ticketId", &e->ticket_id);
	fd_event_id(&in, "storeId", &e->store_id);
	fd_event_text(&in, "address", e->address, sizeof(e->address),
	    FD_EVENT_ADDRESS_MAX);
	fd_event_ascii(&in, "phone", e->phone, sizeof(e->phone),
	    FD_EVENT_PHONE_MAX);
	return fd_event_in_end(&in);
}

json_object *
fd_order_rejected_encode(const struct fd_order_rejected *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	json_object_object_add(o, "ticketId",
	    json_object_new_int64(e->ticket_id));
	json_object_object_add(o, "reasonCode",
	    json_object_new_string(e->reason_code));
	json_object_object_add(o, "reason", opt_string(e->reason));
	return o;
}

int
fd_order_rejected_decode(json_object *ev, struct fd_order_rejected *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "OrderRejected", ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	fd_event_id(&in, "ticketId", &e->ticket_id);
	word(&in, "reasonCode", e->reason_code, sizeof(e->reason_code),
	    fd_reject_code_ok, "sold_out, closing, too_busy, other or "
	    "no_response");
	fd_event_reason(&in, "reason", e->reason, sizeof(e->reason));
	return fd_event_in_end(&in);
}

json_object *
fd_cancel_confirmed_encode(const struct fd_cancel_confirmed *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	/* null: the cancel came before the order's ticket. */
	json_object_object_add(o, "ticketId", e->ticket_id > 0 ?
	    json_object_new_int64(e->ticket_id) : NULL);
	return o;
}

int
fd_cancel_confirmed_decode(json_object *ev, struct fd_cancel_confirmed *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "CancelConfirmed", ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	/* null (or absent): the cancel came before the ticket. */
	fd_event_int_opt(&in, "ticketId", 1, FD_EVENT_ID_MAX, 0,
	    &e->ticket_id);
	return fd_event_in_end(&in);
}

json_object *
fd_cancel_refused_encode(const struct fd_cancel_refused *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	json_object_object_add(o, "ticketStatus",
	    json_object_new_string(e->ticket_status));
	json_object_object_add(o, "reason", json_object_new_string(e->reason));
	return o;
}

int
fd_cancel_refused_decode(json_object *ev, struct fd_cancel_refused *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "CancelRefused", ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	word(&in, "ticketStatus", e->ticket_status, sizeof(e->ticket_status),
	    fd_ticket_status_ok, "Paid, Accepted, Prepared, Rejected or "
	    "Canceled");
	/* The customer is told why: the reason rule, but required. */
	fd_event_text(&in, "reason", e->reason, sizeof(e->reason),
	    FD_EVENT_REASON_MAX);
	return fd_event_in_end(&in);
}

json_object *
fd_menu_item_changed_encode(const struct fd_menu_item_changed *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "storeId", json_object_new_int64(e->store_id));
	json_object_object_add(o, "menuId", json_object_new_int64(e->menu_id));
	json_object_object_add(o, "name", json_object_new_string(e->name));
	json_object_object_add(o, "price", json_object_new_int64(e->price));
	json_object_object_add(o, "soldOut",
	    json_object_new_boolean(e->sold_out));
	return o;
}

int
fd_menu_item_changed_decode(json_object *ev, struct fd_menu_item_changed *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, "MenuItemChanged", ev, err, errsz);
	fd_event_id(&in, "storeId", &e->store_id);
	fd_event_id(&in, "menuId", &e->menu_id);
	fd_event_text(&in, "name", e->name, sizeof(e->name), FD_EVENT_NAME_MAX);
	fd_event_amount(&in, "price", &e->price);
	fd_event_bool(&in, "soldOut", &e->sold_out);
	return fd_event_in_end(&in);
}

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
	return s->store_id > 0 && s->store_id <= FD_EVENT_ID_MAX &&
	    s->version > 0 &&
	    text_ok(s->name, FD_STORE_NAME_MAX, 0) &&
	    text_ok(s->closed_reason, FD_STORE_REASON_MAX, 1) &&
	    s->paused_until >= 0 && s->paused_until <= FD_STORE_TIME_MAX &&
	    s->min_order >= 0 && s->min_order <= FD_STORE_MIN_ORDER_MAX &&
	    s->delivery_fee >= 0 && s->delivery_fee <= FD_STORE_FEE_MAX;
}

json_object *
fd_store_changed_encode(const struct fd_store_changed *s)
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
	json_object_object_add(o, "closedReason", opt_string(s->closed_reason));
	json_object_object_add(o, "minOrder", json_object_new_int64(s->min_order));
	json_object_object_add(o, "deliveryFee",
	    json_object_new_int64(s->delivery_fee));
	/* Beyond SPEC's fields: what keeps a replica from going backwards. */
	json_object_object_add(o, "version", json_object_new_int64(s->version));
	return o;
}

int
fd_store_changed_decode(json_object *ev, struct fd_store_changed *s,
    char *err, size_t errsz)
{
	struct fd_event_in in;
	char at[32];

	memset(s, 0, sizeof(*s));
	fd_event_in_init(&in, "StoreChanged", ev, err, errsz);
	fd_event_id(&in, "storeId", &s->store_id);
	fd_event_text(&in, "name", s->name, sizeof(s->name), FD_STORE_NAME_MAX);
	fd_event_bool(&in, "open", &s->open);
	utc_opt(&in, "pausedUntil", at, sizeof(at), &s->paused_until);
	fd_event_text_opt(&in, "closedReason", s->closed_reason,
	    sizeof(s->closed_reason), FD_STORE_REASON_MAX);
	fd_event_int(&in, "minOrder", 0, FD_STORE_MIN_ORDER_MAX,
	    &s->min_order);
	fd_event_int(&in, "deliveryFee", 0, FD_STORE_FEE_MAX,
	    &s->delivery_fee);
	/* A counter, not an id, in the same bounds. */
	fd_event_int(&in, "version", 1, FD_EVENT_ID_MAX, &s->version);
	return fd_event_in_end(&in);
}

FD_EVENT_CHECK(fd_order_taken, fd_order_taken)
FD_EVENT_CHECK(fd_order_prepared, fd_order_prepared)
FD_EVENT_CHECK(fd_order_rejected, fd_order_rejected)
FD_EVENT_CHECK(fd_cancel_confirmed, fd_cancel_confirmed)
FD_EVENT_CHECK(fd_cancel_refused, fd_cancel_refused)
FD_EVENT_CHECK(fd_menu_item_changed, fd_menu_item_changed)
FD_EVENT_CHECK(fd_store_changed, fd_store_changed)
