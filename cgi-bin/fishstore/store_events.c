/*
 * store_events.c - the fishstore context's adapter for relayed events
 * (fd_app.apply_event, see fd_consumer.h): decodes each payload into plain
 * C values and hands it to the policies in store_app.c, inside the unit
 * of work the consumer opened.  fishstore hears OrderPlaced (a ticket),
 * CancelRequested (the store decides) and OrderCanceled (the ticket
 * follows the order); anything else is not ours and is acknowledged as
 * done.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "store.h"

static int
outcome(enum store_err e)
{
	switch (e) {
	case STORE_OK:
		return FD_APPLY_OK;
	case STORE_E_INPUT:
		return FD_APPLY_POISON;
	default:
		return FD_APPLY_RETRY;
	}
}

/* Items [{menuId,name,qty,price}] into t; 0 or -1 with err set. */
static int
decode_items(json_object *ev, struct store_ticket *t, char *err, size_t errsz)
{
	json_object *arr, *it;
	size_t i, n;

	if (!json_object_object_get_ex(ev, "items", &arr) ||
	    !json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) < 1 ||
	    n > STORE_TICKET_MAX_ITEMS) {
		snprintf(err, errsz, "OrderPlaced needs items: an array of 1 to "
		    "%d", STORE_TICKET_MAX_ITEMS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(it, json_type_object) ||
		    fd_ev_int(it, "menuId", &t->items[i].menu_id) != 0 ||
		    fd_ev_str(it, "name", t->items[i].name,
		    sizeof(t->items[i].name)) != 0 ||
		    fd_ev_int(it, "qty", &t->items[i].qty) != 0 ||
		    fd_ev_int(it, "price", &t->items[i].price) != 0) {
			snprintf(err, errsz, "OrderPlaced item %zu needs menuId, "
			    "name, qty and price", i + 1);
			return -1;
		}
	}
	t->nitems = n;
	return 0;
}

static int
order_placed(json_object *ev, char *err, size_t errsz)
{
	static struct store_ticket t;

	memset(&t, 0, sizeof(t));
	if (fd_ev_int(ev, "orderId", &t.order_id) != 0 ||
	    fd_ev_int(ev, "customerId", &t.customer_id) != 0 ||
	    fd_ev_int(ev, "storeId", &t.store_id) != 0 ||
	    fd_ev_int(ev, "amount", &t.amount) != 0 ||
	    fd_ev_str(ev, "address", t.address, sizeof(t.address)) != 0 ||
	    fd_ev_str(ev, "phone", t.phone, sizeof(t.phone)) != 0) {
		snprintf(err, errsz, "OrderPlaced needs orderId, customerId, "
		    "storeId, amount (integers), address and phone (text)");
		return FD_APPLY_POISON;
	}
	if (decode_items(ev, &t, err, errsz) != 0)
		return FD_APPLY_POISON;
	return outcome(store_on_order_placed(&t, err, errsz));
}

/* OrderCanceled and CancelRequested: {orderId, reason?}. */
static int
cancel_event(const char *type, json_object *ev, char *err, size_t errsz)
{
	char reason[801];
	const char *r;
	long long order_id;
	json_object *j = NULL;
	int has_reason;

	if (fd_ev_int(ev, "orderId", &order_id) != 0) {
		snprintf(err, errsz, "%s needs an integer orderId", type);
		return FD_APPLY_POISON;
	}
	/* The reason is informative: absent (or null) is fine, malformed not. */
	has_reason = json_object_object_get_ex(ev, "reason", &j) && j != NULL;
	if (has_reason && fd_ev_str(ev, "reason", reason, sizeof(reason)) != 0) {
		snprintf(err, errsz, "%s reason must be text", type);
		return FD_APPLY_POISON;
	}
	r = has_reason && *reason != '\0' ? reason : NULL;
	return outcome(strcmp(type, "CancelRequested") == 0 ?
	    store_on_cancel_requested(order_id, r, err, errsz) :
	    store_on_order_canceled(order_id, r, err, errsz));
}

int
store_apply_event(const char *type, json_object *ev, char *err, size_t errsz)
{
	if (strcmp(type, "OrderPlaced") == 0)
		return order_placed(ev, err, errsz);
	if (strcmp(type, "OrderCanceled") == 0 ||
	    strcmp(type, "CancelRequested") == 0)
		return cancel_event(type, ev, err, errsz);
	return FD_APPLY_OK;	/* not an event fishstore subscribes to */
}
