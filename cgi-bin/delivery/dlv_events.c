/*
 * dlv_events.c - the delivery context's adapter for relayed events
 * (fd_app.apply_event, see fd_consumer.h): decodes each payload into plain
 * C values and hands it to the policies in dlv_app.c, inside the unit of
 * work the consumer opened.  delivery hears OrderPrepared (a delivery
 * starts) and OrderCanceled (it is called back); anything else is not
 * ours and is acknowledged as done.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dlv.h"
#include "fd_consumer.h"
#include "fd_event_order.h"

static int
outcome(enum dlv_err e)
{
	switch (e) {
	case DLV_OK:
		return FD_APPLY_OK;
	case DLV_E_INPUT:
		return FD_APPLY_POISON;
	default:
		return FD_APPLY_RETRY;
	}
}

static int
order_prepared(json_object *ev, char *err, size_t errsz)
{
	struct dlv_delivery d;

	memset(&d, 0, sizeof(d));
	/* storeId, address and phone: fishstore adds them for us. */
	if (fd_ev_int(ev, "orderId", &d.order_id) != 0 ||
	    fd_ev_int(ev, "ticketId", &d.ticket_id) != 0 ||
	    fd_ev_int(ev, "storeId", &d.store_id) != 0 ||
	    fd_ev_str(ev, "address", d.address, sizeof(d.address)) != 0 ||
	    fd_ev_str(ev, "phone", d.phone, sizeof(d.phone)) != 0) {
		snprintf(err, errsz, "OrderPrepared needs orderId, ticketId, "
		    "storeId (integers), address and phone (text)");
		return FD_APPLY_POISON;
	}
	return outcome(dlv_on_order_prepared(&d, err, errsz));
}

/* OrderCanceled: {orderId, reason} ("" = none), lib/fd_event_order.c. */
static int
order_canceled(json_object *ev, char *err, size_t errsz)
{
	struct fd_order_canceled c;

	if (fd_order_canceled_decode(ev, &c, err, errsz) != 0)
		return FD_APPLY_POISON;
	return outcome(dlv_on_order_canceled(c.order_id,
	    c.reason[0] != '\0' ? c.reason : NULL, err, errsz));
}

int
dlv_apply_event(const char *type, json_object *ev, char *err, size_t errsz)
{
	if (strcmp(type, "OrderPrepared") == 0)
		return order_prepared(ev, err, errsz);
	if (strcmp(type, "OrderCanceled") == 0)
		return order_canceled(ev, err, errsz);
	return FD_APPLY_OK;	/* not an event delivery subscribes to */
}
