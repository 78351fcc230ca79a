/*
 * order_view_rules.c - MyPage's projection rules: which event moves a view
 * row's status, payment, delivery and timeline step to what.  Pure: libc
 * and our headers only, no I/O; order_view.c locks the row, asks here and
 * writes the answer (order_view_db.c), and the unit tests ask here too.
 *
 *   OrderTaken, OrderPrepared,     the status forward only
 *   DeliveryStarted,               (order_view_status_follows), with its
 *   DeliveryCompleted              step; Delivered, Canceled, Rejected
 *                                  are final; a step that arrives after
 *                                  a later one is noted, status kept
 *   OrderRejected                  Rejected before Prepared, with its
 *                                  reasonCode
 *   OrderTaken's readyBy           the estimate, whatever the status
 *   OrderCanceled                  Canceled from any status not final
 *   CancelRequested                from Paid or Accepted; meanwhile the
 *                                  store's and courier's steps are noted on
 *                                  the timeline, the status waits
 *   CancelRefused                  back to the status the event names
 *   PayApproved / PayCanceled      payment approved unless refunded /
 *                                  refunded whatever came before
 *   DeliveryStarted / Completed /  delivery started if nothing yet /
 *   DeliveryCanceled               delivered unless canceled / canceled
 *                                  unless delivered
 *
 * and what of a change the customer's live stream is told
 * (order_view_pushed).
 */
#include <string.h>

#include "order.h"

int
order_view_applies(const char *type)
{
	static const char *const types[] = {
		"OrderPlaced", "PayApproved", "OrderTaken", "OrderPrepared",
		"OrderRejected", "DeliveryStarted", "DeliveryCompleted",
		"OrderCanceled", "PayCanceled", "DeliveryCanceled",
		"CancelRequested", "CancelRefused"
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i], type) == 0)
			return 1;
	return 0;
}

/* The status an event moves the view to, if the rules allow, with its
 * step's time and reason. */
static void
follow(const struct order_view_event *e, enum order_status cur,
    enum order_status to, enum order_view_step step,
    struct order_view_change *c)
{
	/* While the store decides a cancel, its steps are noted on the
	 * timeline; the status waits for the decision. */
	if (cur == ORDER_CANCEL_REQUESTED && to != ORDER_CANCELED) {
		c->step = (int)step;
		return;
	}
	if (!order_view_status_follows(cur, to)) {
		/* A step of the way that comes after a later one (the
		 * store's OrderPrepared after the courier's DeliveryStarted:
		 * two relays, nothing orders them) did happen: the timeline
		 * notes it at its time, the status stays. */
		if (to < cur && cur <= ORDER_DELIVERED)
			c->step = (int)step;
		return;
	}
	c->status = order_status_name(to);
	c->reason = e->reason;
	c->step = (int)step;
}

void
order_view_project(const struct order_view_event *e, enum order_status cur,
    const char *payment, const char *delivery, struct order_view_change *c)
{
	const char *t = e->type;

	memset(c, 0, sizeof(*c));
	c->order_id = e->order_id;
	c->at = e->at;
	c->step = -1;
	if (strcmp(t, "PayApproved") == 0) {
		if (strcmp(payment, "refunded") != 0)
			c->payment = "approved";
		c->step = ORDER_STEP_PAID;
	} else if (strcmp(t, "PayCanceled") == 0) {
		c->payment = "refunded";
		c->step = ORDER_STEP_REFUNDED;
	} else if (strcmp(t, "OrderTaken") == 0) {
		follow(e, cur, ORDER_ACCEPTED, ORDER_STEP_ACCEPTED, c);
		/* The estimate is the store's fact whatever the status shows
		 * (a cancel it refuses brings Accepted back, with it). */
		c->ready_by = e->ready_by;
	} else if (strcmp(t, "OrderPrepared") == 0)
		follow(e, cur, ORDER_PREPARED, ORDER_STEP_PREPARED, c);
	else if (strcmp(t, "OrderRejected") == 0) {
		follow(e, cur, ORDER_REJECTED, ORDER_STEP_REJECTED, c);
		if (c->status != NULL)
			c->reason_code = e->reason_code;
	}
	else if (strcmp(t, "OrderCanceled") == 0)
		follow(e, cur, ORDER_CANCELED, ORDER_STEP_CANCELED, c);
	else if (strcmp(t, "CancelRequested") == 0) {
		if (order_view_status_follows(cur, ORDER_CANCEL_REQUESTED)) {
			c->status = order_status_name(ORDER_CANCEL_REQUESTED);
			c->reason = e->reason;
		}
	} else if (strcmp(t, "CancelRefused") == 0) {
		if (cur == ORDER_CANCEL_REQUESTED) {
			c->status = order_status_name(e->status);
			c->reason = e->reason;
		}
	} else if (strcmp(t, "DeliveryStarted") == 0) {
		follow(e, cur, ORDER_DELIVERY_STARTED,
		    ORDER_STEP_DELIVERY_STARTED, c);
		if (delivery[0] == '\0')
			c->delivery = "started";
	} else if (strcmp(t, "DeliveryCompleted") == 0) {
		follow(e, cur, ORDER_DELIVERED, ORDER_STEP_DELIVERED, c);
		if (strcmp(delivery, "canceled") != 0)
			c->delivery = "delivered";
	} else if (strcmp(t, "DeliveryCanceled") == 0) {
		if (strcmp(delivery, "delivered") != 0)
			c->delivery = "canceled";
		c->step = ORDER_STEP_DELIVERY_CANCELED;
	}
	/* OrderPlaced, and any other type: nothing (order_view_db_placed
	 * writes OrderPlaced whole). */
}

/*
 * The payment's steps are changes too: the order page shows a refund,
 * which comes after the order's Canceled or Rejected.
 */
const char *
order_view_pushed(const struct order_view_change *c, enum order_status cur)
{
	if (c->status != NULL)
		return c->status;
	if (c->step >= 0 || c->delivery != NULL || c->payment != NULL)
		return order_status_name(cur);
	return NULL;
}
