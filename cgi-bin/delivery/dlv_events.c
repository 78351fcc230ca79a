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
#include "fd_event_store.h"

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

/* OrderPrepared (lib/fd_event_store.c): a delivery to start. */
static int
order_prepared(json_object *ev, char *err, size_t errsz)
{
	struct fd_order_prepared p;
	struct dlv_delivery d;

	if (fd_order_prepared_decode(ev, &p, err, errsz) != 0)
		return FD_APPLY_POISON;
	memset(&d, 0, sizeof(d));
	d.order_id = p.order_id;
	d.ticket_id = p.ticket_id;
	d.store_id = p.store_id;
	snprintf(d.address, sizeof(d.address), "%s", p.address);
	snprintf(d.phone, sizeof(d.phone), "%s", p.phone);
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
