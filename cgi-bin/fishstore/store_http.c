/*
 * store_http.c - the fishstore context's HTTP adapter: stores and menus
 * for everyone, the owner's store controls and tickets.  It turns
 * requests into use-case calls (store_app.c) and their results into
 * answers; which handler serves which route is store_main.c's wiring.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fd_http.h"
#include "fd_page.h"
#include "fd_utc.h"
#include "store.h"
#include "store_http.h"
#include "store_json.h"

static const enum fd_err errmap[] = {
	[STORE_OK] =		FD_OK,
	[STORE_E_INPUT] =	FD_E_BAD_INPUT,
	[STORE_E_NOT_FOUND] =	FD_E_NOT_FOUND,
	[STORE_E_FORBIDDEN] =	FD_E_FORBIDDEN,
	[STORE_E_UNAVAILABLE] =	FD_E_UNAVAILABLE,
	[STORE_E_INTERNAL] =	FD_E_INTERNAL,
	[STORE_E_NO_TICKET] =	FD_E_NOT_FOUND,
	[STORE_E_STATE] =	FD_E_CONFLICT,
};

/* why: a more precise message than the error's own, or NULL/"". */
static void
reply_store_why(struct fd_req *r, enum store_err e, const char *why)
{
	if (e == STORE_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", "5");
	fd_reply_error(r, errmap[e], why != NULL && *why != '\0' ? why :
	    store_err_message(e));
}

static void
reply_store_error(struct fd_req *r, enum store_err e)
{
	reply_store_why(r, e, NULL);
}

static json_object *
item_json(const struct store_menu_item *it)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "menuId", json_object_new_int64(it->id));
	json_object_object_add(o, "name", json_object_new_string(it->name));
	json_object_object_add(o, "price", json_object_new_int64(it->price));
	json_object_object_add(o, "soldOut", json_object_new_boolean(it->sold_out));
	return o;
}

/*
 * A store as customers see it now: state "open", "closed" or "paused";
 * pausedUntil only while a pause lasts (it ends by itself), closedReason
 * only while not open.
 */
static json_object *
store_json(const struct store *s, long long now)
{
	json_object *o = json_object_new_object();
	struct fd_store_changed ev;
	enum fd_store_state st;
	char until[FD_UTC_LEN];

	store_changed_of(s, &ev);
	st = fd_store_state_at(&ev, now);
	json_object_object_add(o, "storeId", json_object_new_int64(s->id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "address", json_object_new_string(s->address));
	json_object_object_add(o, "phone", json_object_new_string(s->phone));
	json_object_object_add(o, "open", json_object_new_boolean(s->open));
	json_object_object_add(o, "state",
	    json_object_new_string(fd_store_state_name(st)));
	if (st == FD_STORE_PAUSED)
		fd_utc_format(s->paused_until, until);
	json_object_object_add(o, "pausedUntil", st == FD_STORE_PAUSED ?
	    json_object_new_string(until) : NULL);
	json_object_object_add(o, "closedReason", st != FD_STORE_OPEN &&
	    s->closed_reason[0] != '\0' ?
	    json_object_new_string(s->closed_reason) : NULL);
	json_object_object_add(o, "minOrder", json_object_new_int64(s->min_order));
	json_object_object_add(o, "deliveryFee",
	    json_object_new_int64(s->delivery_fee));
	return o;
}

static int
add_store(void *arg, const void *row)
{
	return json_object_array_add(arg, store_json(row, (long long)time(NULL)));
}

/* GET /stores */
void
store_http_stores(struct fd_req *r)
{
	json_object *arr = json_object_new_array(), *o;
	enum store_err e;

	if ((e = store_list(add_store, arr)) != STORE_OK) {
		json_object_put(arr);
		reply_store_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "stores", arr);
	fd_reply_json(r, 200, o);
}

static int
add_item(void *arg, const void *row)
{
	return json_object_array_add(arg, item_json(row));
}

/* GET /stores/{id}/menu */
void
store_http_menu(struct fd_req *r)
{
	json_object *arr = json_object_new_array(), *o;
	enum store_err e;

	if ((e = store_menu(r->ids[0], add_item, arr)) != STORE_OK) {
		json_object_put(arr);
		reply_store_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "storeId", json_object_new_int64(r->ids[0]));
	json_object_object_add(o, "items", arr);
	fd_reply_json(r, 200, o);
}

enum { MP_PRICE, MP_SOLD_OUT };
static const struct fd_field menu_patch_fields[] = {
	[MP_PRICE] =	{ "price", FD_T_INT, 0, STORE_PRICE_MIN, STORE_PRICE_MAX,
			    NULL },
	[MP_SOLD_OUT] =	{ "soldOut", FD_T_BOOL, 0, 0, 0, NULL },
};
const struct fd_schema store_http_menu_patch_schema =
    FD_SCHEMA(menu_patch_fields);

/* PATCH /stores/{id}/menu/{id} */
void
store_http_menu_patch(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct store_menu_patch p;
	struct store_menu_item it;
	json_object *o;
	enum store_err e;

	memset(&p, 0, sizeof(p));
	p.has_price = v[MP_PRICE].present;
	p.price = v[MP_PRICE].i;
	p.has_sold_out = v[MP_SOLD_OUT].present;
	p.sold_out = v[MP_SOLD_OUT].b;
	e = store_menu_patch(r->who.store, r->ids[0], r->ids[1], &p, &it);
	if (e != STORE_OK) {
		reply_store_error(r, e);
		return;
	}
	o = item_json(&it);
	json_object_object_add(o, "storeId", json_object_new_int64(it.store_id));
	fd_reply_json(r, 200, o);
}

enum { SP_OPEN, SP_PAUSED_UNTIL, SP_REASON, SP_MIN_ORDER, SP_FEE };
static const struct fd_field store_patch_fields[] = {
	[SP_OPEN] =		{ "open", FD_T_BOOL, 0, 0, 0, NULL },
	[SP_PAUSED_UNTIL] =	{ "pausedUntil", FD_T_STRING, 0, 20, 30, NULL },
	[SP_REASON] =		{ "closedReason", FD_T_STRING, 0, 1,
				    FD_STORE_REASON_MAX, NULL },
	[SP_MIN_ORDER] =	{ "minOrder", FD_T_INT, 0, 0,
				    FD_STORE_MIN_ORDER_MAX, NULL },
	[SP_FEE] =		{ "deliveryFee", FD_T_INT, 0, 0,
				    FD_STORE_FEE_MAX, NULL },
};
const struct fd_schema store_http_patch_schema =
    FD_SCHEMA(store_patch_fields);

/* PATCH /stores/{id}: open, close, pause; the minimum and the fee. */
void
store_http_patch(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	static struct store s;
	struct store_patch p;
	char at[32], reason[801], why[200];
	long long now = (long long)time(NULL);
	enum store_err e;

	memset(&p, 0, sizeof(p));
	p.has_open = v[SP_OPEN].present;
	p.open = v[SP_OPEN].b;
	if (v[SP_PAUSED_UNTIL].present) {
		snprintf(at, sizeof(at), "%.*s", (int)v[SP_PAUSED_UNTIL].len,
		    v[SP_PAUSED_UNTIL].s);
		if (fd_utc_parse(at, &p.paused_until) != 0) {
			fd_reply_error(r, FD_E_BAD_INPUT, "pausedUntil must be a "
			    "UTC time such as 2026-12-06T21:30:00Z");
			return;
		}
		p.has_paused_until = 1;
	}
	if (v[SP_REASON].present) {
		snprintf(reason, sizeof(reason), "%.*s", (int)v[SP_REASON].len,
		    v[SP_REASON].s);
		p.closed_reason = reason;
	}
	p.has_min_order = v[SP_MIN_ORDER].present;
	p.min_order = v[SP_MIN_ORDER].i;
	p.has_delivery_fee = v[SP_FEE].present;
	p.delivery_fee = v[SP_FEE].i;
	e = store_patch(r->who.store, r->ids[0], &p, now, &s, why, sizeof(why));
	if (e != STORE_OK)
		reply_store_why(r, e, why);
	else
		fd_reply_json(r, 200, store_json(&s, now));
}

/* Tickets: the owner's view of the store's orders. */

static int
add_ticket(void *arg, const void *row)
{
	const struct store_ticket *t = row;

	return fd_page_add(arg, t->id, store_ticket_json(t));
}

/* The owner's tickets for fd_page_list(), oldest first. */
static int
tickets(struct fd_req *r, struct fd_page *p)
{
	struct store_ticket_filter f;
	enum store_err e;

	memset(&f, 0, sizeof(f));
	f.has_status = p->has_status;
	f.status = (enum store_ticket_status)p->status;
	f.after = p->cursor;
	f.limit = p->limit;
	e = store_tickets(r->who.store, &f, add_ticket, p, &p->more);
	if (e == STORE_OK)
		return 0;
	reply_store_error(r, e);
	return -1;
}

static const struct fd_page_spec tickets_page = {
	.rows = "tickets",
	.cursor = "after",
	.cursor_min = 0,
	.cursor_msg = "after must be a ticketId",
	.next = "nextAfter",
	.statuses = store_ticket_status_names,
	.nstatuses = STORE_T__N,
	.limit_default = STORE_PAGE_DEFAULT,
	.limit_max = STORE_PAGE_MAX,
	.run = tickets,
};

/* GET /fishstores?status=&after=&limit= */
void
store_http_tickets(struct fd_req *r)
{
	fd_page_list(r, &tickets_page);
}

/* GET /fishstores/{id} */
void
store_http_ticket(struct fd_req *r)
{
	static struct store_ticket t;
	enum store_err e;

	if ((e = store_ticket_get(r->who.store, r->ids[0], &t)) != STORE_OK)
		reply_store_error(r, e);
	else
		fd_reply_json(r, 200, store_ticket_json(&t));
}

enum { SO_MENU };
static const struct fd_field sold_out_fields[] = {
	[SO_MENU] =	{ "menuId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
};
static const struct fd_schema sold_out_schema = FD_SCHEMA(sold_out_fields);

/* SPEC's body, which fields go with which status is the domain's rule
 * (store_ticket_step_check): here only types and bounds. */
enum { TP_STATUS, TP_READY_IN, TP_CODE, TP_REASON, TP_SOLD_OUT };
static const struct fd_field ticket_patch_fields[] = {
	[TP_STATUS] =	{ "status", FD_T_STRING, 1, 1, 16, NULL },
	[TP_READY_IN] =	{ "readyInMinutes", FD_T_INT, 0, STORE_READY_MIN,
			    STORE_READY_MAX, NULL },
	[TP_CODE] =	{ "reasonCode", FD_T_STRING, 0, 1, 16, NULL },
	[TP_REASON] =	{ "reason", FD_T_STRING, 0, 1, STORE_TEXT_MAX, NULL },
	[TP_SOLD_OUT] =	{ "soldOutItems", FD_T_ARRAY, 0, 1, STORE_SOLD_OUT_MAX,
			    &sold_out_schema },
};
const struct fd_schema store_http_ticket_patch_schema =
    FD_SCHEMA(ticket_patch_fields);

/* PATCH /fishstores/{id} */
void
store_http_ticket_patch(struct fd_req *r)
{
	static struct store_ticket t;
	const struct fd_value *v = r->in.v;
	struct store_ticket_cmd c;
	char status[17], code[17], reason[801], why[160];
	enum store_err e;
	size_t i;

	memset(&c, 0, sizeof(c));
	snprintf(status, sizeof(status), "%.*s", (int)v[TP_STATUS].len,
	    v[TP_STATUS].s);
	if (store_ticket_status_parse(status, &c.to) != 0) {
		fd_reply_error(r, FD_E_BAD_INPUT,
		    "status must be Accepted, Prepared or Rejected");
		return;
	}
	if (v[TP_CODE].present) {
		snprintf(code, sizeof(code), "%.*s", (int)v[TP_CODE].len,
		    v[TP_CODE].s);
		/* no_response parses, and the domain refuses it: the system's. */
		if (store_reject_code_parse(code, &c.code) != 0) {
			fd_reply_error(r, FD_E_BAD_INPUT, "reasonCode must be "
			    "sold_out, closing, too_busy or other");
			return;
		}
	}
	if (v[TP_REASON].present) {
		snprintf(reason, sizeof(reason), "%.*s", (int)v[TP_REASON].len,
		    v[TP_REASON].s);
		c.reason = reason;
	}
	c.ready_in = v[TP_READY_IN].present ? (int)v[TP_READY_IN].i : 0;
	c.nsold_out = v[TP_SOLD_OUT].present ? v[TP_SOLD_OUT].n : 0;
	for (i = 0; i < c.nsold_out && i < STORE_SOLD_OUT_MAX; i++)
		c.sold_out[i] = fd_input_elem(&v[TP_SOLD_OUT], &sold_out_schema,
		    i, SO_MENU)->i;
	c.now = (long long)time(NULL);
	e = store_ticket_patch(r->who.store, r->ids[0], &c, &t, why,
	    sizeof(why));
	if (e != STORE_OK)
		reply_store_why(r, e, why);
	else
		fd_reply_json(r, 200, store_ticket_json(&t));
}

/*
 * GET /events/store: the owner's live stream of its store's tickets and
 * deliveries (Server-Sent Events).  The worker only decides whose stream
 * it is: nginx follows the X-Accel-Redirect to its internal nchan
 * subscriber location for the store's channel, which holds the
 * connection (etc/nginx/fishdelivery.conf.in).  fishstore publishes each
 * ticket it writes (store_db.c), delivery each delivery (dlv_db.c), after
 * their commits.  A customer's token: 403, like every owner's route.
 */
void
store_http_events(struct fd_req *r)
{
	fd_reply_stream(r, "store", r->who.store);
}
