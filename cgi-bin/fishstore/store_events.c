/*
 * store_events.c - the fishstore context's adapter for relayed events
 * (fd_app.apply_event, see fd_consumer.h): decodes each payload with its
 * event's codec (lib/fd_event_<producer>.c) and hands plain C values to
 * the policies in store_app.c, inside the unit of work the consumer
 * opened.  fishstore hears OrderPlaced (a ticket),
 * CancelRequested (the store decides) and OrderCanceled (the ticket
 * follows the order); anything else is not ours and is acknowledged as
 * done.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "fd_event_order.h"
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

/* The event takes no more items than a ticket holds. */
_Static_assert(FD_ORDER_ITEMS_MAX <= STORE_TICKET_MAX_ITEMS,
    "an OrderPlaced may carry more items than a ticket holds");

/*
 * OrderPlaced: a ticket.  The payload's rules are the event's
 * (lib/fd_event_order.c); whether this store can keep it is the
 * domain's (store_on_order_placed).
 */
static int
order_placed(json_object *ev, char *err, size_t errsz)
{
	static struct fd_order_placed p;
	static struct store_ticket t;
	size_t i;

	if (fd_order_placed_decode(ev, &p, err, errsz) != 0)
		return FD_APPLY_POISON;
	memset(&t, 0, sizeof(t));
	t.order_id = p.order_id;
	t.customer_id = p.customer_id;
	t.store_id = p.store_id;
	t.amount = p.amount;
	snprintf(t.address, sizeof(t.address), "%s", p.address);
	snprintf(t.phone, sizeof(t.phone), "%s", p.phone);
	for (i = 0; i < p.nitems; i++) {
		t.items[i].menu_id = p.items[i].menu_id;
		snprintf(t.items[i].name, sizeof(t.items[i].name), "%s",
		    p.items[i].name);
		t.items[i].qty = p.items[i].qty;
		t.items[i].price = p.items[i].price;
	}
	t.nitems = i;
	return outcome(store_on_order_placed(&t, err, errsz));
}

/* OrderCanceled and CancelRequested: {orderId, reason} ("" = none). */
static int
cancel_event(const char *type, json_object *ev, char *err, size_t errsz)
{
	struct fd_order_canceled c;
	int requested = strcmp(type, "CancelRequested") == 0;
	const char *r;

	if ((requested ? fd_cancel_requested_decode(ev, &c, err, errsz) :
	    fd_order_canceled_decode(ev, &c, err, errsz)) != 0)
		return FD_APPLY_POISON;
	r = c.reason[0] != '\0' ? c.reason : NULL;
	return outcome(requested ?
	    store_on_cancel_requested(c.order_id, r, err, errsz) :
	    store_on_order_canceled(c.order_id, r, err, errsz));
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
