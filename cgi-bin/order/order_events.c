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
#include "fd_event_delivery.h"
#include "fd_event_order.h"
#include "fd_event_payment.h"
#include "fd_event_store.h"
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

/* MenuItemChanged: the menu replica. */
static int
menu_changed(struct json_object *ev, char *err, size_t errsz)
{
	struct fd_menu_item_changed m;
	struct order_menu_item it;

	if (fd_menu_item_changed_decode(ev, &m, err, errsz) != 0)
		return FD_APPLY_POISON;
	memset(&it, 0, sizeof(it));
	it.menu_id = m.menu_id;
	it.store_id = m.store_id;
	snprintf(it.name, sizeof(it.name), "%s", m.name);
	it.price = m.price;
	it.sold_out = m.sold_out;
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

/*
 * The store's and the courier's events as MyPage and the order's status
 * read them, each through its codec (lib/fd_event_store.h,
 * lib/fd_event_delivery.h): 1 if type is one of them, with *rc
 * FD_APPLY_OK (v filled; its strings point into static storage) or
 * FD_APPLY_POISON (err says which field); 0 if it is not.
 */
static int
store_or_courier(const char *type, struct json_object *ev,
    struct order_view_event *v, char *err, size_t errsz, int *rc)
{
	static struct fd_order_taken taken;
	static struct fd_order_prepared prepared;
	static struct fd_order_rejected rejected;
	static struct fd_delivery_event dlv;
	int bad;

	if (strcmp(type, "OrderTaken") == 0) {
		bad = fd_order_taken_decode(ev, &taken, err, errsz);
		v->order_id = taken.order_id;
		/* The estimate as the order keeps it (its column's form);
		 * informative: an older fishstore's event has none. */
		if (order_utc_time_ok(taken.ready_by))
			v->ready_by = taken.ready_by;
	} else if (strcmp(type, "OrderPrepared") == 0) {
		bad = fd_order_prepared_decode(ev, &prepared, err, errsz);
		v->order_id = prepared.order_id;
	} else if (strcmp(type, "OrderRejected") == 0) {
		bad = fd_order_rejected_decode(ev, &rejected, err, errsz);
		v->order_id = rejected.order_id;
		v->reason_code = rejected.reason_code;
		if (rejected.reason[0] != '\0')
			v->reason = rejected.reason;
	} else if (strcmp(type, "DeliveryStarted") == 0) {
		bad = fd_delivery_started_decode(ev, &dlv, err, errsz);
		v->order_id = dlv.order_id;
	} else if (strcmp(type, "DeliveryCompleted") == 0) {
		bad = fd_delivery_completed_decode(ev, &dlv, err, errsz);
		v->order_id = dlv.order_id;
	} else if (strcmp(type, "DeliveryCanceled") == 0) {
		bad = fd_delivery_canceled_decode(ev, &dlv, err, errsz);
		v->order_id = dlv.order_id;
	} else
		return 0;
	*rc = bad != 0 ? FD_APPLY_POISON : FD_APPLY_OK;
	return 1;
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
	int rc;

	memset(v, 0, sizeof(*v));
	v->type = type;
	/* The envelope's time (the outbox's, fd_outbox_add()). */
	if (fd_ev_str(ev, "occurredAt", at, atsz) == 0)
		v->at = at;
	if ((rc = own_or_payment(type, ev, v, reason, rsz, items, err,
	    errsz)) != 0)
		return rc < 0 ? FD_APPLY_POISON : FD_APPLY_OK;
	if (store_or_courier(type, ev, v, err, errsz, &rc))
		return rc;
	/* order_view_applies() names no other (CancelRefused is decided
	 * before, cancel_decided()). */
	snprintf(err, errsz, "%s: not an event MyPage reads", type);
	return FD_APPLY_POISON;
}

/* The store's decision on a CancelRequested (CancelConfirmed, or
 * CancelRefused with its ticket's status and reason). */
static int
cancel_decided(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	static struct fd_cancel_refused no;
	struct fd_cancel_confirmed yes;
	enum order_status ticket = ORDER_PAID;
	int rc;

	if (strcmp(type, "CancelRefused") == 0) {
		if (fd_cancel_refused_decode(ev, &no, err, errsz) != 0)
			return FD_APPLY_POISON;
		/* Every ticket status is an order status too. */
		if (order_status_parse(no.ticket_status, &ticket) != 0) {
			snprintf(err, errsz, "CancelRefused: ticketStatus %s is "
			    "no order status", no.ticket_status);
			return FD_APPLY_POISON;
		}
		rc = order_cancel_refused(no.order_id, ticket, no.reason);
	} else {
		if (fd_cancel_confirmed_decode(ev, &yes, err, errsz) != 0)
			return FD_APPLY_POISON;
		rc = order_cancel_confirmed(yes.order_id);
	}
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
