/*
 * pay_events.c - the payment context as a subscriber (SPEC: payment
 * refunds on OrderRejected and OrderCanceled).  Runs inside the unit of
 * work lib/fd_consumer.c opened.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "fd_event_order.h"
#include "fd_event_store.h"
#include "pay.h"

/* The refund, with its reason (pay_refund_policy clips it). */
static int
refund(long long order_id, const char *reason, char *err, size_t errsz)
{
	if (pay_refund_policy(order_id, reason) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

/*
 * OrderCanceled (lib/fd_event_order.c's rules: a payload they refuse can
 * never apply): the refund's reason is the event's, else its name.
 */
static int
order_canceled(struct json_object *ev, char *err, size_t errsz)
{
	struct fd_order_canceled c;

	if (fd_order_canceled_decode(ev, &c, err, errsz) != 0)
		return FD_APPLY_POISON;
	return refund(c.order_id, c.reason[0] != '\0' ? c.reason :
	    "OrderCanceled", err, errsz);
}

/*
 * OrderRejected (lib/fd_event_store.c's rules): the refund's reason is the
 * store's words, else its code (reasonCode; no_response: nobody
 * answered).
 */
static int
order_rejected(struct json_object *ev, char *err, size_t errsz)
{
	static struct fd_order_rejected r;
	char reason[64];

	if (fd_order_rejected_decode(ev, &r, err, errsz) != 0)
		return FD_APPLY_POISON;
	if (r.reason[0] != '\0')
		return refund(r.order_id, r.reason, err, errsz);
	snprintf(reason, sizeof(reason), "OrderRejected: %s", r.reason_code);
	return refund(r.order_id, reason, err, errsz);
}

int
pay_apply_event(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	if (strcmp(type, "OrderCanceled") == 0)
		return order_canceled(ev, err, errsz);
	if (strcmp(type, "OrderRejected") == 0)
		return order_rejected(ev, err, errsz);
	return FD_APPLY_OK;	/* not ours to act on */
}
