/*
 * order_http.c - the order context's HTTP adapter: placing, listing,
 * reading and cancelling orders, and the customer's live stream (MyPage's
 * handlers are order_mypage.c's).  It turns requests into use-case calls
 * (order_app.c) and their results into answers; which handler serves
 * which route is order_main.c's wiring.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_http.h"
#include "fd_utc.h"
#include "order.h"
#include "order_http.h"

static const enum fd_err errmap[] = {
	[ORDER_OK] =			FD_OK,
	[ORDER_E_INPUT] =		FD_E_BAD_INPUT,
	[ORDER_E_NO_ADDRESS] =		FD_E_BAD_INPUT,
	[ORDER_E_CARD] =		FD_E_BAD_INPUT,
	[ORDER_E_NOT_FOUND] =		FD_E_NOT_FOUND,
	[ORDER_E_UNAVAILABLE_ITEM] =	FD_E_CONFLICT,
	[ORDER_E_STORE_CLOSED] =	FD_E_CONFLICT,
	[ORDER_E_BELOW_MINIMUM] =	FD_E_CONFLICT,
	[ORDER_E_STATE] =		FD_E_CONFLICT,
	[ORDER_E_CANCEL_REFUSED] =	FD_E_CONFLICT,
	[ORDER_E_IDEM_MISMATCH] =	FD_E_CONFLICT,
	[ORDER_E_IDEM_BUSY] =		FD_E_CONFLICT,
	[ORDER_E_DECLINED] =		FD_E_DECLINED,
	[ORDER_E_PAY_REFUSED] =		FD_E_BAD_INPUT,
	[ORDER_E_PAY_UNAVAILABLE] =	FD_E_UNAVAILABLE,
	[ORDER_E_PAY_UNKNOWN] =		FD_E_UNAVAILABLE,
	[ORDER_E_UNAVAILABLE] =		FD_E_UNAVAILABLE,
	[ORDER_E_INTERNAL] =		FD_E_INTERNAL,
};

/*
 * 409s whose code says which conflict it is (SPEC's POST /orders answers),
 * with what the customer needs to know beside the message.
 */
static void
reply_conflict(struct fd_req *r, enum order_err e,
    const struct order_placed *why)
{
	json_object *o = json_object_new_object(), *err = json_object_new_object();
	char msg[1200], until[FD_UTC_LEN], krw[32];
	const char *code;

	snprintf(msg, sizeof(msg), "%s", order_err_message(e));
	switch (e) {
	case ORDER_E_STORE_CLOSED:
		code = "store_closed";
		if (why->paused_until > 0) {
			fd_utc_format(why->paused_until, until);
			snprintf(msg, sizeof(msg), "%s (paused until %s)",
			    order_err_message(e), until);
			json_object_object_add(err, "pausedUntil",
			    json_object_new_string(until));
		}
		json_object_object_add(err, "closedReason",
		    why->closed_reason[0] != '\0' ?
		    json_object_new_string(why->closed_reason) : NULL);
		break;
	case ORDER_E_BELOW_MINIMUM:
		code = "below_minimum";
		order_krw(why->min_order, krw, sizeof(krw));
		snprintf(msg, sizeof(msg), "최소 주문 금액은 %s원입니다: the items "
		    "must come to at least %s KRW at this store (the delivery "
		    "fee does not count)", krw, krw);
		json_object_object_add(err, "minOrder",
		    json_object_new_int64(why->min_order));
		break;
	default:
		code = "sold_out";
		break;
	}
	json_object_object_add(err, "code", json_object_new_string(code));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(o, "error", err);
	fd_reply_json(r, 409, o);
}

static void
reply_order_error(struct fd_req *r, enum order_err e)
{
	if (errmap[e] == FD_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", e == ORDER_E_PAY_UNAVAILABLE ||
		    e == ORDER_E_PAY_UNKNOWN ?
		    fd_env("FD_PAY_RETRY_AFTER", "5") : "5");
	fd_reply_error(r, errmap[e], order_err_message(e));
}

static json_object *
order_json(const struct order *o, int with_items)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "orderId", json_object_new_int64(o->id));
	json_object_object_add(j, "storeId", json_object_new_int64(o->store_id));
	json_object_object_add(j, "status",
	    json_object_new_string(order_status_name(o->status)));
	/* What was charged, and its parts as they were when placed. */
	json_object_object_add(j, "amount", json_object_new_int64(o->amount));
	json_object_object_add(j, "itemsAmount",
	    json_object_new_int64(o->amount - o->delivery_fee));
	json_object_object_add(j, "deliveryFee",
	    json_object_new_int64(o->delivery_fee));
	json_object_object_add(j, "createdAt",
	    json_object_new_string(o->created_at));
	json_object_object_add(j, "updatedAt",
	    json_object_new_string(o->updated_at));
	/* The store's estimate once it accepted (OrderTaken's readyBy), null
	 * before; and why it rejected, if it did. */
	json_object_object_add(j, "eta", o->ready_by[0] != '\0' ?
	    json_object_new_string(o->ready_by) : NULL);
	if (o->status == ORDER_REJECTED && o->reject_code[0] != '\0') {
		json_object_object_add(j, "rejectReasonCode",
		    json_object_new_string(o->reject_code));
		json_object_object_add(j, "rejectReason",
		    o->reject_reason[0] != '\0' ?
		    json_object_new_string(o->reject_reason) : NULL);
	}
	/* The store's refusal of the customer's cancel, while it matters. */
	if (o->cancel_refused[0] != '\0' && o->status != ORDER_CANCELED)
		json_object_object_add(j, "cancelRefused",
		    json_object_new_string(o->cancel_refused));
	if (!with_items)
		return j;
	json_object_object_add(j, "minOrder", json_object_new_int64(o->min_order));
	json_object_object_add(j, "address", json_object_new_string(o->address));
	json_object_object_add(j, "phone", json_object_new_string(o->phone));
	json_object_object_add(j, "items", order_lines_json(o));
	return j;
}

enum { IT_MENU, IT_QTY };
static const struct fd_field item_fields[] = {
	[IT_MENU] =	{ "menuId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	[IT_QTY] =	{ "qty", FD_T_INT, 1, 1, ORDER_MAX_QTY, NULL },
};
static const struct fd_schema item_schema = FD_SCHEMA(item_fields);

enum { PO_STORE, PO_ITEMS, PO_ADDRESS, PO_PHONE, PO_CARD };
static const struct fd_field place_fields[] = {
	[PO_STORE] =	{ "storeId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	[PO_ITEMS] =	{ "items", FD_T_ARRAY, 1, 1, ORDER_MAX_LINES,
			    &item_schema },
	[PO_ADDRESS] =	{ "address", FD_T_STRING, 0, 1, 200, NULL },
	[PO_PHONE] =	{ "phone", FD_T_STRING, 0, 8, 20, NULL },
	[PO_CARD] =	{ "card", FD_T_STRING, 0, 12, 23, NULL },
};
const struct fd_schema order_http_place_schema = FD_SCHEMA(place_fields);

/* Copies a present string value; -1 if it would not fit (never cut). */
static int
copy(char *dst, size_t sz, const struct fd_value *v)
{
	if (!v->present)
		return 0;
	if (v->len >= sz)
		return -1;
	memcpy(dst, v->s, v->len);
	dst[v->len] = '\0';
	return 0;
}

/* POST /orders */
void
order_http_place(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	const char *key = fd_param(r, "HTTP_IDEMPOTENCY_KEY");
	struct order_request rq;
	struct order_placed out;
	json_object *o;
	enum order_err e;
	size_t i;

	memset(&rq, 0, sizeof(rq));
	rq.customer_id = r->who.sub;
	rq.store_id = v[PO_STORE].i;
	rq.nlines = v[PO_ITEMS].n;
	for (i = 0; i < rq.nlines; i++) {
		rq.lines[i].menu_id = fd_input_elem(&v[PO_ITEMS], &item_schema, i,
		    IT_MENU)->i;
		rq.lines[i].qty = (int)fd_input_elem(&v[PO_ITEMS], &item_schema,
		    i, IT_QTY)->i;
	}
	if (copy(rq.address, sizeof(rq.address), &v[PO_ADDRESS]) != 0 ||
	    copy(rq.phone, sizeof(rq.phone), &v[PO_PHONE]) != 0 ||
	    copy(rq.card, sizeof(rq.card), &v[PO_CARD]) != 0) {
		reply_order_error(r, ORDER_E_INPUT);
		return;
	}
	if (key != NULL) {
		if (!order_idem_key_ok(key)) {
			fd_reply_error(r, FD_E_BAD_INPUT, "Idempotency-Key must be "
			    "1 to 64 printable ASCII characters");
			return;
		}
		snprintf(rq.idem_key, sizeof(rq.idem_key), "%s", key);
	}
	rq.request_id = r->request_id;

	e = order_place(&rq, &out);
	if (out.replayed)
		fd_add_header(r, "Idempotent-Replayed", "true");
	if (e == ORDER_E_UNAVAILABLE_ITEM || e == ORDER_E_STORE_CLOSED ||
	    e == ORDER_E_BELOW_MINIMUM) {
		reply_conflict(r, e, &out);
		return;
	}
	if (e != ORDER_OK) {
		reply_order_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "orderId", json_object_new_int64(out.order_id));
	json_object_object_add(o, "status", json_object_new_string("Paid"));
	json_object_object_add(o, "amount", json_object_new_int64(out.amount));
	json_object_object_add(o, "itemsAmount",
	    json_object_new_int64(out.amount - out.delivery_fee));
	json_object_object_add(o, "deliveryFee",
	    json_object_new_int64(out.delivery_fee));
	fd_reply_json(r, 201, o);
}

static int
add_order(void *arg, const struct order *o)
{
	return json_object_array_add(arg, order_json(o, 0));
}

/* GET /orders */
void
order_http_list(struct fd_req *r)
{
	json_object *arr = json_object_new_array(), *o;
	enum order_err e;

	if ((e = order_list(r->who.sub, add_order, arr)) != ORDER_OK) {
		json_object_put(arr);
		reply_order_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "orders", arr);
	fd_reply_json(r, 200, o);
}

/* GET /orders/{id} */
void
order_http_get(struct fd_req *r)
{
	struct order o;
	enum order_err e;

	if ((e = order_get(r->who.sub, r->ids[0], &o)) != ORDER_OK)
		reply_order_error(r, e);
	else
		fd_reply_json(r, 200, order_json(&o, 1));
}

enum { CA_REASON };
static const struct fd_field cancel_fields[] = {
	[CA_REASON] =	{ "reason", FD_T_STRING, 0, 1, 200, NULL },
};
const struct fd_schema order_http_cancel_schema = FD_SCHEMA(cancel_fields);

/* POST /orders/{id}/cancel */
void
order_http_cancel(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	char reason[801] = "canceled by the customer";
	struct order o;
	enum order_err e;

	(void)copy(reason, sizeof(reason), &v[CA_REASON]);	/* 200 chars fit */
	e = order_cancel(r->who.sub, r->ids[0], reason, &o);
	if (e == ORDER_E_CANCEL_REFUSED && o.cancel_refused[0] != '\0') {
		char msg[1200];
		snprintf(msg, sizeof(msg), "%s: %s",
		    order_err_message(e), o.cancel_refused);
		fd_reply_error(r, FD_E_CONFLICT, msg);
	} else if (e != ORDER_OK)
		reply_order_error(r, e);
	else	/* Canceled; or still waiting for the store's decision */
		fd_reply_json(r, o.status == ORDER_CANCELED ? 200 : 202,
		    order_json(&o, 1));
}

/*
 * GET /events/customer: the customer's live stream (Server-Sent Events).
 * A worker only decides whose stream it is: nginx follows the
 * X-Accel-Redirect to its internal nchan subscriber location for this
 * customer's channel (etc/nginx/fishdelivery.conf.in), which holds the
 * connection and resumes from Last-Event-ID; the order context publishes
 * to it after each commit that changes the customer's MyPage
 * (order_view.c).  No token, a forged or expired one: 401; an owner: 403.
 */
void
order_http_events(struct fd_req *r)
{
	fd_reply_stream(r, "customer", r->who.sub);
}
