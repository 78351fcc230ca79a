/*
 * order_events.c - the order context as a subscriber: its status follows
 * the store's and the courier's events, its menu replica follows
 * MenuItemChanged and its store replica StoreChanged, its customer replica
 * follows auth's CustomerRegistered and CustomerProfileChanged
 * (order_customer.c), and the store decides its cancellations
 * (CancelConfirmed, CancelRefused).  Runs inside the unit of work
 * lib/fd_consumer.c opened.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "fd_event_auth.h"
#include "fd_event_order.h"
#include "fd_event_payment.h"
#include "order.h"

/* CustomerRegistered, CustomerProfileChanged: the replica, never back. */
static int
customer_changed(struct json_object *ev, char *err, size_t errsz)
{
	struct fd_customer c;

	if (fd_customer_decode(ev, &c, err, errsz) != 0)
		return FD_APPLY_POISON;
	/* /mypage's header says the name: the cached page goes stale. */
	if (order_customer_replicate(&c) != 0 ||
	    order_view_touch(c.customer_id) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

static int
menu_changed(struct json_object *ev, char *err, size_t errsz)
{
	struct order_menu_item it;
	struct json_object *j;

	memset(&it, 0, sizeof(it));
	if (fd_ev_int(ev, "menuId", &it.menu_id) != 0 || it.menu_id <= 0 ||
	    fd_ev_int(ev, "storeId", &it.store_id) != 0 || it.store_id <= 0 ||
	    fd_ev_str(ev, "name", it.name, sizeof(it.name)) != 0 ||
	    fd_ev_int(ev, "price", &it.price) != 0 || it.price < 0 ||
	    !json_object_object_get_ex(ev, "soldOut", &j) ||
	    !json_object_is_type(j, json_type_boolean)) {
		snprintf(err, errsz, "MenuItemChanged with missing or bad fields");
		return FD_APPLY_POISON;
	}
	it.sold_out = json_object_get_boolean(j);
	if (order_menu_replicate(&it) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

/* StoreChanged: the store replica, if the event is newer than its row. */
static int
store_changed(struct json_object *ev, char *err, size_t errsz)
{
	static struct fd_store_changed st;

	if (fd_store_changed_decode(ev, &st, err, errsz) != 0)
		return FD_APPLY_POISON;
	if (order_store_replicate(&st) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

/* The event as MyPage reads it; POISON if it lacks what it must carry. */
/*
 * The store's answer an event carries: OrderTaken's readyBy, OrderRejected's
 * reasonCode.  Informative, so one that is absent (an event of an older
 * fishstore) or not what SPEC says is left out rather than refused.
 */
static void
store_answer(const char *type, struct json_object *ev,
    struct order_view_event *v, char *ready_by, size_t rbsz, char *code,
    size_t csz)
{
	if (strcmp(type, "OrderTaken") == 0 &&
	    fd_ev_str(ev, "readyBy", ready_by, rbsz) == 0 &&
	    order_utc_time_ok(ready_by))
		v->ready_by = ready_by;
	if (strcmp(type, "OrderRejected") == 0 &&
	    fd_ev_str(ev, "reasonCode", code, csz) == 0 &&
	    order_reject_code_ok(code))
		v->reason_code = code;
}

/*
 * The order context's own events (applied in the transaction that writes
 * them, order_app.c; a relayed copy, a replayed dead letter say, is read
 * here) and payment's, by their codecs (lib/fd_event_order.c,
 * lib/fd_event_payment.c): 1 and v filled if type is one of them, POISON
 * when its codec refuses the payload, 0 for any other type.  *items: the
 * OrderPlaced's items, for v->items (the caller puts it).
 */
static int
own_or_payment(const char *type, struct json_object *ev,
    struct order_view_event *v, char *reason, size_t rsz,
    struct json_object **items, char *err, size_t errsz)
{
	static struct fd_order_placed p;
	struct fd_order_canceled c;
	struct fd_pay_approved pay;
	int rc;

	if (strcmp(type, "OrderPlaced") == 0) {
		if (fd_order_placed_decode(ev, &p, err, errsz) != 0)
			return -1;
		v->order_id = p.order_id;
		v->customer_id = p.customer_id;
		v->store_id = p.store_id;
		v->amount = p.amount;
		*items = fd_order_items_encode(&p);
		v->items = json_object_to_json_string_ext(*items,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		return 1;
	}
	if (strcmp(type, "OrderCanceled") == 0 ||
	    strcmp(type, "CancelRequested") == 0) {
		rc = strcmp(type, "OrderCanceled") == 0 ?
		    fd_order_canceled_decode(ev, &c, err, errsz) :
		    fd_cancel_requested_decode(ev, &c, err, errsz);
		if (rc != 0)
			return -1;
		v->order_id = c.order_id;
		snprintf(reason, rsz, "%s", c.reason);
		v->reason = reason;
		return 1;
	}
	if (strcmp(type, "PayApproved") == 0 ||
	    strcmp(type, "PayCanceled") == 0) {
		rc = strcmp(type, "PayApproved") == 0 ?
		    fd_pay_approved_decode(ev, &pay, err, errsz) :
		    fd_pay_canceled_decode(ev, &pay, err, errsz);
		if (rc != 0)
			return -1;
		v->order_id = pay.order_id;
		/* Whose order it is, if the event says (0: not said, and
		 * order_view_apply() finds it under the row's lock). */
		v->customer_id = pay.customer_id;
		return 1;
	}
	return 0;
}

static int
view_event(const char *type, struct json_object *ev,
    struct order_view_event *v, char *at, size_t atsz, char *reason,
    size_t rsz, struct json_object **items, char *err, size_t errsz)
{
	static char ready_by[40], code[24];
	int rc;

	memset(v, 0, sizeof(*v));
	v->type = type;
	/* The envelope's time (the outbox's, fd_outbox_add()). */
	if (fd_ev_str(ev, "occurredAt", at, atsz) == 0)
		v->at = at;
	if ((rc = own_or_payment(type, ev, v, reason, rsz, items, err,
	    errsz)) != 0)
		return rc < 0 ? FD_APPLY_POISON : FD_APPLY_OK;
	if (fd_ev_int(ev, "orderId", &v->order_id) != 0 || v->order_id <= 0) {
		snprintf(err, errsz, "%s without a valid orderId", type);
		return FD_APPLY_POISON;
	}
	if (fd_ev_str(ev, "reason", reason, rsz) == 0)
		v->reason = reason;
	if (fd_ev_int(ev, "customerId", &v->customer_id) != 0)
		v->customer_id = 0;
	store_answer(type, ev, v, ready_by, sizeof(ready_by), code,
	    sizeof(code));
	return FD_APPLY_OK;
}

/* The store's decision on a CancelRequested (CancelConfirmed, or
 * CancelRefused with its ticket's status and reason). */
static int
cancel_decided(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	char status[24], why[801];
	enum order_status ticket = ORDER_PAID;
	long long id;
	int refused = strcmp(type, "CancelRefused") == 0, rc;

	if (fd_ev_int(ev, "orderId", &id) != 0 || id <= 0 || (refused &&
	    (fd_ev_str(ev, "ticketStatus", status, sizeof(status)) != 0 ||
	    order_status_parse(status, &ticket) != 0 ||
	    fd_ev_str(ev, "reason", why, sizeof(why)) != 0))) {
		snprintf(err, errsz, "%s with missing or bad fields", type);
		return FD_APPLY_POISON;
	}
	rc = refused ? order_cancel_refused(id, ticket, why) :
	    order_cancel_confirmed(id);
	if (rc != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

int
order_apply_event(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	struct order_view_event v;
	struct json_object *items = NULL;
	char at[40], reason[801];
	enum order_status to;
	int rc;

	if (strcmp(type, "MenuItemChanged") == 0)
		return menu_changed(ev, err, errsz);
	if (strcmp(type, "StoreChanged") == 0)
		return store_changed(ev, err, errsz);
	if (fd_customer_event(type))
		return customer_changed(ev, err, errsz);
	if (strcmp(type, "CancelConfirmed") == 0 ||
	    strcmp(type, "CancelRefused") == 0)
		return cancel_decided(type, ev, err, errsz);
	if (!order_view_applies(type))
		return FD_APPLY_OK;
	rc = view_event(type, ev, &v, at, sizeof(at), reason, sizeof(reason),
	    &items, err, errsz);
	/* The order's own status follows the store's and courier's steps,
	 * and keeps the store's answer; MyPage follows every event. */
	if (rc == FD_APPLY_OK && ((order_status_of_event(type, &to) == 0 &&
	    order_follow(v.order_id, to) != 0) ||
	    ((v.ready_by != NULL || v.reason_code != NULL) &&
	    order_db_store_answer(v.order_id, v.ready_by, v.reason_code,
	    v.reason_code != NULL ? v.reason : NULL) != 0) ||
	    order_view_apply(&v) != 0)) {
		snprintf(err, errsz, "database error");
		rc = FD_APPLY_RETRY;
	}
	json_object_put(items);
	return rc;
}
