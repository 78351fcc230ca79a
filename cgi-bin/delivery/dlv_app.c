/*
 * dlv_app.c - the delivery use cases: an owner's deliveries, the owner's
 * "Delivered" (state and DeliveryCompleted in one commit, under the row
 * lock), and the policies for OrderPrepared and OrderCanceled.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dlv.h"
#include "fd_canceled.h"
#include "fd_db.h"
#include "fd_fault.h"

/*
 * Test builds only (fd_fault.h): holds an OrderCanceled's unit of work
 * open after each of its statements, so that a test can apply the
 * order's placement at each point of it and check the outcome.
 */
static void
cancel_pause(void)
{
	long long ms = fd_fault("dlv-cancel-pause-ms");

	if (ms > 0 && ms <= 10000)
		usleep((useconds_t)(ms * 1000));
}

enum dlv_err
dlv_list(long long owner_store, const struct dlv_filter *f, dlv_each_fn fn,
    void *arg, int *more)
{
	int rc;

	if (owner_store <= 0)
		return DLV_E_NOT_FOUND;
	if (fd_db_begin() != FD_DB_OK)
		return DLV_E_UNAVAILABLE;
	rc = dlv_db_list(owner_store, f, fn, arg, more);
	fd_db_rollback();
	return rc < 0 ? DLV_E_UNAVAILABLE : DLV_OK;
}

enum dlv_err
dlv_get(long long owner_store, long long id, struct dlv_delivery *d)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return DLV_E_UNAVAILABLE;
	rc = dlv_db_get(id, 0, d);
	fd_db_rollback();
	if (rc < 0)
		return DLV_E_UNAVAILABLE;
	/* Another store's delivery is none of this owner's business: 404. */
	return rc == 1 && owner_store > 0 && d->store_id == owner_store ?
	    DLV_OK : DLV_E_NOT_FOUND;
}

enum dlv_err
dlv_patch(long long owner_store, long long id, enum dlv_status to,
    struct dlv_delivery *d, char *why, size_t whysz)
{
	struct dlv_event ev;
	enum dlv_err e;
	int rc;

	*why = '\0';
	if ((e = dlv_step_check(to, why, whysz)) != DLV_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return DLV_E_UNAVAILABLE;
	/* The row lock orders this step against a concurrent OrderCanceled. */
	if ((rc = dlv_db_get(id, 1, d)) < 0)
		goto unavailable;
	if (rc == 0 || owner_store <= 0 || d->store_id != owner_store) {
		fd_db_rollback();
		return DLV_E_NOT_FOUND;
	}
	if ((e = dlv_step(d, to, &ev, why, whysz)) != DLV_OK) {
		fd_db_rollback();
		return e;
	}
	if (dlv_db_update(d) != 0 || dlv_db_event(&ev) != 0 ||
	    dlv_db_get(id, 0, d) != 1)		/* its new updatedAt */
		goto unavailable;
	return fd_db_commit() == FD_DB_OK ? DLV_OK : DLV_E_UNAVAILABLE;
unavailable:
	fd_db_rollback();
	return DLV_E_UNAVAILABLE;
}

/*
 * OrderPrepared: the delivery, once per order, started at once.  Its
 * OrderCanceled comes from another outbox and may have been applied
 * first; then the delivery is recorded Canceled and never starts.
 *
 * Under READ COMMITTED "no delivery yet" cannot be locked, so each policy
 * writes its own row first and then reads the other's with a locking
 * read, which waits for an uncommitted write: whichever commits second
 * sees the first (or they deadlock and one is retried).  Here: insert
 * the delivery, then look for the cancellation.
 */
enum dlv_err
dlv_on_order_prepared(struct dlv_delivery *d, char *why, size_t whysz)
{
	struct dlv_event ev;
	char reason[801];
	enum dlv_err e;
	int rc;

	if ((e = dlv_check_prepared(d, why, whysz)) != DLV_OK)
		return e;
	d->status = DLV_STARTED;
	if ((rc = dlv_db_insert(d)) < 0)
		return DLV_E_UNAVAILABLE;
	if (rc == 1)
		return DLV_OK;		/* prepared again: one delivery */
	if ((rc = fd_canceled_reason(d->order_id, 1, reason,
	    sizeof(reason))) < 0)
		return DLV_E_UNAVAILABLE;
	dlv_open(d, rc == 1 ? reason : NULL, &ev);
	if (d->status != DLV_STARTED && dlv_db_update(d) != 0)
		return DLV_E_UNAVAILABLE;
	if (ev.type != DLV_EV_NONE && dlv_db_event(&ev) != 0)
		return DLV_E_UNAVAILABLE;
	return DLV_OK;
}

/*
 * OrderCanceled: a delivery on its way is called back (DeliveryCanceled).
 * The cancellation is recorded first in every case (see above): if the
 * delivery does not exist yet, its OrderPrepared will find the record.
 */
enum dlv_err
dlv_on_order_canceled(long long order_id, const char *reason, char *why,
    size_t whysz)
{
	struct dlv_delivery d;
	struct dlv_event ev;
	enum dlv_err e;
	int rc;

	if ((e = dlv_check_canceled(order_id, reason, why, whysz)) != DLV_OK)
		return e;
	if (reason == NULL)
		reason = DLV_CANCEL_DEFAULT;
	if (fd_canceled_add(order_id, reason) != 0)
		return DLV_E_UNAVAILABLE;
	cancel_pause();
	if ((rc = dlv_db_by_order(order_id, 1, &d)) < 0)
		return DLV_E_UNAVAILABLE;
	if (rc == 1 && dlv_cancel(&d, reason, &ev) &&
	    (dlv_db_update(&d) != 0 || dlv_db_event(&ev) != 0))
		return DLV_E_UNAVAILABLE;
	cancel_pause();
	return DLV_OK;
}
