/*
 * pay_events.c - the payment context as a subscriber (SPEC: payment
 * refunds on OrderRejected and OrderCanceled).  Runs inside the unit of
 * work lib/fd_consumer.c opened for the event.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "pay.h"

int
pay_apply_event(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	char reason[256] = "", code[24];
	long long order_id;

	if (strcmp(type, "OrderCanceled") != 0 &&
	    strcmp(type, "OrderRejected") != 0)
		return FD_APPLY_OK;	/* not ours to act on */
	if (fd_ev_int(ev, "orderId", &order_id) != 0 || order_id <= 0) {
		snprintf(err, errsz, "%s without a valid orderId", type);
		return FD_APPLY_POISON;
	}
	/* The refund's reason: the event's words, else the store's code
	 * (OrderRejected's reasonCode; no_response: nobody answered), else
	 * the event's name. */
	if (fd_ev_str(ev, "reason", reason, sizeof(reason)) != 0 &&
	    (fd_ev_str(ev, "reasonCode", code, sizeof(code)) != 0 ||
	    snprintf(reason, sizeof(reason), "%s: %s", type, code) < 0))
		snprintf(reason, sizeof(reason), "%s", type);
	if (pay_refund_policy(order_id, reason) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}
