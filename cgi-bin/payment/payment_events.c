/*
 * payment_events.c - the payment context as a subscriber (SPEC: payment
 * refunds on OrderRejected and OrderCanceled).  Runs inside the unit of
 * work lib/fd_consumer.c opened.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "fd_event_order.h"
#include "payment.h"

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
 * OrderRejected: the refund's reason is the event's words, else the
 * store's code (reasonCode; no_response: nobody answered), else the
 * event's name.
 */
static int
order_rejected(struct json_object *ev, char *err, size_t errsz)
{
	const char *type = "OrderRejected";
	char reason[256] = "", code[24];
	long long order_id;

	if (fd_ev_int(ev, "orderId", &order_id) != 0 || order_id <= 0) {
		snprintf(err, errsz, "%s without a valid orderId", type);
		return FD_APPLY_POISON;
	}
	if (fd_ev_str(ev, "reason", reason, sizeof(reason)) != 0 &&
	    (fd_ev_str(ev, "reasonCode", code, sizeof(code)) != 0 ||
	    snprintf(reason, sizeof(reason), "%s: %s", type, code) < 0))
		snprintf(reason, sizeof(reason), "%s", type);
	return refund(order_id, reason, err, errsz);
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
