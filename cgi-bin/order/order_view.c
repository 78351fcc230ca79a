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
	const char *t = e->type;

	if (!order_view_applies(t))
		return 0;
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
		/* What moves is the rules' (order_view_rules.c). */
		order_view_project(e, cur, payment, delivery, &c);
		if (order_view_db_change(&c) != 0)
			return -1;
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
