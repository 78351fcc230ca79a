/*
 * order_view.c - MyPage, the customer's view of their orders: a projection
 * of the order's events, whichever context published them, applied inside
 * the unit of work that records the event (the consumer's, or for the
 * order context's own events the one that writes them, so a customer who
 * has just placed or cancelled an order sees it on the next read).
 *
 * Once the transaction that changed a customer's rows commits, and before
 * the request that made it returns, the customer's cached pages are made
 * stale (order_cache.c): a read that starts after a change has returned
 * never sees a page rendered before it.
 */
#include <string.h>

#include "fd_db.h"
#include "order.h"

/* Customers whose view this unit of work changed: stale once it commits. */
static long long touched[1000];	/* a relay batch at most */
static size_t ntouched;

void
order_view_after_commit(void)
{
	size_t i;

	for (i = 0; i < ntouched; i++)
		order_cache_invalidate(touched[i]);
	ntouched = 0;
}

void
order_view_after_rollback(void)
{
	ntouched = 0;
}

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
	if (!order_view_status_follows(cur, to))
		return;
	c->status = order_status_name(to);
	c->reason = e->reason;
	c->step = (int)step;
}

/*
 * One event into the view: OrderPlaced in one statement (it depends on
 * nothing the row holds), and so a payment's event that names the
 * customer; any other under the row's lock, whatever it moves written in
 * one statement.
 */
int
order_view_apply(const struct order_view_event *e)
{
	struct order_view_change c;
	enum order_status cur;
	char payment[12], delivery[12];
	long long customer;
	size_t i;
	const char *t = e->type;

	if (!order_view_applies(t))
		return 0;
	memset(&c, 0, sizeof(c));
	c.order_id = e->order_id;
	c.at = e->at;
	c.step = -1;
	if (strcmp(t, "OrderPlaced") == 0) {
		if (order_view_db_placed(e) != 0)
			return -1;
		customer = e->customer_id;
	} else if (e->customer_id > 0 && (strcmp(t, "PayApproved") == 0 ||
	    strcmp(t, "PayCanceled") == 0)) {
		/* Whose it is comes with the event: no need to lock the row. */
		if (order_view_db_payment(e->order_id,
		    strcmp(t, "PayCanceled") == 0, e->at) != 0)
			return -1;
		customer = e->customer_id;
	} else if (order_view_db_lock(e->order_id, &customer, &cur, payment,
	    sizeof(payment), delivery, sizeof(delivery)) != 0)
		return -1;
	else {
		if (strcmp(t, "PayApproved") == 0) {
			if (strcmp(payment, "refunded") != 0)
				c.payment = "approved";
			c.step = ORDER_STEP_PAID;
		} else if (strcmp(t, "PayCanceled") == 0) {
			c.payment = "refunded";
			c.step = ORDER_STEP_REFUNDED;
		} else if (strcmp(t, "OrderTaken") == 0)
			follow(e, cur, ORDER_ACCEPTED, ORDER_STEP_ACCEPTED, &c);
		else if (strcmp(t, "OrderPrepared") == 0)
			follow(e, cur, ORDER_PREPARED, ORDER_STEP_PREPARED, &c);
		else if (strcmp(t, "OrderRejected") == 0)
			follow(e, cur, ORDER_REJECTED, ORDER_STEP_REJECTED, &c);
		else if (strcmp(t, "OrderCanceled") == 0)
			follow(e, cur, ORDER_CANCELED, ORDER_STEP_CANCELED, &c);
		else if (strcmp(t, "CancelRequested") == 0) {
			if (order_view_status_follows(cur,
			    ORDER_CANCEL_REQUESTED)) {
				c.status = order_status_name(
				    ORDER_CANCEL_REQUESTED);
				c.reason = e->reason;
			}
		} else if (strcmp(t, "CancelRefused") == 0) {
			if (cur == ORDER_CANCEL_REQUESTED) {
				c.status = order_status_name(e->status);
				c.reason = e->reason;
			}
		}
		else if (strcmp(t, "DeliveryStarted") == 0) {
			follow(e, cur, ORDER_DELIVERY_STARTED,
			    ORDER_STEP_DELIVERY_STARTED, &c);
			if (delivery[0] == '\0')
				c.delivery = "started";
		} else if (strcmp(t, "DeliveryCompleted") == 0) {
			follow(e, cur, ORDER_DELIVERED, ORDER_STEP_DELIVERED, &c);
			if (strcmp(delivery, "canceled") != 0)
				c.delivery = "delivered";
		} else if (strcmp(t, "DeliveryCanceled") == 0) {
			if (strcmp(delivery, "delivered") != 0)
				c.delivery = "canceled";
			c.step = ORDER_STEP_DELIVERY_CANCELED;
		}
		if (order_view_db_change(&c) != 0)
			return -1;
	}
	/* Nobody can read a row before OrderPlaced says whose it is. */
	if (customer <= 0)
		return 0;
	for (i = 0; i < ntouched && touched[i] != customer; i++)
		continue;
	if (i == ntouched) {
		if (ntouched == sizeof(touched) / sizeof(touched[0]))
			return -1;	/* a smaller batch will do */
		touched[ntouched++] = customer;
	}
	return 0;
}

int
order_view_read(long long customer, long long order_id, order_view_fn fn,
    void *arg)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = order_view_db_rows(customer, order_id, fn, arg);
	fd_db_rollback();
	return rc;
}
