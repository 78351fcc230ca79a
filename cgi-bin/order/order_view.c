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
 *
 * Each change of a row's status or timeline is also told the customer's
 * live stream (GET /events/customer, fd_push.h) once this commits, after
 * the cached pages are made stale, so that a page reading on the message
 * finds the change and never the old page: the order context publishes,
 * not the context whose event it was, because what the customer sees is
 * this projection's result (a CancelRefused says "back to Accepted", a
 * late OrderTaken says nothing).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "fd_db.h"
#include "fd_push.h"
#include "order.h"

/* Customers whose view this unit of work changed: stale once it commits. */
static long long touched[1000];	/* a relay batch at most */
static size_t ntouched;

/* The changes to tell the customers' streams once it commits. */
static struct told {
	long long	 customer, order_id;
	const char	*status;	/* order_status_name()'s */
	char		 at[40];	/* the event's time */
} told[1000];
static size_t ntold;

/* {orderId,status,at} for the customer's stream. */
static void
tell(const struct told *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(m->order_id));
	json_object_object_add(o, "status", json_object_new_string(m->status));
	json_object_object_add(o, "at", json_object_new_string(m->at));
	/* Best effort (fd_push.c): a message not queued changes nothing. */
	(void)fd_push_queue(FD_PUSH_CUSTOMER, m->customer,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

void
order_view_after_commit(void)
{
	size_t i;

	for (i = 0; i < ntouched; i++)
		order_cache_invalidate(touched[i]);
	ntouched = 0;
	/* Only now, the pages stale: the streams. */
	for (i = 0; i < ntold; i++)
		tell(&told[i]);
	ntold = 0;
	fd_push_flush();
}

void
order_view_after_rollback(void)
{
	ntouched = 0;
	ntold = 0;
}

/* A change to tell customer's stream after the commit. */
static void
push(long long customer, long long order_id, const char *status,
    const char *at)
{
	if (ntold == sizeof(told) / sizeof(told[0]))
		return;		/* best effort: the page reads on reopening */
	told[ntold].customer = customer;
	told[ntold].order_id = order_id;
	told[ntold].status = status;
	snprintf(told[ntold].at, sizeof(told[ntold].at), "%s", at ? at : "");
	ntold++;
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
	const char *said;
	char payment[12], delivery[12];
	long long customer;
	const char *t = e->type;

	if (!order_view_applies(t))
		return 0;
	if (strcmp(t, "OrderPlaced") == 0) {
		if (order_view_db_placed(e) != 0)
			return -1;
		customer = e->customer_id;
		if (customer > 0)
			push(customer, e->order_id,
			    order_status_name(ORDER_PAID), e->at);
	} else if (e->customer_id > 0 && (strcmp(t, "PayApproved") == 0 ||
	    strcmp(t, "PayCanceled") == 0)) {
		/* Whose it is comes with the event: no need to lock the row. */
		if (order_view_db_payment(e->order_id,
		    strcmp(t, "PayCanceled") == 0, e->at) != 0 ||
		    order_view_db_status(e->order_id, &cur) != 0)
			return -1;
		customer = e->customer_id;
		/* The page shows the payment (a refund): told too. */
		push(customer, e->order_id, order_status_name(cur), e->at);
	} else if (order_view_db_lock(e->order_id, &customer, &cur, payment,
	    sizeof(payment), delivery, sizeof(delivery)) != 0)
		return -1;
	else {
		/* What moves is the rules' (order_view_rules.c). */
		order_view_project(e, cur, payment, delivery, &c);
		if (order_view_db_change(&c) != 0)
			return -1;
		/* What the stream is told is the rules' too. */
		if (customer > 0 && (said = order_view_pushed(&c, cur)) != NULL)
			push(customer, e->order_id, said, e->at);
	}
	/* Nobody can read a row before OrderPlaced says whose it is. */
	if (customer <= 0)
		return 0;
	return order_view_touch(customer);
}

int
order_view_touch(long long customer)
{
	size_t i;

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
